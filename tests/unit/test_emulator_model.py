"""Unit tests of the emulator's model validation and output shaping (model.py) and its faults (faults.py)."""

from __future__ import annotations

import datetime

import pytest

from hackathon_studio.emulator import faults as faults_module
from hackathon_studio.emulator import model
from hackathon_studio.emulator.errors import ApiError
from hackathon_studio.emulator.faults import Faults, TokenBucket

DOMAIN_ID = "d-hackathon0001"


def problems(operation: str, params: dict) -> str:
    """The ValidationException message for ``params``, or '' if they are valid."""
    try:
        model.validate_input(model.operation(operation), params)
    except ApiError as error:
        assert (error.code, error.status) == ("ValidationException", 400)
        return error.message
    return ""


# ----- operations ----------------------------------------------------------------------------------------
def test_operation_lookup():
    assert model.operation("CreateUserProfile").name == "CreateUserProfile"
    assert model.operation("ListEndpoints") is not None  # in the model, even if the emulator does not serve it
    assert model.operation("FrobnicateDomain") is None


# ----- validation messages -------------------------------------------------------------------------------
def test_valid_input_passes():
    assert problems("CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": "alice"}) == ""


def test_missing_required_member():
    assert problems("CreateUserProfile", {"DomainId": DOMAIN_ID}) == (
        "1 validation error detected: Value null at 'userProfileName' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_explicit_null_counts_as_missing():
    message = problems("CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": None})
    assert "Value null at 'userProfileName'" in message


def test_pattern():
    assert problems("CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": "-alice"}) == (
        "1 validation error detected: Value '-alice' at 'userProfileName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
    )


def test_pattern_must_match_the_whole_value():
    assert "regular expression" in problems("CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": "alice!"})
    assert "regular expression" in problems("CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": "alice\n"})


@pytest.mark.parametrize("name", ["a\nb", "a\rb", "a\u0085b", "a\u2028b", "a\u2029b"])
def test_dot_does_not_match_a_line_terminator_as_in_java(name):
    space = {"DomainId": DOMAIN_ID, "SpaceName": "s1", "SpaceDisplayName": name}  # pattern ^(?!\\s*$).+
    assert "regular expression" in problems("CreateSpace", space)
    assert problems("CreateSpace", dict(space, SpaceDisplayName="a.b\tc")) == ""


def test_length():
    message = problems("CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": "a" * 64})
    assert f"Value '{'a' * 64}' at 'userProfileName' failed to satisfy constraint: " in message
    assert "Member must have length less than or equal to 63" in message


def test_list_length():
    params = {
        "DomainId": DOMAIN_ID,
        "UserProfileName": "alice",
        "Tags": [{"Key": f"k{i}", "Value": ""} for i in range(51)],
    }
    message = problems("CreateUserProfile", params)
    assert "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50" in message


def test_enum():
    assert problems("ListApps", {"SortBy": "Name"}) == (
        "1 validation error detected: Value 'Name' at 'sortBy' failed to satisfy constraint: "
        "Member must satisfy enum value set: [CreationTime]"
    )


@pytest.mark.parametrize(
    ("member", "value", "constraint"),
    [
        ("ExpiresInSeconds", 4, "greater than or equal to 5"),
        ("ExpiresInSeconds", 301, "less than or equal to 300"),
        ("SessionExpirationDurationInSeconds", 1799, "greater than or equal to 1800"),
        ("SessionExpirationDurationInSeconds", 43201, "less than or equal to 43200"),
    ],
)
def test_numeric_range(member, value, constraint):
    where = member[0].lower() + member[1:]
    params = {"DomainId": DOMAIN_ID, "UserProfileName": "alice", member: value}
    assert problems("CreatePresignedDomainUrl", params) == (
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy constraint: "
        f"Member must have value {constraint}"
    )


@pytest.mark.parametrize(("member", "value"), [("ExpiresInSeconds", 5), ("ExpiresInSeconds", 300)])
def test_numeric_range_bounds_are_inclusive(member, value):
    assert (
        problems("CreatePresignedDomainUrl", {"DomainId": DOMAIN_ID, "UserProfileName": "alice", member: value}) == ""
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [("10", "an integer"), (True, "an integer"), (1.5, "an integer")],
)
def test_integer_type(value, kind):
    message = problems("ListUserProfiles", {"MaxResults": value})
    assert f"failed to satisfy constraint: Member must be {kind}" in message


def test_other_types():
    assert "Member must be a string" in problems("CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": 7})
    assert "Member must be a list" in problems(
        "CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": "a", "Tags": {"Key": "k"}}
    )
    assert "Member must be a structure" in problems(
        "CreateUserProfile", {"DomainId": DOMAIN_ID, "UserProfileName": "a", "UserSettings": "default"}
    )


def test_unknown_member():
    message = problems("DescribeDomain", {"DomainId": DOMAIN_ID, "Colour": "blue"})
    assert message.startswith("1 validation error detected: Unknown member 'colour'")


def test_several_errors_are_reported_at_once():
    message = problems(
        "CreateSpace",
        {"DomainId": "not-a-domain", "SpaceName": "bad name", "SpaceSettings": {"AppType": "Emacs"}},
    )
    assert message.startswith("3 validation errors detected: ")
    parts = message.removeprefix("3 validation errors detected: ").split("; ")
    assert len(parts) == 3
    assert parts[0].startswith("Value 'not-a-domain' at 'domainId'")
    assert parts[1].startswith("Value 'bad name' at 'spaceName'")
    assert parts[2].startswith("Value 'Emacs' at 'spaceSettings.appType'")


def test_nested_paths():
    params = {
        "DomainId": DOMAIN_ID,
        "UserProfileName": "alice",
        "Tags": [{"Key": "ok", "Value": "v"}, {"Value": "no key"}],
    }
    assert "Value null at 'tags.2.member.key'" in problems("CreateUserProfile", params)


# ----- the \p{L} tag pattern ----------------------------------------------------------------------------
def tag_problems(key: str, value: str = "v") -> str:
    return problems(
        "AddTags",
        {
            "ResourceArn": f"arn:aws:sagemaker:us-east-1:123456789012:domain/{DOMAIN_ID}",
            "Tags": [{"Key": key, "Value": value}],
        },
    )


@pytest.mark.parametrize(
    "key",
    ["team", "équipe", "Ωmega", "東京", "naïve café", "hackathon:event", "a/b=c+d-e@f_g.h", "nbsp\u00a0sep", "x²"],
)
def test_tag_pattern_accepts_unicode_letters_numbers_and_separators(key):
    assert tag_problems(key) == ""


@pytest.mark.parametrize("key", ["#hash", "semi;colon", "tab\there", "new\nline", "emoji😀", "quote'", "star*"])
def test_tag_pattern_refuses_other_characters(key):
    message = tag_problems(key)
    assert message.startswith("1 validation error detected: ")
    assert "at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: " in (
        message
    )


def test_tag_value_may_be_empty_but_key_may_not():
    assert tag_problems("team", "") == ""
    assert "Member must have length greater than or equal to 1" in tag_problems("")


# ----- output shaping ------------------------------------------------------------------------------------
def test_output_drops_nulls_and_serialises_timestamps():
    op = model.operation("DescribeUserProfile")
    moment = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    shaped = model.output(
        op,
        {
            "DomainId": DOMAIN_ID,
            "UserProfileName": "alice",
            "Status": "InService",
            "CreationTime": moment,
            "LastModifiedTime": 1735787045.5,
            "FailureReason": None,
        },
    )
    assert shaped == {
        "DomainId": DOMAIN_ID,
        "UserProfileName": "alice",
        "Status": "InService",
        "CreationTime": moment.timestamp(),
        "LastModifiedTime": 1735787045.5,
    }


def test_output_refuses_a_member_the_model_lacks():
    with pytest.raises(AssertionError, match="Colour"):
        model.output(model.operation("DescribeUserProfile"), {"DomainId": DOMAIN_ID, "Colour": "blue"})


def test_output_refuses_a_nested_member_the_model_lacks():
    with pytest.raises(AssertionError, match="Owner"):
        model.output(
            model.operation("ListApps"),
            {"Apps": [{"DomainId": DOMAIN_ID, "AppName": "default", "Owner": "alice"}]},
        )


def test_output_requires_required_members():
    with pytest.raises(AssertionError, match="Key"):
        model.output(model.operation("ListTags"), {"Tags": [{"Value": "no key"}]})


def test_output_of_an_operation_without_output():
    assert model.output(model.operation("DeleteSpace"), None) == {}


# ----- TokenBucket ---------------------------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(faults_module.time, "monotonic", clock)
    return clock


def test_bucket_allows_the_burst_then_refuses(clock):
    bucket = TokenBucket(rps=5, burst=3)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]


def test_bucket_refills_at_rps(clock):
    bucket = TokenBucket(rps=5, burst=3)
    for _ in range(3):
        bucket.take()
    clock.now += 0.1  # half a token
    assert bucket.take() is False
    clock.now += 0.1  # one whole token now
    assert bucket.take() is True
    assert bucket.take() is False


def test_bucket_saves_at_most_the_burst(clock):
    bucket = TokenBucket(rps=5, burst=2)
    clock.now += 60
    assert [bucket.take() for _ in range(3)] == [True, True, False]


# ----- Faults --------------------------------------------------------------------------------------------
def test_throttle_only_the_listed_actions(clock):
    faults = Faults()
    faults.configure({"throttle": {"rps": 1, "burst": 1, "actions": ["CreateApp"]}})
    faults.before_request("CreateApp")
    with pytest.raises(ApiError) as info:
        faults.before_request("CreateApp")
    assert (info.value.code, info.value.status) == ("ThrottlingException", 400)
    for _ in range(5):
        faults.before_request("DescribeApp")
    clock.now += 1
    faults.before_request("CreateApp")


def test_error_rate_one_always_fails():
    faults = Faults()
    faults.configure({"error_rate": 1})
    seen = set()
    for _ in range(40):
        with pytest.raises(ApiError) as info:
            faults.before_request("ListApps")
        seen.add((info.value.code, info.value.status))
    assert seen == {("InternalFailure", 500), ("ServiceUnavailable", 503)}


def test_next_app_outcomes_are_consumed_in_order():
    faults = Faults()
    faults.configure({"fail_next_apps": 1, "stuck_next_apps": 2})
    outcomes = [faults.next_app_outcome() for _ in range(4)]
    assert outcomes == ["Failed", "Pending", "Pending", "InService"]
    assert faults.describe()["fail_next_apps"] == faults.describe()["stuck_next_apps"] == 0


def test_empty_body_clears_everything():
    faults = Faults()
    faults.configure(
        {"latency_ms": 5, "error_rate": 0.5, "throttle": {"rps": 1, "burst": 1}, "deny_actions": ["ListSpaces"]}
    )
    faults.configure({})
    assert faults.describe() == {
        "latency_ms": 0,
        "jitter_ms": 0,
        "throttle": None,
        "error_rate": 0,
        "lost_response_rate": 0,
        "fail_next_apps": 0,
        "stuck_next_apps": 0,
        "fail_next_deletes": 0,
        "stop_apps_after_next_lists": 0,
        "deny_actions": [],
        "dynamodb_unprocessed_rate": 0,
        "fail_next_profiles": 0,
        "fail_next_spaces": 0,
        "update_fail_next": 0,
        "empty_pages_rate": 0,
    }


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"colour": 1},
        {"latency_ms": -1},
        {"error_rate": 2},
        {"error_rate": "often"},
        {"throttle": {"rps": 1}},
        {"throttle": {"rps": 1, "burst": 0}},
        {"throttle": {"rps": 1, "burst": 1, "actions": [1]}},
        {"stuck_next_apps": 0.5},
    ],
)
def test_bad_fault_bodies_raise_value_error_and_change_nothing(body):
    faults = Faults()
    faults.configure({"latency_ms": 3})
    before = faults.describe()
    with pytest.raises(ValueError):
        faults.configure(body)
    assert faults.describe() == before
