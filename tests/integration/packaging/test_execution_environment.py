"""The execution environment's definition, as ansible-builder makes its build context (no container
engine needed), and ansible-navigator with the repository's settings, without a container."""

from __future__ import annotations

import subprocess

import boto3
import yaml

from tests.integration.packaging.conftest import BIN, ROOT, clean_environment
from tests.integration.packaging.test_installed import event_directory


def test_ansible_builder_makes_a_context_with_the_collection_and_its_requirements(tmp_path):
    context = tmp_path / "context"
    create = subprocess.run(
        [str(BIN / "ansible-builder"), "create", "-f", "execution-environment.yml", "-c", str(context)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert create.returncode == 0, create.stdout + create.stderr
    definition = yaml.safe_load((ROOT / "execution-environment.yml").read_text())
    (instructions,) = [path for path in context.iterdir() if path.name in ("Containerfile", "Dockerfile")]
    assert f'EE_BASE_IMAGE="{definition["images"]["base_image"]["name"]}"' in instructions.read_text()
    collections = yaml.safe_load((context / "_build" / "requirements.yml").read_text())["collections"]
    assert {"hackathon.studio", "amazon.aws"} <= {collection["name"] for collection in collections}
    python = (context / "_build" / "requirements.txt").read_text()
    assert python == (ROOT / "requirements.txt").read_text()
    for package in ("boto3", "botocore", "argon2-cffi", "anyascii", "segno"):
        assert f"\n{package}>=" in python


def test_ansible_navigator_runs_an_installed_playbook_without_a_container(installed, emulator, tmp_path):
    work = event_directory(tmp_path, emulator)
    env = dict(clean_environment(installed), ANSIBLE_NAVIGATOR_CONFIG=str(ROOT / "ansible-navigator.yml"))
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    table = "navigated-registry"  # given with -e: it reaches the playbook through ansible-navigator
    assert table not in dynamodb.list_tables()["TableNames"]
    command = [str(BIN / "ansible-navigator"), "run", "hackathon.studio.configure", "-i", "hosts.yml"]
    command += ["-e", f"studio_registry_table={table}"]
    run = subprocess.run(
        [*command, "--ee", "false", "--mode", "stdout"], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "failed=0" in run.stdout
    assert table in dynamodb.list_tables()["TableNames"]  # configure made the registry
    assert not list(work.glob("*-artifact-*.json"))  # the settings keep no playbook artifact
