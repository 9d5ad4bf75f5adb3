"""examples/ci/github-actions.yml is safe to copy: default branch and a protected environment only,
an OIDC role instead of stored keys, minimal permissions, secrets through env:, everything pinned and
installed before any credential, one run per event at a time. Also valid against GitHub's schema."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "ci" / "github-actions.yml"
LOCK = ROOT / "examples" / "ci" / "requirements.txt"
PINNED_ACTION = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+$")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


@pytest.fixture(scope="module")
def job(workflow) -> dict:
    [job] = workflow["jobs"].values()
    return job


def triggers(workflow) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true


def test_runs_on_the_default_branch_only_in_a_protected_environment(workflow, job):
    on = triggers(workflow)
    assert set(on) == {"push", "schedule", "workflow_dispatch"}  # no pull_request(_target): no foreign code
    assert on["push"]["branches"] == ["main"]
    assert "default_branch" in job["if"]  # a manual run from another branch does nothing
    assert job["environment"] == "hackathon"


def test_assumes_a_role_through_oidc_with_minimal_permissions(workflow, job):
    assert workflow["permissions"] == {}
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    [aws] = [step for step in job["steps"] if "configure-aws-credentials" in step.get("uses", "")]
    assert aws["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key", "aws-session-token"} & set(aws["with"])
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_secrets_pass_through_env_never_into_a_script(job):
    for step in job["steps"]:
        assert "${{" not in step.get("run", ""), step  # no expression (secret, input, event text) pasted in
    uses_secrets = [step for step in job["steps"] if "secrets." in str(step)]
    assert uses_secrets and all("secrets." in str(step["env"]) and "run" in step for step in uses_secrets)


def test_installs_pinned_and_hash_checked_before_any_credential(job):
    text = WORKFLOW.read_text()
    uses = [line for line in text.splitlines() if re.match(r"^\s*(?:- )?uses:", line)]
    assert len(uses) == 4 and all(PINNED_ACTION.match(line) for line in uses), uses
    steps = job["steps"]
    installs = [i for i, step in enumerate(steps) if "pip install" in step.get("run", "")]
    [install] = installs
    commands = [line.strip() for line in steps[install]["run"].splitlines() if "pip install" in line]
    assert commands[0] == ".venv/bin/pip install --require-hashes -r examples/ci/requirements.txt"
    assert all("--require-hashes" in c or "--no-deps --no-build-isolation" in c for c in commands)
    assert "make install" not in text  # it installs unpinned
    credentials = [i for i, step in enumerate(steps) if "configure-aws-credentials" in step.get("uses", "")]
    secrets = [i for i, step in enumerate(steps) if "secrets." in str(step)]
    assert install < min(credentials + secrets)
    assert "secrets." not in str(job.get("env")) and "env" not in job  # no secret for the whole job


def test_the_lock_pins_every_dependency_with_hashes():
    requirements = {}
    for block in re.split(r"\n(?=[a-z0-9])", LOCK.read_text().split("\n", 6)[-1]):
        line = block.replace("\\\n", " ")
        if not line.strip() or line.startswith("#"):
            continue
        name, version = re.match(r"^([a-z0-9._-]+)==(\S+)", line).groups()
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", line), name
        requirements[name] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [Requirement(r) for r in project["project"]["dependencies"] + project["build-system"]["requires"]]
    for requirement in wanted:
        name = requirement.name.lower().replace("_", "-")
        assert name in requirements, f"{name} is not in {LOCK.name}: regenerate it"
        assert requirement.specifier.contains(requirements[name]), f"{name}=={requirements[name]} vs {requirement}"


def test_one_run_per_event_at_a_time_and_the_nightly_stop(workflow, job):
    assert job["concurrency"] == {"group": "hackathon-spring-2026", "cancel-in-progress": False}
    assert triggers(workflow)["schedule"]
    [nightly] = [step for step in job["steps"] if "schedule" in step.get("if", "")]
    assert "studio purge --apps-only --yes" in nightly["run"]


def test_setup_runs_only_after_the_checklist_says_ready(job):
    names = [step.get("name", "") for step in job["steps"]]
    checklist = job["steps"][names.index("Set up the event") - 1]
    assert "studio checklist events/spring-2026/users.csv" in checklist["run"]  # a failing line fails the job
    assert checklist["if"] == job["steps"][names.index("Set up the event")]["if"]


def test_valid_against_githubs_workflow_schema():
    check = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert check, "check-jsonschema is in the test extras: make install"
    process = subprocess.run(
        [check, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True
    )
    assert process.returncode == 0, process.stdout + process.stderr
