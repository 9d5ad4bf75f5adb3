"""What `studio` decides without running a playbook: roster validation, refusals, redaction, exit codes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hackathon_studio.cli import commands, project, runner
from hackathon_studio.cli.results import Outcome


def test_validate_lists_participants_names_and_team_sizes(studio, sample):
    run = studio("validate", sample)
    assert run.rc == 0, run
    assert "niklas-" in run.stdout and "team-4" in run.stdout
    assert "12 participants in 4 teams" in run.stdout

    doc = studio("validate", sample, "--json").doc
    assert doc["exit_code"] == 0 and doc["total"] == {"participants": 12, "teams": 4}
    assert {t["space"]: t["members"] for t in doc["teams"]} == {f"team-{n}": 3 for n in range(1, 5)}
    niklas = [p["user_profile"] for p in doc["participants"] if p["email"].startswith("niklas@")]
    assert len(set(niklas)) == 2  # same local part, two people, two profiles


def test_validate_reports_every_problem_with_its_line(studio, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nnot-an-email,1\nada@example.org,2\ngrace@example.org,\n")
    run = studio("validate", "users.csv")
    assert run.rc == 2, run
    assert run.stdout == ""
    for line in ("line 2: malformed email", "line 3: ada@example.org is in two teams", "line 4: missing team"):
        assert line in run.stderr
    assert "Traceback" not in run.stderr

    doc = studio("validate", "users.csv", "--json").doc
    assert doc["exit_code"] == 2 and len(doc["problems"]) == 3
    assert doc["problems"][0] == "users.csv, line 2: malformed email 'not-an-email'"


def test_validate_hostile_roster_is_data(studio, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_bytes(b"ada@example.org,{{ 7 * 7 }}\nalan@example.org,\x1b[31mred\n")
    run = studio("validate", "users.csv", "--json")
    assert run.rc == 0, run
    teams = [t["team"] for t in run.doc["teams"]]
    assert "{{ 7 * 7 }}" in teams  # never evaluated
    text = studio("validate", "users.csv")
    assert "\x1b[31m" not in text.stdout  # shown, not obeyed
    roster.write_bytes(b"ada@example.org,1\n\xff\xfe,2\n")
    assert studio("validate", "users.csv").rc == 2


def test_bad_paths_are_one_line_errors(studio, tmp_path):
    for args in (
        ("validate", "missing.csv"),
        ("setup-users", "missing.csv"),
        ("status", "-i", "no-such-inventory"),
        ("status", "--vault-password-file", "no-such-file"),
    ):
        run = studio(*args, "--json")
        assert run.rc == 2, run
        assert run.doc["exit_code"] == 2 and run.doc["errors"]
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_purge_refuses_without_a_terminal_before_any_call(studio, inventory, emulator):
    before = emulator.calls()["received"]
    run = studio("purge", inventory=inventory)
    assert run.rc == 2, run
    assert "--yes" in run.stderr
    assert emulator.calls()["received"] == before


def test_redact_removes_presigned_query_strings():
    url = "https://d-abc.studio.us-east-1.sagemaker.aws/auth?token=eyJhbGciOi.secret-part"
    event = {"stdout": f"url: {url}", "event_data": {"res": {"rows": [{"url": url}], "n": 3}}}
    cleaned = runner.redact(event)
    assert "eyJhbGciOi" not in str(cleaned)
    assert (
        cleaned["event_data"]["res"]["rows"][0]["url"] == "https://d-abc.studio.us-east-1.sagemaker.aws/auth?<redacted>"
    )
    assert cleaned["event_data"]["res"]["n"] == 3
    signed = "https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Signature=abcdef"
    assert "abcdef" not in runner.redact(signed)
    assert runner.redact("https://example.org/docs?page=2") == "https://example.org/docs?page=2"


def test_child_environment_is_an_allowlist(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "hackathon")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_not_for_ansible")
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", "/elsewhere")
    prepared = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="awx_display", ANSIBLE_CONFIG="/checkout/ansible.cfg")
    env = runner.child_environment(prepared, {"ANSIBLE_CONFIG": "/checkout/ansible.cfg"})
    assert env["AWS_PROFILE"] == "hackathon"
    assert env["ANSIBLE_STDOUT_CALLBACK"] == "awx_display" and env["ANSIBLE_CONFIG"] == "/checkout/ansible.cfg"
    assert "GITHUB_TOKEN" not in env and "ANSIBLE_COLLECTIONS_PATH" not in env


def test_prepare_gives_the_child_only_the_allowlist(monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_not_for_ansible")
    monkeypatch.setenv("AWS_PROFILE", "hackathon")
    monkeypatch.setenv(runner.ARTIFACTS_ENV, str(tmp_path))
    job = runner.Job(name="status", inventory=project.DEFAULT_INVENTORY, playbook="status.yml", check=True)
    config = runner.prepare(job)
    private_data_dir = Path(config.private_data_dir)
    try:
        assert private_data_dir.parent == tmp_path and private_data_dir.name.startswith("studio-status-")
        assert "GITHUB_TOKEN" not in config.env and config.env["AWS_PROFILE"] == "hackathon"
        assert config.env["TMPDIR"] == str(private_data_dir / runner.TEMPORARY)  # Ansible's files stay inside
        assert "--check" in config.command and str(project.playbook("status.yml")) in config.command
    finally:
        shutil.rmtree(private_data_dir)


def _event(name, action, res, task="a task", host="localhost"):
    return {
        "event": name,
        "event_data": {"task": task, "task_action": f"hackathon.studio.{action}", "host": host, "res": res},
    }


def test_exit_codes_from_events():
    created = _event(
        "runner_on_ok",
        "studio_user_profile",
        {"changed": True, "results": [{"name": "a", "kind": "user_profiles", "action": "created"}]},
    )
    item_failed = _event(
        "runner_on_failed",
        "studio_app",
        {
            "results": [
                {"name": "team-1 (app)", "kind": "apps", "space": "team-1", "action": "failed", "msg": "ended Failed"},
                {"name": "team-2 (app)", "kind": "apps", "space": "team-2", "action": "created"},
            ]
        },
    )
    unreachable = _event("runner_on_failed", "studio_registry_info", {"msg": "Could not connect to the endpoint URL"})
    assert Outcome.from_events([created]).exit_code("successful") == 0
    assert Outcome.from_events([created, item_failed]).exit_code("failed") == 1
    assert Outcome.from_events([unreachable]).exit_code("failed") == 2  # stopped before changing anything
    assert Outcome.from_events([created, unreachable]).exit_code("failed") == 1  # stopped half-way
    assert Outcome.from_events([]).exit_code("failed") == 2  # ansible refused to start (vault, inventory)
    assert Outcome.from_events([created]).exit_code("canceled", interrupted=True) == 130
    outcome = Outcome.from_events([created, item_failed])
    assert outcome.summary()["apps"] == {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 1}
    assert outcome.failures() == [{"host": "localhost", "kind": "apps", "name": "team-1 (app)", "msg": "ended Failed"}]


def test_unreachable_endpoint_is_told_by_error_code_not_by_message():
    refused = {
        "msg": "Could not read the registry table t: Could not connect to the endpoint URL: ...",
        "error_code": "EndpointConnectionError",
    }
    assert commands.endpoint_unreachable(
        Outcome.from_events([_event("runner_on_failed", "studio_registry_info", refused)])
    )
    reworded = dict(refused, msg="Could not read the registry table t: the endpoint is down")
    assert commands.endpoint_unreachable(
        Outcome.from_events([_event("runner_on_failed", "studio_registry_info", reworded)])
    )
    for res in (
        {"msg": "Could not connect, says a message that names no error"},
        {"msg": "Could not read Studio domain d-x: ...", "error": {"code": "ThrottlingException"}},
        {"msg": "Could not read Studio domain d-x: ...", "error_code": "NoCredentialsError"},
    ):
        assert not commands.endpoint_unreachable(Outcome.from_events([_event("runner_on_failed", "studio_app", res)]))
    ok = _event("runner_on_ok", "studio_registry_info", dict(refused, failed=False))
    assert not commands.endpoint_unreachable(Outcome.from_events([ok]))  # only a failed task tells


def test_final_stats_are_the_last_recap_with_set_stats_data():
    recap = {"ok": {"localhost": 3}, "changed": {"localhost": 1}, "failures": {}, "artifact_data": {"found": [1]}}
    events = [
        {"event": "runner_on_ok", "event_data": {"res": {}}},
        {"event": "playbook_on_stats", "event_data": {"ok": {"localhost": 1}}},
        {"event": "playbook_on_stats", "event_data": recap},
    ]
    stats = runner.final_stats(events)
    assert stats["ok"] == {"localhost": 3} and stats["changed"] == {"localhost": 1}
    assert stats["artifact_data"] == {"found": [1]} and stats["dark"] == {} and stats["failures"] == {}
    assert runner.final_stats(events[:1]) is None  # ended before its recap
