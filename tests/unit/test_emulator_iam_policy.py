"""The emulator's IAM policy evaluator (emulator/iam_policy.py) and request context (emulator/iam.py).

Each case of the table cites the AWS page whose rule or example it checks; examples named "after" a
page are built on that page's example, with this project's actions and ARNs.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from parliament import iam_definition

from hackathon_studio.emulator import iam, iam_policy
from hackathon_studio.emulator.iam_policy import ALLOW, EXPLICIT_DENY, IMPLICIT_DENY

GUIDE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
EVALUATION = GUIDE + "reference_policies_evaluation-logic.html (Policy evaluation logic)"
OPERATORS = (
    GUIDE + "reference_policies_elements_condition_operators.html (IAM JSON policy elements: Condition operators)"
)
LOGIC = GUIDE + "reference_policies_condition-logic-multiple-context-keys-or-values.html (Condition logic)"
MULTIVALUED = GUIDE + "reference_policies_condition-single-vs-multi-valued-context-keys.html (set operators)"
ACTION = GUIDE + "reference_policies_elements_action.html (IAM JSON policy elements: Action)"
NOTACTION = GUIDE + "reference_policies_elements_notaction.html (IAM JSON policy elements: NotAction)"
RESOURCE = GUIDE + "reference_policies_elements_resource.html (IAM JSON policy elements: Resource)"
NOTRESOURCE = GUIDE + "reference_policies_elements_notresource.html (IAM JSON policy elements: NotResource)"
VARIABLES = GUIDE + "reference_policies_variables.html (IAM policy elements: Variables and tags)"
NO_VALUE = VARIABLES + ", Policy variables with no value"
DENY_IP = GUIDE + "reference_policies_examples_aws_deny-ip.html (AWS: Denies access to AWS based on the source IP)"
DATES = GUIDE + "reference_policies_examples_aws-dates.html (AWS: Allows access based on date and time)"
SAGEMAKER = (
    "https://docs.aws.amazon.com/sagemaker/latest/dg/security_iam_id-based-policy-examples.html "
    "(SageMaker AI identity-based policy examples)"
)
SERVICE_REFERENCE = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html "
    "(Actions, resources, and condition keys for Amazon SageMaker AI)"
)

ARN = "arn:aws:sagemaker:eu-west-1:123456789012"
TEAM_7 = f"{ARN}:space/d-1/team-7"
TEAM_3 = f"{ARN}:space/d-1/team-3"
APP_7 = f"{ARN}:app/d-1/team-7/jupyterlab/default"


def allow(action="sagemaker:CreateApp", resource="*", **more) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def deny(action="sagemaker:CreateApp", resource="*", **more) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **more}


def doc(*statements, version="2012-10-17") -> dict:
    return {"Version": version, "Statement": list(statements)}


def when(operator: str, key: str, value) -> dict:
    return {"Condition": {operator: {key: value}}}


# (name, source, policies, action, resource, context, expected)
CASES = [
    # ----- evaluation logic ---------------------------------------------------------------------
    ("nothing allows: implicit deny", EVALUATION, [], "sagemaker:CreateApp", APP_7, {}, IMPLICIT_DENY),
    ("an allow allows", EVALUATION, [doc(allow())], "sagemaker:CreateApp", APP_7, {}, ALLOW),
    ("explicit deny beats allow", EVALUATION, [doc(allow(), deny())], "sagemaker:CreateApp", APP_7, {}, EXPLICIT_DENY),
    (
        "a deny in another policy beats an allow",
        EVALUATION,
        [doc(allow()), json.dumps(doc(deny(resource=APP_7)))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        EXPLICIT_DENY,
    ),
    (
        "a deny that does not apply leaves the allow",
        EVALUATION,
        [doc(allow(), deny(resource=TEAM_3))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    (
        "statement as one object, values as strings",
        EVALUATION,
        [{"Version": "2012-10-17", "Statement": allow()}],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    (
        "a statement without Resource or NotResource applies to nothing",
        RESOURCE,
        [doc({"Effect": "Allow", "Action": "sagemaker:CreateApp"})],
        "sagemaker:CreateApp",
        APP_7,
        {},
        IMPLICIT_DENY,
    ),
    # ----- Action / NotAction -------------------------------------------------------------------
    (
        "action names are case-insensitive",
        ACTION,
        [doc(allow("SageMaker:createapp"))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    ("action wildcard *", ACTION, [doc(allow("sagemaker:Create*"))], "sagemaker:CreateApp", APP_7, {}, ALLOW),
    (
        "action wildcard * names no other verb",
        ACTION,
        [doc(allow("sagemaker:Create*"))],
        "sagemaker:DeleteApp",
        APP_7,
        {},
        IMPLICIT_DENY,
    ),
    ("action wildcard ?", ACTION, [doc(allow(["sagemaker:?eleteApp"]))], "sagemaker:DeleteApp", APP_7, {}, ALLOW),
    (
        "the service prefix must match",
        ACTION,
        [doc(allow("dynamodb:*"))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        IMPLICIT_DENY,
    ),
    (
        "NotAction allows every action it does not list",
        NOTACTION,
        [doc({"Effect": "Allow", "NotAction": "sagemaker:Delete*", "Resource": "*"})],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    (
        "NotAction: a listed action is not allowed",
        NOTACTION,
        [doc({"Effect": "Allow", "NotAction": ["sagemaker:Delete*"], "Resource": "*"})],
        "sagemaker:DeleteSpace",
        TEAM_7,
        {},
        IMPLICIT_DENY,
    ),
    (
        "Deny with NotAction denies everything else",
        NOTACTION,
        [doc(allow("sagemaker:*"), {"Effect": "Deny", "NotAction": "sagemaker:Describe*", "Resource": "*"})],
        "sagemaker:DeleteSpace",
        TEAM_7,
        {},
        EXPLICIT_DENY,
    ),
    # ----- Resource / NotResource ---------------------------------------------------------------
    (
        "ARNs are case-sensitive",
        RESOURCE,
        [doc(allow("sagemaker:DescribeSpace", f"{ARN}:space/d-1/Team-7"))],
        "sagemaker:DescribeSpace",
        TEAM_7,
        {},
        IMPLICIT_DENY,
    ),
    (
        "resource wildcard *",
        RESOURCE,
        [doc(allow(resource=f"{ARN}:app/d-1/team-7/*"))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    (
        "resource wildcard * stops at the pattern",
        RESOURCE,
        [doc(allow(resource=f"{ARN}:app/d-1/team-7/*"))],
        "sagemaker:CreateApp",
        APP_7.replace("team-7", "team-77"),
        {},
        IMPLICIT_DENY,
    ),
    (
        "resource wildcard ?",
        RESOURCE,
        [doc(allow("sagemaker:DescribeSpace", f"{ARN}:space/d-1/team-?"))],
        "sagemaker:DescribeSpace",
        TEAM_3,
        {},
        ALLOW,
    ),
    (
        "wildcards in region and account segments",
        RESOURCE,
        [doc(allow("sagemaker:DescribeSpace", "arn:aws:sagemaker:*:*:space/d-1/*"))],
        "sagemaker:DescribeSpace",
        TEAM_7,
        {},
        ALLOW,
    ),
    (
        "a * inside a segment does not cross a colon",
        RESOURCE,
        [doc(allow("sagemaker:DescribeSpace", "arn:aws:sagemaker:eu*2:space/d-1/team-7"))],
        "sagemaker:DescribeSpace",
        TEAM_7,
        {},
        IMPLICIT_DENY,
    ),
    (
        "a * that ends a segment may match past colons",
        RESOURCE,
        [doc(allow("sagemaker:DescribeSpace", "arn:aws:sagemaker:eu-*:space/d-1/team-7"))],
        "sagemaker:DescribeSpace",
        TEAM_7,
        {},
        ALLOW,
    ),
    (
        "NotResource: everything but the listed resource",
        NOTRESOURCE,
        [doc({"Effect": "Allow", "Action": "sagemaker:DescribeSpace", "NotResource": TEAM_3})],
        "sagemaker:DescribeSpace",
        TEAM_7,
        {},
        ALLOW,
    ),
    (
        "NotResource: the listed resource is not allowed",
        NOTRESOURCE,
        [doc({"Effect": "Allow", "Action": "sagemaker:DescribeSpace", "NotResource": [TEAM_3]})],
        "sagemaker:DescribeSpace",
        TEAM_3,
        {},
        IMPLICIT_DENY,
    ),
    (
        "an action with no resource type is authorized on *",
        SERVICE_REFERENCE,
        [doc(allow("sagemaker:ListSpaces", f"{ARN}:space/*"))],
        "sagemaker:ListSpaces",
        "*",
        {},
        IMPLICIT_DENY,
    ),
    # ----- condition logic ----------------------------------------------------------------------
    (
        "values of a key are ORed",
        LOGIC,
        [doc(allow(**when("StringEquals", "aws:PrincipalTag/team", ["3", "7"])))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "7"},
        ALLOW,
    ),
    (
        "keys of an operator are ANDed",
        LOGIC,
        [doc(allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "7", "aws:PrincipalTag/role": "lead"}}))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "7", "aws:PrincipalTag/role": "member"},
        IMPLICIT_DENY,
    ),
    (
        "operators are ANDed",
        LOGIC,
        [
            doc(
                allow(
                    Condition={"StringEquals": {"aws:PrincipalTag/team": "7"}, "Bool": {"aws:SecureTransport": "true"}}
                )
            )
        ],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "7", "aws:SecureTransport": False},
        IMPLICIT_DENY,
    ),
    (
        "condition key names are case-insensitive",
        OPERATORS,
        [doc(allow(**when("StringEquals", "AWS:principaltag/team", "7")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "7"},
        ALLOW,
    ),
    # ----- operators ----------------------------------------------------------------------------
    (
        "StringEquals is case-sensitive",
        OPERATORS,
        [doc(allow(**when("StringEquals", "aws:PrincipalTag/team", "Red")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "red"},
        IMPLICIT_DENY,
    ),
    (
        "StringEquals on an absent key is false",
        OPERATORS,
        [doc(allow(**when("StringEquals", "aws:PrincipalTag/team", "7")))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        IMPLICIT_DENY,
    ),
    (
        "StringNotEquals on an absent key is true",
        OPERATORS,
        [doc(allow(**when("StringNotEquals", "aws:PrincipalTag/team", "3")))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    (
        "StringNotEquals on a listed value is false",
        OPERATORS,
        [doc(allow(**when("StringNotEquals", "aws:PrincipalTag/team", ["3", "7"])))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "7"},
        IMPLICIT_DENY,
    ),
    (
        "StringEqualsIgnoreCase",
        OPERATORS,
        [doc(allow(**when("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "RED")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "red"},
        ALLOW,
    ),
    (
        "StringNotEqualsIgnoreCase",
        OPERATORS,
        [doc(allow(**when("StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", "RED")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "red"},
        IMPLICIT_DENY,
    ),
    (
        "StringLike with * and ?",
        OPERATORS,
        [doc(allow(**when("StringLike", "aws:PrincipalTag/team", "t?am-*")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "team-7"},
        ALLOW,
    ),
    (
        "StringLike needs the whole value to match",
        OPERATORS,
        [doc(allow(**when("StringLike", "aws:PrincipalTag/team", "team")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "team-7"},
        IMPLICIT_DENY,
    ),
    (
        "StringNotLike on an absent key is true",
        OPERATORS,
        [doc(deny(**when("StringNotLike", "aws:PrincipalTag/team", "*")))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        EXPLICIT_DENY,
    ),
    (
        "ArnLike, segment by segment",
        OPERATORS,
        [doc(allow(**when("ArnLike", "sagemaker:OwnerUserProfileArn", f"{ARN}:user-profile/d-1/*")))],
        "sagemaker:CreateApp",
        APP_7,
        {"sagemaker:OwnerUserProfileArn": f"{ARN}:user-profile/d-1/ada"},
        ALLOW,
    ),
    (
        "ArnEquals",
        OPERATORS,
        [doc(allow(**when("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::123456789012:role/team-7")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/team-7"},
        ALLOW,
    ),
    (
        "ArnNotEquals",
        OPERATORS,
        [doc(allow(**when("ArnNotEquals", "aws:PrincipalArn", "arn:aws:iam::123456789012:role/team-7")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/team-7"},
        IMPLICIT_DENY,
    ),
    (
        "ArnNotLike on an absent key is true",
        OPERATORS,
        [doc(allow(**when("ArnNotLike", "sagemaker:OwnerUserProfileArn", f"{ARN}:*")))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    (
        "NumericLessThan",
        OPERATORS,
        [doc(allow(**when("NumericLessThan", "sagemaker:MaxRuntimeInSeconds", "3600")))],
        "sagemaker:CreateApp",
        APP_7,
        {"sagemaker:MaxRuntimeInSeconds": 60},
        ALLOW,
    ),
    (
        "NumericGreaterThanEquals",
        OPERATORS,
        [doc(allow(**when("NumericGreaterThanEquals", "sagemaker:MaxRuntimeInSeconds", 3600)))],
        "sagemaker:CreateApp",
        APP_7,
        {"sagemaker:MaxRuntimeInSeconds": 60},
        IMPLICIT_DENY,
    ),
    (
        "NumericEquals on text is false",
        OPERATORS,
        [doc(allow(**when("NumericEquals", "aws:PrincipalTag/team", "7")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "seven"},
        IMPLICIT_DENY,
    ),
    (
        "DateLessThan on aws:CurrentTime",
        DATES,
        [doc(allow(**when("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:CurrentTime": "2026-11-26T12:00:00Z"},
        ALLOW,
    ),
    (
        "Bool: deny unless TLS",
        OPERATORS,
        [doc(allow(), deny(**when("Bool", "aws:SecureTransport", "false")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:SecureTransport": False},
        EXPLICIT_DENY,
    ),
    (
        "Null true: the key is absent",
        OPERATORS,
        [doc(allow(), deny(**when("Null", "aws:RequestTag/team", "true")))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        EXPLICIT_DENY,
    ),
    (
        "Null false: the key is present",
        OPERATORS,
        [doc(allow(**when("Null", "aws:RequestTag/team", "false")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:RequestTag/team": "7"},
        ALLOW,
    ),
    (
        "NotIpAddress: deny outside the allowed ranges",
        DENY_IP,
        [doc(allow(), deny("*", **when("NotIpAddress", "aws:SourceIp", ["192.0.2.0/24", "203.0.113.0/24"])))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:SourceIp": "198.51.100.7"},
        EXPLICIT_DENY,
    ),
    (
        "IpAddress in a range",
        OPERATORS,
        [doc(allow(**when("IpAddress", "aws:SourceIp", "127.0.0.0/8")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:SourceIp": "127.0.0.1"},
        ALLOW,
    ),
    (
        "...IfExists on an absent key is true",
        OPERATORS,
        [doc(allow(**when("StringEqualsIfExists", "sagemaker:SpaceSharingType", "Shared")))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    (
        "...IfExists on a present key tests it",
        OPERATORS,
        [doc(allow(**when("StringEqualsIfExists", "sagemaker:SpaceSharingType", "Shared")))],
        "sagemaker:CreateApp",
        APP_7,
        {"sagemaker:SpaceSharingType": "Private"},
        IMPLICIT_DENY,
    ),
    (
        "an unknown operator matches nothing (stricter)",
        OPERATORS,
        [doc(allow(**when("StringAlmostEquals", "aws:PrincipalTag/team", "7")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/team": "7"},
        IMPLICIT_DENY,
    ),
    # ----- set operators ------------------------------------------------------------------------
    (
        "ForAllValues on an absent key is true",
        MULTIVALUED,
        [doc(allow(**when("ForAllValues:StringEquals", "aws:TagKeys", ["team"])))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        ALLOW,
    ),
    (
        "ForAllValues: every request value is listed",
        MULTIVALUED,
        [doc(allow(**when("ForAllValues:StringEquals", "aws:TagKeys", ["team", "event"])))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:TagKeys": ["team"]},
        ALLOW,
    ),
    (
        "ForAllValues: one value not listed is false",
        MULTIVALUED,
        [doc(allow(**when("ForAllValues:StringEquals", "aws:TagKeys", ["team"])))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:TagKeys": ["team", "cost"]},
        IMPLICIT_DENY,
    ),
    (
        "ForAnyValue on an absent key is false",
        MULTIVALUED,
        [doc(allow(**when("ForAnyValue:StringEquals", "aws:TagKeys", ["team"])))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        IMPLICIT_DENY,
    ),
    (
        "ForAnyValue: one listed value is enough",
        MULTIVALUED,
        [doc(allow(**when("ForAnyValue:StringEquals", "aws:TagKeys", ["team"])))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:TagKeys": ["team", "cost"]},
        ALLOW,
    ),
    (
        "ForAnyValue:StringNotLike: deny a request with any tag key outside the pattern",
        MULTIVALUED,
        [doc(allow(), deny(**when("ForAnyValue:StringNotLike", "aws:TagKeys", "hackathon:*")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:TagKeys": ["hackathon:team", "cost"]},
        EXPLICIT_DENY,
    ),
    # ----- policy variables ---------------------------------------------------------------------
    (
        "${aws:username} in Resource",
        VARIABLES,
        [doc(allow("sagemaker:CreatePresignedDomainUrl", f"{ARN}:user-profile/d-1/${{aws:username}}"))],
        "sagemaker:CreatePresignedDomainUrl",
        f"{ARN}:user-profile/d-1/ada",
        {"aws:username": "ada"},
        ALLOW,
    ),
    (
        "${aws:username} with no value (a role session) matches nothing",
        NO_VALUE,
        [doc(allow("sagemaker:CreatePresignedDomainUrl", f"{ARN}:user-profile/d-1/${{aws:username}}"))],
        "sagemaker:CreatePresignedDomainUrl",
        f"{ARN}:user-profile/d-1/ada",
        {},
        IMPLICIT_DENY,
    ),
    (
        "a variable with no value is not the empty string",
        NO_VALUE,
        [doc(allow("sagemaker:CreatePresignedDomainUrl", f"{ARN}:user-profile/d-1/${{aws:username}}*"))],
        "sagemaker:CreatePresignedDomainUrl",
        f"{ARN}:user-profile/d-1/ada",
        {},
        IMPLICIT_DENY,
    ),
    (
        "${aws:SourceIdentity} names the person's profile",
        VARIABLES,
        [doc(allow("sagemaker:CreatePresignedDomainUrl", f"{ARN}:user-profile/d-1/${{aws:SourceIdentity}}"))],
        "sagemaker:CreatePresignedDomainUrl",
        f"{ARN}:user-profile/d-1/bob",
        {"aws:SourceIdentity": "ada"},
        IMPLICIT_DENY,
    ),
    (
        "${aws:userid} in a condition value",
        VARIABLES,
        [doc(allow(**when("StringLike", "aws:userid", "AROAEXAMPLE:${aws:SourceIdentity}")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:userid": "AROAEXAMPLE:ada", "aws:SourceIdentity": "ada"},
        ALLOW,
    ),
    (
        "${aws:PrincipalAccount} in Resource",
        VARIABLES,
        [doc(allow(resource="arn:aws:sagemaker:*:${aws:PrincipalAccount}:app/*"))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalAccount": "123456789012"},
        ALLOW,
    ),
    (
        "${*} is a literal asterisk",
        VARIABLES,
        [doc(allow(resource=f"{ARN}:app/d-1/${{*}}/*"))],
        "sagemaker:CreateApp",
        APP_7,
        {},
        IMPLICIT_DENY,
    ),
    (
        "${?} and ${$} are literal characters",
        VARIABLES,
        [doc(allow(**when("StringEquals", "aws:PrincipalTag/x", "${?}${$}")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:PrincipalTag/x": "?$"},
        ALLOW,
    ),
    (
        "a default value for a variable with no value",
        VARIABLES,
        [doc(allow(**when("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team, 'none'}")))],
        "sagemaker:CreateApp",
        APP_7,
        {"aws:ResourceTag/team": "none"},
        ALLOW,
    ),
    (
        "variables are literal text in policy version 2008-10-17",
        VARIABLES,
        [doc(allow(resource=f"{ARN}:app/d-1/${{aws:username}}/*"), version="2008-10-17")],
        "sagemaker:CreateApp",
        f"{ARN}:app/d-1/ada/jupyterlab/default",
        {"aws:username": "ada"},
        IMPLICIT_DENY,
    ),
    # ----- SageMaker's own examples, and this project's participant policy ------------------------
    (
        "after SageMaker's example: a user reaches profiles tagged with their own user id",
        SAGEMAKER,
        [
            doc(
                allow(
                    "sagemaker:CreatePresignedDomainUrl",
                    **when("StringEquals", "sagemaker:ResourceTag/studiouserid", "${aws:PrincipalTag/studiouserid}"),
                )
            )
        ],
        "sagemaker:CreatePresignedDomainUrl",
        f"{ARN}:user-profile/d-1/bob",
        {"sagemaker:ResourceTag/studiouserid": "bob", "aws:PrincipalTag/studiouserid": "ada"},
        IMPLICIT_DENY,
    ),
    (
        "after SageMaker's example: apps limited to allowed instance types",
        SAGEMAKER,
        [doc(allow(**when("ForAllValues:StringLike", "sagemaker:InstanceTypes", ["ml.t3.*", "system"])))],
        "sagemaker:CreateApp",
        APP_7,
        {"sagemaker:InstanceTypes": ["ml.g5.xlarge"]},
        IMPLICIT_DENY,
    ),
    (
        "apps of one's own team's space, by the space's team tag",
        SERVICE_REFERENCE,
        [
            doc(
                allow(
                    "sagemaker:DeleteApp",
                    **when("StringEquals", "sagemaker:ResourceTag/hackathon:team", "${aws:PrincipalTag/team}"),
                )
            )
        ],
        "sagemaker:DeleteApp",
        APP_7,
        {"sagemaker:ResourceTag/hackathon:team": "7", "aws:PrincipalTag/team": "7"},
        ALLOW,
    ),
]


@pytest.mark.parametrize(
    ("source", "policies", "action", "resource", "context", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_evaluation(source, policies, action, resource, context, expected):
    assert source.startswith("https://docs.aws.amazon.com/")
    assert iam_policy.evaluate(policies, action, resource, context) == expected


def test_every_case_has_its_own_name():
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        # EVALUATION, "permissions boundaries": the action must be allowed by both.
        (
            [("identity-based policy", [doc(allow())]), ("permissions boundary", [doc(allow("sagemaker:Describe*"))])],
            (IMPLICIT_DENY, "permissions boundary"),
        ),
        # EVALUATION, "session policies": the session's permissions are the intersection.
        ([("identity-based policy", [doc(allow())]), ("session policy", [doc(allow())])], (ALLOW, None)),
        # EVALUATION: an explicit deny in any policy type wins, even where another type does not allow.
        (
            [("identity-based policy", []), ("permissions boundary", [doc(deny())])],
            (EXPLICIT_DENY, "permissions boundary"),
        ),
        (
            [("identity-based policy", [doc(deny())]), ("session policy", [doc(allow())])],
            (EXPLICIT_DENY, "identity-based policy"),
        ),
    ],
)
def test_decision_over_policy_types(sets, expected):
    assert iam_policy.decide(sets, "sagemaker:CreateApp", APP_7, {}) == expected


# ----- the request context ------------------------------------------------------------------------
KEY_GROUPS = {
    "request_tags": {"aws:RequestTag/${TagKey}", "aws:TagKeys"},
    "space_owner": {"sagemaker:OwnerUserProfileArn", "sagemaker:SpaceSharingType"},
}
EMULATED = {"aws:RequestTag/${TagKey}", "aws:TagKeys", "sagemaker:InstanceTypes"} | KEY_GROUPS["space_owner"]
EMULATED |= {"sagemaker:DomainId"}
PROJECT_ACTIONS = (
    "DescribeDomain ListDomains CreateUserProfile DescribeUserProfile ListUserProfiles UpdateUserProfile "
    "DeleteUserProfile CreateSpace DescribeSpace ListSpaces UpdateSpace DeleteSpace CreateApp DescribeApp "
    "ListApps DeleteApp CreatePresignedDomainUrl AddTags ListTags DeleteTags"
).split()


@pytest.mark.parametrize("operation", PROJECT_ACTIONS)
def test_action_keys_are_the_service_authorization_references(operation):
    """Of the keys the emulator computes, each action gets exactly those the reference gives it
    (parliament's copy; tests/unit/test_iam_policy.py reads it the same way)."""
    sagemaker = next(s for s in iam_definition if s["prefix"] == "sagemaker")
    [privilege] = [p for p in sagemaker["privileges"] if p["privilege"] == operation]
    reference = {k for r in privilege["resource_types"] for k in r["condition_keys"]}
    ours = set()
    for group in iam.ACTION_KEYS.get(operation, ()):
        ours |= KEY_GROUPS.get(group, {group})
    assert ours == reference & EMULATED


@pytest.mark.parametrize("operation", PROJECT_ACTIONS)
def test_dependent_actions_are_the_service_authorization_references(operation):
    sagemaker = next(s for s in iam_definition if s["prefix"] == "sagemaker")
    [privilege] = [p for p in sagemaker["privileges"] if p["privilege"] == operation]
    reference = {d for r in privilege["resource_types"] for d in r.get("dependent_actions", [])}
    assert set(iam.DEPENDENT_ACTIONS.get(operation, ())) == reference


def test_checks_add_tagging_and_pass_role_only_when_the_request_calls_for_them():
    bare = {"DomainId": "d-1", "UserProfileName": "ada"}
    assert [c[0] for c in iam.checks("CreateUserProfile", bare, "arn")] == ["sagemaker:CreateUserProfile"]
    role = "arn:aws:iam::123456789012:role/participant"
    full = {**bare, "Tags": [{"Key": "k", "Value": "v"}], "UserSettings": {"ExecutionRole": role}}
    assert iam.checks("CreateUserProfile", full, "arn") == [
        ("sagemaker:CreateUserProfile", "arn", {}),
        ("sagemaker:AddTags", "arn", {"sagemaker:TaggingAction": "CreateUserProfile"}),
        ("iam:PassRole", role, {"iam:PassedToService": "sagemaker.amazonaws.com"}),
    ]
    assert [c[0] for c in iam.checks("UpdateUserProfile", full, "arn")] == ["sagemaker:UpdateUserProfile"]


def fake_studio(**spaces):
    apps = {f"{ARN}:app/d-1/team-7/jupyterlab/default": SimpleNamespace(tags={"hackathon:event": "e"})}
    return SimpleNamespace(
        region="eu-west-1",
        account_id="123456789012",
        spaces={("d-1", name): SimpleNamespace(attrs=attrs) for name, attrs in spaces.items()},
        by_arn={TEAM_7: SimpleNamespace(tags={"hackathon:team": "7"}), **apps},
    )


SHARED = {"OwnershipSettings": {"OwnerUserProfileName": "organizer"}, "SpaceSharingSettings": {"SharingType": "Shared"}}
PRINCIPAL = iam.Principal(
    "arn:aws:sts::123456789012:assumed-role/team-7/ada", "", None, [], {"aws:SourceIdentity": "ada"}
)


def test_create_app_context_has_the_requests_keys_and_not_its_spaces_tags():
    params = {
        "DomainId": "d-1",
        "SpaceName": "team-7",
        "AppType": "JupyterLab",
        "AppName": "new",
        "ResourceSpec": {"InstanceType": "ml.t3.medium"},
        "Tags": [{"Key": "hackathon:team", "Value": "7"}],
    }
    resource = iam.sagemaker_resource("CreateApp", params, "eu-west-1", "123456789012")
    context = iam.request_context(
        fake_studio(**{"team-7": SHARED}), "CreateApp", params, resource, PRINCIPAL, "127.0.0.1"
    )
    assert context["sagemaker:InstanceTypes"] == ["ml.t3.medium"]
    assert context["aws:RequestTag/hackathon:team"] == "7" and context["aws:TagKeys"] == ["hackathon:team"]
    assert context["sagemaker:OwnerUserProfileArn"] == f"{ARN}:user-profile/d-1/organizer"
    assert context["sagemaker:SpaceSharingType"] == "Shared"
    assert not [k for k in context if "ResourceTag" in k]  # the app does not exist yet
    assert (context["aws:SourceIdentity"], context["aws:SourceIp"], context["aws:SecureTransport"]) == (
        "ada",
        "127.0.0.1",
        False,
    )


def test_space_actions_get_the_spaces_tags_and_owner_only_where_the_reference_lists_them():
    studio = fake_studio(**{"team-7": SHARED})
    params = {"DomainId": "d-1", "SpaceName": "team-7"}
    described = iam.request_context(studio, "DescribeSpace", params, TEAM_7, PRINCIPAL, "127.0.0.1")
    assert described["aws:ResourceTag/hackathon:team"] == described["sagemaker:ResourceTag/hackathon:team"] == "7"
    assert "sagemaker:SpaceSharingType" not in described and "aws:TagKeys" not in described
    deleted = iam.request_context(studio, "DeleteSpace", params, TEAM_7, PRINCIPAL, "127.0.0.1")
    assert deleted["sagemaker:SpaceSharingType"] == "Shared"
    settings = {"SpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.g5.xlarge"}}}}
    updated = iam.request_context(studio, "UpdateSpace", {**params, **settings}, TEAM_7, PRINCIPAL, "127.0.0.1")
    assert updated["sagemaker:InstanceTypes"] == ["ml.g5.xlarge"]


@pytest.mark.parametrize("operation", PROJECT_ACTIONS)
def test_actions_with_no_resource_type_are_the_service_authorization_references(operation):
    sagemaker = next(s for s in iam_definition if s["prefix"] == "sagemaker")
    [privilege] = [p for p in sagemaker["privileges"] if p["privilege"] == operation]
    has_none = not [r for r in privilege["resource_types"] if r["resource_type"]]
    assert (operation in iam.NO_RESOURCE_TYPE) == has_none


def test_list_actions_are_authorized_on_star_and_named_by_the_accounts_wildcard():
    resource = iam.sagemaker_resource("ListSpaces", {"DomainIdEquals": "d-1"}, "eu-west-1", "123456789012")
    assert resource == f"{ARN}:*"
    assert iam.authorized_resource("ListSpaces", resource) == "*"
    assert iam.authorized_resource("DeleteSpace", TEAM_7) == TEAM_7
    assert iam.authorized_resource("ListTags", TEAM_7) == TEAM_7  # a resource type: the resource's ARN


def test_access_denied_messages():
    principal = iam.Principal(
        "arn:aws:iam::123456789012:user/carol", "", None, [("identity-based policy", [doc(deny())])]
    )
    error = iam.access_denied(principal, "sagemaker:CreateApp", APP_7, {}, "CreateApp")
    assert (error.code, error.status) == ("AccessDeniedException", 400)
    assert error.message == (
        f"User: arn:aws:iam::123456789012:user/carol is not authorized to perform: sagemaker:CreateApp on resource: "
        f"{APP_7} with an explicit deny in an identity-based policy"
    )
    boundary = iam.Principal(
        principal.arn, "", None, [("identity-based policy", [doc(allow())]), ("permissions boundary", [])]
    )
    assert iam.access_denied(boundary, "sagemaker:CreateApp", APP_7, {}, "CreateApp").message.endswith(
        "because no permissions boundary allows the sagemaker:CreateApp action"
    )


# ----- IAM and DynamoDB requests, which moto answers ----------------------------------------------
IAM_REFERENCE = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html "
    "(Actions, resources, and condition keys for AWS Identity and Access Management)"
)
DYNAMODB_REFERENCE = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html "
    "(Actions, resources, and condition keys for Amazon DynamoDB)"
)
LEADING_KEYS = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html "
    "(Using IAM policy conditions for fine-grained access control)"
)
ACCOUNT = "123456789012"
TEAM_ROLE = f"arn:aws:iam::{ACCOUNT}:role/hackathon/spring/spring-team-7"
TABLE = f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/registry"
EVENT_TAGS = [{"Key": "hackathon:event", "Value": "spring"}]


class FakeIam:
    """moto's IAM backend, as iam_checks reads it: one role under the event's path, with the event's tags."""

    roles = {
        "spring-team-7": SimpleNamespace(
            path="/hackathon/spring/", tags=EVENT_TAGS, permissions_boundary_arn=f"arn:aws:iam::{ACCOUNT}:policy/b"
        )
    }

    def get_role(self, name):
        if name not in self.roles:
            raise LookupError(name)  # moto raises IAMNotFoundException
        return self.roles[name]


DYNAMODB = SimpleNamespace(tables={"registry": SimpleNamespace(hash_key_attr="event", tags=EVENT_TAGS)})
EVENT_RESOURCE = {"aws:ResourceTag/hackathon:event": "spring", "iam:ResourceTag/hackathon:event": "spring"}
REQUEST_TAGS = {"aws:RequestTag/hackathon:event": "spring", "aws:TagKeys": ["hackathon:event"]}
QUERY_TAGS = {"Tags.member.1.Key": "hackathon:event", "Tags.member.1.Value": "spring"}


def item(event: str, key: str = "item") -> dict:
    return {"event": {"S": event}, key: {"S": "x"}}


IAM_CASES = [
    (
        IAM_REFERENCE + ": CreateRole on role*, aws:RequestTag, aws:TagKeys; TagRole its dependent when tagging",
        "CreateRole",
        {"RoleName": "spring-team-3", "Path": "/hackathon/spring/", **QUERY_TAGS},
        [
            ("iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/hackathon/spring/spring-team-3", REQUEST_TAGS),
            ("iam:TagRole", f"arn:aws:iam::{ACCOUNT}:role/hackathon/spring/spring-team-3", REQUEST_TAGS),
        ],
    ),
    (
        IAM_REFERENCE + ": CreateRole without Path is under /, without Tags needs no TagRole",
        "CreateRole",
        {"RoleName": "plain", "PermissionsBoundary": "arn:aws:iam::123456789012:policy/b"},
        [
            (
                "iam:CreateRole",
                f"arn:aws:iam::{ACCOUNT}:role/plain",
                {"iam:PermissionsBoundary": f"arn:aws:iam::{ACCOUNT}:policy/b"},
            )
        ],
    ),
    (
        IAM_REFERENCE + ": role resource type, aws:ResourceTag and iam:ResourceTag of the existing role",
        "GetRole",
        {"RoleName": "spring-team-7"},
        [("iam:GetRole", TEAM_ROLE, EVENT_RESOURCE)],
    ),
    (
        IAM_REFERENCE + ": a role that does not exist has no tags (and no path AWS could know)",
        "GetRole",
        {"RoleName": "spring-team-9"},
        [("iam:GetRole", f"arn:aws:iam::{ACCOUNT}:role/spring-team-9", {})],
    ),
    (
        IAM_REFERENCE + ": PutRolePolicy, iam:PermissionsBoundary of the role",
        "PutRolePolicy",
        {"RoleName": "spring-team-7", "PolicyName": "p", "PolicyDocument": "{}"},
        [
            (
                "iam:PutRolePolicy",
                TEAM_ROLE,
                {**EVENT_RESOURCE, "iam:PermissionsBoundary": f"arn:aws:iam::{ACCOUNT}:policy/b"},
            )
        ],
    ),
    (
        IAM_REFERENCE + ": TagRole, the request's tags and the role's",
        "TagRole",
        {"RoleName": "spring-team-7", "Tags.member.1.Key": "hackathon:team", "Tags.member.1.Value": "7"},
        [
            (
                "iam:TagRole",
                TEAM_ROLE,
                {**EVENT_RESOURCE, "aws:RequestTag/hackathon:team": "7", "aws:TagKeys": ["hackathon:team"]},
            )
        ],
    ),
    (
        IAM_REFERENCE + ": UntagRole, aws:TagKeys",
        "UntagRole",
        {"RoleName": "spring-team-7", "TagKeys.member.1": "a", "TagKeys.member.2": "b"},
        [("iam:UntagRole", TEAM_ROLE, {**EVENT_RESOURCE, "aws:TagKeys": ["a", "b"]})],
    ),
    *[
        (
            IAM_REFERENCE + f": {operation} on role*, no key of its own",
            operation,
            {"RoleName": "spring-team-7"},
            [(f"iam:{operation}", TEAM_ROLE, EVENT_RESOURCE)],
        )
        for operation in ("GetRolePolicy", "ListRolePolicies", "DeleteRole", "UpdateRole", "UpdateAssumeRolePolicy")
    ],
    (
        IAM_REFERENCE + ": ListRoles has no resource type",
        "ListRoles",
        {"PathPrefix": "/hackathon/spring/"},
        [("iam:ListRoles", "*", {})],
    ),
]


@pytest.mark.parametrize(
    ("source", "operation", "form", "expected"), IAM_CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(IAM_CASES)]
)
def test_iam_request_context(source, operation, form, expected):
    found = iam.iam_checks(operation, {"Action": operation, **form}, FakeIam(), ACCOUNT)
    assert [(action, matched, normalized(context)) for action, _named, matched, context in found] == [
        (action, arn, normalized(context)) for action, arn, context in expected
    ]


def normalized(context: dict) -> dict:
    return {k: v for k, v in context.items() if v is not None}


def test_access_denied_names_a_role_as_aws_does():
    """The ARN for CreateRole, "role <name>" for an action on a role, the account's role prefix for ListRoles
    (the records cited in iam.iam_checks)."""
    [(_, named, matched, _)] = iam.iam_checks("GetRole", {"RoleName": "spring-team-7"}, FakeIam(), ACCOUNT)
    assert (named, matched) == ("role spring-team-7", TEAM_ROLE)
    [(_, named, matched, _)] = iam.iam_checks("CreateRole", {"RoleName": "new", "Path": "/p/"}, FakeIam(), ACCOUNT)
    assert named == matched == f"arn:aws:iam::{ACCOUNT}:role/p/new"
    [(_, named, matched, _)] = iam.iam_checks("ListRoles", {}, FakeIam(), ACCOUNT)
    assert (named, matched) == (f"arn:aws:iam::{ACCOUNT}:role/", "*")


def table_request(operation: str, **params) -> tuple:
    return operation, {"TableName": "registry", **params}


TABLE_TAGS = {"aws:ResourceTag/hackathon:event": "spring"}
DYNAMODB_CASES = [
    (
        LEADING_KEYS + ": Query, the partition key value of KeyConditionExpression (names and values resolved)",
        *table_request(
            "Query",
            KeyConditionExpression="#e = :e AND begins_with(#i, :p)",
            ExpressionAttributeNames={"#e": "event", "#i": "item"},
            ExpressionAttributeValues={":e": {"S": "spring"}, ":p": {"S": "space#"}},
        ),
        [("dynamodb:Query", TABLE, {**TABLE_TAGS, "dynamodb:LeadingKeys": ["spring"]})],
    ),
    (
        LEADING_KEYS + ": Query, the value on the left, the attribute by its own name",
        *table_request("Query", KeyConditionExpression=":e=event", ExpressionAttributeValues={":e": {"S": "autumn"}}),
        [("dynamodb:Query", TABLE, {**TABLE_TAGS, "dynamodb:LeadingKeys": ["autumn"]})],
    ),
    (
        LEADING_KEYS + ": Query, legacy KeyConditions EQ",
        *table_request(
            "Query", KeyConditions={"event": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "spring"}]}}
        ),
        [("dynamodb:Query", TABLE, {**TABLE_TAGS, "dynamodb:LeadingKeys": ["spring"]})],
    ),
    (
        LEADING_KEYS + ": GetItem, its Key's partition attribute",
        *table_request("GetItem", Key=item("spring")),
        [("dynamodb:GetItem", TABLE, {**TABLE_TAGS, "dynamodb:LeadingKeys": ["spring"]})],
    ),
    (
        LEADING_KEYS + ": PutItem, its Item's partition attribute",
        *table_request("PutItem", Item=item("autumn")),
        [("dynamodb:PutItem", TABLE, {**TABLE_TAGS, "dynamodb:LeadingKeys": ["autumn"]})],
    ),
    (
        LEADING_KEYS + ": UpdateItem and DeleteItem, their Key",
        *table_request("UpdateItem", Key=item("spring"), UpdateExpression="SET a = :a"),
        [("dynamodb:UpdateItem", TABLE, {**TABLE_TAGS, "dynamodb:LeadingKeys": ["spring"]})],
    ),
    (
        LEADING_KEYS + ": BatchWriteItem, every key of the table's requests, puts and deletes",
        "BatchWriteItem",
        {
            "RequestItems": {
                "registry": [
                    {"PutRequest": {"Item": item("spring", "a")}},
                    {"DeleteRequest": {"Key": item("autumn", "b")}},
                ]
            }
        },
        [("dynamodb:BatchWriteItem", TABLE, {**TABLE_TAGS, "dynamodb:LeadingKeys": ["spring", "autumn"]})],
    ),
    (
        DYNAMODB_REFERENCE + ": CreateTable, aws:RequestTag and aws:TagKeys; TagResource with it when tagging",
        *table_request("CreateTable", Tags=EVENT_TAGS),
        [
            ("dynamodb:CreateTable", TABLE, {**TABLE_TAGS, **REQUEST_TAGS}),
            ("dynamodb:TagResource", TABLE, {**TABLE_TAGS, **REQUEST_TAGS}),
        ],
    ),
    (
        DYNAMODB_REFERENCE + ": table resource type, aws:ResourceTag; no LeadingKeys for DescribeTable",
        *table_request("DescribeTable"),
        [("dynamodb:DescribeTable", TABLE, TABLE_TAGS)],
    ),
    (
        DYNAMODB_REFERENCE + ": a table that does not exist has no tags and no key schema",
        "CreateTable",
        {"TableName": "other", "Tags": EVENT_TAGS},
        [
            ("dynamodb:CreateTable", TABLE.replace("registry", "other"), REQUEST_TAGS),
            ("dynamodb:TagResource", TABLE.replace("registry", "other"), REQUEST_TAGS),
        ],
    ),
    (
        DYNAMODB_REFERENCE + ": TagResource on its ResourceArn",
        "TagResource",
        {"ResourceArn": TABLE, "Tags": [{"Key": "k", "Value": "v"}]},
        [
            (
                "dynamodb:TagResource",
                TABLE,
                {**TABLE_TAGS, "aws:RequestTag/k": "v", "aws:TagKeys": ["k"]},
            )
        ],
    ),
    (DYNAMODB_REFERENCE + ": ListTables has no resource type", "ListTables", {}, [("dynamodb:ListTables", "*", {})]),
]


@pytest.mark.parametrize(
    ("source", "operation", "params", "expected"),
    DYNAMODB_CASES,
    ids=[f"{c[1]}-{i}" for i, c in enumerate(DYNAMODB_CASES)],
)
def test_dynamodb_request_context(source, operation, params, expected):
    found = iam.dynamodb_checks(operation, params, DYNAMODB, "eu-west-1", ACCOUNT)
    assert [(action, matched, normalized(context)) for action, _named, matched, context in found] == [
        (action, arn, normalized(context)) for action, arn, context in expected
    ]


def test_batch_write_item_is_authorized_per_table_with_all_its_keys():
    """AWS evaluates BatchWriteItem per table: under ForAllValues:StringEquals on LeadingKeys, one key of
    another partition denies the whole table's batch (LEADING_KEYS)."""
    allowed = doc(
        allow(
            "dynamodb:BatchWriteItem",
            TABLE,
            Condition={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["spring"]}},
        )
    )
    principal = iam.Principal(
        "arn:aws:iam::123456789012:user/organizer", "", None, [("identity-based policy", [allowed])]
    )
    batch = {"RequestItems": {"registry": [{"PutRequest": {"Item": item("spring", str(n))}} for n in range(3)]}}
    [(action, named, matched, context)] = iam.dynamodb_checks("BatchWriteItem", batch, DYNAMODB, "eu-west-1", ACCOUNT)
    assert iam.access_denied(principal, action, named, context, "BatchWriteItem", matched) is None
    batch["RequestItems"]["registry"].append({"DeleteRequest": {"Key": item("autumn")}})
    [(action, named, matched, context)] = iam.dynamodb_checks("BatchWriteItem", batch, DYNAMODB, "eu-west-1", ACCOUNT)
    error = iam.access_denied(
        principal, action, named, context, "BatchWriteItem", matched, (iam.DYNAMODB_ACCESS_DENIED, 400)
    )
    assert (error.code, error.status) == ("com.amazon.coral.service#AccessDeniedException", 400)
    assert error.message.endswith(
        f"dynamodb:BatchWriteItem on resource: {TABLE} because no identity-based policy allows the "
        "dynamodb:BatchWriteItem action"
    )


@pytest.mark.parametrize("operation", sorted(iam.ROLE_ACTIONS))
def test_iam_role_action_keys_are_the_service_authorization_references(operation):
    reference_iam = next(s for s in iam_definition if s["prefix"] == "iam")
    [privilege] = [p for p in reference_iam["privileges"] if p["privilege"] == operation]
    assert "role*" in {r["resource_type"] for r in privilege["resource_types"]}
    reference = {k for r in privilege["resource_types"] for k in r["condition_keys"]}
    emulated = KEY_GROUPS["request_tags"] | {"iam:PermissionsBoundary", "iam:PolicyARN"}
    ours = set()
    for group in iam.ROLE_ACTIONS[operation]:
        ours |= KEY_GROUPS.get(group, {group})
    assert ours == reference & emulated


@pytest.mark.parametrize(
    "operation",
    [
        "DescribeTable",
        "CreateTable",
        "DeleteTable",
        "Query",
        "GetItem",
        "PutItem",
        "UpdateItem",
        "BatchWriteItem",
        "DeleteItem",
        "TagResource",
        "ListTagsOfResource",
    ],
)
def test_dynamodb_keys_are_the_service_authorization_references(operation):
    dynamodb = next(s for s in iam_definition if s["prefix"] == "dynamodb")
    [privilege] = [p for p in dynamodb["privileges"] if p["privilege"] == operation]
    reference = {k for r in privilege["resource_types"] for k in r["condition_keys"]}
    leading = operation in iam.ITEM_KEY or operation in ("Query", "BatchWriteItem", "BatchGetItem")
    assert leading == ("dynamodb:LeadingKeys" in reference)
    assert (operation in iam.DYNAMODB_REQUEST_TAGS) == ("aws:TagKeys" in reference)


CROSS_ACCOUNT = GUIDE + "access_policies-cross-account-resource-access.html (Cross account resource access in IAM)"
SOURCE_IDENTITY = (
    GUIDE + "id_credentials_temp_control-access_monitor.html (Monitor and control actions taken with assumed roles)"
)
USER_DAN = f"arn:aws:iam::{ACCOUNT}:user/dan"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/team-7"
MAY_ASSUME = doc(allow("sts:AssumeRole", "*"))


def trusting(principal, actions=("sts:AssumeRole",), effect="Allow") -> SimpleNamespace:
    statement = {"Effect": effect, "Principal": principal, "Action": list(actions)}
    return SimpleNamespace(assume_role_policy_document=json.dumps(doc(statement)))


TRUST_CASES = [
    (CROSS_ACCOUNT + ": the trust policy names the caller: no identity policy needed", {"AWS": USER_DAN}, [], {}, True),
    (CROSS_ACCOUNT + ": the account named: the caller's own policy must allow", {"AWS": ACCOUNT}, [], {}, False),
    (
        CROSS_ACCOUNT + ": the account's root named, and the caller's policy allows",
        {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        [MAY_ASSUME],
        {},
        True,
    ),
    (
        CROSS_ACCOUNT + ": a service principal never names an IAM user",
        {"Service": "sagemaker.amazonaws.com"},
        [MAY_ASSUME],
        {},
        False,
    ),
    (CROSS_ACCOUNT + ": another account named", {"AWS": "arn:aws:iam::210987654321:root"}, [MAY_ASSUME], {}, False),
    (
        SOURCE_IDENTITY + ": SourceIdentity needs sts:SetSourceIdentity",
        {"AWS": USER_DAN},
        [],
        {"SourceIdentity": "ada"},
        False,
    ),
    (
        EVALUATION + ": an explicit deny in the caller's policy wins",
        {"AWS": USER_DAN},
        [doc(deny("sts:*", "*"))],
        {},
        False,
    ),
]


@pytest.mark.parametrize(
    ("source", "trusted", "own", "form", "allowed"), TRUST_CASES, ids=[str(n) for n in range(len(TRUST_CASES))]
)
def test_assume_role_trust(source, trusted, own, form, allowed):
    principal = iam.Principal(USER_DAN, "", None, [("identity-based policy", own)], {"aws:PrincipalArn": USER_DAN})
    backend = SimpleNamespace(get_role_by_arn=lambda arn: trusting(trusted))
    context = {"aws:PrincipalAccount": ACCOUNT}
    denied = iam.assume_role_denied(principal, {"RoleArn": ROLE_ARN, "RoleSessionName": "s", **form}, backend, context)
    assert (denied is None) == allowed
    if denied is not None:
        assert (denied.code, denied.status) == ("AccessDenied", 403)
        assert denied.message.startswith(f"User: {USER_DAN} is not authorized to perform: sts:")
