"""studio_reap against the live emulator: it stops exactly the event's apps past their age, every app
of the event after its end, never a foreign app, and a second run changes nothing."""

from __future__ import annotations

import time

DOMAIN_ID = "d-hackathon0001"
EVENT = {"hackathon:event": "spring"}


def reap_task(check_mode: bool = False, **args):
    task = {
        "hackathon.studio.studio_reap": {"domain_id": DOMAIN_ID, "tags": EVENT, **args},
        "register": "out",
        "ignore_errors": True,
    }
    if check_mode:
        task["check_mode"] = True
    return task


def app_statuses(emulator) -> dict:
    return {a["space"]: a["status"] for a in emulator.state()["apps"]}


def wait_apps(emulator, wanted: dict) -> None:
    deadline = time.monotonic() + 10
    while {space: app_statuses(emulator).get(space) for space in wanted} != wanted:
        assert time.monotonic() < deadline, app_statuses(emulator)
        time.sleep(0.05)


def deletes(emulator) -> int:
    return emulator.calls()["received"].get("DeleteApp", 0)


def start(sagemaker, *spaces) -> None:
    for space in spaces:
        sagemaker.create_app(DomainId=DOMAIN_ID, SpaceName=space, AppType="JupyterLab", AppName="default")


def test_reap_stops_the_old_apps_of_the_event_then_all_after_its_end(playbook, emulator, sagemaker):
    # Apps start in 0.9 s; idle-team's app stops by itself after 60 idle minutes, 21.6 s here, and
    # stays listed as Deleted for an hour, 21.6 s more: reap meets it stopped, and leaves it.
    emulator.config(time_scale=0.006, idle_shutdown=True)
    tagged = [{"Key": "hackathon:event", "Value": "spring"}]
    idle = {"AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": 60}}}
    for space, tags in (("old-team", tagged), ("new-team", tagged), ("idle-team", tagged), ("foreign", [])):
        settings = {"AppType": "JupyterLab", **({"JupyterLabAppSettings": idle} if space == "idle-team" else {})}
        sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName=space, SpaceSettings=settings, Tags=tags)
    time.sleep(0.5)
    start(sagemaker, "old-team", "idle-team", "foreign")
    wait_apps(emulator, {"old-team": "InService", "idle-team": "InService", "foreign": "InService"})
    time.sleep(30)
    start(sagemaker, "new-team")
    wait_apps(emulator, {"new-team": "InService", "idle-team": "Deleted"})
    before = deletes(emulator)

    run = playbook(
        [
            reap_task(check_mode=True, max_age="26s"),
            reap_task(max_age="26s"),
            reap_task(max_age="26s"),
            reap_task(max_age="26s", event_end="2020-01-01T00:00:00+01:00"),
            reap_task(max_age="26s", event_end="2020-01-01T00:00:00+01:00"),
        ]
    )
    check, reaped, again, ended, ended_again = run.results
    assert check["changed"] and [(r["name"], r["action"]) for r in check["results"]] == [
        ("JupyterLab/default of space old-team", "deleted")
    ]
    assert check["results"][0]["msg"].endswith("max age 26s (studio_app_max_age)")
    assert check["running"] == 2 and check["summary"]["deleted"] == 1
    assert reaped["changed"] and [r["space"] for r in reaped["results"]] == ["old-team"]
    assert reaped["results"][0]["status"] == "Deleted"
    assert not again["changed"] and again["results"] == [] and again["running"] == 1
    assert ended["changed"] and [(r["space"], r["msg"]) for r in ended["results"]] == [
        ("new-team", "the event ended at 2020-01-01T00:00:00+01:00 (studio_event_end)")
    ]
    assert not ended_again["changed"] and ended_again["summary"]["deleted"] == 0
    # exactly two DeleteApp calls: none in check mode, none for the foreign app or the idle-stopped one
    assert deletes(emulator) - before == 2
    statuses = app_statuses(emulator)
    assert statuses.get("foreign") == "InService"
    # the others stopped: Deleted, or gone once AWS's hour of listing them so (scaled) has passed
    assert all(statuses.get(space, "Deleted") == "Deleted" for space in ("old-team", "new-team", "idle-team"))


def test_reap_refuses_rules_it_cannot_read_before_any_call(playbook, emulator):
    run = playbook(
        [
            reap_task(max_age="8 hours"),
            reap_task(event_hours="8-20"),
            reap_task(event_end="2026-05-02T18:00:00"),
            reap_task(),
        ]
    )
    messages = [result["msg"] for result in run.results]
    assert all(result["failed"] for result in run.results)
    assert messages[0].startswith("studio_app_max_age '8 hours' is not a duration")
    assert messages[1].startswith("studio_event_hours '8-20' is not HH:MM-HH:MM")
    assert "has no UTC offset" in messages[2]
    assert messages[3].startswith("reap needs a rule: set studio_app_max_age")
    assert emulator.calls()["received"].get("ListApps", 0) == 0
