"""What the reliability tests check after a run: the event's resources and registry, exactly."""

from __future__ import annotations

import time

import boto3

from tests.integration.playbooks.conftest import SAMPLE

EVENT = "spring"
SAMPLE_EMAILS = {line.split(",")[0].lower() for line in SAMPLE.read_text().splitlines() if line.strip()}
TEAMS = {f"team-{line.split(',')[1].strip()}" for line in SAMPLE.read_text().splitlines() if line.strip()}
CREATES = {"CreateUserProfile": "user_profiles", "CreateSpace": "spaces", "CreateApp": "apps"}


def event_state(emulator) -> dict:
    """The event's resources (tagged with it) as {kind: {name or space: status}}, live apps only."""
    state = emulator.state()
    return {
        kind: {
            item.get("space") or item["name"]: item["status"]
            for item in state[kind]
            if item["tags"].get("hackathon:event") == EVENT and item["status"] != "Deleted"
        }
        for kind in ("user_profiles", "spaces", "apps")
    }


def registry(emulator) -> list:
    """The participants' emails in the event's registry, one per item (a duplicate would show twice)."""
    client = boto3.client("dynamodb", **emulator.client_kwargs())
    items = client.query(
        TableName="hackathon-studio-registry",
        KeyConditionExpression="event = :e AND begins_with(#i, :p)",
        ExpressionAttributeNames={"#i": "item"},
        ExpressionAttributeValues={":e": {"S": EVENT}, ":p": {"S": "participant#"}},
    )["Items"]
    return sorted(item["email"]["S"] for item in items)


def assert_whole_event(emulator, apps: int = len(TEAMS)) -> None:
    state = event_state(emulator)
    assert len(state["user_profiles"]) == len(SAMPLE_EMAILS) + 1  # and the organizer
    assert set(state["user_profiles"].values()) == {"InService"}
    assert state["spaces"] == dict.fromkeys(TEAMS, "InService")
    assert sum(status == "InService" for status in state["apps"].values()) == apps
    assert registry(emulator) == sorted(SAMPLE_EMAILS)


def assert_nothing_of_the_event(emulator) -> None:
    assert event_state(emulator) == {"user_profiles": {}, "spaces": {}, "apps": {}}


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
