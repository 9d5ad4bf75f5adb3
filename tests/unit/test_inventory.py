"""Reading a whole domain with tags: module_utils/inventory.py, with a stand-in API."""

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils._studio.domain import Domain
from ansible_collections.hackathon.studio.plugins.module_utils.inventory import Inventory
from ansible_collections.hackathon.studio.plugins.module_utils.scope import carries as matches
from botocore.exceptions import ClientError

PREFIX = "arn:aws:sagemaker:us-east-1:123456789012"
EVENT = {"hackathon:event": "spring"}


class FakeApi:
    def __init__(self, tags, deny=()):
        self.tags = tags  # arn -> dict
        self.deny = set(deny)
        self.tag_calls = []

    def list_all(self, operation, key, **params):
        return {
            "ListUserProfiles": [
                {"UserProfileName": "ada", "Status": "InService"},
                {"UserProfileName": "zed", "Status": "InService"},
            ],
            "ListSpaces": [
                {
                    "SpaceName": "ada-space",
                    "Status": "InService",
                    "SpaceSettingsSummary": {"AppType": "JupyterLab"},
                    "OwnershipSettingsSummary": {"OwnerUserProfileName": "ada"},
                    "SpaceSharingSettingsSummary": {"SharingType": "Private"},
                }
            ],
            "ListApps": [
                {
                    "SpaceName": "ada-space",
                    "AppType": "JupyterLab",
                    "AppName": "default",
                    "Status": "InService",
                    "ResourceSpec": {"InstanceType": "ml.t3.medium"},
                },
                {
                    "SpaceName": "old",
                    "AppType": "CodeEditor",
                    "AppName": "default",
                    "Status": "Deleted",
                    "ResourceSpec": {"InstanceType": "ml.t3.large"},
                },
            ],
        }[operation]

    def call(self, operation, **params):
        if operation == "DescribeDomain":
            return {"DomainArn": f"{PREFIX}:domain/d-1"}
        assert operation == "ListTags"
        arn = params["ResourceArn"]
        self.tag_calls.append(arn)
        if arn in self.deny:
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "denied"}}, operation)
        if arn not in self.tags:
            raise ClientError({"Error": {"Code": "ResourceNotFound", "Message": "gone"}}, operation)
        return {"Tags": [{"Key": k, "Value": v} for k, v in self.tags[arn].items()]}


TAGS = {
    f"{PREFIX}:user-profile/d-1/ada": {**EVENT, "CamelKey": "x"},
    # zed: deleted between the list and its ListTags
    f"{PREFIX}:space/d-1/ada-space": EVENT,
    f"{PREFIX}:app/d-1/ada-space/jupyterlab/default": {"other": "1"},
}


def test_everything_with_tags_snake_case_and_flat_fields():
    api = FakeApi(TAGS)
    inventory = Inventory(Domain(api, "d-1", concurrency=4))
    found = inventory.collect()
    assert [p["name"] for p in found["user_profiles"]] == ["ada"]  # zed vanished: left out
    assert found["user_profiles"][0]["tags"] == {**EVENT, "CamelKey": "x"}  # tag keys untouched
    [space] = found["spaces"]
    assert (space["name"], space["owner"], space["sharing"], space["app_type"]) == (
        "ada-space",
        "ada",
        "private",
        "JupyterLab",
    )
    assert space["ownership_settings_summary"] == {"owner_user_profile_name": "ada"}
    [app] = found["apps"]  # the Deleted app is left out by default, and its tags never read
    assert (app["name"], app["space"], app["user_profile"], app["app_type"], app["instance_type"], app["status"]) == (
        "default",
        "ada-space",
        None,
        "JupyterLab",
        "ml.t3.medium",
        "InService",
    )
    assert not any("/old/" in arn for arn in api.tag_calls)
    assert inventory.warnings == []


def test_tag_filter_and_deleted_apps():
    api = FakeApi(TAGS)
    found = Inventory(Domain(api, "d-1")).collect(tags=EVENT, include_deleted_apps=True)
    assert [p["name"] for p in found["user_profiles"]] == ["ada"]
    assert [s["name"] for s in found["spaces"]] == ["ada-space"]
    assert found["apps"] == []  # the live app lacks the tag; the Deleted one has no tags read
    everything = Inventory(Domain(api, "d-1")).collect(include_deleted_apps=True)
    assert [(a["space"], a["status"], a["tags"]) for a in everything["apps"]] == [
        ("ada-space", "InService", {"other": "1"}),
        ("old", "Deleted", {}),
    ]
    assert not any("/old/" in arn for arn in api.tag_calls)


def test_access_denied_on_list_tags_degrades_with_one_warning():
    denied = f"{PREFIX}:space/d-1/ada-space"
    inventory = Inventory(Domain(FakeApi(TAGS, deny=[denied]), "d-1"))
    found = inventory.collect(tags=EVENT)
    assert [p["name"] for p in found["user_profiles"]] == ["ada"]
    assert found["spaces"] == []  # its tags are unknown: a filter never lets it through
    [warning] = inventory.warnings
    assert "1 resources" in warning and "filter leaves them out" in warning
    unfiltered = Inventory(Domain(FakeApi(TAGS, deny=[denied]), "d-1")).collect()
    assert unfiltered["spaces"][0]["tags"] == {}


def test_matches_compares_values_as_text():
    assert matches({"a": "1", "b": "2"}, {"a": 1})
    assert matches({"a": "1"}, None) and matches({}, {})
    assert not matches({"a": "1"}, {"a": "1", "b": "2"})
    assert not matches({"a": "10"}, {"a": "1"})
