"""Runs do not depend on $HOME (docs/RELIABILITY.md, "environment").

CI containers often set HOME to a directory that is not the account's home in the password
database (GitHub Actions: HOME=/github/home for root). Ansible's default async directory,
~/.ansible_async, is then two places: the background profile job writes under $HOME, async_status
reads under ~user, and setup stopped with "could not find job". Setup must converge with HOME
elsewhere, unset or unwritable through `studio setup-users`, and with HOME elsewhere through plain
ansible-playbook, and leave no job file behind (neither in the account's home nor in the temporary
directory).
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import write_inventory
from tests.integration.playbooks.conftest import SAMPLE, playbook_command
from tests.reliability.event import EVENT, assert_whole_event

# The account's home as the password database has it: where async_status looked before.
ACCOUNT_ASYNC = Path(os.path.expanduser(f"~{getpass.getuser()}")) / ".ansible_async"


def home_variants(tmp_path: Path) -> dict:
    """HOME value (None: unset) per case. A path under a regular file is unwritable even for root."""
    (tmp_path / "a-file").write_text("")
    return {
        "elsewhere": str(tmp_path / "ci-home"),
        "unset": None,
        "unwritable": str(tmp_path / "a-file" / "home"),
    }


def environment(home: str | None, scratch: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "HOME"}
    if home is not None:
        env["HOME"] = home
    env["TMPDIR"] = str(scratch)  # the system's temporary directory for this run: checked empty afterwards
    return env


def account_jobs() -> set:
    return set(os.listdir(ACCOUNT_ASYNC)) if ACCOUNT_ASYNC.is_dir() else set()


# The fix is in the role, whatever runs it: studio (HOME via its env allowlist) gets every HOME, ansible-playbook CI's.
CASES = [("elsewhere", "studio"), ("elsewhere", "ansible-playbook"), ("unset", "studio"), ("unwritable", "studio")]


@pytest.mark.parametrize(("case", "how"), [pytest.param(*case, id="-".join(case)) for case in CASES])
def test_setup_converges_whatever_home(emulator, tmp_path, how, case):
    home = home_variants(tmp_path)[case]
    if home is not None and case == "elsewhere":
        Path(home).mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = environment(home, scratch)
    before = account_jobs()

    if how == "studio":
        inventory = write_inventory(tmp_path / "inventory", emulator.url)
        (inventory / "host_vars" / "localhost").mkdir(parents=True)
        (inventory / "host_vars" / "localhost" / "studio.yml").write_text(f"studio_event: {EVENT}\n")
        env["STUDIO_ARTIFACTS_DIR"] = str(tmp_path / "artifacts")
        command = [sys.executable, "-m", "hackathon_studio.cli", "setup-users", str(SAMPLE), "-i", str(inventory)]
    else:
        hosts = write_inventory(tmp_path / "inventory", emulator.url) / "hosts.yml"
        command, playbook_env = playbook_command(tmp_path, "setup.yml", hosts, False, False, (), {"users": str(SAMPLE)})
        env.update({key: value for key, value in playbook_env.items() if key.startswith("ANSIBLE_")})
    process = subprocess.run(
        command, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600
    )

    assert process.returncode == 0, process.stdout + process.stderr
    assert "could not find job" not in process.stdout + process.stderr
    assert_whole_event(emulator, apps=0)  # every profile and space, and the registry written
    # The job's status lived in the run's own private directory and went with it.
    assert account_jobs() == before
    if home is not None and case == "elsewhere":
        assert not (Path(home) / ".ansible_async").exists()
    assert list(scratch.iterdir()) == []
    if how == "studio":
        assert not (tmp_path / "artifacts").exists() or list((tmp_path / "artifacts").iterdir()) == []
