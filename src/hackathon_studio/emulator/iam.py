"""Who signed a request, and what IAM authorizes it on: the emulator's side of ``enforce_iam``.

- ``sagemaker_resource``: the ARN a SageMaker action is authorized on (and AWS names in AccessDenied);
  deny_actions (faults.py) names the same one.
- ``Identities``: a request's principal from its access key: a session moto's STS issued for an
  assumed role, or an IAM user's key; any other key is the account's root (everything allowed).
  moto drops AssumeRole's SourceIdentity and session Tags; the emulator keeps them itself.
- ``request_context``: the condition keys the Service Authorization Reference gives each action
  (ACTION_KEYS; tests/unit/test_emulator_iam_policy.py checks them against parliament's copy).
- ``access_denied``: AWS's AccessDeniedException, in the current message form of the IAM User
  Guide, "Troubleshoot access denied error messages".
- ``iam_checks``, ``dynamodb_checks``, ``assume_role_denied``: the same for the IAM, DynamoDB and
  STS AssumeRole requests the emulator forwards to moto (the role's or table's ARN, tags,
  dynamodb:LeadingKeys; the role's trust policy).
"""

from __future__ import annotations

import datetime
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field

from . import auth, iam_policy
from .errors import ApiError

IDENTITY = "identity-based policy"
BOUNDARY = "permissions boundary"
SESSION = "session policy"
_ARTICLE = {IDENTITY: "an", BOUNDARY: "a", SESSION: "a"}

EXPIRED = ApiError("ExpiredTokenException", "The security token included in the request is expired")

# The request condition keys each SageMaker action has in the Service Authorization Reference
# (docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html). An action
# missing here has none beyond the resource's tags and the global keys. sagemaker:DomainId is given
# to none of the project's actions.
ACTION_KEYS = {
    "CreateUserProfile": ("request_tags", "sagemaker:InstanceTypes"),
    "UpdateUserProfile": ("sagemaker:InstanceTypes",),
    "CreateSpace": ("request_tags", "sagemaker:InstanceTypes", "space_owner"),
    "UpdateSpace": ("sagemaker:InstanceTypes", "space_owner"),
    "DeleteSpace": ("space_owner",),
    "CreateApp": ("request_tags", "sagemaker:InstanceTypes", "space_owner"),
    "DeleteApp": ("space_owner",),
    "AddTags": ("request_tags",),
    "DeleteTags": ("aws:TagKeys",),
}


# The dependent actions the reference lists for the project's actions, and when AWS checks them: a
# create call's Tags are authorized as sagemaker:AddTags on the new resource, with
# sagemaker:TaggingAction the creating call; a user profile's execution role needs iam:PassRole.
DEPENDENT_ACTIONS = {
    "CreateUserProfile": ("sagemaker:AddTags", "iam:PassRole"),
    "CreateSpace": ("sagemaker:AddTags",),
    "CreateApp": ("sagemaker:AddTags",),
}


def sagemaker_resource(operation: str, p: dict, region: str, account: str) -> str:
    """The ARN IAM authorizes ``operation`` on, as AWS names it in AccessDenied messages.

    Recorded on AWS (aws/amazon-sagemaker-feedback#88): "... is not authorized to perform:
    sagemaker:AddTags on resource: arn:aws:sagemaker:us-east-1:<account>:space/d-.../LLM-Project";
    apps as arn:...:app/<domain>/<owner>/<type>/<name> (aws-samples/amazon-sagemaker-studio-vpc-blog#5).
    List* actions have no resource type in the Service Authorization Reference; which ARN AWS prints
    for them is undocumented, so the emulator names the account's wildcard.
    """
    prefix = f"arn:aws:sagemaker:{region}:{account}"
    domain = p.get("DomainId")
    if isinstance(p.get("ResourceArn"), str):  # ListTags, AddTags, DeleteTags
        return p["ResourceArn"]
    if operation.startswith("List") or not isinstance(domain, str):
        return f"{prefix}:*"
    if p.get("AppName") and p.get("AppType"):
        owner = p.get("SpaceName") or p.get("UserProfileName")
        return f"{prefix}:app/{domain}/{owner}/{str(p['AppType']).lower()}/{p['AppName']}"
    if p.get("UserProfileName") and (operation == "CreatePresignedDomainUrl" or not p.get("SpaceName")):
        return f"{prefix}:user-profile/{domain}/{p['UserProfileName']}"
    if p.get("SpaceName"):
        return f"{prefix}:space/{domain}/{p['SpaceName']}"
    return f"{prefix}:domain/{domain}"


# The project's actions with no resource type in the reference: "you must specify all resources ("*")".
NO_RESOURCE_TYPE = frozenset({"ListDomains", "ListUserProfiles", "ListSpaces", "ListApps"})


def authorized_resource(operation: str, arn: str) -> str:
    """The resource the policies are matched against: "*" for an action with no resource type."""
    return "*" if operation in NO_RESOURCE_TYPE else arn


# ----- principals ---------------------------------------------------------------------------------
@dataclass
class Principal:
    arn: str  # as AccessDenied names it: the assumed-role session's or the user's ARN
    secret: str
    token: str | None  # a session's token, which the request must carry
    policy_sets: list  # [(kind, [policy documents])]: identity-based, boundary, session
    context: dict = field(default_factory=dict)  # the principal's global condition keys
    expires: datetime.datetime | None = None


def _tags(tag_list) -> dict:
    return {t["Key"]: t["Value"] for t in tag_list or []}


def _json_tags(p: dict) -> dict:
    """A JSON request's Tags ([{"Key": ..., "Value": ...}]) as a dict; malformed entries left out."""
    tags = p.get("Tags") if isinstance(p.get("Tags"), list) else []
    return {t["Key"]: t.get("Value", "") for t in tags if isinstance(t, dict) and isinstance(t.get("Key"), str)}


def _request_tag_keys(tags: dict) -> dict:
    """aws:RequestTag/<key> for each tag a request sets, and aws:TagKeys (absent when it sets none)."""
    return {**{f"aws:RequestTag/{k}": v for k, v in tags.items()}, "aws:TagKeys": list(tags) or None}


def query_form(body: bytes) -> dict:
    """A query-protocol request's parameters (STS, IAM): ``Tags.member.1.Key`` and the like, flat."""
    return dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))


def _query_list(form: dict, name: str) -> list[str]:
    """A query-protocol list: ``<name>.member.1``, ``<name>.member.2``, ..."""
    found, n = [], 1
    while f"{name}.member.{n}" in form:
        found.append(form[f"{name}.member.{n}"])
        n += 1
    return found


def _query_tags(form: dict) -> dict:
    tags, n = {}, 1
    while f"Tags.member.{n}.Key" in form:
        tags[form[f"Tags.member.{n}.Key"]] = form.get(f"Tags.member.{n}.Value", "")
        n += 1
    return tags


def _document(policy) -> str:
    return next(v.document for v in policy.versions if v.is_default)


def _attached(entity) -> list:
    """The inline and managed policy documents of a moto role, user or group."""
    return list(entity.policies.values()) + [_document(p) for p in entity.managed_policies.values()]


def _boundary(iam_backend, arn: str | None) -> list[tuple[str, list]]:
    if not arn:
        return []
    policy = iam_backend.managed_policies.get(arn)
    return [(BOUNDARY, [_document(policy)] if policy else [])]


class Identities:
    """The principals behind access keys, from moto's IAM and STS, and what moto forgets of a session."""

    def __init__(self, account: str):
        self.account = account
        self._lock = threading.Lock()
        self._sessions: dict[str, dict] = {}  # access key id -> SourceIdentity and session tags

    def reset(self) -> None:
        with self._lock:
            self._sessions.clear()

    def remember_session(self, request_body: bytes, access_key: str) -> None:
        """Keep an AssumeRole request's SourceIdentity and session Tags for the session it started."""
        form = query_form(request_body)
        with self._lock:
            self._sessions[access_key] = {"source_identity": form.get("SourceIdentity"), "tags": _query_tags(form)}

    def principal(self, access_key: str) -> Principal | None:
        """The IAM principal of ``access_key``, or None for a key IAM did not issue (the root).

        An inactive user key is refused as AWS refuses an unknown one."""
        from moto.iam.models import iam_backends
        from moto.sts.models import sts_backends

        iam_backend = iam_backends[self.account]["aws"]
        session = sts_backends[self.account]["aws"].get_assumed_role_from_access_key(access_key)
        if session is not None:
            return self._session_principal(iam_backend, session)
        user = iam_backend.get_user_from_access_key_id(access_key)
        if user is None:
            return None
        [key] = [k for k in user.access_keys if k.access_key_id == access_key]
        if key.status != "Active":
            raise auth.UNKNOWN_KEY
        groups = iam_backend.get_groups_for_user(user.name)
        policies = _attached(user) + [doc for group in groups for doc in _attached(group)]
        tags = _tags(iam_backend.tagger.list_tags_for_resource(user.arn)["Tags"])
        context = {
            "aws:PrincipalArn": user.arn,
            "aws:PrincipalType": "User",
            "aws:userid": user.id,
            "aws:username": user.name,
            **{f"aws:PrincipalTag/{k}": v for k, v in tags.items()},
        }
        boundary = _boundary(iam_backend, getattr(user, "permissions_boundary_arn", None))
        return Principal(user.arn, key.secret_access_key, None, [(IDENTITY, policies), *boundary], context)

    def _session_principal(self, iam_backend, session) -> Principal:
        try:
            role = iam_backend.get_role_by_arn(session.role_arn)
        except Exception:  # moto's IAMNotFoundException: a session of a role since deleted
            role = None
        with self._lock:
            kept = self._sessions.get(session.access_key_id, {})
        # Session tags win over the role's tags of the same key (IAM User Guide, "Passing session tags in STS").
        tags = {**_tags(role.tags if role else []), **kept.get("tags", {})}
        context = {
            "aws:PrincipalArn": session.role_arn,
            "aws:PrincipalType": "AssumedRole",
            "aws:userid": f"{role.id if role else 'AROA'}:{session.session_name}",
            "aws:SourceIdentity": kept.get("source_identity"),
            **{f"aws:PrincipalTag/{k}": v for k, v in tags.items()},
        }
        policy_sets = [(IDENTITY, _attached(role) if role else [])]
        if role is not None:
            policy_sets += _boundary(iam_backend, role.permissions_boundary_arn)
        if session.policy:
            policy_sets.append((SESSION, [session.policy]))
        expires = session.expiration.replace(tzinfo=datetime.UTC)
        return Principal(session.arn, session.secret_access_key, session.session_token, policy_sets, context, expires)


# ----- the request context ------------------------------------------------------------------------
def _instance_types(value) -> list[str]:
    """Every InstanceType anywhere in a request (ResourceSpec, the settings' DefaultResourceSpec)."""
    if isinstance(value, dict):
        found = [value["InstanceType"]] if isinstance(value.get("InstanceType"), str) else []
        return found + [t for k, v in value.items() if k != "InstanceType" for t in _instance_types(v)]
    if isinstance(value, list):
        return [t for v in value for t in _instance_types(v)]
    return []


def _space_keys(studio, operation: str, p: dict) -> dict:
    """sagemaker:OwnerUserProfileArn and sagemaker:SpaceSharingType: of the request for CreateSpace,
    else of the existing space the request names (none for an app of a user profile)."""
    if operation == "CreateSpace":
        attrs = p
    else:
        space = studio.spaces.get((p.get("DomainId"), p.get("SpaceName")))
        attrs = space.attrs if space else {}
    owner = (attrs.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
    sharing = (attrs.get("SpaceSharingSettings") or {}).get("SharingType")
    arn = f"arn:aws:sagemaker:{studio.region}:{studio.account_id}:user-profile/{p.get('DomainId')}/{owner}"
    return {"sagemaker:OwnerUserProfileArn": arn if owner else None, "sagemaker:SpaceSharingType": sharing}


def global_context(principal: Principal, account: str, region: str, peer: str) -> dict:
    """The principal's keys and the global ones every request has."""
    now = datetime.datetime.now(datetime.UTC)
    return {
        **principal.context,
        "aws:PrincipalAccount": account,
        "aws:SourceIp": peer,
        "aws:CurrentTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "aws:EpochTime": str(int(now.timestamp())),
        "aws:SecureTransport": False,  # the emulator speaks plain HTTP
        "aws:RequestedRegion": region,
    }


def request_context(studio, operation: str, p: dict, resource: str, principal: Principal, peer: str) -> dict:
    """The request context of a SageMaker request: the principal's keys, the global ones, the target's
    tags (if it exists: a resource being created has none, and an app does not borrow its space's),
    and the keys ACTION_KEYS gives the action."""
    context = global_context(principal, studio.account_id, studio.region, peer)
    target = studio.by_arn.get(resource)
    for key, value in (target.tags if target else {}).items():
        context[f"aws:ResourceTag/{key}"] = context[f"sagemaker:ResourceTag/{key}"] = value
    keys = ACTION_KEYS.get(operation, ())
    if "request_tags" in keys:
        context.update(_request_tag_keys(_json_tags(p)))
    if "aws:TagKeys" in keys:
        context["aws:TagKeys"] = [k for k in p.get("TagKeys") or [] if isinstance(k, str)] or None
    if "sagemaker:InstanceTypes" in keys:
        context["sagemaker:InstanceTypes"] = _instance_types(p) or None
    if "space_owner" in keys and p.get("SpaceName"):
        context.update(_space_keys(studio, operation, p))
    return context


def checks(operation: str, p: dict, resource: str) -> list[tuple[str, str, dict]]:
    """(action, resource, extra context) that IAM authorizes for a SageMaker request: the action
    itself, then those of its dependent actions the request calls for."""
    found = [(f"sagemaker:{operation}", resource, {})]
    dependent = DEPENDENT_ACTIONS.get(operation, ())
    if "sagemaker:AddTags" in dependent and p.get("Tags"):
        found.append(("sagemaker:AddTags", resource, {"sagemaker:TaggingAction": operation}))
    role = (p.get("UserSettings") or {}).get("ExecutionRole") if isinstance(p.get("UserSettings"), dict) else None
    if "iam:PassRole" in dependent and isinstance(role, str):
        found.append(("iam:PassRole", role, {"iam:PassedToService": "sagemaker.amazonaws.com"}))
    return found


# ----- IAM, which moto answers ---------------------------------------------------------------------
# The IAM actions on a role (resource type role in the Service Authorization Reference,
# list_awsidentityandaccessmanagementiam.html), and the request keys each has beyond the role's tags.
ROLE_ACTIONS = {
    "CreateRole": ("request_tags", "iam:PermissionsBoundary"),
    "TagRole": ("request_tags",),
    "UntagRole": ("aws:TagKeys",),
    "PutRolePolicy": ("iam:PermissionsBoundary",),
    "DeleteRolePolicy": ("iam:PermissionsBoundary",),
    "AttachRolePolicy": ("iam:PermissionsBoundary", "iam:PolicyARN"),
    "DetachRolePolicy": ("iam:PermissionsBoundary", "iam:PolicyARN"),
    **{
        name: ()
        for name in (
            "GetRole GetRolePolicy ListRolePolicies DeleteRole UpdateRole UpdateRoleDescription "
            "UpdateAssumeRolePolicy ListRoleTags ListAttachedRolePolicies"
        ).split()
    },
}


def _role(iam_backend, name: str):
    """moto's role ``name``, or None."""
    try:
        return iam_backend.get_role(name)
    except Exception:  # moto's IAMNotFoundException
        return None


def iam_checks(operation: str, form: dict, iam_backend, account: str) -> list[tuple[str, str, str, dict]]:
    """(action, resource named in AccessDenied, resource matched, request keys) IAM authorizes for an IAM
    request. A role's ARN carries its path: the existing role's, or for CreateRole the request's.

    A role that does not exist has no tags and no path AWS could know: it is matched as
    arn:aws:iam::<account>:role/<name>. AccessDenied names the ARN for CreateRole
    (serverless-components/backend#10) and "role <name>" for the actions on a role (recorded for
    GetRole, existing or not: aws/chalice#591, aws/aws-cdk#27067; ListRolePolicies:
    hashicorp/terraform-provider-aws#38305; UpdateRole: alphagov/gsp#990). ListRoles has no resource
    type ("*"), and AccessDenied names arn:aws:iam::<account>:role/ for it. Other IAM actions are
    matched on "*" only (stricter than AWS for a policy that names their resource)."""
    action = f"iam:{operation}"
    if operation == "ListRoles":
        return [(action, f"arn:aws:iam::{account}:role/", "*", {})]
    if operation not in ROLE_ACTIONS or not form.get("RoleName"):
        return [(action, "*", "*", {})]
    keys, name = ROLE_ACTIONS[operation], form["RoleName"]
    role = None if operation == "CreateRole" else _role(iam_backend, name)
    path = role.path if role else form.get("Path", "/") if operation == "CreateRole" else "/"
    arn = f"arn:aws:iam::{account}:role{path}{name}"
    context = {}
    for key, value in _tags(role.tags if role else []).items():
        context[f"aws:ResourceTag/{key}"] = context[f"iam:ResourceTag/{key}"] = value
    if "request_tags" in keys:
        context.update(_request_tag_keys(_query_tags(form)))
    if "aws:TagKeys" in keys:
        context["aws:TagKeys"] = _query_list(form, "TagKeys") or None
    if "iam:PermissionsBoundary" in keys:
        boundary = form.get("PermissionsBoundary") if operation == "CreateRole" else None
        context["iam:PermissionsBoundary"] = boundary or (role.permissions_boundary_arn if role else None)
    if "iam:PolicyARN" in keys:
        context["iam:PolicyARN"] = form.get("PolicyArn")
    if operation != "CreateRole":
        return [(action, f"role {name}", arn, context)]
    # Creating a role with tags also needs iam:TagRole (IAM User Guide, "Permissions required for tagging IAM
    # entities"); parliament's copy of the reference lists no dependent action for CreateRole.
    return [(action, arn, arn, context)] + ([("iam:TagRole", arn, arn, context)] if _query_tags(form) else [])


# ----- STS AssumeRole: the role's trust policy -----------------------------------------------------
TRUST = "role trust policy"


def _trusted(element, callers: set, account: str) -> str | None:
    """Whether a trust statement's Principal names the caller itself ("direct", also for "*") or only
    its account ("account": the caller's own policies must allow too), else None. Service and
    federated principals never name an IAM caller."""
    if element == "*":
        return "direct"
    values = element.get("AWS", []) if isinstance(element, dict) else []
    values = [values] if isinstance(values, str) else values
    if "*" in values or callers & set(values):
        return "direct"
    if {account, f"arn:aws:iam::{account}:root"} & set(values):
        return "account"
    return None


def assume_role_denied(principal: Principal, form: dict, iam_backend, context: dict) -> ApiError | None:
    """AccessDenied (query protocol, 403) unless the role's trust policy lets ``principal`` assume it.

    IAM User Guide, "Cross account resource access in IAM" and "Policy evaluation logic": within one
    account, a trust policy naming the caller's ARN is enough; naming the account needs the caller's
    own policies to allow sts:AssumeRole on the role too; an explicit deny in either refuses.
    SourceIdentity needs sts:SetSourceIdentity and session tags sts:TagSession in the trust policy
    (IAM User Guide, "Monitor and control actions taken with assumed roles"; "Passing session tags in
    STS"). A role that does not exist is left to moto."""
    arn = form.get("RoleArn", "")
    try:
        role = iam_backend.get_role_by_arn(arn)
    except Exception:  # moto's IAMNotFoundException
        return None
    try:
        trust = json.loads(role.assume_role_policy_document)
        statements = trust.get("Statement", [])
        statements = [statements] if isinstance(statements, dict) else statements
    except (TypeError, ValueError, AttributeError):
        statements = []
    callers = {principal.arn, principal.context.get("aws:PrincipalArn")}
    by_reach: dict[str, list] = {"direct": [], "account": []}
    for statement in [s for s in statements if isinstance(s, dict)]:
        reach = _trusted(statement.get("Principal"), callers, context.get("aws:PrincipalAccount", ""))
        if reach:
            by_reach[reach].append({k: v for k, v in statement.items() if k != "Principal"} | {"Resource": "*"})
    tags = _query_tags(form)
    context = {
        **context,
        **(_request_tag_keys(tags) if tags else {}),
        "sts:RoleSessionName": form.get("RoleSessionName"),
        "sts:SourceIdentity": form.get("SourceIdentity"),
    }
    actions = ["sts:AssumeRole"] + ["sts:SetSourceIdentity"] * bool(form.get("SourceIdentity"))
    for action in actions + ["sts:TagSession"] * bool(tags):
        everyone = {"Version": "2012-10-17", "Statement": by_reach["direct"] + by_reach["account"]}
        trusted, _ = iam_policy.decide([(TRUST, [everyone])], action, arn, context)
        direct, _ = iam_policy.decide([(TRUST, [{**everyone, "Statement": by_reach["direct"]}])], action, arn, context)
        own, _ = iam_policy.decide(principal.policy_sets, action, arn, context)
        if iam_policy.EXPLICIT_DENY in (trusted, own) or not (
            direct == iam_policy.ALLOW or (trusted == iam_policy.ALLOW and own == iam_policy.ALLOW)
        ):
            return ApiError(
                "AccessDenied", f"User: {principal.arn} is not authorized to perform: {action} on resource: {arn}", 403
            )
    return None


# ----- DynamoDB, which moto answers ---------------------------------------------------------------
# DynamoDB's __type for AccessDeniedException, which is not in its own namespace (recorded on AWS:
# sebdah/dynamic-dynamodb#321, ListTables "on resource: *"). botocore reads the code after the "#".
DYNAMODB_ACCESS_DENIED = "com.amazon.coral.service#AccessDeniedException"
# DynamoDB's actions on items, whose dynamodb:LeadingKeys are the partition key values the request
# touches (Service Authorization Reference, list_amazondynamodb.html; developer guide, "Using IAM
# policy conditions for fine-grained access control"), and where each names its item's key.
ITEM_KEY = {"GetItem": "Key", "DeleteItem": "Key", "UpdateItem": "Key", "PutItem": "Item"}
BATCH_KEY = {"PutRequest": "Item", "DeleteRequest": "Key"}
DYNAMODB_REQUEST_TAGS = ("CreateTable", "TagResource")
# The actions with no resource type in the reference.
DYNAMODB_NO_RESOURCE_TYPE = frozenset({"ListTables", "DescribeLimits", "DescribeEndpoints", "ListBackups"})


def _attribute_value(value) -> str | None:
    """An AttributeValue ({"S": "e1"}) as the string IAM compares, or None for a malformed one."""
    if isinstance(value, dict) and len(value) == 1:
        [(kind, scalar)] = value.items()
        if kind in ("S", "N", "B") and isinstance(scalar, str):
            return scalar
    return None


def _query_partition_value(p: dict, hash_key: str) -> str | None:
    """The partition key value of a Query: the ``<key> = :value`` of its KeyConditionExpression
    (names and values resolved), or its legacy KeyConditions' EQ."""
    expression = p.get("KeyConditionExpression")
    if isinstance(expression, str):
        names = p.get("ExpressionAttributeNames") or {}
        values = p.get("ExpressionAttributeValues") or {}
        for left, right in re.findall(r"([#:]?[\w.-]+)\s*=\s*([#:]?[\w.-]+)", expression):
            for name, value in ((left, right), (right, left)):
                if names.get(name, name) == hash_key and value.startswith(":"):
                    return _attribute_value(values.get(value))
        return None
    condition = (p.get("KeyConditions") or {}).get(hash_key) or {}
    if condition.get("ComparisonOperator") == "EQ" and len(condition.get("AttributeValueList") or []) == 1:
        return _attribute_value(condition["AttributeValueList"][0])
    return None


def _leading_keys(table, items: list) -> list[str] | None:
    """The partition key values of ``items`` (keys or items) in ``table``; None when unknown."""
    if table is None:
        return None
    values = [_attribute_value(item.get(table.hash_key_attr)) if isinstance(item, dict) else None for item in items]
    return None if None in values or not values else values


def dynamodb_checks(operation: str, p: dict, backend, region: str, account: str) -> list[tuple[str, str, str, dict]]:
    """(action, resource named, resource matched, request keys) IAM authorizes for a DynamoDB request:
    one per table it names (BatchWriteItem: each table with all its keys), on the table's ARN, with the
    table's tags, dynamodb:LeadingKeys, and for CreateTable and TagResource the request's tags (CreateTable
    with Tags needs dynamodb:TagResource too). A table that does not exist has no tags and no key schema."""
    action, prefix = f"dynamodb:{operation}", f"arn:aws:dynamodb:{region}:{account}:table/"
    if operation in DYNAMODB_NO_RESOURCE_TYPE:
        return [(action, "*", "*", {})]
    if isinstance(p.get("ResourceArn"), str):  # TagResource, UntagResource, ListTagsOfResource
        tables = {p["ResourceArn"].split(":table/", 1)[-1]: []}
    elif operation in ("BatchWriteItem", "BatchGetItem") and isinstance(p.get("RequestItems"), dict):
        tables = {name: _batch_keys(operation, requests) for name, requests in p["RequestItems"].items()}
    elif isinstance(p.get("TableName"), str):
        item = p.get(ITEM_KEY.get(operation, ""))
        tables = {p["TableName"]: [item] if operation in ITEM_KEY else []}
    else:
        return [(action, "*", "*", {})]
    found = []
    for name, items in tables.items():
        table = backend.tables.get(name)
        arn = f"{prefix}{name}"
        context = {f"aws:ResourceTag/{k}": v for k, v in _tags(table.tags if table else []).items()}
        if operation == "Query" and table is not None:
            value = _query_partition_value(p, table.hash_key_attr)
            context["dynamodb:LeadingKeys"] = [value] if value is not None else None
        elif items:
            context["dynamodb:LeadingKeys"] = _leading_keys(table, items)
        if operation in DYNAMODB_REQUEST_TAGS:
            context.update(_request_tag_keys(_json_tags(p)))
        if operation == "UntagResource":
            context["aws:TagKeys"] = [k for k in p.get("TagKeys") or [] if isinstance(k, str)] or None
        found.append((action, arn, arn, context))
        if operation == "CreateTable" and _json_tags(p):
            found.append(("dynamodb:TagResource", arn, arn, context))
    return found


def _batch_keys(operation: str, requests) -> list:
    """The keys (or items) of a BatchWriteItem's or BatchGetItem's requests for one table."""
    if operation == "BatchGetItem":
        return list((requests or {}).get("Keys") or []) if isinstance(requests, dict) else [None]
    keys = []
    for request in requests if isinstance(requests, list) else [None]:
        kind = next((k for k in BATCH_KEY if isinstance(request, dict) and isinstance(request.get(k), dict)), None)
        keys.append(request[kind].get(BATCH_KEY[kind]) if kind else None)
    return keys


# ----- the decision -------------------------------------------------------------------------------
def access_denied(
    principal: Principal,
    action: str,
    resource: str,
    context: dict,
    operation: str,
    matched: str | None = None,
    error: tuple[str, int] = ("AccessDeniedException", 400),
) -> ApiError | None:
    """AWS's AccessDeniedException for a request ``principal``'s policies do not allow, else None.

    ``resource`` is named in the message; the policies are matched against ``matched`` (by default
    ``resource``, or "*" for a SageMaker action with no resource type). ``error``: the service's code and
    HTTP status (IAM's query protocol answers AccessDenied, 403)."""
    matched = authorized_resource(operation, resource) if matched is None else matched
    decision, kind = iam_policy.decide(principal.policy_sets, action, matched, context)
    if decision == iam_policy.ALLOW:
        return None
    head = f"User: {principal.arn} is not authorized to perform: {action} on resource: {resource}"
    if decision == iam_policy.EXPLICIT_DENY:
        return ApiError(error[0], f"{head} with an explicit deny in {_ARTICLE[kind]} {kind}", error[1])
    return ApiError(error[0], f"{head} because no {kind} allows the {action} action", error[1])
