# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The user profiles of a Studio domain (key: the profile's name)."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import Manager
from ansible_collections.hackathon.studio.plugins.module_utils._studio.cascade import ProfileContents


class UserProfiles(Manager):
    kind = "user profile"
    arn_kind = "user-profile"
    list_operation, list_key = "ListUserProfiles", "UserProfiles"
    name_field, name_filter = "UserProfileName", "UserProfileNameContains"
    create_operation, update_operation = "CreateUserProfile", "UpdateUserProfile"
    delete_operation, describe_operation = "DeleteUserProfile", "DescribeUserProfile"
    contents = ProfileContents  # its spaces and apps: AWS refuses to delete a profile that has any

    def _create_params(self, item) -> dict:
        params = {"DomainId": self.domain.domain_id, "UserProfileName": item["name"]}
        if item.get("execution_role"):
            params["UserSettings"] = {"ExecutionRole": item["execution_role"]}
        if item.get("tags"):
            params["Tags"] = ansible_dict_to_boto3_tag_list(item["tags"])
        return params

    def compare(self, item, summary) -> tuple:
        """Only the execution role can differ (List* does not return it: one DescribeUserProfile)."""
        if not item.get("execution_role"):
            return {}, {}, None
        described = self.api.call("DescribeUserProfile", **self._identity(item["name"]))
        current = (described.get("UserSettings") or {}).get("ExecutionRole")
        if current == item["execution_role"]:
            return {"execution_role": current}, {"execution_role": current}, None
        update = dict(self._identity(item["name"]), UserSettings={"ExecutionRole": item["execution_role"]})
        return {"execution_role": current}, {"execution_role": item["execution_role"]}, update
