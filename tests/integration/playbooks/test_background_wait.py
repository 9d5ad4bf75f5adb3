"""Setup's wait for the participants' profiles, created in the background: one waiting process, not a poll a
second; and what setup does meanwhile."""

from __future__ import annotations


def test_setup_collects_the_background_profiles_once_they_are_done(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("".join(f"p{i}@example.org,{i % 3}\n" for i in range(24)))
    # 4 profiles a second: the participants' are still being created for seconds after the spaces are done.
    emulator.faults(throttle={"rps": 4, "burst": 1, "actions": ["CreateUserProfile"]})
    setup = run_playbook("setup.yml", inventory, users=str(roster))
    assert setup.rc == 0, setup.stdout
    waited = setup.task("Wait for the participants' user profiles to finish in the background")
    assert waited["elapsed"] >= 1, waited  # it did wait, the job was not done yet
    collected = setup.task("Wait for the participants' user profiles")
    # Polling async_status once a second started a Python process every second of the wait.
    assert collected.get("attempts", 1) == 1, collected
    assert collected["summary"]["created"] == 24
    assert len([p for p in emulator.state()["user_profiles"] if p["name"].startswith("p")]) == 24
    # The registry's table was made while the profiles were: the writes at the end found it there.
    assert setup.task("Create the registry table")["table_created"] is True
    assert setup.task("Record who is where")["table_created"] is False
    rerun = run_playbook("setup.yml", inventory, users=str(roster))
    assert rerun.rc == 0 and rerun.task("Create the registry table").get("skipped"), rerun.stdout
