"""Event scope: foreign resources in the same domain survive everything; teardown converges from any state."""

from __future__ import annotations

import time

import boto3

from tests.integration.playbooks.conftest import DOMAIN, foreign, foreign_resources, snapshot, wait


def test_foreign_resources_are_never_touched(run_playbook, inventory, emulator, sagemaker, tmp_path):
    foreign_resources(sagemaker)
    before = foreign(emulator)
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,2\nalan@example.org,2\n")
    setup = run_playbook("setup.yml", inventory, users=str(roster), studio_start_apps=True)
    assert setup.rc == 0, setup.stdout
    assert run_playbook("urls.yml", inventory).rc == 0
    assert run_playbook("status.yml", inventory).rc == 0
    assert foreign(emulator) == before

    # A roster team whose space name is taken by someone else's space is refused, never adopted.
    roster.write_text("ada@example.org,1\n")
    clash = run_playbook("setup.yml", inventory, users=str(roster))
    assert clash.rc != 0 and "team-1" in clash.task("Create the team spaces")["msg"]
    assert foreign(emulator) == before

    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    assert foreign(emulator) == before
    assert {kind: {i for i in items if i[3]} for kind, items in snapshot(emulator).items()}["spaces"] == set()


def test_check_mode_teardown_lists_without_deleting(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,2\n")
    assert run_playbook("setup.yml", inventory, users=str(roster)).rc == 0
    before = snapshot(emulator)
    mutating_before = {k: v for k, v in emulator.calls()["received"].items() if k.startswith(("Delete", "Create"))}
    check = run_playbook("teardown.yml", inventory, check=True)
    assert check.rc == 0, check.stdout
    listing = check.task("Show what goes")["msg"]
    assert listing[1] == "spaces to delete: team-1, team-2"
    assert "ada-" in listing[2] and "alan-" in listing[2] and "spring-organizer" in listing[2]
    deleted = check.task("Delete the event's spaces")["results"]
    assert sorted(r["name"] for r in deleted if r["action"] == "deleted") == ["team-1", "team-2"]
    # The participants' profiles are predicted too; their owner of the team spaces, still there in a check run, is not.
    profiles = check.task("Delete the event's user profiles")["results"]
    assert sorted(r["name"][:4] for r in profiles if r["action"] == "deleted") == ["ada-", "alan"]
    assert "spring-organizer" not in {r["name"] for r in profiles}
    assert snapshot(emulator) == before
    after = {k: v for k, v in emulator.calls()["received"].items() if k.startswith(("Delete", "Create"))}
    assert after == mutating_before


def test_teardown_converges_from_a_half_finished_setup(run_playbook, inventory, emulator, sagemaker, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,2\ngrace@example.org,3\n")
    assert run_playbook("setup.yml", inventory, users=str(roster)).rc == 0
    tags = [{"Key": "hackathon:event", "Value": "spring"}]
    # Mid-flight states: apps Pending, Failed and Deleting, a profile still Pending.
    emulator.faults(fail_next_apps=1)
    for space in ("team-1", "team-2", "team-3"):
        sagemaker.create_app(DomainId=DOMAIN, SpaceName=space, AppType="JupyterLab", AppName="default", Tags=tags)
    time.sleep(2)  # team-1 Failed, the others InService
    sagemaker.delete_app(DomainId=DOMAIN, SpaceName="team-2", AppType="JupyterLab", AppName="default")
    emulator.faults(stuck_next_apps=1)
    sagemaker.delete_app(DomainId=DOMAIN, SpaceName="team-3", AppType="JupyterLab", AppName="default")
    sagemaker.create_user_profile(DomainId=DOMAIN, UserProfileName="late-arrival", Tags=tags)
    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    state = emulator.state()
    assert state["user_profiles"] == [] and state["spaces"] == []
    # AWS deleted the failed app itself: it stays listed as Failed (terraform-provider-aws#27265)
    assert sorted(a["status"] for a in state["apps"]) == ["Deleted", "Deleted", "Failed"]


def private_space(sagemaker, owner: str, name: str) -> None:
    sagemaker.create_space(
        DomainId=DOMAIN,
        SpaceName=name,
        SpaceSettings={"AppType": "JupyterLab"},
        OwnershipSettings={"OwnerUserProfileName": owner},
        SpaceSharingSettings={"SharingType": "Private"},
    )
    wait(lambda: sagemaker.describe_space(DomainId=DOMAIN, SpaceName=name))


def gone(emulator, kind: str, name: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while any(item["name"] == name for item in emulator.state()[kind]):
        assert time.monotonic() < deadline, f"{name} still there"
        time.sleep(0.1)


def warnings_of(run) -> str:
    return " ".join(
        w for play in run.report["plays"] for t in play["tasks"] for w in t["hosts"]["localhost"].get("warnings", [])
    )


def test_teardown_of_an_event_never_set_up_deletes_what_only_has_its_names(
    run_playbook, inventory, emulator, sagemaker
):
    # Somebody else's profile that happens to be called like the organizer of "spring", with a private space.
    sagemaker.create_user_profile(DomainId=DOMAIN, UserProfileName="spring-organizer")
    wait(lambda: sagemaker.describe_user_profile(DomainId=DOMAIN, UserProfileName="spring-organizer"))
    private_space(sagemaker, "spring-organizer", "their-notebooks")
    # Whoever can write the registry forges a record of it, with its true creation time: no tag, no proof.
    assert run_playbook("configure.yml", inventory).rc == 0  # the registry table
    created = sagemaker.describe_user_profile(DomainId=DOMAIN, UserProfileName="spring-organizer")["CreationTime"]
    forged = {"kind": "user_profiles", "name": "spring-organizer", "creation_time": created.isoformat()}
    boto3.resource("dynamodb", **emulator.client_kwargs()).Table("hackathon-studio-registry").put_item(
        Item={
            "event": "spring",
            "item": f"resource#{DOMAIN}#user_profiles#spring-organizer",
            **forged,
            "domain_id": DOMAIN,
        }
    )
    before = snapshot(emulator)
    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    assert snapshot(emulator) == before
    assert "user profile spring-organizer" in warnings_of(teardown) and "left alone" in warnings_of(teardown)


def test_names_taken_over_after_an_out_of_band_deletion_are_never_the_events(
    run_playbook, inventory, emulator, sagemaker, tmp_path
):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,2\n")
    assert run_playbook("setup.yml", inventory, users=str(roster)).rc == 0
    [alan] = [p["name"] for p in emulator.state()["user_profiles"] if p["name"].startswith("alan-")]
    # The event's alan and team-2 are deleted by hand; others create resources under the same names.
    sagemaker.delete_space(DomainId=DOMAIN, SpaceName="team-2")
    gone(emulator, "spaces", "team-2")
    sagemaker.delete_user_profile(DomainId=DOMAIN, UserProfileName=alan)
    gone(emulator, "user_profiles", alan)
    sagemaker.create_user_profile(DomainId=DOMAIN, UserProfileName=alan)
    wait(lambda: sagemaker.describe_user_profile(DomainId=DOMAIN, UserProfileName=alan))
    private_space(sagemaker, alan, "alans-own-work")
    foreign_resources(sagemaker, space="team-2")  # a shared team-2 of another owner, with a running app
    before = foreign(emulator)

    # Setup does not take the foreign profile for the event's, although the registry holds its name.
    again = run_playbook("setup.yml", inventory, users=str(roster))
    assert again.rc != 0 and alan in again.stdout
    assert foreign(emulator) == before

    # Prune (alan and team 2 leave the roster): the profile, its private space and team-2 are left alone.
    roster.write_text("ada@example.org,1\n")
    prune = run_playbook("setup.yml", inventory, users=str(roster), studio_prune=True)
    assert prune.rc == 0, prune.stdout
    assert foreign(emulator) == before
    assert f"user profile {alan} was left alone" in warnings_of(prune)
    assert "space team-2 was left alone" in warnings_of(prune)

    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    assert foreign(emulator) == before
    assert {kind: {i for i in items if i[3]} for kind, items in snapshot(emulator).items()} == {
        "user_profiles": set(),
        "spaces": set(),
        "apps": set(),
    }
