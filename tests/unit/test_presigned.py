"""Presigned URLs for many profiles: module_utils/presigned.py, with a stand-in API."""

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.presigned import presign, range_errors
from botocore.exceptions import ClientError


def test_range_errors_name_the_allowed_ranges():
    assert range_errors(5, None) == [] and range_errors(300, 1800) == [] and range_errors(300, 43200) == []
    assert range_errors(4, None) == ["expires_in must be between 5 and 300 seconds, got 4"]
    assert range_errors(301, 1799) == [
        "expires_in must be between 5 and 300 seconds, got 301",
        "session_duration must be between 1800 and 43200 seconds, got 1799",
    ]
    assert "1800 and 43200" in range_errors(60, 43201)[0]


class FakeApi:
    def __init__(self):
        self.calls = []

    def call(self, operation, **params):
        self.calls.append((operation, params))
        if params["UserProfileName"] == "eve":
            raise ClientError({"Error": {"Code": "ResourceNotFound", "Message": "no eve"}}, operation)
        return {"AuthorizedUrl": f"https://studio/auth?token={params['UserProfileName']}"}


def test_presign_keeps_order_reports_failures_and_passes_options():
    api = FakeApi()
    entries = [
        {"user_profile": "ada", "space": "ada-space", "email": "a@x", "team": "t"},
        {"user_profile": "eve", "space": None, "email": None, "team": None},
        {"user_profile": "bob", "space": None, "email": None, "team": None},
    ]
    rows, failures = presign(api, "d-1", entries, 4, 60, session_duration=3600, landing_uri="studio::", clock=lambda: 0)
    assert [r["user_profile"] for r in rows] == ["ada", "bob"]
    assert rows[0] == dict(entries[0], url="https://studio/auth?token=ada", expires_at="1970-01-01T00:01:00Z")
    assert failures == [{"user_profile": "eve", "space": None, "msg": "user profile eve: ResourceNotFound: no eve"}]
    ada = next(params for _, params in api.calls if params["UserProfileName"] == "ada")
    assert ada == {
        "DomainId": "d-1",
        "UserProfileName": "ada",
        "ExpiresInSeconds": 60,
        "SpaceName": "ada-space",
        "SessionExpirationDurationInSeconds": 3600,
        "LandingUri": "studio::",
    }
    bob = next(params for _, params in api.calls if params["UserProfileName"] == "bob")
    assert "SpaceName" not in bob  # no space: the user's Studio home
    presign(api, "d-1", entries[2:], 1, 300)
    assert set(api.calls[-1][1]) == {"DomainId", "UserProfileName", "ExpiresInSeconds"}  # unset: not sent
