# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Managers for the Studio resources of one domain: user profiles, spaces and apps.

The ``Manager`` base class does, once for every kind, what amazon.aws modules do one resource at a
time: read what exists (one paginated List* for the whole batch), plan each item (create, update,
delete, nothing), honour check mode, apply the plans on a bounded thread pool, reconcile tags, and
wait for every touched resource through List-based polling. Subclasses say how their kind is
listed, created, compared, updated and deleted, and what blocks its deletion.
"""

from __future__ import annotations

import copy
import threading

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)
from ansible_collections.hackathon.studio.plugins.module_utils.api import (
    ClientError,
    error_message,
    is_gone,
)
from ansible_collections.hackathon.studio.plugins.module_utils.batch import run_batch
from ansible_collections.hackathon.studio.plugins.module_utils.scope import Records, carries
from ansible_collections.hackathon.studio.plugins.module_utils.waiting import GONE, wait_for

FAILED_STATUSES = ("Failed", "Update_Failed", "Delete_Failed")
DEFAULT_INSTANCE_TYPE = "ml.t3.medium"


class ItemError(Exception):
    """A problem with one item of a batch, reported with that item and not stopping the others."""


class Plan:
    def __init__(self, item, key, action: str, before=None, after=None, steps=(), wait: bool = False):
        self.item = item
        self.key = key
        self.action = action  # created | updated | deleted | unchanged | failed
        self.before = before
        self.after = after
        self.steps = list(steps)  # mutating calls, run in order by one worker
        self.wait = wait  # wait for this one to settle after the steps
        self.error: str | None = None
        self.warning: str | None = None
        self.status: str | None = None


class Domain:
    """What the managers of one domain share: the API, the domain's ARN prefix and the run's options."""

    def __init__(
        self,
        api,
        domain_id: str,
        check_mode: bool = False,
        concurrency: int = 10,
        wait: bool = True,
        wait_timeout: float = 900,
    ):
        self.api = api
        self.domain_id = domain_id
        self.check_mode = check_mode
        self.concurrency = concurrency
        self.wait = wait
        self.wait_timeout = wait_timeout
        # What the registry recorded (see scope.py): vouched for without reading tags; and once given,
        # a delete needs that identity or the item's tags, never the name alone.
        self.recorded = Records()
        self.scope_tags: dict = {}  # the event's tags: what confirms a record (see ``confirmed``)
        self.tagging = None  # a StudioApi of the Resource Groups Tagging API, made when first needed
        self.tagging_client = None  # how to make its client
        self._checked: set = set()  # ARNs the tagging index was asked about
        self._tagged: set = set()  # those of them it lists with the event's tags
        self._description = None
        self._lock = threading.Lock()

    def describe(self) -> dict:
        """DescribeDomain's answer, read once per run (even by concurrent workers)."""
        with self._lock:
            if self._description is None:
                self._description = self.api.call("DescribeDomain", DomainId=self.domain_id)
            return self._description

    def cascading(self) -> Domain:
        """This domain's options for a cascade, which removes what a resource proven the event's owns
        (so owned, it is the event's too: see scope.py), and always waits: the next stage needs the
        previous one finished whatever the run's ``wait``."""
        cascading = copy.copy(self)
        cascading.wait = True
        cascading.recorded = Records()
        return cascading

    def confirm(self, arns) -> None:
        """Ask the Resource Groups Tagging API, 100 ARNs a call, which of ``arns`` carry the event's tags.

        A registry record vouches for a resource only together with this: anyone who can write the
        registry could write a record, but not the tag. What the index does not list (it lags behind
        AWS's changes) is not confirmed, and gets its own ListTags where it matters.
        """
        if not self.scope_tags or self.tagging_client is None:
            return
        arns = set(arns)  # before the lock: building an ARN may read the domain, which takes it
        with self._lock:
            todo = sorted(arns - self._checked)
            if todo:
                self.tagging = self.tagging or self.tagging_client()
            for start in range(0, len(todo), 100):
                page = self.tagging.call("GetResources", ResourceARNList=todo[start : start + 100])
                for mapping in page.get("ResourceTagMappingList", []):
                    if carries(boto3_tag_list_to_ansible_dict(mapping.get("Tags", [])), self.scope_tags):
                        self._tagged.add(mapping["ResourceARN"])
            self._checked.update(todo)

    def vouches(self, arn_kind: str, path: str, name: str, summary, records=None) -> bool:
        """Whether the registry's record (``records``, else this run's) and the tagging index together
        prove the resource the event's (callers ``confirm`` a whole batch first: one call per 100)."""
        records = self.recorded if records is None else records
        if not records.vouches(name, summary):
            return False
        arn = self.arn(arn_kind, path)
        self.confirm([arn])
        return arn in self._tagged

    def arn(self, kind: str, path: str) -> str:
        """An ARN in this domain, built as AWS builds them, from the domain's own ARN."""
        prefix = self.describe()["DomainArn"].rsplit(":", 1)[0]
        return f"{prefix}:{kind}/{self.domain_id}/{path}"

    def read_tags(self, arn: str) -> dict:
        tags = []
        token = None
        while True:
            page = self.api.call("ListTags", ResourceArn=arn, **({"NextToken": token} if token else {}))
            tags.extend(page.get("Tags", []))
            token = page.get("NextToken")
            if not token:
                return boto3_tag_list_to_ansible_dict(tags)


class Manager:
    kind = "resource"  # for messages
    arn_kind = ""
    busy_statuses = ("Pending", "Updating")  # statuses in which AWS refuses a delete
    gone_statuses = (GONE, "Deleted")  # what a deleted resource lists as

    def __init__(self, domain: Domain):
        self.domain = domain
        self.api = domain.api
        self.seen = {}  # key -> its List* summary as last read: results carry its identity

    # ----- what subclasses provide -------------------------------------------------------------
    def key(self, item):
        return item["name"]

    def label(self, key) -> str:
        return str(key)

    def vouched(self, key, summary) -> bool:
        """Whether the registry's record, confirmed by the tagging index, proves it the event's (scope.py)."""
        return self.domain.vouches(self.arn_kind, self.arn_path(key), key, summary)

    def confirm_records(self, current: dict, records=None) -> None:
        """Ask the tagging index at once about every resource of ``current`` the registry recorded
        (``records``, else this run's)."""
        recorded = self.domain.recorded if records is None else records
        self.domain.confirm(
            [self.domain.arn(self.arn_kind, self.arn_path(k)) for k, s in current.items() if recorded.vouches(k, s)]
        )

    def fields(self, key) -> dict:
        """The fields that name a resource in a module's results."""
        return {"name": key}

    def arn_path(self, key) -> str:
        return key

    def read(self, keys=()) -> dict:
        """key -> summary (a List* item) for every resource of this kind in the domain; at least for
        ``keys`` when given (one key narrows the listing to names containing it: a page, not all)."""
        raise NotImplementedError

    def create_steps(self, item) -> list:
        raise NotImplementedError

    def compare(self, item, summary) -> tuple:
        """(before, after, steps) for an existing resource; no steps when nothing differs."""
        return {}, {}, []

    def delete_call(self, key):
        raise NotImplementedError

    def blockers(self, keys, cascade: bool) -> dict:
        """key -> message for items that cannot be deleted; with cascade, run what unblocks the rest."""
        return {}

    # ----- shared machinery --------------------------------------------------------------------
    @staticmethod
    def status(summary) -> str | None:
        return None if summary is None else summary.get("Status")

    def statuses(self, keys=()) -> dict:
        return {key: self.status(summary) for key, summary in self.observe(keys).items()}

    def observe(self, keys=()) -> dict:
        """``read``, remembering what was read for the results."""
        current = self.read(keys)
        self.seen.update(current)
        return current

    @staticmethod
    def narrowed(keys, parameter: str) -> dict:
        """The List* filter that reads just the one resource asked for (its name contained), if one."""
        keys = list(keys)
        return {parameter: keys[0]} if len(keys) == 1 else {}

    def _tag_steps(self, item, key, summary, before: dict, after: dict) -> list:
        if item.get("tags") is None or self.vouched(key, summary):
            return []
        arn = self.domain.arn(self.arn_kind, self.arn_path(key))
        current = self.domain.read_tags(arn)
        before["tags"] = current
        if not item.get("adopt", True) and any(current.get(k) != v for k, v in item["tags"].items()):
            raise ItemError(
                f"{self.kind} {self.label(key)} exists without the tags {item['tags']}: it is someone else's, "
                "so it is left as it is (adopt is false)"
            )
        to_add, to_remove = compare_aws_tags(current, item["tags"], item.get("purge_tags", True))
        after["tags"] = {k: v for k, v in {**current, **item["tags"]}.items() if k not in to_remove}
        steps = []
        if to_add:
            steps.append(lambda: self.api.call("AddTags", ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(to_add)))
        if to_remove:
            steps.append(lambda: self.api.call("DeleteTags", ResourceArn=arn, TagKeys=to_remove))
        return steps

    def create(self, key, tags, operation: str, params: dict) -> None:
        """Create; "already exists" is done if the resource carries ``tags``: then a retry's first
        response was lost, or another run of this event (an interrupted run's background job) got
        there first. Anyone else's resource is still refused."""
        try:
            self.api.call(operation, **params)
        except is_boto3_error_code("ResourceInUse") as exc:
            if not tags:
                raise
            try:
                current = self.domain.read_tags(self.domain.arn(self.arn_kind, self.arn_path(key)))
            except ClientError:  # its tags cannot be read: AWS's refusal of the create is the answer
                raise exc from None
            if any(current.get(k) != v for k, v in tags.items()):
                raise

    def delete(self, key) -> None:
        """Delete; a refusal is done if AWS says the resource is gone, or if it is now gone or going:
        then a retry's first response was lost, or it was deleted meanwhile (out of band, or by another run)."""
        try:
            self.delete_call(key)
        except ClientError as exc:
            if is_gone(exc):
                return
            if self.statuses([key]).get(key, GONE) not in (GONE, "Deleting", "Deleted"):
                raise

    def _plan_present(self, item, summary) -> Plan:
        key = self.key(item)
        status = self.status(summary)
        if summary is None or status == "Deleted":
            after = {k: v for k, v in item.items() if v is not None and k not in ("purge_tags", "adopt")}
            return Plan(item, key, "created", before={}, after=after, steps=self.create_steps(item), wait=True)
        if status == "Deleting":
            raise ItemError(f"{self.kind} {self.label(key)} is being deleted; run again once it is gone")
        if status in FAILED_STATUSES:
            raise ItemError(f"{self.kind} {self.label(key)} is in {status} status: {summary.get('FailureReason', '')}")
        before, after, steps = self.compare(item, summary)
        steps = steps + self._tag_steps(item, key, summary, before, after)
        settling = status not in ("InService",)
        return Plan(item, key, "updated" if steps else "unchanged", before, after, steps, wait=bool(steps) or settling)

    def _read_settled(self, items) -> dict:
        """Read this kind, first waiting for the items that are still changing: AWS refuses to
        update or delete a resource that is Pending or Updating."""
        keys = [self.key(i) for i in items]
        current = self.observe(keys)
        settling = [key for key in keys if self.status(current.get(key)) in self.busy_statuses]
        if settling and not self.domain.check_mode:
            wanted = ("InService", GONE) + FAILED_STATUSES
            wait_for(settling, lambda: self.statuses(settling), wanted, (), self.domain.wait_timeout)
            current = self.observe(keys)
        return current

    def ensure_present(self, items) -> list:
        current = self._read_settled(items)
        self.confirm_records(current)
        outcomes = run_batch(
            items, lambda item: self._plan_present(item, current.get(self.key(item))), self.domain.concurrency
        )
        plans = [self._plan_or_failure(outcome) for outcome in outcomes]
        for plan in plans:
            plan.status = self.status(current.get(plan.key))
        self._execute(plans)
        self._settle(plans, wanted=("InService",))
        return plans

    def ensure_absent(self, items, cascade: bool = False) -> list:
        current = self._read_settled(items)
        plans = []
        for item in items:
            key = self.key(item)
            status = self.status(current.get(key))
            if status in (None, "Deleted"):
                plans.append(Plan(item, key, "unchanged"))
            elif status == "Deleting":
                plans.append(Plan(item, key, "unchanged", wait=True))
            else:
                plan = Plan(item, key, "deleted", before={"status": status}, after={}, wait=True)
                plan.steps = [lambda key=key: self.delete(key)]
                plans.append(plan)
            plans[-1].status = status
        self.confirm_records(current)
        self._leave_unproven(plans, current)
        doomed = [plan.key for plan in plans if plan.action == "deleted"]
        blocked = self.blockers(doomed, cascade) if doomed else {}
        for plan in plans:
            if plan.key in blocked:
                plan.action, plan.error, plan.steps, plan.wait = "failed", blocked[plan.key], [], False
        self._execute(plans)
        self._settle(plans, wanted=self.gone_statuses)
        return plans

    def _leave_unproven(self, plans, current) -> None:
        """Once the caller says what is the event's (a record or the items' tags), delete nothing else:
        a resource that only has the name is left alone, with a warning."""
        guarded = [
            p
            for p in plans
            if p.action == "deleted"
            and (p.item.get("tags") is not None or self.domain.recorded.times)
            and not self.vouched(p.key, current.get(p.key))
        ]
        arn = self.domain.arn  # the ARN prefix is read once here, not by every worker at once
        if guarded:
            arn(self.arn_kind, "")
        for outcome in run_batch(
            guarded, lambda p: self.domain.read_tags(arn(self.arn_kind, self.arn_path(p.key))), self.domain.concurrency
        ):
            plan = outcome.item
            if outcome.error is None and plan.item.get("tags") and carries(outcome.value, plan.item["tags"]):
                continue
            if outcome.error is not None and not is_gone(outcome.error):
                raise outcome.error
            plan.action, plan.steps, plan.wait = "unchanged", [], False
            plan.warning = (
                f"{self.kind} {self.label(plan.key)} was left alone: it has the name, but neither the tags "
                f"{plan.item.get('tags') or {}} nor the identity the registry recorded: it is not provably the event's"
            )

    def _plan_or_failure(self, outcome) -> Plan:
        if outcome.error is None:
            return outcome.value
        plan = Plan(outcome.item, self.key(outcome.item), "failed")
        plan.error = self.describe_error(outcome.error)
        return plan

    def describe_error(self, exc) -> str:
        return str(exc) if isinstance(exc, ItemError) else error_message(exc)

    def _execute(self, plans) -> None:
        if self.domain.check_mode:
            return
        todo = [plan for plan in plans if plan.steps and plan.action != "failed"]

        def run(plan):
            for step in plan.steps:
                step()

        for outcome in run_batch(todo, run, self.domain.concurrency):
            if outcome.error is not None:
                plan = outcome.item
                plan.action, plan.wait = "failed", False
                plan.error = self.describe_error(outcome.error)

    def _settle(self, plans, wanted) -> None:
        waiting = {plan.key: plan for plan in plans if plan.wait and plan.action != "failed"}
        if self.domain.check_mode or not self.domain.wait or not waiting:
            return
        result = wait_for(waiting, lambda: self.statuses(waiting), wanted, FAILED_STATUSES, self.domain.wait_timeout)
        for key, status in result.reached.items():
            waiting[key].status = status
        for key, status in result.failed.items():
            plan = waiting[key]
            plan.action, plan.status = "failed", status
            plan.error = f"{self.kind} {self.label(key)} ended in {status} status{self.failure_reason(key)}"
        for key, status in result.pending.items():
            plan = waiting[key]
            plan.action, plan.status = "failed", status
            plan.error = (
                f"timed out after {self.domain.wait_timeout} s waiting for {self.kind} {self.label(key)}; "
                f"its last status was {status or 'gone'}"
            )

    def failure_reason(self, key) -> str:
        return ""


class UserProfiles(Manager):
    kind = "user profile"
    arn_kind = "user-profile"

    def read(self, keys=()) -> dict:
        found = self.api.list_all(
            "ListUserProfiles",
            "UserProfiles",
            DomainIdEquals=self.domain.domain_id,
            **self.narrowed(keys, "UserProfileNameContains"),
        )
        return {p["UserProfileName"]: p for p in found}

    def create_steps(self, item) -> list:
        params = {"DomainId": self.domain.domain_id, "UserProfileName": item["name"]}
        if item.get("execution_role"):
            params["UserSettings"] = {"ExecutionRole": item["execution_role"]}
        if item.get("tags"):
            params["Tags"] = ansible_dict_to_boto3_tag_list(item["tags"])
        return [lambda: self.create(item["name"], item.get("tags"), "CreateUserProfile", params)]

    def compare(self, item, summary):
        if not item.get("execution_role"):
            return {}, {}, []
        described = self.api.call("DescribeUserProfile", DomainId=self.domain.domain_id, UserProfileName=item["name"])
        current = (described.get("UserSettings") or {}).get("ExecutionRole")
        if current == item["execution_role"]:
            return {"execution_role": current}, {"execution_role": current}, []

        def update():
            self.api.call(
                "UpdateUserProfile",
                DomainId=self.domain.domain_id,
                UserProfileName=item["name"],
                UserSettings={"ExecutionRole": item["execution_role"]},
            )

        return {"execution_role": current}, {"execution_role": item["execution_role"]}, [update]

    def delete_call(self, key):
        self.api.call("DeleteUserProfile", DomainId=self.domain.domain_id, UserProfileName=key)

    def blockers(self, keys, cascade):
        spaces = Spaces(self.domain)
        apps = Apps(self.domain)
        owned = {}  # profile -> {space: sharing}
        for name, summary in spaces.read().items():
            owner = (summary.get("OwnershipSettingsSummary") or {}).get("OwnerUserProfileName")
            if owner in keys and summary.get("Status") != "Deleting":
                owned.setdefault(owner, {})[name] = (summary.get("SpaceSharingSettingsSummary") or {}).get(
                    "SharingType"
                )
        own_apps = {}
        for app_key, summary in apps.read().items():
            if app_key[0] == "user" and app_key[1] in keys and summary["Status"] != "Deleted":
                own_apps.setdefault(app_key[1], []).append(app_key)
        blocked = {}
        for key in keys:
            private = sorted(s for s, sharing in owned.get(key, {}).items() if sharing == "Private")
            shared = sorted(s for s, sharing in owned.get(key, {}).items() if sharing != "Private")
            if shared or (not cascade and (private or own_apps.get(key))):
                names = shared if cascade else private + shared
                blocked[key] = (
                    f"user profile {key} still owns spaces {names} and has apps "
                    f"{[apps.label(k) for k in own_apps.get(key, [])]}; "
                    + (
                        "shared spaces are never deleted with their owner; delete them with studio_space first"
                        if cascade
                        else "delete them first or set cascade: true"
                    )
                )
        if cascade:
            self._cascade(blocked, owned, own_apps, spaces, apps)
        return blocked

    def _cascade(self, blocked, owned, own_apps, spaces, apps) -> None:
        """Stop the apps and delete the private spaces of the profiles about to be deleted."""
        app_keys = [k for key, keys in own_apps.items() if key not in blocked for k in keys]
        private = [
            {"name": space}
            for key, owned_spaces in owned.items()
            if key not in blocked
            for space, sharing in owned_spaces.items()
            if sharing == "Private"
        ]
        failures = {}
        if app_keys:
            for plan in apps.remove(app_keys):
                if plan.action == "failed":
                    failures.setdefault(plan.key[1], []).append(plan.error)
        if private:
            owner_of = {s: k for k, owned_spaces in owned.items() for s in owned_spaces}
            for plan in Spaces(self.domain.cascading()).ensure_absent(private, cascade=True):
                if plan.action == "failed":
                    failures.setdefault(owner_of[plan.key], []).append(plan.error)
        for key, errors in failures.items():
            blocked[key] = f"user profile {key} was not deleted: " + "; ".join(errors)


class Spaces(Manager):
    kind = "space"
    arn_kind = "space"

    def read(self, keys=()) -> dict:
        found = self.api.list_all(
            "ListSpaces", "Spaces", DomainIdEquals=self.domain.domain_id, **self.narrowed(keys, "SpaceNameContains")
        )
        return {s["SpaceName"]: s for s in found}

    @staticmethod
    def app_settings_key(app_type) -> str:
        return "CodeEditorAppSettings" if app_type == "CodeEditor" else "JupyterLabAppSettings"

    @classmethod
    def settings(cls, item) -> dict:
        settings = {}
        if item.get("app_type"):
            settings["AppType"] = item["app_type"]
        if item.get("storage_size"):
            settings["SpaceStorageSettings"] = {"EbsStorageSettings": {"EbsVolumeSizeInGb": item["storage_size"]}}
        if item.get("idle_timeout") is not None:
            if not item.get("app_type"):  # idle settings live in the settings of one app type
                raise ItemError(
                    f"space {item['name']}: idle_timeout needs app_type, the idle settings are per app type"
                )
            settings[cls.app_settings_key(item["app_type"])] = {
                "AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": item["idle_timeout"]}}
            }
        return settings

    def create_steps(self, item) -> list:
        params = {"DomainId": self.domain.domain_id, "SpaceName": item["name"]}
        settings = self.settings(item)
        if settings:
            params["SpaceSettings"] = settings
        if item.get("sharing") == "private" and not item.get("owner"):
            raise ItemError(f"space {item['name']}: a private space needs an owner")
        if item.get("owner"):
            params["OwnershipSettings"] = {"OwnerUserProfileName": item["owner"]}
            params["SpaceSharingSettings"] = {
                "SharingType": "Private" if item.get("sharing") == "private" else "Shared"
            }
        if item.get("display_name"):
            params["SpaceDisplayName"] = item["display_name"]
        if item.get("tags"):
            params["Tags"] = ansible_dict_to_boto3_tag_list(item["tags"])
        return [lambda: self.create(item["name"], item.get("tags"), "CreateSpace", params)]

    def compare(self, item, summary):
        name = item["name"]
        settings = summary.get("SpaceSettingsSummary") or {}
        current = {
            "app_type": settings.get("AppType"),
            "owner": (summary.get("OwnershipSettingsSummary") or {}).get("OwnerUserProfileName"),
            # a space without sharing settings is open to every user of the domain: shared
            "sharing": ((summary.get("SpaceSharingSettingsSummary") or {}).get("SharingType") or "Shared").lower(),
            "storage_size": (settings.get("SpaceStorageSettings") or {})
            .get("EbsStorageSettings", {})
            .get("EbsVolumeSizeInGb"),
            "display_name": summary.get("SpaceDisplayName"),
        }
        immutable = [k for k in ("app_type", "owner", "sharing") if item.get(k) and item[k] != current[k]]
        if immutable:
            raise ItemError(
                f"space {name}: {', '.join(f'{k} is {current[k]!r}, not {item[k]!r}' for k in immutable)}; "
                "these cannot change without deleting the space and its data, so nothing was done"
            )
        if item.get("storage_size") and current["storage_size"] and item["storage_size"] < current["storage_size"]:
            raise ItemError(
                f"space {name}: storage_size is {current['storage_size']} GB and an EBS volume cannot shrink "
                f"to {item['storage_size']} GB, so nothing was done"
            )
        wanted = {k: item[k] for k in ("storage_size", "display_name") if item.get(k) is not None}
        app_type = item.get("app_type") or current["app_type"]
        if item.get("idle_timeout") is not None:
            if not app_type:
                raise ItemError(f"space {name}: idle_timeout needs app_type, the idle settings are per app type")
            described = self.api.call("DescribeSpace", DomainId=self.domain.domain_id, SpaceName=name)
            app_settings = (described.get("SpaceSettings") or {}).get(self.app_settings_key(app_type)) or {}
            current["idle_timeout"] = (
                app_settings.get("AppLifecycleManagement", {}).get("IdleSettings", {}).get("IdleTimeoutInMinutes")
            )
            wanted["idle_timeout"] = item["idle_timeout"]
        changed = {k: v for k, v in wanted.items() if current.get(k) != v}
        before = {k: current.get(k) for k in wanted}
        if not changed:
            return before, dict(before), []
        params = {"DomainId": self.domain.domain_id, "SpaceName": name}
        update = self.settings({**changed, "name": name, "app_type": app_type})
        update.pop("AppType", None)
        if update:
            params["SpaceSettings"] = update
        if "display_name" in changed:
            params["SpaceDisplayName"] = changed["display_name"]
        return before, {**before, **changed}, [lambda: self.api.call("UpdateSpace", **params)]

    def delete_call(self, key):
        self.api.call("DeleteSpace", DomainId=self.domain.domain_id, SpaceName=key)

    def blockers(self, keys, cascade):
        """Without cascade, spaces with apps that are not stopped or stopping; then wait for (or stop) the rest."""
        apps = Apps(self.domain)
        live, stopping = {}, []
        for app_key, summary in apps.read().items():
            if app_key[0] == "space" and app_key[1] in keys:
                if summary["Status"] == "Deleting":
                    stopping.append(app_key)
                elif summary["Status"] != "Deleted":
                    live.setdefault(app_key[1], []).append(app_key)
        blocked = {}
        if not cascade:
            blocked = {
                key: f"space {key} still has apps {[apps.label(k) for k in found]}; stop them or set cascade: true"
                for key, found in live.items()
            }
        todo = [k for k in stopping if k[1] not in blocked] + [k for found in live.values() for k in found if cascade]
        for plan in apps.remove(todo) if todo else []:
            if plan.action == "failed":
                blocked[plan.key[1]] = f"space {plan.key[1]} was not deleted: {plan.error}"
        return blocked


class Apps(Manager):
    """Apps of spaces (key ``("space", space, app_type, app_name)``) and of user profiles (``("user", ...)``).

    Present means running (InService); absent means stopped (DeleteApp). AWS keeps a stopped app
    listed as Deleted for a while, and a new app with the same key replaces it.
    """

    kind = "app"
    arn_kind = "app"
    busy_statuses = ()  # an app can be stopped while it is still starting
    # AWS deletes a failed app itself; it stays listed as Failed (hashicorp/terraform-provider-aws#27265)
    gone_statuses = (GONE, "Deleted", "Failed")

    def __init__(self, domain: Domain):
        super().__init__(domain)
        self._owners: dict = {}  # "space" or "user" -> the owners' listing, read once
        self._owner_tags: dict = {}  # (kind, owner) -> its tags, read once

    def key(self, item):
        owner = ("space", item["space"]) if item.get("space") else ("user", item["user_profile"])
        return (*owner, item.get("app_type") or "JupyterLab", item.get("app_name") or "default")

    def fields(self, key) -> dict:
        return {"space" if key[0] == "space" else "user_profile": key[1], "app_type": key[2], "app_name": key[3]}

    def vouched(self, key, summary) -> bool:
        """An app is the event's when its space (or user profile) is: by its record (O(recorded) lists
        the owners for apps) or else by the owner's tags, read once per owner."""
        if not self.domain.scope_tags:
            return False
        owners = self._read_owners(key[0])
        if owners.vouched(key[1], self._owners[key[0]].get(key[1])):
            return True
        owner = key[:2]
        if owner not in self._owner_tags:
            try:
                self._owner_tags[owner] = self.domain.read_tags(self.domain.arn(owners.arn_kind, key[1]))
            except ClientError as exc:  # a vanished owner owns nothing
                if not is_gone(exc):
                    raise
                self._owner_tags[owner] = {}
        return carries(self._owner_tags[owner], self.domain.scope_tags)

    def _read_owners(self, owner_kind: str) -> Manager:
        """The manager of the apps' owners of this kind, their listing read and confirmed once."""
        owners = Spaces(self.domain) if owner_kind == "space" else UserProfiles(self.domain)
        with self.domain._lock:
            if owner_kind in self._owners:
                return owners
            self._owners[owner_kind] = owners.read()
        owners.confirm_records(self._owners[owner_kind])
        return owners

    def confirm_records(self, current: dict, records=None) -> None:
        """Apps are vouched for by their owners: confirm those the apps of ``current`` belong to."""
        if self.domain.recorded.times:
            for owner_kind in {key[0] for key in current}:
                self._read_owners(owner_kind)

    def label(self, key) -> str:
        return f"{key[2]}/{key[3]} of {key[0]} {key[1]}"

    def arn_path(self, key) -> str:
        return f"{key[1]}/{key[2].lower()}/{key[3]}"

    def read(self, keys=()) -> dict:
        owners = {key[:2] for key in keys}
        narrowed = {}
        if len(owners) == 1:  # the apps of one space or user profile: a page, not every app
            [(kind, owner)] = owners
            narrowed = {"SpaceNameEquals" if kind == "space" else "UserProfileNameEquals": owner}
        found = self.api.list_all("ListApps", "Apps", DomainIdEquals=self.domain.domain_id, **narrowed)
        apps = {}
        for a in found:
            owner = ("space", a["SpaceName"]) if a.get("SpaceName") else ("user", a.get("UserProfileName"))
            key = (*owner, a["AppType"], a["AppName"])
            # A Deleted app and its live successor share a key: the live one is the one that counts.
            if key not in apps or apps[key]["Status"] == "Deleted":
                apps[key] = a
        return apps

    def _owner_params(self, key) -> dict:
        return {
            "DomainId": self.domain.domain_id,
            "SpaceName" if key[0] == "space" else "UserProfileName": key[1],
            "AppType": key[2],
            "AppName": key[3],
        }

    def create_steps(self, item, tags=None) -> list:
        """CreateApp for the item, tagged with ``tags`` if given, else with the item's tags."""
        key = self.key(item)
        params = self._owner_params(key)
        params["ResourceSpec"] = {"InstanceType": item.get("instance_type") or DEFAULT_INSTANCE_TYPE}
        tags = item.get("tags") if tags is None else tags
        if tags:
            params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
        return [lambda: self.create(key, tags, "CreateApp", params)]

    def _kept_tags(self, item, key) -> dict:
        """The tags an app started again in place of ``key`` should have: the user's, or the old app's."""
        if item.get("tags") is not None and item.get("purge_tags", True):
            return item["tags"]
        try:
            current = self.domain.read_tags(self.domain.arn(self.arn_kind, self.arn_path(key)))
        except ClientError as exc:  # AWS refuses the tags of a Failed app: it deleted it itself
            if not is_gone(exc):
                raise
            current = {}
        return {**current, **(item.get("tags") or {})}

    def _plan_present(self, item, summary) -> Plan:
        key = self.key(item)
        status = self.status(summary)
        wanted_type = item.get("instance_type")
        current_type = (summary or {}).get("ResourceSpec", {}).get("InstanceType")
        if status in ("Failed", "Deleting"):  # a failed app is started again; a stopping one once it stopped
            instance_type = wanted_type or current_type or DEFAULT_INSTANCE_TYPE  # unset: as it was
            steps = self.create_steps(dict(item, instance_type=instance_type), self._kept_tags(item, key))
            if status == "Deleting":
                steps.insert(0, lambda: self._wait_one(key, ("Deleted", GONE)))
            before = {"status": status, "instance_type": current_type}
            after = {"status": "InService", "instance_type": instance_type}
            return Plan(item, key, "created", before, after, steps, wait=True)
        if status in ("InService", "Pending") and wanted_type and current_type and wanted_type != current_type:
            steps = [lambda: self.delete_call(key), lambda: self._wait_one(key, ("Deleted", GONE))]
            steps += self.create_steps(item, self._kept_tags(item, key))
            before = {"status": status, "instance_type": current_type}
            after = {"status": "InService", "instance_type": wanted_type}
            return Plan(item, key, "updated", before, after, steps, wait=True)
        return super()._plan_present(item, summary)

    def _wait_one(self, key, wanted) -> None:
        result = wait_for([key], lambda: self.statuses([key]), wanted, (), self.domain.wait_timeout)
        if result.pending:
            raise ItemError(
                f"timed out after {self.domain.wait_timeout} s waiting for app {self.label(key)} to stop; "
                f"its last status was {result.pending[key]}"
            )

    def ensure_absent(self, items, cascade: bool = False) -> list:
        """Stop running apps; a Failed app is not running and is left as it is. Plans in the items' order."""
        current = self.observe()
        failed = [self.status(current.get(self.key(item))) == "Failed" for item in items]
        running = [item for item, is_failed in zip(items, failed) if not is_failed]
        stopped = iter(super().ensure_absent(running) if running else [])
        plans = []
        for item, is_failed in zip(items, failed):
            if is_failed:
                plan = Plan(item, self.key(item), "unchanged")
                plan.status = "Failed"
            else:
                plan = next(stopped)
            plans.append(plan)
        return plans

    def remove(self, keys) -> list:
        """Delete these apps whatever their status (Failed ones too), as deleting their space or owner needs.

        Waits until they are gone even when the run does not wait: what comes next needs them gone.
        """
        items = [
            {"space" if k[0] == "space" else "user_profile": k[1], "app_type": k[2], "app_name": k[3]} for k in keys
        ]
        return Manager.ensure_absent(Apps(self.domain.cascading()), items)

    def delete_call(self, key):
        try:
            self.api.call("DeleteApp", **self._owner_params(key))
        except is_boto3_error_code("ResourceInUse"):  # already Deleting: waiting is all there is to do
            return

    def failure_reason(self, key) -> str:
        described = self.api.call("DescribeApp", **self._owner_params(key))
        return f": {described['FailureReason']}" if described.get("FailureReason") else ""
