# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the event's apps have cost so far, and will by its end: pure arithmetic on the usage the
registry records (usage.py), one record per app run.

A record is an app as a listing saw it: its ARN, team, space, app type, name, instance type and
``creation_time``, and ``ended``: when a listing first saw it ``Deleted``, ``Failed`` or gone (None
while it runs). AWS meters a Studio app from the creation of its instance until the app is shut
down (the developer guide's "Usage Metering"); no API says when a deleted app stopped, so an app
counts until the run that saw it gone: the hours are an upper bound, by at most the time between
two runs that list the apps.
"""

from __future__ import annotations

import datetime

# Statuses in which an app still runs on its instance (and is metered): until it is Deleted.
METERED_STATUSES = ("Pending", "InService", "Deleting")
ENDED_STATUSES = ("Deleted", "Failed")
PERSONAL = "(personal)"  # the team of an app in a space no team uses (a participant's private space)


def parse_time(value) -> datetime.datetime:
    """An aware datetime from an ISO 8601 string (or datetime); a time without offset is UTC."""
    moment = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def usage_key(app: dict) -> str:
    """One run of an app: an app stopped and started again under its name is another run (another
    ``CreationTime``), with another record."""
    owner = app.get("space") or app.get("user_profile")
    return f"{owner}#{app['app_type']}#{app.get('app_name') or app['name']}#{app['creation_time']}"


def merge_usage(records: dict, apps, teams: dict, now: datetime.datetime, arn_of=None) -> list:
    """Bring ``records`` (key -> record) up to date with what a listing of ``apps`` saw at ``now``;
    returns the keys of the records added or changed.

    ``teams`` maps a space to its team; ``arn_of(app)`` gives an app's ARN. A new app is recorded
    (ended at ``now`` if it is already Deleted or Failed); a recorded one that is Deleted, Failed or no
    longer listed is ended at ``now``.
    """
    changed = []
    listed = {}
    for app in apps:
        if not app.get("creation_time") or app.get("status") not in METERED_STATUSES + ENDED_STATUSES:
            continue
        key = usage_key(app)
        listed[key] = app
        if key in records:
            continue
        records[key] = {
            "key": key,
            "arn": arn_of(app) if arn_of else None,
            "team": teams.get(app.get("space"), PERSONAL),
            "space": app.get("space") or app.get("user_profile"),
            "app_type": app["app_type"],
            "app_name": app.get("app_name") or app["name"],
            "instance_type": app.get("instance_type"),
            "creation_time": iso(parse_time(app["creation_time"])),
            "ended": None,
        }
        changed.append(key)
    for key, record in records.items():
        gone = key not in listed or listed[key].get("status") in ENDED_STATUSES
        if record.get("ended") is None and gone:
            record["ended"] = iso(now)
            if key not in changed:
                changed.append(key)
    return changed


def app_hours(record: dict, until: datetime.datetime) -> float:
    """Hours the app ran by ``until``: from its creation to its end (or ``until``, if it runs on)."""
    start = parse_time(record["creation_time"])
    end = parse_time(record["ended"]) if record.get("ended") else until
    return max(0.0, (min(end, until) - start).total_seconds() / 3600)


def _team_cost(records, prices: dict, now, remaining_hours) -> dict:
    hours = cost = 0.0
    unpriced = set()
    running = 0
    running_per_hour = 0.0
    for record in records:
        price = prices.get(record.get("instance_type"))
        spent = app_hours(record, now)
        hours += spent
        if price is None:
            unpriced.add(record.get("instance_type") or "unknown")
        else:
            cost += spent * price
        if record.get("ended") is None:
            running += 1
            running_per_hour += price or 0.0
    projected = None if remaining_hours is None else cost + running_per_hour * remaining_hours
    return {
        "app_hours": round(hours, 6),
        "cost": round(cost, 6),
        "running_apps": running,
        "projected_cost": None if projected is None else round(projected, 6),
        "unpriced": sorted(unpriced),
    }


def event_cost(records, prices: dict, now: datetime.datetime, event_end=None) -> dict:
    """Per team and in total: app-hours so far, their cost (instance-hours x hourly price), the apps
    running now, and the projected cost at ``event_end`` (cost so far + running apps x remaining hours
    x price; None without an end). ``prices`` maps an instance type to its hourly price (or None):
    the hours of an unpriced instance type count, its cost does not, and ``unpriced`` names it."""
    remaining = None
    if event_end:
        remaining = max(0.0, (parse_time(event_end) - now).total_seconds() / 3600)
    by_team: dict = {}
    for record in records:
        by_team.setdefault(record.get("team") or PERSONAL, []).append(record)
    teams = {team: _team_cost(rows, prices, now, remaining) for team, rows in sorted(by_team.items())}
    total = _team_cost(list(records), prices, now, remaining)
    total["remaining_hours"] = None if remaining is None else round(remaining, 6)
    return {"teams": teams, "total": total}


def hours_over_time(records, now: datetime.datetime, points: int = 24) -> dict:
    """Per team, its cumulative app-hours at ``points`` + 1 times evenly from the first app's creation
    to ``now``: ``{"times": [iso, ...], "teams": {team: [hours, ...]}}``, for a chart."""
    records = list(records)
    if not records:
        return {"times": [], "teams": {}}
    start = min(parse_time(r["creation_time"]) for r in records)
    span = max((now - start).total_seconds(), 1.0)
    times = [start + datetime.timedelta(seconds=span * i / points) for i in range(points + 1)]
    teams: dict = {}
    for record in records:
        series = teams.setdefault(record.get("team") or PERSONAL, [0.0] * len(times))
        for i, moment in enumerate(times):
            series[i] += app_hours(record, moment)
    return {
        "times": [iso(t) for t in times],
        "teams": {team: [round(h, 6) for h in series] for team, series in sorted(teams.items())},
    }
