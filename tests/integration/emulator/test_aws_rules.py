"""Rules AWS enforces that the emulator once did not, each driven with plain boto3: tag propagation and
the reserved aws: prefix, one app per space, Code Editor in private spaces only, KernelGateway instance
types, case-insensitive user profile names, and space settings within the domain's limits."""

from __future__ import annotations

import pytest

DOMAIN_ID = "d-hackathon0001"


def tags(**pairs) -> list[dict]:
    return [{"Key": k, "Value": v} for k, v in pairs.items()]


def tag_dict(sagemaker, arn: str) -> dict:
    return {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=arn)["Tags"]}


# ----- tags ---------------------------------------------------------------------------------------
def test_apps_inherit_the_tags_of_their_domain_and_user_profile(sagemaker, studio, emulator, fast):
    """botocore's model: tags of the Domain and of the User Profile "are also added to all Apps" they launch."""
    domain_arn = emulator.state()["domains"][0]["arn"]
    sagemaker.add_tags(ResourceArn=domain_arn, Tags=tags(cost="hackathon", owner="domain"))
    studio.profile("alice", Tags=tags(owner="alice", team="red"))
    studio.space("team-red", Tags=tags(space="red"))
    user_app = sagemaker.create_app(
        DomainId=DOMAIN_ID, UserProfileName="alice", AppType="JupyterServer", AppName="default", Tags=tags(app="1")
    )["AppArn"]
    space_app = studio.app("team-red", wait=None, Tags=tags(app="2"))
    assert tag_dict(sagemaker, user_app) == {"cost": "hackathon", "owner": "alice", "team": "red", "app": "1"}
    assert tag_dict(sagemaker, space_app) == {"cost": "hackathon", "owner": "domain", "app": "2"}
    [state] = [a for a in emulator.state()["apps"] if a["space"] == "team-red"]
    assert state["tags"] == {"cost": "hackathon", "owner": "domain", "app": "2"}


def test_inherited_tags_count_against_the_fifty(sagemaker, studio, emulator, fast, expect_error):
    domain_arn = emulator.state()["domains"][0]["arn"]
    sagemaker.add_tags(ResourceArn=domain_arn, Tags=[{"Key": f"d{i}", "Value": "v"} for i in range(30)])
    studio.space("team-red")
    studio.space("team-blue")
    message = expect_error(
        "ValidationException",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="team-red",
        AppType="JupyterLab",
        AppName="default",
        Tags=[{"Key": f"a{i}", "Value": "v"} for i in range(21)],
    )
    assert "51" in message
    studio.app("team-blue", wait=None, Tags=[{"Key": f"a{i}", "Value": "v"} for i in range(20)])  # 50 is fine


def test_delete_tags_with_an_aws_prefix_is_refused_as_aws_words_it(sagemaker, studio, expect_error):
    """aws/sagemaker-python-sdk#1301: DeleteTags of aws:cloudformation:stack-name, ValidationException."""
    arn = studio.profile("alice", wait=False, Tags=tags(team="red"))
    message = expect_error(
        "ValidationException", sagemaker.delete_tags, ResourceArn=arn, TagKeys=["team", "aws:cloudformation:stack-name"]
    )
    assert message == "System prefix 'aws:' reserved for AWS usage in tag key: aws:cloudformation:stack-name"
    assert tag_dict(sagemaker, arn) == {"team": "red"}  # nothing deleted
    message = expect_error("ValidationException", sagemaker.add_tags, ResourceArn=arn, Tags=tags(**{"AWS:x": "y"}))
    assert message == "System prefix 'aws:' reserved for AWS usage in tag key: AWS:x"


# ----- one app per space ------------------------------------------------------------------------------
def test_a_space_without_an_app_type_runs_one_app_at_a_time(sagemaker, studio, fast, expect_error):
    """Developer guide: "Each space has a 1:1 relationship with an instance of an application"."""
    studio.profile("alice")
    studio.space("mine", owner="alice", app_type=None)
    studio.app("mine", wait=None)
    message = expect_error(
        "ResourceInUse",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="mine",
        AppType="CodeEditor",
        AppName="default",
    )
    assert "jupyterlab/default" in message
    studio.wait_status(lambda: studio.app_status("mine"), "InService")
    studio.delete_app("mine")
    studio.app("mine", app_type="CodeEditor")  # once the first is Deleted
    # A user profile, by contrast, runs one app of each type ("A user may have multiple Apps active
    # simultaneously", CreateApp).
    for app_type in ("JupyterServer", "KernelGateway"):
        sagemaker.create_app(
            DomainId=DOMAIN_ID,
            UserProfileName="alice",
            AppType=app_type,
            AppName="default",
            ResourceSpec={"InstanceType": "system" if app_type == "JupyterServer" else "ml.t3.medium"},
        )
    expect_error(
        "ResourceInUse",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        UserProfileName="alice",
        AppType="JupyterServer",
        AppName="other",
    )


# ----- Code Editor ---------------------------------------------------------------------------------
@pytest.mark.parametrize("sharing", ["Shared", None])
def test_code_editor_spaces_are_private_only(sagemaker, studio, sharing, expect_error):
    """Shared spaces are available in Studio Classic and JupyterLab (developer guide, "Collaboration with
    shared spaces"); aws/amazon-sagemaker-feedback#215 asks for them in Code Editor. A space without
    sharing settings is a (Studio Classic) shared space."""
    studio.profile("alice")
    owner = {"owner": "alice", "sharing": sharing} if sharing else {}
    with pytest.raises(sagemaker.exceptions.ClientError) as info:
        studio.space("team-red", app_type="CodeEditor", **owner)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "Code Editor" in info.value.response["Error"]["Message"]
    assert sagemaker.list_spaces()["Spaces"] == []


def test_no_code_editor_app_in_a_shared_space_without_an_app_type(sagemaker, studio, fast, expect_error):
    studio.profile("alice")
    studio.space("team-red", owner="alice", sharing="Shared", app_type=None)
    message = expect_error(
        "ValidationException",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="team-red",
        AppType="CodeEditor",
        AppName="default",
    )
    assert "Code Editor" in message
    studio.app("team-red")  # JupyterLab is fine there


# ----- instance types --------------------------------------------------------------------------------
def test_kernel_gateway_needs_an_instance_type_from_somewhere(sagemaker, studio, fast, expect_error):
    """botocore's model (CreateApp ResourceSpec): without an InstanceType in the request, the user profile
    or the domain, a KernelGateway CreateApp "fails with a request validation error"."""
    studio.profile("alice")
    app = {"DomainId": DOMAIN_ID, "UserProfileName": "alice", "AppType": "KernelGateway", "AppName": "k1"}
    expect_error("ValidationException", sagemaker.create_app, **app)
    settings = {"KernelGatewayAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}}}
    sagemaker.update_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice", UserSettings=settings)
    studio.wait_status(lambda: studio.profile_status("alice"), "InService")
    sagemaker.create_app(**app)
    assert sagemaker.describe_app(**app)["ResourceSpec"]["InstanceType"] == "ml.m5.large"
    studio.profile("bob")
    other = {**app, "UserProfileName": "bob"}
    sagemaker.create_app(**other, ResourceSpec={"InstanceType": "system"})  # "translated to ml.t3.medium"
    assert sagemaker.describe_app(**other)["ResourceSpec"]["InstanceType"] == "ml.t3.medium"


# ----- user profile names ------------------------------------------------------------------------------
def test_user_profile_names_are_case_insensitive_where_aws_looks_them_up(sagemaker, studio, fast):
    """botocore's model: UserProfileName "This value is not case sensitive"."""
    studio.profile("Alice")
    assert sagemaker.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName="ALICE")["UserProfileName"] == "Alice"
    studio.space("mine", owner="alice")
    assert sagemaker.create_presigned_domain_url(DomainId=DOMAIN_ID, UserProfileName="aLiCe", SpaceName="mine")[
        "AuthorizedUrl"
    ]
    with pytest.raises(sagemaker.exceptions.ResourceInUse):  # it owns a space, whatever the case
        sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")


def test_a_space_may_be_owned_by_a_profile_still_pending(sagemaker, emulator):
    """Neither botocore's model nor the API reference refuses it (issue 12, point 11): the emulator no
    longer does."""
    emulator.config(time_scale=10)  # the profile stays Pending for 50 s
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    sagemaker.create_space(
        DomainId=DOMAIN_ID,
        SpaceName="mine",
        OwnershipSettings={"OwnerUserProfileName": "alice"},
        SpaceSharingSettings={"SharingType": "Private"},
    )
    assert [(p["name"], p["status"]) for p in emulator.state()["user_profiles"]] == [("alice", "Pending")]


# ----- space settings within the domain's limits -----------------------------------------------------------
LIMITS = {
    "SpaceStorageSettings": {
        "DefaultEbsStorageSettings": {"DefaultEbsVolumeSizeInGb": 5, "MaximumEbsVolumeSizeInGb": 20}
    },
    "JupyterLabAppSettings": {
        "AppLifecycleManagement": {
            "IdleSettings": {
                "LifecycleManagement": "ENABLED",
                "IdleTimeoutInMinutes": 90,
                "MinIdleTimeoutInMinutes": 90,
                "MaxIdleTimeoutInMinutes": 120,
            }
        }
    },
}


@pytest.fixture
def limited_domain(sagemaker, studio, fast, emulator):
    """A domain whose shared spaces (DefaultSpaceSettings) and private ones (DefaultUserSettings) may
    have at most 20 GB and an idle timeout of 90 to 120 minutes."""
    role = "arn:aws:iam::123456789012:role/studio"
    domain_id = sagemaker.create_domain(
        DomainName="limited",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": role, **LIMITS},
        DefaultSpaceSettings={"ExecutionRole": role, **LIMITS},
        SubnetIds=["subnet-0emulator0000000"],
        VpcId="vpc-0emulator0000000",
    )["DomainId"]
    studio.wait_status(lambda: sagemaker.describe_domain(DomainId=domain_id)["Status"], "InService")
    studio.domain_id = domain_id
    studio.profile("alice")
    return domain_id


def settings(size: int | None = None, idle: int | None = None) -> dict:
    space = {"AppType": "JupyterLab"}
    if size is not None:
        space["SpaceStorageSettings"] = {"EbsStorageSettings": {"EbsVolumeSizeInGb": size}}
    if idle is not None:
        space["JupyterLabAppSettings"] = {"AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": idle}}}
    return space


@pytest.mark.parametrize("sharing", ["Shared", "Private"])
@pytest.mark.parametrize(("size", "idle"), [(21, None), (None, 60), (None, 121)])
def test_space_settings_beyond_the_domain_limits_are_refused(
    sagemaker, limited_domain, sharing, size, idle, expect_error
):
    expect_error(
        "ValidationException",
        sagemaker.create_space,
        DomainId=limited_domain,
        SpaceName="mine",
        OwnershipSettings={"OwnerUserProfileName": "alice"},
        SpaceSharingSettings={"SharingType": sharing},
        SpaceSettings=settings(size, idle),
    )


def test_space_settings_within_the_limits_and_updates_beyond_them(sagemaker, studio, limited_domain, expect_error):
    space = {"DomainId": limited_domain, "SpaceName": "mine"}
    sagemaker.create_space(
        **space,
        OwnershipSettings={"OwnerUserProfileName": "alice"},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings=settings(20, 120),
    )
    studio.wait_status(lambda: studio.space_status("mine"), "InService")
    expect_error("ValidationException", sagemaker.update_space, **space, SpaceSettings=settings(size=40))
    expect_error("ValidationException", sagemaker.update_space, **space, SpaceSettings=settings(idle=240))
    assert studio.space_status("mine") == "InService"  # a refused update changes nothing
