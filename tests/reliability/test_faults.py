"""Faults on the day: throttling storms, server errors and lost responses, apps that fail or hang,
deletions that fail, and resources deleted out of band. Setup and teardown still converge, nothing is
duplicated, nothing foreign is touched, and what goes wrong is named."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.playbooks.conftest import DOMAIN, SAMPLE, foreign, foreign_resources
from tests.reliability.event import (
    CREATES,
    TEAMS,
    assert_nothing_of_the_event,
    assert_whole_event,
    event_state,
    wait_for,
)


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param({"throttle": {"rps": 2, "burst": 2, "actions": None}}, id="every-action-at-2-rps"),
        pytest.param({"error_rate": 0.1, "lost_response_rate": 0.1}, id="5xx-and-lost-responses-10-percent"),
    ],
)
def test_setup_and_teardown_through_a_storm(run_playbook, inventory, emulator, sagemaker, faults):
    foreign_resources(sagemaker, space="data-science")
    before = foreign(emulator)
    emulator.faults(**faults)
    setup = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    assert setup.rc == 0, setup.stdout
    calls = emulator.calls()
    emulator.faults()
    assert_whole_event(emulator)
    if "throttle" in faults:
        assert sum(calls["throttled"].values()) > 0  # the storm did happen
        # Nothing duplicated: one successful create per resource, however many were throttled.
        for action, kind in CREATES.items():
            succeeded = calls["received"][action] - calls["throttled"].get(action, 0) - calls["failed"].get(action, 0)
            foreign_creates = 1  # foreign_resources made one of each
            assert succeeded - foreign_creates == len(event_state(emulator)[kind]), action
    else:
        assert sum(calls["failed"].values()) > 0
    assert foreign(emulator) == before

    emulator.faults(**faults)
    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    emulator.faults()
    assert_nothing_of_the_event(emulator)
    assert foreign(emulator) == before


def test_a_failed_app_is_named_and_the_rest_is_set_up(run_playbook, inventory, emulator):
    emulator.faults(fail_next_apps=1)
    setup = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    assert setup.rc == 2
    message = setup.task("Report the apps that did not start")["msg"]
    [failed] = [space for space, status in event_state(emulator)["apps"].items() if status == "Failed"]
    assert f"app JupyterLab/default of space {failed} ended in Failed status" in message
    assert "The app failed to start" in message  # the reason AWS gives
    assert_whole_event(emulator, apps=len(TEAMS) - 1)  # every profile, space and registry item
    # That the next run starts it (and only it): tests/cli/test_failures.py, through the same setup.yml.


def test_an_app_stuck_past_the_wait_timeout_is_named_and_the_rest_is_set_up(run_playbook, inventory, emulator):
    emulator.faults(stuck_next_apps=1)
    setup = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True, studio_wait_timeout=8)
    assert setup.rc == 2
    message = setup.task("Report the apps that did not start")["msg"]
    [stuck] = [space for space, status in event_state(emulator)["apps"].items() if status == "Pending"]
    assert f"timed out after 8 s waiting for app JupyterLab/default of space {stuck}" in message
    assert "its last status was Pending" in message
    assert_whole_event(emulator, apps=len(TEAMS) - 1)

    teardown = run_playbook("teardown.yml", inventory)  # a stuck app can still be deleted
    assert teardown.rc == 0, teardown.stdout
    assert_nothing_of_the_event(emulator)


def test_a_failed_deletion_is_named_and_a_second_teardown_finishes(run_playbook, inventory, emulator, sagemaker):
    assert run_playbook("setup.yml", inventory, users=str(SAMPLE)).rc == 0
    # The first space deletion fails. The participants' profiles go at the same time as the spaces:
    # they are held back until it has (the throttle's one token taken here), then let go.
    emulator.faults(fail_next_deletes=1, throttle={"rps": 0.01, "burst": 1, "actions": ["DeleteUserProfile"]})
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        sagemaker.delete_user_profile(DomainId=DOMAIN, UserProfileName="nobody")
    with ThreadPoolExecutor(1) as pool:
        pool.submit(let_go_once_a_space_failed, emulator)
        teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 2
    [failed] = [space for space, status in event_state(emulator)["spaces"].items() if status == "Delete_Failed"]
    output = teardown.stdout
    assert f"space {failed} ended in Delete_Failed status" in output
    assert event_state(emulator)["spaces"] == {failed: "Delete_Failed"}
    # Nothing waited for the failed space but its owner: the participants are gone.
    assert list(event_state(emulator)["user_profiles"]) == ["spring-organizer"]

    again = run_playbook("teardown.yml", inventory)
    assert again.rc == 0, again.stdout
    assert_nothing_of_the_event(emulator)


def let_go_once_a_space_failed(emulator) -> None:
    wait_for(lambda: "Delete_Failed" in event_state(emulator)["spaces"].values())
    emulator.faults()


def test_resources_deleted_out_of_band(run_playbook, inventory, emulator, sagemaker):
    """Someone deletes part of the event by hand, between runs and while teardown runs."""
    assert run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True).rc == 0
    state = event_state(emulator)
    profile = sorted(name for name in state["user_profiles"] if not name.endswith("-organizer"))[0]
    app = {"DomainId": DOMAIN, "SpaceName": "team-1", "AppType": "JupyterLab", "AppName": "default"}
    sagemaker.delete_app(**app)
    sagemaker.delete_user_profile(DomainId=DOMAIN, UserProfileName=profile)

    setup = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    assert setup.rc == 0, setup.stdout  # recreated: the profile once it is gone, the app in place of the stopped one
    assert_whole_event(emulator)

    # Mid-run: once teardown is stopping the apps, someone deletes a team space by hand.
    sagemaker.delete_app(**dict(app, SpaceName="team-2"))
    wait_for(lambda: event_state(emulator)["apps"].get("team-2") is None)
    emulator.faults(latency_ms=200)  # a slower API, so that the hand comes while teardown runs
    deletes_before = emulator.calls()["received"].get("DeleteApp", 0)
    with ThreadPoolExecutor(1) as pool:
        hand = pool.submit(delete_once_teardown_started, emulator, sagemaker, "team-2", deletes_before)
        teardown = run_playbook("teardown.yml", inventory)
        hand.result()  # the hand's own checks
    emulator.faults()
    assert teardown.rc == 0, teardown.stdout
    assert_nothing_of_the_event(emulator)


def delete_once_teardown_started(emulator, sagemaker, space: str, deletes_before: int) -> None:
    wait_for(lambda: emulator.calls()["received"].get("DeleteApp", 0) > deletes_before)
    assert not emulator.calls()["received"].get("DeleteSpace")  # teardown has not reached the spaces yet
    sagemaker.delete_space(DomainId=DOMAIN, SpaceName=space)
