"""Spaces: lifecycle, ownership and sharing, the immutable AppType, dependency rules, quotas and filters."""

from __future__ import annotations

DOMAIN_ID = "d-hackathon0001"
ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:space/d-hackathon0001/"


def test_lifecycle_pending_inservice_updating_deleting_gone(sagemaker, studio, emulator):
    emulator.config(time_scale=0.03)  # 0.3 s Pending, 0.3 s Updating, 0.6 s Deleting
    arn = sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName="team-red", SpaceSettings={"AppType": "JupyterLab"})
    assert arn["SpaceArn"] == ARN_PREFIX + "team-red"
    assert studio.space_status("team-red") == "Pending"
    studio.wait_status(lambda: studio.space_status("team-red"), "InService")

    sagemaker.update_space(DomainId=DOMAIN_ID, SpaceName="team-red", SpaceDisplayName="Team Red")
    assert studio.space_status("team-red") == "Updating"
    studio.wait_status(lambda: studio.space_status("team-red"), "InService")
    assert sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName="team-red")["SpaceDisplayName"] == "Team Red"

    sagemaker.delete_space(DomainId=DOMAIN_ID, SpaceName="team-red")
    assert studio.space_status("team-red") == "Deleting"
    studio.wait_status(lambda: studio.space_status("team-red"), None)
    assert emulator.state()["spaces"] == []


def test_owned_space_is_described_and_in_the_state(sagemaker, studio, emulator, fast):
    studio.profile("alice")
    studio.space("alice-private", owner="alice", sharing="Private", Tags=[{"Key": "team", "Value": "red"}])
    space = sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName="alice-private")
    assert space["OwnershipSettings"] == {"OwnerUserProfileName": "alice"}
    assert space["SpaceSharingSettings"] == {"SharingType": "Private"}
    assert space["SpaceSettings"] == {"AppType": "JupyterLab"}
    assert space["SpaceArn"] == ARN_PREFIX + "alice-private"
    [item] = emulator.state()["spaces"]
    assert (item["name"], item["status"], item["domain_id"]) == ("alice-private", "InService", DOMAIN_ID)
    assert (item["owner"], item["sharing"], item["tags"]) == ("alice", "Private", {"team": "red"})


def test_unknown_space_is_resource_not_found(sagemaker, expect_error):
    for call in (sagemaker.describe_space, sagemaker.delete_space, sagemaker.update_space):
        expect_error("ResourceNotFound", call, DomainId=DOMAIN_ID, SpaceName="nowhere")


def test_creating_what_exists_is_resource_in_use(sagemaker, studio, expect_error):
    studio.space("team-red")
    expect_error("ResourceInUse", sagemaker.create_space, DomainId=DOMAIN_ID, SpaceName="team-red")


def test_owner_must_exist(sagemaker, expect_error):
    expect_error(
        "ResourceNotFound",
        sagemaker.create_space,
        DomainId=DOMAIN_ID,
        SpaceName="ghost-space",
        OwnershipSettings={"OwnerUserProfileName": "ghost"},
        SpaceSharingSettings={"SharingType": "Private"},
    )


def test_ownership_needs_sharing_settings(sagemaker, studio, expect_error):
    studio.profile("alice")
    expect_error(
        "ValidationException",
        sagemaker.create_space,
        DomainId=DOMAIN_ID,
        SpaceName="half-set",
        OwnershipSettings={"OwnerUserProfileName": "alice"},
    )


def test_app_type_cannot_be_changed(sagemaker, studio, expect_error):
    studio.space("team-red", app_type="JupyterLab")
    message = expect_error(
        "ValidationException",
        sagemaker.update_space,
        DomainId=DOMAIN_ID,
        SpaceName="team-red",
        SpaceSettings={"AppType": "CodeEditor"},
    )
    assert "AppType" in message
    assert (
        sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName="team-red")["SpaceSettings"]["AppType"] == "JupyterLab"
    )
    assert studio.space_status("team-red") == "InService"  # the refused update changed nothing


def test_update_keeping_the_app_type_is_accepted(sagemaker, studio, fast):
    studio.profile("alice")
    studio.space("team-red", owner="alice", app_type="CodeEditor")  # Code Editor: private spaces only
    sagemaker.update_space(
        DomainId=DOMAIN_ID,
        SpaceName="team-red",
        SpaceSettings={
            "AppType": "CodeEditor",
            "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 20}},
        },
    )
    studio.wait_status(lambda: studio.space_status("team-red"), "InService")
    settings = sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName="team-red")["SpaceSettings"]
    assert settings == {
        "AppType": "CodeEditor",
        "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 20}},
    }


def test_space_that_is_not_in_service_cannot_be_changed(sagemaker, emulator, expect_error):
    emulator.config(time_scale=1.0)  # stays Pending for 10 s
    sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName="team-red")
    expect_error("ResourceInUse", sagemaker.update_space, DomainId=DOMAIN_ID, SpaceName="team-red")
    expect_error("ResourceInUse", sagemaker.delete_space, DomainId=DOMAIN_ID, SpaceName="team-red")


def test_space_with_a_live_app_cannot_be_deleted(sagemaker, studio, emulator, expect_error):
    emulator.config(time_scale=0.005)  # the app starts in 0.75 s and is Deleting for 0.45 s
    studio.space("team-red")
    studio.app("team-red", wait=None)  # Pending counts as live
    message = expect_error("ResourceInUse", sagemaker.delete_space, DomainId=DOMAIN_ID, SpaceName="team-red")
    assert "JupyterLab/default" in message
    studio.wait_status(lambda: studio.app_status("team-red"), "InService")
    expect_error("ResourceInUse", sagemaker.delete_space, DomainId=DOMAIN_ID, SpaceName="team-red")
    sagemaker.delete_app(DomainId=DOMAIN_ID, SpaceName="team-red", AppType="JupyterLab", AppName="default")
    expect_error("ResourceInUse", sagemaker.delete_space, DomainId=DOMAIN_ID, SpaceName="team-red")  # Deleting
    studio.wait_status(lambda: studio.app_status("team-red"), "Deleted")
    sagemaker.delete_space(DomainId=DOMAIN_ID, SpaceName="team-red")  # a Deleted app no longer blocks
    studio.wait_status(lambda: studio.space_status("team-red"), None)


def test_space_quota(sagemaker, emulator, expect_error):
    emulator.config(quotas={"spaces": 2})
    sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName="s1")
    sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName="s2")
    message = expect_error("ResourceLimitExceeded", sagemaker.create_space, DomainId=DOMAIN_ID, SpaceName="s3")
    assert "2 Spaces" in message
    assert sorted(s["name"] for s in emulator.state()["spaces"]) == ["s1", "s2"]


def test_list_filters_and_summaries(sagemaker, studio, fast):
    studio.profile("alice")
    studio.space("team-red", owner="alice", sharing="Shared", SpaceDisplayName="Red")
    studio.space("team-blue", owner="alice", app_type="CodeEditor")
    studio.space("sandbox", wait=False, app_type=None)

    def names(**filters):
        return sorted(s["SpaceName"] for s in sagemaker.list_spaces(**filters)["Spaces"])

    assert names() == ["sandbox", "team-blue", "team-red"]
    assert names(DomainIdEquals=DOMAIN_ID) == ["sandbox", "team-blue", "team-red"]
    assert names(DomainIdEquals="d-otherdomain1") == []
    assert names(SpaceNameContains="team") == ["team-blue", "team-red"]
    assert names(SpaceNameContains="red") == ["team-red"]
    red = sagemaker.list_spaces(SpaceNameContains="red")["Spaces"][0]
    assert red["SpaceSettingsSummary"] == {"AppType": "JupyterLab"}
    assert red["SpaceSharingSettingsSummary"] == {"SharingType": "Shared"}
    assert red["OwnershipSettingsSummary"] == {"OwnerUserProfileName": "alice"}
    assert red["SpaceDisplayName"] == "Red"
    assert red["Status"] == "InService"
