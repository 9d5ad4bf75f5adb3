"""playbooks/portal.yml on this machine (no systemd): the role writes under a temporary root, and the
portal started exactly as its rendered unit says serves a login on the emulator's event; teardown removes it."""

from __future__ import annotations

import base64
import csv
import http.cookiejar
import re
import select
import shlex
import shutil
import site
import socket
import stat
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from hackathon_studio.cli.portal import CSRF_FIELD

from .conftest import demo_vault

ROSTER = "ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n"
PORTAL_HOST = "portal.example.org"
STUDIO_URL = "https://d-hackathon0001.studio.us-east-1.sagemaker.aws/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_inventory(inventory: Path, root: Path, port: int) -> Path:
    """The test's event inventory (one domain host, localhost) plus a group portal of one local host."""
    hosts = yaml.safe_load(inventory.read_text())
    hosts["all"]["hosts"]["localhost"]["studio_event"] = "spring"
    hosts["all"]["children"] = {
        "portal": {
            "hosts": {
                PORTAL_HOST: {
                    "ansible_connection": "local",
                    "ansible_python_interpreter": sys.executable,
                    "ansible_become": False,
                    "portal_root": str(root),
                    "portal_manage_services": False,
                    "portal_port": port,
                    "portal_python": sys.executable,
                    "portal_pip_extra_args": "--no-index",
                    "portal_aws_access_key": "{{ vault_studio_aws_access_key }}",
                    "portal_aws_secret_key": "{{ vault_studio_aws_secret_key }}",
                }
            }
        }
    }
    path = inventory.parent / "portal" / "hosts.yml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(hosts))
    demo_vault(path.parent)
    return path


def offline_venv(venv: Path, scratch: Path) -> None:
    """The portal's venv made beforehand, its dependencies (not hackathon-studio) those of this test's
    environment through a .pth file: pip then installs the role's wheel without the network."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    deps = scratch / "deps"
    deps.mkdir()
    for entry in Path(site.getsitepackages()[0]).iterdir():
        if not entry.name.startswith(("hackathon_studio", "__editable__", "_hackathon_studio")):
            (deps / entry.name).symlink_to(entry)
    (next(venv.glob("lib/python3*/site-packages")) / "test-deps.pth").write_text(f"{deps}\n")


def read_service(path: Path) -> dict:
    """The [Service] section of a unit: key -> value, Environment= lines -> a list."""
    service, section = {"Environment": []}, None
    for line in path.read_text().splitlines():
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            if key == "Environment":
                service[key].append(value)
            else:
                service[key] = value
    return service


def unit_environment(service: dict) -> dict:
    """The environment systemd gives the process: EnvironmentFile= then each Environment=."""
    lines = Path(service["EnvironmentFile"]).read_text().splitlines()
    pairs = [line for line in lines if "=" in line and not line.startswith("#")] + service["Environment"]
    return dict(pair.split("=", 1) for pair in pairs)


class SecureOverLoopback(http.cookiejar.DefaultCookiePolicy):
    """The portal sets Secure cookies (it serves behind TLS); here the test is its TLS proxy."""

    def return_ok_secure(self, cookie, request):
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base_url: str, email: str, code: str) -> tuple[int, str, str]:
    """(status, Location, Set-Cookie of the login page) of a login with the portal's form."""
    jar = http.cookiejar.CookieJar(policy=SecureOverLoopback())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{base_url}/", timeout=30) as page:
        text = page.read().decode()
        assert CSRF_FIELD.search(text), text
        token = CSRF_FIELD.search(text).group(1)
        cookie = page.headers.get("Set-Cookie", "")
    form = urllib.parse.urlencode({"email": email, "code": code, "csrf_token": token}).encode()
    try:
        with opener.open(f"{base_url}/login", data=form, timeout=30) as answer:
            return answer.status, answer.headers.get("Location", ""), cookie
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", ""), cookie


def start_as_unit(unit_file: Path) -> tuple[subprocess.Popen, str]:
    service = read_service(unit_file)
    env = {"PATH": "/usr/bin:/bin", **unit_environment(service)}
    process = subprocess.Popen(
        shlex.split(service["ExecStart"]), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    ready, _, _ = select.select([process.stdout], [], [], 60)
    assert ready, "the portal printed nothing"
    return process, process.stdout.readline().strip()


def files_under(root: Path) -> list:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir())


def test_portal_deployed_serves_a_login_and_teardown_removes_it(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    codes = tmp_path / "codes.csv"
    assert run_playbook("configure.yml", inventory).rc == 0
    setup = run_playbook(
        "setup.yml", inventory, users=str(roster), studio_portal_auth=["codes"], studio_codes_file=str(codes)
    )
    assert setup.rc == 0, setup.stdout
    code = {row["email"]: row["code"] for row in csv.DictReader(codes.open())}["ada@example.org"]

    root = tmp_path / "root"
    hosts = portal_inventory(inventory, root, free_port())
    offline_venv(root / "opt/hackathon-studio-portal/venv", tmp_path)

    checked = run_playbook("portal.yml", hosts, check=True)
    assert checked.rc == 0 and checked.changed(PORTAL_HOST) > 0, checked.stdout
    assert not (root / "etc").exists()

    first = run_playbook("portal.yml", hosts, json_output=False, args=["-vvv"])
    assert first.rc == 0, first.stdout[-3000:]
    etc = root / "etc/hackathon-studio-portal"
    env_file, unit_file = etc / "portal.env", root / "etc/systemd/system/hackathon-studio-portal.service"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    secrets = {k: v for k, v in (line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)}
    assert re.fullmatch(r"[0-9a-f]{64}", secrets["STUDIO_PORTAL_SESSION_SECRET"])
    assert secrets["AWS_SECRET_ACCESS_KEY"]
    for secret in (secrets["STUDIO_PORTAL_SESSION_SECRET"], secrets["AWS_SECRET_ACCESS_KEY"]):
        assert secret not in first.stdout + first.stderr
    settings = yaml.safe_load((etc / "portal.yml").read_text())
    assert settings["event"] == "spring" and settings["endpoint_url"] == emulator.url
    assert settings["tls"] is True and settings["forwarded_allow_ips"] == "127.0.0.1"
    caddyfile = (root / "etc/caddy/Caddyfile").read_text()
    assert re.search(rf"^{re.escape(PORTAL_HOST)} {{\n\treverse_proxy 127\.0\.0\.1:\d+\n}}", caddyfile, re.M)

    again = run_playbook("portal.yml", hosts)
    assert again.rc == 0, again.stdout
    assert again.changed(PORTAL_HOST) == 0
    # The run that read the environment file back (slurp) shows neither it nor the secret in it.
    assert base64.b64encode(env_file.read_bytes()).decode() not in again.stdout
    assert secrets["STUDIO_PORTAL_SESSION_SECRET"] not in again.stdout
    assert run_playbook("portal.yml", hosts, check=True).changed(PORTAL_HOST) == 0
    assert f"STUDIO_PORTAL_SESSION_SECRET={secrets['STUDIO_PORTAL_SESSION_SECRET']}\n" in env_file.read_text()

    if shutil.which("systemd-analyze"):
        verify = subprocess.run(["systemd-analyze", "verify", str(unit_file)], capture_output=True, text=True)
        assert verify.returncode == 0, verify.stderr
    if shutil.which("caddy"):
        check = subprocess.run(
            ["caddy", "validate", "--adapter", "caddyfile", "--config", str(root / "etc/caddy/Caddyfile")]
        )
        assert check.returncode == 0

    service = read_service(unit_file)
    assert service["User"] == "hackathon-studio-portal"
    assert {"NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp"} <= set(service)
    assert " --host 127.0.0.1 " in service["ExecStart"]
    process, base_url = start_as_unit(unit_file)
    try:
        ada = log_in(base_url, "ada@example.org", code)
        wrong = log_in(base_url, "ada@example.org", "not-the-code")
    finally:
        process.terminate()
        _, log = process.communicate(timeout=30)
    status, location, cookie = ada
    assert status == 303 and location.startswith(STUDIO_URL), log
    assert "secure" in cookie.lower() and "httponly" in cookie.lower()
    assert wrong[0] != 303
    assert location not in log

    teardown = run_playbook("teardown.yml", hosts, json_output=False, args=["-vvv"])
    assert teardown.rc == 0, teardown.stdout[-3000:]
    assert files_under(root) == []
    assert secrets["STUDIO_PORTAL_SESSION_SECRET"] not in teardown.stdout
    assert not emulator.state()["spaces"]


@pytest.mark.parametrize("event_host", ["nowhere", PORTAL_HOST])
def test_portal_refuses_an_event_host_that_is_not_a_domain(run_playbook, inventory, tmp_path, event_host):
    root = tmp_path / "root"
    hosts = portal_inventory(inventory, root, free_port())
    run = run_playbook("portal.yml", hosts, json_output=False, portal_event_host=event_host)
    assert run.rc != 0
    assert "portal_event_host must name the inventory host" in run.stdout
    assert not root.exists()
