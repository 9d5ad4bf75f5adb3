"""The event's planning (module_utils/plan.py): quota needs, teardown's targets and their order, who
gets a URL, and the one list of app types and app statuses the rest of the code uses."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
import yaml
from ansible_collections.hackathon.studio.plugins.module_utils import plan
from ansible_collections.hackathon.studio.plugins.module_utils.plan import (
    quota_kinds,
    quota_needs,
    select_participants,
    teardown_lookup,
    teardown_targets,
)
from ansible_collections.hackathon.studio.plugins.module_utils.status import event_status

ROOT = Path(__file__).resolve().parents[2]
QUOTAS = {"user_profiles": 10, "spaces": 10, "apps": 10}


def roster(*members, personal=False):
    """A roster result of (email local part, team number) pairs, named as the roster names them."""
    return {
        "user_profiles": [{"name": f"{who}-p"} for who, _ in members],
        "spaces": [{"name": f"team-{team}"} for team in sorted({team for _, team in members})],
        "personal_spaces": [{"name": f"{who}-p-home", "owner": f"{who}-p"} for who, _ in members],
        "participants": [{"user_profile": f"{who}-p", "space": f"team-{team}"} for who, team in members],
    }


ADA_ALAN = roster(("ada", 1), ("alan", 2))


# Quota kinds: what preflight lists.


def test_a_first_setup_lists_every_kind():
    assert quota_kinds(ADA_ALAN, [], personal_spaces=False, start_apps=True) == list(plan.QUOTA_KINDS)


def test_a_rerun_the_registry_vouches_for_lists_nothing():
    registered = ADA_ALAN["participants"]
    assert quota_kinds(ADA_ALAN, registered, personal_spaces=False, start_apps=False) == []


def test_one_new_participant_lists_the_profiles_only():
    registered = ADA_ALAN["participants"]
    grown = roster(("ada", 1), ("alan", 2), ("grace", 2))
    assert quota_kinds(grown, registered, personal_spaces=False, start_apps=False) == ["user_profiles"]


def test_private_spaces_and_apps_are_counted_whatever_the_registry_says():
    registered = ADA_ALAN["participants"]
    assert quota_kinds(ADA_ALAN, registered, personal_spaces=True, start_apps=True) == ["spaces", "apps"]


# Quota needs: what exists and what the event adds.


def test_needs_count_what_exists_and_what_is_new():
    found = {"user_profiles": [{"name": "ada-p"}, {"name": "someone"}], "spaces": []}
    quotas, codes = {"user_profiles": 3, "spaces": 1}, {"user_profiles": "L-12345678", "spaces": None}
    needs = quota_needs(found, ADA_ALAN, quotas, "ev-organizer", "ml.t3.medium", False, codes, "eu-west-1")
    increase = (
        "Ask for an increase first: aws service-quotas request-service-quota-increase --service-code sagemaker "
        "--quota-code L-12345678 --desired-value 4 --region eu-west-1"
    )
    assert needs == {
        "user_profiles": {"exist": 2, "new": 2, "quota": 3, "fits": False, "ask": increase},  # alan, the organizer
        "spaces": {
            "exist": 0,
            "new": 2,
            "quota": 1,
            "fits": False,
            "ask": "Ask for an increase in Service Quotas first.",
        },  # no code listed: where to ask
    }


def test_needs_fit_exactly_at_the_quota():
    needs = quota_needs({"user_profiles": []}, ADA_ALAN, {"user_profiles": 3}, "ev-organizer", "ml.t3.medium", False)
    assert needs["user_profiles"] == {
        "exist": 0,
        "new": 3,
        "quota": 3,
        "fits": True,
        "ask": "Ask for an increase in Service Quotas first.",
    }


def test_private_spaces_are_needed_only_when_asked():
    found = {"spaces": [{"name": "team-1"}]}
    without = quota_needs(found, ADA_ALAN, QUOTAS, "o", "ml.t3.medium", personal_spaces=False)
    with_private = quota_needs(found, ADA_ALAN, QUOTAS, "o", "ml.t3.medium", personal_spaces=True)
    assert without["spaces"]["new"] == 1 and with_private["spaces"]["new"] == 3


def test_apps_count_only_live_ones_on_the_instance_type():
    apps = [
        {"space": "team-1", "status": "InService", "instance_type": "ml.t3.medium"},
        {"space": "team-2", "status": "Deleting", "instance_type": "ml.t3.medium"},  # frees its slot
        {"space": "other", "status": "Pending", "instance_type": "ml.t3.medium"},  # someone else's: counts
        {"space": "big", "status": "InService", "instance_type": "ml.m5.large"},  # another quota
    ]
    needs = quota_needs({"apps": apps}, ADA_ALAN, {"apps": 3}, "o", "ml.t3.medium", False)
    assert needs["apps"] == {
        "exist": 2,
        "new": 1,
        "quota": 3,
        "fits": True,
        "ask": "Ask for an increase in Service Quotas first.",
    }  # team-2: a new app


def test_needs_cover_only_the_kinds_listed():
    assert quota_needs({}, ADA_ALAN, QUOTAS, "o", "ml.t3.medium", True) == {}


# Teardown: what it is told of, what it removes and in which order.


def test_the_lookup_names_the_organizer_and_participants_once_and_adds_the_records():
    registry = {
        "participants": [
            {"user_profile": "ada-p", "space": "team-1"},
            {"user_profile": "alan-p", "space": "team-1"},
        ],
        "recorded": {"user_profiles": [{"name": "ada-p", "creation_time": "t1"}], "spaces": []},
    }
    assert teardown_lookup(registry, "ev-organizer") == {
        "user_profiles": [
            {"name": "ev-organizer"},
            {"name": "ada-p"},
            {"name": "alan-p"},
            {"name": "ada-p", "creation_time": "t1"},
        ],
        "spaces": [{"name": "team-1"}],
    }


def test_the_lookup_of_an_empty_registry_names_the_organizer_only():
    assert teardown_lookup({"participants": [], "recorded": {}}, "ev-organizer") == {
        "user_profiles": [{"name": "ev-organizer"}],
        "spaces": [],
    }


def test_the_lookup_without_an_organizer_names_the_participants_only():
    registry = {"participants": [{"user_profile": "ada-p", "space": "team-1"}], "recorded": {}}
    assert teardown_lookup(registry) == {"user_profiles": [{"name": "ada-p"}], "spaces": [{"name": "team-1"}]}


FOUND = {
    "apps": [
        {"name": "default", "space": "team-1", "app_type": "JupyterLab", "status": "InService"},
        {"name": "default", "space": "team-2", "app_type": "CodeEditor", "status": "Pending"},
        {"name": "default", "space": "team-3", "app_type": "JupyterLab", "status": "Deleting"},
        {"name": "default", "space": "team-4", "app_type": "JupyterLab", "status": "Failed"},
        {"name": "default", "user_profile": "ada-p", "app_type": "JupyterServer", "status": "InService"},
    ],
    "spaces": [
        {"name": "team-2", "proof": "tag", "owner": "ev-organizer"},
        {"name": "ada-p-home", "proof": "owner", "owner": "ada-p"},
        {"name": "team-1", "proof": "registry", "owner": "ev-organizer"},
    ],
    "user_profiles": [{"name": "ev-organizer", "proof": "tag"}, {"name": "ada-p", "proof": "registry"}],
}


def test_targets_go_by_dependency_apps_then_spaces_then_profiles():
    assert list(teardown_targets(FOUND))[:3] == ["apps", "spaces", "user_profiles"]


def test_only_live_apps_in_spaces_are_stopped():
    assert teardown_targets(FOUND)["apps"] == [
        {"space": "team-1", "app_type": "JupyterLab", "app_name": "default"},
        {"space": "team-2", "app_type": "CodeEditor", "app_name": "default"},
    ]


def test_private_spaces_go_with_their_owner_not_with_the_spaces():
    targets = teardown_targets(FOUND)
    assert targets["spaces"] == [{"name": "team-2"}, {"name": "team-1"}]
    assert targets["user_profiles"] == [{"name": "ev-organizer"}, {"name": "ada-p"}]


def test_profiles_that_own_none_of_the_spaces_go_at_once_their_owners_after_them():
    # ada-p's private space goes with her: nothing she owns waits for the spaces; the organizer
    # owns the team spaces, so AWS refuses to delete it before them (and in a check run, where they stay)
    targets = teardown_targets(FOUND)
    assert targets["free_user_profiles"] == [{"name": "ada-p"}]
    assert targets["owners"] == [{"name": "ev-organizer"}]


def test_a_private_space_of_an_event_profile_goes_with_it_whatever_its_proof():
    found = {
        "apps": [
            {"name": "default", "space": "ada-p-space", "app_type": "CodeEditor", "status": "InService"},
            {"name": "default", "space": "theirs", "app_type": "CodeEditor", "status": "InService"},
        ],
        "spaces": [
            {"name": "ada-p-space", "proof": "tag", "owner": "ada-p", "sharing": "private"},
            # tagged by the event, but its owner is not the event's: it goes on its own, before its owner
            {"name": "theirs", "proof": "tag", "owner": "someone", "sharing": "private"},
        ],
        "user_profiles": [{"name": "ada-p", "proof": "registry"}],
    }
    targets = teardown_targets(found)
    assert targets["spaces"] == [{"name": "theirs"}]
    assert targets["apps"] == [{"space": "theirs", "app_type": "CodeEditor", "app_name": "default"}]
    assert targets["free_user_profiles"] == [{"name": "ada-p"}] and targets["owners"] == []
    assert targets["lines"][0] == "apps to stop: the app in ada-p-space, the app in theirs"


def test_the_listing_names_every_space_sorted_and_says_none():
    assert teardown_targets(FOUND)["lines"] == [
        "apps to stop: the app in team-1, the app in team-2",
        "spaces to delete: ada-p-home, team-1, team-2",
        "user profiles to delete: ada-p, ev-organizer",
    ]
    assert teardown_targets({"apps": [], "spaces": [], "user_profiles": []})["lines"] == [
        "apps to stop: none",
        "spaces to delete: none",
        "user profiles to delete: none",
    ]


def test_an_app_without_a_type_is_passed_without_one():
    found = {"apps": [{"name": "default", "space": "team-1", "status": "InService"}]}
    assert teardown_targets(found)["apps"] == [{"space": "team-1", "app_name": "default"}]


# URLs: whose.

PARTICIPANTS = [
    {"email": "Ada@Example.org", "team": "Team 7", "space": "team-7", "user_profile": "ada-p"},
    {"email": "alan@example.org", "team": "Team 7", "space": "team-7", "user_profile": "alan-p"},
    {"email": "grace@example.org", "team": "Альфа", "space": "team-alfa-x", "user_profile": "grace-p"},
]


@pytest.mark.parametrize("team", ["Team 7", "team 7", "7", "team-7", 7, "  TEAM   7 "])
def test_a_team_is_found_however_it_is_spelled(team):
    assert [p["user_profile"] for p in select_participants(PARTICIPANTS, team=team)] == ["ada-p", "alan-p"]


def test_an_unknown_team_selects_nobody():
    assert select_participants(PARTICIPANTS, team="8") == []


@pytest.mark.parametrize("email", ["ada@example.org", "ADA@EXAMPLE.ORG"])
def test_an_email_is_found_in_any_case(email):
    assert [p["user_profile"] for p in select_participants(PARTICIPANTS, email=email)] == ["ada-p"]


def test_an_email_matches_whole_not_as_a_pattern():
    assert select_participants(PARTICIPANTS, email="a.a@example.org") == []
    assert select_participants(PARTICIPANTS, email="ada@example") == []


def test_nobody_named_selects_everyone():
    assert select_participants(PARTICIPANTS) == PARTICIPANTS


def test_team_and_email_together_are_refused():
    with pytest.raises(ValueError, match="not both"):
        select_participants(PARTICIPANTS, team="7", email="ada@example.org")


# One list of app types, two ideas of an app's status.


def test_a_live_app_is_one_that_runs_or_starts():
    assert plan.LIVE_APP_STATUSES == ("Pending", "InService")


def test_the_status_table_shows_a_deleting_or_failed_app_but_not_a_deleted_one():
    participants = [{"space": s, "team": s, "user_profile": f"{s}-p"} for s in ("a", "b", "c", "d")]
    apps = [
        {"name": "default", "space": "a", "status": "Deleting"},
        {"name": "default", "space": "b", "status": "Failed"},
        {"name": "default", "space": "c", "status": "Deleted"},
        {"name": "default", "space": "d", "status": "Pending"},
    ]
    rows = event_status(participants, [], [], apps)["teams"]
    assert [r["app_status"] for r in rows] == ["Deleting", "Failed", "none", "Pending"]
    assert set(plan.SHOWN_APP_STATUSES) == set(plan.LIVE_APP_STATUSES) | {"Deleting", "Failed"}


def module_app_types(module: str) -> dict:
    """Where the module names app types: its APP_TYPES (its own list, or plan's imported) and the
    choices of every app_type option its DOCUMENTATION describes."""
    tree = ast.parse((ROOT / "plugins" / "modules" / f"{module}.py").read_text())
    lists = {}
    for node in tree.body:
        target = getattr(node, "targets", [None])[0]
        if isinstance(node, ast.Assign) and getattr(target, "id", None) == "APP_TYPES":
            lists[module] = tuple(ast.literal_eval(node.value))
        if isinstance(node, ast.ImportFrom) and any(alias.name == "APP_TYPES" for alias in node.names):
            lists[module] = plan.APP_TYPES
        if isinstance(node, ast.Assign) and getattr(target, "id", None) == "DOCUMENTATION":
            options = yaml.safe_load(node.value.value)["options"]
            for path, choices in _app_type_choices(options, module):
                lists[path] = tuple(choices)
    return lists


def _app_type_choices(options: dict, path: str):
    for name, option in options.items():
        if name == "app_type" and "choices" in option:
            yield f"{path}.{name}", option["choices"]
        yield from _app_type_choices(option.get("suboptions") or {}, f"{path}.{name}")


def test_every_list_of_app_types_is_plan_app_types():
    """The modules' lists and documentation, and the roles' argument specs, all say plan.APP_TYPES."""
    lists = {}
    for module in ("studio_app", "studio_space"):
        lists.update(module_app_types(module))
    for spec_file in sorted((ROOT / "roles").glob("*/meta/argument_specs.yml")):
        for entry, spec in yaml.safe_load(spec_file.read_text())["argument_specs"].items():
            option = (spec.get("options") or {}).get("studio_app_type")
            if option and "choices" in option:
                lists[f"{spec_file.parts[-3]}:{entry}"] = tuple(option["choices"])
    assert {"studio_app", "studio_space", "studio_space.app_type", "preflight:main"} <= set(lists), lists
    assert all(choices == plan.APP_TYPES for choices in lists.values()), lists


# The filters that put these before YAML.

PLAN_FILTERS = ("quota_kinds", "quota_needs", "teardown_lookup", "teardown_targets", "select_participants")


@pytest.mark.parametrize("name", PLAN_FILTERS)
def test_each_plan_filter_is_documented_under_its_own_name(name):
    module = importlib.import_module(f"ansible_collections.hackathon.studio.plugins.filter.{name}")
    assert yaml.safe_load(module.DOCUMENTATION)["name"] == name
    assert list(module.FilterModule().filters()) == [name]


def test_the_selection_filter_refuses_team_and_email_in_one_line():
    from ansible.errors import AnsibleFilterError
    from ansible_collections.hackathon.studio.plugins.filter.select_participants import filter_select_participants

    with pytest.raises(AnsibleFilterError, match="^Give team or email, not both.$"):
        filter_select_participants(PARTICIPANTS, team="7", email="ada@example.org")


def test_the_selection_filter_names_the_team_that_needs_a_library(monkeypatch):
    from ansible.errors import AnsibleFilterError
    from ansible_collections.hackathon.studio.plugins.filter.select_participants import filter_select_participants
    from ansible_collections.hackathon.studio.plugins.module_utils import roster as roster_module

    monkeypatch.setattr(roster_module, "anyascii", None)
    roster_module._transliterated.cache_clear()
    with pytest.raises(AnsibleFilterError, match="the team 'Омега' needs the Python library anyascii"):
        filter_select_participants(PARTICIPANTS, team="Омега")


def test_preflight_refuses_the_app_types_a_shared_space_cannot_run_as_plan_says():
    from ansible_collections.hackathon.studio.plugins.module_utils.readiness import setting_problems

    refused = {t for t in plan.APP_TYPES if setting_problems(t, "ml.t3.medium", [], ["ml.t3.medium"])["app_type"]}
    assert refused == set(plan.APP_TYPES) - set(plan.SHARED_SPACE_APP_TYPES)
    assert set(plan.SHARED_SPACE_APP_TYPES) < set(plan.APP_TYPES)
