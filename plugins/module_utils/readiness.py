# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Is the event ready? Each check as the problems it finds (``[]`` when there are none), shared by
preflight (which stops setup on a problem) and the checklist (``studio checklist``,
playbooks/checklist.yml, which reports every check as a line: ok, or what to do).

The checklist's setup-time estimate: SageMaker publishes no request rate for its control plane (the
API reference and the Service Quotas list give none; a throttled call answers ThrottlingException
"Rate exceeded"). The rates below are an assumption, the figures the project's emulator enforces in
its ``aws`` profile (emulator/profiles.py, AWS_THROTTLE, from EC2's documented token buckets: a bucket
per action, mutating ones refilled at 5 a second); the transitions are the emulator's DURATIONS (an
order of magnitude observed on AWS). tests/unit/test_readiness.py keeps them equal.
"""

from __future__ import annotations

import math

from ansible_collections.hackathon.studio.plugins.module_utils.idle import idle_problems
from ansible_collections.hackathon.studio.plugins.module_utils.lifecycle import material_problems
from ansible_collections.hackathon.studio.plugins.module_utils.plan import (
    QUOTA_KINDS,
    SHARED_SPACE_APP_TYPES,
    _names,
    _new,
    quota_needs,
)
from ansible_collections.hackathon.studio.plugins.module_utils.quotas import increase_request

# Assumed (see above): a token bucket per mutating action, and the seconds of each create's transition.
CREATE_RATE, CREATE_BURST = 5.0, 20
TRANSITION_SECONDS = {"user_profile": 5.0, "space": 10.0, "app": 150.0}
RATE_SOURCE = (
    "assumed: AWS publishes no SageMaker request rate; the project's figures are 5 creates a second per action "
    "(burst 20) and app starts of 150 s"
)
KIND_WORDS = {"user_profiles": "user profiles", "spaces": "spaces"}
OK, FIX, SKIP = "ok", "fix", "skip"
HEADER = "what to do, or what was found"


def setting_problems(app_type: str, instance_type: str, allowed, known) -> dict:
    """Per setting (``instance_type``, ``allowed_instance_types``, ``app_type``), what is wrong with it:
    an instance type Studio does not run (``known``: botocore's list), an allow-list with such a type or
    without the apps setup starts, an app type shared (team) spaces do not run."""
    problems: dict = {"instance_type": [], "allowed_instance_types": [], "app_type": []}
    if instance_type not in known:
        problems["instance_type"].append(
            f"studio_instance_type {instance_type} is not an instance type Studio apps run on (as the controller's "
            f"botocore knows them; a newer botocore may know newer types). Use one of: {', '.join(known)}."
        )
    allowed = list(allowed or [])
    unknown = [t for t in allowed if t not in known]
    if unknown or (allowed and instance_type not in allowed):
        why = (
            f"not instance types Studio apps run on: {', '.join(unknown)}"
            if unknown
            else f"studio_instance_type {instance_type} (the apps setup starts) is not among them"
        )
        problems["allowed_instance_types"].append(f"studio_allowed_instance_types {', '.join(allowed)}: {why}.")
    if app_type not in SHARED_SPACE_APP_TYPES:
        shared = " or ".join(SHARED_SPACE_APP_TYPES)
        problems["app_type"].append(
            f"studio_app_type {app_type} cannot run in team spaces: AWS runs it in private spaces only, and team "
            f"spaces are shared spaces, which run {shared} (Code Editor in shared spaces is an open request to AWS, "
            f"aws/amazon-sagemaker-feedback#215). Use {shared}."
        )
    return problems


def quota_problems(needs: dict, quotas: dict, instance_type: str) -> dict:
    """Per kind that does not fit (``needs``: the quota_needs filter's; ``quotas``: studio_quota_info's
    ``quotas``), what exists, what the event adds, the quota by AWS's name and what to do."""
    problems = {}
    for kind, need in needs.items():
        if need["fits"]:
            continue
        quota = quotas.get(kind) or {}
        if kind == "apps":
            counted = f"{need['exist']} {instance_type} apps run and the event starts {need['new']} more"
        else:
            counted = f"{need['exist']} {KIND_WORDS[kind]} exist and the event needs {need['new']} more"
        problems[kind] = f"{counted}: over the quota of {need['quota']} ('{quota.get('name')}'). {need['ask']}"
    return problems


def allowed_quota_problems(app_quotas: dict, allowed, needed: int, region: str) -> list:
    """The allow-list's instance types whose app quota is 0 in the account: participants could not start
    them. ``app_quotas``: studio_quota_info's, per instance type; ``needed``: apps the event may run."""
    problems = []
    for instance_type in allowed or []:
        quota = app_quotas.get(instance_type) or {}
        if quota.get("value") == 0:
            ask = increase_request(quota.get("code"), max(needed, 1), region)
            problems.append(
                f"studio_allowed_instance_types has {instance_type}, whose quota '{quota.get('name')}' is 0 in this "
                f"account, so participants cannot start it: take it out of the list, or {ask[0].lower()}{ask[1:]}"
            )
    return problems


def _create_seconds(count: int, kind: str) -> float:
    """How long ``count`` creates of one action take at the assumed rate, the last one's transition included."""
    if not count:
        return 0.0
    return max(0.0, (count - CREATE_BURST) / CREATE_RATE) + TRANSITION_SECONDS[kind]


def setup_minutes(profiles: int, spaces: int, apps: int) -> int:
    """About how many minutes setup's creates take at AWS's pace (assumed, RATE_SOURCE).

    The profiles are created while the spaces are (their actions are throttled apart); an app starts
    once its space is ready. At least a minute: there are also Ansible's own steps.
    """
    spaces_then_apps = _create_seconds(spaces, "space") + _create_seconds(apps, "app")
    return max(1, math.ceil(max(_create_seconds(profiles, "user_profile"), spaces_then_apps) / 60))


def _line(check: str, status: str, note: str) -> dict:
    return {"check": check, "status": status, "note": " ".join(str(note).split())}


def _lines(check: str, problems, fine: str) -> list:
    """One line per problem, or one ok line saying what was found."""
    return [_line(check, FIX, problem) for problem in problems] or [_line(check, OK, fine)]


def checklist_lines(facts: dict) -> list:
    """The checklist of one domain, line by line: ``check``, ``status`` (ok, fix or skip) and ``note`` (what
    was found, or what to do). ``facts``: what the checklist role read (roles/checklist/tasks/main.yml)."""
    settings, domain = facts["settings"], facts["domain"]
    problems = setting_problems(
        settings["app_type"], settings["instance_type"], settings["allowed_instance_types"], settings["known_types"]
    )
    lines = _lines("domain", domain.get("problems") or [], domain.get("msg"))
    lines += _lines(
        "settings",
        [p for kind in problems.values() for p in kind],
        f"{settings['app_type']} apps on {settings['instance_type']}",
    )
    lines += _material_lines(settings["app_type"], facts.get("material") or {})
    lines += _idle_lines(settings, domain.get("domain") or {})
    lines += _quota_lines(facts)
    lines += _allowed_lines(facts)
    lines += [_portal_line(facts.get("portal")), _dry_run_line(facts.get("dry_run")), _time_line(facts)]
    return lines


def _material_lines(app_type: str, material: dict) -> list:
    """What keeps the event's material (module_utils/lifecycle.py) from its spaces, or what it is."""
    repositories, image = material.get("repositories") or [], material.get("image")
    problems = material_problems(
        app_type, repositories, material.get("script") or "", bool(material.get("auto_stop")), image
    )
    found = [f"{len(repositories)} Git repositories"] * bool(repositories)
    found += [f"the lifecycle script {material.get('script')}"] * bool(material.get("script"))
    found += ["the auto-stop"] * bool(material.get("auto_stop"))
    found += ["the image " + str(image.get("name") if isinstance(image, dict) else image)] * bool(image)
    fine = ", ".join(found) or "none (studio_git_repositories, studio_lifecycle_script, studio_image unset)"
    return _lines("material", problems + list(material.get("unreadable") or []), fine)


def _idle_lines(settings: dict, domain: dict) -> list:
    timeout = settings.get("idle_timeout")
    if not timeout:
        return [_line("idle shutdown", OK, "off (studio_idle_timeout is null): stop apps with reap")]
    sharings = ("shared",) * bool(settings["shared"]) + ("private",) * bool(settings["personal_spaces"])
    problems = idle_problems(domain, settings["app_type"], timeout, sharings)
    return _lines("idle shutdown", problems, f"apps stop after {timeout} idle minutes; the domain allows it")


def _quota_lines(facts: dict) -> list:
    settings, quota = facts["settings"], facts["quota"]
    listed = facts.get("found") or {}
    needs = quota_needs(
        listed,
        facts["roster"],
        quota["quota_values"],
        settings["organizer"],
        settings["instance_type"],
        settings["personal_spaces"],
        quota["quota_codes"],
        settings["region"],
    )
    problems = quota_problems(needs, quota["quotas"], settings["instance_type"])
    lines = []
    for kind in QUOTA_KINDS:
        check, named = f"quota: {kind.replace('_', ' ')}", quota["quotas"][kind]
        value, name = named["value"], f"'{named['name']}'"
        if value is None:
            note = f"the quota {name} is unknown (not readable from Service Quotas): set studio_quota_{kind}"
            lines.append(_line(check, SKIP, note))
        elif kind == "apps" and not settings["start_apps"]:
            lines.append(_line(check, OK, f"setup starts no app; the quota {name} is {value}"))
        elif kind in problems:
            lines.append(_line(check, FIX, problems[kind]))
        elif kind in needs:
            need = needs[kind]
            lines.append(_line(check, OK, f"{need['exist']} exist, {need['new']} new, within {value} ({name})"))
        else:
            lines.append(_line(check, OK, f"nothing new: the registry holds every one the roster names; {value}"))
    return lines


def _app_spaces(roster: dict) -> list:
    """The spaces setup starts an app in: the team spaces, or with strict isolation the private ones."""
    return roster["spaces"] or roster["personal_spaces"]


def _allowed_lines(facts: dict) -> list:
    settings, app_quotas = facts["settings"], facts["quota"].get("app_quotas") or {}
    allowed = settings["allowed_instance_types"]
    if not allowed:
        return [_line("allow-list", OK, "none (studio_allowed_instance_types): participants may start any type")]
    needed = len(_app_spaces(facts["roster"]))
    problems = allowed_quota_problems(app_quotas, allowed, needed, settings["region"])
    shown = ", ".join(f"{t} {(app_quotas.get(t) or {}).get('value', 'unknown')}" for t in allowed)
    return _lines("allow-list", problems, f"app quotas: {shown}")


def _portal_line(portal) -> dict:
    if not portal:
        return _line("portal", OK, "no portal (studio_portal_url is not set)")
    if 200 <= int(portal.get("status") or -1) < 400:
        return _line("portal", OK, f"{portal['url']} answers {portal['status']}")
    why = portal.get("msg") or f"HTTP {portal.get('status')}"
    return _line(
        "portal",
        FIX,
        f"{portal['url']} does not answer ({why}): start the portal (studio portal, or playbooks/portal.yml) "
        "or correct studio_portal_url",
    )


def _dry_run_line(dry_run) -> dict:
    if not dry_run:
        return _line(
            "setup --check",
            SKIP,
            "not run here: run playbooks/setup.yml --check with the roster (studio checklist runs it)",
        )
    return _line("setup --check", OK if dry_run.get("ok") else FIX, dry_run.get("note"))


def _time_line(facts: dict) -> dict:
    roster, settings, registered = facts["roster"], facts["settings"], facts.get("registered") or []
    profiles = _new(_names(roster["user_profiles"]) + [settings["organizer"]], _names(registered, "user_profile"))
    spaces = _new(_names(roster["spaces"]), _names(registered, "space"))
    spaces += len(roster["personal_spaces"]) if settings["personal_spaces"] else 0
    apps = len(_app_spaces(roster)) if settings["start_apps"] else 0
    minutes = setup_minutes(profiles, spaces, apps)
    counts = f"{profiles} user profiles, {spaces} spaces and {apps} apps to create"
    about = f"about {minutes} minute{'s' if minutes > 1 else ''}"
    return _line("setup time", OK, f"{about} for {counts} ({RATE_SOURCE})")


def checklist_table(lines) -> list:
    """The lines as a table, one string a row (the checklist playbook's debug)."""
    rows = [("check", "status", HEADER)]
    rows += [(x["check"], x["status"], x["note"]) for x in lines]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return [f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}" for row in rows]
