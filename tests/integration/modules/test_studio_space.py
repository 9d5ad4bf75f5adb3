"""studio_space against the live emulator: the amazon.aws rhythm, diff, tags, immutable fields, cascade, batches."""

from __future__ import annotations

import time
from collections import Counter

DOMAIN_ID = "d-hackathon0001"
EVENT = {"hackathon:event": "spring"}
MUTATING = ("Create", "Update", "Delete", "Add")


def space_task(check_mode: bool = False, **args):
    task = {"hackathon.studio.studio_space": args, "register": "out", "ignore_errors": True}
    if check_mode:
        task["check_mode"] = True
    return task


def mutations(emulator) -> Counter:
    """Changing calls per action that succeeded since the emulator's reset."""
    calls = emulator.calls()
    done = {a: n - calls["failed"].get(a, 0) - calls["throttled"].get(a, 0) for a, n in calls["received"].items()}
    return Counter({a: n for a, n in done.items() if a.startswith(MUTATING) and n})


def wait_until(emulator, condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition(emulator.state()):
        assert time.monotonic() < deadline, f"timed out: {emulator.state()}"
        time.sleep(0.05)


def make_private_space(sagemaker, emulator, name: str, owner: str) -> None:
    """A user profile and its private JupyterLab space, made directly: setup, not what is tested."""
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=owner)
    wait_until(emulator, lambda state: state["user_profiles"][0]["status"] == "InService")
    sagemaker.create_space(
        DomainId=DOMAIN_ID,
        SpaceName=name,
        SpaceSettings={"AppType": "JupyterLab"},
        OwnershipSettings={"OwnerUserProfileName": owner},
        SpaceSharingSettings={"SharingType": "Private"},
    )
    wait_until(emulator, lambda state: state["spaces"][0]["status"] == "InService")


def test_lifecycle_check_create_idempotent_delete(playbook, emulator):
    team = dict(name="team-1", app_type="JupyterLab", storage_size=10, display_name="Team 1", idle_timeout=120)
    run = playbook(
        [
            space_task(name="bad_name"),
            space_task(name="team-1", owner="ghost"),
            space_task(check_mode=True, **team, tags=EVENT),
            space_task(**team, tags=EVENT),
            space_task(**team, tags=EVENT),
        ]
    )
    bad_name, ghost_owner, check, created, again = run.results
    assert bad_name["failed"] and "bad_name" in bad_name["msg"] and "ValidationException" in bad_name["msg"]
    assert ghost_owner["failed"] and "ghost" in ghost_owner["msg"]
    assert check["changed"] and check["results"] == [
        {"name": "team-1", "kind": "spaces", "action": "created", "changed": True, "status": None, "tags": EVENT}
    ]
    assert created["changed"] and created["results"][0]["action"] == "created"
    assert created["results"][0]["status"] == "InService"
    assert not again["changed"] and again["results"][0]["action"] == "unchanged"
    [space] = emulator.state()["spaces"]
    assert (space["name"], space["status"], space["app_type"]) == ("team-1", "InService", "JupyterLab")
    assert (space["owner"], space["sharing"], space["tags"]) == (None, None, EVENT)
    assert mutations(emulator) == {"CreateSpace": 1}  # check mode and the second run changed nothing

    run = playbook(
        [
            space_task(check_mode=True, name="team-1", state="absent"),
            space_task(name="team-1", state="absent"),
            space_task(name="team-1", state="absent"),
        ]
    )
    check, deleted, again = run.results
    assert check["changed"] and check["results"][0]["action"] == "deleted"
    assert deleted["changed"] and deleted["results"][0]["action"] == "deleted"
    assert not again["changed"] and again["results"][0]["action"] == "unchanged"
    assert emulator.state()["spaces"] == []
    assert mutations(emulator) == {"CreateSpace": 1, "DeleteSpace": 1}


def test_diff_tags_and_settings(playbook, emulator, sagemaker):
    base = dict(name="team-2", app_type="JupyterLab", storage_size=10)  # a shared space: JupyterLab only
    grown = dict(base, storage_size=20, display_name="Team 2", idle_timeout=90)
    run = playbook(
        [
            space_task(**base, tags={"a": "1", "b": "2"}),
            space_task(**base, tags={"a": "1", "b": "3", "c": "4"}, purge_tags=False),
            space_task(**base),  # tags unset: left alone
            space_task(**base, tags={"a": "1"}),
            space_task(**grown),
            space_task(**grown),
            space_task(**base),  # 10 GB after 20 GB: a volume cannot shrink
        ],
        diff=True,
    )
    created, tags_changed, tags_alone, purged, settings, settings_again, shrink = run.results
    assert created["diff"]["before"] == {"team-2": {}}
    assert created["diff"]["after"]["team-2"]["tags"] == {"a": "1", "b": "2"}
    assert tags_changed["results"][0]["action"] == "updated"
    assert tags_changed["diff"] == {
        "before": {"team-2": {"storage_size": 10, "tags": {"a": "1", "b": "2"}}},
        "after": {"team-2": {"storage_size": 10, "tags": {"a": "1", "b": "3", "c": "4"}}},
    }
    assert not tags_alone["changed"] and tags_alone["diff"] == {"before": {}, "after": {}}
    assert purged["changed"] and purged["diff"]["after"]["team-2"]["tags"] == {"a": "1"}
    assert settings["results"][0]["action"] == "updated"
    assert settings["diff"] == {
        "before": {"team-2": {"storage_size": 10, "display_name": None, "idle_timeout": None}},
        "after": {"team-2": {"storage_size": 20, "display_name": "Team 2", "idle_timeout": 90}},
    }
    assert not settings_again["changed"]
    assert shrink["failed"] and not shrink["changed"] and "cannot shrink to 10 GB" in shrink["msg"]

    assert emulator.state()["spaces"][0]["tags"] == {"a": "1"}
    described = sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName="team-2")
    assert described["SpaceDisplayName"] == "Team 2"
    assert described["SpaceSettings"]["SpaceStorageSettings"]["EbsStorageSettings"]["EbsVolumeSizeInGb"] == 20
    idle = described["SpaceSettings"]["JupyterLabAppSettings"]["AppLifecycleManagement"]["IdleSettings"]
    assert idle["IdleTimeoutInMinutes"] == 90
    assert mutations(emulator) == {"CreateSpace": 1, "AddTags": 1, "DeleteTags": 1, "UpdateSpace": 1}


def test_immutable_fields_fail_and_change_nothing(playbook, emulator, sagemaker):
    make_private_space(sagemaker, emulator, "ada-space", owner="ada")
    run = playbook(
        [
            space_task(name="ada-space", owner="bob", sharing="shared", app_type="CodeEditor", storage_size=50),
            space_task(name="ada-space", owner="ada"),  # sharing unset: not compared
        ]
    )
    changed, same = run.results
    assert changed["failed"] and not changed["changed"]
    for part in (
        "app_type is 'JupyterLab', not 'CodeEditor'",
        "owner is 'ada', not 'bob'",
        "sharing is 'private', not 'shared'",
        "nothing was done",
    ):
        assert part in changed["msg"]
    assert not same["changed"] and not same.get("failed")
    [space] = emulator.state()["spaces"]
    assert (space["owner"], space["sharing"], space["app_type"]) == ("ada", "Private", "JupyterLab")
    assert mutations(emulator) == {"CreateUserProfile": 1, "CreateSpace": 1}  # the setup's


def test_absent_refuses_a_space_with_apps_unless_cascade(playbook, emulator, sagemaker):
    make_private_space(sagemaker, emulator, "ada-space", owner="ada")
    sagemaker.create_app(DomainId=DOMAIN_ID, SpaceName="ada-space", AppType="JupyterLab", AppName="default")
    wait_until(emulator, lambda state: state["apps"][0]["status"] == "InService")
    run = playbook(
        [
            space_task(name="ada-space", state="absent"),
            space_task(check_mode=True, name="ada-space", state="absent", cascade=True),
            space_task(name="ada-space", state="absent", cascade=True, wait=False),
        ]
    )
    refused, check, cascaded = run.results
    assert refused["failed"] and not refused["changed"]
    assert "space ada-space still has apps ['JupyterLab/default of space ada-space']" in refused["msg"]
    assert check["changed"] and check["results"][0]["action"] == "deleted"
    assert cascaded["changed"] and cascaded["results"][0]["action"] == "deleted"
    state = emulator.state()
    assert [(s["name"], s["status"]) for s in state["spaces"]] in ([], [("ada-space", "Deleting")])
    assert [(a["space"], a["status"]) for a in state["apps"]] == [("ada-space", "Deleted")]
    # The app was stopped before the space was deleted (the emulator refuses DeleteSpace while an app
    # lives), even with wait: false; check mode stopped nothing.
    assert emulator.calls()["failed"].get("DeleteSpace", 0) == 0
    assert mutations(emulator) == {
        "CreateUserProfile": 1,
        "CreateSpace": 1,
        "CreateApp": 1,
        "DeleteApp": 1,
        "DeleteSpace": 1,
    }


def test_absent_waits_for_an_app_already_stopping(playbook, emulator, sagemaker):
    sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName="team-4", SpaceSettings={"AppType": "JupyterLab"})
    wait_until(emulator, lambda state: state["spaces"][0]["status"] == "InService")
    sagemaker.create_app(DomainId=DOMAIN_ID, SpaceName="team-4", AppType="JupyterLab", AppName="default")
    wait_until(emulator, lambda state: state["apps"][0]["status"] == "InService")
    sagemaker.delete_app(DomainId=DOMAIN_ID, SpaceName="team-4", AppType="JupyterLab", AppName="default")
    deleted = playbook([space_task(name="team-4", state="absent")])[0]
    assert deleted["changed"] and deleted["results"][0]["action"] == "deleted"
    assert emulator.state()["spaces"] == []
    assert emulator.calls()["received"]["DeleteApp"] == 1  # the setup's: a stopping app is not stopped again


def test_batch_with_partial_failure(playbook, emulator, sagemaker):
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="ada")
    wait_until(emulator, lambda state: state["user_profiles"][0]["status"] == "InService")
    spaces = [
        {"name": "shared-1", "app_type": "JupyterLab", "tags": {"team": "1"}},
        {"name": "ada-private", "owner": "ada", "sharing": "private"},
        {"name": "bad_name"},
        {"name": "nobody-private", "sharing": "private"},
        {"name": "ghost-space", "owner": "ghost"},
        {"name": "idle-space", "idle_timeout": 60},
    ]
    result = playbook([space_task(tags=EVENT, spaces=spaces)])[0]
    assert result["failed"] and result["changed"] and result["failed_count"] == 4
    assert [(r["name"], r["action"]) for r in result["results"]] == [
        ("shared-1", "created"),
        ("ada-private", "created"),
        ("bad_name", "failed"),
        ("nobody-private", "failed"),
        ("ghost-space", "failed"),
        ("idle-space", "failed"),
    ]
    assert result["msg"].startswith("4 of 6 failed: ")
    for part in ("bad_name", "nobody-private: a private space needs an owner", "ghost", "idle-space: idle_timeout"):
        assert part in result["msg"]
    state = {s["name"]: s for s in emulator.state()["spaces"]}
    assert sorted(state) == ["ada-private", "shared-1"]
    assert state["shared-1"]["tags"] == {**EVENT, "team": "1"}
    assert (state["ada-private"]["owner"], state["ada-private"]["sharing"]) == ("ada", "Private")
    assert state["ada-private"]["tags"] == EVENT
