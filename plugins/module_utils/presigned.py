# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Presigned Studio URLs for many user profiles at once.

A presigned URL is a bearer credential: whoever holds it opens the user's Studio until it expires.
Nothing here logs or returns one; the caller writes them to a private file (see ``files``).
"""

from __future__ import annotations

import time

from ansible_collections.hackathon.studio.plugins.module_utils.api import error_message
from ansible_collections.hackathon.studio.plugins.module_utils.batch import run_batch

COLUMNS = ("user_profile", "space", "email", "team", "url", "expires_at")
EXPIRES_IN = (5, 300)  # seconds the URL may be used in (ExpiresInSeconds)
SESSION_DURATION = (1800, 43200)  # seconds the Studio session lasts (SessionExpirationDurationInSeconds)


def range_errors(expires_in: int | None, session_duration: int | None) -> list:
    """What is out of AWS's allowed ranges, each message naming the range."""
    errors = []
    if expires_in is not None and not EXPIRES_IN[0] <= expires_in <= EXPIRES_IN[1]:
        errors.append(f"expires_in must be between {EXPIRES_IN[0]} and {EXPIRES_IN[1]} seconds, got {expires_in}")
    if session_duration is not None and not SESSION_DURATION[0] <= session_duration <= SESSION_DURATION[1]:
        errors.append(
            f"session_duration must be between {SESSION_DURATION[0]} and {SESSION_DURATION[1]} seconds, "
            f"got {session_duration}"
        )
    return errors


def label(entry: dict) -> str:
    space = f" in space {entry['space']}" if entry.get("space") else ""
    return f"user profile {entry['user_profile']}{space}"


def presign(
    api,
    domain_id: str,
    entries,
    concurrency: int,
    expires_in: int,
    session_duration=None,
    landing_uri=None,
    clock=time.time,
) -> tuple:
    """One URL per entry, concurrently: (rows, failures), each in the entries' order.

    A row is the entry with its ``url`` and ``expires_at`` (UTC, ISO 8601: the URL must be opened
    before then); a failure is ``{user_profile, space, msg}`` with the AWS error.
    """

    def request(entry: dict) -> dict:
        params = {"DomainId": domain_id, "UserProfileName": entry["user_profile"], "ExpiresInSeconds": expires_in}
        if entry.get("space"):
            params["SpaceName"] = entry["space"]
        if session_duration is not None:
            params["SessionExpirationDurationInSeconds"] = session_duration
        if landing_uri:
            params["LandingUri"] = landing_uri
        url = api.call("CreatePresignedDomainUrl", **params)["AuthorizedUrl"]
        expires_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(clock() + expires_in))
        return dict(entry, url=url, expires_at=expires_at)

    rows, failures = [], []
    for outcome in run_batch(entries, request, concurrency):
        if outcome.error is None:
            rows.append(outcome.value)
        else:
            entry = outcome.item
            failures.append(
                {
                    "user_profile": entry["user_profile"],
                    "space": entry.get("space"),
                    "msg": f"{label(entry)}: {error_message(outcome.error)}",
                }
            )
    return rows, failures
