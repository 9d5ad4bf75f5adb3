"""`studio status` with the portal: who has logged in, when last, how many attempts failed, from the audit trail."""

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.status import event_status, login_activity, status_lines

PARTICIPANTS = [
    {"email": "Ada@example.org", "team": "1", "user_profile": "ada", "space": "team-1"},
    {"email": "alan@example.org", "team": "1", "user_profile": "alan", "space": "team-1"},
    {"email": "grace@example.org", "team": "2", "user_profile": "grace", "space": "team-2"},
]
AUDIT = [
    {"email": "ada@example.org", "time": "2026-11-26T09:05:00.000000Z", "outcome": "success", "client": "10.0.0.1"},
    {"email": "ada@example.org", "time": "2026-11-26T09:00:00.000000Z", "outcome": "refused", "client": "10.0.0.1"},
    {"email": "ada@example.org", "time": "2026-11-26T11:00:00.000000Z", "outcome": "success", "client": "10.0.0.2"},
    {"email": "ada@example.org", "time": "2026-11-26T10:00:00.000000Z", "outcome": "success", "client": "10.0.0.1"},
    {"email": "grace@example.org", "time": "2026-11-26T09:01:00.000000Z", "outcome": "refused", "client": "10.0.0.3"},
    {"email": "grace@example.org", "time": "2026-11-26T09:02:00.000000Z", "outcome": "limited", "client": "10.0.0.3"},
    {"email": "mallory@example.org", "time": "2026-11-26T09:03:00.000000Z", "outcome": "refused", "client": "x"},
    {"email": "", "time": "2026-11-26T09:04:00.000000Z", "outcome": "refused", "client": "x"},
    # An emailed code's delivery: no attempt to log in, neither failed nor successful.
    {"email": "grace@example.org", "time": "2026-11-26T09:06:00.000000Z", "outcome": "sent", "client": "10.0.0.3"},
    {"email": "mallory@example.org", "time": "2026-11-26T09:07:00.000000Z", "outcome": "not_registered"},
    {"email": "ada@example.org", "time": "2026-11-26T09:08:00.000000Z", "outcome": "send_failed"},
]


def test_login_activity_per_email_latest_success_and_failures():
    activity = login_activity(AUDIT)
    assert activity == {
        "ada@example.org": {"last_login": "2026-11-26T11:00:00.000000Z", "logins": 3, "failed_logins": 1},
        "grace@example.org": {"last_login": None, "logins": 0, "failed_logins": 2},
        "mallory@example.org": {"last_login": None, "logins": 0, "failed_logins": 1},
    }
    assert login_activity([]) == {}


def test_status_says_who_has_logged_in_per_participant_per_team_and_in_total():
    status = event_status(PARTICIPANTS, [], [], [], logins=login_activity(AUDIT))
    assert status["totals"]["logged_in"] == 1 and status["totals"]["participants"] == 3
    assert [(p["email"], p["last_login"], p["logins"], p["failed_logins"]) for p in status["logins"]] == [
        ("Ada@example.org", "2026-11-26T11:00:00.000000Z", 3, 1),
        ("alan@example.org", None, 0, 0),
        ("grace@example.org", None, 0, 2),
    ]
    teams = {row["space"]: row for row in status["teams"]}
    assert {k: teams["team-1"][k] for k in ("logged_in", "last_login", "failed_logins")} == {
        "logged_in": 1,
        "last_login": "2026-11-26T11:00:00.000000Z",
        "failed_logins": 1,
    }
    assert {k: teams["team-2"][k] for k in ("logged_in", "last_login", "failed_logins")} == {
        "logged_in": 0,
        "last_login": None,
        "failed_logins": 2,
    }
    assert "1 of 3 participants have logged in at the portal" in status_lines(status)
    assert "mallory" not in str(status)  # not a participant: not in the event's status


def test_without_the_portal_status_is_unchanged():
    status = event_status(PARTICIPANTS, [], [], [])
    assert "logins" not in status and "logged_in" not in status["totals"]
    assert not any("logged" in line for line in status_lines(status))
    assert all("logged_in" not in row for row in status["teams"])
    empty = event_status(PARTICIPANTS, [], [], [], logins={})  # the portal in use, nobody in yet
    assert empty["totals"]["logged_in"] == 0 and [p["last_login"] for p in empty["logins"]] == [None] * 3
