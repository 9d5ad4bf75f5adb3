"""The one result shape (module_utils/results.py): entries, summary, and a manager's plan as an entry."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from ansible_collections.hackathon.studio.plugins.module_utils.results import item_result, plan_result, summarize

EVENT = {"hackathon:event": "spring"}
CREATED = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
PREFIX = "arn:aws:sagemaker:us-east-1:123456789012"


class FakeSpaces:
    """What plan_result reads of a manager: what it last listed, how it names and locates a resource."""

    kind, arn_kind = "space", "space"

    def __init__(self):
        self.domain = SimpleNamespace(arn=lambda kind, path: f"{PREFIX}:{kind}/d-abc123def456/{path}")
        listed = {"SpaceName": "team-1", "Status": "InService", "CreationTime": CREATED, "DomainId": "d-1"}
        self.seen = {"team-1": listed}

    def fields(self, key):
        return {"name": key}

    def label(self, key):
        return key

    def arn_path(self, key):
        return key


def a_plan(item, key, action, before=None, after=None, status="InService", error=None):
    """A manager's plan, as plan_result reads it."""
    return SimpleNamespace(
        item=item, key=key, action=action, before=before, after=after, status=status, error=error, warning=None
    )


def test_an_entry_says_only_what_it_has_and_the_summary_always_has_five_counts():
    assert item_result("ada", "user_profiles", "unchanged", tags={}) == {
        "name": "ada",
        "kind": "user_profiles",
        "action": "unchanged",
    }
    entries = [item_result(n, "spaces", a) for n, a in (("a", "created"), ("b", "created"), ("c", "failed"))]
    assert summarize(entries) == {"created": 2, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 1}
    assert summarize([]) == dict.fromkeys(("created", "updated", "unchanged", "deleted", "failed"), 0)


def test_a_resource_that_exists_comes_with_its_arn_tags_and_itself_in_snake_case():
    manager = FakeSpaces()
    made = a_plan({"name": "team-1", "tags": EVENT}, "team-1", "unchanged", before={}, after={})
    entry = plan_result(made, manager, "spaces", present=True)
    assert entry["arn"] == "arn:aws:sagemaker:us-east-1:123456789012:space/d-abc123def456/team-1"
    assert entry["tags"] == EVENT  # not read this run: the ones asked for
    assert entry["resource"] == {
        "space_name": "team-1",
        "status": "InService",
        "creation_time": CREATED,
        "domain_id": "d-1",
    }
    assert entry["creation_time"] == "2026-11-26T09:00:00.000000+00:00"
    assert (entry["name"], entry["kind"], entry["changed"]) == ("team-1", "spaces", False)


def test_tags_read_by_the_run_win_and_deleted_or_failed_resources_have_none():
    manager = FakeSpaces()
    made = a_plan({"name": "team-1", "tags": EVENT}, "team-1", "updated", after={"tags": {**EVENT, "kept": "1"}})
    assert plan_result(made, manager, "spaces", present=True)["tags"] == {**EVENT, "kept": "1"}
    deleted = a_plan({"name": "team-1", "tags": EVENT}, "team-1", "deleted", after={}, status=None)
    entry = plan_result(deleted, manager, "spaces", present=False)
    assert entry["action"] == "deleted" and not {"tags", "arn", "resource"} & set(entry)
    failed = a_plan({"name": "team-1", "tags": EVENT}, "team-1", "failed", status="Failed", error="space team-1 failed")
    entry = plan_result(failed, manager, "spaces", present=True)
    assert entry["msg"] == failed.error and "tags" not in entry
