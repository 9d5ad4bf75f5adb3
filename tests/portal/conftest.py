"""An event on the live emulator for the portal: a registry, two teams' spaces, and codes issued as setup does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import yaml
from starlette.testclient import TestClient

from hackathon_studio.portal import PortalConfig, create_app
from hackathon_studio.portal.store import PortalStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_ID = "d-hackathon0001"
REGION = "us-east-1"
TABLE = "hackathon-studio-registry"
EVENT = "spring"
STUDIO_HOST = f"{DOMAIN_ID}.studio.{REGION}.sagemaker.aws"
SENDER = "portal@example.org"
EMAIL_MODE = {"auth": ("email",), "email_sender": SENDER, "url": "https://portal.example.org"}
PEOPLE = [
    {"email": "Ada@example.org", "team": "1", "user_profile": "ada-aaaa", "space": "team-1"},
    {"email": "alan@example.org", "team": "2", "user_profile": "alan-bbbb", "space": "team-2"},
]


def wait_until(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the emulator did not settle in time"
        time.sleep(0.02)


class Event:
    """The event's registry, spaces and codes (lower-case email -> code), as setup leaves them."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.session = boto3.session.Session(
            aws_access_key_id="emulator", aws_secret_access_key="emulator", region_name=REGION
        )
        self.store = PortalStore(self.config(), session=self.session)
        self.registry = self.store.registry
        self.codes: dict = {}

    def config(self, **settings) -> PortalConfig:
        values = {"event": EVENT, "region": REGION, "registry_table": TABLE, "endpoint_url": self.emulator.url}
        return PortalConfig(**{**values, "event_name": "Spring Hack", "message": "Doors open at 9.", **settings})

    def set_window(self, start=None, end=None) -> None:
        config = {"region": REGION, "domain_id": DOMAIN_ID, "event": EVENT}
        config.update({k: v for k, v in (("studio_event_start", start), ("studio_event_end", end)) if v})
        self.registry.sync(config, None, prune=False)

    def teardown(self) -> None:
        self.registry.remove_event()

    def presigned(self) -> list:
        """(user profile, space) of every URL the emulator minted, in order."""
        return [
            (p["name"], url["space"])
            for p in self.emulator.state()["user_profiles"]
            for url in p.get("presigned_urls", [])
        ]

    def verify_for_ses(self) -> None:
        """The sender, and (a new account is in SES's sandbox) the participants, verified identities."""
        ses = self.session.client("ses", endpoint_url=self.emulator.url)
        for address in (SENDER, *(p["email"] for p in PEOPLE)):
            ses.verify_email_identity(EmailAddress=address)

    def mailed_code(self, email: str) -> str:
        """The code in the last message SES accepted for ``email``."""
        sent = [m for m in self.emulator.ses_messages() if email in m["to"]]
        assert sent, f"no message to {email}"
        return re.search(r"\b([0-9]{6})\b", sent[-1]["text"]).group(1)

    def items(self, prefix: str) -> list:
        table = self.session.resource("dynamodb", endpoint_url=self.emulator.url).Table(TABLE)
        return [i for i in table.scan()["Items"] if i["item"].startswith(prefix)]


@pytest.fixture
def event(emulator, sagemaker):
    from ansible_collections.hackathon.studio.plugins.module_utils.access_codes import put_code

    made = Event(emulator)
    for person in PEOPLE:
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=person["user_profile"])
    wait_until(lambda: all(p["status"] == "InService" for p in emulator.state()["user_profiles"]))
    for person in PEOPLE:
        sagemaker.create_space(
            DomainId=DOMAIN_ID,
            SpaceName=person["space"],
            SpaceSettings={"AppType": "JupyterLab"},
            SpaceSharingSettings={"SharingType": "Shared"},
            OwnershipSettings={"OwnerUserProfileName": person["user_profile"]},
        )
    made.registry.ensure_table({"hackathon:event": EVENT})
    made.registry.sync({"region": REGION, "domain_id": DOMAIN_ID, "event": EVENT}, PEOPLE, prune=False)
    made.codes = {p["email"].lower(): put_code(made.registry, p) for p in PEOPLE}
    return made


@pytest.fixture
def portal(event):
    """``portal(**settings)``: a TestClient on a new app over the event (same registry, new process state)."""

    def make(base_url: str = "http://testserver", clock=time.time, **settings) -> TestClient:
        config = event.config(**settings)
        app = create_app(config, store=PortalStore(config, session=event.session, clock=clock))
        return TestClient(app, base_url=base_url, follow_redirects=False)

    return make


class Served:
    """The portal in its own process, logging at DEBUG; ``stop()`` returns everything it wrote."""

    def __init__(self, config: dict, tmp_path: Path):
        path = tmp_path / "portal.yml"
        path.write_text(yaml.safe_dump(config))
        env = dict(
            os.environ,
            AWS_ACCESS_KEY_ID="emulator",
            AWS_SECRET_ACCESS_KEY="emulator",
            AWS_DEFAULT_REGION=REGION,
            PYTHONPATH=str(ROOT / "src"),
        )
        args = [sys.executable, "-m", "hackathon_studio.portal", "--port", "0", "--config", str(path)]
        self.process = subprocess.Popen(
            [*args, "--log-level", "debug"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        self.url = self.process.stdout.readline().strip()

    def stop(self) -> str:
        self.process.terminate()
        out, err = self.process.communicate(timeout=20)
        return out + err


def serve(event, tmp_path, **settings):
    """The portal over ``event`` in its own process, stopped at the end of the test."""
    config = {k: list(v) if isinstance(v, tuple) else v for k, v in vars(event.config(**settings)).items()}
    portal = Served({k: v for k, v in config.items() if v is not None}, tmp_path)
    yield portal
    if portal.process.poll() is None:
        portal.stop()


@pytest.fixture
def served(event, tmp_path):
    yield from serve(event, tmp_path)


@pytest.fixture
def served_email(event, tmp_path):
    yield from serve(event, tmp_path, **EMAIL_MODE)
