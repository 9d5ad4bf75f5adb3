"""`studio portal`: the participant portal served for the inventory's event, and codes revoked or reissued."""

from __future__ import annotations

import csv
import os
import re
import select
import signal
import stat
import subprocess
import sys

import httpx
import yaml

STUDIO_URL = "https://d-hackathon0001.studio.us-east-1.sagemaker.aws/"
ROSTER = "ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n"


def codes_inventory(inventory, auth=("codes",)):
    """The test's inventory in codes mode, the codes going to codes.csv in the test's directory."""
    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())
    hosts["all"]["hosts"]["localhost"].update(studio_event="spring", studio_portal_auth=list(auth))
    (inventory / "hosts.yml").write_text(yaml.safe_dump(hosts))
    return inventory


def read_codes(path) -> dict:
    return {row["email"]: row["code"] for row in csv.DictReader(path.open())}


def log_in(base_url: str, email: str, code: str) -> httpx.Response:
    with httpx.Client(base_url=base_url, follow_redirects=False) as client:
        page = client.get("/")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return client.post("/login", data={"email": email, "code": code, "csrf_token": token})


def start_portal(tmp_path, inventory):
    process = subprocess.Popen(
        [sys.executable, "-m", "hackathon_studio.cli", "portal", "--port", "0", "-i", str(inventory)],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], 120)
    assert ready, "studio portal printed nothing"
    return process, process.stdout.readline().strip()


def stop(process) -> tuple[str, str]:
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return out, err


def test_portal_logs_participants_in_and_codes_are_revoked_and_reissued(studio, inventory, emulator, tmp_path):
    inventory = codes_inventory(inventory)
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    assert studio("configure", inventory=inventory).rc == 0
    assert studio("setup-users", roster, inventory=inventory).rc == 0
    codes_file = tmp_path / "codes-spring.csv"
    codes = read_codes(codes_file)
    assert sorted(codes) == ["ada@example.org", "alan@example.org", "grace@example.org"]

    process, base_url = start_portal(tmp_path, inventory)
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url), base_url
        answer = log_in(base_url, "grace@example.org", codes["grace@example.org"])
        assert answer.status_code == 303 and answer.headers["location"].startswith(STUDIO_URL)
        grace = next(p for p in emulator.state()["user_profiles"] if p["name"].startswith("grace-"))
        assert [u["space"] for u in grace["presigned_urls"]] == ["team-2"]
        assert log_in(base_url, "ada@example.org", codes["grace@example.org"]).status_code == 401

        revoked = studio("portal", "revoke", "ada@example.org", inventory=inventory)
        assert revoked.rc == 0, revoked
        assert "ada@example.org can no longer log in with their code." in revoked.stdout
        assert log_in(base_url, "ada@example.org", codes["ada@example.org"]).status_code == 401
        assert "ada@example.org" not in read_codes(codes_file)

        reissued = studio("portal", "reissue", "ada@example.org", inventory=inventory)
        assert reissued.rc == 0, reissued
        cards_file = tmp_path / "cards-spring.html"
        assert f"in {codes_file} and on their card in {cards_file} (both mode 0600)" in reissued.stdout
        assert stat.S_IMODE(codes_file.stat().st_mode) == stat.S_IMODE(cards_file.stat().st_mode) == 0o600
        new = read_codes(codes_file)["ada@example.org"]
        assert new in cards_file.read_text() and codes["ada@example.org"] not in cards_file.read_text()
        assert new != codes["ada@example.org"] and log_in(base_url, "ada@example.org", new).status_code == 303
        for run in (revoked, reissued):
            assert not any(code in run.output for code in (*codes.values(), new))
    finally:
        out, err = stop(process)
    assert process.returncode == 0, err
    assert "token=" not in out + err and not any(code in out + err for code in codes.values())
    # The child had the demo vault's keys in its environment only: none in the output.
    assert "emulator-demo-secret" not in out + err


def test_portal_refuses_bad_requests_in_one_line(studio, inventory, make_inventory, emulator):
    unknown = studio("portal", "revoke", "nobody@example.org", inventory=codes_inventory(inventory))
    assert unknown.rc == 2 and "nobody@example.org is not a participant of event spring" in unknown.output, unknown
    missing = studio("portal", "reissue", inventory=inventory)
    assert missing.rc == 2 and "studio portal reissue needs the participant's EMAIL" in missing.stderr


def test_status_says_who_has_logged_in_at_the_portal(studio, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    inventory = codes_inventory(inventory, auth=())  # the event without the portal first
    assert studio("configure", inventory=inventory).rc == 0
    assert studio("setup-users", roster, inventory=inventory).rc == 0
    before = studio("status", "--json", inventory=inventory)
    assert before.rc == 0, before
    assert "logins" not in before.doc["report"]["localhost"]  # no portal: status as it was
    assert "logged_in" not in before.doc["report"]["localhost"]["totals"]

    inventory = codes_inventory(inventory)
    setup = studio("setup-users", roster, inventory=inventory)
    assert setup.rc == 0, setup
    codes = read_codes(tmp_path / "codes-spring.csv")
    process, base_url = start_portal(tmp_path, inventory)
    try:
        assert log_in(base_url, "grace@example.org", codes["grace@example.org"]).status_code == 303
        assert log_in(base_url, "ada@example.org", codes["grace@example.org"]).status_code == 401
    finally:
        stop(process)

    report = studio("status", "--json", inventory=inventory)
    assert report.rc == 0, report
    logins = {p["email"]: p for p in report.doc["report"]["localhost"]["logins"]}
    assert logins["grace@example.org"]["last_login"] and logins["grace@example.org"]["logins"] == 1
    assert [logins[e]["last_login"] for e in ("ada@example.org", "alan@example.org")] == [None, None]
    assert logins["ada@example.org"]["failed_logins"] == 1
    assert report.doc["report"]["localhost"]["totals"]["logged_in"] == 1
    rows = {r["space"]: r for r in csv.DictReader((tmp_path / "status-spring.csv").open())}
    assert (rows["team-1"]["logged_in"], rows["team-1"]["failed_logins"], rows["team-1"]["last_login"]) == (
        "0",
        "1",
        "",
    )
    assert rows["team-2"]["logged_in"] == "1" and rows["team-2"]["last_login"].startswith("20")

    shown = studio("status", inventory=inventory)
    assert shown.rc == 0, shown
    assert "1 of 3 participants have logged in at the portal" in shown.stdout
    assert "not logged in yet: ada@example.org, alan@example.org" in shown.stdout
    assert "logged in" in shown.stdout.split("team-1")[0]  # the table's column
    assert not any(code in shown.output + report.output for code in codes.values())
