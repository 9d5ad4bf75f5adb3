"""studio_user_profile against the live emulator: the amazon.aws rhythm, batches, tags, cascade."""

from __future__ import annotations

EVENT = {"hackathon:event": "spring"}


def profile_task(**args):
    return {"hackathon.studio.studio_user_profile": args, "register": "out", "ignore_errors": True}


def mutating(calls: dict) -> int:
    return sum(n for action, n in calls["received"].items() if action.startswith(("Create", "Update", "Delete", "Add")))


def test_lifecycle_check_create_idempotent_delete(playbook, emulator):
    assert playbook([profile_task(name="bad name")])[0]["failed"]
    created_check = playbook([profile_task(name="ada", tags=EVENT)], check=True)[0]
    assert created_check["changed"] and created_check["results"][0]["action"] == "created"
    assert emulator.state()["user_profiles"] == []

    created = playbook([profile_task(name="ada", tags=EVENT)], diff=True)[0]
    assert created["changed"] and created["results"][0]["status"] == "InService"
    assert created["diff"]["after"]["ada"]["tags"] == EVENT
    [profile] = emulator.state()["user_profiles"]
    assert (profile["name"], profile["status"], profile["tags"]) == ("ada", "InService", EVENT)

    before = mutating(emulator.calls())
    again = playbook([profile_task(name="ada", tags=EVENT)])[0]
    assert not again["changed"] and again["results"][0]["action"] == "unchanged"
    assert mutating(emulator.calls()) == before

    deleted_check = playbook([profile_task(name="ada", state="absent")], check=True)[0]
    assert deleted_check["changed"] and len(emulator.state()["user_profiles"]) == 1
    deleted = playbook([profile_task(name="ada", state="absent")])[0]
    assert deleted["changed"] and emulator.state()["user_profiles"] == []
    assert not playbook([profile_task(name="ada", state="absent")])[0]["changed"]


def test_tags_add_change_purge_and_leave_alone(playbook, emulator):
    playbook([profile_task(name="ada", tags={"a": "1", "b": "2"})])
    changed = playbook([profile_task(name="ada", tags={"a": "1", "b": "3", "c": "4"}, purge_tags=False)], diff=True)[0]
    assert changed["results"][0]["action"] == "updated"
    assert emulator.state()["user_profiles"][0]["tags"] == {"a": "1", "b": "3", "c": "4"}
    assert not playbook([profile_task(name="ada")])[0]["changed"]  # tags unset: left alone
    purged = playbook([profile_task(name="ada", tags={"a": "1"})])[0]
    assert purged["changed"] and emulator.state()["user_profiles"][0]["tags"] == {"a": "1"}


def test_batch_under_throttling_and_partial_failure(playbook, emulator):
    emulator.faults(throttle={"rps": 20, "burst": 5, "actions": ["CreateUserProfile"]})
    names = [f"user-{i}" for i in range(200)]
    result = playbook([profile_task(tags=EVENT, profiles=[{"name": n} for n in names] + [{"name": "no_underscores"}])])[
        0
    ]
    assert result["failed"] and result["failed_count"] == 1
    assert "no_underscores" in result["msg"]
    assert sum(r["action"] == "created" for r in result["results"]) == 200
    assert emulator.calls()["throttled"].get("CreateUserProfile", 0) > 0
    assert len(emulator.state()["user_profiles"]) == 200


def test_case_insensitive_duplicate_names_fail_clearly(playbook, emulator):
    playbook([profile_task(name="Niklas")])
    result = playbook([profile_task(name="niklas")])[0]
    assert result["failed"] and "ResourceInUse" in result["msg"]


def test_absent_refuses_owner_of_spaces_unless_cascade(playbook, sagemaker, emulator):
    playbook([profile_task(name="ada"), profile_task(name="org")])
    for space, owner, sharing in (("ada-private", "ada", "Private"), ("team-1", "org", "Shared")):
        sagemaker.create_space(
            DomainId="d-hackathon0001",
            SpaceName=space,
            SpaceSettings={"AppType": "JupyterLab"},
            OwnershipSettings={"OwnerUserProfileName": owner},
            SpaceSharingSettings={"SharingType": sharing},
        )
    refused = playbook([profile_task(name="ada", state="absent")])[0]
    assert refused["failed"] and "ada-private" in refused["msg"]
    cascaded = playbook([profile_task(name="ada", state="absent", cascade=True)])[0]
    assert cascaded["changed"] and not cascaded.get("failed")
    state = emulator.state()
    assert [p["name"] for p in state["user_profiles"]] == ["org"]
    assert [s["name"] for s in state["spaces"]] == ["team-1"]
    shared = playbook([profile_task(name="org", state="absent", cascade=True)])[0]
    assert shared["failed"] and "team-1" in shared["msg"] and len(emulator.state()["spaces"]) == 1


def test_adopt_false_leaves_someone_elses_profile_alone(playbook, sagemaker, emulator):
    sagemaker.create_user_profile(
        DomainId="d-hackathon0001", UserProfileName="carol", Tags=[{"Key": "team", "Value": "x"}]
    )
    run = playbook(
        [
            profile_task(name="carol", tags=EVENT, purge_tags=False, adopt=False),
            profile_task(name="carol", tags=EVENT, purge_tags=False),
        ]
    )
    assert run[0]["failed"] and "carol exists without the tags" in run[0]["msg"]
    assert run[1]["changed"]  # adopt defaults to true, as in amazon.aws: the tag is added
    assert emulator.state()["user_profiles"][0]["tags"] == {"team": "x", **EVENT}


def test_a_failed_profile_of_the_event_is_made_again_and_a_foreign_failed_one_left_alone(playbook, emulator, sagemaker):
    emulator.faults(fail_next_profiles=1)
    failed = playbook([profile_task(tags=EVENT, profiles=[{"name": "ada"}])])[0]
    assert failed["failed"] and "user profile ada ended in Failed status" in failed["msg"]
    emulator.faults(fail_next_profiles=1)  # someone else's profile, failed too, with a name the event asks for
    sagemaker.create_user_profile(
        DomainId="d-hackathon0001", UserProfileName="grace", Tags=[{"Key": "hackathon:event", "Value": "autumn"}]
    )
    again = playbook([profile_task(tags=EVENT, profiles=[{"name": "ada"}, {"name": "grace"}])])[0]
    results = {r["name"]: r for r in again["results"]}
    assert (results["ada"]["action"], results["ada"]["status"]) == ("created", "InService")
    assert results["ada"]["msg"].startswith("user profile ada is deleted and created again: it was in Failed status")
    assert results["grace"]["action"] == "failed" and "not provably the event's" in results["grace"]["msg"]
    profiles = {p["name"]: p for p in emulator.state()["user_profiles"]}
    assert (profiles["ada"]["status"], profiles["ada"]["tags"]) == ("InService", EVENT)
    assert (profiles["grace"]["status"], profiles["grace"]["tags"]) == ("Failed", {"hackathon:event": "autumn"})
