# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The spaces of a Studio domain (key: the space's name)."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import ItemError, Manager
from ansible_collections.hackathon.studio.plugins.module_utils._studio.cascade import SpaceContents
from ansible_collections.hackathon.studio.plugins.module_utils.plan import SHARED_SPACE_APP_TYPES

IMMUTABLE = ("app_type", "owner", "sharing")  # what cannot change without deleting the space and its data


def idle_timeout_needs_app_type(name: str) -> ItemError:
    return ItemError(f"space {name}: idle_timeout needs app_type, the idle settings are per app type")


class Spaces(Manager):
    kind = "space"
    arn_kind = "space"
    list_operation, list_key, name_field, name_filter = "ListSpaces", "Spaces", "SpaceName", "SpaceNameContains"
    create_operation, update_operation, delete_operation = "CreateSpace", "UpdateSpace", "DeleteSpace"
    describe_operation = "DescribeSpace"
    contents = SpaceContents  # its apps: AWS refuses to delete a space while an app lives in it

    @staticmethod
    def app_settings_key(app_type) -> str:
        return "CodeEditorAppSettings" if app_type == "CodeEditor" else "JupyterLabAppSettings"

    @classmethod
    def settings(cls, item) -> dict:
        settings = {}
        if item.get("app_type"):
            settings["AppType"] = item["app_type"]
        if item.get("storage_size"):
            settings["SpaceStorageSettings"] = {"EbsStorageSettings": {"EbsVolumeSizeInGb": item["storage_size"]}}
        if item.get("idle_timeout") is not None:
            if not item.get("app_type"):
                raise idle_timeout_needs_app_type(item["name"])
            settings[cls.app_settings_key(item["app_type"])] = {
                "AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": item["idle_timeout"]}}
            }
        return settings

    def _create_params(self, item) -> dict:
        params = {"DomainId": self.domain.domain_id, "SpaceName": item["name"]}
        settings = self.settings(item)
        if settings:
            params["SpaceSettings"] = settings
        if item.get("sharing") == "private" and not item.get("owner"):
            raise ItemError(f"space {item['name']}: a private space needs an owner")
        if item.get("app_type") and item["app_type"] not in SHARED_SPACE_APP_TYPES and item.get("sharing") != "private":
            raise ItemError(
                f"space {item['name']}: AWS runs {item['app_type']} in private spaces only; a shared space runs "
                + " or ".join(SHARED_SPACE_APP_TYPES)
            )
        if item.get("owner"):
            params["OwnershipSettings"] = {"OwnerUserProfileName": item["owner"]}
            params["SpaceSharingSettings"] = {
                "SharingType": "Private" if item.get("sharing") == "private" else "Shared"
            }
        if item.get("display_name"):
            params["SpaceDisplayName"] = item["display_name"]
        if item.get("tags"):
            params["Tags"] = ansible_dict_to_boto3_tag_list(item["tags"])
        return params

    @staticmethod
    def current(summary) -> dict:
        """What a ListSpaces summary says of the settings an item can set."""
        settings = summary.get("SpaceSettingsSummary") or {}
        return {
            "app_type": settings.get("AppType"),
            "owner": (summary.get("OwnershipSettingsSummary") or {}).get("OwnerUserProfileName"),
            # a space without sharing settings is open to every user of the domain: shared
            "sharing": ((summary.get("SpaceSharingSettingsSummary") or {}).get("SharingType") or "Shared").lower(),
            "storage_size": (settings.get("SpaceStorageSettings") or {})
            .get("EbsStorageSettings", {})
            .get("EbsVolumeSizeInGb"),
            "display_name": summary.get("SpaceDisplayName"),
        }

    def compare(self, item, summary) -> tuple:
        name = item["name"]
        current = self.current(summary)
        immutable = [k for k in IMMUTABLE if item.get(k) and item[k] != current[k]]
        if immutable:
            raise ItemError(
                f"space {name}: {', '.join(f'{k} is {current[k]!r}, not {item[k]!r}' for k in immutable)}; "
                "these cannot change without deleting the space and its data, so nothing was done"
            )
        if item.get("storage_size") and current["storage_size"] and item["storage_size"] < current["storage_size"]:
            raise ItemError(
                f"space {name}: storage_size is {current['storage_size']} GB and an EBS volume cannot shrink "
                f"to {item['storage_size']} GB, so nothing was done"
            )
        wanted = {k: item[k] for k in ("storage_size", "display_name") if item.get(k) is not None}
        app_type = item.get("app_type") or current["app_type"]
        if item.get("idle_timeout") is not None:
            current["idle_timeout"] = self._idle_timeout(name, app_type)
            wanted["idle_timeout"] = item["idle_timeout"]
        changed = {k: v for k, v in wanted.items() if current.get(k) != v}
        before = {k: current.get(k) for k in wanted}
        if not changed:
            return before, dict(before), None
        update = {"DomainId": self.domain.domain_id, "SpaceName": name}
        settings = self.settings({**changed, "name": name, "app_type": app_type})
        settings.pop("AppType", None)
        if settings:
            update["SpaceSettings"] = settings
        if "display_name" in changed:
            update["SpaceDisplayName"] = changed["display_name"]
        return before, {**before, **changed}, update

    def _idle_timeout(self, name: str, app_type) -> int | None:
        """The space's idle timeout (ListSpaces does not return it: one DescribeSpace)."""
        if not app_type:
            raise idle_timeout_needs_app_type(name)
        described = self.api.call("DescribeSpace", **self._identity(name))
        app_settings = (described.get("SpaceSettings") or {}).get(self.app_settings_key(app_type)) or {}
        return app_settings.get("AppLifecycleManagement", {}).get("IdleSettings", {}).get("IdleTimeoutInMinutes")
