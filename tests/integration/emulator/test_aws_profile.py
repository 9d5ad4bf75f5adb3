"""The aws profile, studio-emulator's default: throttling, a floor on transition times, a new account's
app quotas; and the lenient one the test fixtures start. Driven with plain boto3."""

from __future__ import annotations

import time

import pytest

from hackathon_studio.emulator.process import EmulatorProcess

DOMAIN_ID = "d-hackathon0001"


@pytest.fixture
def aws(emulator):
    """This test's emulator on the aws profile (the next test's reset goes back to lenient)."""
    emulator.config(profile="aws")
    return emulator


def test_studio_emulator_starts_on_the_aws_profile():
    with EmulatorProcess(time_scale=0.01) as emu:
        config = emu.config()
        assert config["profile"] == "aws"
        assert config["min_transition_seconds"] == 1.0
        assert config["quotas"]["apps"]["*/*"] == 0
        assert emu.faults()["throttle"][0]["actions"][:2] == ["AddTags", "DeleteTags"]
    with EmulatorProcess(time_scale=0.01, profile="lenient") as emu:
        assert emu.config()["profile"] == "lenient"
        assert emu.faults()["throttle"] is None


def test_mutations_are_throttled_at_five_a_second_after_a_burst_of_twenty(aws, no_retry_sagemaker):
    outcomes = []
    for i in range(30):
        try:
            no_retry_sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=f"user-{i}")
            outcomes.append("ok")
        except no_retry_sagemaker.exceptions.ClientError as error:
            assert error.response["Error"] == {"Code": "ThrottlingException", "Message": "Rate exceeded"}
            outcomes.append("throttled")
    assert outcomes[:20] == ["ok"] * 20
    assert "throttled" in outcomes[20:]
    assert aws.calls()["throttled"]["CreateUserProfile"] >= 1


def test_reads_have_their_own_larger_bucket(aws, no_retry_sagemaker):
    for _ in range(50):  # a burst of 50
        no_retry_sagemaker.describe_domain(DomainId=DOMAIN_ID)
    for _ in range(100):  # refilled at 20 a second: a client this fast soon runs dry
        try:
            no_retry_sagemaker.describe_domain(DomainId=DOMAIN_ID)
        except no_retry_sagemaker.exceptions.ClientError as error:
            assert error.response["Error"]["Code"] == "ThrottlingException"
            break
    else:
        raise AssertionError("150 DescribeDomain calls in a row were never throttled")
    no_retry_sagemaker.list_user_profiles()  # another action, another bucket


def test_standard_retries_ride_out_the_aws_rates(aws, sagemaker):
    for i in range(25):  # beyond the burst: botocore's standard retries wait for tokens
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=f"user-{i}")
    assert len(aws.state()["user_profiles"]) == 25


def test_transitions_keep_a_floor_whatever_the_time_scale(aws, studio):
    """At time scale 0.01 a profile would be ready in 0.05 s, faster than many clients' next call; the
    floor keeps it Pending for a second, so a fast and a slow client both see Pending."""
    studio.sm.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    time.sleep(0.3)
    assert studio.profile_status("alice") == "Pending"
    studio.wait_status(lambda: studio.profile_status("alice"), "InService", timeout=5)


def test_the_floor_can_be_changed_and_lenient_has_none(emulator, studio):
    assert emulator.config()["min_transition_seconds"] == 0.0
    emulator.config(min_transition_seconds=2.0)
    started = time.monotonic()
    studio.profile("alice")
    assert time.monotonic() - started >= 2.0


def test_a_new_account_runs_no_accelerated_app(aws, sagemaker, studio, expect_error):
    """aws/amazon-sagemaker-feedback#157: a new account's quota for GPU types is 0, in AWS's words."""
    aws.config(time_scale=0.002, min_transition_seconds=0)
    studio.space("team-red")
    message = expect_error(
        "ResourceLimitExceeded",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="team-red",
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={"InstanceType": "ml.g5.xlarge"},
    )
    assert message == (
        "The account-level service limit 'Studio JupyterLab Apps running on ml.g5.xlarge instances' is 0 Apps, "
        "with current utilization of 0 Apps and a request delta of 1 Apps. Please use AWS Service Quotas to "
        "request an increase for this quota. If AWS Service Quotas is not available, contact AWS support to "
        "request an increase for this quota."
    )


def test_a_new_account_runs_four_jupyterlab_apps_on_ml_t3_medium(aws, sagemaker, studio, expect_error):
    aws.config(time_scale=0.002, min_transition_seconds=0)
    for i in range(5):
        studio.space(f"team-{i}")
    for i in range(4):
        studio.app(f"team-{i}", wait=None)
    message = expect_error(
        "ResourceLimitExceeded",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="team-4",
        AppType="JupyterLab",
        AppName="default",
    )
    assert "'Studio JupyterLab Apps running on ml.t3.medium instances' is 4 Apps" in message
    assert "current utilization of 4 Apps" in message


def test_quotas_are_set_per_app_type_and_instance_type(aws, sagemaker, studio, expect_error):
    """The most specific key wins: JupyterLab on ml.g5.xlarge gets 1, every other type there keeps 0."""
    aws.config(time_scale=0.002, min_transition_seconds=0, quotas={"apps": {"JupyterLab/ml.g5.xlarge": 1}})
    studio.profile("alice")
    studio.space("team-red")
    studio.space("team-blue")
    studio.space("mine", owner="alice", app_type="CodeEditor")
    gpu = {"ResourceSpec": {"InstanceType": "ml.g5.xlarge"}}
    studio.app("team-red", wait=None, **gpu)
    expect_error(
        "ResourceLimitExceeded",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="team-blue",
        AppType="JupyterLab",
        AppName="default",
        **gpu,
    )
    message = expect_error(
        "ResourceLimitExceeded",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="mine",
        AppType="CodeEditor",
        AppName="default",
        **gpu,
    )
    assert "'Studio CodeEditor Apps running on ml.g5.xlarge instances' is 0 Apps" in message
    assert aws.config()["quotas"]["apps"]["JupyterLab/ml.g5.xlarge"] == 1


def test_apps_of_another_type_do_not_count(emulator, sagemaker, studio, fast, expect_error):
    """Counted per app type: two JupyterLab apps on ml.t3.medium leave CodeEditor's quota there whole."""
    emulator.config(quotas={"apps": {"*/ml.t3.medium": 2}})
    studio.profile("alice")
    for name in ("lab-1", "lab-2", "lab-3"):
        studio.space(name)
    for name in ("code-1", "code-2"):
        studio.space(name, owner="alice", app_type="CodeEditor")
    studio.app("lab-1", wait=None)
    studio.app("lab-2", wait=None)
    expect_error(
        "ResourceLimitExceeded",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="lab-3",
        AppType="JupyterLab",
        AppName="default",
    )
    studio.app("code-1", app_type="CodeEditor", wait=None)
    studio.app("code-2", app_type="CodeEditor", wait=None)


def test_reset_goes_back_to_the_process_profile(emulator, control):
    emulator.config(profile="aws")
    assert emulator.faults()["throttle"] is not None
    control("POST", "reset", b"{}")
    assert emulator.config()["profile"] == "lenient"
    assert emulator.faults()["throttle"] is None


def test_clearing_faults_keeps_the_profile_throttle_and_null_turns_it_off(aws, no_retry_sagemaker):
    aws.faults(latency_ms=5)
    described = aws.faults()  # {} clears what was injected, back to the profile's throttle
    assert described["latency_ms"] == 0 and described["throttle"][0]["rps"] == 5
    aws.faults(throttle=None)
    for _ in range(60):
        no_retry_sagemaker.describe_domain(DomainId=DOMAIN_ID)
