"""Fixtures shared by every suite: a live studio-emulator process per test worker."""

from __future__ import annotations

import os

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
