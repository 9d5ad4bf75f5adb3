"""Event scope: foreign resources in the same domain survive everything; teardown converges from any state."""

from __future__ import annotations

import time

from tests.integration.playbooks.conftest import DOMAIN, foreign, foreign_resources, snapshot


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
    assert {a["status"] for a in state["apps"]} <= {"Deleted"}
