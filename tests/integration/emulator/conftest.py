"""Helpers for the emulator suites: polling with a deadline, error assertions, and resource builders.

Everything here drives the live emulator of the shared ``emulator`` fixture with plain boto3.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

DOMAIN_ID = "d-hackathon0001"
ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


def wait_for(fn, timeout: float = 5.0, interval: float = 0.02):
    """Call ``fn`` until it returns something truthy and return that; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = fn()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s; last value: {last!r}")
        time.sleep(interval)


def expect_error(code: str, call, /, *, status: int = 400, **params) -> str:
    """Assert that ``call(**params)`` fails with ``code`` and HTTP ``status``; return the error message."""
    with pytest.raises(ClientError) as info:
        call(**params)
    response = info.value.response
    got = (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"])
    assert got == (code, status), response["Error"]
    return response["Error"]["Message"]


def control(emulator, method: str, path: str, body: bytes | None = None) -> tuple[int, dict]:
    """Send a raw request to /_emulator/<path>; return the status and the JSON body, errors included."""
    request = urllib.request.Request(f"{emulator.url}/_emulator/{path}", data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Studio:
    """Builders and waits on top of a boto3 SageMaker client, for the pre-created domain."""

    def __init__(self, client, domain_id: str = DOMAIN_ID):
        self.sm = client
        self.domain_id = domain_id

    # ----- describe / wait ---------------------------------------------------------------------
    def profile_status(self, name: str) -> str | None:
        try:
            return self.sm.describe_user_profile(DomainId=self.domain_id, UserProfileName=name)["Status"]
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFound", error.response["Error"]
            return None

    def space_status(self, name: str) -> str | None:
        try:
            return self.sm.describe_space(DomainId=self.domain_id, SpaceName=name)["Status"]
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFound", error.response["Error"]
            return None

    def app_status(self, space: str, name: str = "default", app_type: str = "JupyterLab") -> str | None:
        try:
            return self.sm.describe_app(DomainId=self.domain_id, SpaceName=space, AppType=app_type, AppName=name)[
                "Status"
            ]
        except ClientError as error:  # AWS says an unknown app is a ValidationException "RecordNotFound"
            assert error.response["Error"] == {"Code": "ValidationException", "Message": "RecordNotFound"}
            return None

    @staticmethod
    def wait_status(get, status: str | None, timeout: float = 10.0) -> None:
        """Wait until ``get()`` returns ``status`` (None = gone)."""
        seen = []

        def reached():
            current = get()
            if not seen or seen[-1] != current:
                seen.append(current)
            return current == status

        try:
            wait_for(reached, timeout)
        except AssertionError:
            raise AssertionError(f"never reached {status!r}; statuses seen: {seen}") from None

    # ----- builders ----------------------------------------------------------------------------
    def profile(self, name: str, *, wait: bool = True, **params) -> str:
        arn = self.sm.create_user_profile(DomainId=self.domain_id, UserProfileName=name, **params)["UserProfileArn"]
        if wait:
            self.wait_status(lambda: self.profile_status(name), "InService")
        return arn

    def space(
        self,
        name: str,
        *,
        owner: str | None = None,
        sharing: str = "Private",
        app_type: str | None = "JupyterLab",
        wait: bool = True,
        **params,
    ) -> str:
        if owner:
            params["OwnershipSettings"] = {"OwnerUserProfileName": owner}
            params["SpaceSharingSettings"] = {"SharingType": sharing}
        if app_type:
            params["SpaceSettings"] = {"AppType": app_type}
        arn = self.sm.create_space(DomainId=self.domain_id, SpaceName=name, **params)["SpaceArn"]
        if wait:
            self.wait_status(lambda: self.space_status(name), "InService")
        return arn

    def app(
        self,
        space: str,
        name: str = "default",
        *,
        app_type: str = "JupyterLab",
        wait: str | None = "InService",
        **params,
    ) -> str:
        arn = self.sm.create_app(DomainId=self.domain_id, SpaceName=space, AppType=app_type, AppName=name, **params)[
            "AppArn"
        ]
        if wait:
            self.wait_status(lambda: self.app_status(space, name, app_type), wait)
        return arn

    def delete_app(self, space: str, name: str = "default", *, app_type: str = "JupyterLab", wait: bool = True):
        self.sm.delete_app(DomainId=self.domain_id, SpaceName=space, AppType=app_type, AppName=name)
        if wait:
            self.wait_status(lambda: self.app_status(space, name, app_type), "Deleted")


@pytest.fixture
def studio(sagemaker) -> Studio:
    return Studio(sagemaker)


@pytest.fixture
def fast(emulator):
    """Transitions 500x faster than AWS (an app starts in 0.3 s), for tests that only need the end state."""
    emulator.config(time_scale=0.002)
    return emulator


@pytest.fixture
def raw_sagemaker(emulator):
    """A client that sends what it is given (no client-side validation) and never retries."""
    config = Config(parameter_validation=False, retries={"mode": "standard", "total_max_attempts": 1})
    return boto3.client("sagemaker", config=config, **emulator.client_kwargs())


@pytest.fixture
def no_retry_sagemaker(emulator):
    config = Config(retries={"mode": "standard", "total_max_attempts": 1})
    return boto3.client("sagemaker", config=config, **emulator.client_kwargs())


# The helpers as fixtures: test modules are imported in importlib mode and cannot import this conftest.
@pytest.fixture(name="wait_for")
def wait_for_fixture():
    return wait_for


@pytest.fixture(name="expect_error")
def expect_error_fixture():
    return expect_error


@pytest.fixture(name="control")
def control_fixture(emulator):
    """``control(method, path, body=None) -> (status, json)`` on this test's emulator."""
    return lambda method, path, body=None: control(emulator, method, path, body)
