"""The teams' execution roles (module_utils/isolation.py): names, and what each policy allows."""

from __future__ import annotations

import json

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils.isolation import (
    ROLE_NAME_MAX,
    domain_problems,
    role_name,
    team_roles,
)
from parliament import analyze_policy_string

DOMAIN = {"region": "eu-west-1", "domain_id": "d-abc123"}
PATH = "/hackathon-studio/spring/"
PREFIX = "arn:aws:sagemaker:eu-west-1:123456789012"
PARTICIPANTS = [
    {"team": "7", "space": "team-7", "user_profile": "ada-aaaa", "personal_space": "ada-aaaa-home"},
    {"team": "7", "space": "team-7", "user_profile": "alan-bbbb", "personal_space": "alan-bbbb-home"},
    {"team": "3", "space": "team-3", "user_profile": "grace-cccc", "personal_space": "grace-cccc-home"},
]


def roles(mode="team", instance_types=()):
    return {
        r["space"]: r for r in team_roles("spring", PATH, PARTICIPANTS, DOMAIN, mode, instance_types, "123456789012")
    }


def statements(team) -> dict:
    return {s["Sid"]: s for s in team["role"]["policy"]["Statement"]}


def test_one_role_per_team_each_member_running_as_it():
    team7 = roles()["team-7"]
    assert team7["role"]["name"] == "spring-team-7" and team7["role"]["path"] == PATH
    assert team7["arn"] == "arn:aws:iam::123456789012:role/hackathon-studio/spring/spring-team-7"
    assert team7["role"]["tags"] == {"hackathon:event": "spring", "hackathon:team": "team-7"}
    assert team7["profiles"] == [
        {"name": "ada-aaaa", "execution_role": team7["arn"]},
        {"name": "alan-bbbb", "execution_role": team7["arn"]},
    ]
    assert team7["role"]["trust_policy"]["Statement"][0]["Action"] == ["sts:AssumeRole", "sts:SetSourceIdentity"]


def test_a_team_reaches_its_own_space_and_each_member_only_their_own_profile():
    found = statements(roles(instance_types=["ml.t3.medium"])["team-7"])
    assert found["TheTeamSpacesAppsStart"]["Resource"] == [f"{PREFIX}:app/d-abc123/team-7/*"]
    assert found["TheTeamSpacesAppsStart"]["Condition"] == {
        "ForAllValues:StringEquals": {"sagemaker:InstanceTypes": ["ml.t3.medium"]}
    }
    assert found["TheTeamSpace"]["Resource"] == [f"{PREFIX}:space/d-abc123/team-7"]
    assert found["Member2OwnProfile"] == {
        "Sid": "Member2OwnProfile",
        "Effect": "Allow",
        "Action": ["sagemaker:CreatePresignedDomainUrl", "sagemaker:DescribeUserProfile"],
        "Resource": [f"{PREFIX}:user-profile/d-abc123/alan-bbbb"],
        "Condition": {"StringEquals": {"aws:SourceIdentity": "alan-bbbb"}},
    }
    text = json.dumps(found)
    assert "team-3" not in text and "grace" not in text
    # Nothing that changes a space, a profile or the domain.
    assert {a for s in found.values() for a in s["Action"]} == {
        *("sagemaker:CreateApp", "sagemaker:DeleteApp", "sagemaker:DescribeApp", "sagemaker:DescribeSpace"),
        *("sagemaker:DescribeDomain", "sagemaker:ListApps", "sagemaker:ListSpaces", "sagemaker:ListUserProfiles"),
        *("sagemaker:DescribeUserProfile", "sagemaker:CreatePresignedDomainUrl"),
    }


def test_strict_gives_each_member_their_private_space_and_no_team_space():
    found = statements(roles("strict")["team-7"])
    assert "TheTeamSpace" not in found and "team-7/" not in json.dumps(found)
    assert found["Member1OwnSpacesAppsStart"]["Resource"] == [f"{PREFIX}:app/d-abc123/ada-aaaa-home/*"]
    assert found["Member1OwnSpacesAppsStart"]["Condition"] == {"StringEquals": {"aws:SourceIdentity": "ada-aaaa"}}


@pytest.mark.parametrize("mode", ["team", "strict"])
def test_parliament_finds_nothing_in_the_team_policies(mode):
    for team in roles(mode, ["ml.t3.medium"]).values():
        assert analyze_policy_string(json.dumps(team["role"]["policy"])).findings == []


def test_long_names_stay_within_iams_limit_and_apart():
    space = "team-" + "x" * 58
    first, second = role_name("spring-hackathon-2026", space), role_name("spring-hackathon-2026", space + "y")
    assert len(first) == ROLE_NAME_MAX and first != second


def test_bad_input_is_refused_with_what_is_wrong():
    with pytest.raises(ValueError, match="studio_isolation must be one of none, team, strict"):
        team_roles("spring", PATH, PARTICIPANTS, DOMAIN, "teams")
    with pytest.raises(ValueError, match="IAM path"):
        team_roles("spring", "hackathon", PARTICIPANTS, DOMAIN, "team")
    crowd = [{"team": "1", "space": "team-1", "user_profile": f"p{i:060d}"} for i in range(60)]
    with pytest.raises(ValueError, match="team space team-1 would be .* characters, over IAM's 10240"):
        team_roles("spring", PATH, crowd, DOMAIN, "team")


def test_what_isolation_needs_of_the_domain():
    plain = {"DomainId": "d-abc123", "DefaultSpaceSettings": {"ExecutionRole": "arn:aws:iam::1:role/SpaceRole"}}
    assert domain_problems(plain, "none") == ([], [])
    problems, warnings = domain_problems(plain, "strict")
    assert problems == [
        "domain d-abc123 does not give its execution roles the user profile's name as source identity "
        "(ExecutionRoleIdentityConfig is DISABLED), so participants cannot reach their own spaces; with no app "
        "running, run: aws sagemaker update-domain --domain-id d-abc123 "
        "--domain-settings-for-update ExecutionRoleIdentityConfig=USER_PROFILE_NAME"
    ]
    assert warnings == []
    problems, warnings = domain_problems(plain, "team")
    assert problems == [] and "cannot open their own profiles" in warnings[0]
    assert "default space role arn:aws:iam::1:role/SpaceRole" in warnings[1]
    ready = dict(plain, DomainSettings={"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"})
    assert domain_problems(ready, "strict") == ([], [])
    assert domain_problems(ready, "team")[0] == [] and len(domain_problems(ready, "team")[1]) == 1
