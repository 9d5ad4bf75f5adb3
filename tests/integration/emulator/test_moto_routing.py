"""DynamoDB and STS answered on the emulator's port by moto, and what moto lacks answered with a clear 4xx."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ACCOUNT_ID = "123456789012"


@pytest.fixture
def dynamodb(emulator):
    config = Config(retries={"mode": "standard", "max_attempts": 3})
    return boto3.client("dynamodb", config=config, **emulator.client_kwargs())


@pytest.fixture
def sts(emulator):
    config = Config(retries={"mode": "standard", "max_attempts": 3})
    return boto3.client("sts", config=config, **emulator.client_kwargs())


def create_table(dynamodb, name: str = "participants") -> None:
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "email", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "email", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})


def test_dynamodb_table_and_items(dynamodb, emulator):
    create_table(dynamodb)
    assert dynamodb.list_tables()["TableNames"] == ["participants"]
    item = {"email": {"S": "ada@example.org"}, "team": {"S": "red"}, "seat": {"N": "7"}}
    dynamodb.put_item(TableName="participants", Item=item)
    got = dynamodb.get_item(TableName="participants", Key={"email": {"S": "ada@example.org"}}, ConsistentRead=True)
    assert got["Item"] == item
    assert "Item" not in dynamodb.get_item(TableName="participants", Key={"email": {"S": "bob@example.org"}})
    received = emulator.calls()["received"]
    assert received["DynamoDB.CreateTable"] == 1
    assert received["DynamoDB.PutItem"] == 1
    assert received["DynamoDB.GetItem"] == 2
    assert not any(action in received for action in ("CreateTable", "PutItem"))  # not taken for SageMaker


def test_dynamodb_conditional_write_fails_as_on_aws(dynamodb):
    create_table(dynamodb)
    item = {"email": {"S": "ada@example.org"}}
    dynamodb.put_item(TableName="participants", Item=item, ConditionExpression="attribute_not_exists(email)")
    with pytest.raises(ClientError) as info:
        dynamodb.put_item(TableName="participants", Item=item, ConditionExpression="attribute_not_exists(email)")
    assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_dynamodb_errors_come_from_moto(dynamodb):
    with pytest.raises(ClientError) as info:
        dynamodb.get_item(TableName="missing", Key={"email": {"S": "x"}})
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_reset_empties_dynamodb(dynamodb, emulator):
    create_table(dynamodb)
    emulator.reset()
    assert dynamodb.list_tables()["TableNames"] == []


def test_sts_get_caller_identity(sts, emulator):
    identity = sts.get_caller_identity()
    assert identity["Account"] == ACCOUNT_ID
    assert identity["Arn"].split(":")[4] == ACCOUNT_ID
    assert emulator.calls()["received"] == {"STS.GetCallerIdentity": 1}


def test_sagemaker_and_moto_share_the_port(sagemaker, sts, dynamodb):
    assert sts.get_caller_identity()["Account"] == ACCOUNT_ID
    arn = sagemaker.describe_domain(DomainId="d-hackathon0001")["DomainArn"]
    assert arn.split(":")[4] == ACCOUNT_ID
    assert dynamodb.list_tables()["TableNames"] == []


@pytest.mark.parametrize(
    ("service", "operation", "params"),
    [
        ("dynamodb", "list_global_tables", {}),
        ("dynamodb", "describe_contributor_insights", {"TableName": "participants"}),
        ("sts", "decode_authorization_message", {"EncodedMessage": "opaque"}),
    ],
)
def test_what_moto_lacks_answers_a_clear_4xx(emulator, service, operation, params):
    client = boto3.client(
        service, config=Config(retries={"mode": "standard", "max_attempts": 3}), **emulator.client_kwargs()
    )
    with pytest.raises(ClientError) as info:
        getattr(client, operation)(**params)
    response = info.value.response
    assert response["Error"]["Code"] == "UnknownOperationException"
    assert "not implemented" in response["Error"]["Message"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    action = ("DynamoDB." if service == "dynamodb" else "STS.") + client.meta.method_to_api_mapping[operation]
    assert emulator.calls()["failed"] == {action: 1}
