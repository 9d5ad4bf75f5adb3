"""The organizer's generated IAM policy: module_utils/iam_policy.py, linted with parliament."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from ansible_collections.hackathon.studio.plugins.module_utils.iam_policy import (
    allowed_actions,
    needed_actions,
    organizer_policy,
    portal_policy,
)
from parliament import analyze_policy_string, iam_definition

EU = {"region": "eu-west-1", "domain_id": "d-abc123def456", "registry_table": "hackathon-studio-registry"}
EU2 = dict(EU, domain_id="d-abc123def457")
US = {"region": "us-east-1", "domain_id": "d-xyz987", "registry_table": "registry"}
CN = {"region": "cn-north-1", "domain_id": "d-cn1", "registry_table": "registry"}
ROLE = "arn:aws:iam::123456789012:role/service-role/HackathonStudioRole"

VARIANTS = {
    "one domain": dict(domains=[EU]),
    "one domain, known account": dict(domains=[EU], account="123456789012"),
    "several domains and regions": dict(domains=[EU, EU2, US]),
    "execution roles": dict(domains=[EU, US], execution_roles=[ROLE, ROLE.replace("Hackathon", "Other")]),
    "registry deleted at teardown": dict(domains=[dict(EU, delete_registry=True), US]),
    "china": dict(domains=[CN]),
    "team isolation": dict(domains=[dict(EU, iam_path="/hackathon-studio/spring-2026/"), US], account="123456789012"),
    "material": dict(domains=[dict(EU, lifecycle_config=True, image="course", image_app_config="course-config")]),
}


def statement(policy: dict, sid: str) -> dict:
    [found] = [s for s in policy["Statement"] if s["Sid"] == sid]
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_parliament_finds_nothing(variant):
    policy = organizer_policy("spring-2026", **VARIANTS[variant])
    assert [str(finding) for finding in analyze_policy_string(json.dumps(policy)).findings] == []
    # The community auditors too; theirs flags iam:PassRole as permissions management whatever its
    # resource and condition: with execution roles it is the one permission the policy means to grant.
    community = analyze_policy_string(json.dumps(policy), include_community_auditors=True).findings
    expected = [("PERMISSIONS_MANAGEMENT_ACTIONS", ["iam:passrole"])] if "execution_roles" in VARIANTS[variant] else []
    if variant == "team isolation":  # managing the event's team roles is what isolation means to grant
        managed = [
            "CreateRole",
            "DeleteRole",
            "DeleteRolePolicy",
            "PassRole",
            "PutRolePolicy",
            "UpdateAssumeRolePolicy",
        ]
        expected = [("PERMISSIONS_MANAGEMENT_ACTIONS", sorted(f"iam:{a.lower()}" for a in [*managed, "UpdateRole"]))]
    found = [(finding.issue, sorted(finding.location.get("actions"))) for finding in community]
    assert found == expected


def test_no_action_on_every_resource_but_those_with_no_resource_type():
    policy = organizer_policy("spring", [EU, US])
    star = [s for s in policy["Statement"] if s["Resource"] == "*"]
    assert [s["Action"] for s in star] == [
        [
            "sagemaker:ListApps",
            "sagemaker:ListSpaces",
            "sagemaker:ListStudioLifecycleConfigs",
            "sagemaker:ListUserProfiles",
        ],
        ["tag:GetResources"],
        ["servicequotas:ListServiceQuotas"],
        ["pricing:GetProducts"],
    ]
    assert not [a for a in allowed_actions(policy) if "*" in a]


def test_creates_only_tagged_with_the_event_in_its_domains():
    policy = organizer_policy("spring", [EU, US], account="123456789012")
    creates = statement(policy, "CreateOnlyWithTheEventTag")
    assert creates["Action"] == ["sagemaker:CreateApp", "sagemaker:CreateSpace", "sagemaker:CreateUserProfile"]
    assert creates["Condition"] == {
        "StringEquals": {"aws:RequestTag/hackathon:event": "spring"},
        "ForAllValues:StringEquals": {"aws:TagKeys": ["hackathon:event"]},
    }
    assert "arn:aws:sagemaker:eu-west-1:123456789012:space/d-abc123def456/*" in creates["Resource"]
    assert "arn:aws:sagemaker:us-east-1:123456789012:app/d-xyz987/*" in creates["Resource"]
    assert len(creates["Resource"]) == 6


def test_tags_only_while_creating():
    """AddTags on an existing resource would let the holder claim anyone's profile, then log in as it."""
    tagging = statement(organizer_policy("spring", [EU]), "TagOnlyWhileCreating")
    assert tagging["Action"] == ["sagemaker:AddTags"]
    assert tagging["Condition"]["StringEquals"]["sagemaker:TaggingAction"] == [
        "CreateApp",
        "CreateSpace",
        "CreateUserProfile",
    ]
    assert tagging["Condition"]["StringEquals"]["aws:RequestTag/hackathon:event"] == "spring"
    assert "sagemaker:DeleteTags" not in allowed_actions(organizer_policy("spring", [EU]))


def test_everything_else_only_on_the_events_resources():
    policy = organizer_policy("spring", [EU])
    for sid, kind in (
        ("UserProfilesOfTheEvent", "user-profile"),
        ("SpacesOfTheEvent", "space"),
        ("AppsOfTheEvent", "app"),
    ):
        found = statement(policy, sid)
        assert found["Condition"] == {"StringEquals": {"aws:ResourceTag/hackathon:event": "spring"}}
        assert found["Resource"] == [f"arn:aws:sagemaker:eu-west-1:*:{kind}/d-abc123def456/*"]
    assert "sagemaker:CreatePresignedDomainUrl" in statement(policy, "UserProfilesOfTheEvent")["Action"]
    assert statement(policy, "ReadTheDomains")["Resource"] == ["arn:aws:sagemaker:eu-west-1:*:domain/d-abc123def456"]


def test_no_pass_role_and_no_profile_update_without_execution_roles():
    actions = allowed_actions(organizer_policy("spring", [EU]))
    assert not {"iam:PassRole", "sagemaker:UpdateUserProfile", "sagemaker:DescribeUserProfile"} & actions


def test_pass_role_only_the_execution_roles_only_to_sagemaker():
    policy = organizer_policy("spring", [EU], execution_roles=[ROLE, ROLE])
    passing = statement(policy, "PassOnlyTheExecutionRolesToSageMaker")
    assert passing["Action"] == ["iam:PassRole"] and passing["Resource"] == [ROLE]
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
    profiles = statement(policy, "UserProfilesOfTheEvent")["Action"]
    assert "sagemaker:UpdateUserProfile" in profiles and "sagemaker:DescribeUserProfile" in profiles


def test_registry_items_narrowed_to_the_event_table_actions_not():
    policy = organizer_policy("spring", [EU, US])
    items = statement(policy, "OnlyTheEventsRegistryItems")
    # Query and batches for the registry; a conditional PutItem and an UpdateItem for the portal's codes
    assert items["Action"] == ["dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    assert items["Condition"] == {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["spring"]}}
    assert items["Resource"] == [
        "arn:aws:dynamodb:eu-west-1:*:table/hackathon-studio-registry",
        "arn:aws:dynamodb:us-east-1:*:table/registry",
    ]
    # LeadingKeys applies to item actions only: the table's own actions stand without it
    assert "Condition" not in statement(policy, "ReadTheRegistryTable")
    assert statement(policy, "ReadTheRegistryTable")["Action"] == ["dynamodb:DescribeTable"]
    creating = statement(policy, "CreateTheRegistryTaggedWithTheEvent")
    assert creating["Condition"]["StringEquals"] == {"aws:RequestTag/hackathon:event": "spring"}


def test_delete_table_only_when_teardown_deletes_the_registry():
    assert "dynamodb:DeleteTable" not in allowed_actions(organizer_policy("spring", [EU]))
    deleting = organizer_policy("spring", [dict(EU, delete_registry=True), US])
    assert statement(deleting, "DeleteTheRegistryTable")["Action"] == ["dynamodb:DeleteTable"]
    assert statement(deleting, "DeleteTheRegistryTable")["Resource"] == [
        "arn:aws:dynamodb:eu-west-1:*:table/hackathon-studio-registry"
    ]


def test_partitions_follow_the_region():
    policy = organizer_policy("spring", [CN])
    assert statement(policy, "ReadTheDomains")["Resource"] == ["arn:aws-cn:sagemaker:cn-north-1:*:domain/d-cn1"]


def test_created_resources_need_their_tagging_permission():
    assert needed_actions({"sagemaker:CreateSpace", "dynamodb:CreateTable", "dynamodb:Query"}) == {
        "sagemaker:CreateSpace",
        "sagemaker:AddTags",
        "dynamodb:CreateTable",
        "dynamodb:TagResource",
        "dynamodb:Query",
    }


@pytest.mark.parametrize(
    "event, domains, kwargs, message",
    [
        ("Spring!", [EU], {}, "event name 'Spring!'"),
        ("spring", [], {}, "no domain"),
        ("spring", [dict(EU, domain_id="d-XYZ")], {}, "Studio domain id 'd-XYZ'"),
        ("spring", [dict(EU, region="")], {}, "region ''"),
        ("spring", [dict(EU, registry_table="a b")], {}, "registry table name 'a b'"),
        ("spring", [EU], {"account": "1234"}, "account id"),
        ("spring", [EU], {"execution_roles": ["*"]}, "execution role ARN '*'"),
    ],
)
def test_bad_settings_are_one_clear_line(event, domains, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("*", r"\*")):
        organizer_policy(event, domains, **kwargs)


def test_the_readme_shows_the_generated_policy():
    """The README's policy is the one `studio iam-policy -i inventories/aws.example --event spring-2026` prints."""
    root = Path(__file__).resolve().parents[2]
    [host] = yaml.safe_load((root / "inventories" / "aws.example" / "hosts.yml").read_text())["all"]["hosts"].values()
    defaults = yaml.safe_load((root / "roles" / "studio" / "defaults" / "main.yml").read_text())
    domain = {
        "region": host["studio_region"],
        "domain_id": host["studio_domain_id"],
        "registry_table": defaults["studio_registry_table"],
    }
    readme = (root / "README.md").read_text()
    shown = readme.split("studio iam-policy -i inventories/aws.example --event spring-2026", 1)[1]
    shown = shown.split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(shown) == organizer_policy("spring-2026", [domain])


def reference(action: str) -> tuple[set, dict]:
    """(condition keys, resource type -> its condition keys) of an action in the Service Authorization
    Reference, as parliament's copy of it has them."""
    service, name = action.split(":")
    # parliament keeps IAM twice (under its old and new service names): the first page naming the action
    data = next(
        s for s in iam_definition if s["prefix"] == service and any(p["privilege"] == name for p in s["privileges"])
    )
    [privilege] = [p for p in data["privileges"] if p["privilege"] == name]
    keys = {k for r in privilege["resource_types"] for k in r["condition_keys"]}
    resource_keys = {r["resource"]: set(r["condition_keys"]) for r in data["resources"]}
    types = {
        r["resource_type"].rstrip("*"): resource_keys.get(r["resource_type"].rstrip("*"), set())
        for r in privilege["resource_types"]
        if r["resource_type"]
    }
    return keys, types


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_condition_key_is_one_the_reference_gives_the_action(variant):
    """parliament leaves global keys (aws:...) unchecked: each one here must be an action's own key or,
    for aws:ResourceTag, a key of the resource type the statement names."""
    for found in organizer_policy("spring", **VARIANTS[variant])["Statement"]:
        keys = {
            key.replace("hackathon:event", "${TagKey}") for test in found.get("Condition", {}).values() for key in test
        }
        resources = found["Resource"] if isinstance(found["Resource"], list) else [found["Resource"]]
        kinds = {arn.split(":")[5].split("/")[0] for arn in resources if arn != "*"}
        for action in found["Action"]:
            action_keys, types = reference(action)
            for key in keys:
                if key.startswith("aws:ResourceTag/"):
                    assert kinds and all(key in types[kind] for kind in kinds), (found["Sid"], action, key)
                else:
                    assert key in action_keys, (found["Sid"], action, key)


def test_the_portals_policy_mints_urls_of_the_events_profiles_and_touches_only_its_items():
    policy = portal_policy("spring", [EU, US], account="123456789012")
    assert [str(finding) for finding in analyze_policy_string(json.dumps(policy)).findings] == []
    community = analyze_policy_string(json.dumps(policy), include_community_auditors=True).findings
    assert community == []
    urls, items = policy["Statement"]
    assert urls["Action"] == ["sagemaker:CreatePresignedDomainUrl"]
    assert urls["Resource"] == [
        "arn:aws:sagemaker:eu-west-1:123456789012:user-profile/d-abc123def456/*",
        "arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-xyz987/*",
    ]
    assert urls["Condition"] == {"StringEquals": {"aws:ResourceTag/hackathon:event": "spring"}}
    assert items["Action"] == ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    assert items["Condition"] == {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["spring"]}}
    # Nothing that creates, deletes or lists: the portal only opens the spaces that exist.
    assert allowed_actions(policy) == set(urls["Action"]) | set(items["Action"])
    for found in policy["Statement"]:
        for action in found["Action"]:
            keys, types = reference(action)
            for key in (k for test in found["Condition"].values() for k in test):
                if key.startswith("aws:ResourceTag/"):
                    assert key.replace("hackathon:event", "${TagKey}") in types["user-profile"]
                else:
                    assert key in keys, (action, key)


def test_the_portals_policy_in_email_mode_sends_from_the_events_sender_only():
    emailing = [{**EU, "email_sender": "portal@example.org"}, US]
    policy = portal_policy("spring", emailing, account="123456789012")
    assert [str(finding) for finding in analyze_policy_string(json.dumps(policy)).findings] == []
    assert analyze_policy_string(json.dumps(policy), include_community_auditors=True).findings == []
    send = policy["Statement"][-1]
    assert send["Action"] == ["ses:SendEmail"]
    assert send["Resource"] == ["arn:aws:ses:eu-west-1:123456789012:identity/portal@example.org"]
    assert send["Condition"] == {"StringEquals": {"ses:FromAddress": ["portal@example.org"]}}
    keys, _types = reference("ses:SendEmail")
    assert "ses:FromAddress" in keys
    assert len(portal_policy("spring", [EU, US], account="123456789012")["Statement"]) == 2  # codes only: no SES
    with pytest.raises(ValueError, match="^email sender 'portal@\\*' is not valid$"):
        portal_policy("spring", [{**EU, "email_sender": "portal@*"}])


def test_team_roles_are_managed_only_under_the_events_path_and_tag():
    policy = organizer_policy("spring", [dict(EU, iam_path="/hackathon-studio/spring/")], account="123456789012")
    roles = ["arn:aws:iam::123456789012:role/hackathon-studio/spring/*"]
    creating = statement(policy, "CreateTeamRolesTaggedWithTheEvent")
    assert creating["Resource"] == roles and creating["Condition"] == {
        "StringEquals": {"aws:RequestTag/hackathon:event": "spring"},
        "ForAllValues:StringEquals": {"aws:TagKeys": ["hackathon:event", "hackathon:team"]},
    }
    changing = statement(policy, "ChangeOnlyTheEventsTeamRoles")
    assert "iam:DeleteRole" in changing["Action"] and changing["Resource"] == roles
    assert changing["Condition"] == {"StringEquals": {"aws:ResourceTag/hackathon:event": "spring"}}
    assert statement(policy, "PassTheTeamRolesToSageMaker")["Resource"] == roles
    assert "sagemaker:UpdateUserProfile" in statement(policy, "UserProfilesOfTheEvent")["Action"]
    without = organizer_policy("spring", [EU], account="123456789012")
    assert not [a for a in allowed_actions(without) if a.startswith("iam:")]


def test_the_events_lifecycle_configurations_by_name_and_tag_and_its_image_read_only():
    policy = organizer_policy("spring", [EU])
    configs = ["arn:aws:sagemaker:eu-west-1:*:studio-lifecycle-config/hackathon-spring-*"]
    create = statement(policy, "CreateLifecycleConfigsWithTheEventTag")
    assert create["Resource"] == configs and create["Condition"]["StringEquals"] == {
        "aws:RequestTag/hackathon:event": "spring"
    }
    tagging = statement(policy, "TagLifecycleConfigsOnlyWhileCreating")["Condition"]["StringEquals"]
    assert tagging["sagemaker:TaggingAction"] == ["CreateStudioLifecycleConfig"]
    delete = statement(policy, "DeleteTheEventsLifecycleConfigs")
    assert delete["Condition"] == {"StringEquals": {"aws:ResourceTag/hackathon:event": "spring"}}
    assert not {"sagemaker:DescribeImage", "sagemaker:UpdateUserProfile"} & allowed_actions(policy)

    material = organizer_policy("spring", [dict(EU, lifecycle_config=True, image="course")])
    assert statement(material, "ReadTheEventsImage")["Resource"] == [
        "arn:aws:sagemaker:eu-west-1:*:app-image-config/course",
        "arn:aws:sagemaker:eu-west-1:*:image-version/course/*",
        "arn:aws:sagemaker:eu-west-1:*:image/course",
    ]
    profiles = statement(material, "UserProfilesOfTheEvent")["Action"]
    assert "sagemaker:UpdateUserProfile" in profiles and "iam:PassRole" not in allowed_actions(material)
    with pytest.raises(ValueError, match="SageMaker image name"):
        organizer_policy("spring", [dict(EU, image="bad name")])
