"""Access codes: their alphabet and entropy, argon2id hashing, the plan of who gets one, the organizer's file."""

from __future__ import annotations

import math
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "collections"))
from ansible_collections.hackathon.studio.plugins.module_utils import access_codes  # noqa: E402
from ansible_collections.hackathon.studio.plugins.module_utils.access_codes import (  # noqa: E402
    ALPHABET,
    CODE_LENGTH,
    check_code,
    codes_file_text,
    generate_code,
    hash_code,
    normalize_code,
    parse_codes_file,
    plan_codes,
    summarize,
)


def test_codes_are_typable_and_high_entropy():
    assert not set(ALPHABET) & set("0O1IL") and len(set(ALPHABET)) == len(ALPHABET) == 31
    assert CODE_LENGTH * math.log2(len(ALPHABET)) > 59
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", c) for c in codes)
    # every symbol is drawn: the alphabet is not cut short by the generator
    assert set("".join(codes).replace("-", "")) == set(ALPHABET)


def test_typed_codes_are_normalized():
    assert normalize_code(" abcd-efgh jkmn\t") == "ABCDEFGHJKMN"
    assert normalize_code("ABCDEFGHJKMN") == normalize_code("abcd efgh-jkmn")


def test_hash_is_argon2id_with_owasp_parameters_and_salted():
    code = generate_code()
    first, second = hash_code(code), hash_code(code)
    assert first.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and first != second
    assert code not in first and normalize_code(code) not in first
    assert check_code(first, code) and check_code(second, code.lower().replace("-", " "))
    assert not check_code(first, generate_code())
    assert not check_code("not a hash", code)


def test_unknown_participant_costs_one_verification_too():
    """No hash (unknown email, revoked code) verifies against a dummy: never true, and not instant."""
    code = generate_code()
    stored = hash_code(code)
    check_code(None, code)  # the dummy hash is made once
    started = time.perf_counter()
    assert not check_code(None, code) and not check_code(None, "")
    dummy = time.perf_counter() - started
    started = time.perf_counter()
    assert not check_code(stored, "x") and not check_code(stored, generate_code())
    wrong = time.perf_counter() - started
    assert dummy > wrong / 3 and access_codes._dummy_hash.startswith("$argon2id$")


def test_plan_codes():
    participants = {"ada@x.org": {}, "alan@x.org": {}, "grace@x.org": {}}
    codes = {"ada@x.org": {"status": "active"}, "grace@x.org": {"status": "revoked"}, "bob@x.org": {}}
    assert plan_codes(participants, codes) == {
        "issue": ["alan@x.org"],
        "keep": ["ada@x.org", "grace@x.org"],
        "delete": ["bob@x.org"],
    }


def test_codes_file_round_trip_with_hostile_cells():
    participants = {
        "=cmd@x.org": {"email": "=cmd@x.org", "team": "+1"},
        "ada@x.org": {"email": "Ada@x.org", "team": "1"},
    }
    text = codes_file_text(
        participants, {"=cmd@x.org": "AAAA-BBBB-CCCC", "ada@x.org": "DDDD-EEEE-FFFF", "gone@x.org": "X"}
    )
    assert text.splitlines() == ["email,team,code", "'=cmd@x.org,'+1,AAAA-BBBB-CCCC", "Ada@x.org,1,DDDD-EEEE-FFFF"]
    assert parse_codes_file(text) == {"=cmd@x.org": "AAAA-BBBB-CCCC", "ada@x.org": "DDDD-EEEE-FFFF"}
    assert parse_codes_file("") == {} and parse_codes_file("email,team,code\nada@x.org,1,\n") == {}


def test_summary_counts_every_action():
    results = [access_codes.item_result(e, a, "") for e, a in (("a", "created"), ("b", "created"), ("c", "deleted"))]
    assert summarize(results) == {"created": 2, "updated": 0, "unchanged": 0, "deleted": 1, "failed": 0}
    assert [r["changed"] for r in results] == [True, True, True]
    assert access_codes.item_result("d", "unchanged", "")["changed"] is False
