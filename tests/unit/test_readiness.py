"""The checks preflight and the checklist share (module_utils/readiness.py): their problems, the
checklist's lines, and the setup-time estimate against a hand computation."""

from __future__ import annotations

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils import readiness
from ansible_collections.hackathon.studio.plugins.module_utils.readiness import (
    allowed_quota_problems,
    checklist_lines,
    checklist_table,
    quota_problems,
    setting_problems,
    setup_minutes,
)

from hackathon_studio.emulator import profiles, studio
from tests.cli.test_checklist import CHECKS

KNOWN = ["ml.t3.medium", "ml.g5.xlarge"]


def quota(kind_name, value, code="L-1"):
    return {"name": kind_name, "value": value, "source": "aws", "code": code}


QUOTAS = {
    "user_profiles": quota("Maximum number of Studio user profiles allowed per account", 10),
    "spaces": quota("Maximum number of Studio spaces allowed per account", 10),
    "apps": quota("Studio JupyterLab Apps running on ml.t3.medium instances", 4),
}
ROSTER = {
    "user_profiles": [{"name": "ada"}, {"name": "alan"}],
    "spaces": [{"name": "team-1"}, {"name": "team-2"}],
    "personal_spaces": [{"name": "ada-home"}, {"name": "alan-home"}],
}
DOMAIN = {
    "domain_id": "d-1",
    "default_space_settings": {
        "jupyter_lab_app_settings": {
            "app_lifecycle_management": {"idle_settings": {"lifecycle_management": "ENABLED"}},
        }
    },
}


def facts(**changes) -> dict:
    settings = {
        "app_type": "JupyterLab",
        "instance_type": "ml.t3.medium",
        "allowed_instance_types": [],
        "known_types": KNOWN,
        "idle_timeout": 60,
        "personal_spaces": False,
        "shared": True,
        "start_apps": True,
        "organizer": "ev-organizer",
        "region": "us-east-1",
    }
    settings.update(changes.pop("settings", {}))
    found = {"user_profiles": [], "spaces": [], "apps": []}
    quota_info = {
        "quotas": QUOTAS,
        "quota_values": {k: q["value"] for k, q in QUOTAS.items()},
        "quota_codes": {k: q["code"] for k, q in QUOTAS.items()},
        "app_quotas": {},
    }
    base = {
        "settings": settings,
        "roster": ROSTER,
        "registered": [],
        "domain": {"domain": DOMAIN, "problems": [], "msg": "d-1 (studio): InService, IAM authentication"},
        "quota": quota_info,
        "found": found,
        "portal": None,
        "dry_run": {"ok": True, "note": "setup --check passes"},
    }
    return base | changes


def by_check(lines) -> dict:
    return {line["check"]: line for line in lines}


def test_the_material_line_says_what_keeps_it_from_the_spaces_or_what_it_is():
    unset = by_check(checklist_lines(facts()))["material"]
    assert unset == {"check": "material", "status": "ok", "note": unset["note"]} and unset["note"].startswith("none")
    material = {"repositories": ["https://github.com/org/notebooks"], "script": "", "auto_stop": True, "image": "img"}
    ok = by_check(checklist_lines(facts(material=material)))["material"]
    assert ok["status"] == "ok" and ok["note"] == "1 Git repositories, the auto-stop, the image img"
    bad = material | {"repositories": ["git@github.com:org/notebooks"], "unreadable": ["image img: not found"]}
    lines = [line for line in checklist_lines(facts(material=bad)) if line["check"] == "material"]
    assert [line["status"] for line in lines] == ["fix", "fix"]
    assert "'git@github.com:org/notebooks' is not a URL Studio clones" in lines[0]["note"]
    assert lines[1]["note"] == "image img: not found"
    code_editor = checklist_lines(facts(material=material, settings={"app_type": "CodeEditor"}))
    assert "for JupyterLab spaces only" in by_check(code_editor)["material"]["note"]


def test_every_line_is_ok_for_an_event_that_fits():
    lines = checklist_lines(facts())
    assert {line["status"] for line in lines} == {"ok"}
    assert list(by_check(lines)) == CHECKS
    assert by_check(lines)["quota: user profiles"]["note"].startswith("0 exist, 3 new, within 10")
    table = checklist_table(lines)
    assert table[0].split(None, 2) == ["check", "status", "what to do, or what was found"]
    assert len(table) == len(lines) + 1
    assert len({row.index(" ok ") for row in table[1:]}) == 1  # the status column is aligned


def test_a_roster_over_the_quota_says_the_increase_command():
    over = facts(found={"user_profiles": [{"name": f"other-{n}"} for n in range(9)]})
    line = by_check(checklist_lines(over))["quota: user profiles"]
    assert line["status"] == "fix"
    assert line["note"] == (
        "9 user profiles exist and the event needs 3 more: over the quota of 10 ('Maximum number of Studio user "
        "profiles allowed per account'). Ask for an increase first: aws service-quotas "
        "request-service-quota-increase --service-code sagemaker --quota-code L-1 --desired-value 12 "
        "--region us-east-1"
    )


def test_an_unknown_quota_is_not_checked_and_says_how_to_set_it():
    unknown = facts()
    unknown["quota"]["quota_values"] = dict(unknown["quota"]["quota_values"], spaces=None)
    unknown["quota"]["quotas"] = dict(QUOTAS, spaces=quota("Maximum number of Studio spaces", None, None))
    line = by_check(checklist_lines(unknown))["quota: spaces"]
    assert line["status"] == "skip" and "set studio_quota_spaces" in line["note"]


def test_an_allowed_instance_type_at_quota_zero_is_a_line_to_fix():
    app_quotas = {"ml.t3.medium": quota("Studio JupyterLab Apps running on ml.t3.medium instances", 4)}
    app_quotas["ml.g5.xlarge"] = quota("Studio JupyterLab Apps running on ml.g5.xlarge instances", 0, "L-G5")
    gpu = facts(settings={"allowed_instance_types": ["ml.t3.medium", "ml.g5.xlarge"]})
    gpu["quota"]["app_quotas"] = app_quotas
    lines = [line for line in checklist_lines(gpu) if line["check"] == "allow-list"]
    assert [line["status"] for line in lines] == ["fix"]
    assert lines[0]["note"].startswith(
        "studio_allowed_instance_types has ml.g5.xlarge, whose quota 'Studio JupyterLab Apps running on "
        "ml.g5.xlarge instances' is 0 in this account"
    )
    assert lines[0]["note"].endswith("--quota-code L-G5 --desired-value 2 --region us-east-1")
    assert allowed_quota_problems(app_quotas, ["ml.t3.medium"], 2, "us-east-1") == []


@pytest.mark.parametrize(
    ("portal", "status"),
    [
        (None, "ok"),
        ({"url": "https://portal.example.org/", "status": 200, "msg": "OK"}, "ok"),
        ({"url": "https://portal.example.org/", "status": -1, "msg": "Connection refused"}, "fix"),
        ({"url": "https://portal.example.org/", "status": 502, "msg": "Bad Gateway"}, "fix"),
    ],
)
def test_the_portal_line(portal, status):
    assert by_check(checklist_lines(facts(portal=portal)))["portal"]["status"] == status


def test_idle_shutdown_off_at_the_domain_says_what_to_set():
    lines = checklist_lines(facts(domain={"domain": {"domain_id": "d-1"}, "problems": [], "msg": ""}))
    line = by_check(lines)["idle shutdown"]
    assert line["status"] == "fix" and "LifecycleManagement to ENABLED" in line["note"]
    off = checklist_lines(facts(settings={"idle_timeout": 0}, domain={"domain": {}, "problems": [], "msg": ""}))
    assert by_check(off)["idle shutdown"]["status"] == "ok"


def test_setting_problems_are_preflights():
    assert setting_problems("JupyterLab", "ml.t3.medium", [], KNOWN) == {
        "instance_type": [],
        "allowed_instance_types": [],
        "app_type": [],
    }
    bad = setting_problems("CodeEditor", "ml.t9.huge", ["ml.t3.medium"], KNOWN)
    assert bad["instance_type"][0].startswith("studio_instance_type ml.t9.huge is not an instance type Studio")
    assert bad["allowed_instance_types"] == [
        "studio_allowed_instance_types ml.t3.medium: studio_instance_type ml.t9.huge (the apps setup starts) "
        "is not among them."
    ]
    assert bad["app_type"][0].startswith("studio_app_type CodeEditor cannot run in team spaces")


def test_quota_problems_only_for_what_does_not_fit():
    needs = {
        "spaces": {"exist": 1, "new": 2, "quota": 10, "fits": True, "ask": ""},
        "apps": {
            "exist": 0,
            "new": 2,
            "quota": 0,
            "fits": False,
            "ask": "Ask for an increase in Service Quotas first.",
        },
    }
    assert quota_problems(needs, QUOTAS, "ml.g5.xlarge") == {
        "apps": "0 ml.g5.xlarge apps run and the event starts 2 more: over the quota of 0 ('Studio JupyterLab Apps "
        "running on ml.t3.medium instances'). Ask for an increase in Service Quotas first."
    }


def test_setup_minutes_match_a_hand_computation():
    # 1,001 profiles: (1001 - 20) / 5 + 5 = 201.2 s; 250 spaces then 250 apps: (230 / 5 + 10) + (230 / 5 + 150)
    # = 252 s, the longer: 4.2 minutes, about 5.
    assert setup_minutes(1001, 250, 250) == 5
    assert setup_minutes(1001, 250, 0) == 4  # 201.2 s
    assert setup_minutes(3, 2, 0) == 1  # within the bursts: the transitions only, at least a minute


def test_the_assumed_rates_are_the_emulators_aws_profile():
    mutating = next(rule for rule in profiles.AWS_THROTTLE if rule["actions"])
    assert {"CreateUserProfile", "CreateSpace", "CreateApp"} <= set(mutating["actions"])
    assert (readiness.CREATE_RATE, readiness.CREATE_BURST) == (mutating["rps"], mutating["burst"])
    for kind, seconds in readiness.TRANSITION_SECONDS.items():
        assert studio.DURATIONS[(kind, "create")] == seconds
