"""Interruptions: setup and teardown stopped by Ctrl-C (SIGINT to the process group, as a terminal
sends it) or killed outright (SIGKILL to ansible-playbook alone, its children left running) at
several points; the next run converges to the state of an uninterrupted one, with no duplicate and
no orphan."""

from __future__ import annotations

import os
import signal

import pytest

from tests.integration.playbooks.conftest import SAMPLE, foreign, foreign_resources
from tests.reliability.event import assert_nothing_of_the_event, assert_whole_event, wait_for

SIGNALS = [pytest.param(signal.SIGINT, id="sigint"), pytest.param(signal.SIGKILL, id="sigkill")]


def interrupt(process, emulator, action: str, sig: signal.Signals) -> None:
    """Send ``sig`` once the emulator has received ``action``; wait for the process to end."""
    wait_for(lambda: emulator.calls()["received"].get(action) or process.poll() is not None)
    assert process.poll() is None, f"the run ended before {action}:\n{process.stdout.read().decode()}"
    if sig == signal.SIGINT:
        os.killpg(process.pid, sig)
    else:
        process.kill()
    process.wait(timeout=120)
    assert process.returncode != 0


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize("point", ["CreateUserProfile", "CreateSpace", "CreateApp", "DynamoDB.BatchWriteItem"])
def test_interrupted_setup_converges(run_playbook, start_playbook, inventory, emulator, sagemaker, point, sig):
    foreign_resources(sagemaker, space="data-science")
    before = foreign(emulator)
    setup = start_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    interrupt(setup, emulator, point, sig)

    again = run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True)
    assert again.rc == 0, again.stdout
    assert_whole_event(emulator)  # exactly the event: every resource once, nothing more
    assert foreign(emulator) == before

    # No orphan: whatever the interrupted run left, teardown finds and removes it.
    assert run_playbook("teardown.yml", inventory).rc == 0
    assert_nothing_of_the_event(emulator)
    assert foreign(emulator) == before


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize("point", ["DeleteApp", "DeleteSpace", "DeleteUserProfile"])
def test_interrupted_teardown_converges(run_playbook, start_playbook, inventory, emulator, sagemaker, point, sig):
    foreign_resources(sagemaker, space="data-science")
    before = foreign(emulator)
    assert run_playbook("setup.yml", inventory, users=str(SAMPLE), studio_start_apps=True).rc == 0
    teardown = start_playbook("teardown.yml", inventory)
    interrupt(teardown, emulator, point, sig)

    again = run_playbook("teardown.yml", inventory)
    assert again.rc == 0, again.stdout
    assert_nothing_of_the_event(emulator)
    assert foreign(emulator) == before
