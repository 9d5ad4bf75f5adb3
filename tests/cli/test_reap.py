"""`studio reap`: which of the event's apps it would stop (--check) and why, then stops them; nothing
the second time; and one clear line when no rule is set."""

from __future__ import annotations

import yaml


def test_reap_check_then_reap_then_nothing(studio, inventory, emulator, sample, mutating_calls):
    assert studio("configure", "--event", "spring", inventory=inventory).rc == 0
    assert studio("setup-users", sample, "--start-apps", inventory=inventory).rc == 0
    settings = inventory / "host_vars" / "localhost" / "reap.yml"
    settings.write_text(yaml.safe_dump({"studio_app_max_age": "8h", "studio_event_end": "2020-01-01T00:00:00Z"}))

    before = mutating_calls(emulator)
    check = studio("reap", "--check", "--json", inventory=inventory)
    assert check.rc == 0, check
    assert check.doc["check_mode"] is True and check.doc["summary"]["apps"]["deleted"] == 4
    reasons = {app["reason"] for app in check.doc["stopped"]}
    assert reasons == {"the event ended at 2020-01-01T00:00:00+00:00 (studio_event_end)"}
    assert sorted(app["name"] for app in check.doc["stopped"]) == [
        f"JupyterLab/default of space team-{n}" for n in range(1, 5)
    ]
    assert mutating_calls(emulator) == before
    assert {a["status"] for a in emulator.state()["apps"]} == {"InService"}

    reaped = studio("reap", inventory=inventory)
    assert reaped.rc == 0, reaped
    assert "stopped JupyterLab/default of space team-1 (localhost): the event ended" in reaped.output
    assert {a["status"] for a in emulator.state()["apps"]} == {"Deleted"}

    again = studio("reap", "--json", inventory=inventory)
    assert again.rc == 0 and again.doc["stopped"] == [], again


def test_reap_without_a_rule_says_which_to_set(studio, inventory, emulator):
    run = studio("reap", "--json", inventory=inventory)
    assert run.rc == 2, run
    assert any(
        "reap needs a rule: set studio_app_max_age, studio_event_hours or studio_event_end" in e
        for e in run.doc["errors"]
    ), run
    assert emulator.calls()["received"].get("ListApps", 0) == 0
