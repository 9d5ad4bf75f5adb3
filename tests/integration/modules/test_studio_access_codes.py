"""studio_access_codes against DynamoDB on the emulator's port: hashes only in the registry, codes only in dest."""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import sys
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "collections"))
from ansible_collections.hackathon.studio.plugins.module_utils.access_codes import check_code  # noqa: E402

TABLE = "hackathon-studio-registry"
ADA = {"email": "Ada@example.org", "team": "1", "user_profile": "ada-aaaa", "space": "team-1"}
ALAN = {"email": "alan@example.org", "team": "2", "user_profile": "alan-bbbb", "space": "team-2"}
GRACE = {"email": "grace@example.org", "team": "1", "user_profile": "grace-cccc", "space": "team-1"}


def registry(participants):
    config = {"region": "us-east-1", "domain_id": "d-hackathon0001", "event": "spring"}
    return {
        "hackathon.studio.studio_registry": {"table": TABLE, "event": "spring", "config": config, "prune": True}
        | {"participants": participants},
        "register": "out",
    }


def codes(dest, **args):
    return {
        "hackathon.studio.studio_access_codes": {"table": TABLE, "event": "spring", "dest": str(dest), **args},
        "register": "out",
        "ignore_errors": True,
    }


def read(dest) -> dict:
    with open(dest, newline="") as handle:
        return {row["email"]: row for row in csv.DictReader(handle)}


def code_items(emulator) -> dict:
    dynamodb = boto3.resource("dynamodb", **emulator.client_kwargs())
    items = dynamodb.Table(TABLE).scan()["Items"]
    return {i["item"]: i for i in items if i["item"].startswith("code#")}


def actions(result) -> dict:
    return {r["name"]: r["action"] for r in result["results"]}


def test_codes_lifecycle(playbook, emulator, tmp_path):
    dest = tmp_path / "codes-spring.csv"
    assert playbook([registry([ADA, ALAN])])[0]["changed"]
    run = playbook([codes(dest)], check=True)
    assert run[0]["changed"] and actions(run[0]) == {"ada@example.org": "created", "alan@example.org": "created"}
    assert not dest.exists() and code_items(emulator) == {}

    run = playbook([registry([ADA, ALAN]), codes(dest), codes(dest)])
    assert run[1]["summary"] == {"created": 2, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    first = read(dest)
    assert list(first) == ["Ada@example.org", "alan@example.org"]
    assert [first[e]["team"] for e in first] == ["1", "2"]
    items = code_items(emulator)
    assert set(items) == {"code#ada@example.org", "code#alan@example.org"}
    for row in first.values():
        item = items[f"code#{row['email'].lower()}"]
        assert item["hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$") and check_code(item["hash"], row["code"])
        assert row["code"] not in json.dumps(item, default=str)  # the registry holds the hash only
        assert row["code"] not in run.stdout + run.stderr  # never in the module's result
    assert not run[2]["changed"] and run[2]["summary"]["unchanged"] == 2 and read(dest) == first

    # A new participant gets a code, one who left loses theirs; the others' codes stay in the file.
    run = playbook([registry([ADA, GRACE]), codes(dest)])
    assert actions(run[1]) == {
        "ada@example.org": "unchanged",
        "grace@example.org": "created",
        "alan@example.org": "deleted",
    }
    second = read(dest)
    assert second["Ada@example.org"] == first["Ada@example.org"] and set(second) == {"Ada@example.org", GRACE["email"]}
    assert "code#alan@example.org" not in code_items(emulator)

    run = playbook(
        [codes(dest, state="revoked", email="ADA@example.org"), codes(dest, state="revoked", email=ADA["email"])]
    )
    assert actions(run[0]) == {"ada@example.org": "updated"} and not run[1]["changed"]
    assert "Ada@example.org" not in read(dest) and code_items(emulator)["code#ada@example.org"]["status"] == "revoked"

    revoked = code_items(emulator)["code#ada@example.org"]
    run = playbook([codes(dest, state="reissued", email=ADA["email"])], check=True)
    assert (
        run[0]["changed"]
        and code_items(emulator)["code#ada@example.org"] == revoked
        and "Ada@example.org" not in read(dest)
    )
    run = playbook(
        [codes(dest, state="reissued", email=ADA["email"]), codes(dest, state="reissued", email="nobody@x.org")]
    )
    third = read(dest)
    assert (
        actions(run[0]) == {"ada@example.org": "updated"}
        and third["Ada@example.org"]["code"] != first["Ada@example.org"]["code"]
    )
    item = code_items(emulator)["code#ada@example.org"]
    assert (
        item["status"] == "active"
        and item["reissues"] == 1
        and check_code(item["hash"], third["Ada@example.org"]["code"])
    )
    assert run[1]["failed"] and run[1]["msg"].endswith("nobody@x.org is not a participant of event spring")

    # A file from elsewhere: codes that do not match the registry are dropped, with a message saying why.
    dest.write_text(
        f"email,team,code\nAda@example.org,1,ABCD-EFGH-JKMN\n{GRACE['email']},1,{third[GRACE['email']]['code']}\n"
    )
    portal_items = boto3.resource("dynamodb", **emulator.client_kwargs()).Table(TABLE)
    for key in ("limit#address#10.0.0.1#1700000000", "audit#2026-11-26T09:00:00.000000Z#0a1b2c3d"):
        portal_items.put_item(Item={"event": "spring", "item": key})
    run = playbook([codes(dest), codes(dest, state="absent")])
    assert "issued elsewhere" in {r["name"]: r["msg"] for r in run[0]["results"]}["ada@example.org"]
    assert set(read(dest)) == {GRACE["email"]}
    assert run[1]["summary"]["deleted"] == 2 and code_items(emulator) == {}
    left = {i["item"].split("#")[0] for i in portal_items.scan()["Items"]}
    assert left == {"config", "participant"}  # the portal's rate-limit and audit items went with the codes


def test_bad_dest_and_unknown_table(playbook, tmp_path):
    run = playbook([codes(tmp_path / "codes.txt"), codes(tmp_path / "missing" / "codes.csv")])
    assert (
        run[0]["failed"]
        and run[0]["msg"] == f"dest {tmp_path / 'codes.txt'} must end in .csv or .json (the suffix chooses the format)"
    )
    assert run[1]["failed"] and "does not exist" in run[1]["msg"]
    run = playbook([codes(tmp_path / "codes.csv")])
    assert not run[0]["changed"] and run[0]["results"] == []


def card_codes(cards) -> dict:
    """Email -> code of each card on the printable page."""
    page = cards.read_text()
    found = re.findall(r'class="name">([^<]+)</p>.*?class="code">([^<]+)</p>', page)
    assert len(found) == page.count('<article class="card">')
    return dict(found)


def test_cards_follow_the_codes_file(playbook, tmp_path):
    dest, cards = tmp_path / "codes-spring.csv", tmp_path / "cards-spring.html"
    with_cards = {"cards": str(cards), "portal_url": "https://portal.example.org"}
    assert not playbook([registry([ADA, ALAN]), codes(dest, **with_cards)], check=True)[1].get("failed")
    assert not cards.exists()

    run = playbook([registry([ADA, ALAN]), codes(dest, **with_cards), codes(dest, **with_cards)])
    assert run[1]["cards_changed"] and not run[2]["changed"] and not run[2]["cards_changed"]
    assert stat.S_IMODE(os.stat(cards).st_mode) == 0o600
    first = read(dest)
    assert card_codes(cards) == {email: row["code"] for email, row in first.items()}
    assert cards.read_text().count('<svg viewBox="0 0 ') == 2 and "https://portal.example.org" in cards.read_text()
    for row in first.values():
        assert row["code"] not in run.stdout + run.stderr

    run = playbook([codes(dest, state="revoked", email=ADA["email"], **with_cards)])
    assert run[0]["cards_changed"] and set(card_codes(cards)) == {ALAN["email"]}
    run = playbook([codes(dest, state="reissued", email=ADA["email"], **with_cards)])
    reissued = read(dest)[ADA["email"]]["code"]
    assert card_codes(cards)[ADA["email"]] == reissued != first[ADA["email"]]["code"]
    assert reissued not in run.stdout + run.stderr

    # Without the portal's address: the code and team, no address nor QR code, and one warning saying so.
    run = playbook([codes(dest, cards=str(cards))])
    assert run[0]["cards_changed"] and "<svg" not in cards.read_text() and len(card_codes(cards)) == 2
    assert run[0]["warnings"] == ["portal_url is not set: the access cards show no portal address and no QR code"]
    run = playbook([codes(dest, cards=str(tmp_path / "cards.pdf"))])
    assert run[0]["failed"] and run[0]["msg"] == f"cards {tmp_path / 'cards.pdf'} must end in .html"
