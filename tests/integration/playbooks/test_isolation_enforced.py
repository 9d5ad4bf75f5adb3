"""Team isolation under enforced IAM (the emulator's enforce_iam): the organizer runs a whole event with
exactly the policy `studio iam-policy` writes, and a participant of team 7, signing with their team
role's session, reaches their own space and profile and nothing else."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import DOMAIN, wait

ROSTER = "ada@example.org,7\nalan@example.org,7\ngrace@example.org,3\n"
ISOLATION = {"studio_isolation": "team", "studio_allowed_instance_types": ["ml.t3.medium"]}
NO_RETRY = Config(retries={"total_max_attempts": 1})


def organizer_keys(emulator, run_playbook, inventory, tmp_path, without=()) -> dict:
    """An IAM user holding the generated organizer policy (less the actions ``without``), and its keys."""
    written = run_playbook("iam_policy.yml", inventory, iam_policy_file=str(tmp_path / "policy.json"), **ISOLATION)
    assert written.rc == 0, written.stdout
    policy = json.loads((tmp_path / "policy.json").read_text())
    for statement in policy["Statement"]:
        statement["Action"] = [a for a in statement["Action"] if a not in without]
    policy["Statement"] = [s for s in policy["Statement"] if s["Action"]]
    iam = boto3.client("iam", **emulator.client_kwargs())
    name = "organizer-" + str(len(iam.list_users()["Users"]))
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="hackathon-studio", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"studio_aws_access_key": key["AccessKeyId"], "studio_aws_secret_key": key["SecretAccessKey"]}


def profile_of(sagemaker, email: str) -> str:
    [name] = [
        p["UserProfileName"]
        for p in sagemaker.list_user_profiles(DomainIdEquals=DOMAIN)["UserProfiles"]
        if p["UserProfileName"].startswith(email.split("@")[0] + "-")
    ]
    return name


def participant(emulator, sagemaker, email: str, role: str):
    """A SageMaker client signed as ``email`` working in Studio: their team role's session, with their
    profile's name as source identity (the domain's ExecutionRoleIdentityConfig)."""
    profile = profile_of(sagemaker, email)
    arn = boto3.client("iam", **emulator.client_kwargs()).get_role(RoleName=role)["Role"]["Arn"]
    sts = boto3.client("sts", **emulator.client_kwargs())
    session = sts.assume_role(RoleArn=arn, RoleSessionName="SageMaker", SourceIdentity=profile)["Credentials"]
    kwargs = dict(emulator.client_kwargs())
    kwargs.update(
        aws_access_key_id=session["AccessKeyId"],
        aws_secret_access_key=session["SecretAccessKey"],
        aws_session_token=session["SessionToken"],
    )
    return boto3.client("sagemaker", config=NO_RETRY, **kwargs), profile


def denied(call, **params) -> str:
    with pytest.raises(ClientError) as raised:
        call(**params)
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException", raised.value.response
    return raised.value.response["Error"]["Message"]


def test_a_whole_event_under_enforced_iam_with_the_generated_policies(
    run_playbook, inventory, emulator, sagemaker, tmp_path
):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    emulator.config(enforce_iam=True)
    keys = organizer_keys(emulator, run_playbook, inventory, tmp_path)
    for playbook, extra in (("configure.yml", {}), ("setup.yml", {"users": str(roster), "studio_start_apps": True})):
        result = run_playbook(playbook, inventory, **ISOLATION, **keys, **extra)
        assert result.rc == 0, result.stdout

    ada, ada_profile = participant(emulator, sagemaker, "ada@example.org", "spring-team-7")
    own = {"DomainId": DOMAIN, "SpaceName": "team-7", "AppType": "JupyterLab", "AppName": "default"}
    assert ada.describe_app(**own)["Status"] == "InService"
    ada.delete_app(**own)
    for app in sagemaker.list_apps(DomainIdEquals=DOMAIN, SpaceNameEquals="team-7")["Apps"]:
        assert app["Status"] in ("Deleting", "Deleted")
    assert ada.describe_space(DomainId=DOMAIN, SpaceName="team-7")["SpaceName"] == "team-7"
    # As Studio starts one: untagged, on an allowed type. Teardown must stop it to delete the space.
    wait(lambda: sagemaker.describe_app(**own), "Deleted")
    ada.create_app(**dict(own, AppName="mine"), ResourceSpec={"InstanceType": "ml.t3.medium"})
    assert ada.create_presigned_domain_url(DomainId=DOMAIN, UserProfileName=ada_profile, SpaceName="team-7")[
        "AuthorizedUrl"
    ]

    other_team = {"DomainId": DOMAIN, "SpaceName": "team-3", "AppType": "JupyterLab", "AppName": "default"}
    message = denied(ada.delete_app, **other_team)
    assert message.startswith("User: arn:aws:sts::123456789012:assumed-role/spring-team-7/SageMaker is not authorized")
    assert "sagemaker:DeleteApp on resource: arn:aws:sagemaker:us-east-1:123456789012:app/" in message
    denied(ada.create_app, **dict(other_team, AppName="mine"))
    denied(ada.describe_app, **other_team)
    big = {"ResourceSpec": {"InstanceType": "ml.m5.large"}}
    assert "sagemaker:CreateApp" in denied(ada.create_app, **dict(own, AppName="big"), **big)
    for email in ("alan@example.org", "grace@example.org"):  # a teammate, another team
        denied(ada.create_presigned_domain_url, DomainId=DOMAIN, UserProfileName=profile_of(sagemaker, email))
    denied(ada.create_presigned_domain_url, DomainId=DOMAIN, UserProfileName="spring-organizer")
    for space in ("team-7", "team-3"):
        denied(ada.update_space, DomainId=DOMAIN, SpaceName=space, SpaceDisplayName="mine")
        denied(ada.delete_space, DomainId=DOMAIN, SpaceName=space)
    denied(ada.delete_user_profile, DomainId=DOMAIN, UserProfileName=ada_profile)

    for playbook in ("urls.yml", "status.yml", "teardown.yml"):
        result = run_playbook(playbook, inventory, **ISOLATION, **keys)
        assert result.rc == 0, (playbook, result.stdout)
    state = emulator.state()
    assert not state["user_profiles"] and not state["spaces"]
    iam = boto3.client("iam", **emulator.client_kwargs())
    assert not iam.list_roles(PathPrefix="/hackathon-studio/spring/")["Roles"]


@pytest.mark.parametrize(
    ("playbook", "missing"),
    [("setup.yml", "iam:PassRole"), ("teardown.yml", "iam:DeleteRole")],
)
def test_a_missing_permission_is_one_line_naming_it(run_playbook, inventory, emulator, tmp_path, playbook, missing):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    emulator.config(enforce_iam=True)
    if playbook == "teardown.yml":
        assert run_playbook("setup.yml", inventory, users=str(roster), **ISOLATION).rc == 0
    keys = organizer_keys(emulator, run_playbook, inventory, tmp_path, without=[missing])
    result = run_playbook(playbook, inventory, users=str(roster), json_output=False, **ISOLATION, **keys)
    assert result.rc != 0
    assert missing in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
