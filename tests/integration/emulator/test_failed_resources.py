"""Failed and Update_Failed user profiles and spaces (fail_next_profiles, fail_next_spaces,
update_fail_next): the status AWS reports, its FailureReason, and the remedy, delete and recreate."""

from __future__ import annotations

DOMAIN_ID = "d-hackathon0001"


def test_a_failed_profile_is_described_with_its_reason_and_can_be_deleted_and_recreated(
    sagemaker, studio, emulator, fast, expect_error
):
    emulator.faults(fail_next_profiles=1)
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    studio.wait_status(lambda: studio.profile_status("alice"), "Failed")
    described = sagemaker.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    assert described["FailureReason"]
    assert emulator.faults()["fail_next_profiles"] == 0  # counted down
    expect_error("ResourceInUse", sagemaker.update_user_profile, DomainId=DOMAIN_ID, UserProfileName="alice")
    expect_error("ValidationException", sagemaker.create_space, **owned_space("alice"))
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    studio.wait_status(lambda: studio.profile_status("alice"), None)
    studio.profile("alice")  # the next one works
    assert "FailureReason" not in sagemaker.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")


def owned_space(owner: str, name: str = "mine") -> dict:
    return {
        "DomainId": DOMAIN_ID,
        "SpaceName": name,
        "OwnershipSettings": {"OwnerUserProfileName": owner},
        "SpaceSharingSettings": {"SharingType": "Private"},
    }


def test_a_failed_space_runs_no_app_and_can_be_deleted(sagemaker, studio, emulator, fast, expect_error):
    emulator.faults(fail_next_spaces=1)
    studio.space("team-red", wait=False)
    studio.space("team-blue")  # only the next one fails
    studio.wait_status(lambda: studio.space_status("team-red"), "Failed")
    assert sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName="team-red")["FailureReason"]
    assert [s["Status"] for s in sagemaker.list_spaces(SpaceNameContains="red")["Spaces"]] == ["Failed"]
    expect_error(
        "ValidationException",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="team-red",
        AppType="JupyterLab",
        AppName="default",
    )
    sagemaker.delete_space(DomainId=DOMAIN_ID, SpaceName="team-red")
    studio.wait_status(lambda: studio.space_status("team-red"), None)


def test_an_update_that_fails_ends_update_failed_and_can_be_retried_or_deleted(sagemaker, studio, emulator, fast):
    studio.profile("alice")
    studio.space("team-red")
    emulator.faults(update_fail_next=2)
    sagemaker.update_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice", UserSettings={})
    sagemaker.update_space(DomainId=DOMAIN_ID, SpaceName="team-red", SpaceDisplayName="Red")
    studio.wait_status(lambda: studio.profile_status("alice"), "Update_Failed")
    studio.wait_status(lambda: studio.space_status("team-red"), "Update_Failed")
    assert sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName="team-red")["FailureReason"]
    assert sagemaker.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")["FailureReason"]
    sagemaker.update_space(DomainId=DOMAIN_ID, SpaceName="team-red", SpaceDisplayName="Red")  # a retry works
    studio.wait_status(lambda: studio.space_status("team-red"), "InService")
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    studio.wait_status(lambda: studio.profile_status("alice"), None)
