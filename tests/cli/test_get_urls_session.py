"""`studio get-urls --session-duration`: the Studio sessions the URLs open, and a refused length."""

from __future__ import annotations

ROSTER = "ada@example.org,1\nalan@example.org,1\n"


def sessions(emulator) -> list:
    return sorted(u["session_duration"] for p in emulator.state()["user_profiles"] for u in p["presigned_urls"])


def test_get_urls_session_duration(studio, inventory, emulator, tmp_path, never_shown):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    assert studio("configure", "--event", "spring", inventory=inventory).rc == 0
    assert studio("setup-users", roster, inventory=inventory).rc == 0

    run = studio("get-urls", inventory=inventory)
    assert run.rc == 0, run
    shorter = studio("get-urls", "--session-duration", "3600", inventory=inventory)
    assert shorter.rc == 0, shorter
    assert sessions(emulator) == [3600, 3600, 28800, 28800]

    refused = studio("get-urls", "--session-duration", "43201", inventory=inventory)
    assert refused.rc == 2, refused
    assert "session_duration must be between 1800 and 43200 seconds, got 43201" in refused.stderr
    assert "Traceback" not in refused.output
    assert len(sessions(emulator)) == 4  # nothing asked for
    for secret in never_shown:
        assert secret not in run.output + shorter.output + refused.output
