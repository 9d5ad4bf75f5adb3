# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The user profiles of a Studio domain (key: the profile's name)."""

from __future__ import annotations

import copy

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import Manager
from ansible_collections.hackathon.studio.plugins.module_utils._studio.cascade import ProfileContents
from ansible_collections.hackathon.studio.plugins.module_utils._studio.images import custom_image

# What a profile's JupyterLabAppSettings holds of the event's material (issue 15).
MATERIAL = ("lifecycle_config", "image")


class UserProfiles(Manager):
    kind = "user profile"
    arn_kind = "user-profile"
    list_operation, list_key = "ListUserProfiles", "UserProfiles"
    name_field, name_filter = "UserProfileName", "UserProfileNameContains"
    watches = True
    create_operation, update_operation = "CreateUserProfile", "UpdateUserProfile"
    delete_operation, describe_operation = "DeleteUserProfile", "DescribeUserProfile"
    contents = ProfileContents  # its spaces and apps: AWS refuses to delete a profile that has any

    def _create_params(self, item) -> dict:
        params = {"DomainId": self.domain.domain_id, "UserProfileName": item["name"]}
        settings = self.user_settings(item, {})
        if settings:
            params["UserSettings"] = settings
        if item.get("tags"):
            params["Tags"] = ansible_dict_to_boto3_tag_list(item["tags"])
        return params

    @staticmethod
    def user_settings(item, current: dict) -> dict:
        """The UserSettings the item sets, over ``current`` (the profile's: an update replaces
        JupyterLabAppSettings whole, so what the item does not set is kept from it)."""
        settings = {}
        if item.get("execution_role"):
            settings["ExecutionRole"] = item["execution_role"]
        if any(item.get(k) is not None for k in MATERIAL):
            settings["JupyterLabAppSettings"] = jupyterlab_settings(item, current.get("JupyterLabAppSettings") or {})
        return {k: v for k, v in settings.items() if v}

    def compare(self, item, summary) -> tuple:
        """The execution role and the material can differ (List* returns neither: one DescribeUserProfile)."""
        options = [k for k in ("execution_role", *MATERIAL) if item.get(k) is not None]
        if not options:
            return {}, {}, None
        described = self.api.call("DescribeUserProfile", **self._identity(item["name"]))
        current = described.get("UserSettings") or {}
        wanted = self.user_settings(item, current)
        before = {k: _view(current, k) for k in options}
        after = {k: _view({**current, **wanted}, k) for k in options}
        changed = {k: v for k, v in wanted.items() if current.get(k, {} if k != "ExecutionRole" else None) != v}
        if not changed:
            return before, after, None
        return before, after, dict(self._identity(item["name"]), UserSettings=changed)


def jupyterlab_settings(item, base: dict) -> dict:
    """A profile's JupyterLabAppSettings with the event's lifecycle configuration attached and made the
    default (LifecycleConfigArns and DefaultResourceSpec.LifecycleConfigArn, as AWS's auto-stop-idle sample
    attaches its own), and the event's image in CustomImages; an empty value detaches."""
    block = copy.deepcopy(base)
    spec = dict(block.get("DefaultResourceSpec") or {})
    if item.get("lifecycle_config") is not None:
        # "To remove a lifecycle config, you must set LifecycleConfigArns to an empty list" (botocore's model)
        block["LifecycleConfigArns"] = [item["lifecycle_config"]] if item["lifecycle_config"] else []
        if item["lifecycle_config"]:
            spec["LifecycleConfigArn"] = item["lifecycle_config"]
        else:
            spec.pop("LifecycleConfigArn", None)
        if not block["LifecycleConfigArns"] and "LifecycleConfigArns" not in base:
            del block["LifecycleConfigArns"]
    if item.get("image") is not None:
        images = (
            [custom_image(item["image"], item.get("image_version"), item.get("image_app_config"))]
            if item["image"]
            else []
        )
        block["CustomImages"] = images
        if not images and "CustomImages" not in base:
            del block["CustomImages"]
    if spec:
        block["DefaultResourceSpec"] = spec
    else:
        block.pop("DefaultResourceSpec", None)
    return block


def _view(settings: dict, option: str):
    """What UserSettings say of one option, as the option gives it (for before/after)."""
    if option == "execution_role":
        return settings.get("ExecutionRole")
    block = settings.get("JupyterLabAppSettings") or {}
    if option == "lifecycle_config":
        return (block.get("LifecycleConfigArns") or [""])[0]
    images = block.get("CustomImages") or []
    return images[0]["ImageName"] if images else ""
