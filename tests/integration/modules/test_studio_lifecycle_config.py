"""studio_lifecycle_config and studio_image_info against the live emulator, in the amazon.aws rhythm:
failures, check-mode create, create, idempotent create, check-mode delete, delete, idempotent delete;
a configuration in use or not the event's is left alone."""

from __future__ import annotations

import base64

DOMAIN_ID = "d-hackathon0001"
EVENT = {"hackathon:event": "spring"}
SCRIPT = "#!/bin/bash\necho hello\n"


def task(module="studio_lifecycle_config", check_mode=False, **args):
    found = {f"hackathon.studio.{module}": {"domain_id": DOMAIN_ID, **args}, "register": "out", "ignore_errors": True}
    if check_mode:
        found["check_mode"] = True
    return found


def names(sagemaker) -> list:
    return sorted(
        c["StudioLifecycleConfigName"] for c in sagemaker.list_studio_lifecycle_configs()["StudioLifecycleConfigs"]
    )


def test_create_keep_and_delete_the_events_configurations(playbook, sagemaker):
    present = dict(event="spring", script=SCRIPT, tags=EVENT)
    run = playbook(
        [
            task(event="spring", script="x" * 13000, tags=EVENT),  # over the model's 16384 once base64-encoded
            task(event="spring", script=SCRIPT, tags={}),
            task(check_mode=True, **present),
            task(**present),
            task(**present),
        ],
        diff=True,
    )
    too_big, untagged, check, created, again = run.results
    assert too_big["failed"] and "AWS takes at most 16384" in too_big["msg"]
    assert untagged["failed"] and "tags must not be empty" in untagged["msg"]
    assert check["changed"] and check["results"][0]["action"] == "created" and check["name"] in check["arn"]
    assert created["changed"] and created["name"] == check["name"] and created["arn"] == check["arn"]
    assert created["diff"]["after"] == {created["name"]: {"arn": created["arn"]}}
    assert not again["changed"] and again["summary"]["unchanged"] == 1
    described = sagemaker.describe_studio_lifecycle_config(StudioLifecycleConfigName=created["name"])
    assert base64.b64decode(described["StudioLifecycleConfigContent"]).decode() == SCRIPT
    assert described["StudioLifecycleConfigAppType"] == "JupyterLab"

    newer = dict(present, script=SCRIPT + "echo again\n")
    absent = dict(event="spring", state="absent", tags=EVENT)
    run = playbook([task(**newer), task(**absent, keep=["{{ out.name }}"])])
    new, pruned = run.results
    assert new["name"] != created["name"] and pruned["summary"]["deleted"] == 1
    assert names(sagemaker) == [new["name"]]

    run = playbook([task(check_mode=True, **absent), task(**absent), task(**absent)])
    check, deleted, again = run.results
    assert check["changed"] and check["results"][0]["action"] == "deleted"
    assert deleted["changed"] and deleted["summary"]["deleted"] == 1 and names(sagemaker) == []
    assert not again["changed"] and again["results"] == []


def test_one_not_the_events_or_in_use_is_left_alone(playbook, sagemaker):
    content = base64.b64encode(SCRIPT.encode()).decode()
    run = playbook([task(event="spring", script=SCRIPT, tags={"hackathon:event": "autumn"})])
    [other] = run.results  # the same name, another event's tag: someone else's
    assert not other.get("failed")
    run = playbook([task(event="spring", script=SCRIPT, tags=EVENT), task(event="spring", state="absent", tags=EVENT)])
    refused, untouched = run.results
    assert refused["failed"] and "exists without the tags" in refused["msg"]
    assert untouched["results"] == [] and names(sagemaker) == [other["name"]]

    arn = sagemaker.create_studio_lifecycle_config(
        StudioLifecycleConfigName="hackathon-spring-inuse00000",
        StudioLifecycleConfigContent=content,
        StudioLifecycleConfigAppType="JupyterLab",
        Tags=[{"Key": "hackathon:event", "Value": "spring"}],
    )["StudioLifecycleConfigArn"]
    sagemaker.create_user_profile(
        DomainId=DOMAIN_ID,
        UserProfileName="ada",
        UserSettings={"JupyterLabAppSettings": {"LifecycleConfigArns": [arn]}},
    )
    run = playbook([task(event="spring", state="absent", tags=EVENT)])
    [left] = run.results
    assert not left.get("failed") and not left["changed"]
    assert left["results"][0]["action"] == "unchanged" and "still in use" in left["results"][0]["msg"]
    assert "hackathon-spring-inuse00000" in names(sagemaker)


def test_image_info_names_what_is_missing(playbook, sagemaker):
    run = playbook([task("studio_image_info", name="course")])
    assert run[0]["failed"] and run[0]["msg"] == (
        "studio_image: SageMaker image course does not exist (DescribeImage); create it first in region us-east-1"
    )
    sagemaker.create_image(ImageName="course", RoleArn="arn:aws:iam::123456789012:role/image-builder")
    run = playbook([task("studio_image_info", name="course")])
    assert run[0]["failed"] and "SageMaker image course has no version (DescribeImageVersion)" in run[0]["msg"]
    sagemaker.create_image_version(ImageName="course", BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/c:1")
    run = playbook([task("studio_image_info", name="course")])
    assert run[0]["failed"] and "app image config course of image course does not exist" in run[0]["msg"]
    sagemaker.create_app_image_config(AppImageConfigName="course", JupyterLabAppImageConfig={})
    run = playbook([task("studio_image_info", name="course")])
    assert not run[0].get("failed") and not run[0]["changed"]
    assert run[0]["image"]["image_arn"].endswith(":image/course") and run[0]["image"]["version"] == 1
