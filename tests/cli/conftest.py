"""Drive the `studio` command as a user would (a subprocess, no terminal) against the live emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.integration.playbooks.conftest import demo_vault

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "users.csv"
# What must never show: the vaulted secret key, the vault password, and a presigned URL's token.
VAULT_SECRET = "emulator-demo-secret-kV93xQ7pLm2Zt8Rw"
VAULT_PASSWORD = (ROOT / "inventories" / "emulator" / "vault-password.txt").read_text().strip()


class Studio:
    """The outcome of one `studio` run: exit code, both streams, and the --json document if asked for."""

    def __init__(self, args, process: subprocess.CompletedProcess):
        self.args = args
        self.rc = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.doc = None
        if "--json" in args:
            try:
                self.doc = json.loads(process.stdout)
            except ValueError:
                raise AssertionError(
                    f"stdout is not one JSON document (rc {self.rc}):\n{self.stdout}\n{self.stderr}"
                ) from None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:  # what pytest shows when an assertion on a run fails
        command = " ".join(map(str, self.args))
        return f"studio {command} -> rc {self.rc}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def write_inventory(directory: Path, endpoint_url: str, domain_id: str = "d-hackathon0001") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    hosts = {
        "all": {
            "hosts": {
                "localhost": {
                    "ansible_connection": "local",
                    "ansible_python_interpreter": sys.executable,
                    "studio_endpoint_url": endpoint_url,
                    "studio_region": "us-east-1",
                    "studio_domain_id": domain_id,
                }
            }
        }
    }
    (directory / "hosts.yml").write_text(yaml.safe_dump(hosts))
    demo_vault(directory)
    return directory


@pytest.fixture
def inventory(emulator, tmp_path) -> Path:
    """An inventory directory whose one host is this test's emulator."""
    return write_inventory(tmp_path / "inventory", emulator.url)


@pytest.fixture
def artifacts(tmp_path) -> Path:
    return tmp_path / "artifacts"


@pytest.fixture
def studio(tmp_path, artifacts):
    """``studio(*args, inventory=None, env=None, timeout=300)``: run the command in tmp_path, stdin empty."""

    def run(*args, inventory: Path | None = None, env: dict | None = None, timeout: float = 300) -> Studio:
        argv = [str(a) for a in args]
        if inventory is not None:
            argv += ["-i", str(inventory)]
        environment = dict(os.environ, STUDIO_ARTIFACTS_DIR=str(artifacts), COLUMNS="200", **(env or {}))
        process = subprocess.run(
            [sys.executable, "-m", "hackathon_studio.cli", *argv],
            cwd=tmp_path,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Studio(argv, process)

    return run


def kept_files(artifacts: Path) -> dict:
    """path -> text of every file kept under the artifacts directory."""
    if not artifacts.exists():
        return {}
    return {str(p): p.read_text(errors="replace") for p in artifacts.rglob("*") if p.is_file()}


def state_counts(emulator) -> dict:
    state = emulator.state()
    return {
        "user_profiles": len(state["user_profiles"]),
        "spaces": len(state["spaces"]),
        "apps": len([a for a in state["apps"] if a["status"] != "Deleted"]),
    }


def mutating_calls(emulator) -> int:
    """How many calls that change something the emulator has received (Create*, Update*, Delete*)."""
    received = emulator.calls()["received"]
    changing = ("Create", "Update", "Delete", "Put", "BatchWrite", "AddTags")
    return sum(
        n
        for action, n in received.items()
        if action.rsplit(".", 1)[-1].startswith(changing) and action != "CreatePresignedDomainUrl"
    )


@pytest.fixture(name="kept_files")
def kept_files_fixture():
    return kept_files


@pytest.fixture(name="state_counts")
def state_counts_fixture():
    return state_counts


@pytest.fixture(name="mutating_calls")
def mutating_calls_fixture():
    return mutating_calls


@pytest.fixture(name="sample")
def sample_fixture():
    return SAMPLE


@pytest.fixture(name="never_shown")
def never_shown_fixture():
    """The strings no output or kept artifact may contain."""
    return (VAULT_SECRET, VAULT_PASSWORD, "token=")


@pytest.fixture(name="make_inventory")
def make_inventory_fixture(tmp_path):
    """``make_inventory(name, endpoint_url, domain_id=...)``: another inventory directory."""
    return lambda name, url, domain_id="d-hackathon0001": write_inventory(tmp_path / name, url, domain_id)


@pytest.fixture
def studio_process(tmp_path, artifacts):
    """``studio_process(*args, inventory=...)``: a running `studio` (Popen), for signals."""

    def start(*args, inventory: Path) -> subprocess.Popen:
        environment = dict(os.environ, STUDIO_ARTIFACTS_DIR=str(artifacts), COLUMNS="200")
        return subprocess.Popen(
            [sys.executable, "-m", "hackathon_studio.cli", *map(str, args), "-i", str(inventory)],
            cwd=tmp_path,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    return start
