"""``studio portal``: serve the participant portal for the inventory's event; revoke or reissue a code.

The portal (``python -m hackathon_studio.portal``) runs as a child process, configured from the
inventory as the playbooks see it (configuration.yml). Its AWS credentials are the inventory's: a
named profile, else the vault's keys, else AWS's chain; they reach the child through its environment
only, never a file or the output.
"""

from __future__ import annotations

import contextlib
import html
import http.cookiejar
import os
import re
import select
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from . import project
from .commands import Result, Session, read_config
from .project import StudioError
from .render import document
from .results import EXIT_CONFIG, EXIT_OK

START_TIMEOUT = 60  # seconds for the portal to print its address
CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")
STATES = {"revoke": "revoked", "reissue": "reissued"}
CSRF_NAME = "csrf_token"  # the login form's CSRF field (issue 13's interface)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*?value="([^"]*)"')


def event_settings(session: Session) -> dict:
    """The public variables of the inventory's one host (domain), as the playbooks see them."""
    config = read_config(session)
    if len(config) != 1:
        hosts = ", ".join(config) or "none"
        raise StudioError(f"studio portal serves one Studio domain, and {session.inventory} has these hosts: {hosts}")
    return next(iter(config.values()))


def portal_config(values: dict) -> dict:
    """The portal's settings (hackathon_studio.portal.PortalConfig) from the inventory's variables."""
    return project.collection_module("plugins.filter.portal_settings", "portal settings").portal_settings(values)


def vault_keys(session: Session) -> dict:
    """The access and secret key of the inventory's vault (group_vars/all/vault.yml); {} without one."""
    path = project.vars_dir(session.inventory) / "group_vars" / "all" / "vault.yml"
    if not path.is_file():
        return {}
    from ansible.errors import AnsibleError
    from ansible.parsing.dataloader import DataLoader
    from ansible.parsing.vault import get_file_vault_secret

    loader = DataLoader()
    demo = [("demo", project.DEMO_VAULT_PASSWORD)] if project.DEMO_VAULT_PASSWORD.is_file() else []
    identities = demo + ([("default", session.vault)] if session.vault else [])
    try:
        secrets = []
        for vault_id, password in identities:
            secret = get_file_vault_secret(filename=str(password), vault_id=vault_id, loader=loader)
            secret.load()
            secrets.append((vault_id, secret))
        loader.set_vault_secrets(secrets)
        data = loader.load_from_file(str(path)) or {}
    except AnsibleError:
        raise StudioError(f"cannot open the vault {path}: give its password with --vault-password-file") from None
    keys = {"access": data.get("vault_studio_aws_access_key"), "secret": data.get("vault_studio_aws_secret_key")}
    return keys if keys["access"] and keys["secret"] else {}


def portal_environment(session: Session, values: dict) -> dict:
    """The child's environment: ours, with the inventory's credentials (a profile, else the vault's keys)."""
    env = {key: value for key, value in os.environ.items()}
    profile = values.get("studio_aws_profile")
    keys = {} if profile else vault_keys(session)
    if profile or keys:
        for name in CREDENTIAL_VARIABLES:
            env.pop(name, None)
    if profile:
        env["AWS_PROFILE"] = profile
    elif keys:
        demo = project.collection_module("plugins.filter.demo_keys", "demo keys check")
        if keys["access"] == demo.DEMO_ACCESS_KEY and not demo.is_local(values.get("studio_endpoint_url")):
            raise StudioError(
                "the demo vault's keys are for the local emulator only: give the account's credentials "
                "through the AWS chain, studio_aws_profile or a vault of your own"
            )
        env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = keys["access"], keys["secret"]
    return env


@contextlib.contextmanager
def started(session: Session, host: str, port: int, values: dict | None = None, capture: bool = False):
    """The portal running for the inventory's event; yields (process, its base URL or None).

    With ``capture`` its stdout is read here: its first line (the base URL) is returned and the rest
    drained; without, the child writes its first line (the base URL) to our stdout itself.
    """
    values = values if values is not None else event_settings(session)
    env = portal_environment(session, values)
    with tempfile.TemporaryDirectory(prefix="studio-portal-") as scratch:
        settings = Path(scratch) / "portal.yml"  # no secret in it: credentials are in the environment
        settings.write_text(yaml.safe_dump(portal_config(values)), encoding="utf-8")
        command = [sys.executable, "-m", "hackathon_studio.portal", "--config", str(settings)]
        command += ["--host", host, "--port", str(port)]
        if capture:  # a caller's own use (the rehearsal): only the portal's warnings and errors are shown
            command += ["--log-level", "warning"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE if capture else None, text=True)
        try:
            yield process, _first_line(process) if capture else None
        finally:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _first_line(process: subprocess.Popen) -> str:
    """The portal's base URL, its first line on stdout; the rest of its stdout is drained in the background."""
    ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT)
    line = process.stdout.readline().strip() if ready else ""
    if not line.startswith("http"):
        raise StudioError(f"the portal did not start (exit code {process.poll()}); see its messages above")
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return line


def serve(session: Session, host: str, port: int) -> Result:
    """Serve the portal until it is stopped (Ctrl-C); the first line on stdout is its base URL."""
    if session.json_mode:
        raise StudioError("studio portal serves until stopped and has no --json document")
    with started(session, host, port) as (process, _url):
        try:
            code = process.wait()
        except KeyboardInterrupt:  # Ctrl-C reached the portal too: it shuts down on its own (else is stopped)
            code = 0
    code = EXIT_OK if code == 0 else EXIT_CONFIG
    return Result(code, {"command": "portal", "status": "ok" if code == EXIT_OK else "failed", "exit_code": code})


def change_code(session: Session, action: str, email: str) -> Result:
    """Revoke a participant's code, or give them a new one (to the 0600 codes file, never shown)."""
    values = event_settings(session)
    event = values["studio_event"]
    codes_file = str(Path(values.get("studio_codes_file") or f"codes-{event}.csv").absolute())
    cards_file = str(Path(values.get("studio_cards_file") or f"cards-{event}.html").absolute())
    extravars = {"email": email, "access_codes_state": STATES[action], "studio_codes_file": codes_file}
    extravars["studio_cards_file"] = cards_file  # both beside each other, where the caller is
    job = session.job(f"portal-{action}", "access_codes.yml", extravars=extravars)
    session.heading(f"{'Revoking' if action == 'revoke' else 'Reissuing'} the access code of {email}")
    code, outcome, run = session.play(job, done="Code revoked" if action == "revoke" else "Code reissued")
    if code == EXIT_OK:
        changed = any(task.changed for task in outcome.results_of("studio_access_codes"))
        if action == "revoke":
            said = f"{email} can no longer log in with their code." if changed else f"{email} had no active code."
        else:
            said = (
                f"{email} has a new access code, in {codes_file} and on their card in {cards_file} (both mode "
                "0600); their old one no longer works."
            )
        session.output.say(said)
    files = {"codes_file": codes_file, "cards_file": cards_file}
    return Result(code, document(f"portal {action}", run, outcome, code, email=email, **files))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 303 is the answer: its Location is the presigned URL, never to be fetched here


def log_in(base_url: str, email: str, code: str, timeout: float = 30) -> tuple[int, str]:
    """Log in at the portal as a browser does (the login page for its CSRF token and cookie, then the
    form); returns (status, Location). The Location is a presigned URL: the caller must not show it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)
    with opener.open(f"{base_url}/", timeout=timeout) as page:
        match = CSRF_FIELD.search(page.read().decode("utf-8", "replace"))
    if match is None:
        raise StudioError(f"the portal's login page at {base_url}/ has no {CSRF_NAME} field")
    form = urllib.parse.urlencode({"email": email, "code": code, CSRF_NAME: html.unescape(match.group(1))})
    try:
        with opener.open(f"{base_url}/login", data=form.encode(), timeout=timeout) as answer:
            return answer.status, answer.headers.get("Location", "")
    except urllib.error.HTTPError as answer:  # the 303 (not followed), or a refusal
        return answer.code, answer.headers.get("Location", "")
