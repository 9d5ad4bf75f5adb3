"""DynamoDB on the emulator as AWS answers it: table phases, BatchWriteItem's limits, and the faults."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

TABLE = "registry"
QUERY = {
    "TableName": TABLE,
    "KeyConditionExpression": "k = :k",
    "ExpressionAttributeValues": {":k": {"S": "a"}},
}


@pytest.fixture
def dynamodb(emulator):
    """A client that never retries, so that each answer is seen as the emulator gave it."""
    config = Config(retries={"mode": "standard", "total_max_attempts": 1})
    return boto3.client("dynamodb", config=config, **emulator.client_kwargs())


def create(dynamodb, wait: bool = True) -> str:
    status = dynamodb.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
    )["TableDescription"]["TableStatus"]
    if wait:
        dynamodb.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 0.05, "MaxAttempts": 100})
    return status


def puts(*keys: str) -> dict:
    return {TABLE: [{"PutRequest": {"Item": {"k": {"S": key}}}} for key in keys]}


def test_a_table_is_creating_then_active(dynamodb, emulator, expect_error, wait_for):
    emulator.config(time_scale=0.3)  # CREATING for 3 s, time enough for the calls below on a loaded machine
    assert create(dynamodb, wait=False) == "CREATING"
    assert dynamodb.describe_table(TableName=TABLE)["Table"]["TableStatus"] == "CREATING"
    assert expect_error("ResourceNotFoundException", dynamodb.query, **QUERY) == "Requested resource not found"
    expect_error("ResourceNotFoundException", dynamodb.batch_write_item, RequestItems=puts("a"))
    message = expect_error("ResourceInUseException", dynamodb.delete_table, TableName=TABLE)
    assert message.endswith(f"Table is being created: {TABLE}")
    wait_for(lambda: dynamodb.describe_table(TableName=TABLE)["Table"]["TableStatus"] == "ACTIVE", 10)
    assert dynamodb.query(**QUERY)["Items"] == []


def test_a_table_is_deleting_then_gone(dynamodb, emulator, expect_error):
    create(dynamodb)
    emulator.config(time_scale=0.3)  # DELETING for 3 s
    assert dynamodb.delete_table(TableName=TABLE)["TableDescription"]["TableStatus"] == "DELETING"
    assert dynamodb.describe_table(TableName=TABLE)["Table"]["TableStatus"] == "DELETING"
    # "If table is already in the DELETING state, no error is returned."
    assert dynamodb.delete_table(TableName=TABLE)["TableDescription"]["TableStatus"] == "DELETING"
    expect_error("ResourceNotFoundException", dynamodb.query, **QUERY)  # the stricter of AWS's answers
    expect_error("ResourceInUseException", lambda: create(dynamodb, wait=False))
    dynamodb.get_waiter("table_not_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 0.05, "MaxAttempts": 200})
    assert dynamodb.list_tables()["TableNames"] == []
    assert create(dynamodb) == "CREATING"


def test_batch_write_limits(dynamodb, expect_error):
    create(dynamodb)
    message = expect_error("ValidationException", dynamodb.batch_write_item, RequestItems=puts(*map(str, range(26))))
    assert "Member must have length less than or equal to 25" in message
    put_and_delete = {
        TABLE: [{"PutRequest": {"Item": {"k": {"S": "a"}}}}, {"DeleteRequest": {"Key": {"k": {"S": "a"}}}}]
    }
    message = expect_error("ValidationException", dynamodb.batch_write_item, RequestItems=put_and_delete)
    assert message == "Provided list of item keys contains duplicates"
    two_puts = {TABLE: [{"PutRequest": {"Item": {"k": {"S": "a"}, "v": {"S": str(i)}}}} for i in range(2)]}
    message = expect_error("ValidationException", dynamodb.batch_write_item, RequestItems=two_puts)
    assert message == "Provided list of item keys contains duplicates"
    assert dynamodb.scan(TableName=TABLE)["Count"] == 0  # nothing written
    assert dynamodb.batch_write_item(RequestItems=puts(*map(str, range(25))))["UnprocessedItems"] == {}


def test_unprocessed_items(dynamodb, emulator):
    create(dynamodb)
    assert emulator.faults(dynamodb_unprocessed_rate=0.5)["dynamodb_unprocessed_rate"] == 0.5
    keys = [str(i) for i in range(25)]
    left = dynamodb.batch_write_item(RequestItems=puts(*keys))["UnprocessedItems"][TABLE]
    assert len(left) == 12
    written = {item["k"]["S"] for item in dynamodb.scan(TableName=TABLE)["Items"]}
    assert len(written) == 13 and written.isdisjoint(r["PutRequest"]["Item"]["k"]["S"] for r in left)
    emulator.faults(dynamodb_unprocessed_rate=1)
    left = dynamodb.batch_write_item(RequestItems=puts("x", "y"))["UnprocessedItems"]
    assert left == puts("x", "y") and dynamodb.scan(TableName=TABLE)["Count"] == 13


def test_faults_reach_dynamodb(dynamodb, emulator, expect_error):
    create(dynamodb)
    emulator.faults(throttle={"rps": 0.01, "burst": 1, "actions": ["dynamodb:Query"]})
    dynamodb.query(**QUERY)
    message = expect_error("ThrottlingException", dynamodb.query, **QUERY)
    assert message.startswith("Throughput exceeds the current capacity of your table or index.")
    dynamodb.batch_write_item(RequestItems=puts("a"))  # another action, another bucket
    emulator.faults(throttle={"rps": 0.01, "burst": 1, "actions": None})  # SageMaker's and tagging's only
    for _ in range(3):
        dynamodb.describe_table(TableName=TABLE)
    emulator.faults(throttle={"rps": 0.01, "burst": 1, "actions": ["dynamodb:DescribeTable"]})
    dynamodb.describe_table(TableName=TABLE)
    message = expect_error("ThrottlingException", dynamodb.describe_table, TableName=TABLE)
    assert message == "Rate of requests exceeds the allowed throughput."
    emulator.faults(throttle=None, error_rate=1)
    with pytest.raises(ClientError) as failed:
        dynamodb.query(**QUERY)
    error = failed.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) in {
        ("InternalServerError", 500),
        ("ServiceUnavailable", 503),
    }
    emulator.faults(error_rate=0, lost_response_rate=1)
    expect_error("InternalServerError", dynamodb.batch_write_item, status=500, RequestItems=puts("lost"))
    emulator.faults(lost_response_rate=0, latency_ms=200)
    started = time.monotonic()
    assert dynamodb.get_item(TableName=TABLE, Key={"k": {"S": "lost"}})["Item"]  # carried out all the same
    assert time.monotonic() - started >= 0.2
    calls = emulator.calls()
    assert calls["throttled"] == {"DynamoDB.Query": 1, "DynamoDB.DescribeTable": 1}
    assert calls["failed"] == {"DynamoDB.Query": 1, "DynamoDB.BatchWriteItem": 1}


def test_query_and_scan_answer_every_attribute_type_as_get_item_does(dynamodb):
    """The emulator writes Query's and Scan's items itself (moto's serializer took 0.4 ms an item); what
    a client reads must be what GetItem, still moto's, gives: every type, binary ones above all."""
    create(dynamodb)
    item = {
        "k": {"S": "a"},
        "n": {"N": "-12.5"},
        "b": {"B": b"\x00\xffbinary"},
        "ss": {"SS": ["x", "y"]},
        "ns": {"NS": ["1", "2.5"]},
        "bs": {"BS": [b"\x01", b"\x02\x03"]},
        "m": {"M": {"inner": {"B": b"\xfe"}, "flag": {"BOOL": True}}},
        "l": {"L": [{"NULL": True}, {"S": "é"}, {"B": b"z"}]},
    }
    dynamodb.put_item(TableName=TABLE, Item=item)
    dynamodb.put_item(TableName=TABLE, Item={"k": {"S": "b"}})
    [got] = [dynamodb.get_item(TableName=TABLE, Key={"k": {"S": "a"}})["Item"]]
    assert got == item
    queried = dynamodb.query(**QUERY, ReturnConsumedCapacity="TOTAL")
    assert queried["Items"] == [got] and queried["Count"] == queried["ScannedCount"] == 1
    assert queried["ConsumedCapacity"]["TableName"] == TABLE
    scanned = dynamodb.scan(TableName=TABLE, Limit=1)
    assert scanned["Count"] == 1 and scanned["Items"][0] in (got, {"k": {"S": "b"}})
    assert scanned["LastEvaluatedKey"] == {"k": scanned["Items"][0]["k"]}
    counted = dynamodb.query(**QUERY, Select="COUNT")
    assert counted["Count"] == 1 and "Items" not in counted
