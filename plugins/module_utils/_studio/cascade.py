# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a space or a user profile owns, which AWS wants gone before it, and removing it first.

AWS refuses to delete a space while an app lives in it, and a user profile that owns spaces or has
apps. ``read`` lists what the resources about to be deleted own (a ListApps, and a ListSpaces for
profiles); from that listing alone, ``blockers`` says which of them cannot be deleted (a check: it
changes nothing) and ``cascade`` what a cascade deletes with each (in check mode, the prediction).
``remove`` then does it, through the managers of the owned kinds, waiting until it is gone.

A shared space is never deleted with its owner: others work in it.
"""

from __future__ import annotations


def _app(apps, key) -> dict:
    return {"kind": "app", "label": f"app {apps.label(key)}", **apps.fields(key)}


class SpaceContents:
    """The apps of spaces about to be deleted."""

    def __init__(self, domain, keys, app_listing: dict):
        self.domain = domain
        self.apps = domain.manager("app")
        self.live: dict = {}  # space -> keys of its apps not stopping (InService, Pending, Failed...)
        self.stopping: dict = {}  # space -> keys of its apps already stopping: waited for, cascade or not
        for app_key, summary in app_listing.items():
            if app_key[0] == "space" and app_key[1] in keys and summary["Status"] != "Deleted":
                found = self.stopping if summary["Status"] == "Deleting" else self.live
                found.setdefault(app_key[1], []).append(app_key)

    @classmethod
    def read(cls, domain, keys) -> SpaceContents:
        return cls(domain, keys, domain.manager("app").read())

    def blockers(self, cascade: bool) -> dict:
        """space -> why it cannot be deleted: without cascade, a live app in it."""
        if cascade:
            return {}
        return {
            key: f"space {key} still has apps {[self.apps.label(k) for k in found]}; stop them or set cascade: true"
            for key, found in self.live.items()
        }

    def cascade(self, key) -> list:
        """What a cascade deletes with the space: its live apps."""
        return [_app(self.apps, app_key) for app_key in self.live.get(key, [])]

    def remove(self, keys, cascade: bool) -> dict:
        """Wait for the stopping apps of these spaces and, with cascade, stop the live ones;
        space -> why it was not deleted."""
        todo = [k for key in keys for k in self.stopping.get(key, []) + (self.live.get(key, []) if cascade else [])]
        failures = {}
        for plan in self.apps.remove(todo) if todo else []:
            if plan.action == "failed":
                failures[plan.key[1]] = f"space {plan.key[1]} was not deleted: {plan.error}"
        return failures


class ProfileContents:
    """The spaces and apps of user profiles about to be deleted."""

    def __init__(self, domain, keys, space_listing: dict, app_listing: dict):
        self.domain = domain
        self.keys = list(keys)
        self.apps = domain.manager("app")
        self.private: dict = {}  # profile -> its private spaces, deleted with it by a cascade
        self.shared: dict = {}  # profile -> the shared spaces it owns, which block its deletion
        for name, summary in space_listing.items():
            owner = (summary.get("OwnershipSettingsSummary") or {}).get("OwnerUserProfileName")
            if owner in keys and summary.get("Status") != "Deleting":
                sharing = (summary.get("SpaceSharingSettingsSummary") or {}).get("SharingType")
                (self.private if sharing == "Private" else self.shared).setdefault(owner, []).append(name)
        self.own_apps: dict = {}  # profile -> its own apps (not those of its spaces) not yet stopped
        self.stopping: set = set()  # those of them already stopping
        for app_key, summary in app_listing.items():
            if app_key[0] == "user" and app_key[1] in keys and summary["Status"] != "Deleted":
                self.own_apps.setdefault(app_key[1], []).append(app_key)
                if summary["Status"] == "Deleting":
                    self.stopping.add(app_key)
        private = [space for spaces in self.private.values() for space in spaces]
        self.space_apps = SpaceContents(domain, private, app_listing)  # what deleting its private spaces stops

    @classmethod
    def read(cls, domain, keys) -> ProfileContents:
        return cls(domain, keys, domain.manager("space").read(), domain.manager("app").read())

    def blockers(self, cascade: bool) -> dict:
        """profile -> why it cannot be deleted: a shared space it owns; without cascade, anything it owns."""
        blocked = {}
        for key in self.keys:
            private, shared = sorted(self.private.get(key, [])), sorted(self.shared.get(key, []))
            if shared or (not cascade and (private or self.own_apps.get(key))):
                blocked[key] = (
                    f"user profile {key} still owns spaces {shared if cascade else private + shared} and has apps "
                    f"{[self.apps.label(k) for k in self.own_apps.get(key, [])]}; "
                    + (
                        "shared spaces are never deleted with their owner; delete them with studio_space first"
                        if cascade
                        else "delete them first or set cascade: true"
                    )
                )
        return blocked

    def cascade(self, key) -> list:
        """What a cascade deletes with the profile: its running apps, its private spaces and their apps."""
        gone = [_app(self.apps, k) for k in self.own_apps.get(key, []) if k not in self.stopping]
        for space in sorted(self.private.get(key, [])):
            gone += self.space_apps.cascade(space)
            gone.append({"kind": "space", "label": f"space {space}", "name": space})
        return gone

    def remove(self, keys, cascade: bool) -> dict:
        """Stop the apps and delete the private spaces of these profiles (a cascade only: without it,
        a profile that owns anything is refused); profile -> why it was not deleted."""
        if not cascade:
            return {}
        failures: dict = {}
        app_keys = [k for key in keys for k in self.own_apps.get(key, [])]
        for plan in self.apps.remove(app_keys) if app_keys else []:
            if plan.action == "failed":
                failures.setdefault(plan.key[1], []).append(plan.error)
        owner_of = {space: key for key in keys for space in self.private.get(key, [])}
        if owner_of:
            spaces = self.domain.cascading().manager("space")
            for plan in spaces.ensure_absent([{"name": space} for space in owner_of], cascade=True):
                if plan.action == "failed":
                    failures.setdefault(owner_of[plan.key], []).append(plan.error)
        return {key: f"user profile {key} was not deleted: " + "; ".join(errors) for key, errors in failures.items()}
