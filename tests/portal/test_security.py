"""The portal against the live emulator: CSRF, cookies, headers, no enumeration, rate limits, the window, the URL."""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import urlsplit

import pytest

from hackathon_studio.portal.config import PortalConfigError

from .conftest import STUDIO_HOST

CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"


def csrf(client) -> str:
    answer = client.get("/")
    assert answer.status_code == 200, answer.text
    return re.search(r'name="csrf_token" value="([^"]+)"', answer.text).group(1)


def login(client, email: str, code: str, token: str | None = None):
    return client.post("/login", data={"email": email, "code": code, "csrf_token": token or csrf(client)})


def test_login_redirects_to_a_url_minted_for_the_team_space_and_audits_it(portal, event, caplog):
    caplog.set_level(logging.DEBUG)
    client = portal()
    answer = login(client, "ADA@example.org ", event.codes["ada@example.org"].lower().replace("-", " "))
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert urlsplit(location).netloc == STUDIO_HOST and urlsplit(location).path == "/auth"
    assert event.presigned() == [("ada-aaaa", "team-1")]
    again = login(client, "alan@example.org", event.codes["alan@example.org"])
    assert again.status_code == 303 and again.headers["location"] != location
    assert event.presigned()[-1] == ("alan-bbbb", "team-2")
    audit = sorted((i["email"], i["outcome"], i["client"]) for i in event.items("audit#"))
    assert audit == [("ada@example.org", "success", "testclient"), ("alan@example.org", "success", "testclient")]
    # The URL reached the browser only: not the log (at DEBUG), not the registry, not a page.
    stored = repr(event.items(""))
    for url in (location, again.headers["location"]):
        token = url.split("token=")[1]
        assert token not in caplog.text and token not in stored
    assert "login success for ada@example.org from testclient" in caplog.text


def test_unknown_email_and_wrong_code_get_the_same_answer_in_similar_time(portal, event):
    client = portal()
    token = csrf(client)
    wrong = login(client, "ada@example.org", "ABCD-EFGH-JKMN", token)
    unknown = login(client, "nobody@example.org", "ABCD-EFGH-JKMN", token)
    swapped = login(client, "ada@example.org", event.codes["alan@example.org"], token)
    assert wrong.status_code == unknown.status_code == swapped.status_code == 401
    assert wrong.text == swapped.text and wrong.text.replace("ada@", "nobody@") == unknown.text
    assert "do not match" in wrong.text and event.presigned() == []

    def timed(email):
        started = time.perf_counter()
        assert login(client, email, "ABCD-EFGH-JKMN", token).status_code == 401
        return time.perf_counter() - started

    # Interleaved, and the fastest of each: the machine's load slows both alike, never one alone.
    pairs = [(timed("alan@example.org"), timed("nobody@example.org")) for _ in range(8)]
    known, unknown = min(k for k, _ in pairs), min(u for _, u in pairs)
    # Both verify one argon2id hash (tens of ms); a skipped hash would make the unknown one far faster.
    assert unknown > known * 0.75 and known > unknown * 0.75, (known, unknown)
    outcomes = {(i["email"], i["outcome"]) for i in event.items("audit#")}
    assert outcomes == {
        ("ada@example.org", "refused"),
        ("nobody@example.org", "refused"),
        ("alan@example.org", "refused"),
    }


def test_a_revoked_code_is_refused(portal, event):
    from ansible_collections.hackathon.studio.plugins.module_utils.access_codes import revoke_code

    revoke_code(event.registry, "ada@example.org")
    assert login(portal(), "ada@example.org", event.codes["ada@example.org"]).status_code == 401


def test_csrf_is_required_and_checked(portal, event):
    client = portal()
    code = event.codes["ada@example.org"]
    missing = client.post("/login", data={"email": "ada@example.org", "code": code})
    assert missing.status_code == 403 and "Please try again" in missing.text
    csrf(client)
    forged = client.post("/login", data={"email": "ada@example.org", "code": code, "csrf_token": "forged"})
    assert forged.status_code == 403
    # A token from another browser's session is no good without that session's cookie.
    other = portal()
    stolen = client.post("/login", data={"email": "ada@example.org", "code": code, "csrf_token": csrf(other)})
    assert stolen.status_code == 403 and event.presigned() == []
    # A session signed with another secret (another event's portal) is not this one's.
    strange = portal(session_secret="another secret")
    token = csrf(strange)
    client.cookies.set("studio_portal", strange.cookies["studio_portal"])
    assert login(client, "ada@example.org", code, token).status_code == 403


def test_session_cookie_flags_and_security_headers(portal, event):
    plain = portal().get("/")
    cookie = plain.headers["set-cookie"].lower()
    assert cookie.startswith("studio_portal=") and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie and "max-age" not in cookie
    for answer in (plain, portal().post("/login", data={}), portal().get("/static/portal.css")):
        assert answer.headers["content-security-policy"] == CSP
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert "strict-transport-security" not in answer.headers
        assert "server" not in answer.headers or "uvicorn" not in answer.headers["server"]
    tls = portal(base_url="https://portal.example.org", tls=True)
    answer = tls.get("/")
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith("__host-studio_portal=") and "; secure" in cookie and "samesite=strict" in cookie
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert login(tls, "ada@example.org", event.codes["ada@example.org"]).status_code == 303
    # The page itself: no third-party assets, labelled fields, the event's name and message.
    assert not re.search(r'(src|href)="(https?:)?//', answer.text)
    assert '<label for="email">' in answer.text and '<label for="code">' in answer.text
    assert "Spring Hack" in answer.text and "Doors open at 9." in answer.text


def test_rate_limits_per_participant_and_per_address_are_shared_by_processes(portal, event):
    # A day's window: the counts roll over into a new window only if the test runs across midnight UTC.
    day = {"limit_window": 86400}
    first, second = portal(participant_limit=3, **day), portal(participant_limit=3, **day)  # two processes
    for client in (first, second, first):
        assert login(client, "ada@example.org", "ABCD-EFGH-JKMN").status_code == 401
    limited = login(second, "ada@example.org", event.codes["ada@example.org"])  # even the right code
    assert limited.status_code == 429 and "Too many attempts. Try again at" in limited.text
    assert 0 < int(limited.headers["retry-after"]) <= 86400
    assert login(first, "alan@example.org", event.codes["alan@example.org"]).status_code == 303  # others go on
    assert event.presigned() == [("alan-bbbb", "team-2")]

    crowded = portal(address_limit=6, participant_limit=100, **day)  # the same address: 5 attempts counted so far
    assert login(crowded, "nobody@example.org", "x").status_code == 401
    assert login(crowded, "alan@example.org", event.codes["alan@example.org"]).status_code == 429
    limits = event.items("limit#")
    assert {i["item"].split("#")[1] for i in limits} == {"address", "participant"}
    assert all(int(i["expires_at"]) > time.time() for i in limits)
    assert [i["outcome"] for i in event.items("audit#")].count("limited") == 2


def test_closed_before_the_window_after_it_and_after_teardown(portal, event):
    client = portal()
    token = csrf(client)
    event.set_window(start="2099-01-02T09:30:00Z")
    page = client.get("/")
    assert page.status_code == 200 and "opens on Friday 02 January 2099 at 09:30 UTC" in page.text
    assert "csrf_token" not in page.text
    answer = login(client, "ada@example.org", event.codes["ada@example.org"], token)
    assert answer.status_code == 403 and "opens on" in answer.text
    event.set_window(start="2020-01-01T00:00:00+00:00", end="2020-01-02T00:00:00")
    assert "The event has ended" in client.get("/").text
    event.set_window(start="2020-01-01T00:00:00+00:00", end="2099-01-01T00:00:00")
    assert login(client, "ada@example.org", event.codes["ada@example.org"], token).status_code == 303
    event.teardown()
    assert "This portal is closed: the event is over." in client.get("/").text
    assert login(client, "ada@example.org", event.codes["ada@example.org"], token).status_code == 403
    assert event.presigned() == [("ada-aaaa", "team-1")]


def test_an_aws_failure_is_a_page_without_details(portal, event):
    event.emulator.faults(deny_actions=["CreatePresignedDomainUrl"])
    answer = login(portal(), "ada@example.org", event.codes["ada@example.org"])
    assert answer.status_code == 503 and "cannot be opened right now" in answer.text
    assert "AccessDenied" not in answer.text and "arn:" not in answer.text
    assert [i["outcome"] for i in event.items("audit#")] == ["unavailable"]


def test_settings_are_checked(event):
    with pytest.raises(PortalConfigError, match="expires_in must be between 5 and 300 seconds, got 900"):
        from hackathon_studio.portal.config import check

        check(event.config(expires_in=900))
