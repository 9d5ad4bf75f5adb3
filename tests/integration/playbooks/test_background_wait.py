"""Setup's wait for the participants' profiles, created in the background: collected in the controller's
process, not by a Python process a second; and what setup does meanwhile."""

from __future__ import annotations

import datetime
from pathlib import Path


def seconds(run, name: str) -> float:
    """How long the last task named like ``name`` took, as ansible.posix.json's output times it."""
    task = [t["task"]["duration"] for play in run.report["plays"] for t in play["tasks"] if name in t["task"]["name"]][
        -1
    ]
    start, end = (datetime.datetime.fromisoformat(task[key].replace("Z", "+00:00")) for key in ("start", "end"))
    return (end - start).total_seconds()


def test_setup_collects_the_background_profiles_once_they_are_done(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("".join(f"p{i}@example.org,{i % 3}\n" for i in range(24)))
    # 4 profiles a second: the participants' are still being created for seconds after the spaces are done.
    emulator.faults(throttle={"rps": 4, "burst": 1, "actions": ["CreateUserProfile"]})
    setup = run_playbook("setup.yml", inventory, users=str(roster))
    assert setup.rc == 0, setup.stdout
    collected = setup.task("Wait for the participants' user profiles")
    assert seconds(setup, "Wait for the participants' user profiles") >= 1  # it did wait, the job was not done yet
    assert collected["finished"] is True and collected["summary"]["created"] == 24
    assert not Path(setup.task("Make a private directory for the background job's status")["path"]).exists()
    assert len([p for p in emulator.state()["user_profiles"] if p["name"].startswith("p")]) == 24
    # The registry's table was made while the profiles were: the writes at the end found it there.
    assert setup.task("Create the registry table")["table_created"] is True
    assert setup.task("Record who is where")["table_created"] is False
    rerun = run_playbook("setup.yml", inventory, users=str(roster))
    assert rerun.rc == 0 and rerun.task("Create the registry table").get("skipped"), rerun.stdout
