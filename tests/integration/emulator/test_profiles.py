"""User profiles: lifecycle, case-insensitive uniqueness, dependency rules, quotas and list filters."""

from __future__ import annotations

DOMAIN_ID = "d-hackathon0001"
ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-hackathon0001/"


def test_lifecycle_pending_inservice_updating_deleting_gone(sagemaker, studio, emulator):
    emulator.config(time_scale=0.05)  # 0.25 s Pending, 0.25 s Updating, 0.5 s Deleting: long enough to see
    arn = sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")["UserProfileArn"]
    assert arn == ARN_PREFIX + "alice"
    assert studio.profile_status("alice") == "Pending"
    studio.wait_status(lambda: studio.profile_status("alice"), "InService")

    role = "arn:aws:iam::123456789012:role/participant"
    assert (
        sagemaker.update_user_profile(
            DomainId=DOMAIN_ID, UserProfileName="alice", UserSettings={"ExecutionRole": role}
        )["UserProfileArn"]
        == arn
    )
    assert studio.profile_status("alice") == "Updating"
    studio.wait_status(lambda: studio.profile_status("alice"), "InService")
    assert sagemaker.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")["UserSettings"] == {
        "ExecutionRole": role
    }

    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    assert studio.profile_status("alice") == "Deleting"
    assert [p["status"] for p in emulator.state()["user_profiles"]] == ["Deleting"]
    studio.wait_status(lambda: studio.profile_status("alice"), None)
    assert emulator.state()["user_profiles"] == []


def test_describe_returns_what_was_created(sagemaker, studio):
    settings = {"ExecutionRole": "arn:aws:iam::123456789012:role/participant"}
    studio.profile("alice", UserSettings=settings)
    profile = sagemaker.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    assert profile["DomainId"] == DOMAIN_ID
    assert profile["UserProfileName"] == "alice"
    assert profile["UserProfileArn"] == ARN_PREFIX + "alice"
    assert profile["UserSettings"] == settings
    assert profile["Status"] == "InService"
    assert profile["LastModifiedTime"] >= profile["CreationTime"]


def test_unknown_profile_is_resource_not_found(sagemaker, expect_error):
    for call in (sagemaker.describe_user_profile, sagemaker.delete_user_profile, sagemaker.update_user_profile):
        expect_error("ResourceNotFound", call, DomainId=DOMAIN_ID, UserProfileName="nobody")


def test_unknown_domain_is_resource_not_found(sagemaker, expect_error):
    message = expect_error(
        "ResourceNotFound", sagemaker.create_user_profile, DomainId="d-nosuchdomain", UserProfileName="alice"
    )
    assert "d-nosuchdomain" in message


def test_creating_what_exists_is_resource_in_use(sagemaker, studio, expect_error):
    studio.profile("alice")
    expect_error("ResourceInUse", sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName="alice")


def test_names_are_unique_case_insensitively(sagemaker, studio, emulator, expect_error):
    studio.profile("alice")
    message = expect_error("ResourceInUse", sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName="ALICE")
    assert ARN_PREFIX + "alice" in message
    expect_error("ResourceInUse", sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName="Alice")
    assert [p["name"] for p in emulator.state()["user_profiles"]] == ["alice"]


def test_same_name_in_another_domain_is_allowed(sagemaker, studio, fast):
    other = sagemaker.create_domain(
        DomainName="other",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": "arn:aws:iam::123456789012:role/r"},
        SubnetIds=["subnet-0abc"],
        VpcId="vpc-0abc",
    )["DomainId"]
    studio.wait_status(lambda: sagemaker.describe_domain(DomainId=other)["Status"], "InService")
    studio.profile("alice")
    arn = sagemaker.create_user_profile(DomainId=other, UserProfileName="alice")["UserProfileArn"]
    assert arn == f"arn:aws:sagemaker:us-east-1:123456789012:user-profile/{other}/alice"


def test_a_profile_can_be_recreated_once_gone(sagemaker, studio, fast):
    studio.profile("alice")
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    studio.wait_status(lambda: studio.profile_status("alice"), None)
    studio.profile("Alice")
    assert studio.profile_status("Alice") == "InService"


def test_profile_that_is_not_in_service_cannot_be_changed(sagemaker, studio, emulator, expect_error):
    emulator.config(time_scale=1.0)  # stays Pending for 5 s
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    expect_error("ResourceInUse", sagemaker.update_user_profile, DomainId=DOMAIN_ID, UserProfileName="alice")
    expect_error("ResourceInUse", sagemaker.delete_user_profile, DomainId=DOMAIN_ID, UserProfileName="alice")


def test_profile_owning_a_space_cannot_be_deleted(sagemaker, studio, fast, expect_error):
    studio.profile("alice")
    studio.space("alice-private", owner="alice")
    message = expect_error("ResourceInUse", sagemaker.delete_user_profile, DomainId=DOMAIN_ID, UserProfileName="alice")
    assert "alice-private" in message
    sagemaker.delete_space(DomainId=DOMAIN_ID, SpaceName="alice-private")
    studio.wait_status(lambda: studio.space_status("alice-private"), None)
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    studio.wait_status(lambda: studio.profile_status("alice"), None)


def test_profile_with_an_app_cannot_be_deleted(sagemaker, studio, fast, expect_error):
    studio.profile("alice")
    sagemaker.create_app(DomainId=DOMAIN_ID, UserProfileName="alice", AppType="JupyterServer", AppName="default")
    expect_error("ResourceInUse", sagemaker.delete_user_profile, DomainId=DOMAIN_ID, UserProfileName="alice")
    app = {"DomainId": DOMAIN_ID, "UserProfileName": "alice", "AppType": "JupyterServer", "AppName": "default"}
    studio.wait_status(lambda: sagemaker.describe_app(**app)["Status"], "InService")
    sagemaker.delete_app(**app)
    studio.wait_status(lambda: sagemaker.describe_app(**app)["Status"], "Deleted")
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")


def test_user_profile_quota(sagemaker, studio, emulator, expect_error):
    emulator.config(quotas={"user_profiles": 3})
    for name in ("p1", "p2", "p3"):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name)
    message = expect_error(
        "ResourceLimitExceeded", sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName="p4"
    )
    assert "3 UserProfiles" in message
    assert len(emulator.state()["user_profiles"]) == 3


def test_user_profile_quota_frees_up_when_a_profile_is_gone(sagemaker, studio, emulator, fast, expect_error):
    emulator.config(quotas={"user_profiles": 1})
    studio.profile("p1")
    expect_error("ResourceLimitExceeded", sagemaker.create_user_profile, DomainId=DOMAIN_ID, UserProfileName="p2")
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="p1")
    studio.wait_status(lambda: studio.profile_status("p1"), None)
    studio.profile("p2")


def test_list_filters(sagemaker, studio, fast):
    other = sagemaker.create_domain(
        DomainName="other",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": "arn:aws:iam::123456789012:role/r"},
        SubnetIds=["subnet-0abc"],
        VpcId="vpc-0abc",
    )["DomainId"]
    studio.wait_status(lambda: sagemaker.describe_domain(DomainId=other)["Status"], "InService")
    for name in ("team-red-ada", "team-red-bob", "team-blue-cy"):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name)
    sagemaker.create_user_profile(DomainId=other, UserProfileName="team-red-dan")

    def names(**filters):
        return sorted(p["UserProfileName"] for p in sagemaker.list_user_profiles(**filters)["UserProfiles"])

    assert names() == ["team-blue-cy", "team-red-ada", "team-red-bob", "team-red-dan"]
    assert names(DomainIdEquals=DOMAIN_ID) == ["team-blue-cy", "team-red-ada", "team-red-bob"]
    assert names(DomainIdEquals=other) == ["team-red-dan"]
    assert names(UserProfileNameContains="red") == ["team-red-ada", "team-red-bob", "team-red-dan"]
    assert names(DomainIdEquals=DOMAIN_ID, UserProfileNameContains="red") == ["team-red-ada", "team-red-bob"]
    assert names(UserProfileNameContains="green") == []
    summary = sagemaker.list_user_profiles(DomainIdEquals=other)["UserProfiles"][0]
    assert set(summary) == {"DomainId", "UserProfileName", "Status", "CreationTime", "LastModifiedTime"}


def test_list_sort_order(sagemaker):
    for name in ("first", "second", "third"):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name)

    def names(**sort):
        return [p["UserProfileName"] for p in sagemaker.list_user_profiles(**sort)["UserProfiles"]]

    assert names() == ["first", "second", "third"]  # botocore's model: "The default is Ascending."
    assert names(SortOrder="Ascending") == ["first", "second", "third"]
    assert names(SortBy="CreationTime", SortOrder="Descending") == ["third", "second", "first"]
