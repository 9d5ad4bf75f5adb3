"""`studio` shows no secret: no vaulted key, no vault password, no presigned URL, in any output or kept artifact.

docs/RELIABILITY.md, "secrets". test_event.py, test_failures.py and test_rehearse.py check the secret key,
the vault password and ``token=`` on their runs; here every command that touches credentials or URLs
runs with ``--json -vvvv`` (the JSON document on stdout, Ansible's most verbose output on stderr), the
failing ones in human output too, with the emulator accepting only the vaulted keys; the access key and
the URLs themselves are looked for as well, in every output and in every file kept from a failed run.
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import os
import signal
import stat
import time
import uuid
from pathlib import Path

import boto3

from tests.integration.playbooks.test_vault import CENSORED, vaulted
from tests.reliability.test_secrets import ROSTER, TOKEN_QUERY, leaks, url_secrets

VERBOSE = ("--json", "-vvvv")  # the JSON document on stdout, Ansible's most verbose output on stderr


def test_no_secret_in_studio_output_or_artifacts(
    studio, inventory, emulator, tmp_path, artifacts, kept_files, never_shown
):
    keys = vaulted()
    access_key, secret_key = keys["vault_studio_aws_access_key"], keys["vault_studio_aws_secret_key"]
    emulator.config(credentials={access_key: secret_key})  # a run that gets through was signed with the vault's keys
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    runs = {}

    def step(name, *args, rc=0, flags=VERBOSE):
        run = studio(*args, *flags, inventory=inventory)
        assert run.rc == rc, (name, run)
        if run.doc is not None:
            assert run.doc["exit_code"] == rc, (name, run)
        runs[name] = run
        return run

    def kept_runs() -> list:
        return sorted(p for p in artifacts.iterdir() if p.is_dir()) if artifacts.exists() else []

    step("configure", "configure", "--event", "spring")
    emulator.faults(fail_next_apps=1)
    failed = step("setup-users, an app fails", "setup-users", roster, "--start-apps", rc=1)
    assert "Failed" in failed.output and len(kept_runs()) == 1  # the rest is set up: on to the URLs
    step("get-urls", "get-urls", "--out", "urls.csv")
    rows = list(csv.DictReader((tmp_path / "urls.csv").open()))
    assert len(rows) == 3 and all(TOKEN_QUERY.search(row["url"]) for row in rows)

    # One participant's profile is gone: their URL fails, the others' are written; the run's files are kept.
    gone = rows[0]["user_profile"]
    sagemaker = boto3.client(
        "sagemaker",
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
    )
    sagemaker.delete_user_profile(DomainId="d-hackathon0001", UserProfileName=gone)
    for flags in (VERBOSE, ()):  # and once in the human output, as an organizer sees it
        name = f"get-urls {' '.join(flags) or '(human)'}, a profile gone"
        partial = tmp_path / f"partial-{len(flags)}.csv"
        assert gone in step(name, "get-urls", "--out", partial, rc=1, flags=flags).output
        rows += list(csv.DictReader(partial.open()))
        assert stat.S_IMODE(partial.stat().st_mode) == 0o600
    assert len(rows) == 7 and len(kept_runs()) == 3

    step("status", "status")
    step("get-conf", "get-conf")
    emulator.config(credentials={access_key: "another-secret-key"})  # the key is known, the signature wrong
    for flags in (VERBOSE, ()):
        assert "signature" in step(f"status {' '.join(flags)}, signature refused", "status", rc=2, flags=flags).output
    emulator.config(credentials={access_key: secret_key})
    step("purge", "purge", "--yes")

    # Ansible's own output was shown, with the keys censored in each module's arguments
    for name in ("configure", "setup-users, an app fails", "get-urls", "purge"):
        assert "TASK [" in runs[name].stderr and CENSORED in runs[name].stderr, name
    secrets = {
        "vaulted secret key": secret_key,
        "vaulted access key": access_key,
        "vault password": keys["vault password"],
        **url_secrets(row["url"] for row in rows),
    }
    assert set(never_shown) <= {*secrets.values(), "token="}  # what the other CLI tests look for, and more
    found = {name: leaks(run.output, secrets) for name, run in runs.items()}

    # The failed runs' directories: private to the user, and with nothing secret in any file.
    kept = kept_runs()
    assert len(kept) == 5, kept
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in kept), [oct(p.stat().st_mode) for p in kept]
    files = kept_files(artifacts)
    assert any("/job_events/" in path and "studio_presigned_url" in text for path, text in files.items())
    assert any(CENSORED in text for text in files.values())
    found.update({path: leaks(text, secrets) for path, text in files.items()})
    assert not any(found.values()), {name: shown for name, shown in found.items() if shown}


def test_interrupted_run_leaves_no_secret_on_disk(studio_process, inventory, emulator, tmp_path):
    """Ctrl-C while a module runs: Ansible leaves that module's file behind, with its arguments (the
    vaulted keys) in clear; none of it may stay in Ansible's temporary directory or in the kept artifacts."""
    keys = vaulted()
    event = f"secrets-{uuid.uuid4().hex[:8]}"  # in the module's arguments (its tag): tells this run's files apart
    (inventory / "host_vars" / "localhost").mkdir(parents=True)
    (inventory / "host_vars" / "localhost" / "studio.yml").write_text(f"studio_event: {event}\n")
    emulator.config(credentials={keys["vault_studio_aws_access_key"]: keys["vault_studio_aws_secret_key"]})
    emulator.faults(stuck_next_apps=1)  # the app module waits for it until interrupted
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    process = studio_process("setup-users", roster, "--start-apps", "--json", inventory=inventory)
    deadline = time.monotonic() + 120
    while not any(app["status"] == "Pending" for app in emulator.state()["apps"]):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.2)
    time.sleep(1)  # the app module is in its wait loop
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (stdout, stderr)

    # Ansible's default temporary directory is the account's home's (~user, not $HOME), shared with other runs.
    ansible_tmp = Path(os.path.expanduser(f"~{getpass.getuser()}")) / ".ansible" / "tmp"
    paths = [p for root in (tmp_path, ansible_tmp) for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    ours = {}
    for path in paths:
        with contextlib.suppress(OSError):  # another run's file, gone meanwhile
            data = path.read_bytes()
            if str(path).startswith(str(tmp_path)) or event.encode() in data:
                ours[str(path)] = data
    assert any("/artifacts/" in path for path in ours)  # the interrupted run's directory is kept
    found = {path: [name for name, value in keys.items() if value.encode() in data] for path, data in ours.items()}
    assert not any(found.values()), {path: names for path, names in found.items() if names}
