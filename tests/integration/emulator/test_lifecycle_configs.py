"""Studio lifecycle configurations: create, describe, list, delete, as botocore's model has them; a
duplicate, content that is not base64 and a configuration still in use are refused."""

from __future__ import annotations

import base64

DOMAIN_ID = "d-hackathon0001"
SCRIPT = base64.b64encode(b"#!/bin/bash\necho auto-stop\n").decode()
ARN = "arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/"


def create(sagemaker, name, app_type="JupyterLab", **params):
    return sagemaker.create_studio_lifecycle_config(
        StudioLifecycleConfigName=name,
        StudioLifecycleConfigContent=SCRIPT,
        StudioLifecycleConfigAppType=app_type,
        **params,
    )["StudioLifecycleConfigArn"]


def test_create_describe_list_tag_and_delete(sagemaker, expect_error):
    arn = create(sagemaker, "auto-stop", Tags=[{"Key": "hackathon:event", "Value": "spring"}])
    assert arn == ARN + "auto-stop"
    described = sagemaker.describe_studio_lifecycle_config(StudioLifecycleConfigName="auto-stop")
    assert (described["StudioLifecycleConfigContent"], described["StudioLifecycleConfigAppType"]) == (
        SCRIPT,
        "JupyterLab",
    )
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "hackathon:event", "Value": "spring"}]
    expect_error(
        "ResourceInUse",
        sagemaker.create_studio_lifecycle_config,
        StudioLifecycleConfigName="auto-stop",
        StudioLifecycleConfigContent=SCRIPT,
        StudioLifecycleConfigAppType="JupyterLab",
    )

    create(sagemaker, "b-editor", "CodeEditor")
    create(sagemaker, "a-lab")
    listed = sagemaker.list_studio_lifecycle_configs(SortBy="Name", MaxResults=2)
    assert [c["StudioLifecycleConfigName"] for c in listed["StudioLifecycleConfigs"]] == ["a-lab", "auto-stop"]
    rest = sagemaker.list_studio_lifecycle_configs(SortBy="Name", MaxResults=2, NextToken=listed["NextToken"])
    assert [c["StudioLifecycleConfigName"] for c in rest["StudioLifecycleConfigs"]] == ["b-editor"]
    assert "StudioLifecycleConfigContent" not in listed["StudioLifecycleConfigs"][0]
    editors = sagemaker.list_studio_lifecycle_configs(AppTypeEquals="CodeEditor")["StudioLifecycleConfigs"]
    assert [c["StudioLifecycleConfigName"] for c in editors] == ["b-editor"]
    named = sagemaker.list_studio_lifecycle_configs(NameContains="stop")["StudioLifecycleConfigs"]
    assert [c["StudioLifecycleConfigName"] for c in named] == ["auto-stop"]

    sagemaker.delete_studio_lifecycle_config(StudioLifecycleConfigName="auto-stop")
    expect_error("ResourceNotFound", sagemaker.describe_studio_lifecycle_config, StudioLifecycleConfigName="auto-stop")
    expect_error("ResourceNotFound", sagemaker.delete_studio_lifecycle_config, StudioLifecycleConfigName="auto-stop")


def test_content_must_be_base64_and_names_follow_the_model(sagemaker, raw_sagemaker, expect_error):
    expect_error(
        "ValidationException",
        sagemaker.create_studio_lifecycle_config,
        StudioLifecycleConfigName="plain",
        StudioLifecycleConfigContent="#!/bin/bash\necho not encoded",
        StudioLifecycleConfigAppType="JupyterLab",
    )
    expect_error(
        "ValidationException",
        raw_sagemaker.create_studio_lifecycle_config,
        StudioLifecycleConfigName="-bad-name",
        StudioLifecycleConfigContent=SCRIPT,
        StudioLifecycleConfigAppType="JupyterLab",
    )
    assert sagemaker.list_studio_lifecycle_configs()["StudioLifecycleConfigs"] == []


def test_a_configuration_in_use_cannot_be_deleted(sagemaker, studio, fast, expect_error):
    arn = create(sagemaker, "auto-stop")
    settings = {"JupyterLabAppSettings": {"LifecycleConfigArns": [arn]}}
    studio.profile("ada", UserSettings=settings)
    message = expect_error(
        "ResourceInUse", sagemaker.delete_studio_lifecycle_config, StudioLifecycleConfigName="auto-stop"
    )
    assert "auto-stop is in use" in message
    # An app may run it only while it is attached to the space's owner (images.py): started first.
    studio.space("team", owner="ada")
    studio.app("team", ResourceSpec={"InstanceType": "ml.t3.medium", "LifecycleConfigArn": arn})
    sagemaker.update_user_profile(
        DomainId=DOMAIN_ID, UserProfileName="ada", UserSettings={"JupyterLabAppSettings": {"LifecycleConfigArns": []}}
    )
    studio.wait_status(lambda: studio.profile_status("ada"), "InService")
    expect_error("ResourceInUse", sagemaker.delete_studio_lifecycle_config, StudioLifecycleConfigName="auto-stop")
    studio.delete_app("team")
    sagemaker.delete_studio_lifecycle_config(StudioLifecycleConfigName="auto-stop")
