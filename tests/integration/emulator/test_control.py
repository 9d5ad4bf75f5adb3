"""The /_emulator/ control endpoints: health, reset, state, calls, faults and config."""

from __future__ import annotations

import pytest

DOMAIN_ID = "d-hackathon0001"
START_QUOTAS = {"user_profiles": 4000, "spaces": 4000, "apps": {"*/*": 1000}}  # the lenient profile's


def test_health(control):
    assert control("GET", "health") == (200, {"status": "ok"})


def test_start_state_is_the_pre_created_domain_only(emulator):
    state = emulator.state()
    assert set(state) == {"domains", "user_profiles", "spaces", "apps"}
    [domain] = state["domains"]
    assert (domain["name"], domain["status"], domain["domain_id"], domain["tags"]) == (
        "hackathon-emulator",
        "InService",
        DOMAIN_ID,
        {},
    )
    assert state["user_profiles"] == state["spaces"] == state["apps"] == []


def test_state_items(sagemaker, studio, emulator, fast):
    studio.profile("alice", Tags=[{"Key": "team", "Value": "red"}])
    studio.space("team-red", owner="alice", sharing="Shared")
    studio.app("team-red", wait=None, ResourceSpec={"InstanceType": "ml.m5.large"})
    state = emulator.state()
    [profile] = state["user_profiles"]
    assert {k: profile[k] for k in ("name", "status", "domain_id", "tags")} == {
        "name": "alice",
        "status": "InService",
        "domain_id": DOMAIN_ID,
        "tags": {"team": "red"},
    }
    [space] = state["spaces"]
    assert {k: space[k] for k in ("name", "status", "domain_id", "tags", "owner", "sharing")} == {
        "name": "team-red",
        "status": "InService",
        "domain_id": DOMAIN_ID,
        "tags": {},
        "owner": "alice",
        "sharing": "Shared",
    }
    [app] = state["apps"]
    assert {k: app[k] for k in ("name", "status", "domain_id", "tags", "space", "app_type", "instance_type")} == {
        "name": "default",
        "status": "Pending",
        "domain_id": DOMAIN_ID,
        "tags": {},
        "space": "team-red",
        "app_type": "JupyterLab",
        "instance_type": "ml.m5.large",
    }


def test_state_applies_due_transitions(sagemaker, emulator):
    """The state reflects the clock even when no SageMaker call has been made since."""
    emulator.config(time_scale=0)  # every transition is due at once
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    assert emulator.state()["user_profiles"][0]["status"] == "InService"


def test_reset_restores_the_start(sagemaker, studio, emulator, control, fast):
    start = emulator.state()
    studio.profile("alice")
    studio.space("team-red")
    sagemaker.add_tags(ResourceArn=start["domains"][0]["arn"], Tags=[{"Key": "k", "Value": "v"}])
    emulator.faults(latency_ms=1, fail_next_apps=3)
    emulator.config(quotas={"spaces": 1}, tagging_lag_seconds=0, enforce_iam=True)
    assert control("POST", "reset", b"{}") == (200, {"status": "ok"})
    assert emulator.state() == start
    assert emulator.calls() == {"received": {}, "throttled": {}, "failed": {}}
    assert control("GET", "faults")[1] == {
        "latency_ms": 0,
        "jitter_ms": 0,
        "throttle": None,
        "error_rate": 0,
        "lost_response_rate": 0,
        "fail_next_apps": 0,
        "stuck_next_apps": 0,
        "fail_next_deletes": 0,
        "fail_next_profiles": 0,
        "fail_next_spaces": 0,
        "update_fail_next": 0,
        "stop_apps_after_next_lists": 0,
        "empty_pages_rate": 0,
        "deny_actions": [],
        "dynamodb_unprocessed_rate": 0,
    }
    assert control("GET", "config")[1] == {
        "profile": "lenient",
        "time_scale": 0.01,
        "min_transition_seconds": 0.0,
        "quotas": START_QUOTAS,
        "tagging_lag_seconds": 300.0,
        "idle_shutdown": False,
        **SES_SANDBOX,
        "credentials": None,
        "enforce_iam": False,
    }  # the --time-scale given


SES_SANDBOX = {"ses_production_access": False, "ses_quotas": {"max_send_rate": 1.0, "max_24_hour_send": 200.0}}


def test_reset_without_a_body(control):
    assert control("POST", "reset") == (200, {"status": "ok"})


def test_calls_count_received_throttled_and_failed(sagemaker, no_retry_sagemaker, emulator, expect_error):
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    expect_error("ResourceInUse", sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName="alice")
    sagemaker.list_user_profiles()
    emulator.faults(throttle={"rps": 0.01, "burst": 1, "actions": ["DescribeDomain"]})
    no_retry_sagemaker.describe_domain(DomainId=DOMAIN_ID)
    expect_error("ThrottlingException", no_retry_sagemaker.describe_domain, DomainId=DOMAIN_ID)
    assert emulator.calls() == {
        "received": {"CreateUserProfile": 2, "ListUserProfiles": 1, "DescribeDomain": 2},
        "throttled": {"DescribeDomain": 1},
        "failed": {"CreateUserProfile": 1},
    }


def test_partial_fault_updates_keep_the_others(control):
    control("POST", "faults", b'{"latency_ms": 7}')
    status, faults = control("POST", "faults", b'{"fail_next_apps": 2}')
    assert status == 200
    assert (faults["latency_ms"], faults["fail_next_apps"]) == (7, 2)
    assert control("GET", "faults")[1] == faults
    assert control("POST", "faults", b"{}")[1]["latency_ms"] == 0


def test_config_sets_time_scale_and_quotas(control):
    quotas = {**START_QUOTAS, "spaces": 3}
    status, config = control("POST", "config", b'{"quotas": {"spaces": 3}}')
    assert (status, config) == (
        200,
        {
            "profile": "lenient",
            "time_scale": 0.01,
            "min_transition_seconds": 0.0,
            "quotas": quotas,
            "tagging_lag_seconds": 300.0,
            "idle_shutdown": False,
            **SES_SANDBOX,
            "credentials": None,
            "enforce_iam": False,
        },
    )
    status, config = control(
        "POST", "config", b'{"time_scale": 2, "tagging_lag_seconds": 5, "min_transition_seconds": 0.5}'
    )
    assert (status, config) == (
        200,
        {
            "profile": "lenient",
            "time_scale": 2.0,
            "min_transition_seconds": 0.5,
            "quotas": quotas,
            "tagging_lag_seconds": 5.0,
            "idle_shutdown": False,
            **SES_SANDBOX,
            "credentials": None,
            "enforce_iam": False,
        },
    )
    assert control("GET", "config") == (200, config)


def test_time_scale_changes_transition_times(sagemaker, studio, emulator):
    emulator.config(time_scale=100)  # a user profile would take 500 s
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="slow")
    emulator.config(time_scale=0.001)
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="quick")
    studio.wait_status(lambda: studio.profile_status("quick"), "InService")
    assert studio.profile_status("slow") == "Pending"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("faults", b"{not json"),
        ("faults", b"[]"),
        ("faults", b'{"colour": "red"}'),
        ("faults", b'{"latency_ms": -1}'),
        ("faults", b'{"latency_ms": "slow"}'),
        ("faults", b'{"error_rate": 1.5}'),
        ("faults", b'{"throttle": {"rps": 5}}'),
        ("faults", b'{"throttle": {"rps": 0, "burst": 5}}'),
        ("faults", b'{"throttle": {"rps": 5, "burst": 0}}'),
        ("faults", b'{"throttle": {"rps": 5, "burst": 5, "actions": "CreateApp"}}'),
        ("faults", b'{"throttle": [{"rps": 5, "burst": 5}, {"rps": 5}]}'),
        ("faults", b'{"throttle": {"rps": 5, "burst": 5, "action": ["CreateApp"]}}'),
        ("faults", b'{"fail_next_apps": true}'),
        ("faults", b'{"fail_next_apps": 1.5}'),
        ("config", b"{not json"),
        ("config", b'{"time_scale": -1}'),
        ("config", b'{"time_scale": "fast"}'),
        ("config", b'{"colour": "red"}'),
        ("config", b'{"quotas": {"domains": 1}}'),
        ("config", b'{"quotas": {"spaces": -1}}'),
        ("config", b'{"quotas": {"spaces": 1.5}}'),
        ("config", b'{"quotas": []}'),
        ("config", b'{"quotas": null}'),
        ("config", b'{"quotas": {"apps": {"ml.t3.medium": 1}}}'),
        ("config", b'{"quotas": {"apps": {"*/ml.t3.medium": -1}}}'),
        ("config", b'{"quotas": {"apps": []}}'),
        ("config", b'{"profile": "strict"}'),
        ("config", b'{"min_transition_seconds": -1}'),
        ("faults", b'{"empty_pages_rate": 2}'),
        ("faults", b'{"fail_next_profiles": 1.5}'),
        ("config", b'{"tagging_lag_seconds": -1}'),
        ("config", b'{"tagging_lag_seconds": true}'),
        ("config", b'{"tagging_lag_seconds": 5, "time_scale": -1}'),
    ],
)
def test_bad_bodies_answer_400_and_change_nothing(control, path, body):
    before = control("GET", path)[1]
    status, answer = control("POST", path, body)
    assert status == 400
    assert answer["error"]
    assert control("GET", path)[1] == before


@pytest.mark.parametrize("path", ["nope", "", "state/extra", "healthz"])
def test_unknown_paths_answer_404(control, path):
    status, answer = control("GET", path)
    assert status == 404
    assert "known" in answer["error"]


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "reset"), ("POST", "health"), ("POST", "state"), ("POST", "calls")]
)
def test_wrong_methods_answer_405(control, method, path):
    status, _ = control(method, path, b"{}" if method == "POST" else None)
    assert status == 405
