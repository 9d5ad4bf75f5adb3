"""Team isolation (studio_isolation: team) through the real playbooks: amazon.aws's IAM modules create
a role per team at the emulator's IAM, the participants' profiles run as their team's role, and
teardown deletes the event's roles and no other."""

from __future__ import annotations

import json

import boto3
import pytest

from .conftest import DOMAIN, wait, write_inventory

ROSTER = "ada@example.org,7\nalan@example.org,7\ngrace@example.org,3\n"
PATH = "/hackathon-studio/spring/"


@pytest.fixture
def iam(emulator):
    return boto3.client("iam", **emulator.client_kwargs())


def test_each_team_runs_as_its_own_role_until_teardown(run_playbook, inventory, emulator, sagemaker, iam, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    isolation = {"studio_isolation": "team", "studio_allowed_instance_types": ["ml.t3.medium"]}
    # Not the event's, though under its path or named like its roles: teardown must leave them.
    trust = json.dumps({"Version": "2012-10-17", "Statement": []})
    iam.create_role(RoleName="spring-team-9", Path=PATH, AssumeRolePolicyDocument=trust)
    iam.create_role(
        RoleName="autumn-team-7",
        Path="/hackathon-studio/autumn/",
        AssumeRolePolicyDocument=trust,
        Tags=[{"Key": "hackathon:event", "Value": "autumn"}],
    )

    setup = run_playbook("setup.yml", inventory, users=str(roster), **isolation)  # setup makes the registry table
    assert setup.rc == 0, setup.stdout

    roles = {r["RoleName"]: r for r in iam.list_roles(PathPrefix=PATH)["Roles"]}
    assert set(roles) == {"spring-team-7", "spring-team-3", "spring-team-9"}
    team7 = iam.get_role(RoleName="spring-team-7")["Role"]
    assert {t["Key"]: t["Value"] for t in team7["Tags"]} == {"hackathon:event": "spring", "hackathon:team": "team-7"}
    assert team7["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "sagemaker.amazonaws.com"}
    policy = iam.get_role_policy(RoleName="spring-team-7", PolicyName="spring-team")["PolicyDocument"]
    resources = {r for s in policy["Statement"] for r in s["Resource"] if s["Resource"] != "*"}
    assert f"arn:aws:sagemaker:us-east-1:123456789012:app/{DOMAIN}/team-7/*" in resources
    assert not any("team-3" in r for r in resources)
    for email, role in (("ada", "spring-team-7"), ("grace", "spring-team-3")):
        [profile] = [
            p["UserProfileName"]
            for p in sagemaker.list_user_profiles(DomainIdEquals=DOMAIN)["UserProfiles"]
            if p["UserProfileName"].startswith(email)
        ]
        settings = sagemaker.describe_user_profile(DomainId=DOMAIN, UserProfileName=profile)["UserSettings"]
        assert settings["ExecutionRole"] == roles[role]["Arn"]

    again = run_playbook("setup.yml", inventory, users=str(roster), **isolation)
    assert again.rc == 0 and again.changed() == 0, again.stdout

    teardown = run_playbook("teardown.yml", inventory, **isolation)
    assert teardown.rc == 0, teardown.stdout
    left = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert left >= {"spring-team-9", "autumn-team-7"} and not left & {"spring-team-7", "spring-team-3"}


def test_an_allow_list_that_cannot_work_is_refused_before_anything(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    for allowed, message in (
        (["ml.t3.medium", "ml.t9.huge"], "not instance types Studio apps run on: ml.t9.huge"),
        (["ml.m5.large"], "studio_instance_type ml.t3.medium (the apps setup starts) is not among them"),
    ):
        refused = run_playbook(
            "setup.yml", inventory, users=str(roster), studio_isolation="team", studio_allowed_instance_types=allowed
        )
        assert refused.rc != 0 and message in refused.task("Check the instance types participants may start")["msg"]
    assert not [call for call in emulator.calls()["received"] if call.startswith("Create")]


def test_strict_needs_the_profile_name_as_source_identity(run_playbook, inventory, emulator, sagemaker, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    refused = run_playbook("setup.yml", inventory, users=str(roster), studio_isolation="strict")
    assert refused.rc != 0
    assert "ExecutionRoleIdentityConfig is DISABLED" in refused.stdout and "update-domain" in refused.stdout
    assert not sagemaker.list_user_profiles(DomainIdEquals=DOMAIN)["UserProfiles"]


def test_strict_gives_each_participant_a_private_space_and_no_team_space(run_playbook, emulator, iam, tmp_path):
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    domain_id = sagemaker.create_domain(
        DomainName="strict",
        AuthMode="IAM",
        DefaultUserSettings={
            "ExecutionRole": "arn:aws:iam::123456789012:role/service-role/Default",
            "JupyterLabAppSettings": {"AppLifecycleManagement": {"IdleSettings": {"LifecycleManagement": "ENABLED"}}},
        },
        DomainSettings={"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"},
        SubnetIds=["subnet-0emulator0000000"],
        VpcId="vpc-0emulator0000000",
    )["DomainId"]
    wait(lambda: sagemaker.describe_domain(DomainId=domain_id))
    inventory = write_inventory(
        tmp_path / "hosts.yml", {"localhost": {"studio_endpoint_url": emulator.url, "studio_domain_id": domain_id}}
    )
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    strict = {"studio_isolation": "strict", "studio_start_apps": True}
    setup = run_playbook("setup.yml", inventory, users=str(roster), **strict)
    assert setup.rc == 0, setup.stdout

    spaces = sagemaker.list_spaces(DomainIdEquals=domain_id)["Spaces"]
    assert sorted(s["SpaceSharingSettingsSummary"]["SharingType"] for s in spaces) == ["Private"] * 3
    apps = sagemaker.list_apps(DomainIdEquals=domain_id)["Apps"]
    assert sorted(a["SpaceName"] for a in apps if a["Status"] == "InService") == sorted(s["SpaceName"] for s in spaces)
    policy = iam.get_role_policy(RoleName="spring-team-7", PolicyName="spring-team")["PolicyDocument"]
    assert "TheTeamSpace" not in {s["Sid"] for s in policy["Statement"]}
    assert run_playbook("urls.yml", inventory).rc == 0
    landing = {line.split(",")[1] for line in (tmp_path / "urls.csv").read_text().splitlines()[1:]}
    assert landing == {s["SpaceName"] for s in spaces}

    teardown = run_playbook("teardown.yml", inventory, **strict)
    assert teardown.rc == 0, teardown.stdout
    assert not iam.list_roles(PathPrefix=PATH)["Roles"]
    assert not sagemaker.list_spaces(DomainIdEquals=domain_id)["Spaces"]
