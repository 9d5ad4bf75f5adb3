"""Idle shutdown: a space's app with no user activity for its idle timeout stops by itself, in scaled
time; activity (the control endpoint, or a user opening the space) keeps it running; a timeout AWS
would refuse is refused."""

from __future__ import annotations

import json
import time

import pytest

from tests.integration.playbooks.conftest import domain_without_idle_shutdown

DOMAIN_ID = "d-hackathon0001"
# An hour of idleness in 3 s: an app starts in 0.125 s and stops in 0.075 s.
SCALE = 3 / 3600


def idle(minutes: int, app: str = "JupyterLab") -> dict:
    return {f"{app}AppSettings": {"AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": minutes}}}}


@pytest.fixture
def idle_emulator(emulator):
    emulator.config(time_scale=SCALE, idle_shutdown=True)
    return emulator


def activity(control, space: str) -> None:
    body = json.dumps({"domain_id": DOMAIN_ID, "space": space, "app_type": "JupyterLab"}).encode()
    assert control("POST", "apps/activity", body) == (200, {"status": "ok"})


def test_an_idle_app_stops_by_itself_and_a_used_one_keeps_running(sagemaker, studio, idle_emulator, control):
    for space in ("idle-team", "busy-team"):
        studio.space(space, SpaceSettings={"AppType": "JupyterLab", **idle(60)}, app_type=None)
        studio.app(space)
    started = time.monotonic()
    statuses = []
    while time.monotonic() - started < 5:  # past the 3 s (60 minutes scaled) of idleness
        activity(control, "busy-team")
        statuses.append(studio.app_status("idle-team"))
        time.sleep(0.2)
    assert "Deleting" in statuses or "Deleted" in statuses
    studio.wait_status(lambda: studio.app_status("idle-team"), "Deleted")
    assert studio.app_status("busy-team") == "InService"
    described = sagemaker.describe_app(
        DomainId=DOMAIN_ID, SpaceName="busy-team", AppType="JupyterLab", AppName="default"
    )
    assert time.time() - described["LastUserActivityTimestamp"].timestamp() < 2
    # the stopped app's space can start a new one (setup's next run does)
    studio.app("idle-team")


def test_without_a_timeout_or_with_idle_shutdown_off_an_app_keeps_running(studio, emulator, idle_emulator):
    studio.space("no-timeout")
    studio.app("no-timeout")
    studio.space("timed", SpaceSettings={"AppType": "JupyterLab", **idle(60)}, app_type=None)
    emulator.config(idle_shutdown=False)  # the lenient profile's default
    studio.app("timed")
    time.sleep(3.5)
    assert (studio.app_status("no-timeout"), studio.app_status("timed")) == ("InService", "InService")


def test_opening_the_space_counts_as_activity(sagemaker, studio, idle_emulator):
    studio.profile("ada")
    studio.space("team", SpaceSettings={"AppType": "JupyterLab", **idle(60)}, app_type=None)
    studio.app("team")
    time.sleep(2.5)
    sagemaker.create_presigned_domain_url(DomainId=DOMAIN_ID, UserProfileName="ada", SpaceName="team")
    time.sleep(1.5)  # 4 s since it started, 1.5 s since it was opened
    assert studio.app_status("team") == "InService"


def test_activity_for_no_live_app_is_refused(control, idle_emulator):
    status, body = control(
        "POST",
        "apps/activity",
        json.dumps({"domain_id": DOMAIN_ID, "space": "nowhere", "app_type": "JupyterLab"}).encode(),
    )
    assert status == 400 and "no live JupyterLab app in space nowhere" in body["error"]
    assert control("POST", "apps/activity", b'{"space": 3}')[0] == 400


def test_idle_timeouts_aws_refuses(sagemaker, raw_sagemaker, studio, emulator, expect_error):
    expect_error(
        "ValidationException", raw_sagemaker.create_space, DomainId=DOMAIN_ID, SpaceName="short", SpaceSettings=idle(59)
    )
    expect_error(
        "ValidationException",
        raw_sagemaker.create_space,
        DomainId=DOMAIN_ID,
        SpaceName="long",
        SpaceSettings=idle(525601),
    )
    # A domain that has not enabled idle shutdown refuses a space's timeout (stricter: undocumented).
    emulator.config(time_scale=0)
    domain_id = domain_without_idle_shutdown(emulator)
    message = expect_error(
        "ValidationException", sagemaker.create_space, DomainId=domain_id, SpaceName="team", SpaceSettings=idle(60)
    )
    assert "LifecycleManagement ENABLED" in message and "DefaultSpaceSettings" in message
    sagemaker.create_space(DomainId=domain_id, SpaceName="team")  # without a timeout: fine
    studio.wait_status(lambda: sagemaker.describe_space(DomainId=domain_id, SpaceName="team")["Status"], "InService")
    expect_error(
        "ValidationException", sagemaker.update_space, DomainId=domain_id, SpaceName="team", SpaceSettings=idle(60)
    )
