"""The wire: JSON 1.1 with X-Amz-Target, validation against botocore's model, and clear 4xx for the unknown."""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request

import boto3
import botocore.session
import pytest
from botocore.config import Config

DOMAIN_ID = "d-hackathon0001"
SAGEMAKER = botocore.session.get_session().get_service_model("sagemaker")


def post(url: str, target: str | None, body: bytes, content_type: str = "application/x-amz-json-1.1"):
    """An unsigned raw POST; return (status, headers, decoded JSON body)."""
    headers = {"Content-Type": content_type}
    if target:
        headers["X-Amz-Target"] = target
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


# ----- protocol ------------------------------------------------------------------------------------
def test_json_1_1_request_is_answered_with_json_1_1(emulator):
    status, headers, body = post(emulator.url, "SageMaker.DescribeDomain", json.dumps({"DomainId": DOMAIN_ID}).encode())
    assert status == 200
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-RequestId"]
    assert body["DomainId"] == DOMAIN_ID
    assert body["Status"] == "InService"
    assert isinstance(body["CreationTime"], float)  # epoch seconds, as JSON 1.1 sends timestamps


def test_error_body_and_headers_follow_json_1_1(emulator):
    status, headers, body = post(emulator.url, "SageMaker.DescribeDomain", b'{"DomainId": "d-missing0000"}')
    assert status == 400
    assert headers["x-amzn-ErrorType"] == "ResourceNotFound"
    assert body["__type"] == "ResourceNotFound"
    assert "d-missing0000" in body["message"]


def test_body_that_is_not_json_is_a_serialization_error(emulator):
    status, _, body = post(emulator.url, "SageMaker.ListUserProfiles", b"{not json")
    assert (status, body["__type"]) == (400, "SerializationException")


def test_timestamps_and_request_id_reach_boto3(sagemaker):
    domain = sagemaker.describe_domain(DomainId=DOMAIN_ID)
    assert isinstance(domain["CreationTime"], datetime.datetime)
    assert domain["ResponseMetadata"]["RequestId"]
    assert domain["ResponseMetadata"]["HTTPStatusCode"] == 200


# ----- validation ----------------------------------------------------------------------------------
def test_missing_required_member(raw_sagemaker, expect_error):
    message = expect_error("ValidationException", raw_sagemaker.create_user_profile, DomainId=DOMAIN_ID)
    assert message == (
        "1 validation error detected: Value null at 'userProfileName' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_bad_pattern(sagemaker, expect_error):
    message = expect_error(
        "ValidationException", sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName="no_underscores"
    )
    assert message == (
        "1 validation error detected: Value 'no_underscores' at 'userProfileName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
    )


def test_too_long(raw_sagemaker, expect_error):
    name = "a" * 64
    message = expect_error(
        "ValidationException", raw_sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName=name
    )
    assert f"Value '{name}' at 'userProfileName' failed to satisfy constraint: " in message
    assert "Member must have length less than or equal to 63" in message


def test_longest_valid_name_is_accepted(sagemaker):
    name = "a" * 63
    arn = sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name)["UserProfileArn"]
    assert arn.endswith(f"/{DOMAIN_ID}/{name}")


def test_enum(raw_sagemaker, expect_error):
    message = expect_error("ValidationException", raw_sagemaker.list_user_profiles, SortBy="Name")
    assert message == (
        "1 validation error detected: Value 'Name' at 'sortBy' failed to satisfy constraint: "
        "Member must satisfy enum value set: [CreationTime, LastModifiedTime]"
    )


@pytest.mark.parametrize(
    ("value", "constraint"),
    [
        (0, "Member must have value greater than or equal to 1"),
        (101, "Member must have value less than or equal to 100"),
    ],
)
def test_numeric_range_of_max_results(raw_sagemaker, expect_error, value, constraint):
    message = expect_error("ValidationException", raw_sagemaker.list_user_profiles, MaxResults=value)
    assert (
        message
        == f"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy constraint: {constraint}"
    )


def test_wrong_type(raw_sagemaker, expect_error):
    message = expect_error("ValidationException", raw_sagemaker.list_user_profiles, MaxResults="ten")
    assert "Value 'ten' at 'maxResults' failed to satisfy constraint: Member must be an integer" in message


def test_every_violation_is_reported_at_once(raw_sagemaker, expect_error):
    message = expect_error(
        "ValidationException",
        raw_sagemaker.create_space,
        DomainId="not-a-domain",
        SpaceName="bad name",
        SpaceSettings={"AppType": "Emacs"},
    )
    assert message.startswith("3 validation errors detected: ")
    assert "at 'domainId'" in message
    assert "at 'spaceName'" in message
    assert "Value 'Emacs' at 'spaceSettings.appType'" in message
    assert message.count("; ") == 2


def test_nested_list_members_are_validated(raw_sagemaker, expect_error):
    message = expect_error(
        "ValidationException",
        raw_sagemaker.create_user_profile,
        DomainId=DOMAIN_ID,
        UserProfileName="alice",
        Tags=[{"Key": "ok", "Value": "fine"}, {"Key": "bad#key", "Value": "v"}],
    )
    assert "Value 'bad#key' at 'tags.2.member.key'" in message


def test_unicode_letters_pass_the_tag_pattern(sagemaker):
    tags = [{"Key": "équipe", "Value": "Ωmega 東京"}]
    arn = sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice", Tags=tags)["UserProfileArn"]
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == tags


def test_unknown_member_is_refused(emulator):
    body = json.dumps({"DomainId": DOMAIN_ID, "Colour": "blue"}).encode()
    status, _, error = post(emulator.url, "SageMaker.DescribeDomain", body)
    assert (status, error["__type"]) == (400, "ValidationException")
    assert "Colour" in error["message"]


def test_validation_failure_creates_nothing(raw_sagemaker, emulator, expect_error):
    expect_error("ValidationException", raw_sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName="a b")
    assert emulator.state()["user_profiles"] == []


# ----- what is not implemented -----------------------------------------------------------------------
def test_sagemaker_operation_not_implemented(no_retry_sagemaker, expect_error):
    message = expect_error("UnknownOperationException", no_retry_sagemaker.list_endpoints)
    assert "ListEndpoints" in message


def test_sagemaker_operation_not_in_the_model(emulator):
    status, headers, body = post(emulator.url, "SageMaker.FrobnicateDomain", b"{}")
    assert (status, body["__type"], headers["x-amzn-ErrorType"]) == (
        400,
        "UnknownOperationException",
        "UnknownOperationException",
    )


def test_unimplemented_operation_is_not_retried(sagemaker, emulator):
    with pytest.raises(sagemaker.exceptions.ClientError) as info:
        sagemaker.list_endpoints()
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert emulator.calls()["received"]["ListEndpoints"] == 1


@pytest.mark.parametrize(
    ("service", "operation", "params"),
    [
        ("s3", "list_buckets", {}),  # rest-xml
        ("sns", "list_topics", {}),  # query
        ("ec2", "describe_vpcs", {}),  # ec2
        ("lambda", "list_functions", {}),  # rest-json
        ("logs", "describe_log_groups", {}),  # json
        ("cloudwatch", "list_metrics", {}),  # smithy-rpc-v2-cbor
    ],
)
def test_unsupported_service_answers_a_clear_4xx_that_is_not_retried(emulator, service, operation, params):
    config = Config(retries={"mode": "standard", "max_attempts": 3})
    client = boto3.client(service, config=config, **emulator.client_kwargs())
    with pytest.raises(client.exceptions.ClientError) as info:
        getattr(client, operation)(**params)
    response = info.value.response
    assert response["Error"]["Code"] == "UnknownOperationException"
    assert (
        "studio-emulator answers SageMaker, DynamoDB, STS, IAM, SES and the Resource Groups Tagging API only"
        in response["Error"]["Message"]
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RetryAttempts"] == 0


# ----- output shapes ---------------------------------------------------------------------------------
def assert_fits(shape, value, path="response"):
    """``value`` has only members of ``shape`` and every required one, all the way down."""
    if shape.type_name == "structure":
        assert isinstance(value, dict), path
        assert set(value) <= set(shape.members), (
            f"{path}: {sorted(set(value) - set(shape.members))} not in {shape.name}"
        )
        assert set(shape.required_members) <= set(value), f"{path}: missing {shape.required_members}"
        for key, item in value.items():
            assert_fits(shape.members[key], item, f"{path}.{key}")
    elif shape.type_name == "list":
        for index, item in enumerate(value):
            assert_fits(shape.member, item, f"{path}[{index}]")
    elif shape.type_name == "map":
        for key, item in value.items():
            assert_fits(shape.value, item, f"{path}.{key}")


def test_every_response_fits_its_output_shape(sagemaker, studio, fast):
    tags = [{"Key": "team", "Value": "red"}]
    studio.profile("alice", Tags=tags, UserSettings={"ExecutionRole": "arn:aws:iam::123456789012:role/r"})
    studio.space(
        "team-red",
        owner="alice",
        sharing="Shared",
        Tags=tags,
        SpaceDisplayName="Team Red",
        SpaceSettings={
            "AppType": "JupyterLab",
            "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 10}},
        },
    )
    app_arn = studio.app("team-red", ResourceSpec={"InstanceType": "ml.t3.medium"}, Tags=tags)
    calls = {
        "DescribeDomain": {"DomainId": DOMAIN_ID},
        "ListDomains": {},
        "DescribeUserProfile": {"DomainId": DOMAIN_ID, "UserProfileName": "alice"},
        "ListUserProfiles": {},
        "DescribeSpace": {"DomainId": DOMAIN_ID, "SpaceName": "team-red"},
        "ListSpaces": {},
        "DescribeApp": {"DomainId": DOMAIN_ID, "SpaceName": "team-red", "AppType": "JupyterLab", "AppName": "default"},
        "ListApps": {},
        "ListTags": {"ResourceArn": app_arn},
        "CreatePresignedDomainUrl": {"DomainId": DOMAIN_ID, "UserProfileName": "alice", "SpaceName": "team-red"},
    }
    for operation, params in calls.items():
        response = sagemaker._make_api_call(operation, params)
        response.pop("ResponseMetadata")
        assert_fits(SAGEMAKER.operation_model(operation).output_shape, response, operation)
        assert response, operation


def test_describe_keys_are_output_shape_members(sagemaker, studio):
    studio.profile("alice")
    described = sagemaker.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    members = set(SAGEMAKER.operation_model("DescribeUserProfile").output_shape.members)
    assert set(described) - {"ResponseMetadata"} <= members
    assert {"DomainId", "UserProfileArn", "UserProfileName", "Status", "CreationTime", "LastModifiedTime"} <= set(
        described
    )
