# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Everything of a domain in one read: user profiles, spaces and apps, with their tags, optionally filtered.

Three paginated List* calls (run at once) find the resources; one ListTags per resource, on the
batch runner, reads their tags, since no List* call returns them. Apps in ``Deleted`` or ``Failed``
status have no ListTags call (AWS refuses it); Deleted ones are listed only when asked for. A
resource that AWS says is gone when its tags are read was deleted since it was listed: it is left out.
"""

from __future__ import annotations

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.hackathon.studio.plugins.module_utils._studio.apps import Apps
from ansible_collections.hackathon.studio.plugins.module_utils._studio.profiles import UserProfiles
from ansible_collections.hackathon.studio.plugins.module_utils._studio.spaces import Spaces
from ansible_collections.hackathon.studio.plugins.module_utils.api import error_code, is_gone
from ansible_collections.hackathon.studio.plugins.module_utils.batch import Outcome, run_batch
from ansible_collections.hackathon.studio.plugins.module_utils.scope import Records, carries, owned

ACCESS_DENIED_CODES = frozenset(("AccessDenied", "AccessDeniedException"))
SINGULAR = {"user_profiles": "user profile", "spaces": "space", "apps": "app"}


class Inventory:
    """``Inventory(domain).collect(tags=..., include_deleted_apps=...)``; warnings in ``.warnings``."""

    def __init__(self, domain) -> None:
        self.domain = domain
        self.managers = {"user_profiles": UserProfiles(domain), "spaces": Spaces(domain), "apps": Apps(domain)}
        self.warnings: list = []

    def collect(
        self,
        tags: dict | None = None,
        include_deleted_apps: bool = False,
        read_tags: bool = True,
        kinds=None,
        recorded: dict | None = None,
        owned: bool = False,
    ) -> dict:
        """``{"user_profiles": [...], "spaces": [...], "apps": [...]}``, snake_case, sorted by name.

        With ``tags``, a resource is kept when it carries every one of these keys with this value, or
        when ``recorded`` (kind -> [{name, creation_time}]) vouches for it: then its tags are not read.
        With ``owned``, what the kept profiles and spaces own is kept too (see scope.owned), and apps'
        tags are not read. Without ``read_tags`` (and so without ``tags``) only the list calls are
        made; tags are None. With ``kinds``, only those kinds are listed (and returned).
        """
        kinds = [kind for kind in self.managers if kinds is None or kind in kinds]
        records = {kind: Records((recorded or {}).get(kind)) for kind in kinds}
        found = self._list(kinds, include_deleted_apps)
        self.domain.scope_tags = tags or {}  # a record vouches only with the tagging index's word
        vouched = self._vouched(kinds, found, records)
        # Tags are not read where the registry vouches, nor for apps that their owner vouches for.
        skipped = [v or (owned and f[0] == "apps") or not read_tags for f, v in zip(found, vouched)]
        read = iter(self._read_tags([f for f, skip in zip(found, skipped) if not skip]))
        described: dict = {kind: [] for kind in kinds}  # every resource, whether kept or not
        result: dict = {kind: [] for kind in kinds}
        denied = 0
        for (kind, key, summary), is_vouched, skip in zip(found, vouched, skipped):
            outcome = Outcome(None) if skip else next(read)
            if outcome.error is not None:
                if is_gone(outcome.error):  # deleted since it was listed
                    continue
                if error_code(outcome.error) not in ACCESS_DENIED_CODES:
                    raise outcome.error
                denied += 1
            resource_tags = outcome.value if outcome.error is None else {}
            resource = describe(kind, key, summary, resource_tags)
            described[kind].append(resource)
            if is_vouched or (not (owned and kind == "apps") and carries(resource_tags, tags)):
                resource["proof"] = "registry" if is_vouched else "tag" if tags else None
                result[kind].append(resource)
            elif records[kind].expects(key):
                self.warnings.append(
                    f"{SINGULAR[kind]} {key} of domain {self.domain.domain_id} has a name the event uses, but "
                    "neither the event's tag nor the identity the registry recorded: it is not the event's and is "
                    "left alone"
                )
        if denied:
            self.warnings.append(
                f"Permission denied listing tags of {denied} resources of domain {self.domain.domain_id}: "
                "they are returned with no tags" + (", so the tags filter leaves them out" if tags else "")
            )
        if owned:
            self._add_owned(result, described)
        for kind in kinds:
            result[kind].sort(key=sort_key(kind))
        return result

    def _list(self, kinds, include_deleted_apps: bool) -> list:
        """(kind, key, summary) of every resource of ``kinds``, each kind listed in parallel."""
        reads = run_batch(kinds, lambda kind: self.managers[kind].read(), len(kinds))
        for outcome in reads:
            if outcome.error is not None:
                raise outcome.error
        return [
            (kind, key, summary)
            for kind, outcome in zip(kinds, reads)
            for key, summary in outcome.value.items()
            if include_deleted_apps or kind != "apps" or summary.get("Status") != "Deleted"
        ]

    def _vouched(self, kinds, found: list, records: dict) -> list:
        """Whether the registry's record, confirmed by the tagging index, vouches for each found resource."""
        for kind in kinds:  # one look at the tagging index for every recorded resource of a kind
            listed = {key: summary for found_kind, key, summary in found if found_kind == kind}
            self.managers[kind].confirm_records(listed, records[kind])
        return [
            self.domain.vouches(
                self.managers[kind].arn_kind, self.managers[kind].arn_path(key), key, summary, records[kind]
            )
            for kind, key, summary in found
        ]

    def _read_tags(self, to_read: list) -> list:
        """The tags of each (kind, key, summary), as batch outcomes in the same order."""
        if to_read:  # the ARN prefix is read once here, not by every worker at once
            self.domain.arn("user-profile", "")
        return run_batch(to_read, self._tags_of, self.domain.concurrency)

    @staticmethod
    def _add_owned(result: dict, described: dict) -> None:
        """Add what the kept user profiles and spaces own: it is the event's, and must go before them."""
        profiles = {p["name"] for p in result.get("user_profiles", [])}
        spaces = {s["name"] for s in result.get("spaces", [])}
        private, apps = owned(profiles, spaces, described.get("spaces", []), described.get("apps", []))
        for resource in private + apps:
            resource["proof"] = "owner"
        if "spaces" in result:
            result["spaces"].extend(private)
        if "apps" in result:
            result["apps"] = apps

    def _tags_of(self, found) -> dict:
        kind, key, summary = found
        if kind == "apps" and summary.get("Status") in ("Deleted", "Failed"):
            return {}  # AWS refuses ListTags of these (a failed app was deleted by AWS): nothing to read
        manager = self.managers[kind]
        return self.domain.read_tags(self.domain.arn(manager.arn_kind, manager.arn_path(key)))


def describe(kind: str, key, summary: dict, tags: dict) -> dict:
    """The List* summary in snake_case, tags as a dict, with the fields every kind is known by on top."""
    described = camel_dict_to_snake_dict(dict(summary, tags=tags), ignore_list=["tags"])
    described["status"] = summary.get("Status")
    if kind == "user_profiles":
        described["name"] = key
    elif kind == "spaces":
        described["name"] = key
        described["owner"] = (summary.get("OwnershipSettingsSummary") or {}).get("OwnerUserProfileName")
        # a space without sharing settings is open to every user of the domain: shared
        described["sharing"] = (
            (summary.get("SpaceSharingSettingsSummary") or {}).get("SharingType") or "Shared"
        ).lower()
        described["app_type"] = (summary.get("SpaceSettingsSummary") or {}).get("AppType")
    else:
        owner_kind, owner, app_type, name = key
        described["name"] = name
        described["space"] = owner if owner_kind == "space" else None
        described["user_profile"] = owner if owner_kind == "user" else None
        described["app_type"] = app_type
        described["instance_type"] = (summary.get("ResourceSpec") or {}).get("InstanceType")
    return described


def sort_key(kind: str):
    """Profiles and spaces by name; apps by their space or user profile, then type and name."""
    if kind != "apps":
        return lambda described: described["name"]
    return lambda app: (app["space"] or app["user_profile"] or "", app["app_type"], app["name"])
