# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What proves a resource is the event's, so that nothing else is ever changed or deleted.

A name proves nothing: anyone may create ``evt1-organizer`` in a shared domain, or take a name the
event used once its own resource was deleted out of band. A user profile or space is the event's
when it carries the event's tag, or when its identity (name and ``CreationTime``, which List* returns
at no extra cost) is the one the registry recorded when the event created it. What such a resource
owns is the event's too: the apps of its spaces and user profiles and the private spaces of its
user profiles, which AWS binds to their owner and which must go before it can.
"""

from __future__ import annotations

import datetime
import json


def creation_time(value) -> str | None:
    """A CreationTime (a datetime from boto3, or its text from a result or the registry) as one
    canonical UTC text, so that the same instant always compares equal."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


class Records:
    """The resources of one kind the registry recorded: name -> creation time (None: only the name is
    expected, as for the organizer's profile before it was recorded, which vouches for nothing)."""

    def __init__(self, recorded=()):
        self.times = {r["name"]: creation_time(r.get("creation_time")) for r in recorded or ()}
        # What the event last set on each (each setting in short, _studio/spaces.py), as its result said.
        self.settings = {r["name"]: json.loads(r["settings"]) for r in recorded or () if r.get("settings")}

    def vouches(self, name: str, summary) -> bool:
        """Whether the listed resource is the very one recorded under its name: same name, same creation."""
        recorded = self.times.get(name)
        return bool(recorded and summary) and recorded == creation_time(summary.get("CreationTime"))

    def settings_of(self, name: str, summary) -> dict:
        """The settings recorded for this very resource ({} when the record does not vouch for it)."""
        return self.settings.get(name, {}) if self.vouches(name, summary) else {}

    def settled(self, name: str, summary, asked: dict) -> bool:
        """Whether the registry vouches that this very resource already has the ``asked`` settings: the
        event set them (a change made by hand since is not seen; a run that set them and was interrupted
        before the registry recorded it reads the resource again)."""
        recorded = self.settings_of(name, summary)
        return bool(asked) and all(recorded.get(k) == v for k, v in asked.items())

    def expects(self, name: str) -> bool:
        return name in self.times


def carries(resource_tags, wanted) -> bool:
    """Whether the resource carries every wanted tag with its value (values compared as text)."""
    resource_tags = resource_tags or {}
    return all(resource_tags.get(str(k)) == ("" if v is None else str(v)) for k, v in (wanted or {}).items())


def owned(profiles: set, spaces: set, all_spaces, all_apps) -> tuple:
    """What the event's user profiles and spaces (names) own, from the domain's described resources:
    (the private spaces of those profiles, the apps of those spaces and profiles)."""
    private = [
        s for s in all_spaces if s["sharing"] == "private" and s["owner"] in profiles and s["name"] not in spaces
    ]
    spaces = spaces | {s["name"] for s in private}
    apps = [a for a in all_apps if a["space"] in spaces or (a["space"] is None and a["user_profile"] in profiles)]
    return private, apps
