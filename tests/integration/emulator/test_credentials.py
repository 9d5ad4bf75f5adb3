"""Credentials: any are accepted until the emulator is told which are valid; then SigV4 is checked."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config

DOMAIN_ID = "d-hackathon0001"
VALID = {"AKIAEMULATORTEST0001": "a-secret-only-this-test-knows"}


def client(emulator, service: str, access_key: str, secret_key: str):
    kwargs = dict(emulator.client_kwargs(), aws_access_key_id=access_key, aws_secret_access_key=secret_key)
    return boto3.client(service, config=Config(retries={"total_max_attempts": 1}), **kwargs)


def test_any_credentials_by_default(emulator):
    client(emulator, "sagemaker", "anything", "at-all").describe_domain(DomainId=DOMAIN_ID)
    assert emulator.config()["credentials"] is None


@pytest.mark.parametrize("service", ["sagemaker", "dynamodb", "sts"])
def test_only_configured_credentials_are_accepted(emulator, expect_error, service):
    emulator.config(credentials=VALID)
    [(key, secret)] = VALID.items()
    calls = {
        "sagemaker": lambda c: c.describe_domain(DomainId=DOMAIN_ID),
        "dynamodb": lambda c: c.list_tables(),
        "sts": lambda c: c.get_caller_identity(),
    }
    call = calls[service]
    call(client(emulator, service, key, secret))
    # JSON services answer 400; query services (STS) name the refusals differently, with 403.
    unknown, mismatch, status = ("UnrecognizedClientException", "InvalidSignatureException", 400)
    if service == "sts":
        unknown, mismatch, status = ("InvalidClientTokenId", "SignatureDoesNotMatch", 403)
    other_key = client(emulator, service, "AKIAOTHER", secret)
    message = expect_error(unknown, lambda: call(other_key), status=status)
    assert message == "The security token included in the request is invalid."
    wrong_secret = client(emulator, service, key, "wrong")
    message = expect_error(mismatch, lambda: call(wrong_secret), status=status)
    assert "Check your AWS Secret Access Key" in message


def test_config_shows_access_keys_never_secrets_and_reset_clears_them(emulator):
    shown = emulator.config(credentials=VALID)
    assert shown["credentials"] == ["AKIAEMULATORTEST0001"]
    assert "a-secret-only-this-test-knows" not in str(shown)
    emulator.reset()
    assert emulator.config()["credentials"] is None


@pytest.mark.parametrize("credentials", [[], {"": "x"}, {"AKIA": ""}, {"AKIA": 5}, "AKIA"])
def test_bad_credentials_setting_is_refused(control, credentials):
    status, body = control("POST", "config", json.dumps({"credentials": credentials}).encode())
    assert status == 400 and "credentials must be" in body["error"]
