"""Studio's idle shutdown on the event's spaces (setup, preflight) and the reap playbook, through the
playbooks against the live emulator."""

from __future__ import annotations

from pathlib import Path

import boto3

from tests.integration.playbooks.conftest import domain_without_idle_shutdown

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "users.csv"
DOMAIN = "d-hackathon0001"
TEAMS = ["team-1", "team-2", "team-3", "team-4"]


def idle_timeouts(sagemaker, domain=DOMAIN) -> dict:
    timeouts = {}
    for space in sagemaker.list_spaces(DomainIdEquals=domain)["Spaces"]:
        described = sagemaker.describe_space(DomainId=domain, SpaceName=space["SpaceName"])
        idle = described.get("SpaceSettings", {}).get("JupyterLabAppSettings", {}).get("AppLifecycleManagement", {})
        timeouts[space["SpaceName"]] = idle.get("IdleSettings", {}).get("IdleTimeoutInMinutes")
    return timeouts


def described(emulator, run) -> int:
    """How many DescribeSpace calls ``run`` made; it must succeed and change nothing."""
    before = emulator.calls()["received"].get("DescribeSpace", 0)
    result = run()
    assert result.rc == 0 and result.changed() == 0, result.stdout
    return emulator.calls()["received"].get("DescribeSpace", 0) - before


def test_setup_sets_the_idle_timeout_changes_it_in_place_and_leaves_it_when_unset(run_playbook, inventory, emulator):
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    setup = run_playbook("setup.yml", inventory, users=str(SAMPLE))
    assert setup.rc == 0, setup.stdout
    assert idle_timeouts(sagemaker) == dict.fromkeys(TEAMS, 60)  # studio_idle_timeout's default
    # A re-run right after creation is test_lifecycle.py's idempotence check; this one re-runs after a change.

    check = run_playbook(
        "setup.yml", inventory, check=True, args=["--diff"], users=str(SAMPLE), studio_idle_timeout=120
    )
    assert check.rc == 0, check.stdout
    spaces = check.task("Create the team spaces")
    assert spaces["changed"] and spaces["summary"]["updated"] == 4
    diff = spaces["diff"]
    assert (diff["before"]["team-1"]["idle_timeout"], diff["after"]["team-1"]["idle_timeout"]) == (60, 120)
    assert idle_timeouts(sagemaker) == dict.fromkeys(TEAMS, 60)  # check mode changed nothing

    changed = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_idle_timeout=120)
    assert changed.rc == 0, changed.stdout
    assert changed.task("Create the team spaces")["summary"]["updated"] == 4
    assert idle_timeouts(sagemaker) == dict.fromkeys(TEAMS, 120)
    assert {s["status"] for s in emulator.state()["spaces"]} <= {"InService", "Updating"}
    # The registry vouches that the event set these very settings: a re-run describes no space.
    assert (
        described(emulator, lambda: run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_idle_timeout=120))
        == 0
    )

    for unset in (None, 0):  # null or 0: the spaces' idle settings are left as they are
        again = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_idle_timeout=unset)
        assert again.rc == 0 and again.changed() == 0, again.stdout
    assert idle_timeouts(sagemaker) == dict.fromkeys(TEAMS, 120)


def test_preflight_says_what_the_domain_must_enable_before_creating_anything(run_playbook, inventory, emulator):
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    domain_id = domain_without_idle_shutdown(emulator)
    setup = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_domain_id=domain_id)
    assert setup.rc != 0
    failed = setup.task("Check the idle timeout against the domain's idle settings")
    assert failed["msg"] == (
        f"studio_idle_timeout needs idle shutdown enabled for JupyterLab on domain {domain_id}: the domain's "
        "administrator sets DefaultSpaceSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings"
        ".LifecycleManagement to ENABLED (or set studio_idle_timeout to null)"
    )
    assert sagemaker.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"] == []
    # without idle shutdown, the same domain takes the event
    setup = run_playbook(
        "setup.yml", inventory, users=str(SAMPLE), studio_domain_id=domain_id, studio_idle_timeout=None
    )
    assert setup.rc == 0, setup.stdout


def test_reap_playbook_stops_the_event_apps_after_its_end_and_status_meets_them_stopped(
    run_playbook, inventory, emulator
):
    setup = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    assert setup.rc == 0, setup.stdout
    kept = run_playbook("reap.yml", inventory, studio_app_max_age="8h")
    assert kept.rc == 0 and kept.changed() == 0, kept.stdout
    check = run_playbook("reap.yml", inventory, check=True, studio_event_end="2020-01-01T00:00:00Z")
    assert check.rc == 0 and check.task("Stop the event's apps")["summary"]["deleted"] == 4, check.stdout
    assert {a["status"] for a in emulator.state()["apps"]} == {"InService"}
    reaped = run_playbook("reap.yml", inventory, studio_event_end="2020-01-01T00:00:00Z")
    assert reaped.rc == 0 and reaped.task("Stop the event's apps")["summary"]["deleted"] == 4, reaped.stdout
    assert {a["status"] for a in emulator.state()["apps"]} == {"Deleted"}
    status = run_playbook("status.yml", inventory)
    assert status.rc == 0, status.stdout
    assert status.task("Compare it with the registry")["totals"]["apps_in_service"] == 0
    bad = run_playbook("reap.yml", inventory, studio_event_hours="8 to 20")
    assert bad.rc != 0 and "studio_event_hours '8 to 20' is not HH:MM-HH:MM" in bad.stdout
