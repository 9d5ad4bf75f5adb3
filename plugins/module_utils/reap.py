# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which of the event's running apps reap stops, and why, as pure functions.

Three rules, each optional: an app older than the event's maximum age (``studio_app_max_age``), any
app while the clock is outside the event's daily hours (``studio_event_hours``), and any app once the
event has ended (``studio_event_end``). Whose apps they are is proven elsewhere (scope.py): this
module only reads the apps' creation times and the clock.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

from ansible_collections.hackathon.studio.plugins.module_utils.plan import LIVE_APP_STATUSES

UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
MAX_AGE = re.compile(r"^\s*(\d+)\s*([dhms])\s*$")
HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})(?:\s+(\S+))?\s*$")


class ReapError(ValueError):
    """A reap setting that cannot be understood, in one line naming the variable."""


def parse_max_age(text) -> int | None:
    """``studio_app_max_age`` ("8h", "90m", "1d", "30s") in seconds; None when unset."""
    if text in (None, ""):
        return None
    match = MAX_AGE.match(str(text))
    if not match or int(match.group(1)) == 0:
        raise ReapError(
            f"studio_app_max_age {text!r} is not a duration: a whole number above 0 and a unit, d, h, m or s (e.g. 8h)"
        )
    return int(match.group(1)) * UNITS[match.group(2)]


def parse_event_hours(text) -> tuple | None:
    """``studio_event_hours`` ("08:00-20:00 Europe/Paris"; the zone defaults to UTC) as
    (start, end, tzinfo), start and end as datetime.time; None when unset. The window may cross
    midnight ("20:00-02:00")."""
    if text in (None, ""):
        return None
    match = HOURS.match(str(text))
    shape = "HH:MM-HH:MM and an optional IANA time zone, e.g. '08:00-20:00 Europe/Paris'"
    if not match:
        raise ReapError(f"studio_event_hours {text!r} is not {shape}")
    h1, m1, h2, m2, zone = match.groups()
    try:
        start, end = datetime.time(int(h1), int(m1)), datetime.time(int(h2), int(m2))
    except ValueError:
        raise ReapError(f"studio_event_hours {text!r} is not {shape}: no such time of day") from None
    if start == end:
        raise ReapError(f"studio_event_hours {text!r} starts when it ends: leave it unset for no daily window")
    return start, end, time_zone(zone or "UTC", "studio_event_hours")


def time_zone(name: str, variable: str):
    if name.upper() in ("UTC", "Z"):
        return datetime.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ReapError(
            f"{variable}: {name!r} is not a time zone this controller knows (IANA name, e.g. Europe/Paris)"
        ) from None


def parse_event_end(text) -> datetime.datetime | None:
    """``studio_event_end`` (ISO 8601 with its UTC offset, e.g. 2026-05-02T18:00:00+02:00) as an aware
    datetime; None when unset. A time without an offset is refused: whose clock would it be?"""
    if text in (None, ""):
        return None
    value = str(text).strip()
    try:
        end = datetime.datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise ReapError(f"studio_event_end {text!r} is not an ISO 8601 time, e.g. 2026-05-02T18:00:00+02:00") from None
    if end.tzinfo is None:
        raise ReapError(f"studio_event_end {text!r} has no UTC offset: add one, e.g. {value}+02:00 or {value}Z")
    return end


def within_hours(now: datetime.datetime, hours: tuple) -> bool:
    """Whether ``now`` (aware) is inside the daily window: start included, end excluded."""
    start, end, zone = hours
    clock = now.astimezone(zone).time().replace(tzinfo=None)
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end  # the window crosses midnight


def shown(seconds: float) -> str:
    """A duration as people read it: 9h 05m, 45m, 30s."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    if hours:
        return f"{hours}h {rest // 60:02d}m"
    return f"{rest // 60}m" if rest >= 60 else f"{seconds}s"


def reason_to_stop(created: datetime.datetime, now: datetime.datetime, max_age, hours, end) -> str | None:
    """Why an app created at ``created`` is to stop at ``now`` (the first rule that applies), or None."""
    if end is not None and now >= end:
        return f"the event ended at {end.isoformat()} (studio_event_end)"
    if hours is not None and not within_hours(now, hours):
        start, stop, zone = hours
        return f"outside the event's hours {start:%H:%M}-{stop:%H:%M} {zone} (studio_event_hours)"
    age = (now - created).total_seconds()
    if max_age is not None and age >= max_age:
        return f"running for {shown(age)}, max age {shown(max_age)} (studio_app_max_age)"
    return None


def apps_to_stop(apps, now: datetime.datetime, max_age=None, hours=None, end=None) -> list:
    """[(app, reason)] for the running apps (``status`` Pending or InService) reap stops at ``now``.

    ``apps`` are dicts with ``status`` and ``creation_time`` (an aware datetime); the rest is kept."""
    stopping = []
    for app in apps:
        if app.get("status") not in LIVE_APP_STATUSES:
            continue  # stopped already, by hand, by idle shutdown or by an earlier reap
        reason = reason_to_stop(app["creation_time"], now, max_age, hours, end)
        if reason:
            stopping.append((app, reason))
    return stopping
