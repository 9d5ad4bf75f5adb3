"""The event's material on the emulator (images.py): a lifecycle configuration or custom image runs only
where AWS would let it, attached to the space owner's user profile or the domain; images need a version
and an app image config; CodeRepositories follow the model."""

from __future__ import annotations

import base64

import pytest
from botocore.exceptions import ClientError

DOMAIN_ID = "d-hackathon0001"
ROLE = "arn:aws:iam::123456789012:role/image-builder"
SCRIPT = base64.b64encode(b"#!/bin/bash\necho start\n").decode()


def config(sagemaker, name, app_type="JupyterLab"):
    return sagemaker.create_studio_lifecycle_config(
        StudioLifecycleConfigName=name, StudioLifecycleConfigContent=SCRIPT, StudioLifecycleConfigAppType=app_type
    )["StudioLifecycleConfigArn"]


def image(sagemaker, name, versions=1, app_image_config=True):
    arn = sagemaker.create_image(ImageName=name, RoleArn=ROLE)["ImageArn"]
    for _ in range(versions):
        sagemaker.create_image_version(ImageName=name, BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1")
    if app_image_config:
        sagemaker.create_app_image_config(AppImageConfigName=name, JupyterLabAppImageConfig={})
    return arn


def lab(**block):
    return {"JupyterLabAppSettings": block}


def test_images_are_described_and_a_missing_one_is_not_found(sagemaker, expect_error):
    expect_error("ResourceNotFound", sagemaker.describe_image, ImageName="course")
    arn = image(sagemaker, "course", versions=2)
    assert sagemaker.describe_image(ImageName="course")["ImageArn"] == arn
    assert sagemaker.describe_image_version(ImageName="course")["Version"] == 2
    assert sagemaker.describe_image_version(ImageName="course", Version=1)["ImageVersionArn"].endswith("course/1")
    expect_error("ResourceNotFound", sagemaker.describe_image_version, ImageName="course", Version=3)
    assert sagemaker.describe_app_image_config(AppImageConfigName="course")["AppImageConfigName"] == "course"
    expect_error("ResourceNotFound", sagemaker.describe_app_image_config, AppImageConfigName="other")


def test_a_profile_attaches_only_jupyterlab_configurations_and_images_that_can_run(sagemaker, studio, expect_error):
    editor = config(sagemaker, "editor", "CodeEditor")
    missing = editor.replace("editor", "missing")
    create = sagemaker.create_user_profile
    expect_error(
        "ValidationException",
        create,
        DomainId=DOMAIN_ID,
        UserProfileName="a",
        UserSettings=lab(LifecycleConfigArns=[editor]),
    )
    expect_error(
        "ResourceNotFound",
        create,
        DomainId=DOMAIN_ID,
        UserProfileName="a",
        UserSettings=lab(LifecycleConfigArns=[missing]),
    )
    lab_config = config(sagemaker, "lab")
    default_only = lab(DefaultResourceSpec={"LifecycleConfigArn": lab_config})
    expect_error("ValidationException", create, DomainId=DOMAIN_ID, UserProfileName="a", UserSettings=default_only)
    image(sagemaker, "bare", versions=0)
    bare = lab(CustomImages=[{"ImageName": "bare", "AppImageConfigName": "bare"}])
    assert "no version" in expect_error(
        "ValidationException", create, DomainId=DOMAIN_ID, UserProfileName="a", UserSettings=bare
    )
    assert sagemaker.list_user_profiles()["UserProfiles"] == []


def test_a_space_and_its_app_run_only_what_the_owner_has_attached(sagemaker, studio, fast, expect_error):
    arn = config(sagemaker, "lab")
    image_arn = image(sagemaker, "course")
    studio.profile("ada")
    spec = {"LifecycleConfigArn": arn, "SageMakerImageArn": image_arn}
    settings = {"AppType": "JupyterLab", **lab(DefaultResourceSpec=spec)}
    ownership = {
        "OwnershipSettings": {"OwnerUserProfileName": "ada"},
        "SpaceSharingSettings": {"SharingType": "Shared"},
    }
    message = expect_error(
        "ValidationException",
        sagemaker.create_space,
        DomainId=DOMAIN_ID,
        SpaceName="team-1",
        SpaceSettings=settings,
        **ownership,
    )
    assert "not attached to user profile ada or the domain" in message
    custom = [{"ImageName": "course", "AppImageConfigName": "course"}]
    sagemaker.update_user_profile(
        DomainId=DOMAIN_ID, UserProfileName="ada", UserSettings=lab(LifecycleConfigArns=[arn])
    )
    studio.wait_status(lambda: studio.profile_status("ada"), "InService")
    message = expect_error(
        "ValidationException",
        sagemaker.create_space,
        DomainId=DOMAIN_ID,
        SpaceName="team-1",
        SpaceSettings=settings,
        **ownership,
    )
    assert "image course is not in the CustomImages" in message
    attached = lab(LifecycleConfigArns=[arn], CustomImages=custom)
    sagemaker.update_user_profile(DomainId=DOMAIN_ID, UserProfileName="ada", UserSettings=attached)
    studio.wait_status(lambda: studio.profile_status("ada"), "InService")
    sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName="team-1", SpaceSettings=settings, **ownership)
    studio.wait_status(lambda: studio.space_status("team-1"), "InService")
    # The app runs the configuration its CreateApp asks for: while it runs, the configuration cannot go.
    studio.app("team-1", ResourceSpec={"InstanceType": "ml.t3.medium", "LifecycleConfigArn": arn})
    sagemaker.update_user_profile(DomainId=DOMAIN_ID, UserProfileName="ada", UserSettings=lab(CustomImages=custom))
    studio.wait_status(lambda: studio.profile_status("ada"), "InService")
    expect_error("ResourceInUse", sagemaker.delete_studio_lifecycle_config, StudioLifecycleConfigName="lab")
    studio.delete_app("team-1")
    # Detached from the owner: a new app of the space is refused the configuration.
    message = expect_error(
        "ValidationException",
        sagemaker.create_app,
        DomainId=DOMAIN_ID,
        SpaceName="team-1",
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={"LifecycleConfigArn": arn},
    )
    assert "lifecycle configuration" in message and "not attached" in message


def test_an_app_runs_the_material_its_create_app_asks_for_not_its_spaces_defaults(sagemaker, studio, fast):
    """Stricter than botocore's model says (CreateApp's ResourceSpec overrides the user profile's or the
    domain's; nothing of a space's DefaultResourceSpec): the space's defaults are not applied."""
    arn = config(sagemaker, "lab")
    image_arn = image(sagemaker, "course")
    custom = [{"ImageName": "course", "AppImageConfigName": "course"}]
    studio.profile("ada", UserSettings=lab(LifecycleConfigArns=[arn], CustomImages=custom))
    spec = {"LifecycleConfigArn": arn, "SageMakerImageArn": image_arn}
    for name in ("plain", "asked"):
        settings = {"AppType": "JupyterLab", **lab(DefaultResourceSpec=spec)}
        studio.space(name, owner="ada", app_type=None, SpaceSettings=settings)
        assert sagemaker.describe_space(DomainId=DOMAIN_ID, SpaceName=name)["SpaceSettings"] == settings

    def described(space):
        found = sagemaker.describe_app(DomainId=DOMAIN_ID, SpaceName=space, AppType="JupyterLab", AppName="default")
        return found["ResourceSpec"]

    studio.app("plain")
    assert described("plain") == {"InstanceType": "ml.t3.medium"}
    # Nothing names the configuration any more but the running app of "plain", which does not run it.
    for name in ("plain", "asked"):
        sagemaker.update_space(DomainId=DOMAIN_ID, SpaceName=name, SpaceSettings=lab())
        studio.wait_status(lambda name=name: studio.space_status(name), "InService")
    sagemaker.update_user_profile(DomainId=DOMAIN_ID, UserProfileName="ada", UserSettings=lab(CustomImages=custom))
    studio.wait_status(lambda: studio.profile_status("ada"), "InService")
    sagemaker.delete_studio_lifecycle_config(StudioLifecycleConfigName="lab")

    arn = config(sagemaker, "lab")
    sagemaker.update_user_profile(
        DomainId=DOMAIN_ID, UserProfileName="ada", UserSettings=lab(LifecycleConfigArns=[arn], CustomImages=custom)
    )
    studio.wait_status(lambda: studio.profile_status("ada"), "InService")
    studio.app("asked", ResourceSpec={**spec, "LifecycleConfigArn": arn})
    assert described("asked") == {**spec, "LifecycleConfigArn": arn, "InstanceType": "ml.t3.medium"}
    sagemaker.update_user_profile(DomainId=DOMAIN_ID, UserProfileName="ada", UserSettings=lab(CustomImages=custom))
    studio.wait_status(lambda: studio.profile_status("ada"), "InService")
    with pytest.raises(ClientError, match="ResourceInUse"):  # the app of "asked" runs it
        sagemaker.delete_studio_lifecycle_config(StudioLifecycleConfigName="lab")


def test_code_repositories_follow_the_model(raw_sagemaker, studio, expect_error):
    studio.profile("ada")
    for urls in (["http://github.com/a/b"], [f"https://github.com/a/{i}" for i in range(11)]):
        repositories = [{"RepositoryUrl": url} for url in urls]
        expect_error(
            "ValidationException",
            raw_sagemaker.create_space,
            DomainId=DOMAIN_ID,
            SpaceName="team-1",
            SpaceSettings={"AppType": "JupyterLab", **lab(CodeRepositories=repositories)},
        )
