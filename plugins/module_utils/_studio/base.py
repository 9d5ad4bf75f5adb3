# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The resource manager that user profiles, spaces and apps share.

``Manager`` does, once for every kind, what amazon.aws modules do one resource at a time: read what
exists (one paginated List* for the whole batch), plan each item (create, update, delete, nothing),
honour check mode, run the plans' steps on a bounded thread pool, reconcile tags, and wait for every
touched resource through List-based polling. A kind says how it is listed and named
(``list_operation``...), how its create and update calls are built (``_create_params``,
``compare``), and what it owns that must go first (``contents``, see cascade.py). The hooks that
call AWS are named for what they do: ``_do_create``, ``_do_update``, ``_do_delete``,
``_wait_settled``, ``_wait_for``, ``_wait_deleted``.
"""

from __future__ import annotations

import contextlib
import threading

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    compare_aws_tags,
)
from ansible_collections.hackathon.studio.plugins.module_utils.api import (
    ClientError,
    ConnectionError,
    ReadTimeoutError,
    error_message,
    is_gone,
)
from ansible_collections.hackathon.studio.plugins.module_utils.batch import ItemFailure, run_batch
from ansible_collections.hackathon.studio.plugins.module_utils.scope import carries
from ansible_collections.hackathon.studio.plugins.module_utils.waiting import GONE, wait_for

FAILED_STATUSES = ("Failed", "Update_Failed", "Delete_Failed")
WATCH_SECONDS = 5.0  # how often a batch's creations made so far are looked at while the rest are made


class ItemError(ItemFailure):
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
        self.note: str | None = None  # why it was done, when the caller decided it (reap)
        self.status: str | None = None
        # What a cascade deletes before it ({"kind": "space", "name": ...}, {"kind": "app", "space": ...}):
        # in check mode, the prediction.
        self.cascade: list = []

    def fail(self, error: str) -> None:
        self.action, self.error, self.steps, self.wait = "failed", error, [], False


class Manager:
    kind = "resource"  # for messages
    arn_kind = ""
    list_operation = list_key = name_field = name_filter = ""  # the List* call, its items, their name
    create_operation = update_operation = delete_operation = describe_operation = ""
    busy_statuses = ("Pending", "Updating")  # statuses in which AWS refuses a delete
    gone_statuses = (GONE, "Deleted")  # what a deleted resource lists as
    contents = None  # what a resource of this kind owns, that must go before it (see cascade.py)
    watches = False  # whether its creations are looked at as they are made (CreationWatch, by the List* call)

    def __init__(self, domain):
        self.domain = domain
        self.api = domain.api
        self.seen = {}  # key -> its List* summary as last read: results carry its identity

    # ----- what names a resource ---------------------------------------------------------------
    def key(self, item):
        return item["name"]

    def label(self, key) -> str:
        return str(key)

    def fields(self, key) -> dict:
        """The fields that name a resource in a module's results."""
        return {"name": key}

    def arn_path(self, key) -> str:
        return key

    def _identity(self, key) -> dict:
        """The parameters that name the resource in its Describe/Update/Delete calls."""
        return {"DomainId": self.domain.domain_id, self.name_field: key}

    # ----- what proves it the event's (scope.py) -----------------------------------------------
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

    # ----- reading -----------------------------------------------------------------------------
    def read(self, keys=()) -> dict:
        """key -> summary (a List* item) for every resource of this kind in the domain; at least for
        ``keys`` when given (one key narrows the listing to names containing it: a page, not all)."""
        found = self.api.list_all(
            self.list_operation,
            self.list_key,
            DomainIdEquals=self.domain.domain_id,
            **self.narrowed(keys, self.name_filter),
        )
        return {summary[self.name_field]: summary for summary in found}

    @staticmethod
    def narrowed(keys, parameter: str) -> dict:
        """The List* filter that reads just the one resource asked for (its name contained), if one."""
        keys = list(keys)
        return {parameter: keys[0]} if len(keys) == 1 else {}

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

    def newest_statuses(self, keys) -> dict:
        """key -> status of ``keys`` that exist, read newest first up to the page that shows them all:
        the resources just created are on the first pages, not the last (a key not listed is gone only
        when every page was read). Remembered for the results, as ``observe``."""
        wanted = set(keys)
        found = self.api.list_all(
            self.list_operation,
            self.list_key,
            until=lambda items: wanted <= {summary[self.name_field] for summary in items},
            DomainIdEquals=self.domain.domain_id,
            SortBy="CreationTime",
            SortOrder="Descending",
        )
        current = {summary[self.name_field]: summary for summary in found}
        self.seen.update(current)
        return {key: self.status(summary) for key, summary in current.items()}

    # ----- planning (no call changes anything) -------------------------------------------------
    def _create_params(self, item) -> dict:
        """The create call's parameters for the item; an ItemError if the item cannot be created."""
        raise NotImplementedError

    def compare(self, item, summary) -> tuple:
        """(before, after, update) for an existing resource: ``update`` is the update call's
        parameters, None when nothing differs."""
        return {}, {}, None

    def plan_present(self, item, summary) -> Plan:
        """What making the item present takes, given its List* summary (None if it does not exist)."""
        key = self.key(item)
        status = self.status(summary)
        if summary is None or status == "Deleted":
            after = {k: v for k, v in item.items() if v is not None and k not in ("purge_tags", "adopt")}
            params = self._create_params(item)
            steps = [lambda: self._do_create(key, item.get("tags"), params)]
            return Plan(item, key, "created", before={}, after=after, steps=steps, wait=True)
        if status == "Deleting":
            raise ItemError(f"{self.kind} {self.label(key)} is being deleted; run again once it is gone")
        if status == "Failed":
            return self._plan_recreate(item, key)
        if status in FAILED_STATUSES and status != "Update_Failed":
            raise ItemError(f"{self.kind} {self.label(key)} is in {status} status{self.failure_reason(key)}")
        before, after, update = self.compare(item, summary)
        steps = [lambda: self._do_update(update)] if update else []
        steps += self._tag_steps(item, key, summary, before, after)
        settling = status not in ("InService", "Update_Failed")
        plan = Plan(item, key, "updated" if steps else "unchanged", before, after, steps, wait=bool(steps) or settling)
        if status == "Update_Failed":  # it still works, with its old settings; an update may be tried again
            plan.warning = f"{self.kind} {self.label(key)} is in Update_Failed status{self.failure_reason(key)}"
        return plan

    def _plan_recreate(self, item, key) -> Plan:
        """A resource whose creation failed is deleted and created again (AWS's remedy: a Failed one
        cannot be updated), if it is provably the event's: its recorded identity or the item's tags."""
        reason = self.failure_reason(key)
        arn = self.domain.arn(self.arn_kind, self.arn_path(key))
        tags = item.get("tags")
        if not (self.vouched(key, self.seen.get(key)) or (tags and carries(self.domain.read_tags(arn), tags))):
            raise ItemError(
                f"{self.kind} {self.label(key)} is in Failed status{reason}, and not provably the event's "
                "(neither its tags nor the identity the registry recorded): it is left alone"
            )
        params = self._create_params(item)
        steps = [
            lambda: self._do_delete(key),
            lambda: self._wait_gone(key),
            lambda: self._do_create(key, tags, params),
        ]
        plan = Plan(item, key, "created", before={"status": "Failed"}, after={"status": "InService"}, steps=steps)
        plan.wait = True
        plan.warning = f"{self.kind} {self.label(key)} is deleted and created again: it was in Failed status{reason}"
        return plan

    def plan_absent(self, item, summary) -> Plan:
        """What making the item absent takes, given its List* summary (None if it does not exist)."""
        key = self.key(item)
        status = self.status(summary)
        if status in (None, "Deleted"):
            plan = Plan(item, key, "unchanged")
        elif status == "Deleting":
            plan = Plan(item, key, "unchanged", wait=True)
        else:
            plan = Plan(item, key, "deleted", before={"status": status}, after={}, wait=True)
            plan.steps = [lambda: self._do_delete(key)]
        plan.status = status
        return plan

    def _tag_steps(self, item, key, summary, before: dict, after: dict) -> list:
        """The AddTags/DeleteTags calls that give the resource the item's tags (recording both sides in
        ``before``/``after``); none when the item sets no tags or the registry vouches for it."""
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

    # ----- the calls that change something -----------------------------------------------------
    def _do_create(self, key, tags, params: dict) -> None:
        """Create; "already exists" is done if the resource carries ``tags``: then a retry's first
        response was lost, or another run of this event (an interrupted run's background job) got
        there first. Anyone else's resource is still refused."""
        try:
            self.api.call(self.create_operation, **params)
        except is_boto3_error_code("ResourceInUse") as exc:
            if not tags:
                raise
            try:
                current = self.domain.read_tags(self.domain.arn(self.arn_kind, self.arn_path(key)))
            except ClientError:  # its tags cannot be read: AWS's refusal of the create is the answer
                raise exc from None
            if any(current.get(k) != v for k, v in tags.items()):
                raise

    def _do_update(self, params: dict) -> None:
        self.api.call(self.update_operation, **params)

    def _call_delete(self, key) -> None:
        """The delete call alone."""
        self.api.call(self.delete_operation, **self._identity(key))

    def _do_delete(self, key) -> None:
        """Delete; a refusal is done if AWS says the resource is gone, or if it is now gone or going:
        then a retry's first response was lost, or it was deleted meanwhile (out of band, or by another run)."""
        try:
            self._call_delete(key)
        except ClientError as exc:
            if is_gone(exc):
                return
            if self.statuses([key]).get(key, GONE) not in (GONE, "Deleting", "Deleted"):
                raise

    # ----- the module's two entry points -------------------------------------------------------
    def ensure_present(self, items) -> list:
        current = self._wait_settled(items)
        self.confirm_records(current)
        outcomes = run_batch(
            items, lambda item: self.plan_present(item, current.get(self.key(item))), self.domain.concurrency
        )
        plans = [self._plan_or_failure(outcome) for outcome in outcomes]
        for plan in plans:
            plan.status = self.status(current.get(plan.key))
        watch = (
            CreationWatch(self, [p for p in plans if p.action == "created" and p.wait])
            if self.watches and self.domain.wait
            else None
        )
        self._run_steps(plans, watch)
        self._wait_for(plans, ("InService",), watch)
        return plans

    def ensure_absent(self, items, cascade: bool = False) -> list:
        """Delete what is provably the event's; what a resource owns goes first only with ``cascade``
        (a check: without it, an owner of anything is refused)."""
        current = self._wait_settled(items)
        plans = [self.plan_absent(item, current.get(self.key(item))) for item in items]
        self.confirm_records(current)
        self._leave_unproven(plans, current)
        doomed = [plan for plan in plans if plan.action == "deleted"]
        if doomed and self.contents is not None:
            self._remove_contents_first(doomed, cascade)
        self._run_steps(plans)
        self._wait_deleted(plans)
        return plans

    def _remove_contents_first(self, plans, cascade: bool) -> None:
        """Refuse the deletions that what they own blocks; with ``cascade``, predict (check mode) or
        remove first what the others own."""
        contents = self.contents.read(self.domain, [plan.key for plan in plans])
        blocked = contents.blockers(cascade)
        free = []
        for plan in plans:
            if plan.key in blocked:
                plan.fail(blocked[plan.key])
            else:
                free.append(plan)
        for plan in free:
            plan.cascade = contents.cascade(plan.key) if cascade else []
            if plan.cascade:
                plan.before["cascade"] = [cascaded["label"] for cascaded in plan.cascade]
        if not self.domain.check_mode:
            failures = contents.remove([plan.key for plan in free], cascade)
            for plan in free:
                if plan.key in failures:
                    plan.fail(failures[plan.key])

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

    def _run_steps(self, plans, watch=None) -> None:
        """Run each plan's steps (not in check mode), the plans on the batch runner; a failed step fails its
        plan. A ``watch`` (CreationWatch) is told of each plan done, and looks at them meanwhile."""
        if self.domain.check_mode:
            return
        todo = [plan for plan in plans if plan.steps and plan.action != "failed"]

        def run(plan):
            for step in plan.steps:
                step()
            if watch is not None:
                watch.made(plan.key)

        with watch or contextlib.nullcontext():
            outcomes = run_batch(todo, run, self.domain.concurrency)
        for outcome in outcomes:
            if outcome.error is not None:
                plan = outcome.item
                plan.action, plan.wait = "failed", False
                plan.error = self.describe_error(outcome.error)

    # ----- waiting -----------------------------------------------------------------------------
    def _wait_settled(self, items) -> dict:
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

    def _wait_deleted(self, plans) -> None:
        self._wait_for(plans, self.gone_statuses)

    def _wait_for(self, plans, wanted, watch=None) -> None:
        """Wait (unless the run does not) for the plans that asked for it to reach ``wanted``; a
        failed status or the deadline fails the plan, saying which status it was left in. Those a
        ``watch`` saw ready are not waited for; if only creations are left, they are read newest first."""
        waiting = {plan.key: plan for plan in plans if plan.wait and plan.action != "failed"}
        if self.domain.check_mode or not self.domain.wait or not waiting:
            return
        for key, status in (watch.ready if watch else {}).items():
            if key in waiting:
                waiting.pop(key).status = status
        if not waiting:
            return
        newest = watch is not None and all(plan.action == "created" for plan in waiting.values())
        read = self.newest_statuses if newest else self.statuses
        result = wait_for(waiting, lambda: read(waiting), wanted, FAILED_STATUSES, self.domain.wait_timeout)
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
        """``: <FailureReason>`` as Describe* gives it (List* does not), or nothing."""
        if not self.describe_operation:
            return ""
        described = self.api.call(self.describe_operation, **self._identity(key))
        return f": {described['FailureReason']}" if described.get("FailureReason") else ""

    def _wait_gone(self, key) -> None:
        """Wait for one resource to be deleted (a step of a plan that then creates it again)."""
        timeout = self.domain.wait_timeout
        result = wait_for([key], lambda: self.statuses([key]), self.gone_statuses, FAILED_STATUSES, timeout)
        if key not in result.reached:
            status = {**result.failed, **result.pending}.get(key)
            raise ItemError(f"{self.kind} {self.label(key)} was not deleted: its last status was {status}")


class CreationWatch:
    """While a batch is being created, every WATCH_SECONDS, a look (newest first: a page, not every
    page) at the resources whose create call has returned, keeping those already InService. The wait
    after the batch then reads only the last few, where it read every page of the kind after the
    last creation (11 pages for 1,000 user profiles, on the critical path of setup)."""

    def __init__(self, manager: Manager, plans: list):
        self.manager = manager
        self.watched = {plan.key for plan in plans}
        self.lock = threading.Lock()
        self.created: set = set()
        self.ready: dict = {}  # key -> status, once seen InService
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def made(self, key) -> None:
        if key in self.watched:
            with self.lock:
                self.created.add(key)

    def __enter__(self) -> CreationWatch:
        if self.watched:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()

    def _run(self) -> None:
        while not self.stopped.wait(WATCH_SECONDS):
            with self.lock:
                pending = self.created - self.ready.keys()
            if not pending:
                continue
            try:
                statuses = self.manager.newest_statuses(pending)
            except (ClientError, ConnectionError, ReadTimeoutError):
                # What StudioApi.call raises once its retries are spent. Only a shortcut: the wait after the
                # batch reads whatever was not seen here, and fails through fail_json_aws if it must.
                return
            with self.lock:
                self.ready.update({key: statuses[key] for key in pending if statuses.get(key) == "InService"})
