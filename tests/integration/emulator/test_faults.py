"""Injected faults: throttling that botocore rides out, 5xx errors, failing and stuck apps, latency."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

DOMAIN_ID = "d-hackathon0001"


def test_throttling_burst_is_ridden_out_by_standard_retries(sagemaker, emulator):
    """Ten creates at once against 5 rps with a burst of 5: half are throttled, all succeed after retries."""
    emulator.faults(throttle={"rps": 5, "burst": 5, "actions": None})
    names = [f"p{i}" for i in range(10)]
    with ThreadPoolExecutor(len(names)) as pool:
        responses = list(
            pool.map(lambda n: sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=n), names)
        )
    assert all(r["ResponseMetadata"]["HTTPStatusCode"] == 200 for r in responses)
    assert sum(r["ResponseMetadata"]["RetryAttempts"] for r in responses) >= 1
    calls = emulator.calls()
    throttled = calls["throttled"]["CreateUserProfile"]
    assert throttled >= 3  # 5 of the 10 exceed the burst; a few may find a refilled token
    assert calls["received"]["CreateUserProfile"] == len(names) + throttled
    assert "CreateUserProfile" not in calls["failed"]
    assert sorted(p["name"] for p in emulator.state()["user_profiles"]) == names


def test_throttling_is_per_listed_action(no_retry_sagemaker, emulator, expect_error):
    emulator.faults(throttle={"rps": 0.01, "burst": 5, "actions": ["ListUserProfiles"]})
    for _ in range(5):
        no_retry_sagemaker.list_user_profiles()
    message = expect_error("ThrottlingException", no_retry_sagemaker.list_user_profiles)
    assert message == "Rate exceeded"
    for _ in range(10):  # not a listed action
        no_retry_sagemaker.describe_domain(DomainId=DOMAIN_ID)
    calls = emulator.calls()
    assert calls["throttled"] == {"ListUserProfiles": 1}
    assert calls["received"] == {"ListUserProfiles": 6, "DescribeDomain": 10}
    emulator.faults()  # {} clears every fault
    no_retry_sagemaker.list_user_profiles()


def test_each_action_has_its_own_bucket(no_retry_sagemaker, emulator, expect_error):
    emulator.faults(throttle={"rps": 0.01, "burst": 2, "actions": None})
    for _ in range(2):
        no_retry_sagemaker.list_user_profiles()
        no_retry_sagemaker.list_spaces()
    expect_error("ThrottlingException", no_retry_sagemaker.list_user_profiles)
    expect_error("ThrottlingException", no_retry_sagemaker.list_spaces)
    assert emulator.calls()["throttled"] == {"ListUserProfiles": 1, "ListSpaces": 1}


def test_throttle_rules_first_match_wins(no_retry_sagemaker, emulator, expect_error, control):
    """Reads and mutations can have their own rates: the first rule naming an action applies."""
    emulator.faults(
        throttle=[
            {"rps": 0.01, "burst": 1, "actions": ["ListSpaces"]},
            {"rps": 0.01, "burst": 3, "actions": None},
        ]
    )
    no_retry_sagemaker.list_spaces()
    expect_error("ThrottlingException", no_retry_sagemaker.list_spaces)
    for _ in range(3):
        no_retry_sagemaker.list_user_profiles()
    expect_error("ThrottlingException", no_retry_sagemaker.list_user_profiles)
    assert emulator.calls()["throttled"] == {"ListSpaces": 1, "ListUserProfiles": 1}
    assert control("GET", "faults")[1]["throttle"][0]["actions"] == ["ListSpaces"]


def test_error_rate_one_answers_5xx(no_retry_sagemaker, emulator):
    emulator.faults(error_rate=1.0)
    seen = set()
    for _ in range(30):
        with pytest.raises(ClientError) as info:
            no_retry_sagemaker.list_user_profiles()
        response = info.value.response
        seen.add((response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]))
        assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert seen == {("InternalFailure", 500), ("ServiceUnavailable", 503)}
    assert emulator.calls()["failed"] == {"ListUserProfiles": 30}
    assert emulator.calls()["received"] == {"ListUserProfiles": 30}


def test_5xx_are_retried_by_botocore(emulator):
    emulator.faults(error_rate=1.0)
    config = Config(retries={"mode": "standard", "max_attempts": 2})
    client = boto3.client("sagemaker", config=config, **emulator.client_kwargs())
    with pytest.raises(ClientError) as info:
        client.describe_domain(DomainId=DOMAIN_ID)
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert emulator.calls()["received"] == {"DescribeDomain": 3}


def test_failing_app(sagemaker, studio, emulator, fast, expect_error, control):
    studio.space("s1")
    studio.space("s2")
    emulator.faults(fail_next_apps=1)
    studio.app("s1", wait="Failed")
    app = sagemaker.describe_app(DomainId=DOMAIN_ID, SpaceName="s1", AppType="JupyterLab", AppName="default")
    assert app["FailureReason"]
    assert control("GET", "faults")[1]["fail_next_apps"] == 0  # consumed
    studio.app("s2")  # only the next app fails
    sagemaker.delete_space(DomainId=DOMAIN_ID, SpaceName="s1")  # AWS deleted the failed app itself


def test_stuck_app(sagemaker, studio, emulator, fast):
    studio.space("s1")
    studio.space("s2")
    emulator.faults(stuck_next_apps=1)
    studio.app("s1", wait=None)
    studio.app("s2")  # starts in 0.3 s at this scale; the stuck one was created first
    time.sleep(0.3)
    assert studio.app_status("s1") == "Pending"
    studio.delete_app("s1")  # a stuck app can still be deleted


def test_latency(sagemaker, emulator):
    emulator.faults(latency_ms=300)
    started = time.monotonic()
    sagemaker.describe_domain(DomainId=DOMAIN_ID)
    assert time.monotonic() - started >= 0.3
    described = emulator.faults(latency_ms=100, jitter_ms=50)
    assert (described["latency_ms"], described["jitter_ms"]) == (100, 50)
    started = time.monotonic()
    sagemaker.describe_domain(DomainId=DOMAIN_ID)
    assert time.monotonic() - started >= 0.05


def test_faults_are_reported_and_cleared(emulator):
    described = emulator.faults(
        latency_ms=5,
        jitter_ms=1,
        throttle={"rps": 2, "burst": 3, "actions": ["CreateApp"]},
        error_rate=0.25,
        lost_response_rate=0.5,
        fail_next_apps=2,
        stuck_next_apps=1,
    )
    assert described == {
        "latency_ms": 5,
        "jitter_ms": 1,
        "throttle": {"rps": 2, "burst": 3, "actions": ["CreateApp"]},
        "error_rate": 0.25,
        "lost_response_rate": 0.5,
        "fail_next_apps": 2,
        "stuck_next_apps": 1,
        "fail_next_deletes": 0,
        "fail_next_profiles": 0,
        "fail_next_spaces": 0,
        "update_fail_next": 0,
        "stop_apps_after_next_lists": 0,
        "empty_pages_rate": 0,
        "deny_actions": [],
        "dynamodb_unprocessed_rate": 0,
    }
    assert emulator.faults() == {
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


def test_lost_response_is_carried_out(no_retry_sagemaker, emulator, expect_error):
    """A lost response: the create happened, the client sees a 500 and must find it on retry."""
    emulator.faults(lost_response_rate=1.0)
    expect_error("InternalFailure", no_retry_sagemaker.create_user_profile, status=500, **PROFILE)
    emulator.faults()
    assert [p["name"] for p in emulator.state()["user_profiles"]] == ["lost"]
    expect_error("ResourceInUse", no_retry_sagemaker.create_user_profile, **PROFILE)
    assert emulator.calls()["failed"]["CreateUserProfile"] == 2


PROFILE = {"DomainId": DOMAIN_ID, "UserProfileName": "lost"}


def test_failed_delete(sagemaker, studio, emulator, fast, expect_error):
    """Delete_Failed: the resource stays, with a reason, and deleting it again works."""
    studio.profile("owner")
    studio.space("s1")
    emulator.faults(fail_next_deletes=1)
    sagemaker.delete_space(DomainId=DOMAIN_ID, SpaceName="s1")
    time.sleep(0.2)
    described = sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName="s1")
    assert (described["Status"], described["FailureReason"]) == (
        "Delete_Failed",
        "The deletion failed (injected fault).",
    )
    expect_error("ResourceInUse", sagemaker.update_space, DomainId=DOMAIN_ID, SpaceName="s1")
    sagemaker.delete_space(DomainId=DOMAIN_ID, SpaceName="s1")  # only the next deletion fails
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="owner")
    time.sleep(0.2)
    assert emulator.state()["spaces"] == emulator.state()["user_profiles"] == []


# ----- deny_actions: AWS's AccessDenied for the named actions ------------------------------------------------
ACCOUNT = "123456789012"
PRINCIPAL = f"arn:aws:sts::{ACCOUNT}:assumed-role/studio-organizer/studio-emulator"


def not_authorized(action: str, resource: str) -> str:
    return (
        f"User: {PRINCIPAL} is not authorized to perform: {action} on resource: {resource} "
        f"because no identity-based policy allows the {action} action"
    )


def test_denied_sagemaker_actions_answer_access_denied(no_retry_sagemaker, studio, emulator, expect_error):
    studio.profile("ada")
    emulator.faults(deny_actions=["ListSpaces", "sagemaker:DescribeUserProfile", "CreatePresignedDomainUrl"])
    message = expect_error("AccessDeniedException", no_retry_sagemaker.list_spaces, DomainIdEquals=DOMAIN_ID)
    assert message == not_authorized("sagemaker:ListSpaces", f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:*")
    profile = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:user-profile/{DOMAIN_ID}/ada"
    message = expect_error(
        "AccessDeniedException", no_retry_sagemaker.describe_user_profile, DomainId=DOMAIN_ID, UserProfileName="ada"
    )
    assert message == not_authorized("sagemaker:DescribeUserProfile", profile)
    message = expect_error(
        "AccessDeniedException",
        no_retry_sagemaker.create_presigned_domain_url,
        DomainId=DOMAIN_ID,
        UserProfileName="ada",
        SpaceName="team-a",
    )
    assert message == not_authorized("sagemaker:CreatePresignedDomainUrl", profile)
    # Other actions are allowed; a denied call is received and failed, and changes nothing.
    no_retry_sagemaker.list_user_profiles(DomainIdEquals=DOMAIN_ID)
    calls = emulator.calls()
    assert calls["failed"] == {"ListSpaces": 1, "DescribeUserProfile": 1, "CreatePresignedDomainUrl": 1}
    assert calls["received"]["ListUserProfiles"] == 1


def test_denied_resources_are_named_by_their_arn(no_retry_sagemaker, emulator, expect_error):
    emulator.faults(deny_actions=["CreateSpace", "DeleteApp", "AddTags", "DescribeDomain"])
    prefix = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"
    cases = [
        (
            "sagemaker:CreateSpace",
            f"{prefix}:space/{DOMAIN_ID}/team-a",
            no_retry_sagemaker.create_space,
            {"DomainId": DOMAIN_ID, "SpaceName": "team-a"},
        ),
        (
            "sagemaker:DeleteApp",
            f"{prefix}:app/{DOMAIN_ID}/team-a/jupyterlab/default",
            no_retry_sagemaker.delete_app,
            {"DomainId": DOMAIN_ID, "SpaceName": "team-a", "AppType": "JupyterLab", "AppName": "default"},
        ),
        (
            "sagemaker:AddTags",
            f"{prefix}:space/{DOMAIN_ID}/x",
            no_retry_sagemaker.add_tags,
            {"ResourceArn": f"{prefix}:space/{DOMAIN_ID}/x", "Tags": [{"Key": "k", "Value": "v"}]},
        ),
        (
            "sagemaker:DescribeDomain",
            f"{prefix}:domain/{DOMAIN_ID}",
            no_retry_sagemaker.describe_domain,
            {"DomainId": DOMAIN_ID},
        ),
    ]
    for action, resource, call, params in cases:
        assert expect_error("AccessDeniedException", call, **params) == not_authorized(action, resource)
    assert emulator.state()["spaces"] == []


def test_denied_dynamodb_and_sts_actions(emulator, expect_error):
    config = Config(retries={"mode": "standard", "total_max_attempts": 1})
    dynamodb = boto3.client("dynamodb", config=config, **emulator.client_kwargs())
    sts = boto3.client("sts", config=config, **emulator.client_kwargs())
    emulator.faults(deny_actions=["dynamodb:Query", "dynamodb:BatchWriteItem", "sts:GetCallerIdentity"])
    table = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/registry"
    query = {
        "TableName": "registry",
        "KeyConditionExpression": "e = :e",
        "ExpressionAttributeValues": {":e": {"S": "x"}},
    }
    assert expect_error("AccessDeniedException", dynamodb.query, **query) == not_authorized("dynamodb:Query", table)
    write = {"registry": [{"PutRequest": {"Item": {"e": {"S": "x"}}}}]}
    message = expect_error("AccessDeniedException", dynamodb.batch_write_item, RequestItems=write)
    assert message == not_authorized("dynamodb:BatchWriteItem", table)
    # STS speaks the query protocol: AccessDenied, HTTP 403.
    message = expect_error("AccessDenied", sts.get_caller_identity, status=403)
    assert message == not_authorized("sts:GetCallerIdentity", "*")
    assert dynamodb.list_tables()["TableNames"] == []  # not denied
    calls = emulator.calls()
    assert calls["failed"] == {"DynamoDB.Query": 1, "DynamoDB.BatchWriteItem": 1, "STS.GetCallerIdentity": 1}


def test_deny_actions_last_until_replaced_or_reset(no_retry_sagemaker, emulator, expect_error, control):
    """Like every fault: set by naming it, kept when other faults change, cleared by {} or a reset."""
    described = emulator.faults(deny_actions=["listspaces", "dynamodb:query", "SageMaker:ListApps"])
    assert described["deny_actions"] == ["dynamodb:Query", "sagemaker:ListApps", "sagemaker:ListSpaces"]
    assert emulator.faults(latency_ms=1)["deny_actions"] == described["deny_actions"]
    assert control("GET", "faults")[1]["deny_actions"] == described["deny_actions"]
    expect_error("AccessDeniedException", no_retry_sagemaker.list_apps)
    assert emulator.faults(deny_actions=["ListApps"])["deny_actions"] == ["sagemaker:ListApps"]  # replaced
    no_retry_sagemaker.list_spaces()
    assert emulator.faults()["deny_actions"] == []
    no_retry_sagemaker.list_apps()
    emulator.faults(deny_actions=["ListApps"])
    emulator.reset()
    no_retry_sagemaker.list_apps()
    for bad, error in [
        (["ListSpace"], "sagemaker has no action 'ListSpace'"),
        (["iam:PassRole"], "'iam:PassRole' is not an action of sagemaker, dynamodb, sts"),
        ("ListSpaces", "deny_actions must be a list of action names"),
    ]:
        status, body = control("POST", "faults", json.dumps({"deny_actions": bad}).encode())
        assert status == 400 and error in body["error"], body
    assert emulator.faults(latency_ms=0)["deny_actions"] == []  # a refused body changes nothing
