# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The spaces of a Studio domain (key: the space's name)."""

from __future__ import annotations

import copy
import hashlib
import json

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import ItemError, Manager
from ansible_collections.hackathon.studio.plugins.module_utils._studio.cascade import SpaceContents
from ansible_collections.hackathon.studio.plugins.module_utils._studio.images import describe_image
from ansible_collections.hackathon.studio.plugins.module_utils.lifecycle import check_repository_urls
from ansible_collections.hackathon.studio.plugins.module_utils.plan import SHARED_SPACE_APP_TYPES

IMMUTABLE = ("app_type", "owner", "sharing")  # what cannot change without deleting the space and its data
# The event's material (issue 15): JupyterLab's only. A Code Editor space has no CodeRepositories
# (SpaceCodeEditorAppSettings in botocore's model), and the event's lifecycle script and image are JupyterLab's.
MATERIAL = ("code_repositories", "lifecycle_config", "image")
# What the app type's settings block holds; DescribeSpace reads it, and an update sends it whole.
APP_OPTIONS = ("idle_timeout", *MATERIAL)


def idle_timeout_needs_app_type(name: str, options=("idle_timeout",)) -> ItemError:
    return ItemError(f"space {name}: {', '.join(options)} needs app_type, the settings are per app type")


class Spaces(Manager):
    kind = "space"
    arn_kind = "space"
    list_operation, list_key, name_field, name_filter = "ListSpaces", "Spaces", "SpaceName", "SpaceNameContains"
    watches = True
    create_operation, update_operation, delete_operation = "CreateSpace", "UpdateSpace", "DeleteSpace"
    describe_operation = "DescribeSpace"
    contents = SpaceContents  # its apps: AWS refuses to delete a space while an app lives in it

    def __init__(self, domain):
        super().__init__(domain)
        self._images = {}  # (name, version) -> the image as described, once per run

    @staticmethod
    def app_settings_key(app_type) -> str:
        return "CodeEditorAppSettings" if app_type == "CodeEditor" else "JupyterLabAppSettings"

    def settings(self, item) -> dict:
        settings = {}
        if item.get("app_type"):
            settings["AppType"] = item["app_type"]
        if item.get("storage_size"):
            settings["SpaceStorageSettings"] = {"EbsStorageSettings": {"EbsVolumeSizeInGb": item["storage_size"]}}
        if any(item.get(k) is not None for k in APP_OPTIONS):
            if not item.get("app_type"):
                raise idle_timeout_needs_app_type(item["name"], [k for k in APP_OPTIONS if item.get(k) is not None])
            block = self.app_settings(item, {}, item["app_type"])
            if block:
                settings[self.app_settings_key(item["app_type"])] = block
        return settings

    def app_settings(self, item, base: dict, app_type: str) -> dict:
        """The app type's settings block with the item's settings over ``base`` (the space's current one:
        an update replaces the block whole, so what the item does not set is kept from it)."""
        offending = [k for k in MATERIAL if item.get(k)]
        if app_type != "JupyterLab" and offending:
            raise ItemError(
                f"space {item['name']}: {', '.join(offending)} are for JupyterLab spaces, not {app_type} ones "
                "(a Code Editor space has no CodeRepositories: SpaceCodeEditorAppSettings in botocore's model)"
            )
        problems = check_repository_urls(item["code_repositories"]) if item.get("code_repositories") else []
        if problems:
            raise ItemError(f"space {item['name']}: {'; '.join(problems)}")
        block = copy.deepcopy(base or {})
        if item.get("idle_timeout") is not None:
            idle = block.setdefault("AppLifecycleManagement", {}).setdefault("IdleSettings", {})
            idle["IdleTimeoutInMinutes"] = item["idle_timeout"]
        if item.get("code_repositories") is not None:
            block["CodeRepositories"] = [{"RepositoryUrl": url} for url in item["code_repositories"]]
            if not item["code_repositories"] and "CodeRepositories" not in (base or {}):
                del block["CodeRepositories"]  # none asked, none there: nothing to say
        spec = dict(block.get("DefaultResourceSpec") or {})
        # What the space's app runs unless CreateApp says otherwise: the event's lifecycle configuration
        # (it must also be attached to the owner's user profile or the domain: LifecycleConfigArns) and image.
        if item.get("lifecycle_config") is not None:
            _set_or_drop(spec, "LifecycleConfigArn", item["lifecycle_config"])
        if item.get("image") is not None:
            image = self.image(item)
            _set_or_drop(spec, "SageMakerImageArn", image.get("image_arn"))
            _set_or_drop(spec, "SageMakerImageVersionArn", image.get("image_version_arn"))
        if spec:
            block["DefaultResourceSpec"] = spec
        else:
            block.pop("DefaultResourceSpec", None)
        return block

    def image(self, item) -> dict:
        """The item's image, described once per run (all the spaces of a batch share it); {} for none."""
        if not item.get("image"):
            return {}
        key = (item["image"], item.get("image_version"))
        if key not in self._images:
            self._images[key] = describe_image(self.api, item["image"], item.get("image_version"))
        return self._images[key]

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
        changed = {k: v for k, v in wanted.items() if current.get(k) != v}
        before = {k: current.get(k) for k in wanted}
        after = {**before, **changed}
        update = {"DomainId": self.domain.domain_id, "SpaceName": name}
        settings = self.settings({**changed, "name": name})
        app_options = [k for k in APP_OPTIONS if item.get(k) is not None]
        if app_options and self.domain.recorded.settled(name, summary, self.asked_settings(item)):
            app_options = []  # the event set exactly these, and the registry vouches for it: no DescribeSpace
        if app_options:
            app_type = item.get("app_type") or current["app_type"]
            if not app_type:
                raise idle_timeout_needs_app_type(name, app_options)
            base = self._app_settings_now(name, app_type)
            block = self.app_settings(item, base, app_type)
            before.update({k: _view(base, k) for k in app_options})
            after.update({k: _view(block, k) for k in app_options})
            if block != base:
                settings[self.app_settings_key(app_type)] = block
        if settings:
            update["SpaceSettings"] = settings
        if "display_name" in changed:
            update["SpaceDisplayName"] = changed["display_name"]
        return before, after, (update if len(update) > 2 else None)

    @staticmethod
    def asked_settings(item) -> dict:
        """The app settings an item asks for, each value in short ({}: it asks none). The registry keeps
        them with the space once set, so that a re-run need not describe every space to compare them."""
        asked = {k: item[k] for k in APP_OPTIONS if item.get(k) is not None}
        if asked:
            if "image" in asked:
                asked["image_version"] = item.get("image_version")
            asked["app_type"] = item.get("app_type")
        return {k: hashlib.sha256(json.dumps(v).encode()).hexdigest()[:12] for k, v in asked.items()}

    def recorded_settings(self, plan) -> str | None:
        """What the space has of the event's settings after this run, for the registry: what the record
        said (when it vouches for this very space), with what the item asked over it."""
        asked = self.asked_settings(plan.item)
        settings = {**self.domain.recorded.settings_of(plan.key, self.seen.get(plan.key)), **asked}
        return json.dumps(settings, sort_keys=True, separators=(",", ":")) if settings else None

    def _app_settings_now(self, name: str, app_type: str) -> dict:
        """The space's settings block of its app type (ListSpaces does not return it: one DescribeSpace)."""
        described = self.api.call("DescribeSpace", **self._identity(name))
        return (described.get("SpaceSettings") or {}).get(self.app_settings_key(app_type)) or {}


def _set_or_drop(spec: dict, key: str, value) -> None:
    """Set ``key``, or clear it: a version ARN with "None", the value AWS clears it with ("To clear the value
    set for SageMakerImageVersionArn, pass None as the value", ResourceSpec in botocore's model); an image
    version left there would win over any SageMakerImageArn."""
    if value:
        spec[key] = value
    elif key == "SageMakerImageVersionArn" and spec.get(key):
        spec[key] = "None"
    else:
        spec.pop(key, None)


def _view(block: dict, option: str):
    """What an app settings block says of one option, as the option gives it (for before/after)."""
    spec = block.get("DefaultResourceSpec") or {}
    if option == "idle_timeout":
        return block.get("AppLifecycleManagement", {}).get("IdleSettings", {}).get("IdleTimeoutInMinutes")
    if option == "code_repositories":
        return [repository["RepositoryUrl"] for repository in block.get("CodeRepositories") or []]
    if option == "lifecycle_config":
        return spec.get("LifecycleConfigArn") or ""
    version = spec.get("SageMakerImageVersionArn")
    return (version if version != "None" else None) or spec.get("SageMakerImageArn") or ""
