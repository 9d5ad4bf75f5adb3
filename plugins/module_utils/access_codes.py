# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Participants' access codes for the portal: made, hashed, kept in the registry as hashes only, checked.

A code is 12 symbols from a 31-symbol alphabet without look-alikes (no 0/O, 1/I/L), shown as
``XXXX-XXXX-XXXX``: 12 x log2(31) = 59.4 bits. Online, the portal's rate limits allow a few tries a
minute; offline, someone who stole the registry's hashes pays an argon2id hash (tens of ms and
19 MiB each) per guess, so even one code in a room of 1,000 takes about 2^49 hashes to find.

Each code lives in its own registry item, ``code#<lower-case email>`` (never a field of the
participant's item, which the registry's sync writes whole): the hash, ``status`` (``active`` or
``revoked``), when it was issued and how many times it was reissued. The code itself is returned
once, to be written to the organizer's private file, and never stored.
"""

from __future__ import annotations

import csv
import io
import secrets
import time

try:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError
except ImportError:  # the module reports the missing library with missing_required_lib
    PasswordHasher = None
    InvalidHashError = VerificationError = Exception

try:
    from botocore.exceptions import ClientError
except ImportError:  # AnsibleAWSModule reports a missing botocore
    ClientError = Exception

from ansible_collections.hackathon.studio.plugins.module_utils.api import error_code
from ansible_collections.hackathon.studio.plugins.module_utils.batch import run_batch
from ansible_collections.hackathon.studio.plugins.module_utils.files import FORMULA_PREFIXES, csv_text
from ansible_collections.hackathon.studio.plugins.module_utils.registry import _deserialize, _serialize, read_partition

CODE_PREFIX = "code#"
# The portal's own items (src/hackathon_studio/portal/store.py): rate-limit counts, the audit trail and
# the emailed codes (their hashes, wrong tries and locks).
LIMIT_PREFIX = "limit#"
AUDIT_PREFIX = "audit#"
# Audit outcomes of an emailed code's delivery (the portal's email way in): a code asked for, not a login.
DELIVERY_OUTCOMES = ("sent", "not_registered", "send_failed")
EMAILED_PREFIX = "emailed#"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GROUP = 4
# OWASP Password Storage Cheat Sheet, Argon2id: "a minimum configuration of 19 MiB of memory, an
# iteration count of 2, and 1 degree of parallelism".
ARGON2_PARAMETERS = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
ACTIVE, REVOKED = "active", "revoked"
FILE_COLUMNS = ("email", "team", "code")
VERIFY_CONCURRENCY = 4  # argon2 releases the GIL: reading back a file of 1,000 codes uses every core

_hasher = None
_dummy_hash = None


def hasher():
    global _hasher
    if _hasher is None:
        _hasher = PasswordHasher(**ARGON2_PARAMETERS)
    return _hasher


def generate_code(choice=secrets.choice) -> str:
    raw = "".join(choice(ALPHABET) for position in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalize_code(text: str) -> str:
    """What a person typed, as the code it means: any case, spaces and dashes anywhere."""
    return "".join(ch for ch in str(text).upper() if ch not in " -\t")


def hash_code(code: str) -> str:
    return hasher().hash(normalize_code(code))


def check_code(stored_hash: str | None, code: str) -> bool:
    """Whether ``code`` matches ``stored_hash``; with no hash, one against a dummy (the same time).

    argon2's verify compares the hashes in constant time; hashing a dummy when the participant is
    unknown or has no active code keeps the answer's timing the same as a wrong code's.
    """
    global _dummy_hash
    if stored_hash is None:
        if _dummy_hash is None:
            _dummy_hash = hash_code(generate_code())
        stored_hash, code = _dummy_hash, code + "!"  # never matches: "!" is outside the alphabet
    try:
        return hasher().verify(stored_hash, normalize_code(code))
    except (VerificationError, InvalidHashError):
        return False


def code_key(email: str) -> str:
    return CODE_PREFIX + email.lower()


# ----- the registry's code items ------------------------------------------------------------------
def read_items(registry, prefix: str) -> list:
    """Every item of the registry's event whose key starts with ``prefix``; none when there is no table."""
    return read_partition(registry, prefix)


def read_codes(registry) -> dict:
    """Lower-case email -> code item (hash, status, ...) of the registry's event and domain."""
    return {
        item["item"][len(CODE_PREFIX) :]: item
        for item in read_items(registry, CODE_PREFIX)
        if registry.domain_id in (None, item.get("domain_id"))
    }


def get_item(registry, key: str) -> dict | None:
    answer = registry.client.get_item(
        TableName=registry.table,
        Key={"event": {"S": registry.event}, "item": {"S": key}},
        ConsistentRead=True,
        aws_retry=True,
    )
    return _deserialize(answer["Item"]) if "Item" in answer else None


def get_code(registry, email: str) -> dict | None:
    return get_item(registry, code_key(email))


def put_code(registry, participant: dict, previous: dict | None = None, clock=time.time) -> str | None:
    """A new code for the participant, its hash written; None if another run issued one meanwhile.

    Without ``previous`` the item must not exist yet (a conditional put: two runs never overwrite
    each other's codes); with it (a reissue) the new code replaces the old one.
    """
    code = generate_code()
    item = {
        "event": registry.event,
        "item": code_key(participant["email"]),
        "email": participant["email"],
        "hash": hash_code(code),
        "status": ACTIVE,
        "issued_at": int(clock()),
        "reissues": previous.get("reissues", 0) + 1 if previous else 0,
        "domain_id": registry.domain_id,
    }
    params = {"TableName": registry.table, "Item": _serialize(item)}
    if previous is None:
        params["ConditionExpression"] = "attribute_not_exists(#i)"
        params["ExpressionAttributeNames"] = {"#i": "item"}
    try:
        registry.client.put_item(**params, aws_retry=True)
    except ClientError as exc:
        if error_code(exc) != "ConditionalCheckFailedException":
            raise
        return None
    return code


def revoke_code(registry, email: str, clock=time.time) -> None:
    registry.client.update_item(
        TableName=registry.table,
        Key={"event": {"S": registry.event}, "item": {"S": code_key(email)}},
        UpdateExpression="SET #s = :r, revoked_at = :t",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":r": {"S": REVOKED}, ":t": {"N": str(int(clock()))}},
        aws_retry=True,
    )


def delete_codes(registry, emails) -> None:
    registry._write([registry._delete(code_key(email)) for email in emails])


def verify(registry, email: str, code: str) -> bool:
    """Whether ``code`` is the active code of ``email``: always one argon2 verification, known or not."""
    item = get_code(registry, email) if email else None
    active = item is not None and item.get("status") == ACTIVE
    return check_code(item["hash"] if active else None, code)


# ----- what to do, and the organizer's file -------------------------------------------------------
def plan_codes(participants: dict, codes: dict) -> dict:
    """Which participants get a code (``issue``), keep theirs (``keep``), and whose codes go (``delete``)."""
    return {
        "issue": sorted(email for email in participants if email not in codes),
        "keep": sorted(email for email in participants if email in codes),
        "delete": sorted(email for email in codes if email not in participants),
    }


def _cell(text: str) -> str:
    """A cell as ``files.csv_text`` wrote it, back to its value (its formula guard taken off)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) else text


def parse_codes_file(text: str) -> dict:
    """Lower-case email -> code from an ``email,team,code`` file; rows without both are skipped."""
    rows = csv.DictReader(io.StringIO(text))
    return {_cell(r["email"]).lower(): r["code"] for r in rows if r.get("email") and r.get("code")}


def known_codes(previous: dict, codes: dict) -> dict:
    """The codes of ``previous`` (email -> code, a file's) that still match the registry's active hashes."""

    def matches(email):
        item = codes.get(email)
        return item is not None and item.get("status") == ACTIVE and check_code(item["hash"], previous[email])

    outcomes = run_batch(sorted(previous), matches, VERIFY_CONCURRENCY)
    return {o.item: previous[o.item] for o in outcomes if o.value}


def codes_file_text(participants: dict, codes: dict) -> str:
    """The organizer's file: ``email,team,code`` for each participant whose code is known, by team."""
    rows = [
        {"email": participants[email]["email"], "team": participants[email].get("team"), "code": code}
        for email, code in codes.items()
        if email in participants
    ]
    rows.sort(key=lambda r: (str(r["team"] or ""), r["email"].lower()))
    return csv_text(FILE_COLUMNS, rows)


# ----- a module run: the common result shape ------------------------------------------------------
class AccessCodeError(Exception):
    """A request that cannot be carried out (an email that is not the event's participant)."""


def item_result(email: str, action: str, msg: str) -> dict:
    return {"name": email, "kind": "access_codes", "action": action, "changed": action != "unchanged", "msg": msg}


def summarize(results) -> dict:
    summary = dict.fromkeys(("created", "updated", "unchanged", "deleted", "failed"), 0)
    for result in results:
        summary[result["action"]] += 1
    return summary


def _kept_result(email: str, item: dict, known: dict) -> dict:
    if item.get("status") == REVOKED:
        return item_result(email, "unchanged", "code revoked: reissue it to give this participant a new one")
    if email in known:
        return item_result(email, "unchanged", "has a code")
    return item_result(email, "unchanged", "has a code that is not in dest (issued elsewhere): reissue it to have one")


def issue_codes(registry, previous: dict, check_mode: bool) -> tuple:
    """A code for every participant of the registry without one; the codes of those who left deleted.

    ``previous`` is the organizer's file as read (email -> code): its codes that still match are
    kept. Returns (results, email -> code known for the file, participants).
    """
    _config, participants = registry.read()
    codes = read_codes(registry)
    plan = plan_codes(participants, codes)
    known = known_codes(previous, codes)
    results = []
    for email in plan["issue"]:
        code = None if check_mode else put_code(registry, participants[email])
        if code is None and not check_mode:  # another run's conditional put won
            results.append(
                item_result(email, "unchanged", "another run issued a code meanwhile: reissue it to have one")
            )
            continue
        if code:
            known[email] = code
        results.append(item_result(email, "created", "code issued"))
    results += [_kept_result(email, codes[email], known) for email in plan["keep"]]
    results += [item_result(email, "deleted", "no longer a participant: code deleted") for email in plan["delete"]]
    if plan["delete"] and not check_mode:
        delete_codes(registry, plan["delete"])
    return results, known, participants


def change_code(registry, email: str, state: str, previous: dict, check_mode: bool) -> tuple:
    """Revoke (``revoked``) or replace (``reissued``) one participant's code; as ``issue_codes`` returns."""
    _config, participants = registry.read()
    email = email.lower()
    if email not in participants:
        raise AccessCodeError(f"{email} is not a participant of event {registry.event}")
    codes = read_codes(registry)
    known = known_codes(previous, codes)
    item = codes.get(email)
    if state == REVOKED:
        known.pop(email, None)
        if item is None or item.get("status") == REVOKED:
            return [item_result(email, "unchanged", "has no active code")], known, participants
        if not check_mode:
            revoke_code(registry, email)
        return [item_result(email, "updated", "code revoked")], known, participants
    code = None if check_mode else put_code(registry, participants[email], previous=item or {})
    if code:
        known[email] = code
    return [item_result(email, "updated" if item else "created", "code reissued")], known, participants


def remove_codes(registry, check_mode: bool) -> list:
    """Delete every code of the event (and domain), and the portal's own items (rate limits, audit,
    emailed codes): teardown's part."""
    emails = sorted(read_codes(registry))
    keys = [code_key(email) for email in emails]
    if registry.domain_id is None:  # the portal's items are the event's, not one domain's
        portal_items = (LIMIT_PREFIX, AUDIT_PREFIX, EMAILED_PREFIX)
        keys += [item["item"] for prefix in portal_items for item in read_items(registry, prefix)]
    if keys and not check_mode:
        registry._write([registry._delete(key) for key in keys])
    return [item_result(email, "deleted", "code deleted") for email in emails]
