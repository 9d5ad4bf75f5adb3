"""An opening rush against a throttled CreatePresignedDomainUrl: logins wait their turn (pacing.py)
instead of failing; one whose turn would come too late is told when to come back."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from .conftest import PEOPLE, serve

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]*)"')
PRESIGN = "CreatePresignedDomainUrl"


def log_in(base: str, email: str, code: str) -> httpx.Response:
    with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as client:
        token = CSRF.search(client.get("/").text).group(1)
        return client.post("/login", data={"email": email, "code": code, "csrf_token": token})


def rush(event, portal, count: int) -> list:
    people = [PEOPLE[i % len(PEOPLE)]["email"].lower() for i in range(count)]
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda email: log_in(portal.url, email, event.codes[email]), people))


@pytest.fixture
def throttled(event, emulator):
    """The account lets 2 URLs a second through, one at a time."""
    emulator.faults(throttle={"rps": 2, "burst": 1, "actions": [PRESIGN]})
    return event


@pytest.fixture
def greedy(throttled, tmp_path):
    """A portal that believes the account allows 50 a second: the throttle, not the pacer, holds it back."""
    yield from serve(throttled, tmp_path, presign_rate=50, presign_burst=50)


@pytest.fixture
def slow(throttled, tmp_path):
    """A portal paced at one URL every 2 seconds that lets a login wait 10 seconds at most."""
    yield from serve(throttled, tmp_path, presign_rate=0.5, presign_burst=1, login_wait=10)


def test_throttled_logins_wait_their_turn_and_all_get_in(throttled, greedy, emulator):
    answers = rush(throttled, greedy, 8)
    assert [a.status_code for a in answers] == [303] * 8
    assert all(a.headers["location"].startswith("https://") for a in answers)
    calls = emulator.calls()
    assert calls["throttled"].get(PRESIGN, 0) > 0  # the pacer's rate was too high: AWS said so, and they waited
    assert len(throttled.presigned()) == 8
    outcomes = [i["outcome"] for i in throttled.items("audit#")]
    assert outcomes == ["success"] * 8


def test_a_login_whose_turn_comes_too_late_is_told_when_to_come_back(throttled, slow):
    answers = rush(throttled, slow, 8)  # turns at 0, 2, 4 ... 14 s: those after 10 s are refused at once
    busy = [a for a in answers if a.status_code == 503]
    assert sorted(a.status_code for a in answers) == [303] * 6 + [503] * 2
    for answer in busy:
        assert "Many people are logging in right now" in answer.text
        assert 10 < int(answer.headers["retry-after"]) <= 16
        assert "location" not in answer.headers
    outcomes = sorted(i["outcome"] for i in throttled.items("audit#"))
    assert outcomes == ["busy"] * 2 + ["success"] * 6
