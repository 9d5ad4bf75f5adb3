"""CreatePresignedDomainUrl: who may open which space, and the expiry ranges."""

from __future__ import annotations

import urllib.parse

import pytest

DOMAIN_ID = "d-hackathon0001"
STUDIO_URL = f"https://{DOMAIN_ID}.studio.us-east-1.sagemaker.aws"


@pytest.fixture
def team(studio, fast):
    """alice owns a private space and a shared one; bob owns nothing."""
    studio.profile("alice")
    studio.profile("bob")
    studio.space("alice-private", owner="alice", sharing="Private")
    studio.space("team-shared", owner="alice", sharing="Shared")
    return studio


def test_url_for_a_user_profile(sagemaker, team):
    url = sagemaker.create_presigned_domain_url(DomainId=DOMAIN_ID, UserProfileName="bob")["AuthorizedUrl"]
    parsed = urllib.parse.urlsplit(url)
    assert f"{parsed.scheme}://{parsed.netloc}" == STUDIO_URL
    assert urllib.parse.parse_qs(parsed.query)["token"][0]
    again = sagemaker.create_presigned_domain_url(DomainId=DOMAIN_ID, UserProfileName="bob")["AuthorizedUrl"]
    assert again != url  # every URL is a fresh, single-use token


def test_owner_opens_the_private_space(sagemaker, team):
    url = sagemaker.create_presigned_domain_url(DomainId=DOMAIN_ID, UserProfileName="alice", SpaceName="alice-private")
    assert url["AuthorizedUrl"].startswith(STUDIO_URL)


def test_another_user_may_not_open_a_private_space(sagemaker, team, expect_error):
    message = expect_error(
        "ValidationException",
        sagemaker.create_presigned_domain_url,
        DomainId=DOMAIN_ID,
        UserProfileName="bob",
        SpaceName="alice-private",
    )
    assert "alice-private" in message


def test_another_user_opens_a_shared_space(sagemaker, team):
    url = sagemaker.create_presigned_domain_url(DomainId=DOMAIN_ID, UserProfileName="bob", SpaceName="team-shared")
    assert url["AuthorizedUrl"].startswith(STUDIO_URL)


def test_unknown_profile_or_space(sagemaker, team, expect_error):
    expect_error("ResourceNotFound", sagemaker.create_presigned_domain_url, DomainId=DOMAIN_ID, UserProfileName="eve")
    expect_error(
        "ResourceNotFound",
        sagemaker.create_presigned_domain_url,
        DomainId=DOMAIN_ID,
        UserProfileName="alice",
        SpaceName="nowhere",
    )
    expect_error(
        "ResourceNotFound", sagemaker.create_presigned_domain_url, DomainId="d-nosuchdomain", UserProfileName="alice"
    )


def test_profile_must_be_in_service(sagemaker, emulator, expect_error):
    emulator.config(time_scale=1.0)  # Pending for 5 s
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="late")
    expect_error(
        "ValidationException", sagemaker.create_presigned_domain_url, DomainId=DOMAIN_ID, UserProfileName="late"
    )


@pytest.mark.parametrize(
    ("member", "value", "constraint"),
    [
        ("ExpiresInSeconds", 4, "Member must have value greater than or equal to 5"),
        ("ExpiresInSeconds", 301, "Member must have value less than or equal to 300"),
        ("SessionExpirationDurationInSeconds", 1799, "Member must have value greater than or equal to 1800"),
        ("SessionExpirationDurationInSeconds", 43201, "Member must have value less than or equal to 43200"),
    ],
)
def test_expiry_out_of_range(raw_sagemaker, team, expect_error, member, value, constraint):
    message = expect_error(
        "ValidationException",
        raw_sagemaker.create_presigned_domain_url,
        DomainId=DOMAIN_ID,
        UserProfileName="alice",
        **{member: value},
    )
    where = member[0].lower() + member[1:]
    assert (
        message
        == f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy constraint: {constraint}"
    )


@pytest.mark.parametrize(
    ("expires", "session"),
    [(5, 1800), (300, 43200), (60, 3600)],
)
def test_expiry_bounds_are_accepted(raw_sagemaker, team, expires, session):
    url = raw_sagemaker.create_presigned_domain_url(
        DomainId=DOMAIN_ID,
        UserProfileName="alice",
        ExpiresInSeconds=expires,
        SessionExpirationDurationInSeconds=session,
    )
    assert url["AuthorizedUrl"].startswith(STUDIO_URL)


def test_state_records_what_each_url_was_minted_with(sagemaker, team, emulator):
    """Never the URL itself: its space and durations, AWS's defaults where the request had none."""
    sagemaker.create_presigned_domain_url(DomainId=DOMAIN_ID, UserProfileName="bob")
    sagemaker.create_presigned_domain_url(
        DomainId=DOMAIN_ID,
        UserProfileName="alice",
        SpaceName="team-shared",
        ExpiresInSeconds=60,
        SessionExpirationDurationInSeconds=28800,
    )
    minted = {p["name"]: p["presigned_urls"] for p in emulator.state()["user_profiles"]}
    assert minted == {
        "bob": [{"space": None, "expires_in": 300, "session_duration": 43200}],
        "alice": [{"space": "team-shared", "expires_in": 60, "session_duration": 28800}],
    }
