"""`studio checklist`: the dry run of setup and the checklist's lines, as a table or --json; exit 0 when
every line is ok, 1 when one is not; nothing created or changed."""

from __future__ import annotations

import yaml

# The checklist's lines of one domain, in order.
CHECKS = [
    "domain",
    "settings",
    "material",
    "idle shutdown",
    "quota: user profiles",
    "quota: spaces",
    "quota: apps",
    "allow-list",
    "portal",
    "setup --check",
    "setup time",
]


def test_a_ready_event_exits_0_with_every_line_and_changes_nothing(
    studio, inventory, emulator, sample, mutating_calls, state_counts
):
    counts = state_counts(emulator)
    run = studio("checklist", sample, "--start-apps", "--json", inventory=inventory)
    assert run.rc == 0, run
    doc = run.doc
    assert doc["command"] == "checklist" and doc["status"] == "ok" and doc["ready"] is True
    assert [line["check"] for line in doc["lines"]] == CHECKS
    assert all(set(line) == {"host", "check", "status", "note"} for line in doc["lines"])
    assert {line["status"] for line in doc["lines"]} == {"ok"}
    assert doc["dry_run"] == {
        "localhost": {
            "ok": True,
            "note": "setup --check passes: would create user profiles 13, spaces 4, apps 4, registry 12",
        }
    }
    dry_line = next(line for line in doc["lines"] if line["check"] == "setup --check")
    assert dry_line["note"] == doc["dry_run"]["localhost"]["note"]
    assert mutating_calls(emulator) == 0 and state_counts(emulator) == counts
    # The table and the verdict a person reads: on stderr with --json, by the same code as on stdout without.
    assert "✓ Ready: every check is ok." in run.stderr, run
    assert "quota: user profiles" in run.stderr and "would create user profiles 13, spaces 4" in run.stderr


def test_an_event_over_its_quota_exits_1_and_says_what_to_do(studio, inventory, emulator, sample, mutating_calls):
    settings = inventory / "host_vars" / "localhost" / "quotas.yml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(yaml.safe_dump({"studio_quota_spaces": 2}))
    run = studio("checklist", sample, "--json", inventory=inventory)
    assert run.rc == 1, run
    assert run.doc["ready"] is False and run.doc["status"] == "failed"
    to_fix = {line["check"]: line["note"] for line in run.doc["lines"] if line["status"] == "fix"}
    assert list(to_fix) == ["quota: spaces", "setup --check"]
    assert to_fix["quota: spaces"].startswith("0 spaces exist and the event needs 4 more: over the quota of 2")
    assert to_fix["setup --check"].startswith("setup --check stops at “Check the space quota”: 0 spaces exist")
    assert mutating_calls(emulator) == 0
    # The table and the verdict, on stderr with --json (the same code writes them to stdout without).
    assert "✗ Not ready: 2 line(s) to fix, said above." in run.stderr, run
    assert "over the quota of 2" in run.stderr


def test_a_bad_roster_is_a_configuration_error(studio, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("not-an-email,1\n")
    run = studio("checklist", roster, "--json", inventory=inventory)
    assert run.rc == 2, run
    assert run.doc["lines"] == [] and run.doc["ready"] is False
    assert any("malformed email 'not-an-email'" in p for p in run.doc["problems"]), run


def test_a_domain_that_cannot_be_checked_is_a_configuration_error(studio, inventory, emulator, sample):
    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())
    hosts["all"]["hosts"]["missing"] = dict(hosts["all"]["hosts"]["localhost"], studio_domain_id="d-nosuchdomain1")
    (inventory / "hosts.yml").write_text(yaml.safe_dump(hosts))
    run = studio("checklist", sample, "--json", inventory=inventory)
    assert run.rc == 2, run
    assert run.doc["ready"] is False
    assert {line["host"] for line in run.doc["lines"]} == {"localhost"}  # the other domain's lines are there
    assert any(error.startswith("missing: ") and "d-nosuchdomain1" in error for error in run.doc["errors"]), run

    shown = studio("checklist", sample, inventory=inventory)  # without --json: the table on stdout, no verdict
    assert shown.rc == 2 and "Ready" not in shown.stdout and "d-nosuchdomain1" in shown.stderr, shown
    assert "quota: user profiles" in shown.stdout, shown
