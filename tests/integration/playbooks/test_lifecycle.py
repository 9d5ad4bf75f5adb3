"""The whole event through the playbooks: configure, setup, urls, status, teardown, on the sample roster."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import boto3

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "users.csv"

EVENT_TAG = {"hackathon:event": "spring"}


def names(items):
    return sorted(item["name"] for item in items)


def test_whole_event_and_idempotence(run_playbook, inventory, emulator, tmp_path):
    configured = run_playbook("configure.yml", inventory)
    assert configured.rc == 0, configured.stdout
    setup = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    assert setup.rc == 0, setup.stdout
    state = emulator.state()
    assert len(state["user_profiles"]) == 12 + 1  # the participants and the organizer
    assert names(state["spaces"]) == ["team-1", "team-2", "team-3", "team-4"]
    assert {s["owner"] for s in state["spaces"]} == {"spring-organizer"}
    assert {a["status"] for a in state["apps"]} == {"InService"} and len(state["apps"]) == 4
    assert all(item["tags"] == EVENT_TAG for kind in ("user_profiles", "spaces", "apps") for item in state[kind])
    # niklas@amazon.com and niklas@ai.se are two people with two profiles
    assert len([p for p in state["user_profiles"] if p["name"].startswith("niklas-")]) == 2

    before = emulator.calls()["received"]
    again = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    assert again.rc == 0 and again.changed() == 0, again.stdout
    used = {k: v - before.get(k, 0) for k, v in emulator.calls()["received"].items() if v != before.get(k, 0)}
    assert not [k for k in used if k.startswith(("Create", "Update", "Delete", "Add"))], used
    assert used.get("ListTags", 0) == 0, used  # the registry vouches for every resource, the organizer too
    # The registry already holds everyone and every record: no write, nor the write's own read.
    assert again.task("Record who is where").get("skipped") and "DynamoDB.BatchWriteItem" not in used, used

    urls = run_playbook("urls.yml", inventory)
    assert urls.rc == 0, urls.stdout
    path = tmp_path / "urls.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == 12 and all(row["url"].startswith("https://d-hackathon0001.studio.") for row in rows)
    assert "token=" not in urls.stdout

    before = emulator.calls()["received"]
    status = run_playbook("status.yml", inventory)
    assert status.rc == 0, status.stdout
    report = status.task("Compare it with the registry")
    assert report["totals"]["participants"] == 12 and report["totals"]["apps_in_service"] == 4
    assert not any(report["drift"].values())
    # The registry vouches for the 13 profiles and 4 spaces (one tagging-index call): only the apps' tags are read.
    assert emulator.calls()["received"].get("ListTags", 0) - before.get("ListTags", 0) == 4

    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    state = emulator.state()
    assert state["user_profiles"] == [] and state["spaces"] == []
    assert {a["status"] for a in state["apps"]} == {"Deleted"}
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    assert dynamodb.scan(TableName="hackathon-studio-registry")["Items"] == []


def test_roster_edits_add_move_and_prune(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n")
    assert run_playbook("setup.yml", inventory, users=str(roster)).rc == 0
    roster.write_text("ada@example.org,1\nalan@example.org,3\nedsger@example.org,3\n")
    kept = run_playbook("setup.yml", inventory, users=str(roster))
    assert kept.rc == 0, kept.stdout
    state = emulator.state()
    assert len(state["user_profiles"]) == 5  # grace is kept without prune
    assert names(state["spaces"]) == ["team-1", "team-2", "team-3"]
    pruned = run_playbook("setup.yml", inventory, users=str(roster), studio_prune=True)
    assert pruned.rc == 0, pruned.stdout
    state = emulator.state()
    assert len(state["user_profiles"]) == 4 and not any(p["name"].startswith("grace-") for p in state["user_profiles"])
    assert names(state["spaces"]) == ["team-1", "team-3"]
    registry = run_playbook("status.yml", inventory).task("Compare it with the registry")
    assert registry["totals"] == {
        "participants": 3,
        "teams": 2,
        "spaces_in_service": 2,
        "apps_in_service": 0,
        "personal_spaces": 0,
        # No app has run: no hours, no cost, and no projection without studio_event_end.
        "app_hours": 0.0,
        "cost": 0.0,
        "projected_cost": None,
        "running_apps": 0,
    }


def test_bad_roster_stops_before_any_call(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nnot-an-email,1\nada@example.org,2\n")
    before = emulator.calls()["received"]
    result = run_playbook("setup.yml", inventory, users=str(roster))
    assert result.rc != 0
    failed = result.task("Read and validate the roster")
    assert failed["problems"] == [
        f"{roster}, line 2: malformed email 'not-an-email'",
        f"{roster}, line 3: ada@example.org is in two teams: '1' on line 1 and '2' here",
    ]
    assert emulator.calls()["received"] == before


def test_personal_spaces_are_private_owned_and_torn_down(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n")
    setup = run_playbook("setup.yml", inventory, users=str(roster), studio_personal_spaces=True)
    assert setup.rc == 0, setup.stdout
    state = emulator.state()
    private = [s for s in state["spaces"] if s["sharing"] == "Private"]
    owners = {p["name"] for p in state["user_profiles"]} - {"spring-organizer"}
    assert len(private) == 3 and {s["owner"] for s in private} == owners
    assert all(s["name"] == f"{s['owner']}-home" for s in private)
    assert run_playbook("setup.yml", inventory, users=str(roster), studio_personal_spaces=True).changed() == 0
    assert run_playbook("teardown.yml", inventory).rc == 0
    assert emulator.state()["spaces"] == [] and emulator.state()["user_profiles"] == []


def test_preflight_reads_the_quotas_from_aws_and_refuses_an_instance_type_at_zero(
    run_playbook, inventory, emulator, tmp_path
):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\ngrace@example.org,2\n")
    emulator.config(quotas={"apps": {"*/ml.g5.xlarge": 0}})  # a new account's GPU quota
    gpu = {"studio_instance_type": "ml.g5.xlarge", "studio_start_apps": True}
    result = run_playbook("setup.yml", inventory, users=str(roster), **gpu)
    assert result.rc != 0
    message = result.task("Check the app quota of the instance type")["msg"]
    pages = boto3.client("service-quotas", **emulator.client_kwargs()).get_paginator("list_service_quotas")
    code = next(
        q["QuotaCode"]
        for page in pages.paginate(ServiceCode="sagemaker")
        for q in page["Quotas"]
        if q["QuotaName"] == "Studio JupyterLab Apps running on ml.g5.xlarge instances"
    )
    assert message == (
        "0 ml.g5.xlarge apps run and the event starts 2 more: over the quota of 0 "
        "('Studio JupyterLab Apps running on ml.g5.xlarge instances'). Ask for an increase first: aws "
        "service-quotas request-service-quota-increase --service-code sagemaker "
        f"--quota-code {code} --desired-value 2 --region us-east-1"
    )
    assert not [k for k in emulator.calls()["received"] if k.startswith("Create")]
    emulator.config(quotas={"user_profiles": 2})  # read from Service Quotas too, not only from variables
    over = run_playbook("setup.yml", inventory, users=str(roster))
    assert (
        "over the quota of 2 ('Maximum number of Studio user profiles allowed per account')"
        in over.task("Check the user profile quota")["msg"]
    )


def test_preflight_stops_an_event_over_quota_before_creating_anything(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n")
    result = run_playbook("setup.yml", inventory, users=str(roster), studio_quota_user_profiles=3)
    assert result.rc != 0
    message = result.task("Check the user profile quota")["msg"]
    assert message.startswith("0 user profiles exist and the event needs 4 more: over the quota of 3")
    assert not [k for k in emulator.calls()["received"] if k.startswith("Create")]
    quotas = {"studio_quota_user_profiles": 4, "studio_quota_spaces": 2}
    fits = run_playbook("setup.yml", inventory, users=str(roster), **quotas)
    assert fits.rc == 0, fits.stdout
    read = "Read the account's quotas and the registry, and count what exists in the domain"
    assert "user_profiles" in fits.task(read)["found"] and fits.task(read)["registry"]["exists"] is False

    # A re-run: what exists is counted, and the event needs nothing more, so it fits the same quotas.
    rerun = run_playbook("setup.yml", inventory, users=str(roster), **quotas)
    assert rerun.rc == 0, rerun.stdout
    assert len(rerun.task(read)["found"]["user_profiles"]) == 4
    assert [p["email"] for p in rerun.task(read)["registry"]["participants"]] == [
        "ada@example.org",
        "alan@example.org",
        "grace@example.org",
    ]
    roster.write_text(roster.read_text() + "edsger@example.org,2\n")  # one new participant: counted again
    grown = run_playbook("setup.yml", inventory, users=str(roster), **quotas)
    assert grown.rc != 0
    assert grown.task("Check the user profile quota")["msg"].startswith(
        "4 user profiles exist and the event needs 1 more"
    )
