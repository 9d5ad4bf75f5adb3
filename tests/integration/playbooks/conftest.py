"""Run the project's playbooks with real ansible-playbook against live emulators."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / "ansible-playbook")
SAMPLE = ROOT / "examples" / "users.csv"
DOMAIN = "d-hackathon0001"


class Run:
    def __init__(self, process: subprocess.CompletedProcess, json_output: bool):
        self.rc = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.report = json.loads(process.stdout) if json_output else None

    @property
    def stats(self) -> dict:
        return self.report["stats"]

    def changed(self, host: str = "localhost") -> int:
        return self.stats[host]["changed"]

    def task(self, name: str, host: str = "localhost") -> dict:
        """The result of the last task whose name contains ``name``."""
        found = [
            t["hosts"][host]
            for play in self.report["plays"]
            for t in play["tasks"]
            if name in t["task"]["name"] and host in t["hosts"]
        ]
        assert found, f"no task named like {name!r}"
        return found[-1]


def write_inventory(path: Path, hosts: dict) -> Path:
    """An inventory of localhost-like hosts, each one domain (``{name: {studio_endpoint_url: ...}}``)."""
    inventory = {"all": {"hosts": {}}}
    for name, host_vars in hosts.items():
        inventory["all"]["hosts"][name] = {
            "ansible_connection": "local",
            "ansible_python_interpreter": sys.executable,
            "studio_region": "us-east-1",
            "studio_domain_id": "d-hackathon0001",
            **host_vars,
        }
    path.write_text(yaml.safe_dump(inventory))
    demo_vault(path.parent)
    return path


def demo_vault(inventory_dir: Path) -> None:
    """Give an inventory the demo vault's keys, as inventories/emulator has them (for loopback endpoints only)."""
    link = inventory_dir / "group_vars"
    if not link.exists():
        link.symlink_to(ROOT / "inventories" / "emulator" / "group_vars")


def foreign_resources(sagemaker, space: str = "team-1"):
    """Another team's work in the same domain: untagged profile, shared space and a running app.

    The space is named like an event team's by default: setup must refuse it, never adopt it."""
    sagemaker.create_user_profile(DomainId=DOMAIN, UserProfileName="data-science-team")
    wait(lambda: sagemaker.describe_user_profile(DomainId=DOMAIN, UserProfileName="data-science-team"))
    sagemaker.create_space(
        DomainId=DOMAIN,
        SpaceName=space,
        SpaceSettings={"AppType": "JupyterLab"},
        OwnershipSettings={"OwnerUserProfileName": "data-science-team"},
        SpaceSharingSettings={"SharingType": "Shared"},
    )
    wait(lambda: sagemaker.describe_space(DomainId=DOMAIN, SpaceName=space))
    app = {"DomainId": DOMAIN, "SpaceName": space, "AppType": "JupyterLab", "AppName": "default"}
    sagemaker.create_app(**app)
    wait(lambda: sagemaker.describe_app(**app))


def wait(describe, status="InService", timeout=30):
    deadline = time.monotonic() + timeout
    while describe()["Status"] != status:
        assert time.monotonic() < deadline, f"not {status} after {timeout} s"
        time.sleep(0.1)


def domain_without_idle_shutdown(emulator) -> str:
    """A second domain in the emulator, whose administrator did not enable idle shutdown."""
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    role = "arn:aws:iam::123456789012:role/studio"
    domain_id = sagemaker.create_domain(
        DomainName="no-idle",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": role},
        DefaultSpaceSettings={"ExecutionRole": role},
        SubnetIds=["subnet-0emulator0000000"],
        VpcId="vpc-0emulator0000000",
    )["DomainId"]
    wait(lambda: sagemaker.describe_domain(DomainId=domain_id))
    return domain_id


def snapshot(emulator):
    state = emulator.state()
    return {
        kind: {(i["name"], i.get("space"), i["status"], tuple(sorted(i["tags"].items()))) for i in state[kind]}
        for kind in ("user_profiles", "spaces", "apps")
    }


def foreign(emulator):
    return {kind: {i for i in items if not i[3]} for kind, items in snapshot(emulator).items()}


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_inventory(tmp_path / "hosts.yml", {"localhost": {"studio_endpoint_url": emulator.url}})


def playbook_command(
    tmp_path: Path, playbook: str, inventory: Path, check: bool, json_output: bool, args, extra_vars, extra_env=None
):
    """The ansible-playbook command line and environment the tests run a project playbook with."""
    command = [ANSIBLE_PLAYBOOK, "-i", str(inventory), str(ROOT / "playbooks" / playbook), *args]
    extra = {
        "studio_event": "spring",
        "studio_urls_file": str(tmp_path / "urls.csv"),
        "studio_status_file": str(tmp_path / "status.csv"),
        **extra_vars,
    }
    command += ["-e", json.dumps(extra)]
    if check:
        command.append("--check")
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    # Module files hold their arguments; an interrupted run leaves them behind: keep them in the test's directory.
    env["ANSIBLE_REMOTE_TEMP"] = env["ANSIBLE_LOCAL_TEMP"] = str(tmp_path / "ansible-tmp")
    if json_output:
        env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
    env.update(extra_env or {})
    return command, env


@pytest.fixture
def run_playbook(tmp_path):
    """``run_playbook("setup.yml", inventory, users=..., check=False, json_output=True, args=[...])``."""

    def run(playbook: str, inventory: Path, check: bool = False, json_output: bool = True, args=(), **extra_vars):
        command, env = playbook_command(tmp_path, playbook, inventory, check, json_output, args, extra_vars)
        process = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
        return Run(process, json_output)

    return run


@pytest.fixture
def start_playbook(tmp_path):
    """``start_playbook("setup.yml", inventory, users=...)``: the running process, in its own session."""

    def start(playbook: str, inventory: Path, env=None, **extra_vars) -> subprocess.Popen:
        command, env = playbook_command(tmp_path, playbook, inventory, False, False, (), extra_vars, env)
        return subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )

    return start
