"""Run real modules through ansible-playbook against the live emulator, results parsed from the json callback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / "ansible-playbook")
DOMAIN_MODULES = ("studio_user_profile", "studio_space", "studio_app", "studio_presigned_url", "studio_resource_info")


class PlaybookRun:
    def __init__(self, process: subprocess.CompletedProcess):
        self.rc = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        try:
            self.report = json.loads(process.stdout)
        except ValueError:
            raise AssertionError(
                f"no JSON from ansible-playbook (rc {self.rc}):\n{process.stdout}\n{process.stderr}"
            ) from None
        self.results = [task["hosts"]["localhost"] for play in self.report["plays"] for task in play["tasks"]]

    def __getitem__(self, index: int) -> dict:
        return self.results[index]


@pytest.fixture
def playbook(emulator, tmp_path):
    """``playbook(tasks, check=False, diff=False)`` runs the tasks with the emulator as the module default."""

    def run(tasks, check: bool = False, diff: bool = False, extra_vars: dict | None = None) -> PlaybookRun:
        play = {
            "hosts": "localhost",
            "gather_facts": False,
            "module_defaults": {
                "group/hackathon.studio.studio": {
                    "endpoint_url": emulator.url,
                    "region": "us-east-1",
                    "access_key": "emulator",
                    "secret_key": "emulator",
                },
                **{f"hackathon.studio.{name}": {"domain_id": "d-hackathon0001"} for name in DOMAIN_MODULES},
            },
            "tasks": tasks,
        }
        path = tmp_path / "play.yml"
        path.write_text(yaml.safe_dump([play], sort_keys=False))
        args = [
            ANSIBLE_PLAYBOOK,
            "-i",
            "localhost,",
            "-c",
            "local",
            str(path),
            "-e",
            f"ansible_python_interpreter={sys.executable}",
        ]
        if extra_vars:
            args += ["-e", json.dumps(extra_vars)]
        if check:
            args.append("--check")
        if diff:
            args.append("--diff")
        env = dict(
            os.environ,
            ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
            ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
            ANSIBLE_NOCOLOR="1",
        )
        process = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        return PlaybookRun(process)

    return run
