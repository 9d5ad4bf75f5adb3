# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's status: per team, its members, space and app; totals; and drift between the
registry (who should be where) and what exists in the domain (what carries the event's tag)."""

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.plan import SHOWN_APP_STATUSES

COLUMNS = ("space", "team", "members", "space_status", "app_status")


def event_status(participants, user_profiles, spaces, apps, organizer: str | None = None) -> dict:
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
    return {"teams": rows, "totals": totals, "drift": drift}


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
    for kind, names in status["drift"].items():
        if names:
            lines.append(f"{kind.replace('_', ' ')}: {', '.join(names)}")
    return lines
