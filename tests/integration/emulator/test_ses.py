"""SES (v1, query protocol) through moto, with the sending rules of a new account: a verified sender,
the sandbox's verified recipients, 1 message a second and 200 a day; production access lifts the
sandbox. Tests read what was sent at /_emulator/ses/messages. Driven with plain boto3."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.config import Config

from .conftest import control, expect_error

SENDER, RECIPIENT = "portal@example.org", "ada@example.org"


@pytest.fixture
def ses(emulator):
    # No retries: a throttled send must be seen, not retried away.
    return boto3.client(
        "ses", config=Config(retries={"mode": "standard", "total_max_attempts": 1}), **emulator.client_kwargs()
    )


def send(ses, to=RECIPIENT, source=SENDER, text="Your code is 123456", **body):
    message = {"Subject": {"Data": "Spring Hack"}, "Body": {"Text": {"Data": text}, **body}}
    return ses.send_email(Source=source, Destination={"ToAddresses": [to]}, Message=message)


def test_the_sender_must_be_a_verified_identity(emulator, ses):
    message = expect_error("MessageRejected", lambda: send(ses))
    assert "not verified" in message and SENDER in message
    ses.verify_domain_identity(Domain="example.org")  # a verified domain verifies its addresses
    assert send(ses)["MessageId"]
    assert [m["to"] for m in emulator.ses_messages()] == [[RECIPIENT]]


def test_a_new_account_is_in_the_sandbox_recipients_must_be_verified(emulator, ses):
    ses.verify_email_identity(EmailAddress=SENDER)
    message = expect_error("MessageRejected", lambda: send(ses))
    assert message == (
        "Email address is not verified. The following identities failed the check in region US-EAST-1: ada@example.org"
    )
    assert emulator.ses_messages() == []
    ses.verify_email_identity(EmailAddress=RECIPIENT)
    send(ses, Html={"Data": "<p>Your code is 123456</p>"})
    [sent] = emulator.ses_messages()
    assert (sent["source"], sent["subject"], sent["text"]) == (SENDER, "Spring Hack", "Your code is 123456")
    assert sent["html"] == "<p>Your code is 123456</p>"


def test_the_sandbox_sends_one_message_a_second(emulator, ses):
    for address in (SENDER, RECIPIENT):
        ses.verify_email_identity(EmailAddress=address)
    send(ses)
    assert expect_error("Throttling", lambda: send(ses)) == "Maximum sending rate exceeded."
    time.sleep(1.05)
    send(ses)
    assert len(emulator.ses_messages()) == 2
    calls = emulator.calls()
    assert calls["throttled"] == {"SES.SendEmail": 1}, calls


def test_the_sandbox_quota_is_200_a_day_and_a_lowered_quota_applies(emulator, ses):
    quota = ses.get_send_quota()
    assert (quota["MaxSendRate"], quota["Max24HourSend"], quota["SentLast24Hours"]) == (1.0, 200.0, 0.0)
    emulator.config(ses_quotas={"max_send_rate": 100, "max_24_hour_send": 2})
    for address in (SENDER, RECIPIENT):
        ses.verify_email_identity(EmailAddress=address)
    send(ses)
    send(ses)
    assert expect_error("Throttling", lambda: send(ses)) == "Daily message quota exceeded."
    assert ses.get_send_quota()["SentLast24Hours"] == 2.0


def test_production_access_lifts_the_sandbox_with_production_quotas(emulator, ses):
    emulator.config(ses_production_access=True)
    quota = ses.get_send_quota()
    assert (quota["MaxSendRate"], quota["Max24HourSend"]) == (14.0, 50000.0)
    expect_error("MessageRejected", lambda: send(ses))  # the sender must still be verified
    ses.verify_email_identity(EmailAddress=SENDER)
    for n in range(14):  # any recipient, 14 a second
        send(ses, to=f"person{n}@example.net")
    assert expect_error("Throttling", lambda: send(ses)) == "Maximum sending rate exceeded."
    emulator.reset()
    assert ses.get_send_quota()["MaxSendRate"] == 1.0 and emulator.ses_messages() == []


def test_only_send_email_sends_and_sesv2_and_bad_settings_are_refused(emulator, ses):
    raw = expect_error("UnknownOperationException", ses.send_raw_email, RawMessage={"Data": b"Subject: x\n\nx"})
    assert "SendRawEmail is not implemented" in raw
    v2 = boto3.client("sesv2", **emulator.client_kwargs())
    with pytest.raises(Exception, match="UnknownOperationException"):
        v2.list_email_identities()
    assert control(emulator, "POST", "config", b'{"ses_production_access": "yes"}')[0] == 400
    assert control(emulator, "POST", "config", b'{"ses_quotas": {"per_minute": 1}}')[0] == 400
    assert control(emulator, "GET", "ses/messages") == (200, [])
