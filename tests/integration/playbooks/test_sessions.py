"""urls.yml opens Studio sessions as long as studio_session_duration, never AWS's 12-hour default."""

from __future__ import annotations

ROSTER = "ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n"


def sessions(emulator) -> list:
    """The session duration of every presigned URL minted so far (the emulator records them)."""
    return sorted(u["session_duration"] for p in emulator.state()["user_profiles"] for u in p["presigned_urls"])


def test_urls_pass_the_session_duration(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    assert run_playbook("configure.yml", inventory).rc == 0
    setup = run_playbook("setup.yml", inventory, users=str(roster))
    assert setup.rc == 0, setup.stdout[-3000:] + setup.stderr[-2000:]

    default = run_playbook("urls.yml", inventory)
    assert default.rc == 0, default.stdout
    assert sessions(emulator) == [28800] * 3

    shorter = run_playbook("urls.yml", inventory, studio_session_duration=3600)
    assert shorter.rc == 0, shorter.stdout
    assert sessions(emulator) == [3600] * 3 + [28800] * 3

    longer = run_playbook("urls.yml", inventory, studio_session_duration=43201)
    assert longer.rc != 0
    assert "session_duration must be between 1800 and 43200 seconds, got 43201" in longer.stdout
    assert len(sessions(emulator)) == 6  # refused before any URL was asked for
