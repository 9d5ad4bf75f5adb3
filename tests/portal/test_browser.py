"""The portal as served (``python -m hackathon_studio.portal``) and used from headless Chromium, on the emulator."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from .conftest import DOMAIN_ID, EMAIL_MODE, REGION, ROOT, STUDIO_HOST

OUTPUT = ROOT / "tests" / "output" / "portal"
CHROMIUM = shutil.which("chromium")
STUDIO_URL = re.compile(r"^https://[^/]+\.studio\.[^/]+\.sagemaker\.aws/")


@contextlib.contextmanager
def phone(landed: list):
    """A phone-sized page in headless Chromium that resolves no name but the portal's address; the
    navigation into Studio is intercepted (the URL is the test's, not the network's) into ``landed``."""
    from playwright.sync_api import sync_playwright

    def studio(route):
        landed.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>Studio</h1>")

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", offline])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page.route(STUDIO_URL, studio)
            yield page
        finally:
            browser.close()


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
    from playwright.sync_api import expect

    landed = []
    with phone(landed) as page:
        page.goto(served.url)
        expect(page.get_by_role("heading", name="Open your team's space")).to_be_visible()
        page.screenshot(path=OUTPUT / "login.png", full_page=True)
        page.get_by_label("Your email").fill("ada@example.org")
        page.get_by_label("Access code").fill("ABCD-EFGH-JKMN")
        page.get_by_role("button", name="Open Studio").click()
        expect(page.get_by_role("alert")).to_contain_text("do not match")
        page.screenshot(path=OUTPUT / "wrong-code.png", full_page=True)
        assert page.get_by_label("Your email").input_value() == "ada@example.org"
        page.evaluate("document.querySelector('input[name=csrf_token]').remove()")  # a forged form
        page.get_by_role("button", name="Open Studio").click()
        expect(page.get_by_role("heading", name="Please try again")).to_be_visible()
        page.screenshot(path=OUTPUT / "no-csrf.png", full_page=True)
        page.goto(served.url)
        page.get_by_label("Your email").fill("ada@example.org")
        page.get_by_label("Access code").fill(event.codes["ada@example.org"].lower())
        page.get_by_role("button", name="Open Studio").click()
        page.wait_for_url(STUDIO_URL)
        page.screenshot(path=OUTPUT / "studio.png")
        event.set_window(end="2020-01-01T00:00:00Z")
        page.goto(served.url)
        expect(page.get_by_role("status")).to_have_text("The event has ended: the portal is closed.")
        page.screenshot(path=OUTPUT / "closed.png", full_page=True)
    assert (
        len(landed) == 1 and urlsplit(landed[0]).netloc == STUDIO_HOST == f"{DOMAIN_ID}.studio.{REGION}.sagemaker.aws"
    )
    assert event.presigned() == [("ada-aaaa", "team-1")]
    logs = served.stop()
    assert '"POST /login HTTP/1.1" 303 See Other' in logs and "login success for ada@example.org" in logs
    assert landed[0].split("token=")[1] not in logs  # not at DEBUG either


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
def test_a_participant_logs_in_with_an_emailed_code_and_a_locked_one_is_told_until_when(served_email, event):
    from playwright.sync_api import expect

    from hackathon_studio.portal.store import PortalStore

    event.verify_for_ses()
    store = PortalStore(event.config(**EMAIL_MODE), session=event.session)
    for _ in range(5):  # alan's 5 wrong tries, from another process
        store.verify_emailed("alan@example.org", "000000")
    landed = []
    with phone(landed) as page:
        page.goto(served_email.url)
        page.get_by_label("Your email").fill("ada@example.org")
        page.get_by_role("button", name="Email me a code").click()
        expect(page.locator("#sent")).to_contain_text("we have sent it a 6-digit code, valid 10 minutes")
        page.screenshot(path=OUTPUT / "code-sent.png", full_page=True)
        code = page.get_by_label("Code from your email")
        expect(code).to_be_focused()
        code.fill(event.mailed_code("Ada@example.org"))
        # The checking step, held on the page (the form is not sent): button off, said aloud.
        page.evaluate("document.addEventListener('submit', (e) => e.preventDefault(), {once: true})")
        code.press("Enter")
        expect(page.locator("[aria-live=polite]").first).to_have_text(
            "Checking… you will be taken to your team's space."
        )
        expect(page.get_by_role("button", name="Open Studio")).to_be_disabled()
        page.screenshot(path=OUTPUT / "checking.png", full_page=True)
        page.get_by_role("button", name="Open Studio").evaluate("(button) => { button.disabled = false; }")
        page.get_by_role("button", name="Open Studio").click()  # now sent
        page.wait_for_url(STUDIO_URL)
        page.goto(served_email.url)
        page.get_by_label("Your email").fill("alan@example.org")
        page.get_by_role("button", name="Email me a code").click()
        expect(page.get_by_role("status")).to_contain_text("Too many wrong codes for this email. Try again at")
        page.screenshot(path=OUTPUT / "locked.png", full_page=True)
    assert len(landed) == 1 and urlsplit(landed[0]).netloc == STUDIO_HOST
    assert event.presigned() == [("ada-aaaa", "team-1")]
    assert event.mailed_code("Ada@example.org") not in served_email.stop()


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
def test_an_access_cards_qr_link_fills_the_form_and_leaves_no_code_in_the_address(served, event):
    code = event.codes["ada@example.org"]
    with phone([]) as page:
        page.goto(f"{served.url}/#email=ada%40example.org&code={code}")
        page.wait_for_function("window.location.hash === ''")
        assert page.get_by_label("Your email").input_value() == "ada@example.org"
        assert page.get_by_label("Access code").input_value() == code
        assert page.url == f"{served.url}/"
    assert code not in served.stop()  # the fragment never reached the server
