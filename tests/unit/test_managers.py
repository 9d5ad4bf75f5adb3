"""The resource managers (module_utils/_studio): plans, compares, tag steps, the blocker check and the
cascade, against an in-memory Studio domain standing in for StudioApi."""

from __future__ import annotations

import time

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils._studio import base
from ansible_collections.hackathon.studio.plugins.module_utils._studio.apps import Apps
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import ItemError
from ansible_collections.hackathon.studio.plugins.module_utils._studio.cascade import ProfileContents, SpaceContents
from ansible_collections.hackathon.studio.plugins.module_utils._studio.domain import Domain
from ansible_collections.hackathon.studio.plugins.module_utils._studio.profiles import UserProfiles
from ansible_collections.hackathon.studio.plugins.module_utils._studio.spaces import Spaces

PREFIX = "arn:aws:sagemaker:us-east-1:123456789012"
EVENT = {"hackathon:event": "spring"}
ROLE = "arn:aws:iam::123456789012:role/studio"


def tag_list(tags: dict) -> list:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


class FakeStudio:
    """One Studio domain in memory, answering ``call`` and ``list_all`` as StudioApi does; every call is
    recorded, and the mutating ones change the domain at once (a delete leaves an app Deleted)."""

    def __init__(self):
        self.profiles: dict = {}  # name -> ListUserProfiles item
        self.roles: dict = {}  # profile name -> execution role (DescribeUserProfile)
        self.spaces: dict = {}  # name -> ListSpaces item
        self.idle: dict = {}  # space name -> idle timeout (DescribeSpace)
        self.apps: dict = {}  # (owner kind, owner, app type, app name) -> ListApps item
        self.tags: dict = {}  # ARN -> tags
        self.calls: list = []  # (operation, parameters)
        self.reasons: dict = {}  # profile name -> FailureReason (DescribeUserProfile)

    # ----- making the domain -------------------------------------------------------------------
    def profile(self, name, role=None, tags=None):
        self.profiles[name] = {"UserProfileName": name, "Status": "InService"}
        self.roles[name] = role
        self.tags[f"{PREFIX}:user-profile/d-1/{name}"] = dict(tags or {})

    def space(self, name, owner=None, sharing="Shared", storage=5, tags=None, display_name=None, idle=None):
        self.spaces[name] = {
            "SpaceName": name,
            "Status": "InService",
            "SpaceSettingsSummary": {
                "AppType": "JupyterLab",
                "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": storage}},
            },
            "SpaceDisplayName": display_name,
        }
        if owner:
            self.spaces[name]["OwnershipSettingsSummary"] = {"OwnerUserProfileName": owner}
            self.spaces[name]["SpaceSharingSettingsSummary"] = {"SharingType": sharing}
        self.idle[name] = idle
        self.tags[f"{PREFIX}:space/d-1/{name}"] = dict(tags or {})

    def app(self, owner_kind, owner, status="InService", instance_type="ml.t3.medium", app_type="JupyterLab"):
        key = (owner_kind, owner, app_type, "default")
        self.apps[key] = {
            "SpaceName" if owner_kind == "space" else "UserProfileName": owner,
            "AppType": app_type,
            "AppName": "default",
            "Status": status,
            "ResourceSpec": {"InstanceType": instance_type},
        }
        self.tags[f"{PREFIX}:app/d-1/{owner}/{app_type.lower()}/default"] = {}
        return key

    def mutations(self) -> list:
        return [(op, params) for op, params in self.calls if not op.startswith(("List", "Describe"))]

    def operations(self) -> list:
        return [op for op, _ in self.calls]

    # ----- StudioApi's interface ---------------------------------------------------------------
    def list_all(self, operation, key, **params):
        self.calls.append((operation, params))
        if operation == "ListUserProfiles":
            contains = params.get("UserProfileNameContains", "")
            return [dict(p) for name, p in self.profiles.items() if contains in name]
        if operation == "ListSpaces":
            return [dict(s) for name, s in self.spaces.items() if params.get("SpaceNameContains", "") in name]
        assert operation == "ListApps"
        space, user = params.get("SpaceNameEquals"), params.get("UserProfileNameEquals")
        return [
            dict(a)
            for (kind, owner, *_), a in self.apps.items()
            if (space is None or (kind, owner) == ("space", space))
            and (user is None or (kind, owner) == ("user", user))
        ]

    def call(self, operation, **params):
        self.calls.append((operation, params))
        return getattr(self, operation)(**params)

    def DescribeDomain(self, DomainId):
        return {"DomainArn": f"{PREFIX}:domain/{DomainId}"}

    def DescribeUserProfile(self, DomainId, UserProfileName):
        described = {"UserSettings": {"ExecutionRole": self.roles[UserProfileName]}}
        return (
            dict(described, FailureReason=self.reasons[UserProfileName])
            if UserProfileName in self.reasons
            else described
        )

    def CreateUserProfile(self, DomainId, UserProfileName, Tags=(), UserSettings=None):
        self.profile(UserProfileName, tags={t["Key"]: t["Value"] for t in Tags})

    def DescribeSpace(self, DomainId, SpaceName):
        idle = {"IdleSettings": {"IdleTimeoutInMinutes": self.idle[SpaceName]}}
        return {"SpaceSettings": {"JupyterLabAppSettings": {"AppLifecycleManagement": idle}}}

    def ListTags(self, ResourceArn, MaxResults, NextToken=None):
        return {"Tags": tag_list(self.tags[ResourceArn])}

    def AddTags(self, ResourceArn, Tags):
        self.tags[ResourceArn].update({t["Key"]: t["Value"] for t in Tags})

    def DeleteTags(self, ResourceArn, TagKeys):
        for key in TagKeys:
            self.tags[ResourceArn].pop(key)

    def UpdateUserProfile(self, **params):
        self.roles[params["UserProfileName"]] = params["UserSettings"]["ExecutionRole"]

    def UpdateSpace(self, **params):
        self.spaces[params["SpaceName"]]["Status"] = "InService"  # settled at once

    def DeleteApp(self, DomainId, AppType, AppName, SpaceName=None, UserProfileName=None):
        owner = ("space", SpaceName) if SpaceName else ("user", UserProfileName)
        self.apps[(*owner, AppType, AppName)]["Status"] = "Deleted"

    def DeleteSpace(self, DomainId, SpaceName):
        assert not [k for k, a in self.apps.items() if k[:2] == ("space", SpaceName) and a["Status"] != "Deleted"]
        del self.spaces[SpaceName]

    def DeleteUserProfile(self, DomainId, UserProfileName):
        assert not [
            s
            for s in self.spaces.values()
            if s.get("OwnershipSettingsSummary", {}).get("OwnerUserProfileName") == UserProfileName
        ]
        del self.profiles[UserProfileName]


def domain_of(api, check_mode=False) -> Domain:
    return Domain(api, "d-1", check_mode=check_mode, concurrency=2, wait_timeout=5)


@pytest.fixture
def ada():
    """ada owns a private space with an app in it, her own app, and a shared space of hers is elsewhere."""
    api = FakeStudio()
    api.profile("ada")
    api.space("ada-private", owner="ada", sharing="Private")
    api.app("space", "ada-private")
    api.app("user", "ada")
    return api


# ----- compare: what differs, as the update call's parameters -----------------------------------
def test_a_profile_compares_its_execution_role_only_when_the_item_sets_one():
    api = FakeStudio()
    api.profile("ada", role=ROLE)
    profiles = UserProfiles(domain_of(api))
    summary = api.profiles["ada"]
    assert profiles.compare({"name": "ada"}, summary) == ({}, {}, None)
    assert api.calls == []  # nothing set, nothing described
    assert profiles.compare({"name": "ada", "execution_role": ROLE}, summary) == (
        {"execution_role": ROLE},
        {"execution_role": ROLE},
        None,
    )
    other = ROLE + "-2"
    assert profiles.compare({"name": "ada", "execution_role": other}, summary) == (
        {"execution_role": ROLE},
        {"execution_role": other},
        {"DomainId": "d-1", "UserProfileName": "ada", "UserSettings": {"ExecutionRole": other}},
    )


def test_a_space_compares_size_name_and_idle_timeout_and_refuses_what_cannot_change():
    api = FakeStudio()
    api.space("team-1", storage=5, display_name="Team 1", idle=60)
    spaces = Spaces(domain_of(api))
    summary = api.spaces["team-1"]
    same = {"name": "team-1", "storage_size": 5, "display_name": "Team 1", "idle_timeout": 60}
    before, after, update = spaces.compare(same, summary)
    assert before == after == {"storage_size": 5, "display_name": "Team 1", "idle_timeout": 60} and update is None
    before, after, update = spaces.compare(dict(same, storage_size=10, idle_timeout=30), summary)
    assert (before["storage_size"], after["storage_size"], after["idle_timeout"]) == (5, 10, 30)
    assert update == {
        "DomainId": "d-1",
        "SpaceName": "team-1",
        "SpaceSettings": {
            "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 10}},
            "JupyterLabAppSettings": {"AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": 30}}},
        },
    }
    with pytest.raises(ItemError, match="app_type is 'JupyterLab', not 'CodeEditor'"):
        spaces.compare({"name": "team-1", "app_type": "CodeEditor"}, summary)
    with pytest.raises(ItemError, match="cannot shrink to 2 GB"):
        spaces.compare({"name": "team-1", "storage_size": 2}, summary)
    assert api.mutations() == []


def test_an_app_of_another_instance_type_is_stopped_and_started_and_a_failed_one_started_again():
    api = FakeStudio()
    running = api.app("space", "team-1", instance_type="ml.t3.medium")
    failed = api.app("space", "team-2", status="Failed")
    apps = Apps(domain_of(api))
    same = apps.plan_present({"space": "team-1", "instance_type": "ml.t3.medium"}, api.apps[running])
    assert same.action == "unchanged" and same.steps == []
    bigger = apps.plan_present({"space": "team-1", "instance_type": "ml.m5.large"}, api.apps[running])
    assert bigger.action == "updated" and len(bigger.steps) == 3  # stop, wait until stopped, start
    assert (bigger.before, bigger.after) == (
        {"status": "InService", "instance_type": "ml.t3.medium"},
        {"status": "InService", "instance_type": "ml.m5.large"},
    )
    again = apps.plan_present({"space": "team-2"}, api.apps[failed])
    assert again.action == "created" and again.after == {"status": "InService", "instance_type": "ml.t3.medium"}
    assert api.mutations() == []  # planning changes nothing


# ----- tags ---------------------------------------------------------------------------------------
def test_tag_steps_add_and_purge_only_what_differs():
    api = FakeStudio()
    api.space("team-1", tags={"a": "1", "old": "x"})
    spaces = Spaces(domain_of(api))
    summary = api.spaces["team-1"]
    plan = spaces.plan_present({"name": "team-1", "tags": {"a": "1", "b": "2"}}, summary)
    assert plan.action == "updated"
    assert (plan.before["tags"], plan.after["tags"]) == ({"a": "1", "old": "x"}, {"a": "1", "b": "2"})
    for step in plan.steps:
        step()
    assert [op for op, _ in api.mutations()] == ["AddTags", "DeleteTags"]
    assert api.tags[f"{PREFIX}:space/d-1/team-1"] == {"a": "1", "b": "2"}
    kept = spaces.plan_present({"name": "team-1", "tags": {"c": "3"}, "purge_tags": False}, summary)
    assert kept.after["tags"] == {"a": "1", "b": "2", "c": "3"} and len(kept.steps) == 1
    assert spaces.plan_present({"name": "team-1", "tags": {"a": "1", "b": "2"}}, summary).action == "unchanged"
    assert spaces.plan_present({"name": "team-1"}, summary).action == "unchanged"  # tags unset: not read


# ----- the blocker check: it only checks ----------------------------------------------------------
def test_the_blocker_check_of_a_profile_names_what_it_owns_and_changes_nothing(ada):
    ada.space("team-1", owner="ada", sharing="Shared")
    contents = ProfileContents.read(domain_of(ada), ["ada"])
    refused = contents.blockers(cascade=False)["ada"]
    assert refused == (
        "user profile ada still owns spaces ['ada-private', 'team-1'] and has apps "
        "['JupyterLab/default of user ada']; delete them first or set cascade: true"
    )
    shared = contents.blockers(cascade=True)["ada"]  # a cascade never takes a shared space
    assert "still owns spaces ['team-1']" in shared and "never deleted with their owner" in shared
    assert ada.mutations() == [] and sorted(ada.operations()) == ["ListApps", "ListSpaces"]


def test_a_profile_with_only_private_spaces_and_apps_is_blocked_only_without_cascade(ada):
    contents = ProfileContents.read(domain_of(ada), ["ada"])
    assert list(contents.blockers(cascade=False)) == ["ada"] and contents.blockers(cascade=True) == {}
    assert ada.mutations() == []


def test_the_blocker_check_of_a_space_counts_live_apps_not_stopping_ones():
    api = FakeStudio()
    api.space("team-1")
    api.space("team-2")
    api.app("space", "team-1", status="Pending")
    api.app("space", "team-2", status="Deleting")
    contents = SpaceContents.read(domain_of(api), ["team-1", "team-2"])
    assert contents.blockers(cascade=False) == {
        "team-1": "space team-1 still has apps ['JupyterLab/default of space team-1']; stop them or set cascade: true"
    }
    assert contents.blockers(cascade=True) == {} and api.mutations() == []


def test_without_cascade_a_refused_profile_keeps_everything(ada):
    [plan] = UserProfiles(domain_of(ada)).ensure_absent([{"name": "ada"}])
    assert plan.action == "failed" and "delete them first or set cascade: true" in plan.error
    assert ada.mutations() == [] and "ada" in ada.profiles


# ----- the cascade ---------------------------------------------------------------------------------
CASCADE = [
    {"kind": "app", "label": "app JupyterLab/default of user ada", "user_profile": "ada", "app_type": "JupyterLab",
     "app_name": "default"},
    {"kind": "app", "label": "app JupyterLab/default of space ada-private", "space": "ada-private",
     "app_type": "JupyterLab", "app_name": "default"},
    {"kind": "space", "label": "space ada-private", "name": "ada-private"},
]  # fmt: skip


def test_check_mode_predicts_the_cascade_from_the_listings_alone(ada):
    ada.app("user", "ada", status="Deleting", app_type="CodeEditor")  # already stopping: not predicted
    [plan] = UserProfiles(domain_of(ada, check_mode=True)).ensure_absent([{"name": "ada"}], cascade=True)
    assert plan.action == "deleted" and plan.cascade == CASCADE
    assert plan.before == {"status": "InService", "cascade": [c["label"] for c in CASCADE]}
    # one listing of each kind, then nothing: no second read, no wait, no change
    assert ada.operations() == ["ListUserProfiles", "ListSpaces", "ListApps"]


def test_the_cascade_removes_apps_then_private_spaces_then_the_profile(ada):
    [plan] = UserProfiles(domain_of(ada)).ensure_absent([{"name": "ada"}], cascade=True)
    assert plan.action == "deleted" and plan.cascade == CASCADE
    assert [(op, params.get("SpaceName") or params.get("UserProfileName")) for op, params in ada.mutations()] == [
        ("DeleteApp", "ada"),
        ("DeleteApp", "ada-private"),
        ("DeleteSpace", "ada-private"),
        ("DeleteUserProfile", "ada"),
    ]
    assert ada.profiles == {} and ada.spaces == {}


def test_a_space_cascade_stops_its_apps_failed_ones_too_while_stopping_leaves_a_failed_app():
    api = FakeStudio()
    api.space("team-1")
    failed = api.app("space", "team-1", status="Failed")
    [stopped] = Apps(domain_of(api)).ensure_absent([{"space": "team-1"}])
    assert (stopped.action, stopped.status) == ("unchanged", "Failed") and api.mutations() == []
    [plan] = Spaces(domain_of(api)).ensure_absent([{"name": "team-1"}], cascade=True)
    assert plan.action == "deleted" and [c["label"] for c in plan.cascade] == ["app JupyterLab/default of space team-1"]
    assert [op for op, _ in api.mutations()] == ["DeleteApp", "DeleteSpace"]
    assert api.apps[failed]["Status"] == "Deleted"


def test_an_unproven_profile_is_left_alone_and_nothing_it_owns_is_read_or_touched(ada):
    [plan] = UserProfiles(domain_of(ada)).ensure_absent([{"name": "ada", "tags": EVENT}], cascade=True)
    assert plan.action == "unchanged" and "was left alone" in plan.warning and plan.cascade == []
    assert ada.mutations() == [] and "ListSpaces" not in ada.operations() and "ListApps" not in ada.operations()


# ----- the domain -----------------------------------------------------------------------------------
def test_tags_are_read_page_by_page_as_every_listing_is():
    pages = {None: {"Tags": tag_list({"a": "1"}), "NextToken": "2"}, "2": {"Tags": tag_list({"b": "2"})}}
    asked = []

    class Paged:
        def call(self, operation, **params):
            asked.append((operation, params))
            return pages[params.get("NextToken")]

    assert Domain(Paged(), "d-1").read_tags(f"{PREFIX}:space/d-1/team-1") == {"a": "1", "b": "2"}
    assert [(op, p.get("NextToken"), p["MaxResults"]) for op, p in asked] == [
        ("ListTags", None, 100),
        ("ListTags", "2", 100),
    ]


# ----- resources in a failed status ------------------------------------------------------------------
def failed_profile(api, name, tags=None):
    api.profile(name, tags=tags)
    api.profiles[name]["Status"] = "Failed"
    api.reasons[name] = "Internal error"


def test_a_failed_profile_of_the_event_is_deleted_and_created_again():
    api = FakeStudio()
    failed_profile(api, "ada", tags=EVENT)
    [plan] = UserProfiles(domain_of(api)).ensure_present([{"name": "ada", "tags": EVENT}])
    assert (plan.action, plan.status) == ("created", "InService"), plan.error
    assert plan.warning == "user profile ada is deleted and created again: it was in Failed status: Internal error"
    assert [op for op, _ in api.mutations()] == ["DeleteUserProfile", "CreateUserProfile"]
    assert api.profiles["ada"]["Status"] == "InService"


def test_a_failed_profile_that_is_not_provably_the_events_is_left_alone():
    api = FakeStudio()
    failed_profile(api, "ada", tags={"hackathon:event": "autumn"})
    [plan] = UserProfiles(domain_of(api)).ensure_present([{"name": "ada", "tags": EVENT}])
    assert plan.action == "failed" and "not provably the event's" in plan.error
    without_tags = UserProfiles(domain_of(api)).ensure_present([{"name": "ada"}])
    assert without_tags[0].action == "failed"
    assert api.mutations() == []


def test_an_update_failed_space_is_updated_again_with_a_warning_and_unchanged_when_it_already_matches():
    api = FakeStudio()
    api.space("team-1", storage=5)
    api.spaces["team-1"]["Status"] = "Update_Failed"
    spaces = Spaces(domain_of(api))
    [same] = spaces.ensure_present([{"name": "team-1", "storage_size": 5}])
    assert (same.action, same.warning) == ("unchanged", "space team-1 is in Update_Failed status")
    [grown] = spaces.ensure_present([{"name": "team-1", "storage_size": 10}])
    assert (grown.action, grown.status) == ("updated", "InService"), grown.error
    assert [op for op, _ in api.mutations()] == ["UpdateSpace"]


def test_code_editor_is_refused_in_a_shared_space_before_any_call_and_allowed_in_a_private_one():
    api = FakeStudio()
    spaces = Spaces(domain_of(api))
    with pytest.raises(ItemError, match="AWS runs CodeEditor in private spaces only; a shared space runs JupyterLab"):
        spaces._create_params({"name": "team-1", "app_type": "CodeEditor", "owner": "org", "sharing": "shared"})
    private = spaces._create_params({"name": "ada-p", "app_type": "CodeEditor", "owner": "ada", "sharing": "private"})
    assert private["SpaceSharingSettings"] == {"SharingType": "Private"}
    assert api.calls == []


class PagedStudio(FakeStudio):
    """Lists user profiles as Studio does: in pages (of 2), sorted by creation, stopping where ``until``
    says; a profile is Pending until the first listing after its creation has shown it."""

    def list_all(self, operation, key, until=None, **params):
        assert operation == "ListUserProfiles"
        self.calls.append((operation, params))
        ordered = list(self.profiles.values())[:: -1 if params.get("SortOrder") == "Descending" else 1]
        items = []
        for start in range(0, len(ordered), 2):
            items += [dict(p) for p in ordered[start : start + 2]]
            if until is not None and until(items):
                break
        self.listed.append(len(items))
        for profile in self.profiles.values():
            profile["Status"] = "InService"
        return items

    def CreateUserProfile(self, DomainId, UserProfileName, Tags=(), UserSettings=None):
        time.sleep(0.05)  # the throttled pace: the watch looks several times while the batch is made
        super().CreateUserProfile(DomainId, UserProfileName, Tags, UserSettings)
        self.profiles[UserProfileName]["Status"] = "Pending"


def test_creations_watched_as_they_are_made_leave_the_wait_after_them_a_page_to_read(monkeypatch):
    monkeypatch.setattr(base, "WATCH_SECONDS", 0.02)
    api = PagedStudio()
    api.listed = []
    plans = UserProfiles(domain_of(api)).ensure_present([{"name": f"p{i}", "tags": EVENT} for i in range(12)])
    assert [(plan.action, plan.status) for plan in plans] == [("created", "InService")] * 12
    newest_first = [params for op, params in api.calls if params.get("SortOrder") == "Descending"]
    assert len(newest_first) >= 3  # the watch's looks, then the wait's
    assert api.listed[0] == 0 and max(api.listed[1:]) < 12  # never every page after the first listing
