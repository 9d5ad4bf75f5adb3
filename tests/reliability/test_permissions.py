"""A missing permission is one clear error, never a traceback (docs/RELIABILITY.md, "Permissions").

The emulator's ``deny_actions`` fault answers AWS's AccessDenied for the named actions. For each
playbook, a List*, a Describe*, a mutating call and a DynamoDB call are denied in turn (and during
teardown the read that blocks a deletion): the run fails, names the missing permission, and shows
neither a traceback nor "MODULE FAILURE", at verbosity 0 or -vvv: the cases take the two in turns,
so that each playbook meets both (a case at both doubled the runs, and -vvv shows all verbosity 0
does). The ``studio`` command exits 2 with one line naming the permission. No playbook calls STS:
every run checks that it made no STS call.

One emulator serves the module: the cases run in order, those needing nothing first, then those
needing the event set up (without apps: no case needs one), which is set up again only when a case
left it incomplete.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.cli.conftest import SAMPLE as CLI_SAMPLE
from tests.cli.conftest import write_inventory as write_cli_inventory
from tests.integration.playbooks.conftest import SAMPLE, playbook_command, write_inventory
from tests.reliability.event import assert_whole_event

CLI_EVENT = "hackathon"  # the CLI's inventory sets no event: group_vars' default


def permission(action: str) -> str:
    return action if ":" in action else f"sagemaker:{action}"


def flat(text: str) -> str:
    """Ansible wraps long messages: compare with all whitespace as single spaces."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("permissions")


@pytest.fixture(scope="module")
def emulator(emulator_process):
    """The worker's emulator, reset once for this module (not per test: the cases share an event)."""
    emulator_process.reset()
    return emulator_process


@pytest.fixture(scope="module")
def inventory(emulator, workdir):
    return write_inventory(workdir / "hosts.yml", {"localhost": {"studio_endpoint_url": emulator.url}})


@pytest.fixture(scope="module")
def play(workdir, inventory):
    """``play(playbook, *args, **extra_vars)`` with ansible-playbook's text output (what a user reads)."""

    def run(playbook: str, *args, **extra_vars) -> subprocess.CompletedProcess:
        command, env = playbook_command(workdir, playbook, inventory, False, False, args, extra_vars)
        return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=600)

    return run


def event_is_whole(emulator) -> bool:
    try:
        assert_whole_event(emulator, apps=0)
    except AssertionError:
        return False
    return True


@pytest.fixture
def prepare(emulator, play):
    """``prepare("nothing" | "event")``: the emulator empty, or the event set up (no apps); no fault."""

    def bring_to(state: str) -> None:
        emulator.faults()
        if state == "nothing":
            emulator.reset()
        elif not event_is_whole(emulator):
            setup = play("setup.yml", users=str(SAMPLE))
            assert setup.returncode == 0, setup.stdout[-3000:]
            assert_whole_event(emulator, apps=0)

    return bring_to


def denied_run(emulator, action: str, run) -> subprocess.CompletedProcess:
    """``run()`` with ``action`` denied; checks that the run did make the call, was refused, and called no STS."""
    before = emulator.calls()
    emulator.faults(deny_actions=[action])
    process = run()
    emulator.faults()
    after = emulator.calls()
    name = action.replace("dynamodb:", "DynamoDB.")
    assert after["failed"].get(name, 0) > before["failed"].get(name, 0), after
    assert not [call for call in after["received"] if call.startswith("STS.")], after
    return process


def assert_clean_denial(process: subprocess.CompletedProcess, action: str) -> None:
    output = process.stdout + process.stderr
    assert process.returncode != 0, output[-3000:]
    assert "Traceback" not in output and "MODULE FAILURE" not in output, output[-5000:]
    assert f"Missing permission {permission(action)}" in flat(output), output[-3000:]


# A task that deletes a team space: Studio first lists the space's apps, which would block the deletion.
DELETE_SPACE = """\
- hosts: all
  gather_facts: false
  tasks:
    - hackathon.studio.studio_space:
        endpoint_url: "{{ studio_endpoint_url }}"
        region: us-east-1
        access_key: AKIAEMULATOREXAMPLE1  # the emulator accepts any keys unless told otherwise
        secret_key: not-a-secret
        domain_id: d-hackathon0001
        name: team-1
        state: absent
        cascade: true
"""

# (playbook, denied action, what must exist first, extra variables); in the order they run: the
# cases that need nothing, then those that leave the event whole, then those that break it.
PLAYBOOK_CASES = [
    ("configure.yml", "DescribeDomain", "nothing", {}),
    ("configure.yml", "dynamodb:CreateTable", "nothing", {}),
    ("setup.yml", "ListUserProfiles", "nothing", {"users": str(SAMPLE)}),
    ("setup.yml", "CreateSpace", "nothing", {"users": str(SAMPLE)}),
    ("setup.yml", "dynamodb:BatchWriteItem", "nothing", {"users": str(SAMPLE)}),
    ("status.yml", "ListSpaces", "event", {}),
    ("status.yml", "DescribeDomain", "event", {}),
    ("status.yml", "dynamodb:Query", "event", {}),
    ("urls.yml", "CreatePresignedDomainUrl", "event", {}),
    ("urls.yml", "dynamodb:DescribeTable", "event", {}),
    ("teardown.yml", "ListApps", "event", {}),
    ("delete-space.yml", "ListApps", "event", {}),  # the read that blocks a deletion, outside the batch runner
    ("teardown.yml", "DeleteSpace", "event", {}),
    ("teardown.yml", "dynamodb:BatchWriteItem", "event", {}),
]


@pytest.mark.parametrize(
    ("playbook", "action", "state", "extra", "verbosity"),
    [
        pytest.param(*case, verbosity, id=f"{case[0].removesuffix('.yml')}-{case[1]}{''.join(verbosity)}")
        for case, verbosity in zip(PLAYBOOK_CASES, [[], ["-vvv"]] * len(PLAYBOOK_CASES))
    ],
)
def test_a_denied_call_is_one_clear_failure(
    emulator, play, prepare, workdir, playbook, action, state, extra, verbosity
):
    if playbook == "delete-space.yml":
        (workdir / playbook).write_text(DELETE_SPACE)
        playbook = str(workdir / playbook)  # an absolute path: not one of the project's playbooks
    prepare(state)
    process = denied_run(emulator, action, lambda: play(playbook, *verbosity, **extra))
    assert_clean_denial(process, action)
    if playbook.endswith("delete-space.yml"):
        assert "could not remove the space team-1 in domain d-hackathon0001" in flat(process.stdout)
        assert event_is_whole(emulator)  # nothing was deleted


# ----- the studio command ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_inventory(emulator, workdir):
    return write_cli_inventory(workdir / "cli-inventory", emulator.url)


@pytest.fixture(scope="module")
def studio_cli(workdir):
    """``studio_cli(*args, inventory=...)``: the studio command, as tests/cli runs it."""

    def run(*args, inventory):
        env = dict(os.environ, STUDIO_ARTIFACTS_DIR=str(workdir / "artifacts"), COLUMNS="200")
        argv = [sys.executable, "-m", "hackathon_studio.cli", *map(str, args), "-i", str(inventory)]
        return subprocess.run(
            argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600
        )

    return run


# (command, denied action); in the order they run, on an emulator of their own event.
CLI_CASES = [
    (("configure", "--region", "us-east-1", "--domain-id", "d-hackathon0001", "--event", CLI_EVENT), "DescribeDomain"),
    (("setup-users", CLI_SAMPLE), "ListUserProfiles"),
    (("setup-users", CLI_SAMPLE), "CreateSpace"),
    (("status",), "dynamodb:Query"),
    (("get-urls",), "CreatePresignedDomainUrl"),
    (("purge", "--yes"), "DeleteSpace"),
]


@pytest.fixture(scope="module")
def cli_emulator(emulator):
    """The emulator, emptied once for the studio command's cases (the playbooks' event is another)."""
    emulator.reset()
    return emulator


@pytest.mark.parametrize(("args", "action"), [pytest.param(*case, id=f"{case[0][0]}-{case[1]}") for case in CLI_CASES])
def test_studio_names_the_missing_permission_in_one_line(cli_emulator, studio_cli, cli_inventory, args, action):
    emulator = cli_emulator
    emulator.faults()
    spaces = [s for s in emulator.state()["spaces"] if s["tags"].get("hackathon:event") == CLI_EVENT]
    if args[0] in ("status", "get-urls", "purge") and not spaces:  # these need the event
        setup = studio_cli("setup-users", CLI_SAMPLE, inventory=cli_inventory)
        assert setup.returncode == 0, setup.stderr[-3000:]
    run = denied_run(emulator, action, lambda: studio_cli(*args, inventory=cli_inventory))
    assert run.returncode == 2, run.stderr[-3000:]
    assert "Traceback" not in run.stdout + run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("studio:")]
    expected = f"studio: missing permission {permission(action)} (AccessDeniedException from {action.split(':')[-1]})"
    assert errors == [expected], run.stderr
