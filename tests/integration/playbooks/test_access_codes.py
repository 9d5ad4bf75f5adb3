"""Setup with the portal's codes (studio_portal_auth), and a teardown that leaves nothing of the event."""

from __future__ import annotations

import csv
import stat
import sys

import boto3

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "collections"))  # the collection's module_utils, as Ansible imports them
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper  # noqa: E402
from ansible_collections.hackathon.studio.plugins.module_utils.registry import RETRY, Registry  # noqa: E402

ROSTER = "ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n"


def registry_items(emulator) -> list:
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    return dynamodb.scan(TableName="hackathon-studio-registry")["Items"]


def test_setup_writes_codes_and_teardown_leaves_no_item(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    codes = tmp_path / "codes.csv"
    options = {"users": str(roster), "studio_portal_auth": ["codes"], "studio_codes_file": str(codes)}
    setup = run_playbook("setup.yml", inventory, **options)
    assert setup.rc == 0, setup.stdout
    assert stat.S_IMODE(codes.stat().st_mode) == 0o600
    rows = list(csv.DictReader(codes.open()))
    assert sorted((r["email"], r["team"]) for r in rows) == [
        ("ada@example.org", "1"),
        ("alan@example.org", "1"),
        ("grace@example.org", "2"),
    ]
    hashes = [i for i in registry_items(emulator) if i["item"]["S"].startswith("code#")]
    assert len(hashes) == 3
    assert not any(row["code"] in str(registry_items(emulator)) or row["code"] in setup.stdout for row in rows)
    assert run_playbook("setup.yml", inventory, **options).changed() == 0

    # The portal's rate-limit and audit items are the event's, not a domain's: teardown removes them too.
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    for key in ("limit#address#127.0.0.1#1", "audit#1#abcd"):
        item = {"event": {"S": "spring"}, "item": {"S": key}}
        dynamodb.put_item(TableName="hackathon-studio-registry", Item=item)
    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    assert registry_items(emulator) == []


def test_setup_prints_cards_and_reissue_rewrites_one_without_a_code_in_the_log(
    run_playbook, inventory, emulator, tmp_path
):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    codes, cards = tmp_path / "codes.csv", tmp_path / "cards.html"
    options = {"studio_portal_auth": ["codes"], "studio_codes_file": str(codes), "studio_cards_file": str(cards)}
    options["studio_portal_url"] = "https://portal.example.org"
    setup = run_playbook("setup.yml", inventory, json_output=False, args=["-vvv"], users=str(roster), **options)
    assert setup.rc == 0, setup.stdout
    assert stat.S_IMODE(cards.stat().st_mode) == 0o600
    rows = list(csv.DictReader(codes.open()))
    page = cards.read_text()
    assert page.count('<article class="card">') == 3 and page.count("<svg") == 3
    for row in rows:
        assert f'class="name">{row["email"]}</p>' in page and f'class="code">{row["code"]}</p>' in page
        assert row["code"] not in setup.stdout + setup.stderr

    reissued = run_playbook(
        "access_codes.yml",
        inventory,
        json_output=False,
        args=["-vvv"],
        email="ada@example.org",
        access_codes_state="reissued",
        **options,
    )
    assert reissued.rc == 0, reissued.stdout
    new = {row["email"]: row["code"] for row in csv.DictReader(codes.open())}["ada@example.org"]
    old = {row["email"]: row["code"] for row in rows}["ada@example.org"]
    assert new != old and f'class="code">{new}</p>' in cards.read_text() and old not in cards.read_text()
    assert new not in reissued.stdout + reissued.stderr


def test_no_codes_without_asking(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    setup = run_playbook("setup.yml", inventory, users=str(roster), studio_codes_file=str(tmp_path / "codes.csv"))
    assert setup.rc == 0, setup.stdout
    assert not (tmp_path / "codes.csv").exists() and not list(tmp_path.glob("cards*"))
    assert not [i for i in registry_items(emulator) if i["item"]["S"].startswith("code#")]


def test_unknown_ways_in_and_email_without_a_sender_are_refused_before_any_call(
    run_playbook, inventory, emulator, tmp_path
):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    before = emulator.calls()["received"]
    cases = {
        "sms": 'studio_portal_auth has an unknown value "sms": the portal\'s ways in are codes and email',
        "email": "studio_portal_auth has email, which needs studio_portal_email_sender: "
        "the SES-verified address the codes are sent from",
    }
    for value, message in cases.items():
        result = run_playbook("setup.yml", inventory, users=str(roster), studio_portal_auth=["codes", value])
        assert result.rc != 0
        assert result.task("Check studio_portal_auth")["msg"] == message
    result = run_playbook("setup.yml", inventory, users=str(roster), studio_portal_auth="codes")
    not_a_list = 'studio_portal_auth must be a list of codes and/or email, got "codes"'
    assert result.task("Check studio_portal_auth")["msg"] == not_a_list
    assert emulator.calls()["received"] == before
    email = {"studio_portal_auth": ["email"], "studio_portal_email_sender": "portal@example.org"}
    result = run_playbook("setup.yml", inventory, users=str(roster), **email)
    assert result.rc == 0, result.stdout  # email with its sender: no code file, no codes
    assert not [i for i in registry_items(emulator) if i["item"]["S"].startswith("code#")]


def test_one_domains_teardown_keeps_the_other_domains_items_in_a_shared_table(emulator):
    """Two domains of one event in one table: a domain's removal takes its items and the event's own
    (the portal's), and leaves the other domain's participants, codes, configuration and records."""
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    north, south = (
        Registry(RetryingBotoClientWrapper(dynamodb, RETRY), "hackathon-studio-registry", "spring", domain)
        for domain in ("d-north", "d-south")
    )
    for registry, email in ((north, "ada@example.org"), (south, "alan@example.org")):
        registry.ensure_table({"hackathon:event": "spring"})
        person = {"email": email, "team": "1", "user_profile": email[:3], "space": "team-1"}
        registry.sync({"domain_id": registry.domain_id}, [person], prune=False, resources=[])
        registry.sync(None, None, False, [{"kind": "spaces", "name": "team-1", "creation_time": "t"}])
        dynamodb.put_item(
            TableName="hackathon-studio-registry",
            Item={"event": {"S": "spring"}, "item": {"S": f"code#{email}"}, "domain_id": {"S": registry.domain_id}},
        )
    dynamodb.put_item(
        TableName="hackathon-studio-registry", Item={"event": {"S": "spring"}, "item": {"S": "audit#1#a"}}
    )

    removed = north.remove_event()
    assert sorted(removed) == [
        "audit#1#a",
        "code#ada@example.org",
        "config#d-north",
        "participant#ada@example.org",
        "resource#d-north#spaces#team-1",
    ]
    assert sorted(i["item"]["S"] for i in registry_items(emulator)) == [
        "code#alan@example.org",
        "config#d-south",
        "participant#alan@example.org",
        "resource#d-south#spaces#team-1",
    ]
