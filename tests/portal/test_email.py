"""The portal's email way in, against the live emulator (SES through moto): a 6-digit code by email,
the same answer for every email, 10 minutes, 5 wrong tries, a newer code replacing an older one."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from hackathon_studio.portal.app import create_app
from hackathon_studio.portal.config import PortalConfigError, check
from hackathon_studio.portal.store import PortalStore

from .conftest import EMAIL_MODE, SENDER, STUDIO_HOST
from .test_security import csrf, login

SENT = "we have sent it a 6-digit code, valid 10 minutes"


class Clock:
    """The store's clock, moved by the test (rate-limit windows, code expiry and locks all read it)."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def ask(client, email: str, token: str | None = None):
    return client.post("/login", data={"email": email, "csrf_token": token or csrf(client)})


@pytest.fixture
def mailing(event):
    event.verify_for_ses()
    return event


def test_a_participant_gets_a_code_by_email_and_lands_in_the_team_space(portal, mailing, caplog):
    caplog.set_level(logging.DEBUG)
    client = portal(**EMAIL_MODE)
    page = client.get("/")
    assert 'name="code"' not in page.text and "Email me a code" in page.text
    answer = ask(client, "ADA@example.org")
    assert answer.status_code == 200 and SENT in answer.text
    assert "If <strong>ADA@example.org</strong> is registered" in answer.text
    assert '<input type="hidden" name="email" value="ADA@example.org">' in answer.text
    assert '<label for="code">Code from your email</label>' in answer.text
    [mail] = mailing.emulator.ses_messages()
    assert (mail["source"], mail["to"]) == (SENDER, ["Ada@example.org"])
    assert mail["subject"] == "Spring Hack: your sign-in code"
    code = mailing.mailed_code("Ada@example.org")
    assert "valid 10 minutes" in mail["text"] and "https://portal.example.org" in mail["text"]
    assert code in mail["html"]
    landed = login(client, "ADA@example.org", code, csrf(client))
    assert landed.status_code == 303 and urlsplit(landed.headers["location"]).netloc == STUDIO_HOST
    assert mailing.presigned() == [("ada-aaaa", "team-1")]
    assert login(client, "ada@example.org", code).status_code == 401  # a code opens one session
    outcomes = [(i["email"], i["outcome"]) for i in sorted(mailing.items("audit#"), key=lambda i: i["item"])]
    assert outcomes == [("ada@example.org", "sent"), ("ada@example.org", "success"), ("ada@example.org", "refused")]
    # The code is in the registry as a hash only, and never in the log; nor is the mail's body.
    stored = repr(mailing.items(""))
    assert code not in stored and "$argon2id$" not in repr(mailing.items("emailed#"))  # used up: hash removed
    assert code not in caplog.text and "valid 10 minutes" not in caplog.text
    assert "code sent for ada@example.org" in caplog.text


def test_unknown_and_known_emails_get_the_same_answer_and_only_members_get_mail(portal, mailing):
    client = portal(**EMAIL_MODE)
    token = csrf(client)
    known, unknown = ask(client, "alan@example.org", token), ask(client, "nobody@example.org", token)
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("alan@", "nobody@") == unknown.text
    assert [m["to"] for m in mailing.emulator.ses_messages()] == [["alan@example.org"]]
    outcomes = {(i["email"], i["outcome"]) for i in mailing.items("audit#")}
    assert outcomes == {("alan@example.org", "sent"), ("nobody@example.org", "not_registered")}
    # Every email gets a code made and stored (as a hash): the request does the same work for both.
    hashes = {i["item"]: i["hash"] for i in mailing.items("emailed#")}
    assert set(hashes) == {"emailed#alan@example.org", "emailed#nobody@example.org"}
    assert all(h.startswith("$argon2id$") for h in hashes.values())


def test_a_code_expires_after_10_minutes_and_a_new_one_replaces_the_old(portal, mailing):
    clock = Clock()
    client = portal(clock=clock, limit_window=86400, **EMAIL_MODE)
    ask(client, "alan@example.org")
    first = mailing.mailed_code("alan@example.org")
    clock.now += 1.1  # the SES sandbox sends 1 message a second
    time.sleep(1.1)
    ask(client, "alan@example.org")
    second = mailing.mailed_code("alan@example.org")
    if first != second:  # one chance in a million that both codes are the same
        wrong = login(client, "alan@example.org", first)
        assert wrong.status_code == 401 and "not right, or it has expired" in wrong.text
        assert '<input type="hidden" name="email" value="alan@example.org">' in wrong.text
    clock.now += 601
    assert login(client, "alan@example.org", second).status_code == 401
    time.sleep(1.1)
    ask(client, "alan@example.org")
    clock.now += 599
    assert login(client, "alan@example.org", mailing.mailed_code("alan@example.org")).status_code == 303


def test_five_wrong_codes_lock_the_email_for_15_minutes_in_every_process(portal, mailing):
    clock = Clock()
    settings = {"limit_window": 86400, "participant_limit": 100, **EMAIL_MODE}
    first, second = (portal(clock=clock, **settings) for _ in range(2))
    ask(first, "ada@example.org")
    code = mailing.mailed_code("Ada@example.org")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for client in (first, second, first, second):
        assert login(client, "ada@example.org", wrong).status_code == 401
    locked = login(first, "ada@example.org", wrong)
    assert locked.status_code == 429 and "Too many wrong codes for this email. Try again at" in locked.text
    assert int(locked.headers["retry-after"]) == 900
    for client in (first, second):  # the right code and a new code are refused alike while it lasts
        assert login(client, "ada@example.org", code).status_code == 429
        assert ask(client, "ada@example.org").status_code == 429
    unknown = [login(first, "nobody@example.org", "123456").status_code for _ in range(5)]
    assert unknown == [401, 401, 401, 401, 429]  # a lock says nothing of who is registered
    assert "$argon2id$" not in repr(mailing.items("emailed#ada"))  # the locked code is burnt
    clock.now += 901
    time.sleep(1.1)
    assert SENT in ask(second, "ada@example.org").text
    assert login(first, "ada@example.org", mailing.mailed_code("Ada@example.org")).status_code == 303
    outcomes = [i["outcome"] for i in mailing.items("audit#") if i["email"] == "ada@example.org"]
    assert outcomes.count("locked") == 5 and outcomes.count("refused") == 4


def test_code_requests_count_in_the_rate_limits(portal, mailing):
    client = portal(participant_limit=2, limit_window=86400, **EMAIL_MODE)
    assert ask(client, "alan@example.org").status_code == 200
    time.sleep(1.1)
    assert ask(client, "alan@example.org").status_code == 200
    limited = ask(client, "alan@example.org")
    assert limited.status_code == 429 and "Too many attempts" in limited.text
    assert len(mailing.emulator.ses_messages()) == 2


def test_both_ways_in_share_one_form(portal, mailing):
    client = portal(auth=("codes", "email"), email_sender=SENDER)
    page = client.get("/")
    assert 'name="code"' in page.text and "Leave it empty: we will email you a code" in page.text
    assert login(client, "ada@example.org", mailing.codes["ada@example.org"]).status_code == 303
    assert SENT in ask(client, "alan@example.org").text
    assert login(client, "alan@example.org", mailing.mailed_code("alan@example.org")).status_code == 303
    codes_only = portal()
    assert login(codes_only, "nobody@example.org", "").status_code == 401  # no mail without email mode
    assert len(mailing.emulator.ses_messages()) == 1


def test_the_inventory_turns_email_mode_on_for_studio_portal(tmp_path):
    import yaml

    from hackathon_studio.cli.portal import portal_config
    from hackathon_studio.portal.config import load_config

    inventory = {"studio_event": "spring", "studio_region": "us-east-1", "studio_portal_auth": ["codes", "email"]}
    inventory.update(studio_portal_email_sender=SENDER, studio_portal_url="https://portal.example.org")
    path = tmp_path / "portal.yml"
    path.write_text(yaml.safe_dump(portal_config(inventory)))  # as `studio portal` hands them over
    config = load_config(path)
    assert (config.auth, config.email_sender, config.url) == (("codes", "email"), SENDER, "https://portal.example.org")
    del inventory["studio_portal_email_sender"]
    path.write_text(yaml.safe_dump(portal_config(inventory)))
    with pytest.raises(PortalConfigError, match="email_sender is required when auth has email"):
        load_config(path)


def test_email_mode_needs_a_sender(event):
    with pytest.raises(PortalConfigError, match="^email_sender is required when auth has email"):
        check(event.config(auth=("email",)))
    with pytest.raises(PortalConfigError, match=r"auth must be a list of codes and/or email, got \['sms'\]"):
        check(event.config(auth=["sms"]))


def test_a_code_request_is_answered_before_any_mail_is_sent(event, mailing):
    """The answer leaves before the mail (a background task): SES's time, and its throttled retries in
    the sandbox's 1 message a second, never tell a known email from an unknown one. Ordered, not timed:
    the last ASGI message of the answer is recorded before ``send_mail`` is called."""
    events = []
    config = event.config(**EMAIL_MODE)
    store = PortalStore(config, session=event.session)
    send_mail = store.send_mail
    store.send_mail = lambda *args: (events.append("mail"), send_mail(*args))[1]
    app = create_app(config, store=store)

    async def recorded(scope, receive, send):
        async def sending(message):
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                events.append("answered")

        await app(scope, receive, sending)

    client = TestClient(recorded, follow_redirects=False)
    token = csrf(client)
    events.clear()  # the form's page
    for email in ("alan@example.org", "nobody@example.org"):
        assert SENT in ask(client, email, token).text
    assert events == ["answered", "mail", "answered"]
    assert [m["to"] for m in mailing.emulator.ses_messages()] == [["alan@example.org"]]


def test_a_mail_ses_refuses_is_audited_and_the_answer_stays_the_same(portal, mailing, caplog):
    caplog.set_level(logging.DEBUG)
    mailing.emulator.faults(deny_actions=["ses:SendEmail"])
    answer = ask(portal(**EMAIL_MODE), "alan@example.org")
    assert answer.status_code == 200 and SENT in answer.text
    assert mailing.emulator.ses_messages() == []
    assert [i["outcome"] for i in mailing.items("audit#")] == ["send_failed"]
    assert "could not email a code to alan@example.org: AccessDenied" in caplog.text
