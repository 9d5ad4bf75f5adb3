"""Fixtures shared by every suite: a live studio-emulator process per test worker."""

from __future__ import annotations

import contextlib
import os
import signal
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from hackathon_studio.cli.project import DEMO_VAULT_IDENTITY
from hackathon_studio.emulator.process import EmulatorProcess

# ansible.cfg names the demo vault's password relative to the checkout; tests run ansible elsewhere.
os.environ.setdefault("ANSIBLE_VAULT_IDENTITY_LIST", DEMO_VAULT_IDENTITY)

# Transitions run 100x faster than on AWS: a user profile is ready in 0.05 s, an app in 1.5 s.
TEST_TIME_SCALE = 0.01
DOMAIN_ID = "d-hackathon0001"


def processes_marked(marks: list[bytes]) -> list[int]:
    """The processes whose environment holds one of ``marks`` (they or a parent were started with it)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):  # not a process, or one that has just ended
            environment = b"\0" + (entry / "environ").read_bytes() if entry.name.isdigit() else b""
            if any(mark in environment for mark in marks):
                found.append(int(entry.name))
    return found


@pytest.fixture(autouse=True)
def no_process_outlives_its_test(request, monkeypatch):
    """Every process a test starts inherits its mark; what is still running at its end is killed.

    An ansible-playbook killed by a test leaves its async job running (as it would on the organizer's
    machine); left alone, the job would go on calling the emulator in the next test on this worker.
    The `studio` command hands its runs an allowlisted environment, without the mark: its processes
    are known by the test's temporary directory, where their TMPDIR is. Session fixtures (the
    emulator) start before this and carry neither.
    """
    mark = uuid.uuid4().hex
    monkeypatch.setenv("STUDIO_TEST_PROCESS_MARK", mark)
    marks = [f"\0STUDIO_TEST_PROCESS_MARK={mark}\0".encode()]
    if "tmp_path" in request.fixturenames:
        marks.append(f"{request.getfixturevalue('tmp_path')}/".encode())
    yield
    for pid in processes_marked(marks):
        if pid != os.getpid():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def emulator_process():
    # lenient: no throttling, no floor on transitions, 1,000 apps per type; tests of the aws profile set it.
    with EmulatorProcess(time_scale=TEST_TIME_SCALE, profile="lenient") as process:
        yield process


@pytest.fixture
def emulator(emulator_process):
    """The emulator, reset to its start state (the pre-created domain only) for this test."""
    emulator_process.reset()
    return emulator_process


@pytest.fixture
def sagemaker(emulator):
    config = Config(retries={"mode": "standard", "max_attempts": 5})
    return boto3.client("sagemaker", config=config, **emulator.client_kwargs())
