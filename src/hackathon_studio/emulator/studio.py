"""The SageMaker Studio control plane: domains, user profiles, spaces, apps, tags and presigned URLs.

Rules follow what AWS does (SageMaker developer guide and API reference); where AWS does not say,
the emulator picks the stricter behaviour so that clients learn to cope with it. Status transitions
happen lazily: each change schedules its next status at a due time, applied before every request.
"""

from __future__ import annotations

import base64
import heapq
import itertools
import json
import random
import secrets
import string
import threading
import time
from dataclasses import dataclass, field

from . import profiles
from .errors import ApiError
from .faults import Faults
from .images import Images, _get
from .tagging import DEFAULT_LAG_SECONDS, TagIndex

# Seconds each transition takes on AWS (observed order of magnitude), multiplied by the time scale.
DURATIONS = {
    ("domain", "create"): 300.0,
    ("domain", "delete"): 120.0,
    ("user_profile", "create"): 5.0,
    ("user_profile", "update"): 5.0,
    ("user_profile", "delete"): 10.0,
    ("space", "create"): 10.0,
    ("space", "update"): 10.0,
    ("space", "delete"): 20.0,
    ("app", "create"): 150.0,
    ("app", "delete"): 90.0,
}
# A deleted app stays listed (status Deleted) this long, as on AWS, before it disappears.
DELETED_APP_RETENTION = 3600.0
SPACE_APP_TYPES = ("JupyterLab", "CodeEditor")
DEFAULT_INSTANCE_TYPE = "ml.t3.medium"
MAX_TAGS = 50
# Recorded for DeleteTags of a CloudFormation tag (aws/sagemaker-python-sdk#1301): ValidationException
# "System prefix 'aws:' reserved for AWS usage in tag key: aws:cloudformation:stack-name". AddTags
# answers the same (stricter: its message is unrecorded).
RESERVED_TAG_MESSAGE = "System prefix 'aws:' reserved for AWS usage in tag key: {key}"
# Statuses in which a resource can still be deleted (a failed one too: AWS's remedy for a Failed or
# Update_Failed profile or space is to delete and recreate it), or updated again.
DELETABLE = ("InService", "Failed", "Update_Failed", "Delete_Failed")
UPDATABLE = ("InService", "Update_Failed")
# Shared spaces are available in Studio Classic and JupyterLab only (developer guide, "Collaboration
# with shared spaces"); AWS's own tracker asks for Code Editor in them (aws/amazon-sagemaker-feedback#215,
# open), and botocore's model has no CodeEditorAppSettings in DefaultSpaceSettings, the domain's
# settings for shared spaces. AWS's message is unrecorded.
_CODE_EDITOR_SHARED = "Space {space}: Code Editor is available in private spaces only; shared spaces run JupyterLab"
FAILURE_REASONS = {
    "Failed": "The creation failed (injected fault).",
    "Update_Failed": "The update failed (injected fault).",
    "Delete_Failed": "The deletion failed (injected fault).",
}
# Idle shutdown ("Idle shutdown" of JupyterLab and Code Editor in the developer guide; IdleSettings in
# botocore's model): an administrator turns it on per app type with LifecycleManagement ENABLED in the
# domain's (or user profile's) settings, and may bound what a space sets with Min/MaxIdleTimeoutInMinutes.
# Whether AWS refuses a space's IdleTimeoutInMinutes while the domain's lifecycle management is not
# ENABLED is undocumented: the emulator refuses it (stricter), so that a client learns to check the
# domain first. Its message is the emulator's.
_IDLE_NOT_ENABLED = (
    "IdleTimeoutInMinutes {timeout} of {app} needs idle shutdown enabled for {app} on the domain "
    "(AppLifecycleManagement.IdleSettings.LifecycleManagement ENABLED in its {where})"
)
GONE = "gone"  # pseudo status: the resource disappears
LIVE_APP = ("Pending", "InService", "Deleting")  # apps that count against quotas and block deletes


@dataclass(eq=False)
class Resource:
    kind: str  # domain | user_profile | space | app
    domain_id: str
    name: str
    arn: str
    status: str
    created: float
    seq: int
    tags: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)  # the settings the resource was created or updated with
    modified: float = 0.0
    key: object = None  # its key in the Studio table of its kind
    next_status: str | None = None
    due: float = 0.0
    # User profiles: what each presigned URL was minted with (never the URL), for /_emulator/state.
    presigned: list = field(default_factory=list)


def _random_id(length: int) -> str:
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=length))


def _encode_token(listing: str, after, empty: bool = False) -> str:
    """A NextToken for the listing ``listing`` (the call and its order), resuming after ``after``."""
    token = {"listing": listing, "after": after, "empty": empty}
    return base64.urlsafe_b64encode(json.dumps(token).encode()).decode()


def _decode_token(token: str, listing: str) -> tuple:
    """``(after, empty)`` of a NextToken, if ``listing`` issued it.

    A token is good only for the call and the sort order that issued it, as on AWS, where a token
    passed to another operation or with another order is refused with a ValidationException (its
    message is unrecorded; this one is the emulator's).
    """
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        issued_for, after, empty = data["listing"], data["after"], bool(data["empty"])
    except (ValueError, TypeError, KeyError):
        raise ApiError(
            "ValidationException", "Invalid pagination token: NextToken is not one this API issued"
        ) from None
    if issued_for != listing:
        raise ApiError(
            "ValidationException",
            f"Invalid pagination token: NextToken was issued for {issued_for}, not for {listing}",
        )
    return after, empty


def _check_quotas(quotas) -> dict:
    """A /_emulator/config ``quotas`` body, checked: ``user_profiles`` and ``spaces`` counts, and
    ``apps``, a map of "<AppType>/<instance type>" (either may be "*") to a count."""
    if not isinstance(quotas, dict) or set(quotas) - {"user_profiles", "spaces", "apps"}:
        raise ValueError('quotas may set "user_profiles", "spaces" and "apps"')
    apps = quotas.get("apps", {})
    if not isinstance(apps, dict) or not all(isinstance(k, str) and k.count("/") == 1 for k in apps):
        raise ValueError('quotas.apps must map "<AppType>/<instance type>" (or "*") to a count, e.g. "*/ml.t3.medium"')
    counts = {**{k: v for k, v in quotas.items() if k != "apps"}, **{f"apps.{k}": v for k, v in apps.items()}}
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"quotas.{key} must be an integer >= 0, got {value!r}")
    return dict(quotas)


def _lifecycle_arns(settings: dict | None) -> set:
    """The lifecycle configurations a settings block names (``<App>AppSettings.LifecycleConfigArns``
    and ``DefaultLifecycleConfigArn`` of its default resource spec)."""
    arns = set()
    for key, value in (settings or {}).items():
        if key.endswith("AppSettings") and isinstance(value, dict):
            arns.update(value.get("LifecycleConfigArns") or [])
            arns.add(_get(value, "DefaultResourceSpec", "LifecycleConfigArn"))
    return arns - {None}


# Where a space's app defaults are: its JupyterLab settings' DefaultResourceSpec (the event's material).
_SPACE_SPEC = ("JupyterLabAppSettings", "DefaultResourceSpec")


def _shared(space_attrs: dict) -> bool:
    """Whether a space is shared. One without sharing settings is a Studio Classic shared space
    (the developer guide's "Collaboration with shared spaces"), so it counts as shared."""
    return (space_attrs.get("SpaceSharingSettings") or {}).get("SharingType") != "Private"


class Studio(Images):
    def __init__(
        self,
        region: str,
        account_id: str,
        domain_id: str,
        time_scale: float,
        faults: Faults,
        profile: str = profiles.DEFAULT_PROFILE,
    ):
        self.region = region
        self.account_id = account_id
        self.initial_domain_id = domain_id
        self.initial_time_scale = time_scale
        self.faults = faults
        self.initial_profile = profile
        self.lock = threading.RLock()
        self.reset()

    # ----- bookkeeping -------------------------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            self.time_scale = self.initial_time_scale
            self.tagging_lag_seconds = DEFAULT_LAG_SECONDS
            self.profile = self.initial_profile
            self._apply_profile()
            self.domains: dict[str, Resource] = {}
            self.profiles: dict[tuple[str, str], Resource] = {}  # (domain, lower-case name)
            self.spaces: dict[tuple[str, str], Resource] = {}
            self.apps: dict[tuple[str, str, str, str, str], Resource] = {}  # (domain, kind, owner, type, name)
            self.by_arn: dict[str, Resource] = {}
            self.lifecycle_configs: dict[str, Resource] = {}  # Studio lifecycle configurations, by name
            self._reset_images()  # custom images and app image configs (images.py)
            self.tag_index = TagIndex()  # what the Resource Groups Tagging API answers from
            self.schedule: list = []
            self.counter = itertools.count(1)
            domain = self._new(
                "domain", self.initial_domain_id, "hackathon-emulator", self.initial_domain_id, "InService"
            )
            role = f"arn:aws:iam::{self.account_id}:role/service-role/AmazonSageMaker-ExecutionRole"
            # Idle shutdown enabled, as an organizer sets up a domain for events (see _IDLE_NOT_ENABLED),
            # with no default timeout: a space's own applies.
            idle = {"AppLifecycleManagement": {"IdleSettings": {"LifecycleManagement": "ENABLED"}}}
            domain.attrs = {
                "AuthMode": "IAM",
                "DefaultUserSettings": {
                    "ExecutionRole": role,
                    "JupyterLabAppSettings": idle,
                    "CodeEditorAppSettings": idle,
                },
                "DefaultSpaceSettings": {"ExecutionRole": role, "JupyterLabAppSettings": idle},
                "AppNetworkAccessType": "PublicInternetOnly",
                "VpcId": "vpc-0emulator0000000",
                "SubnetIds": ["subnet-0emulator0000000"],
            }
            self._store(domain, domain.domain_id)

    def _apply_profile(self) -> None:
        settings = profiles.PROFILES[self.profile]
        self.min_transition_seconds = settings["min_transition_seconds"]
        self.idle_shutdown = settings["idle_shutdown"]
        self.quotas = {**settings["quotas"], "apps": dict(settings["quotas"]["apps"])}

    def configure(self, body: dict) -> None:
        """Apply a /_emulator/config body. Raises ValueError on bad input.

        ``profile`` first applies that profile's quotas and transition floor (and, through the
        server, its faults); the other keys then change single settings.
        """
        keys = {"profile", "time_scale", "quotas", "tagging_lag_seconds", "min_transition_seconds", "idle_shutdown"}
        if not isinstance(body, dict) or set(body) - keys:
            raise ValueError(
                'the body must be {"profile": "aws"|"lenient", "time_scale": f, "quotas": {...}, '
                '"tagging_lag_seconds": s, "min_transition_seconds": s, "idle_shutdown": true|false}'
            )
        if not isinstance(body.get("idle_shutdown", False), bool):
            raise ValueError(f"idle_shutdown must be true or false, got {body['idle_shutdown']!r}")
        profile = body.get("profile", self.profile)
        if profile not in profiles.PROFILES:
            raise ValueError(f"profile must be one of {sorted(profiles.PROFILES)}, got {profile!r}")
        numbers = {}
        for key in ("time_scale", "tagging_lag_seconds", "min_transition_seconds"):
            value = body.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{key} must be a number >= 0, got {value!r}")
            if key in body:
                numbers[key] = float(value)
        quotas = _check_quotas(body.get("quotas", {}))
        with self.lock:
            if "profile" in body:
                self.profile = profile
                self._apply_profile()
            for key, value in numbers.items():
                setattr(self, key, value)
            if "idle_shutdown" in body:
                self.idle_shutdown = body["idle_shutdown"]
            self.quotas["apps"].update(quotas.pop("apps", {}))
            self.quotas.update(quotas)

    def describe_config(self) -> dict:
        with self.lock:
            return {
                "profile": self.profile,
                "time_scale": self.time_scale,
                "min_transition_seconds": self.min_transition_seconds,
                "quotas": {**self.quotas, "apps": dict(self.quotas["apps"])},
                "tagging_lag_seconds": self.tagging_lag_seconds,
                "idle_shutdown": self.idle_shutdown,
            }

    def _arn(self, kind: str, domain_id: str, path: str) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.account_id}:{kind}/{domain_id}{path}"

    def _new(self, kind: str, domain_id: str, name: str, arn_path: str, status: str, tags=None) -> Resource:
        now = time.time()
        arn_kind = {"user_profile": "user-profile"}.get(kind, kind)
        arn = self._arn(arn_kind, domain_id, "" if kind == "domain" else f"/{arn_path}")
        resource = Resource(kind, domain_id, name, arn, status, now, next(self.counter), dict(tags or {}), modified=now)
        self.by_arn[arn] = resource
        self._index(resource, resource.tags, now)
        return resource

    def _transition(self, resource: Resource, status: str, next_status: str | None, step: str) -> None:
        """Set ``status`` now and schedule ``next_status`` after the step's duration."""
        now = time.time()
        resource.status = status
        resource.modified = now
        resource.next_status = next_status
        if next_status is not None:
            resource.due = now + self._duration(DURATIONS[(resource.kind, step)])
            heapq.heappush(self.schedule, (resource.due, resource.seq, resource))

    def _duration(self, aws_seconds: float) -> float:
        """``aws_seconds`` scaled, but never below the profile's floor (nor above AWS's own time)."""
        return max(aws_seconds * self.time_scale, min(self.min_transition_seconds, aws_seconds))

    def advance(self) -> None:
        """Apply every transition that is due, then stop the apps idle for longer than their timeout."""
        now = time.time()
        self._apply_due(now)
        if self.idle_shutdown:
            self._stop_idle_apps(now)

    def _apply_due(self, now: float) -> None:
        while self.schedule and self.schedule[0][0] <= now:
            due, _, resource = heapq.heappop(self.schedule)
            if resource.next_status is None or resource.due != due:
                continue  # superseded by a later change
            target, resource.next_status = resource.next_status, None
            resource.modified = due
            if target == GONE:
                self._remove(resource, due)
            elif resource.kind == "app" and target == "Deleted":
                self._app_deleted(resource, due)
            else:
                resource.status = target

    def idle_timeout(self, app: Resource) -> int | None:
        """The idle timeout (minutes) of a space's app: its space's IdleTimeoutInMinutes, else the
        domain's default for the space's kind (shared: DefaultSpaceSettings; private: the owner's
        UserSettings, else DefaultUserSettings); only where the domain enables idle shutdown."""
        kind, owner = app.attrs["Owner"]
        space = self.spaces.get((app.domain_id, owner)) if kind == "space" else None
        domain = self.domains.get(app.domain_id)
        if space is None or domain is None:
            return None
        idle = (f"{app.attrs['AppType']}AppSettings", "AppLifecycleManagement", "IdleSettings")
        sources = self._space_defaults(domain, space.attrs, self._owner_of(space))
        if self._first(sources, *idle, "LifecycleManagement") != "ENABLED":
            return None
        own = _get(space.attrs.get("SpaceSettings"), *idle, "IdleTimeoutInMinutes")
        return own if own is not None else self._first(sources, *idle, "IdleTimeoutInMinutes")

    def _stop_idle_apps(self, now: float) -> None:
        """Idle shutdown: an InService app with no user activity for its idle timeout (scaled) stops
        by itself, Deleting then Deleted, as if DeleteApp had been called."""
        for app in list(self.apps.values()):
            if app.status != "InService":
                continue
            timeout = self.idle_timeout(app)
            if timeout is not None and now - app.attrs["LastUserActivity"] >= timeout * 60 * self.time_scale:
                self._transition(app, "Deleting", "Deleted", "delete")

    def record_activity(self, body: dict) -> None:
        """/_emulator/apps/activity: a user works in the live app of ``space`` (``app_type``), now."""
        if not isinstance(body, dict) or not all(
            isinstance(body.get(k), str) for k in ("domain_id", "space", "app_type")
        ):
            raise ValueError('the body must be {"domain_id": "d-...", "space": "...", "app_type": "JupyterLab"}')
        with self.lock:
            self.advance()
            app = self._live_app(body["domain_id"], body["space"], body["app_type"])
            if app is None:
                raise ValueError(f"no live {body['app_type']} app in space {body['space']} of {body['domain_id']}")
            app.attrs["LastUserActivity"] = time.time()

    def _live_app(self, domain_id: str, space: str, app_type: str | None = None) -> Resource | None:
        return next(
            (
                a
                for key, a in self.apps.items()
                if key[:3] == (domain_id, "space", space)
                and (app_type is None or key[3] == app_type)
                and a.status in LIVE_APP
            ),
            None,
        )

    def _app_deleted(self, app: Resource, at: float) -> None:
        """The app is Deleted, and stays listed so for DELETED_APP_RETENTION before it disappears."""
        app.status, app.modified = "Deleted", at
        app.next_status = GONE
        app.due = at + DELETED_APP_RETENTION * self.time_scale
        heapq.heappush(self.schedule, (app.due, app.seq, app))

    def _table(self, kind: str) -> dict:
        return {"domain": self.domains, "user_profile": self.profiles, "space": self.spaces, "app": self.apps}[kind]

    def _store(self, resource: Resource, key) -> None:
        resource.key = key
        self._table(resource.kind)[key] = resource

    def _index(self, resource: Resource, tags: dict | None, at: float) -> None:
        """Tell the tagging index of ``resource``'s tags (None: gone) as of ``at``; it learns after the lag."""
        lag = self.tagging_lag_seconds * self.time_scale
        self.tag_index.record(resource.arn, tags, at + lag, time.time())

    def tagging_view(self) -> dict[str, dict]:
        """arn -> tags, as the Resource Groups Tagging API sees the resources now."""
        return self.tag_index.view(time.time())

    def _remove(self, resource: Resource, at: float) -> None:
        # A Deleted app may have been replaced by a new one with the same key and ARN.
        if self.by_arn.get(resource.arn) is resource:
            del self.by_arn[resource.arn]
            self._index(resource, None, at)
        table = self._table(resource.kind)
        if table.get(resource.key) is resource:
            del table[resource.key]

    # ----- lookups -----------------------------------------------------------------------------
    def _domain(self, domain_id: str, ready: bool = True) -> Resource:
        domain = self.domains.get(domain_id)
        if domain is None:
            raise ApiError("ResourceNotFound", f"Cannot find Domain with ID {domain_id}")
        if ready and domain.status != "InService":
            raise ApiError("ValidationException", f"Domain {domain_id} is in {domain.status} status, not InService")
        return domain

    def _profile(self, domain_id: str, name: str) -> Resource:
        # Case-insensitive, as botocore's model documents UserProfileName ("This value is not case
        # sensitive") and as Create already refuses a case variant; the stored name keeps its case.
        profile = self.profiles.get((domain_id, name.lower()))
        if profile is None:
            raise ApiError("ResourceNotFound", f"User profile {name} does not exist in domain {domain_id}")
        return profile

    def _space(self, domain_id: str, name: str) -> Resource:
        space = self.spaces.get((domain_id, name))
        if space is None:
            raise ApiError("ResourceNotFound", f"Space {name} does not exist in domain {domain_id}")
        return space

    def _app_key(self, params: dict) -> tuple:
        space, profile = params.get("SpaceName"), params.get("UserProfileName")
        if bool(space) == bool(profile):
            raise ApiError("ValidationException", "Exactly one of SpaceName and UserProfileName must be specified")
        owner = ("space", space) if space else ("user", profile)
        return (params["DomainId"], *owner, params["AppType"], params["AppName"])

    def _app(self, params: dict) -> Resource:
        app = self.apps.get(self._app_key(params))
        if app is None:
            raise ApiError(
                "ResourceNotFound",
                f"App {params['AppType']}/{params['AppName']} does not exist for "
                f"{params.get('SpaceName') or params.get('UserProfileName')} in domain {params['DomainId']}",
            )
        return app

    def _by_arn(self, arn: str) -> Resource:
        resource = self.by_arn.get(arn)
        if resource is None:
            raise ApiError("ResourceNotFound", f"Resource {arn} does not exist")
        return resource

    def _busy(self, resource: Resource, action: str) -> None:
        allowed = DELETABLE if action.startswith("delete") else UPDATABLE if action.startswith("update") else ()
        if (
            resource.status != "InService"
            and not (resource.kind == "app" and resource.status == "Failed")
            and resource.status not in allowed
        ):
            raise ApiError(
                "ResourceInUse", f"Cannot {action} {resource.name}: it is in {resource.status} status, not InService"
            )

    def _start_delete(self, resource: Resource) -> None:
        """Deleting, then gone; or Delete_Failed when the fault is injected (a retried delete may work)."""
        self._transition(resource, "Deleting", "Delete_Failed" if self.faults.next_delete_fails() else GONE, "delete")

    @staticmethod
    def _failure(resource: Resource) -> dict:
        reason = FAILURE_REASONS.get(resource.status)
        return {"FailureReason": reason} if reason else {}

    def _create_outcome(self, resource: Resource) -> None:
        """Pending, then InService; or Failed when the fault is injected."""
        failed = self.faults.next_create_fails(resource.kind)
        self._transition(resource, "Pending", "Failed" if failed else "InService", "create")

    def _start_update(self, resource: Resource) -> None:
        """Updating, then InService; or Update_Failed when the fault is injected."""
        failed = self.faults.next_update_fails()
        self._transition(resource, "Updating", "Update_Failed" if failed else "InService", "update")

    # ----- tags --------------------------------------------------------------------------------
    def _tags(self, tag_list, existing: dict | None = None) -> dict:
        merged = dict(existing or {})
        for tag in tag_list or []:
            if tag["Key"].lower().startswith("aws:"):
                raise ApiError("ValidationException", RESERVED_TAG_MESSAGE.format(key=tag["Key"]))
            merged[tag["Key"]] = tag["Value"]
        if len(merged) > MAX_TAGS:
            raise ApiError(
                "ValidationException", f"A resource can have at most {MAX_TAGS} tags, this would have {len(merged)}"
            )
        return merged

    def _taggable(self, arn: str) -> Resource:
        """The resource of ``arn``, if its tags can still be read or changed.

        A Deleted or Failed app (AWS deletes a failed app itself) is refused with a ValidationException
        and an empty message, as recorded for ListTags and AddTags in aws/amazon-sagemaker-feedback#108
        (Deleted) and hashicorp/terraform-provider-aws#27265 (Failed); DeleteTags alike (stricter:
        undocumented). It stays so however long the app stays listed.
        """
        resource = self._by_arn(arn)
        if resource.kind == "app" and resource.status in ("Deleted", "Failed"):
            raise ApiError("ValidationException", "")
        return resource

    def AddTags(self, p):
        resource = self._taggable(p["ResourceArn"])
        resource.tags = self._tags(p["Tags"], resource.tags)
        self._index(resource, resource.tags, time.time())
        return {"Tags": p["Tags"]}

    def DeleteTags(self, p):
        resource = self._taggable(p["ResourceArn"])
        reserved = next((key for key in p["TagKeys"] if key.lower().startswith("aws:")), None)
        if reserved is not None:
            raise ApiError("ValidationException", RESERVED_TAG_MESSAGE.format(key=reserved))
        for key in p["TagKeys"]:
            resource.tags.pop(key, None)
        self._index(resource, resource.tags, time.time())
        return {}

    def ListTags(self, p):
        resource = self._taggable(p["ResourceArn"])
        tags = [{"Key": k, "Value": v} for k, v in resource.tags.items()]
        listing = f"ListTags of {resource.arn}"
        start = 0
        if p.get("NextToken"):
            after, _ = _decode_token(p["NextToken"], listing)
            start = int(after or 0)
        size = p.get("MaxResults", 50)
        page = tags[start : start + size]
        result = {"Tags": page}
        if start + size < len(tags):
            result["NextToken"] = _encode_token(listing, start + size)
        return result

    # ----- listing -----------------------------------------------------------------------------
    def _page(self, resources, p: dict, field: str, details) -> dict:
        """One page of a List* call, sorted as asked (botocore's model: CreationTime, "The default is
        Ascending"). Pages may come back empty with a NextToken (empty_pages_rate), as SageMaker's
        List* calls do (aws/aws-sdk#486; boto/boto3#3347 records an empty page with a NextToken); the
        page after an empty one never is, so a listing ends."""
        sort_by = p.get("SortBy", "CreationTime")
        order = p.get("SortOrder", "Ascending")
        descending = order == "Descending"
        listing = f"List{field} by {sort_by} {order}"

        def key(r: Resource):
            if sort_by == "Name":
                return (r.name, r.seq)
            return (r.modified if sort_by == "LastModifiedTime" else r.created, r.seq)

        ordered = sorted(resources, key=key, reverse=descending)
        after, resumed_after_empty = None, False
        if p.get("NextToken"):
            after, resumed_after_empty = _decode_token(p["NextToken"], listing)
        if after is not None:
            last = (after[0] if sort_by == "Name" else float(after[0]), int(after[1]))
            ordered = [r for r in ordered if (key(r) < last if descending else key(r) > last)]
        if ordered and not resumed_after_empty and self.faults.page_comes_back_empty():
            return {field: [], "NextToken": _encode_token(listing, after, empty=True)}
        size = p.get("MaxResults", 10)
        result = {field: [details(r) for r in ordered[:size]]}
        if len(ordered) > size:
            result["NextToken"] = _encode_token(listing, list(key(ordered[size - 1])))
        return result

    # ----- domains -----------------------------------------------------------------------------
    def _domain_url(self, domain_id: str) -> str:
        return f"https://{domain_id}.studio.{self.region}.sagemaker.aws"

    def CreateDomain(self, p):
        domain_id = "d-" + _random_id(12)
        domain = self._new("domain", domain_id, p["DomainName"], "", "Pending", self._tags(p.get("Tags")))
        domain.attrs = {
            k: p[k]
            for k in (
                "AuthMode",
                "DefaultUserSettings",
                "DomainSettings",
                "SubnetIds",
                "VpcId",
                "AppNetworkAccessType",
                "DefaultSpaceSettings",
                "KmsKeyId",
            )
            if k in p
        }
        domain.attrs.setdefault("AppNetworkAccessType", "PublicInternetOnly")
        self._store(domain, domain_id)
        self._transition(domain, "Pending", "InService", "create")
        return {"DomainArn": domain.arn, "DomainId": domain_id, "Url": self._domain_url(domain_id)}

    def DescribeDomain(self, p):
        d = self._domain(p["DomainId"], ready=False)
        return {
            "DomainArn": d.arn,
            "DomainId": d.domain_id,
            "DomainName": d.name,
            "HomeEfsFileSystemId": "fs-" + d.domain_id[2:].ljust(17, "0")[:17],
            "Status": d.status,
            "CreationTime": d.created,
            "LastModifiedTime": d.modified,
            "Url": self._domain_url(d.domain_id),
            **d.attrs,
        }

    def ListDomains(self, p):
        def details(d):
            return {
                "DomainArn": d.arn,
                "DomainId": d.domain_id,
                "DomainName": d.name,
                "Status": d.status,
                "CreationTime": d.created,
                "LastModifiedTime": d.modified,
                "Url": self._domain_url(d.domain_id),
            }

        return self._page(self.domains.values(), p, "Domains", details)

    def DeleteDomain(self, p):
        domain = self._domain(p["DomainId"], ready=False)
        self._busy(domain, "delete domain")
        users = [r.name for r in self.profiles.values() if r.domain_id == domain.domain_id]
        spaces = [r.name for r in self.spaces.values() if r.domain_id == domain.domain_id]
        if users or spaces:
            raise ApiError(
                "ResourceInUse",
                f"Domain {domain.domain_id} still has {len(users)} user profile(s) and {len(spaces)} space(s); "
                "delete them first",
            )
        self._transition(domain, "Deleting", GONE, "delete")
        return {}

    # ----- user profiles -----------------------------------------------------------------------
    def CreateUserProfile(self, p):
        domain = self._domain(p["DomainId"])
        name = p["UserProfileName"]
        existing = self.profiles.get((domain.domain_id, name.lower()))
        if existing is not None:
            raise ApiError(
                "ResourceInUse",
                f"Resource Arn: {existing.arn} already exists (user profile names are case-insensitive)",
            )
        if len(self.profiles) >= self.quotas["user_profiles"]:
            raise ApiError(
                "ResourceLimitExceeded",
                f"The account-level service limit 'Maximum number of Studio user profiles allowed per account' is "
                f"{self.quotas['user_profiles']} UserProfiles, with current utilization of {len(self.profiles)} "
                "UserProfiles and a request delta of 1 UserProfiles. "
                "Please use AWS Service Quotas to request an increase for this quota.",
            )
        self._check_user_material(p.get("UserSettings"))
        profile = self._new("user_profile", domain.domain_id, name, name, "Pending", self._tags(p.get("Tags")))
        profile.attrs = {"UserSettings": p.get("UserSettings") or {}}
        for key in ("SingleSignOnUserIdentifier", "SingleSignOnUserValue"):
            if key in p:
                profile.attrs[key] = p[key]
        self._store(profile, (domain.domain_id, name.lower()))
        self._create_outcome(profile)
        return {"UserProfileArn": profile.arn}

    def DescribeUserProfile(self, p):
        r = self._profile(p["DomainId"], p["UserProfileName"])
        return {
            "DomainId": r.domain_id,
            "UserProfileArn": r.arn,
            "UserProfileName": r.name,
            "HomeEfsFileSystemUid": str(200000 + r.seq),
            "Status": r.status,
            "LastModifiedTime": r.modified,
            "CreationTime": r.created,
            **self._failure(r),
            **r.attrs,
        }

    def ListUserProfiles(self, p):
        profiles = [
            r
            for r in self.profiles.values()
            if (not p.get("DomainIdEquals") or r.domain_id == p["DomainIdEquals"])
            and (not p.get("UserProfileNameContains") or p["UserProfileNameContains"] in r.name)
        ]

        def details(r):
            return {
                "DomainId": r.domain_id,
                "UserProfileName": r.name,
                "Status": r.status,
                "CreationTime": r.created,
                "LastModifiedTime": r.modified,
            }

        return self._page(profiles, p, "UserProfiles", details)

    def UpdateUserProfile(self, p):
        profile = self._profile(p["DomainId"], p["UserProfileName"])
        self._busy(profile, "update user profile")
        settings = {**profile.attrs.get("UserSettings", {}), **(p.get("UserSettings") or {})}
        self._check_user_material(settings)
        profile.attrs["UserSettings"] = settings
        self._start_update(profile)
        return {"UserProfileArn": profile.arn}

    def DeleteUserProfile(self, p):
        profile = self._profile(p["DomainId"], p["UserProfileName"])
        self._busy(profile, "delete user profile")
        spaces = sorted(
            s.name
            for s in self.spaces.values()
            if s.domain_id == profile.domain_id
            and str(s.attrs.get("OwnershipSettings", {}).get("OwnerUserProfileName")).lower() == profile.name.lower()
        )
        apps = sorted(
            f"{a.attrs['AppType']}/{a.name}"
            for k, a in self.apps.items()
            if k[0] == profile.domain_id and k[1:3] == ("user", profile.name) and a.status in LIVE_APP
        )
        if spaces or apps:
            raise ApiError(
                "ResourceInUse",
                f"User profile {profile.name} cannot be deleted while it owns spaces {spaces} or has apps {apps}",
            )
        self._start_delete(profile)
        return {}

    # ----- spaces ------------------------------------------------------------------------------
    def CreateSpace(self, p):
        domain = self._domain(p["DomainId"])
        name = p["SpaceName"]
        existing = self.spaces.get((domain.domain_id, name))
        if existing is not None:
            raise ApiError("ResourceInUse", f"Resource Arn: {existing.arn} already exists")
        ownership, sharing = p.get("OwnershipSettings"), p.get("SpaceSharingSettings")
        if bool(ownership) != bool(sharing):
            raise ApiError(
                "ValidationException", "OwnershipSettings and SpaceSharingSettings must be specified together"
            )
        owner = None
        if ownership:
            owner = self._profile(domain.domain_id, ownership["OwnerUserProfileName"])
            # An owner still Pending is accepted: neither botocore's model nor the API reference says
            # otherwise (issue 12, point 11). One being deleted, or that failed, is refused (stricter:
            # undocumented).
            if owner.status in ("Deleting", "Failed", "Delete_Failed"):
                raise ApiError("ValidationException", f"Owner user profile {owner.name} is in {owner.status} status")
        app_type = (p.get("SpaceSettings") or {}).get("AppType")
        if app_type is not None and app_type not in SPACE_APP_TYPES:
            raise ApiError(
                "ValidationException", f"Spaces support the app types {list(SPACE_APP_TYPES)}, not {app_type}"
            )
        attrs = {k: p[k] for k in ("SpaceSettings", "OwnershipSettings", "SpaceSharingSettings") if k in p}
        if app_type == "CodeEditor" and _shared(attrs):
            raise ApiError("ValidationException", _CODE_EDITOR_SHARED.format(space=name))
        self._check_space_limits(domain, attrs, owner)
        self._check_space_material(domain, owner, _get(attrs, "SpaceSettings", *_SPACE_SPEC), f"Space {name}")
        if len(self.spaces) >= self.quotas["spaces"]:
            raise ApiError(
                "ResourceLimitExceeded",
                f"The account-level service limit 'Maximum number of Studio spaces allowed per account' is "
                f"{self.quotas['spaces']} Spaces, with current utilization of {len(self.spaces)} Spaces "
                "and a request delta of 1 Spaces. Please use AWS Service Quotas to request an increase for this quota.",
            )
        space = self._new("space", domain.domain_id, name, name, "Pending", self._tags(p.get("Tags")))
        space.attrs = {**attrs, **({"SpaceDisplayName": p["SpaceDisplayName"]} if "SpaceDisplayName" in p else {})}
        self._store(space, (domain.domain_id, name))
        self._create_outcome(space)
        return {"SpaceArn": space.arn}

    def _check_space_limits(self, domain: Resource, attrs: dict, owner: Resource | None) -> None:
        """Refuse an EBS size or idle timeout beyond what the domain (or, for a private space, its
        owner's user settings) allows: DefaultEbsStorageSettings.MaximumEbsVolumeSizeInGb and
        IdleSettings' Min/MaxIdleTimeoutInMinutes (botocore's model). The settings of shared spaces
        are the domain's DefaultSpaceSettings, of private ones its DefaultUserSettings (the model:
        "SageMaker applies these settings only to private spaces"). AWS's messages are unrecorded."""
        settings = attrs.get("SpaceSettings") or {}
        sources = self._space_defaults(domain, attrs, owner)

        def limit(*path):
            return self._first(sources, *path)

        size = _get(settings, "SpaceStorageSettings", "EbsStorageSettings", "EbsVolumeSizeInGb")
        largest = limit("SpaceStorageSettings", "DefaultEbsStorageSettings", "MaximumEbsVolumeSizeInGb")
        if size is not None and largest is not None and size > largest:
            raise ApiError(
                "ValidationException",
                f"EbsVolumeSizeInGb {size} is above the domain's MaximumEbsVolumeSizeInGb {largest}",
            )
        for app in SPACE_APP_TYPES:
            idle = (f"{app}AppSettings", "AppLifecycleManagement", "IdleSettings")
            timeout = _get(settings, *idle, "IdleTimeoutInMinutes")
            low, high = limit(*idle, "MinIdleTimeoutInMinutes"), limit(*idle, "MaxIdleTimeoutInMinutes")
            if timeout is not None and limit(*idle, "LifecycleManagement") != "ENABLED":
                where = (
                    "DefaultSpaceSettings" if _shared(attrs) else "DefaultUserSettings (or the owner's UserSettings)"
                )
                raise ApiError("ValidationException", _IDLE_NOT_ENABLED.format(timeout=timeout, app=app, where=where))
            if timeout is not None and ((low is not None and timeout < low) or (high is not None and timeout > high)):
                raise ApiError(
                    "ValidationException",
                    f"IdleTimeoutInMinutes {timeout} of {app} is outside the domain's limits "
                    f"[{low if low is not None else '-'}, {high if high is not None else '-'}]",
                )

    @staticmethod
    def _space_defaults(domain: Resource, attrs: dict, owner: Resource | None) -> list:
        """Where a space's defaults and limits come from, first match first: a shared space's are the
        domain's DefaultSpaceSettings, a private one's its owner's UserSettings, then the domain's
        DefaultUserSettings (botocore's model: "SageMaker applies these settings only to private spaces")."""
        if _shared(attrs):
            return [domain.attrs.get("DefaultSpaceSettings")]
        return [owner.attrs.get("UserSettings") if owner else None, domain.attrs.get("DefaultUserSettings")]

    @staticmethod
    def _first(sources, *path):
        return next((v for v in (_get(src, *path) for src in sources) if v is not None), None)

    def _owner_of(self, space: Resource) -> Resource | None:
        owner = (space.attrs.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
        return self.profiles.get((space.domain_id, str(owner).lower()))

    def DescribeSpace(self, p):
        r = self._space(p["DomainId"], p["SpaceName"])
        app_type = (r.attrs.get("SpaceSettings") or {}).get("AppType", "JupyterLab")
        return {
            "DomainId": r.domain_id,
            "SpaceArn": r.arn,
            "SpaceName": r.name,
            "HomeEfsFileSystemUid": str(300000 + r.seq),
            "Status": r.status,
            "LastModifiedTime": r.modified,
            "CreationTime": r.created,
            "Url": f"{self._domain_url(r.domain_id)}/{app_type.lower()}/{r.name}",
            **self._failure(r),
            **r.attrs,
        }

    def ListSpaces(self, p):
        spaces = [
            r
            for r in self.spaces.values()
            if (not p.get("DomainIdEquals") or r.domain_id == p["DomainIdEquals"])
            and (not p.get("SpaceNameContains") or p["SpaceNameContains"] in r.name)
        ]

        def details(r):
            settings = r.attrs.get("SpaceSettings") or {}
            summary = {k: settings[k] for k in ("AppType", "RemoteAccess", "SpaceStorageSettings") if k in settings}
            item = {
                "DomainId": r.domain_id,
                "SpaceName": r.name,
                "Status": r.status,
                "CreationTime": r.created,
                "LastModifiedTime": r.modified,
                "SpaceSettingsSummary": summary,
            }
            if "SpaceSharingSettings" in r.attrs:
                item["SpaceSharingSettingsSummary"] = {"SharingType": r.attrs["SpaceSharingSettings"]["SharingType"]}
            if "OwnershipSettings" in r.attrs:
                item["OwnershipSettingsSummary"] = dict(r.attrs["OwnershipSettings"])
            if "SpaceDisplayName" in r.attrs:
                item["SpaceDisplayName"] = r.attrs["SpaceDisplayName"]
            return item

        return self._page(spaces, p, "Spaces", details)

    def UpdateSpace(self, p):
        space = self._space(p["DomainId"], p["SpaceName"])
        self._busy(space, "update space")
        old = space.attrs.get("SpaceSettings") or {}
        new = p.get("SpaceSettings") or {}
        if "AppType" in new and "AppType" in old and new["AppType"] != old["AppType"]:
            raise ApiError(
                "ValidationException", f"The AppType of space {space.name} cannot be changed from {old['AppType']}"
            )
        old_size = old.get("SpaceStorageSettings", {}).get("EbsStorageSettings", {}).get("EbsVolumeSizeInGb")
        new_size = new.get("SpaceStorageSettings", {}).get("EbsStorageSettings", {}).get("EbsVolumeSizeInGb")
        if old_size and new_size and new_size < old_size:
            raise ApiError(
                "ValidationException",
                f"The EBS volume of space {space.name} cannot shrink from {old_size} GB to {new_size} GB",
            )
        merged = {**space.attrs, "SpaceSettings": {**old, **new}}
        self._check_space_limits(self._domain(space.domain_id), merged, self._owner_of(space))
        spec = _get(merged, "SpaceSettings", *_SPACE_SPEC)
        self._check_space_material(self._domain(space.domain_id), self._owner_of(space), spec, f"Space {space.name}")
        space.attrs["SpaceSettings"] = merged["SpaceSettings"]
        if "SpaceDisplayName" in p:
            space.attrs["SpaceDisplayName"] = p["SpaceDisplayName"]
        self._start_update(space)
        return {"SpaceArn": space.arn}

    def DeleteSpace(self, p):
        space = self._space(p["DomainId"], p["SpaceName"])
        self._busy(space, "delete space")
        apps = sorted(
            f"{a.attrs['AppType']}/{a.name} ({a.status})"
            for k, a in self.apps.items()
            if k[0] == space.domain_id and k[1:3] == ("space", space.name) and a.status in LIVE_APP
        )
        if apps:
            raise ApiError("ResourceInUse", f"Space {space.name} cannot be deleted while it has apps {apps}")
        self._start_delete(space)
        return {}

    # ----- apps --------------------------------------------------------------------------------
    def CreateApp(self, p):
        domain = self._domain(p["DomainId"])
        key = self._app_key(p)
        app_type = p["AppType"]
        if key[1] == "space":
            parent = self._space(domain.domain_id, key[2])
            if app_type not in SPACE_APP_TYPES:
                raise ApiError(
                    "ValidationException", f"Spaces run the app types {list(SPACE_APP_TYPES)}, not {app_type}"
                )
            space_type = (parent.attrs.get("SpaceSettings") or {}).get("AppType")
            if space_type and space_type != app_type:
                raise ApiError("ValidationException", f"Space {parent.name} is for {space_type} apps, not {app_type}")
            if app_type == "CodeEditor" and _shared(parent.attrs):
                raise ApiError("ValidationException", _CODE_EDITOR_SHARED.format(space=parent.name))
        else:
            parent = self._profile(domain.domain_id, key[2])
        if parent.status != "InService":  # an app needs its space (or user profile) InService, not even Updating
            raise ApiError("ValidationException", f"{parent.name} is in {parent.status} status; apps need it InService")
        # A space holds one app ("Each space has a 1:1 relationship with an instance of an application",
        # developer guide, "Amazon SageMaker Studio spaces"), whatever its type, AppType set or not; a
        # user profile one per app type ("A user may have multiple Apps active simultaneously", CreateApp).
        same = 3 if key[1] == "space" else 4
        for other_key, other in self.apps.items():
            if other_key[:same] == key[:same] and other.status in LIVE_APP:
                raise ApiError("ResourceInUse", f"App {other.arn} already exists in {other.status} status")
        instance_type = self._instance_type(p, app_type, parent, domain)
        spec = self._app_spec(p)
        if key[1] == "space":
            self._check_space_material(domain, self._owner_of(parent), spec, f"App {p['AppName']} of space {key[2]}")
        self._check_app_quota(app_type, instance_type)
        # "Tags that you specify for the Domain [the User Profile] are also added to all Apps that the
        # Domain [the User Profile] launches" (botocore's model, CreateDomain and CreateUserProfile), and
        # the 50-tag limit counts them. The request's own tags win over inherited ones of the same key.
        inherited = {**domain.tags, **(parent.tags if key[1] == "user" else {})}
        path = f"{key[2]}/{app_type.lower()}/{p['AppName']}"
        app = self._new("app", domain.domain_id, p["AppName"], path, "Pending", self._tags(p.get("Tags"), inherited))
        app.attrs = {
            "AppType": app_type,
            "InstanceType": instance_type,
            "ResourceSpec": {**(p.get("ResourceSpec") or {}), "InstanceType": instance_type},
            "Owner": key[1:3],
            "LastUserActivity": app.created,  # idle shutdown counts from here (see _stop_idle_apps)
            "LifecycleConfigArn": spec.get("LifecycleConfigArn"),
        }
        self._store(app, key)
        outcome = self.faults.next_app_outcome()
        self._transition(app, "Pending", None if outcome == "Pending" else outcome, "create")
        return {"AppArn": app.arn}

    def _instance_type(self, p: dict, app_type: str, parent: Resource, domain: Resource) -> str:
        """The app's instance type: the request's, else its space's or user profile's default, else the
        domain's. "If InstanceType is not specified in any of those three ResourceSpec values for a
        KernelGateway app, the CreateApp call fails with a request validation error" (botocore's model,
        CreateApp); for KernelGateway "the system value is translated to ml.t3.medium" (ResourceSpec)."""
        spec = (f"{app_type}AppSettings", "DefaultResourceSpec", "InstanceType")
        if parent.kind == "space":
            own = _get(parent.attrs.get("SpaceSettings"), *spec)
            domain_default = _get(
                domain.attrs.get("DefaultSpaceSettings" if _shared(parent.attrs) else "DefaultUserSettings"), *spec
            )
        else:
            own = _get(parent.attrs.get("UserSettings"), *spec)
            domain_default = _get(domain.attrs.get("DefaultUserSettings"), *spec)
        instance_type = (p.get("ResourceSpec") or {}).get("InstanceType") or own or domain_default
        if instance_type is None and app_type == "KernelGateway":
            raise ApiError(
                "ValidationException",
                "InstanceType is required for a KernelGateway app: set it in ResourceSpec, or in the "
                "KernelGatewayAppSettings.DefaultResourceSpec of the user profile or the domain",
            )
        if instance_type == "system" and app_type == "KernelGateway":
            return DEFAULT_INSTANCE_TYPE
        return instance_type or DEFAULT_INSTANCE_TYPE

    @staticmethod
    def _app_spec(p: dict) -> dict:
        """The lifecycle configuration and image an app runs: its request's ResourceSpec's, nothing else.
        botocore's model (CreateApp, ResourceSpec): "The value of InstanceType passed as part of the
        ResourceSpec in the CreateApp call overrides the value passed as part of the ResourceSpec
        configured for the user profile or the domain"; it says nothing of a space's DefaultResourceSpec
        being applied to a CreateApp that does not name them. Stricter, as AWS does not document it: an
        app that does not ask for its space's lifecycle configuration or image runs neither."""
        asked = p.get("ResourceSpec") or {}
        keys = ("LifecycleConfigArn", "SageMakerImageArn", "SageMakerImageVersionArn")
        return {k: asked[k] for k in keys if asked.get(k) not in (None, "None")}

    def _check_app_quota(self, app_type: str, instance_type: str) -> None:
        """Refuse an app over its quota, per app type and instance type, in AWS's words (recorded:
        aws/amazon-sagemaker-feedback#157)."""
        quota = profiles.app_quota(self.quotas["apps"], app_type, instance_type)
        running = sum(
            1
            for a in self.apps.values()
            if a.status in LIVE_APP and a.attrs["AppType"] == app_type and a.attrs["InstanceType"] == instance_type
        )
        if running >= quota:
            raise ApiError(
                "ResourceLimitExceeded",
                f"The account-level service limit 'Studio {app_type} Apps running on {instance_type} instances' is "
                f"{quota} Apps, with current utilization of {running} Apps and a request delta of 1 Apps. "
                "Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas "
                "is not available, contact AWS support to request an increase for this quota.",
            )

    def _app_details(self, a: Resource) -> dict:
        kind, owner = a.attrs["Owner"]
        item = {
            "DomainId": a.domain_id,
            "AppType": a.attrs["AppType"],
            "AppName": a.name,
            "Status": a.status,
            "CreationTime": a.created,
            "ResourceSpec": a.attrs["ResourceSpec"],
        }
        item["SpaceName" if kind == "space" else "UserProfileName"] = owner
        return item

    def DescribeApp(self, p):
        a = self.apps.get(self._app_key(p))
        if a is None:  # as terraform-provider-aws's FindAppByName recognises it; AWS's full text is unrecorded
            raise ApiError("ValidationException", "RecordNotFound")
        item = self._app_details(a)
        item["AppArn"] = a.arn
        if a.status == "Failed":
            item["FailureReason"] = "The app failed to start (injected fault)."
        if a.status == "InService":
            item["LastHealthCheckTimestamp"] = a.modified
            item["LastUserActivityTimestamp"] = a.attrs["LastUserActivity"]
        return item

    def ListApps(self, p):
        apps = [
            a
            for a in self.apps.values()
            if (not p.get("DomainIdEquals") or a.domain_id == p["DomainIdEquals"])
            and (not p.get("UserProfileNameEquals") or a.attrs["Owner"] == ("user", p["UserProfileNameEquals"]))
            and (not p.get("SpaceNameEquals") or a.attrs["Owner"] == ("space", p["SpaceNameEquals"]))
        ]
        page = self._page(apps, p, "Apps", self._app_details)
        if self.faults.next_list_stops_apps():  # the race of an app that finishes stopping after it was listed
            for app in apps:
                if app.status in LIVE_APP:
                    self._app_deleted(app, time.time())
        return page

    def DeleteApp(self, p):
        app = self._app(p)
        # Both refusals as terraform-provider-aws's app delete recognises them (ValidationException and
        # these words). A failed app stays listed as Failed: terraform-provider-aws#27265 still finds it so.
        if app.status == "Deleted":
            raise ApiError("ValidationException", f"App {app.arn} has already been deleted")
        if app.status == "Failed":
            raise ApiError("ValidationException", f"App {app.arn} previously failed and was automatically deleted")
        if app.status == "Deleting":
            raise ApiError("ResourceInUse", f"App {app.arn} is already being deleted")
        self._transition(app, "Deleting", "Deleted", "delete")
        return {}

    # ----- Studio lifecycle configurations -----------------------------------------------------
    def CreateStudioLifecycleConfig(self, p):
        name = p["StudioLifecycleConfigName"]
        if name in self.lifecycle_configs:
            raise ApiError("ResourceInUse", f"Resource Arn: {self.lifecycle_configs[name].arn} already exists")
        # "This content must be base64 encoded" (botocore's model); AWS's refusal's words are unrecorded.
        try:
            base64.b64decode(p["StudioLifecycleConfigContent"], validate=True)
        except ValueError:
            raise ApiError(
                "ValidationException", "StudioLifecycleConfigContent must be the script, base64 encoded"
            ) from None
        now = time.time()
        arn = f"arn:aws:sagemaker:{self.region}:{self.account_id}:studio-lifecycle-config/{name}"
        config = Resource("studio_lifecycle_config", "", name, arn, "InService", now, next(self.counter), modified=now)
        config.tags = self._tags(p.get("Tags"))
        config.attrs = {k: p[k] for k in ("StudioLifecycleConfigContent", "StudioLifecycleConfigAppType")}
        self.lifecycle_configs[name] = config
        self.by_arn[arn] = config
        self._index(config, config.tags, now)
        return {"StudioLifecycleConfigArn": arn}

    def _lifecycle_config(self, name: str) -> Resource:
        config = self.lifecycle_configs.get(name)
        if config is None:
            raise ApiError("ResourceNotFound", f"Studio lifecycle configuration {name} does not exist")
        return config

    @staticmethod
    def _lifecycle_details(config: Resource) -> dict:
        return {
            "StudioLifecycleConfigArn": config.arn,
            "StudioLifecycleConfigName": config.name,
            "CreationTime": config.created,
            "LastModifiedTime": config.modified,
            "StudioLifecycleConfigAppType": config.attrs["StudioLifecycleConfigAppType"],
        }

    def DescribeStudioLifecycleConfig(self, p):
        config = self._lifecycle_config(p["StudioLifecycleConfigName"])
        return {
            **self._lifecycle_details(config),
            "StudioLifecycleConfigContent": config.attrs["StudioLifecycleConfigContent"],
        }

    def ListStudioLifecycleConfigs(self, p):
        def wanted(c: Resource) -> bool:
            return (
                (not p.get("NameContains") or p["NameContains"] in c.name)
                and (not p.get("AppTypeEquals") or c.attrs["StudioLifecycleConfigAppType"] == p["AppTypeEquals"])
                and (not p.get("CreationTimeBefore") or c.created < p["CreationTimeBefore"])
                and (not p.get("CreationTimeAfter") or c.created > p["CreationTimeAfter"])
                and (not p.get("ModifiedTimeBefore") or c.modified < p["ModifiedTimeBefore"])
                and (not p.get("ModifiedTimeAfter") or c.modified > p["ModifiedTimeAfter"])
            )

        configs = [c for c in self.lifecycle_configs.values() if wanted(c)]
        return self._page(configs, p, "StudioLifecycleConfigs", self._lifecycle_details)

    def DeleteStudioLifecycleConfig(self, p):
        """Refused while in use. botocore's model: "There must be no running apps using the Lifecycle
        Configuration. You must also remove the Lifecycle Configuration from UserSettings in all
        Domains and UserProfiles"; a space's settings that name it count too (stricter: undocumented)."""
        config = self._lifecycle_config(p["StudioLifecycleConfigName"])
        named = [config.arn in _lifecycle_arns(s) for s in self._lifecycle_settings()]
        apps = [
            a for a in self.apps.values() if a.status in LIVE_APP and a.attrs.get("LifecycleConfigArn") == config.arn
        ]
        if any(named) or apps:
            raise ApiError(
                "ResourceInUse",
                f"Studio lifecycle configuration {config.name} is in use: remove it from the settings of the "
                "domains, user profiles and spaces that name it, and stop the apps that run it",
            )
        del self.lifecycle_configs[config.name]
        del self.by_arn[config.arn]
        self._index(config, None, time.time())
        return {}

    def _lifecycle_settings(self):
        """Every settings block that may name lifecycle configurations."""
        for domain in self.domains.values():
            yield domain.attrs.get("DefaultUserSettings")
            yield domain.attrs.get("DefaultSpaceSettings")
        for profile in self.profiles.values():
            yield profile.attrs.get("UserSettings")
        for space in self.spaces.values():
            yield space.attrs.get("SpaceSettings")

    # ----- presigned URLs ----------------------------------------------------------------------
    def CreatePresignedDomainUrl(self, p):
        domain = self._domain(p["DomainId"])
        if domain.attrs.get("AuthMode") != "IAM":
            raise ApiError(
                "ValidationException",
                f"Domain {domain.domain_id} uses {domain.attrs.get('AuthMode')} authentication; "
                "presigned URLs need IAM",
            )
        profile = self._profile(domain.domain_id, p["UserProfileName"])
        if profile.status not in ("InService", "Updating"):
            raise ApiError(
                "ValidationException", f"User profile {profile.name} is in {profile.status} status, not InService"
            )
        if p.get("SpaceName"):
            space = self._space(domain.domain_id, p["SpaceName"])
            sharing = (space.attrs.get("SpaceSharingSettings") or {}).get("SharingType")
            owner = (space.attrs.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
            if sharing == "Private" and str(owner).lower() != profile.name.lower():
                raise ApiError(
                    "ValidationException",
                    f"User profile {profile.name} cannot access private space {space.name} of {owner}",
                )
            opened = self._live_app(domain.domain_id, space.name)
            if opened is not None:  # a user opening the space works in its app: that is activity
                opened.attrs["LastUserActivity"] = time.time()
        # Both durations default as AWS documents them (botocore's model: ExpiresInSeconds "defaults to
        # 300", SessionExpirationDurationInSeconds "defaults to 43200"); their ranges are the model's.
        profile.presigned.append(
            {
                "space": p.get("SpaceName"),
                "expires_in": p.get("ExpiresInSeconds", 300),
                "session_duration": p.get("SessionExpirationDurationInSeconds", 43200),
            }
        )
        url = f"{self._domain_url(domain.domain_id)}/auth?token={secrets.token_urlsafe(48)}"
        return {"AuthorizedUrl": url}

    # ----- emulator state ----------------------------------------------------------------------
    def state(self) -> dict:
        with self.lock:
            self.advance()

            def base(r: Resource) -> dict:
                return {
                    "name": r.name,
                    "status": r.status,
                    "domain_id": r.domain_id,
                    "arn": r.arn,
                    "tags": dict(r.tags),
                }

            spaces = []
            for r in self.spaces.values():
                item = base(r)
                item["owner"] = (r.attrs.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
                item["sharing"] = (r.attrs.get("SpaceSharingSettings") or {}).get("SharingType")
                item["app_type"] = (r.attrs.get("SpaceSettings") or {}).get("AppType")
                spaces.append(item)
            apps = []
            for r in self.apps.values():
                item = base(r)
                kind, owner = r.attrs["Owner"]
                item["space"] = owner if kind == "space" else None
                item["user_profile"] = owner if kind == "user" else None
                item["app_type"] = r.attrs["AppType"]
                item["instance_type"] = r.attrs["InstanceType"]
                apps.append(item)
            domains = [{**base(r), "auth_mode": r.attrs.get("AuthMode")} for r in self.domains.values()]
            return {
                "domains": domains,
                "user_profiles": [{**base(r), "presigned_urls": list(r.presigned)} for r in self.profiles.values()],
                "spaces": spaces,
                "apps": apps,
            }
