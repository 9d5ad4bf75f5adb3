"""studio_app against the live emulator: the amazon.aws rhythm, Failed, Deleting and stuck apps, restarts, batches."""

from __future__ import annotations

import time
from collections import Counter

DOMAIN_ID = "d-hackathon0001"
EVENT = {"hackathon:event": "spring"}
MUTATING = ("Create", "Update", "Delete", "Add")
APP = "JupyterLab/default of space team-1"


def app_task(check_mode: bool = False, **args):
    task = {"hackathon.studio.studio_app": args, "register": "out", "ignore_errors": True}
    if check_mode:
        task["check_mode"] = True
    return task


def mutations(emulator) -> Counter:
    """Changing calls per action that succeeded since the emulator's reset (the setup's spaces included)."""
    calls = emulator.calls()
    done = {a: n - calls["failed"].get(a, 0) - calls["throttled"].get(a, 0) for a, n in calls["received"].items()}
    return Counter({a: n for a, n in done.items() if a.startswith(MUTATING) and n})


def make_spaces(sagemaker, emulator, *names: str, app_type: str = "JupyterLab") -> None:
    """Spaces made directly, InService: setup, not what is tested. Shared ones, but for Code Editor,
    which AWS runs in private spaces only: those are owned by the profile "coder"."""
    private = {}
    if app_type == "CodeEditor":
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="coder")
        wait_in_service(emulator, "user_profiles")
        private = {
            "OwnershipSettings": {"OwnerUserProfileName": "coder"},
            "SpaceSharingSettings": {"SharingType": "Private"},
        }
    for name in names:
        sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName=name, SpaceSettings={"AppType": app_type}, **private)
    wait_in_service(emulator, "spaces")


def wait_in_service(emulator, kind: str) -> None:
    deadline = time.monotonic() + 10
    while any(item["status"] != "InService" for item in emulator.state()[kind]):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def apps_in(emulator) -> dict:
    return {(a["space"], a["app_type"]): a for a in emulator.state()["apps"]}


def test_lifecycle_check_create_idempotent_delete_and_a_stop_under_way(playbook, emulator, sagemaker):
    make_spaces(sagemaker, emulator, "team-1")
    run = playbook(
        [
            app_task(space="no-such-space"),
            app_task(check_mode=True, space="team-1", tags=EVENT),
            app_task(space="team-1", tags=EVENT),
            app_task(space="team-1", tags=EVENT),
        ]
    )
    missing, check, created, again = run.results
    assert missing["failed"] and "ResourceNotFound" in missing["msg"] and "no-such-space" in missing["msg"]
    assert check["changed"] and check["results"] == [
        {
            "name": "JupyterLab/default of space team-1",
            "kind": "apps",
            "space": "team-1",
            "app_type": "JupyterLab",
            "app_name": "default",
            "action": "created",
            "changed": True,
            "status": None,
            "tags": EVENT,
        }
    ]
    assert created["changed"] and created["results"][0]["action"] == "created"
    assert created["results"][0]["status"] == "InService"
    assert not again["changed"] and again["results"][0]["action"] == "unchanged"
    app = apps_in(emulator)[("team-1", "JupyterLab")]
    assert (app["name"], app["status"], app["instance_type"], app["tags"]) == (
        "default",
        "InService",
        "ml.t3.medium",
        EVENT,
    )
    assert mutations(emulator) == {"CreateSpace": 1, "CreateApp": 1}

    run = playbook(
        [
            app_task(check_mode=True, space="team-1", state="absent"),
            app_task(space="team-1", state="absent", wait=False),
            app_task(space="team-1", state="absent"),  # already Deleting: waited for, not deleted again
        ]
    )
    check, stopping, again = run.results
    assert check["changed"] and check["results"][0]["action"] == "deleted"
    assert stopping["changed"] and stopping["results"][0]["action"] == "deleted"
    assert not again["changed"] and again["results"][0]["action"] == "unchanged"
    assert again["results"][0]["status"] == "Deleted"
    assert apps_in(emulator)[("team-1", "JupyterLab")]["status"] == "Deleted"
    assert emulator.calls()["received"]["DeleteApp"] == 1


def test_failed_app_is_started_again_on_present_and_left_alone_on_absent(playbook, emulator, sagemaker):
    make_spaces(sagemaker, emulator, "team-1")
    emulator.faults(fail_next_apps=1)
    run = playbook(
        [
            app_task(space="team-1", instance_type="ml.m5.large"),
            app_task(space="team-1", state="absent"),
            app_task(space="team-1", tags=EVENT),  # instance_type unset: started again as it was
        ],
        diff=True,
    )
    failed, left_alone, started = run.results
    assert failed["failed"] and failed["failed_count"] == 1
    assert f"app {APP} ended in Failed status: The app failed to start" in failed["msg"]
    assert failed["results"][0]["status"] == "Failed"
    assert not left_alone["changed"] and not left_alone.get("failed")
    assert left_alone["results"][0]["action"] == "unchanged" and left_alone["results"][0]["status"] == "Failed"
    assert started["changed"] and started["results"][0]["action"] == "created"
    assert started["results"][0]["status"] == "InService"
    assert started["diff"]["before"][APP]["status"] == "Failed"
    app = apps_in(emulator)[("team-1", "JupyterLab")]
    assert (app["status"], app["instance_type"], app["tags"]) == ("InService", "ml.m5.large", EVENT)
    assert mutations(emulator) == {"CreateSpace": 1, "CreateApp": 2}  # no DeleteApp for the failed app


def test_wait_timeout_names_the_stuck_app_and_a_stopping_app_is_started_once_stopped(playbook, emulator, sagemaker):
    make_spaces(sagemaker, emulator, "team-1")
    emulator.faults(stuck_next_apps=1)
    run = playbook(
        [
            app_task(space="team-1", wait_timeout=2),
            app_task(space="team-1", state="absent", wait=False),  # stops it while it is starting
            app_task(space="team-1"),  # Deleting: waits until it stopped, then starts it
        ]
    )
    stuck, stopping, started = run.results
    assert stuck["failed"] and stuck["results"][0]["status"] == "Pending"
    assert f"timed out after 2 s waiting for app {APP}; its last status was Pending" in stuck["msg"]
    assert stopping["changed"] and stopping["results"][0]["status"] == "Pending"
    assert started["changed"] and started["results"][0]["action"] == "created"
    assert started["results"][0]["status"] == "InService"
    assert mutations(emulator) == {"CreateSpace": 1, "CreateApp": 2, "DeleteApp": 1}


def test_instance_type_change_restarts_the_app_keeping_its_tags(playbook, emulator, sagemaker):
    make_spaces(sagemaker, emulator, "team-1")
    run = playbook(
        [
            app_task(space="team-1", tags=EVENT),
            app_task(check_mode=True, space="team-1", instance_type="ml.m5.large"),
            app_task(space="team-1", instance_type="ml.m5.large"),
            app_task(space="team-1", instance_type="ml.m5.large"),
            app_task(space="team-1"),  # instance_type unset: the running app is left alone
        ],
        diff=True,
    )
    _, check, restarted, again, unset = run.results
    assert check["changed"] and check["results"][0]["action"] == "updated"
    assert restarted["changed"] and restarted["results"][0]["action"] == "updated"
    assert restarted["results"][0]["status"] == "InService"
    assert restarted["diff"] == {
        "before": {APP: {"status": "InService", "instance_type": "ml.t3.medium"}},
        "after": {APP: {"status": "InService", "instance_type": "ml.m5.large"}},
    }
    assert not again["changed"] and not unset["changed"]
    app = apps_in(emulator)[("team-1", "JupyterLab")]
    assert (app["status"], app["instance_type"], app["tags"]) == ("InService", "ml.m5.large", EVENT)
    assert mutations(emulator) == {"CreateSpace": 1, "CreateApp": 2, "DeleteApp": 1}


def test_batch_with_partial_failure(playbook, emulator, sagemaker):
    make_spaces(sagemaker, emulator, "team-1", "team-2")
    make_spaces(sagemaker, emulator, "team-3", app_type="CodeEditor")
    apps = [
        {"space": "team-1"},
        {"space": "team-2", "tags": {"team": "2"}},
        {"space": "team-3", "app_type": "CodeEditor", "instance_type": "ml.m5.large"},
        {"space": "no-such-space"},
    ]
    result = playbook([app_task(tags=EVENT, apps=apps)])[0]
    assert result["failed"] and result["changed"] and result["failed_count"] == 1
    assert [(r["space"], r["app_type"], r["app_name"], r["action"], r["status"]) for r in result["results"]] == [
        ("team-1", "JupyterLab", "default", "created", "InService"),
        ("team-2", "JupyterLab", "default", "created", "InService"),
        ("team-3", "CodeEditor", "default", "created", "InService"),
        ("no-such-space", "JupyterLab", "default", "failed", None),
    ]
    assert result["msg"].startswith("1 of 4 failed: ") and "no-such-space" in result["msg"]
    state = apps_in(emulator)
    assert state[("team-2", "JupyterLab")]["tags"] == {**EVENT, "team": "2"}
    assert state[("team-3", "CodeEditor")]["instance_type"] == "ml.m5.large"
    assert state[("team-1", "JupyterLab")]["tags"] == EVENT


def test_a_new_app_runs_the_material_it_asks_for_and_a_running_one_is_left_as_it_is(playbook, emulator, sagemaker):
    """CreateApp's ResourceSpec names the lifecycle configuration and image (the emulator, like botocore's
    model, applies no space default to it); per item over the top-level options; no restart for them."""
    script = "IyEvYmluL2Jhc2gK"  # "#!/bin/bash\n", base64
    arn = sagemaker.create_studio_lifecycle_config(
        StudioLifecycleConfigName="lab", StudioLifecycleConfigContent=script, StudioLifecycleConfigAppType="JupyterLab"
    )["StudioLifecycleConfigArn"]
    image_arn = sagemaker.create_image(ImageName="course", RoleArn="arn:aws:iam::123456789012:role/image-builder")[
        "ImageArn"
    ]
    for _ in range(2):
        sagemaker.create_image_version(ImageName="course", BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/c:1")
    sagemaker.create_app_image_config(AppImageConfigName="course", JupyterLabAppImageConfig={})
    custom = [{"ImageName": "course", "AppImageConfigName": "course"}]
    lab = {"JupyterLabAppSettings": {"LifecycleConfigArns": [arn], "CustomImages": custom}}
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="ada", UserSettings=lab)
    wait_in_service(emulator, "user_profiles")
    owned = {"OwnershipSettings": {"OwnerUserProfileName": "ada"}, "SpaceSharingSettings": {"SharingType": "Shared"}}
    for name in ("team-1", "team-2", "team-3"):
        sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName=name, SpaceSettings={"AppType": "JupyterLab"}, **owned)
    wait_in_service(emulator, "spaces")
    material = {"lifecycle_config": arn, "image": "course"}
    apps = [
        {"space": "team-1"},
        {"space": "team-2", "image_version": 1},
        {"space": "team-3", "lifecycle_config": "", "image": ""},
    ]
    run = playbook(
        [
            app_task(apps=apps, **material),
            app_task(apps=apps, lifecycle_config=""),
            app_task(space="team-1", app_type="CodeEditor", app_name="editor", **material),
        ]
    )
    started, again, editor = run
    assert started["summary"]["created"] == 3 and not started.get("failed"), started
    assert not again["changed"], again
    assert editor["failed"] and "are for JupyterLab apps, not CodeEditor ones" in editor["results"][0]["msg"]

    def spec(space):
        return sagemaker.describe_app(DomainId=DOMAIN_ID, SpaceName=space, AppType="JupyterLab", AppName="default")[
            "ResourceSpec"
        ]

    version_1 = sagemaker.describe_image_version(ImageName="course", Version=1)["ImageVersionArn"]
    assert spec("team-1") == {"InstanceType": "ml.t3.medium", "LifecycleConfigArn": arn, "SageMakerImageArn": image_arn}
    assert spec("team-2") == {
        "InstanceType": "ml.t3.medium",
        "LifecycleConfigArn": arn,
        "SageMakerImageArn": image_arn,
        "SageMakerImageVersionArn": version_1,
    }
    assert spec("team-3") == {"InstanceType": "ml.t3.medium"}
    assert mutations(emulator)["CreateApp"] == 3
