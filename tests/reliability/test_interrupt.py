"""Interruptions: setup and teardown stopped by Ctrl-C (SIGINT to the process group, as a terminal
sends it) or killed outright (SIGKILL to ansible-playbook alone, its children left running) at
several points; the next run converges to the state of an uninterrupted one, with no duplicate and
no orphan."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

from tests.integration.playbooks.conftest import ANSIBLE_PLAYBOOK, ROOT, SAMPLE, foreign, foreign_resources
from tests.reliability.event import assert_nothing_of_the_event, assert_whole_event, wait_for


def interrupt(process, reached, sig: signal.Signals, point: str, timeout: float = 60) -> None:
    """Send ``sig`` once ``reached()``; wait for the process to end."""
    wait_for(lambda: reached() or process.poll() is not None, timeout)
    assert process.poll() is None, f"the run ended before {point}:\n{process.stdout.read().decode()}"
    if sig == signal.SIGINT:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:  # Ansible's own shutdown stuck: a person presses Ctrl-C again
            os.killpg(process.pid, sig)
    else:
        process.kill()
    process.wait(timeout=120)
    assert process.returncode != 0


def received(emulator, action: str):
    return lambda: emulator.calls()["received"].get(action)


def one_signal_each(*points: tuple) -> list:
    return [pytest.param(point, sig, id=f"{point}-{sig.name.lower()}") for point, sig in points]


# One signal a point (both at each doubled the cases): the point decides which calls were made, the
# signal whether the call's module process dies with ansible-playbook (SIGINT to the group) or carries
# on alone (SIGKILL, which also leaves the background profile job racing the next run). Each signal
# meets setup and teardown; the task boundaries below stop setup at every task besides.
@pytest.mark.parametrize(
    ("point", "sig"),
    one_signal_each(
        ("CreateUserProfile", signal.SIGKILL),
        ("CreateSpace", signal.SIGINT),
        ("CreateApp", signal.SIGKILL),
        ("DynamoDB.BatchWriteItem", signal.SIGINT),
    ),
)
def test_interrupted_setup_converges(run_playbook, start_playbook, inventory, emulator, sagemaker, point, sig):
    foreign_resources(sagemaker, space="data-science")
    before = foreign(emulator)
    setup = start_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    interrupt(setup, received(emulator, point), sig, point)

    again = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    assert again.rc == 0, again.stdout
    assert_whole_event(emulator)  # exactly the event: every resource once, nothing more
    assert foreign(emulator) == before

    # No orphan: whatever the interrupted run left, teardown finds and removes it.
    assert run_playbook("teardown.yml", inventory).rc == 0
    assert_nothing_of_the_event(emulator)
    assert foreign(emulator) == before


@pytest.mark.parametrize(
    ("point", "sig"),
    one_signal_each(
        ("DeleteApp", signal.SIGINT), ("DeleteSpace", signal.SIGKILL), ("DeleteUserProfile", signal.SIGKILL)
    ),
)
def test_interrupted_teardown_converges(run_playbook, start_playbook, inventory, emulator, sagemaker, point, sig):
    foreign_resources(sagemaker, space="data-science")
    before = foreign(emulator)
    assert run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True).rc == 0
    teardown = start_playbook("teardown.yml", inventory)
    interrupt(teardown, received(emulator, point), sig, point)

    again = run_playbook("teardown.yml", inventory)
    assert again.rc == 0, again.stdout
    assert_nothing_of_the_event(emulator)
    assert foreign(emulator) == before


def setup_tasks() -> list:
    """Every task of setup.yml, in order, as ansible-playbook names them (role prefix included)."""
    listed = subprocess.run(
        [ANSIBLE_PLAYBOOK, "--list-tasks", str(ROOT / "playbooks" / "setup.yml"), "-e", "users=x.csv"],
        env=dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tasks = listed.split("tasks:", 1)[1].splitlines()
    return [re.sub(r"\tTAGS: \[.*\]$", "", line).strip() for line in tasks if line.strip()]


def task_id(task: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", task.split(" : ")[-1].lower().split(" - ")[0])[:48].strip("-")


def boundaries(tasks, first: int = 0, skipped=()) -> list:
    """(task, signal) cases: a stop before each task that can change anything.

    An argument validation task changes nothing, so stopping before it is stopping before the task
    after it; so is a task the cases' options skip (``skipped``: names or role prefixes), and a task
    named like an earlier one (the callback holds at the first of that name). SIGINT and SIGKILL
    differ only while the background profile job runs (SIGKILL leaves it running, as an orphan racing
    the next run): elsewhere nothing runs but ansible-playbook. While it runs, the two take turns
    from one task to the next, SIGINT first, so that each meets the job at several of its tasks.
    """
    cases, job_alive, turn = [], False, 0
    for i, task in enumerate(tasks):
        previous = tasks[i - 1] if i else ""
        job_alive = (
            job_alive or "Start creating the participants" in previous
        ) and " : Wait for the participants" not in previous
        if i < first or "Validating arguments" in task or task.startswith(tuple(skipped)) or task in tasks[:i]:
            continue
        sig = (signal.SIGINT, signal.SIGKILL)[turn % 2] if job_alive else signal.SIGKILL
        turn += job_alive
        cases.append(pytest.param(task, sig, id=f"{i:02d}-{task_id(task)}-{sig.name.lower()}"))
    return cases


SETUP_TASKS = setup_tasks()
# The tasks before the teams' roles only read and check (portal settings, roster, registry, preflight):
# a stop before any of them leaves what a stop before the first that may change something leaves.
FIRST_CHANGE = next(i for i, task in enumerate(SETUP_TASKS) if task.startswith("hackathon.studio.isolation : "))
PRUNE_FIRST = next(i for i, task in enumerate(SETUP_TASKS) if "'prune'" in task)
SMALL = "ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n"


def run_interrupted_at(start_playbook, tmp_path, task: str, sig: signal.Signals, *args, **extra_vars) -> None:
    """Run a playbook, held as ``task`` starts (tests/reliability/callback), and interrupt it there with ``sig``."""
    marker = tmp_path / "held"
    marker.unlink(missing_ok=True)
    env = {
        "ANSIBLE_CALLBACK_PLUGINS": str(Path(__file__).parent / "callback"),
        "ANSIBLE_CALLBACKS_ENABLED": "interrupt_at",
        "STUDIO_TEST_INTERRUPT_AT": task,
        "STUDIO_TEST_INTERRUPT_MARKER": str(marker),
    }
    process = start_playbook(*args, env=env, **extra_vars)
    interrupt(process, marker.exists, sig, repr(task), timeout=600)


# Setup's options in these cases: every kind of resource the event makes.
EVERYTHING = {"studio_start_apps": True, "studio_personal_spaces": True}
# The tasks these options skip (no isolation, no material, no prune, no access codes, every app started):
# a stop before one is a stop before the next task that runs, so none has a case of its own. The prune
# test's uninterrupted setup checks that each is skipped indeed.
PRUNE = ("hackathon.studio.profiles : Remove participants", "hackathon.studio.spaces : Remove team spaces")
SKIPPED = (
    "hackathon.studio.isolation : ",
    "hackathon.studio.profiles : Create the event's lifecycle configuration",
    "hackathon.studio.profiles : Delete the event's lifecycle configurations",
    "hackathon.studio.access_codes : Give every participant",
    "Report the apps that did not start",
)


def small_event_among_others(emulator, sagemaker, tmp_path):
    """(the foreign resources as they are, the small roster's file): the start of every case below."""
    foreign_resources(sagemaker, space="data-science")
    roster = tmp_path / "users.csv"
    roster.write_text(SMALL)
    return foreign(emulator), roster


def assert_one_teardown_leaves_nothing(run_playbook, inventory, emulator, before) -> None:
    teardown = run_playbook("teardown.yml", inventory)
    assert teardown.rc == 0, teardown.stdout
    assert_nothing_of_the_event(emulator)
    assert foreign(emulator) == before


@pytest.mark.parametrize(("task", "sig"), boundaries(SETUP_TASKS, FIRST_CHANGE, SKIPPED + PRUNE))
def test_teardown_right_after_setup_interrupted_at_any_task(
    run_playbook, start_playbook, inventory, emulator, sagemaker, tmp_path, task, sig
):
    before, roster = small_event_among_others(emulator, sagemaker, tmp_path)
    run_interrupted_at(start_playbook, tmp_path, task, sig, "setup.yml", inventory, users=str(roster), **EVERYTHING)
    assert_one_teardown_leaves_nothing(run_playbook, inventory, emulator, before)


@pytest.mark.parametrize(("task", "sig"), boundaries(SETUP_TASKS, PRUNE_FIRST, SKIPPED))
def test_teardown_right_after_a_prune_interrupted_at_any_task(
    run_playbook, start_playbook, inventory, emulator, sagemaker, tmp_path, task, sig
):
    before, roster = small_event_among_others(emulator, sagemaker, tmp_path)
    setup = run_playbook("setup.yml", inventory, users=str(roster), **EVERYTHING)
    assert setup.rc == 0, setup.stdout
    ran = {t["task"]["name"]: t["hosts"]["localhost"] for play in setup.report["plays"] for t in play["tasks"]}
    assumed = [name for name in SETUP_TASKS if name.startswith(SKIPPED + PRUNE)]
    ran_anyway = [name for name in assumed if not ran[name].get("skipped")]
    assert assumed and not ran_anyway, f"tasks SKIPPED names ran, so they need their own cases: {ran_anyway}"
    roster.write_text("ada@example.org,1\n")  # alan and grace leave, and team 2 with grace
    options = dict(EVERYTHING, users=str(roster), studio_prune=True)
    run_interrupted_at(start_playbook, tmp_path, task, sig, "setup.yml", inventory, **options)
    assert_one_teardown_leaves_nothing(run_playbook, inventory, emulator, before)
