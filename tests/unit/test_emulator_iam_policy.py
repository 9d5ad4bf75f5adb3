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
