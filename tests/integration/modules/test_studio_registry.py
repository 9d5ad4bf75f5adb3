"""studio_registry and studio_registry_info against DynamoDB on the emulator's port (moto)."""

from __future__ import annotations

import sys
from pathlib import Path

import boto3
import botocore.exceptions
import pytest

# The collection's module_utils, imported as Ansible does, from the collections path of ansible.cfg.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "collections"))
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper  # noqa: E402
from ansible_collections.hackathon.studio.plugins.module_utils.registry import (  # noqa: E402
    RETRY,
    Registry,
    RegistryError,
)

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
    assert run[3]["table_deleted"]
    dynamodb.get_waiter("table_not_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})


def test_registry_holds_agrees_with_the_module_on_when_a_write_changes_nothing(playbook):
    """The filter by which setup skips its registry write: true exactly when the module, asked the same
    against the registry as read, would change nothing (each case checked by the module in check mode)."""
    domain = "d-hackathon0001"
    # As the run's module results give them (records of them are what the registry keeps); a participant
    # carries fields the registry does not keep, as the roster's do.
    ada = {"name": "ada-aaaa", "creation_time": "2026-11-27T08:00:00+00:00", "changed": False}
    team = {"name": "team-1", "creation_time": "2026-11-27T08:01:00+00:00", "settings": "idle=60"}
    ada_roster = {**ADA, "domain_id": domain, "name": "Ada"}
    cases = {
        "the same": ([ada_roster, ALAN], [ada], [team], False),
        "the same, pruning": ([ada_roster, ALAN], [ada], [team], True),
        "a participant fewer": ([ADA], [ada], [team], False),
        "a participant fewer, pruning": ([ADA], [ada], [team], True),
        "a record fewer, pruning": ([ADA, ALAN], [ada], [], True),
        "a team changed": ([{**ADA, "team": "2", "space": "team-2"}, ALAN], [ada], [team], False),
        "a participant more": ([ADA, ALAN, {**ADA, "email": "grace@example.org"}], [ada], [team], False),
        "a profile made anew": ([ADA, ALAN], [{**ada, "creation_time": "2026-11-27T09:00:00+00:00"}], [team], False),
        "a space's settings changed": ([ADA, ALAN], [ada], [{**team, "settings": "idle=30"}], False),
    }
    read = {"table": TABLE, "event": "spring", "domain_id": domain}
    # The module as the registry role runs it: the participants' registry fields, the results' records.
    each_case = {
        "participants": "{{ item.value[0] | hackathon.studio.project(fields) }}",
        "resources": "{{ item.value[1] | hackathon.studio.records('user_profiles')"
        " + item.value[2] | hackathon.studio.records('spaces') }}",
        "prune": "{{ item.value[3] }}",
        "domain_id": domain,
    }
    tasks = [
        {"hackathon.studio.studio_registry_info": read, "register": "empty"},
        registry(
            domain_id=domain,
            participants=[ADA, ALAN],
            resources=[
                {"kind": "user_profiles", "name": ada["name"], "creation_time": ada["creation_time"]},
                {**team, "kind": "spaces"},
            ],
            tags={"hackathon:event": "spring"},
        ),
        {"hackathon.studio.studio_registry_info": read, "register": "read"},
        {
            "ansible.builtin.set_fact": {
                "before_the_table": "{{ empty | hackathon.studio.registry_holds([], [], [], domain_id=domain) }}",
                "holds": "{{ holds | default({}) | combine({item.key: read | hackathon.studio.registry_holds("
                "item.value[0], item.value[1], item.value[2], domain_id=domain, prune=item.value[3])}) }}",
            },
            "loop": "{{ cases | dict2items }}",
        },
        {**registry(**each_case), "loop": "{{ cases | dict2items }}", "check_mode": True},
    ]
    fields = {"email": "email", "team": "team", "user_profile": "user_profile", "space": "space"}
    run = playbook(tasks, extra_vars={"cases": cases, "domain": domain, "fields": fields})
    facts = run[3]["results"][-1]["ansible_facts"]
    assert facts["before_the_table"] is False
    holds = {name: facts["holds"][name] for name in cases}
    assert holds == {checked["item"]["key"]: not checked["changed"] for checked in run[4]["results"]}
    assert [name for name, held in holds.items() if held] == ["the same", "the same, pruning", "a participant fewer"]


def participants(count: int) -> list:
    return [{"email": f"p{i:04}@example.org", "team": str(i // 4), "space": f"team-{i // 4}"} for i in range(count)]


def create_table(dynamodb) -> None:
    dynamodb.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("event", "item")],
        KeySchema=[{"AttributeName": "event", "KeyType": "HASH"}, {"AttributeName": "item", "KeyType": "RANGE"}],
    )


def test_a_table_another_run_is_creating_is_waited_for(playbook, emulator):
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    emulator.config(time_scale=0.5)  # CREATING for 5 s: longer than ansible-playbook takes to start
    create_table(dynamodb)
    run = playbook([registry(participants=[ADA]), info()])
    assert run[0]["changed"] and not run[0]["table_created"] and run[0]["added"] == [ADA["email"]], run[0].get("msg")
    assert run[1]["participants"] == [ADA]
    assert dynamodb.describe_table(TableName=TABLE)["Table"]["TableStatus"] == "ACTIVE"


def test_a_table_being_deleted_is_waited_for_and_created_anew(playbook, emulator):
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    assert playbook([registry(participants=[ADA])])[0]["table_created"]
    emulator.config(time_scale=0.5)  # DELETING for 5 s
    dynamodb.delete_table(TableName=TABLE)
    run = playbook([registry(participants=[ALAN]), info()])
    assert run[0]["table_created"] and run[0]["added"] == [ALAN["email"]], run[0].get("msg")
    assert run[1]["participants"] == [ALAN]  # the old table's items went with it


def test_registry_converges_through_throttling_server_errors_and_unprocessed_items(playbook, emulator):
    emulator.faults(
        throttle={"rps": 5, "burst": 2, "actions": ["dynamodb:Query", "dynamodb:BatchWriteItem"]},
        error_rate=0.3,
        lost_response_rate=0.1,
        dynamodb_unprocessed_rate=0.5,
    )
    run = playbook([registry(participants=participants(100)), info()])
    assert run[0]["table_created"] and len(run[0]["added"]) == 100, run[0].get("msg")
    assert len(run[1]["participants"]) == 100
    calls = emulator.calls()
    assert calls["throttled"] and calls["failed"]  # the faults were met, and survived
    emulator.faults(throttle=None, error_rate=0, lost_response_rate=0, dynamodb_unprocessed_rate=0)
    assert not playbook([registry(participants=participants(100))])[0]["changed"]


def registry_client(emulator):
    """The modules' DynamoDB client: boto3 with the registry's retry decorator."""
    return RetryingBotoClientWrapper(boto3.client("dynamodb", **emulator.client_kwargs()), RETRY)


def test_a_thousand_participants_are_written_through_unprocessed_items(emulator):
    emulator.faults(dynamodb_unprocessed_rate=0.5)
    sleeps = []
    registry = Registry(registry_client(emulator), TABLE, "spring", sleep=sleeps.append)
    assert registry.ensure_table({"hackathon:event": "spring"})
    changes = registry.sync({"event": "spring"}, participants(1000), prune=False)
    assert len(changes["added"]) == 1000
    assert max(sleeps) <= 5 and len(sleeps) >= 40 * 4  # each batch of 25 was handed back half, and resent
    assert len(registry.read()[1]) == 1000


class LostCreateTable:
    """The registry's client, where CreateTable's first answer is lost: AWS made the table, and the
    retry is told it is in use (what lost_response_rate does to one call in ten, at random)."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def create_table(self, **params):
        self.client.create_table(**params)
        error = {"Error": {"Code": "ResourceInUseException", "Message": f"Table already exists: {TABLE}"}}
        raise botocore.exceptions.ClientError(error, "CreateTable")


def test_a_table_made_by_a_create_whose_answer_was_lost_is_this_runs(emulator):
    registry = Registry(LostCreateTable(registry_client(emulator)), TABLE, "spring", sleep=lambda seconds: None)
    assert registry.ensure_table({"hackathon:event": "spring"}) is True
    assert registry.ensure_table({"hackathon:event": "spring"}) is False  # there before this run asked


def test_writes_left_unprocessed_are_a_clear_error(emulator):
    emulator.faults(dynamodb_unprocessed_rate=1)
    registry = Registry(registry_client(emulator), TABLE, "spring", sleep=lambda seconds: None)
    registry.ensure_table({})
    with pytest.raises(RegistryError) as failed:
        registry.sync(None, participants(60), prune=False)
    assert str(failed.value) == (
        "DynamoDB left 60 of 60 registry writes unprocessed (after 10 attempts each; run it again)"
    )


def test_a_table_that_stays_creating_past_the_timeout_is_a_clear_error(emulator):
    emulator.config(time_scale=1)  # CREATING for 10 s
    create_table(boto3.client("dynamodb", **emulator.client_kwargs()))
    registry = Registry(registry_client(emulator), TABLE, "spring", timeout=1)
    with pytest.raises(RegistryError) as failed:
        registry.read()
    assert str(failed.value) == f"registry table {TABLE} was still CREATING, not ACTIVE, after 1 s"
