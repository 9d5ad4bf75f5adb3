"""The portal as served (``python -m hackathon_studio.portal``) and used from headless Chromium, on the emulator."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from .conftest import DOMAIN_ID, REGION, STUDIO_HOST

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "tests" / "output" / "portal"
CHROMIUM = shutil.which("chromium")
STUDIO_URL = re.compile(r"^https://[^/]+\.studio\.[^/]+\.sagemaker\.aws/")


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


@pytest.fixture
def served(event, tmp_path):
    config = {k: v for k, v in vars(event.config()).items() if v is not None}
    portal = Served(config, tmp_path)
    yield portal
    if portal.process.poll() is None:
        portal.stop()


def test_the_served_portal_prints_its_url_first_and_refuses_bad_settings(served, tmp_path):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", served.url), served.url
    bad = tmp_path / "bad.yml"
    bad.write_text("event: spring\nregion: us-east-1\nregistry: x\n")
    args = [sys.executable, "-m", "hackathon_studio.portal", "--port", "0", "--config", str(bad)]
    run = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"studio portal: the portal configuration {bad} has unknown settings: registry\n"


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
def test_a_participant_logs_in_from_a_phone_browser_and_lands_in_the_team_space(served, event):
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    landed = []

    def studio(route):  # the navigation into Studio, intercepted: the URL is the test's, not the network's
        landed.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>Studio</h1>")

    with sync_playwright() as playwright:
        # No name resolves but the portal's address: whatever the test misses never reaches the network.
        offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", offline])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page.route(STUDIO_URL, studio)
            page.goto(served.url)
            expect(page.get_by_role("heading", name="Open your team's space")).to_be_visible()
            page.screenshot(path=OUTPUT / "login.png", full_page=True)
            page.get_by_label("Your email").fill("ada@example.org")
            page.get_by_label("Access code").fill("ABCD-EFGH-JKMN")
            page.get_by_role("button", name="Open Studio").click()
            expect(page.get_by_role("alert")).to_contain_text("do not match")
            page.screenshot(path=OUTPUT / "wrong-code.png", full_page=True)
            assert page.get_by_label("Your email").input_value() == "ada@example.org"
            page.get_by_label("Access code").fill(event.codes["ada@example.org"].lower())
            page.get_by_role("button", name="Open Studio").click()
            page.wait_for_url(STUDIO_URL)
            page.screenshot(path=OUTPUT / "studio.png")
            event.set_window(end="2020-01-01T00:00:00Z")
            page.goto(served.url)
            expect(page.get_by_role("status")).to_have_text("The event has ended: the portal is closed.")
            page.screenshot(path=OUTPUT / "closed.png", full_page=True)
        finally:
            browser.close()
    assert (
        len(landed) == 1 and urlsplit(landed[0]).netloc == STUDIO_HOST == f"{DOMAIN_ID}.studio.{REGION}.sagemaker.aws"
    )
    assert event.presigned() == [("ada-aaaa", "team-1")]
    logs = served.stop()
    assert '"POST /login HTTP/1.1" 303 See Other' in logs and "login success for ada@example.org" in logs
    assert landed[0].split("token=")[1] not in logs  # not at DEBUG either


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
def test_an_access_cards_qr_link_fills_the_form_and_leaves_no_code_in_the_address(served, event):
    from playwright.sync_api import sync_playwright

    code = event.codes["ada@example.org"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"{served.url}/#email=ada%40example.org&code={code}")
            page.wait_for_function("window.location.hash === ''")
            assert page.get_by_label("Your email").input_value() == "ada@example.org"
            assert page.get_by_label("Access code").input_value() == code
            assert page.url == f"{served.url}/"
        finally:
            browser.close()
    assert code not in served.stop()  # the fragment never reached the server
