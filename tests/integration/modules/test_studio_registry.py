"""studio_registry and studio_registry_info against DynamoDB on the emulator's port (moto)."""

from __future__ import annotations

import boto3

TABLE = "hackathon-studio-registry"
ADA = {"email": "ada@example.org", "team": "1", "user_profile": "ada-aaaa", "space": "team-1"}
ALAN = {"email": "alan@example.org", "team": "1", "user_profile": "alan-bbbb", "space": "team-1"}


def registry(**args):
    return {"hackathon.studio.studio_registry": {"table": TABLE, "event": "spring", **args}, "register": "out"}


def info(event="spring"):
    return {"hackathon.studio.studio_registry_info": {"table": TABLE, "event": event}, "register": "out"}


def test_registry_lifecycle(playbook, emulator):
    config = {"region": "us-east-1", "domain_id": "d-hackathon0001", "event": "spring"}
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())

    run = playbook([registry(config=config, participants=[ADA], tags={"hackathon:event": "spring"})], check=True)
    assert run[0]["changed"] and run[0]["table_created"], run[0].get("msg")
    assert dynamodb.list_tables()["TableNames"] == []

    run = playbook(
        [
            info(),
            registry(config=config, participants=[ADA, ALAN], tags={"hackathon:event": "spring"}),
            registry(config=config, participants=[ADA, ALAN]),
            registry(participants=[{**ADA, "team": "2", "space": "team-2"}], prune=True),
            registry(event="autumn", participants=[ADA]),
            info(),
        ]
    )
    assert run[0]["exists"] is False and run[0]["participants"] == []
    assert run[1]["changed"] and run[1]["table_created"] and sorted(run[1]["added"]) == [ADA["email"], ALAN["email"]]
    assert not run[2]["changed"]
    assert run[3]["updated"] == [ADA["email"]] and run[3]["removed"] == [ALAN["email"]]
    assert run[5]["config"] == config
    assert run[5]["participants"] == [{**ADA, "team": "2", "space": "team-2"}]
    table = dynamodb.describe_table(TableName=TABLE)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    run = playbook([registry(state="absent"), info(), info("autumn"), registry(state="absent", delete_table=True)])
    assert run[0]["changed"] and run[0]["items_deleted"] == 2
    assert run[1]["participants"] == [] and run[1]["config"] == {}
    assert [p["email"] for p in run[2]["participants"]] == [ADA["email"]]  # another event's items stay
    assert run[3]["table_deleted"] and dynamodb.list_tables()["TableNames"] == []
