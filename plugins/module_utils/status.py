# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's status: per team, its members, space and app; totals; and drift between the
registry (who should be where) and what exists in the domain (what carries the event's tag)."""

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.access_codes import DELIVERY_OUTCOMES
from ansible_collections.hackathon.studio.plugins.module_utils.cost import event_cost
from ansible_collections.hackathon.studio.plugins.module_utils.plan import SHOWN_APP_STATUSES

COLUMNS = ("space", "team", "members", "space_status", "app_status")
# With the portal: per team, how many members have logged in, when last, and how many attempts failed.
LOGIN_COLUMNS = ("logged_in", "last_login", "failed_logins")
# With the registry's app runs: per team, its app-hours so far, their cost and the cost projected to the end.
COST_COLUMNS = ("app_hours", "cost", "projected_cost")
SUCCESS = "success"  # the portal's audit outcome for a login that opened the space (portal/app.py)


def login_activity(audit_items) -> dict:
    """Lower-case email -> its logins at the portal, from the registry's audit items.

    ``last_login`` is the time of the latest successful login (None if none), ``logins`` how many
    succeeded, and ``failed_logins`` how many attempts did not (a wrong code, a rate limit, a closed
    event). Audit items without an email (a form posted empty) are nobody's, and an emailed code's
    delivery (DELIVERY_OUTCOMES) is no attempt to log in.
    """
    activity: dict = {}
    for item in audit_items:
        email = str(item.get("email") or "").lower()
        if not email or item.get("outcome") in DELIVERY_OUTCOMES:
            continue
        entry = activity.setdefault(email, {"last_login": None, "logins": 0, "failed_logins": 0})
        if item.get("outcome") == SUCCESS:
            entry["logins"] += 1
            entry["last_login"] = max(filter(None, (entry["last_login"], item.get("time"))), default=None)
        else:
            entry["failed_logins"] += 1
    return activity


def participant_logins(participants, activity: dict) -> list:
    """One row per participant (by team, then email): when they last logged in and how often it failed."""
    rows = []
    for participant in participants:
        entry = activity.get(participant["email"].lower(), {})
        rows.append(
            {
                "email": participant["email"],
                "team": participant.get("team"),
                "space": participant["space"],
                "last_login": entry.get("last_login"),
                "logins": entry.get("logins", 0),
                "failed_logins": entry.get("failed_logins", 0),
            }
        )
    return sorted(rows, key=lambda r: (r["space"], r["email"].lower()))


def add_logins(status: dict, participants, activity: dict) -> None:
    """Add the portal's logins to an ``event_status``: per team (LOGIN_COLUMNS), in totals, per participant."""
    people = participant_logins(participants, activity)
    by_space: dict = {}
    for person in people:
        by_space.setdefault(person["space"], []).append(person)
    for row in status["teams"]:
        members = by_space.get(row["space"], [])
        row["logged_in"] = sum(1 for m in members if m["last_login"])
        row["last_login"] = max((m["last_login"] for m in members if m["last_login"]), default=None)
        row["failed_logins"] = sum(m["failed_logins"] for m in members)
    status["totals"]["logged_in"] = sum(1 for p in people if p["last_login"])
    status["logins"] = people


def add_cost(status: dict, usage, prices: dict, now, event_end=None) -> None:
    """Add the cost of the event's app runs (cost.py) to an ``event_status``: per team (COST_COLUMNS and
    ``running_apps``), in totals, and as ``cost`` (the prices used, their sources, what is unpriced)."""
    report = event_cost(usage, {t: (p or {}).get("price") for t, p in prices.items()}, now, event_end)
    total = report["total"]
    # A team with no app run yet has spent nothing, and nothing is projected for it (with an end).
    idle = {
        "app_hours": 0.0,
        "cost": 0.0,
        "running_apps": 0,
        "projected_cost": None if total["remaining_hours"] is None else 0.0,
    }
    for row in status["teams"]:
        spent = report["teams"].get(row.get("team")) or idle
        row.update({key: spent[key] for key in COST_COLUMNS + ("running_apps",)})
    status["totals"].update({key: total[key] for key in COST_COLUMNS + ("running_apps",)})
    currencies = sorted({(p or {}).get("currency") or "USD" for p in prices.values()}) or ["USD"]
    status["cost"] = {
        "currency": currencies[0],
        "event_end": event_end,
        "remaining_hours": total["remaining_hours"],
        "prices": prices,
        "unpriced": total["unpriced"],
        "teams": report["teams"],  # every team with app runs, personal spaces too
    }


def event_status(participants, user_profiles, spaces, apps, organizer: str | None = None, logins=None) -> dict:
    """Per team, totals and drift; with ``logins`` (``login_activity``'s, the portal in use), who has logged in."""
    profiles = {p["name"]: p for p in user_profiles}
    spaces_by_name = {s["name"]: s for s in spaces}
    app_of = {}
    for app in apps:
        if app.get("space") and app.get("status") in SHOWN_APP_STATUSES:
            app_of[app["space"]] = app
    teams: dict = {}
    for participant in participants:
        team = teams.setdefault(participant["space"], {"space": participant["space"], "team": participant.get("team")})
        team["members"] = team.get("members", 0) + 1
    rows = []
    for name in sorted(teams):
        row = teams[name]
        row["space_status"] = spaces_by_name.get(name, {}).get("status", "missing")
        row["app_status"] = app_of.get(name, {}).get("status", "none")
        rows.append(row)
    expected_profiles = {p["user_profile"] for p in participants} | ({organizer} if organizer else set())
    personal = {
        s["name"]
        for s in spaces
        if s.get("sharing") == "private" and s.get("owner") in expected_profiles and s["name"] not in teams
    }
    drift = {
        "missing_profiles": sorted(expected_profiles - set(profiles)),
        "missing_spaces": sorted(set(teams) - set(spaces_by_name)),
        "extra_profiles": sorted(set(profiles) - expected_profiles),
        "extra_spaces": sorted(set(spaces_by_name) - set(teams) - personal),
        "failed": sorted(
            f"{kind} {item['name']}: {item['status']}"
            for kind, items in (("user profile", user_profiles), ("space", spaces), ("app", apps))
            for item in items
            if "Failed" in (item.get("status") or "")
        ),
    }
    totals = {
        "participants": len(participants),
        "teams": len(teams),
        "spaces_in_service": sum(1 for r in rows if r["space_status"] == "InService"),
        "apps_in_service": sum(1 for r in rows if r["app_status"] == "InService"),
        "personal_spaces": len(personal),
    }
    status = {"teams": rows, "totals": totals, "drift": drift}
    if logins is not None:
        add_logins(status, participants, logins)
    return status


def status_lines(status: dict) -> list:
    """A compact table, one line per team, then the totals and any drift."""
    rows = status["teams"]
    width = max([len(r["space"]) for r in rows] + [5])
    lines = [f"{'space':<{width}}  members  space        app"]
    lines += [f"{r['space']:<{width}}  {r['members']:>7}  {r['space_status']:<11}  {r['app_status']}" for r in rows]
    totals = status["totals"]
    lines.append(
        f"{totals['participants']} participants in {totals['teams']} teams; "
        f"{totals['spaces_in_service']} spaces and {totals['apps_in_service']} apps InService"
    )
    if "app_hours" in totals:
        projected = totals["projected_cost"]
        lines.append(
            f"{totals['app_hours']:.2f} app-hours, {status['cost']['currency']} {totals['cost']:.2f} so far"
            + ("" if projected is None else f", {projected:.2f} projected at the event's end")
        )
    if "logged_in" in totals:
        lines.append(f"{totals['logged_in']} of {totals['participants']} participants have logged in at the portal")
    for kind, names in status["drift"].items():
        if names:
            lines.append(f"{kind.replace('_', ' ')}: {', '.join(names)}")
    return lines
