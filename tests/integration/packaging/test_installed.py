"""Installed, not cloned: the tarball's playbooks run an event by their FQCN from a directory that
holds nothing but an inventory and a roster, with credentials from AWS's standard chain (environment
variables), no ansible.cfg and no vault."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import yaml

from tests.integration.packaging.conftest import BIN, ROOT, clean_environment

EVENT = "packed"
ROSTER = "ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n"


def event_directory(directory: Path, emulator) -> Path:
    """A directory with nothing but a roster (by its default name) and an inventory of the emulator."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "users.csv").write_text(ROSTER)
    host = {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "studio_event": EVENT,
        "studio_region": "us-east-1",
        "studio_domain_id": "d-hackathon0001",
        "studio_endpoint_url": emulator.url,
    }
    (directory / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": {"localhost": host}}}))
    return directory


def test_the_installed_collection_runs_an_event_by_fqcn(installed, emulator, tmp_path):
    event_directory(tmp_path, emulator)
    env = clean_environment(installed)

    where = subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "list", "hackathon.studio", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.returncode == 0, where.stderr
    assert list(json.loads(where.stdout)) == [str(installed / "ansible_collections")]  # not the checkout's

    def run(name: str) -> str:
        command = [str(BIN / "ansible-playbook"), "-i", "hosts.yml", f"hackathon.studio.{name}"]
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{name}:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}"
        return done.stdout

    run("setup")  # it makes the registry table; configure by FQCN: test_execution_environment.py
    state = emulator.state()
    assert sorted(s["name"] for s in state["spaces"]) == ["team-1", "team-2"]
    assert len(state["user_profiles"]) == 3 + 1  # the participants and the organizer
    assert all(i["tags"] == {"hackathon:event": EVENT} for kind in ("user_profiles", "spaces") for i in state[kind])

    run("urls")
    urls = tmp_path / f"urls-{EVENT}.csv"  # the default file name, in the directory it runs from
    assert stat.S_IMODE(urls.stat().st_mode) == 0o600
    assert len(urls.read_text().strip().splitlines()) == 1 + 3

    run("status")
    assert (tmp_path / f"status-{EVENT}.csv").is_file()

    run("teardown")
    state = emulator.state()
    assert state["user_profiles"] == [] and state["spaces"] == []


def test_studio_installed_outside_a_checkout_runs_the_installed_collection(installed, emulator, tmp_path):
    """The package as a wheel installs it (no checkout around it) runs the installed collection's playbooks."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "src" / "hackathon_studio", site / "hackathon_studio")
    work = event_directory(tmp_path / "event", emulator)
    env = dict(clean_environment(installed), PYTHONPATH=str(site))

    def studio(*args: str) -> dict:
        command = [sys.executable, "-m", "hackathon_studio.cli", *args, "-i", "hosts.yml", "--json"]
        done = subprocess.run(command, cwd=work, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        assert done.returncode == 0, f"studio {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}"
        return json.loads(done.stdout)

    assert studio("get-conf")["ansible_cfg"] is None  # not the checkout's: ansible's own configuration
    studio("setup-users", "users.csv")
    assert sorted(s["name"] for s in emulator.state()["spaces"]) == ["team-1", "team-2"]
    studio("purge", "--yes")
    assert emulator.state()["spaces"] == []
