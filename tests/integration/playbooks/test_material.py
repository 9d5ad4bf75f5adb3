"""The event's material through the playbooks on the live emulator: Git repositories, the lifecycle
configuration (the auto-stop and the organizer's script) and a custom image, on create, on change (in
place, then nothing to do), in check mode; teardown deletes the event's configurations only; bad input
fails in preflight before anything is created."""

from __future__ import annotations

import base64

import boto3

DOMAIN = "d-hackathon0001"
ROLE = "arn:aws:iam::123456789012:role/image-builder"
REPO = "https://github.com/example-org/hackathon-notebooks.git"
OTHER_REPO = "https://gitlab.com/example-org/datasets"
TAG = [{"Key": "hackathon:event", "Value": "spring"}]


def roster(tmp_path):
    users = tmp_path / "users.csv"
    users.write_text("ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n")
    return str(users)


def make_image(sagemaker, name="course"):
    sagemaker.create_image(ImageName=name, RoleArn=ROLE)
    sagemaker.create_image_version(ImageName=name, BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/c:1")
    sagemaker.create_app_image_config(AppImageConfigName=name, JupyterLabAppImageConfig={})


def configs(sagemaker) -> dict:
    """name -> (tags, script) of every lifecycle configuration in the account."""
    found = {}
    for summary in sagemaker.list_studio_lifecycle_configs()["StudioLifecycleConfigs"]:
        name = summary["StudioLifecycleConfigName"]
        described = sagemaker.describe_studio_lifecycle_config(StudioLifecycleConfigName=name)
        tags = {
            t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=summary["StudioLifecycleConfigArn"])["Tags"]
        }
        found[name] = (tags, base64.b64decode(described["StudioLifecycleConfigContent"]).decode())
    return found


def material(sagemaker) -> dict:
    """What each profile and space of the domain says of the material."""
    seen = {}
    for profile in sagemaker.list_user_profiles(DomainIdEquals=DOMAIN)["UserProfiles"]:
        name = profile["UserProfileName"]
        lab = sagemaker.describe_user_profile(DomainId=DOMAIN, UserProfileName=name)["UserSettings"]
        lab = lab.get("JupyterLabAppSettings", {})
        seen[name] = (lab.get("LifecycleConfigArns"), [i["ImageName"] for i in lab.get("CustomImages", [])])
    for space in sagemaker.list_spaces(DomainIdEquals=DOMAIN)["Spaces"]:
        name = space["SpaceName"]
        lab = sagemaker.describe_space(DomainId=DOMAIN, SpaceName=name)["SpaceSettings"]["JupyterLabAppSettings"]
        spec = lab.get("DefaultResourceSpec", {})
        urls = [r["RepositoryUrl"] for r in lab.get("CodeRepositories", [])]
        seen[name] = (urls, spec.get("LifecycleConfigArn"), spec.get("SageMakerImageArn"))
    return seen


def test_material_on_create_on_change_and_in_check_mode(run_playbook, inventory, emulator, tmp_path):
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    make_image(sagemaker)
    script = tmp_path / "on-start.sh"
    script.write_text("#!/bin/bash\naws s3 cp s3://spring-data/train.csv /home/sagemaker-user/\n")
    event = {
        "users": roster(tmp_path),
        "studio_git_repositories": [REPO],
        "studio_lifecycle_script": str(script),
        "studio_auto_stop": True,
        "studio_image": "course",
    }
    setup = run_playbook("setup.yml", inventory, **event)
    assert setup.rc == 0, setup.stdout
    ((name, (tags, content)),) = configs(sagemaker).items()
    assert name.startswith("hackathon-spring-") and tags == {"hackathon:event": "spring"}
    assert "auto_stop.py --idle-minutes 60" in content and "s3://spring-data/train.csv" in content
    arn = setup.task("Create the event's lifecycle configuration")["arn"]
    image_arn = sagemaker.describe_image(ImageName="course")["ImageArn"]
    seen = material(sagemaker)
    profiles = {k: v for k, v in seen.items() if not k.startswith("team-")}
    assert len(profiles) == 4 and all(v == ([arn], ["course"]) for v in profiles.values()), profiles
    assert {k: v for k, v in seen.items() if k.startswith("team-")} == {
        "team-1": ([REPO], arn, image_arn),
        "team-2": ([REPO], arn, image_arn),
    }
    again = run_playbook("setup.yml", inventory, **event)
    assert again.rc == 0 and again.changed() == 0, again.stdout

    script.write_text("#!/bin/bash\npip install --quiet polars\n")
    changed = dict(event, studio_git_repositories=[REPO, OTHER_REPO])
    check = run_playbook("setup.yml", inventory, check=True, args=["--diff"], **changed)
    assert check.rc == 0, check.stdout
    spaces = check.task("Create the team spaces")
    assert spaces["summary"]["updated"] == 2
    before, after = spaces["diff"]["before"]["team-1"], spaces["diff"]["after"]["team-1"]
    assert (before["code_repositories"], after["code_repositories"]) == ([REPO], [REPO, OTHER_REPO])
    assert before["lifecycle_config"] == arn and after["lifecycle_config"] != arn
    assert check.task("Create the event's lifecycle configuration")["changed"]
    assert material(sagemaker) == seen and list(configs(sagemaker)) == [name]  # check mode changed nothing

    update = run_playbook("setup.yml", inventory, **changed)
    assert update.rc == 0, update.stdout
    new_arn = update.task("Create the event's lifecycle configuration")["arn"]
    ((new_name, (_, new_content)),) = configs(sagemaker).items()  # the old one deleted once nothing names it
    assert new_name != name and "polars" in new_content and "spring-data" not in new_content
    assert material(sagemaker)["team-1"] == ([REPO, OTHER_REPO], new_arn, image_arn)
    assert material(sagemaker)["spring-organizer" if "spring-organizer" in seen else next(iter(profiles))][0] == [
        new_arn
    ]
    assert update.task("Delete the event's lifecycle configurations no longer in use")["summary"]["deleted"] == 1
    last = run_playbook("setup.yml", inventory, **changed)
    assert last.rc == 0 and last.changed() == 0, last.stdout


def test_teardown_deletes_the_events_configurations_only(run_playbook, inventory, emulator, tmp_path):
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    content = base64.b64encode(b"#!/bin/bash\ntrue\n").decode()
    foreign = {
        "hackathon-spring-0000000000": [],
        "hackathon-autumn-0000000000": [{"Key": "hackathon:event", "Value": "autumn"}],
    }
    for name, tags in foreign.items():  # the event's name without its tag; another event's
        sagemaker.create_studio_lifecycle_config(
            StudioLifecycleConfigName=name,
            StudioLifecycleConfigContent=content,
            StudioLifecycleConfigAppType="JupyterLab",
            Tags=tags,
        )
    setup = run_playbook("setup.yml", inventory, users=roster(tmp_path), studio_auto_stop=True)
    assert setup.rc == 0, setup.stdout
    assert len(configs(sagemaker)) == 3
    check = run_playbook("teardown.yml", inventory, check=True)
    assert check.rc == 0 and len(configs(sagemaker)) == 3, check.stdout
    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    assert teardown.task("Delete the event's lifecycle configurations")["summary"]["deleted"] == 1
    assert sorted(configs(sagemaker)) == sorted(foreign)


def test_bad_material_fails_in_preflight_before_anything_is_created(run_playbook, inventory, emulator, tmp_path):
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    big = tmp_path / "big.sh"
    big.write_text("#!/bin/bash\n" + "echo 0123456789abcdef\n" * 700)
    cases = [
        (
            {"studio_lifecycle_script": str(tmp_path / "missing.sh")},
            f"studio_lifecycle_script {tmp_path / 'missing.sh'}: cannot be read",
        ),
        (
            {"studio_git_repositories": ["http://github.com/a/b"]},
            "studio_git_repositories: 'http://github.com/a/b' is not a URL",
        ),
        (
            {"studio_lifecycle_script": str(big)},
            "AWS takes at most 16384 (StudioLifecycleConfigContent, botocore's model)",
        ),
        ({"studio_image": "nowhere"}, "studio_image: SageMaker image nowhere does not exist"),
        (
            {"studio_app_type": "CodeEditor", "studio_isolation": "strict", "studio_git_repositories": [REPO]},
            "for JupyterLab spaces only",
        ),
    ]
    for extra, words in cases:
        run = run_playbook("setup.yml", inventory, users=roster(tmp_path), **extra)
        assert run.rc != 0 and words in run.stdout, (extra, run.stdout[-3000:])
        if "big" in str(extra):
            assert str(big) in run.stdout
    assert sagemaker.list_user_profiles(DomainIdEquals=DOMAIN)["UserProfiles"] == []
    assert sagemaker.list_studio_lifecycle_configs()["StudioLifecycleConfigs"] == []


def apps_material(sagemaker) -> dict:
    """space -> what its running app's CreateApp asked for (DescribeApp's ResourceSpec, no instance type)."""
    seen = {}
    for app in sagemaker.list_apps(DomainIdEquals=DOMAIN)["Apps"]:
        if app["Status"] != "InService":
            continue
        described = sagemaker.describe_app(
            DomainId=DOMAIN, SpaceName=app["SpaceName"], AppType=app["AppType"], AppName=app["AppName"]
        )
        seen[app["SpaceName"]] = {k: v for k, v in described["ResourceSpec"].items() if k != "InstanceType"}
    return seen


def test_the_apps_run_the_material_because_setup_asks_for_it(run_playbook, inventory, emulator, tmp_path):
    """The emulator, like botocore's model, applies no space default to CreateApp: the apps role asks for
    the event's lifecycle configuration and image (a version of it) itself; a re-run restarts nothing."""
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    make_image(sagemaker)
    sagemaker.create_image_version(ImageName="course", BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/c:2")
    event = {
        "users": roster(tmp_path),
        "studio_auto_stop": True,
        "studio_image": {"name": "course", "version": 1},
        "studio_start_apps": True,
    }
    setup = run_playbook("setup.yml", inventory, **event)
    assert setup.rc == 0, setup.stdout
    arn = setup.task("Create the event's lifecycle configuration")["arn"]
    image_arn = sagemaker.describe_image(ImageName="course")["ImageArn"]
    version_1 = sagemaker.describe_image_version(ImageName="course", Version=1)["ImageVersionArn"]
    wanted = {"LifecycleConfigArn": arn, "SageMakerImageArn": image_arn, "SageMakerImageVersionArn": version_1}
    assert apps_material(sagemaker) == {"team-1": wanted, "team-2": wanted}
    again = run_playbook("setup.yml", inventory, **event)
    assert again.rc == 0 and again.changed() == 0, again.stdout
