"""Exit codes and what is kept when things go wrong: bad roster, no endpoint, no domain, failed apps, Ctrl-C."""

from __future__ import annotations

import json
import signal
import time

import pytest

from tests.cli.conftest import ROOT


def test_bad_roster_stops_before_any_call(studio, inventory, emulator, tmp_path, mutating_calls):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nnot-an-email,1\n")
    run = studio("setup-users", roster, "--json", inventory=inventory)
    assert run.rc == 2, run
    assert run.doc["problems"] == [f"{roster}, line 2: malformed email 'not-an-email'"]
    assert mutating_calls(emulator) == 0
    assert "Traceback" not in run.stderr


def test_unreachable_endpoint_is_one_clear_line(studio, make_inventory, emulator):
    nowhere = make_inventory("nowhere", "http://127.0.0.1:9")
    run = studio("status", "--json", inventory=nowhere)
    assert run.rc == 2, run
    assert run.doc["errors"] == [
        'Could not read the registry table hackathon-studio-registry: Could not connect to the endpoint URL: "http://127.0.0.1:9/"'
    ]
    errors = [line for line in run.stderr.splitlines() if line.startswith("studio:")]
    assert len(errors) == 1 and "Traceback" not in run.stderr, run
    assert studio("get-conf", inventory=nowhere).rc == 0  # reading the configuration needs no endpoint


@pytest.mark.parametrize(
    ("accepted", "error"),
    [
        pytest.param(
            {"AKIAEMULATORDEMO0001": "not-the-vaulted-secret"}, "InvalidSignatureException", id="wrong-secret"
        ),
        pytest.param({"AKIAANOTHERKEY000001": "its-secret"}, "UnrecognizedClientException", id="unknown-key"),
    ],
)
@pytest.mark.parametrize("command", ["setup-users", "status", "purge"])
def test_refused_credentials_are_one_clear_line(
    studio, inventory, emulator, sample, mutating_calls, accepted, error, command
):
    emulator.config(credentials=accepted)  # the vaulted credentials are no longer valid
    args = (command, sample) if command == "setup-users" else (command,)
    run = studio(*args, "--json", *(["--yes"] if command == "purge" else []), inventory=inventory)
    assert run.rc == 2, run
    [message] = run.doc["errors"]
    assert error in message, run
    errors = [line for line in run.stderr.splitlines() if line.startswith("studio:")]
    assert len(errors) == 1 and "Traceback" not in run.output, run
    assert mutating_calls(emulator) == 0
    assert emulator.state()["user_profiles"] == []


def test_missing_domain_saves_nothing(studio, inventory, emulator):
    run = studio("configure", "--domain-id", "d-missing00001", "--json", inventory=inventory)
    assert run.rc == 2, run
    assert run.doc["errors"] == ["Studio domain d-missing00001 not found in region us-east-1"]
    assert not (inventory / "host_vars").exists()
    assert "Nothing was saved" in run.stderr


def test_failed_app_exits_1_keeps_clean_artifacts_and_rerun_continues(
    studio, inventory, emulator, sample, artifacts, kept_files, never_shown, state_counts
):
    emulator.faults(fail_next_apps=1)
    run = studio("setup-users", sample, "--start-apps", "--json", inventory=inventory)
    assert run.rc == 1, run
    assert run.doc["summary"]["apps"]["failed"] == 1 and run.doc["summary"]["apps"]["created"] == 3
    [failure] = run.doc["failures"]
    assert failure["kind"] == "apps" and "Failed" in failure["msg"]
    assert run.doc["artifacts"] and run.doc["artifacts"].startswith(str(artifacts))
    assert run.doc["artifacts"] in run.stderr

    # The kept artifacts: the run's events, but no environment values and no secret.
    files = kept_files(artifacts)
    assert any("/job_events/" in path for path in files)
    command = json.loads(next(text for path, text in files.items() if path.endswith("/command")))
    assert isinstance(command["env"], list) and "PATH" in command["env"]
    for text in files.values():
        for secret in never_shown:
            assert secret not in text

    again = studio("setup-users", sample, "--start-apps", "--json", inventory=inventory)
    assert again.rc == 0, again
    assert again.doc["summary"]["apps"]["created"] == 1 and again.doc["summary"]["apps"]["unchanged"] == 3
    assert state_counts(emulator) == {"user_profiles": 13, "spaces": 4, "apps": 4}


def test_interrupt_stops_cleanly_and_rerun_converges(studio, studio_process, inventory, emulator, sample, state_counts):
    process = studio_process("setup-users", sample, "--start-apps", "--json", inventory=inventory)
    deadline = time.monotonic() + 120
    while not emulator.state()["user_profiles"]:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (stdout, stderr)
    doc = json.loads(stdout)
    assert doc["status"] == "interrupted" and doc["exit_code"] == 130
    assert "interrupted after" in stderr and "re-run the same command" in stderr
    assert "Traceback" not in stderr

    again = studio("setup-users", sample, "--start-apps", "--json", inventory=inventory)
    assert again.rc == 0, again
    assert state_counts(emulator) == {"user_profiles": 13, "spaces": 4, "apps": 4}
    names = [p["name"] for p in emulator.state()["user_profiles"]]
    assert len(names) == len(set(names))


def test_the_demo_vault_password_is_refused_as_a_vault_password_file(studio, make_inventory, emulator, tmp_path):
    """Real keys in a vault anyone can open: refused before anything runs (the demo vault needs no file)."""
    demo_password = ROOT / "inventories" / "emulator" / "vault-password.txt"
    run = studio("status", "--vault-password-file", str(demo_password), inventory=make_inventory("mine", emulator.url))
    assert run.rc == 2, run
    assert "published password" in run.stderr and "Traceback" not in run.output
    assert sum(emulator.calls()["received"].values()) == 0
