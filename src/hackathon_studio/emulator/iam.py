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
"""

from __future__ import annotations

import datetime
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
        form = dict(urllib.parse.parse_qsl(request_body.decode("utf-8", "replace")))
        tags, n = {}, 1
        while f"Tags.member.{n}.Key" in form:
            tags[form[f"Tags.member.{n}.Key"]] = form.get(f"Tags.member.{n}.Value", "")
            n += 1
        with self._lock:
            self._sessions[access_key] = {"source_identity": form.get("SourceIdentity"), "tags": tags}

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


def request_context(studio, operation: str, p: dict, resource: str, principal: Principal, peer: str) -> dict:
    """The request context of a SageMaker request: the principal's keys, the global ones, the target's
    tags (if it exists: a resource being created has none, and an app does not borrow its space's),
    and the keys ACTION_KEYS gives the action."""
    now = datetime.datetime.now(datetime.UTC)
    context = {
        **principal.context,
        "aws:PrincipalAccount": studio.account_id,
        "aws:SourceIp": peer,
        "aws:CurrentTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "aws:EpochTime": str(int(now.timestamp())),
        "aws:SecureTransport": False,  # the emulator speaks plain HTTP
        "aws:RequestedRegion": studio.region,
    }
    target = studio.by_arn.get(resource)
    for key, value in (target.tags if target else {}).items():
        context[f"aws:ResourceTag/{key}"] = context[f"sagemaker:ResourceTag/{key}"] = value
    keys = ACTION_KEYS.get(operation, ())
    tags = _tags(p.get("Tags") if isinstance(p.get("Tags"), list) else [])
    if "request_tags" in keys:
        context.update({f"aws:RequestTag/{k}": v for k, v in tags.items()})
        context["aws:TagKeys"] = list(tags) or None
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


# ----- the decision -------------------------------------------------------------------------------
def access_denied(principal: Principal, action: str, resource: str, context: dict, operation: str) -> ApiError | None:
    """AWS's AccessDeniedException for a request ``principal``'s policies do not allow, else None."""
    decision, kind = iam_policy.decide(principal.policy_sets, action, authorized_resource(operation, resource), context)
    if decision == iam_policy.ALLOW:
        return None
    head = f"User: {principal.arn} is not authorized to perform: {action} on resource: {resource}"
    if decision == iam_policy.EXPLICIT_DENY:
        return ApiError("AccessDeniedException", f"{head} with an explicit deny in {_ARTICLE[kind]} {kind}")
    return ApiError("AccessDeniedException", f"{head} because no {kind} allows the {action} action")
