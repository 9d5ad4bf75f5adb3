# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's planning, as pure functions: what to create, what to delete and in which order,
quota needs, who gets which space. Modules and filters call these; YAML only orders the steps."""

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.quotas import increase_request
from ansible_collections.hackathon.studio.plugins.module_utils.roster import space_name

# The app types the collection runs in a space (botocore's AppType enum has more; these are Studio's IDEs).
APP_TYPES = ("JupyterLab", "CodeEditor")

# The app types a shared space (a team space) runs: AWS offers shared spaces for JupyterLab only
# (developer guide, "Collaboration with shared spaces"; Code Editor in shared spaces is an open request,
# aws/amazon-sagemaker-feedback#215). Code Editor runs in private spaces.
SHARED_SPACE_APP_TYPES = ("JupyterLab",)

# An app in these statuses runs or is starting: it costs money, and it is what teardown stops and
# preflight counts against the instance type's quota. (A Deleting app still blocks its space's
# deletion, and the emulator counts it against the quota until it is gone: the cascade waits for it.)
LIVE_APP_STATUSES = ("Pending", "InService")

# The app a space shows in the status table: a live one, or one on its way out or broken. Only a
# Deleted app is gone: it is no longer the space's app.
SHOWN_APP_STATUSES = LIVE_APP_STATUSES + ("Deleting", "Failed")

QUOTA_KINDS = ("user_profiles", "spaces", "apps")


def _names(items, key="name") -> list:
    return [item[key] for item in items]


def _present(item: dict) -> dict:
    return {key: value for key, value in item.items() if value is not None}


def _new(wanted, existing) -> int:
    """How many of ``wanted`` are not among ``existing`` (names)."""
    return len(set(wanted) - set(existing))


def quota_kinds(roster: dict, registered=(), personal_spaces: bool = False, start_apps: bool = False) -> list:
    """The kinds preflight lists to check a quota: those the event may grow (studio_quota_info lists
    them when their quota is known).

    Profiles and team spaces the registry names (``registered``, its participants, when known before
    the listing) were created by an earlier setup: when the roster names no other, nothing new can
    overrun their quota. Private spaces are not in the registry, so asking for them always counts the
    spaces; apps count when started.
    """
    grows = {
        "user_profiles": _new(_names(roster["user_profiles"]), _names(registered, "user_profile")) > 0,
        "spaces": personal_spaces or _new(_names(roster["spaces"]), _names(registered, "space")) > 0,
        "apps": start_apps,
    }
    return [kind for kind in QUOTA_KINDS if grows[kind]]


def quota_needs(
    found: dict,
    roster: dict,
    quotas: dict,
    organizer: str,
    instance_type: str,
    personal_spaces: bool,
    codes=None,
    region: str = "",
) -> dict:
    """Per kind preflight listed (``found``'s keys): ``{exist, new, quota, fits, ask}``.

    ``exist`` counts what the domain holds (for apps: those live on ``instance_type``, what the quota
    counts), ``new`` what the event adds that is not there yet (names), ``fits`` whether both fit, and
    ``ask`` what to do when not (with the quota's ``codes`` known, the ready-to-run increase request).
    """
    spaces = roster["spaces"] + (roster["personal_spaces"] if personal_spaces else [])
    wanted = {
        "user_profiles": _names(roster["user_profiles"]) + [organizer],
        "spaces": _names(spaces),
        # One app per team space; with strict isolation the roster has none, and apps start in the
        # participants' private spaces instead.
        "apps": _names(roster["spaces"] or roster["personal_spaces"]),
    }
    existing = {kind: found[kind] for kind in QUOTA_KINDS if kind in found}
    if "apps" in existing:
        existing["apps"] = [
            a
            for a in existing["apps"]
            if a.get("status") in LIVE_APP_STATUSES and a.get("instance_type") == instance_type
        ]
    needs = {}
    for kind, items in existing.items():
        names = _names(items, "space" if kind == "apps" else "name")
        need = {"exist": len(items), "new": _new(wanted[kind], names), "quota": quotas.get(kind)}
        need["fits"] = need["quota"] is None or need["exist"] + need["new"] <= int(need["quota"])
        need["ask"] = increase_request((codes or {}).get(kind), need["exist"] + need["new"], region)
        needs[kind] = need
    return needs


def teardown_lookup(registry: dict, organizer: str | None = None) -> dict:
    """What teardown's listing is told of, per kind: the registry's records, and the names it knows
    (the organizer's, when given, and the participants').

    A name vouches for nothing (the listing only warns about a resource that has one and no proof);
    a record (name and creation time) is the identity the event created.
    """
    participants = registry.get("participants") or []
    recorded = registry.get("recorded") or {}
    profiles = list(dict.fromkeys(([organizer] if organizer else []) + _names(participants, "user_profile")))
    spaces = list(dict.fromkeys(_names(participants, "space")))
    return {
        "user_profiles": [{"name": name} for name in profiles] + list(recorded.get("user_profiles") or []),
        "spaces": [{"name": name} for name in spaces] + list(recorded.get("spaces") or []),
    }


def teardown_targets(found: dict) -> dict:
    """What teardown removes, and what each removal waits for: nothing more than what blocks it.

    ``found`` is studio_resource_info's listing with ``owned``: everything in it is provably the
    event's (its ``proof``). AWS refuses to delete a space with a live app, and a user profile that
    owns spaces. A private space of an event profile (``proof`` owner, or private and owned by one of
    them) goes with its owner, in that profile's cascade; the other spaces go once their apps are
    stopped (``apps``: only the live ones, a Deleting one goes on its own). ``free_user_profiles``
    own none of those spaces and go at once, while the spaces go (in a check run too: it predicts
    them); ``owners`` (the organizer, who owns the team spaces) go once the spaces are gone. Returns
    the module items of each and ``lines``, what goes, for the person running it.
    """
    profiles = found.get("user_profiles") or []
    profile_names = set(_names(profiles))
    with_owner = {
        s["name"]
        for s in found.get("spaces") or []
        if s.get("proof") == "owner" or (s.get("sharing") == "private" and s.get("owner") in profile_names)
    }
    spaces = [s for s in found.get("spaces") or [] if s["name"] not in with_owner]
    live = [a for a in found.get("apps") or [] if a.get("space") and a.get("status") in LIVE_APP_STATUSES]
    apps = [a for a in live if a["space"] not in with_owner]
    owners = {s.get("owner") for s in spaces}
    running = ", ".join(f"the app in {a['space']}" for a in live)
    return {
        "apps": [_present({"space": a["space"], "app_type": a.get("app_type"), "app_name": a["name"]}) for a in apps],
        "spaces": [{"name": s["name"]} for s in spaces],
        "user_profiles": [{"name": p["name"]} for p in profiles],
        "free_user_profiles": [{"name": p["name"]} for p in profiles if p["name"] not in owners],
        "owners": [{"name": p["name"]} for p in profiles if p["name"] in owners],
        "lines": [
            f"apps to stop: {running or 'none'}",
            f"spaces to delete: {', '.join(sorted(_names(found.get('spaces') or []))) or 'none'}",
            f"user profiles to delete: {', '.join(sorted(_names(profiles))) or 'none'}",
        ],
    }


def select_participants(participants, team: str | None = None, email: str | None = None) -> list:
    """The registry's participants of one ``team`` (as written in the roster, or its space name), of
    one ``email`` (in any case), or all of them. Raises ValueError when given both."""
    if team is not None and email is not None:
        raise ValueError("Give team or email, not both.")
    if team is not None:
        space = space_name(str(team))
        return [p for p in participants if p.get("space") == space]
    if email is not None:
        return [p for p in participants if str(p.get("email", "")).lower() == str(email).lower()]
    return list(participants)
