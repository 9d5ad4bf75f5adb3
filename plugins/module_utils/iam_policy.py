# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The organizer's least-privilege IAM policy: exactly the calls the playbooks make, on the event's resources.

Resource types and condition keys are those of AWS's Service Authorization Reference ("Actions,
resources, and condition keys for Amazon SageMaker AI", and the pages for DynamoDB and IAM); docs/IAM.md
explains every statement. The playbooks' calls and the policy are kept equal by
tests/integration/playbooks/test_iam_policy.py, which runs a whole event on the emulator.
"""

from __future__ import annotations

import re

from ansible_collections.hackathon.studio.plugins.module_utils.lifecycle import config_prefix
from ansible_collections.hackathon.studio.plugins.module_utils.roster import PRIVATE_SPACE_SUFFIX, TEAM_SPACE_PREFIX

EVENT_TAG = "hackathon:event"
TAG_KEYS = [EVENT_TAG]  # every tag key the project sets on what it creates

# The Studio resources the event creates, and the call that creates each. The Service Authorization
# Reference lists sagemaker:AddTags as a dependent action of each (its Tags are authorized as AddTags,
# with sagemaker:TaggingAction set to the creating call), and iam:PassRole of CreateUserProfile.
CREATE_CALLS = {"user-profile": "CreateUserProfile", "space": "CreateSpace", "app": "CreateApp"}

# What the playbooks do with the event's own resources, by resource type (all of them need the resource
# to carry the event's tag). ListTags proves a resource the event's before setup touches it.
# An app a participant starts from Studio carries no tag (Studio sets none, and a space's tag cannot be
# matched on its apps), yet teardown and reap must stop it: apps are read and deleted by the ARN of the
# event's spaces' names (APPS_IN_EVENT_SPACES), the modules proving the space the event's first.
EVENT_RESOURCE_ACTIONS = {
    "user-profile": ["DeleteUserProfile", "ListTags", "CreatePresignedDomainUrl"],
    # setup reads a space's idle timeout (DescribeSpace) and changes it in place (UpdateSpace)
    "space": ["DescribeSpace", "UpdateSpace", "DeleteSpace", "ListTags"],
    "app": ["ListTags"],
}
APPS_IN_EVENT_SPACES = ["DescribeApp", "DeleteApp"]
SPACE_NAME_PATTERNS = (f"{TEAM_SPACE_PREFIX}*", f"*{PRIVATE_SPACE_SUFFIX}")
# With an execution role, studio_user_profile reads and updates a profile's UserSettings.ExecutionRole.
EXECUTION_ROLE_ACTIONS = ["DescribeUserProfile", "UpdateUserProfile"]
# What the modules do with the event's registry items (module_utils/registry.py, access_codes.py): read
# them, write and delete them in batches, issue a code with a conditional put, revoke one with an update.
REGISTRY_ITEM_ACTIONS = ["Query", "BatchWriteItem", "PutItem", "UpdateItem"]
# What the portal does with them (src/hackathon_studio/portal/store.py): reads the configuration (Query),
# a participant and their code (GetItem), counts attempts (UpdateItem) and records each login (PutItem).
PORTAL_ITEM_ACTIONS = ["Query", "GetItem", "UpdateItem", "PutItem"]
# The Service Authorization Reference gives these no resource type: "*" is the only resource they take.
# Setup and teardown list the Studio lifecycle configurations to find the event's (lifecycle_configs.py).
LIST_ACTIONS = ["ListUserProfiles", "ListSpaces", "ListApps", "ListStudioLifecycleConfigs"]
# The event's material (issue 15). Its lifecycle configurations are named hackathon-<event>-<hash>
# (module_utils/lifecycle.py): created with the event's tag, their tags read to prove them the event's
# (any of that name, or a foreign one would deny the read), deleted only with the event's tag. The user
# profiles get them attached (and the image) with Describe/UpdateUserProfile; the image (a domain's
# "image", "image_app_config") is only read, by preflight and studio_space.
LIFECYCLE_CREATE = "CreateStudioLifecycleConfig"

# Team isolation (module_utils/isolation.py): what studio_iam_role calls on the event's team roles.
# Reading comes first, before a role exists (NoSuchEntity, not AccessDenied, tells the module to create
# it), so it cannot require the event's tag; changing and deleting a role require it. The roles' tag
# keys: the event and the team.
ROLE_READ_ACTIONS = ["GetRole", "GetRolePolicy", "ListRolePolicies"]
ROLE_CHANGE_ACTIONS = ["PutRolePolicy", "DeleteRolePolicy", "DeleteRole", "UpdateAssumeRolePolicy", "UpdateRole"]
ROLE_TAG_KEYS = [EVENT_TAG, "hackathon:team"]

# IAM actions an API call needs besides its own, as the project makes the call (always with Tags).
DEPENDENT_ACTIONS = {
    **{f"sagemaker:{call}": ["sagemaker:AddTags"] for call in (*CREATE_CALLS.values(), "CreateStudioLifecycleConfig")},
    "dynamodb:CreateTable": ["dynamodb:TagResource"],
    "iam:CreateRole": ["iam:TagRole"],
}
# With an execution role (team isolation), a profile's role is passed to SageMaker: the reference lists
# iam:PassRole as a dependent action of CreateUserProfile and UpdateUserProfile.
ROLE_PASSING_CALLS = ("sagemaker:CreateUserProfile", "sagemaker:UpdateUserProfile")

EVENT_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
DOMAIN_ID_PATTERN = re.compile(r"^d-(-*[a-z0-9]){1,61}$")
REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
ACCOUNT_PATTERN = re.compile(r"^(\d{12}|\*)$")
IMAGE_PATTERN = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")  # ImageName / AppImageConfigName (model)
TABLE_PATTERN = re.compile(r"^[a-zA-Z0-9_.-]{3,255}$")
SENDER_PATTERN = re.compile(r"^[A-Za-z0-9.!#$%&'+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
ROLE_PATH_PATTERN = re.compile(r"^/(?:[\x21-\x7e]+/)?$")  # CreateRole's Path in botocore's model
ROLE_PATTERN = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")


def partition(region: str) -> str:
    """The ARN partition of a region: aws, aws-cn (China) or aws-us-gov (GovCloud)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _check(value, pattern: re.Pattern, what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(f"{what} {value!r} is not valid")
    return value


def _statement(sid: str, actions, resources, condition=None) -> dict:
    statement = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


def _request_tags(event: str, tagging_actions=None) -> dict:
    """Only the event's tag, with the event's value: nothing created can claim another event or carry more.
    With ``tagging_actions``, tags only as part of those creating calls, never on an existing resource."""
    equals = {f"aws:RequestTag/{EVENT_TAG}": event}
    if tagging_actions:
        equals["sagemaker:TaggingAction"] = tagging_actions
    return {"StringEquals": equals, "ForAllValues:StringEquals": {"aws:TagKeys": TAG_KEYS}}


def organizer_policy(event: str, domains, account: str = "*", execution_roles=()):
    """The IAM policy document (a dict) an organizer needs to run the event in ``domains``.

    ``domains``: dicts with ``region``, ``domain_id``, ``registry_table`` and ``delete_registry``
    (whether teardown deletes that table, every event's items in it), one per inventory host, and
    ``iam_path`` when the event isolates teams (``studio_isolation``): the path of its team roles.
    ``account``: the 12-digit account id, or ``*`` when it is not known (the domain ids still narrow
    every Studio ARN to the event's domains). ``execution_roles``: role ARNs given to user profiles
    (then, and only then, iam:PassRole on exactly those, to SageMaker).
    """
    _check(event, EVENT_PATTERN, "event name")
    _check(account, ACCOUNT_PATTERN, "account id (12 digits, or *)")
    if not domains:
        raise ValueError("no domain: the inventory has no host with a studio_domain_id")
    arns, tables, deleted_tables = _resource_arns(domains, account, event)
    material = any(d.get("lifecycle_config") or d.get("image") for d in domains)
    roles = sorted({_check(role, ROLE_PATTERN, "execution role ARN") for role in execution_roles})
    paths = sorted({_check(d["iam_path"], ROLE_PATH_PATTERN, "IAM path") for d in domains if d.get("iam_path")})
    team_roles = [
        f"arn:{partition(d['region'])}:iam::{account}:role{d['iam_path']}*" for d in domains if d.get("iam_path")
    ]
    statements = _studio_statements(event, arns, roles, bool(paths) or material) + _material_statements(event, arns)
    statements += _registry_statements(event, tables, deleted_tables)
    if paths:
        statements += _team_role_statements(event, sorted(set(team_roles)))
    return {"Version": "2012-10-17", "Statement": statements}


def portal_policy(event: str, domains, account: str = "*"):
    """The IAM policy document the participant portal needs for the event in ``domains`` (as
    ``organizer_policy`` takes them): presigned URLs of the event's user profiles, and the event's
    registry items (its configuration, participants and codes read; rate limits and audit written).
    A domain with an ``email_sender`` (email mode) adds ses:SendEmail from that identity only."""
    _check(event, EVENT_PATTERN, "event name")
    _check(account, ACCOUNT_PATTERN, "account id (12 digits, or *)")
    if not domains:
        raise ValueError("no domain: the inventory has no host with a studio_domain_id")
    arns, tables, _deleted = _resource_arns(domains, account, event)
    statements = [
        _statement(
            "PresignedUrlsOfTheEventsUserProfiles",
            ["sagemaker:CreatePresignedDomainUrl"],
            arns["user-profile"],
            {"StringEquals": {f"aws:ResourceTag/{EVENT_TAG}": event}},
        ),
        _statement(
            "OnlyTheEventsRegistryItems",
            [f"dynamodb:{a}" for a in PORTAL_ITEM_ACTIONS],
            tables,
            {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [event]}},
        ),
    ]
    senders = _sender_identities(domains, account)
    if senders:
        # The identity's ARN as resource, and the From address as condition: no other sender, even one
        # of the same verified domain.
        statements.append(
            _statement(
                "EmailCodesFromTheEventsSender",
                ["ses:SendEmail"],
                sorted(senders),
                {"StringEquals": {"ses:FromAddress": sorted(set(senders.values()))}},
            )
        )
    return {"Version": "2012-10-17", "Statement": statements}


def _sender_identities(domains, account: str) -> dict:
    """SES identity ARN -> the sender address, for each domain that emails codes (``email_sender``)."""
    senders = {}
    for domain in domains:
        if domain.get("email_sender"):
            sender = _check(domain["email_sender"], SENDER_PATTERN, "email sender")
            region = _check(domain.get("region"), REGION_PATTERN, "region")
            senders[f"arn:{partition(region)}:ses:{region}:{account}:identity/{sender}"] = sender
    return senders


def _resource_arns(domains, account: str, event: str) -> tuple:
    """The ARNs of the domains, of their profiles, spaces and apps, of the registry tables, and of the
    tables teardown deletes."""
    arns = {kind: [] for kind in ("domain", *CREATE_CALLS, "event-space-app", "lifecycle-config", "image")}
    tables, deleted_tables = [], []
    for domain in domains:
        region = _check(domain.get("region"), REGION_PATTERN, "region")
        domain_id = _check(domain.get("domain_id"), DOMAIN_ID_PATTERN, "Studio domain id")
        table = _check(domain.get("registry_table"), TABLE_PATTERN, "registry table name")
        prefix = f"arn:{partition(region)}:sagemaker:{region}:{account}"
        arns["domain"].append(f"{prefix}:domain/{domain_id}")
        for kind in CREATE_CALLS:
            arns[kind].append(f"{prefix}:{kind}/{domain_id}/*")
        arns["event-space-app"] += [f"{prefix}:app/{domain_id}/{space}/*" for space in SPACE_NAME_PATTERNS]
        arns["lifecycle-config"].append(f"{prefix}:studio-lifecycle-config/{config_prefix(event)}-*")
        if domain.get("image"):
            image = _check(domain["image"], IMAGE_PATTERN, "SageMaker image name")
            config = _check(domain.get("image_app_config") or image, IMAGE_PATTERN, "app image config name")
            arns["image"] += [f"{prefix}:image/{image}", f"{prefix}:image-version/{image}/*"]
            arns["image"].append(f"{prefix}:app-image-config/{config}")
        tables.append(f"arn:{partition(region)}:dynamodb:{region}:{account}:table/{table}")
        if domain.get("delete_registry"):
            deleted_tables.append(tables[-1])
    arns = {kind: sorted(set(values)) for kind, values in arns.items()}
    return arns, sorted(set(tables)), sorted(set(deleted_tables))


def _studio_statements(event: str, arns: dict, roles: list, profile_settings: bool) -> list:
    """``profile_settings``: setup reads and updates the profiles' settings (team roles, material)."""
    studio = [arn for kind in CREATE_CALLS for arn in arns[kind]]
    event_resource = {"StringEquals": {f"aws:ResourceTag/{EVENT_TAG}": event}}

    profile_actions = EVENT_RESOURCE_ACTIONS["user-profile"] + (
        EXECUTION_ROLE_ACTIONS if roles or profile_settings else []
    )
    statements = [
        _statement("ReadTheDomains", ["sagemaker:DescribeDomain"], arns["domain"]),
        _statement("ListStudioResources", [f"sagemaker:{a}" for a in LIST_ACTIONS], "*"),
        # Confirms the registry's records of the event's resources in bulk (module_utils/_studio/domain.py,
        # Domain.confirm); the Service Authorization Reference gives tag:GetResources no resource type.
        _statement("FindTheEventsTaggedResources", ["tag:GetResources"], "*"),
        # Preflight reads Studio's quotas (studio_quota_info); the Service Authorization Reference gives
        # servicequotas:ListServiceQuotas no resource type. Without it, quotas not set are not checked.
        _statement("ReadStudioQuotas", ["servicequotas:ListServiceQuotas"], "*"),
        # status prices the event's app-hours from the Price List API (prices.py); the Service
        # Authorization Reference gives pricing:GetProducts no resource type. Without it, a snapshot.
        _statement("ReadStudioPrices", ["pricing:GetProducts"], "*"),
        _statement(
            "CreateOnlyWithTheEventTag",
            [f"sagemaker:{call}" for call in CREATE_CALLS.values()],
            studio,
            _request_tags(event),
        ),
        _statement(
            "TagOnlyWhileCreating",
            ["sagemaker:AddTags"],
            studio,
            _request_tags(event, tagging_actions=sorted(CREATE_CALLS.values())),
        ),
        _statement(
            "UserProfilesOfTheEvent",
            [f"sagemaker:{a}" for a in profile_actions],
            arns["user-profile"],
            event_resource,
        ),
        _statement(
            "SpacesOfTheEvent",
            [f"sagemaker:{a}" for a in EVENT_RESOURCE_ACTIONS["space"]],
            arns["space"],
            event_resource,
        ),
        _statement(
            "AppsOfTheEvent", [f"sagemaker:{a}" for a in EVENT_RESOURCE_ACTIONS["app"]], arns["app"], event_resource
        ),
        _statement("AppsInTheEventsSpaces", [f"sagemaker:{a}" for a in APPS_IN_EVENT_SPACES], arns["event-space-app"]),
    ]
    if roles:
        statements.append(
            _statement(
                "PassOnlyTheExecutionRolesToSageMaker",
                ["iam:PassRole"],
                roles,
                {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
            )
        )
    return statements


def _material_statements(event: str, arns: dict) -> list:
    """The event's lifecycle configurations (always: setup and teardown delete those of an earlier run),
    and its image, read (when a domain has one)."""
    configs = arns["lifecycle-config"]
    statements = [
        _statement(
            "CreateLifecycleConfigsWithTheEventTag", [f"sagemaker:{LIFECYCLE_CREATE}"], configs, _request_tags(event)
        ),
        _statement(
            "TagLifecycleConfigsOnlyWhileCreating",
            ["sagemaker:AddTags"],
            configs,
            _request_tags(event, tagging_actions=[LIFECYCLE_CREATE]),
        ),
        _statement("ReadTheTagsOfTheEventsLifecycleConfigs", ["sagemaker:ListTags"], configs),
        _statement(
            "DeleteTheEventsLifecycleConfigs",
            ["sagemaker:DeleteStudioLifecycleConfig"],
            configs,
            {"StringEquals": {f"aws:ResourceTag/{EVENT_TAG}": event}},
        ),
    ]
    if arns["image"]:
        images = sorted(set(arns["image"]))
        actions = ["sagemaker:DescribeImage", "sagemaker:DescribeImageVersion", "sagemaker:DescribeAppImageConfig"]
        statements.append(_statement("ReadTheEventsImage", actions, images))
    return statements


def _team_role_statements(event: str, team_roles: list) -> list:
    """Create, read, change and delete the event's team roles (under its IAM path), and pass them to SageMaker."""
    return [
        _statement(
            "CreateTeamRolesTaggedWithTheEvent",
            ["iam:CreateRole", "iam:TagRole"],
            team_roles,
            {
                "StringEquals": {f"aws:RequestTag/{EVENT_TAG}": event},
                "ForAllValues:StringEquals": {"aws:TagKeys": ROLE_TAG_KEYS},
            },
        ),
        # Teardown lists the event's path; the Service Authorization Reference gives iam:ListRoles no
        # resource type.
        _statement("ListRoles", ["iam:ListRoles"], "*"),
        _statement("ReadTheTeamRoles", [f"iam:{a}" for a in ROLE_READ_ACTIONS], team_roles),
        _statement(
            "ChangeOnlyTheEventsTeamRoles",
            [f"iam:{a}" for a in ROLE_CHANGE_ACTIONS],
            team_roles,
            {"StringEquals": {f"aws:ResourceTag/{EVENT_TAG}": event}},
        ),
        _statement(
            "PassTheTeamRolesToSageMaker",
            ["iam:PassRole"],
            team_roles,
            {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        ),
    ]


def _registry_statements(event: str, tables: list, deleted_tables: list) -> list:
    return [
        _statement("ReadTheRegistryTable", ["dynamodb:DescribeTable"], tables),
        _statement(
            "CreateTheRegistryTaggedWithTheEvent",
            ["dynamodb:CreateTable", "dynamodb:TagResource"],
            tables,
            _request_tags(event),
        ),
        # Only where teardown is set to delete the table, which holds every event's items.
        *([_statement("DeleteTheRegistryTable", ["dynamodb:DeleteTable"], deleted_tables)] if deleted_tables else []),
        # The registry's partition key is the event name (module_utils/registry.py): only its items.
        _statement(
            "OnlyTheEventsRegistryItems",
            [f"dynamodb:{a}" for a in REGISTRY_ITEM_ACTIONS],
            tables,
            {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [event]}},
        ),
    ]


def allowed_actions(policy: dict) -> set:
    """Every action a policy document names (no wildcards are expected in ours)."""
    actions = set()
    for statement in policy["Statement"]:
        names = statement["Action"]
        actions.update([names] if isinstance(names, str) else names)
    return actions


def needed_actions(calls, execution_roles: bool = False) -> set:
    """The IAM actions a set of API calls (``sagemaker:CreateSpace``, ...) needs, dependent ones included:
    with ``execution_roles``, iam:PassRole for the calls that give a profile its role."""
    needed = {needed for call in calls for needed in [call, *DEPENDENT_ACTIONS.get(call, [])]}
    if execution_roles and needed & set(ROLE_PASSING_CALLS):
        needed.add("iam:PassRole")
    return needed
