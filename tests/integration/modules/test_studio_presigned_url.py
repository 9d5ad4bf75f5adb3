"""studio_presigned_url against the live emulator: a private file, no URL in any output, per-entry failures."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

DOMAIN_ID = "d-hackathon0001"
ROOT = Path(__file__).resolve().parents[3]
STUDIO_URL = f"https://{DOMAIN_ID}.studio.us-east-1.sagemaker.aws/"
HOSTILE_EMAIL = "=cmd|' /C calc'!A0"


def url_task(**args):
    return {"hackathon.studio.studio_presigned_url": args, "register": "out", "ignore_errors": True}


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def wait_until(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the emulator did not settle in time"
        time.sleep(0.02)


@pytest.fixture
def people(sagemaker, emulator):
    """ada, bob and alice; alice owns the private space alice-private."""
    for name in ("ada", "bob", "alice"):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name)
    wait_until(lambda: all(p["status"] == "InService" for p in emulator.state()["user_profiles"]))
    sagemaker.create_space(
        DomainId=DOMAIN_ID,
        SpaceName="alice-private",
        SpaceSettings={"AppType": "JupyterLab"},
        OwnershipSettings={"OwnerUserProfileName": "alice"},
        SpaceSharingSettings={"SharingType": "Private"},
    )
    wait_until(lambda: emulator.state()["spaces"][0]["status"] == "InService")


def roster_task(dest):
    """Four entries: two succeed (one with hostile email and team), a missing profile, a refused space."""
    return url_task(
        dest=str(dest),
        session_duration=3600,
        user_profiles=[
            {"user_profile": "ada", "email": HOSTILE_EMAIL, "team": "+1+1"},
            {"user_profile": "eve"},
            {"user_profile": "bob", "space": "alice-private"},
            {"user_profile": "alice", "space": "alice-private", "email": "alice@example.org", "team": "-team"},
        ],
    )


def presigned_calls(emulator) -> int:
    return emulator.calls()["received"].get("CreatePresignedDomainUrl", 0)


def test_bad_options_are_refused_before_any_call_and_check_mode_writes_nothing(playbook, people, emulator, tmp_path):
    before = emulator.calls()["received"]
    dest = tmp_path / "urls.csv"
    run = playbook(
        [
            url_task(user_profile="ada", dest=str(tmp_path / "missing" / "urls.csv"), expires_in=4),
            url_task(user_profile="ada", dest=str(tmp_path / "urls.txt"), expires_in=301, session_duration=60),
            url_task(user_profile="ada", dest=str(dest), return_urls=True),
            {**roster_task(dest), "check_mode": True},
        ]
    )
    for result in run.results[:3]:
        assert result["failed"]
    assert "between 5 and 300 seconds, got 4" in run[0]["msg"] and "does not exist" in run[0]["msg"]
    assert "between 5 and 300 seconds, got 301" in run[1]["msg"]
    assert "between 1800 and 43200 seconds, got 60" in run[1]["msg"] and ".csv or .json" in run[1]["msg"]
    assert "no_log" in run[2]["msg"]
    checked = run[3]
    assert not checked.get("failed") and not checked["changed"]
    assert (checked["count"], checked["failed_count"], checked["dest"]) == (4, 0, str(dest))
    after = emulator.calls()["received"]
    # only the check-mode run reached the API, to check the domain; nothing asked for a URL
    assert {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)} == {
        "DescribeDomain": 1
    }
    assert os.listdir(tmp_path) == ["play.yml"]


def minted(emulator) -> dict:
    """user profile -> the session durations its URLs were minted with (the emulator records them)."""
    return {p["name"]: [u["session_duration"] for u in p["presigned_urls"]] for p in emulator.state()["user_profiles"]}


def test_session_lasts_8_hours_unless_asked_never_aws_12_hour_default(playbook, people, emulator, tmp_path):
    run = playbook(
        [
            url_task(user_profile="ada", dest=str(tmp_path / "ada.json")),
            url_task(user_profiles=[{"user_profile": "bob"}], dest=str(tmp_path / "bob.csv"), session_duration=1800),
            url_task(user_profile="alice", dest=str(tmp_path / "alice.json"), session_duration=43200),
        ]
    )
    assert not any(result.get("failed") for result in run.results)
    assert minted(emulator) == {"ada": [28800], "bob": [1800], "alice": [43200]}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1799, "session_duration must be between 1800 and 43200 seconds, got 1799"),
        (43201, "session_duration must be between 1800 and 43200 seconds, got 43201"),
        ("eight hours", "argument 'session_duration' is of type"),
    ],
)
def test_bad_session_duration_is_refused_before_any_call(playbook, people, emulator, tmp_path, value, message):
    before = presigned_calls(emulator)
    run = playbook([url_task(user_profile="ada", dest=str(tmp_path / "ada.json"), session_duration=value)])
    assert run[0]["failed"] and message in run[0]["msg"], run[0]["msg"]
    assert presigned_calls(emulator) == before
    assert not (tmp_path / "ada.json").exists()


def test_csv_is_private_neutralised_and_partial_failures_are_named(playbook, people, emulator, tmp_path):
    dest = tmp_path / "urls.csv"
    dest.write_text("stale\n")
    os.chmod(dest, 0o644)
    json_dest = tmp_path / "ada.json"
    run = playbook(
        [
            roster_task(dest),
            url_task(user_profile="ada", dest=str(json_dest), expires_in=60, landing_uri="studio::"),
            {**url_task(user_profile="bob", dest=str(tmp_path / "bob.json"), return_urls=True), "no_log": True},
            {
                "ansible.builtin.assert": {
                    "that": ["out.urls | length == 1", "out.urls[0].url is search('token=')", "out.count == 1"],
                    "quiet": True,
                }
            },
        ]
    )
    roster = run[0]
    assert roster["failed"] and not roster["changed"]
    assert (roster["count"], roster["failed_count"]) == (2, 2)
    assert "eve" in roster["msg"] and "ResourceNotFound" in roster["msg"]
    assert "bob in space alice-private" in roster["msg"]
    assert [f["user_profile"] for f in roster["failures"]] == ["eve", "bob"]
    assert "urls" not in roster

    assert mode(dest) == 0o600
    rows = list(csv.DictReader(dest.open(newline="")))
    assert [r["user_profile"] for r in rows] == ["ada", "alice"]
    assert list(rows[0]) == ["user_profile", "space", "email", "team", "url", "expires_at"]
    assert (rows[0]["email"], rows[0]["team"]) == ("'" + HOSTILE_EMAIL, "'+1+1")
    assert (rows[1]["space"], rows[1]["email"], rows[1]["team"]) == ("alice-private", "alice@example.org", "'-team")
    assert all(r["url"].startswith(STUDIO_URL) and "token=" in r["url"] for r in rows)
    assert all(r["expires_at"].endswith("Z") for r in rows)

    single = run[1]
    assert not single.get("failed") and not single["changed"] and single["count"] == 1
    assert mode(json_dest) == 0o600
    [entry] = json.loads(json_dest.read_text())
    assert entry["user_profile"] == "ada" and entry["space"] is None and entry["url"].startswith(STUDIO_URL)

    assert run[2].get("censored") and "urls" not in run[2]  # no_log: the output hides what was returned
    assert not run[3].get("failed")  # ...while the registered variable holds the URL
    assert sorted(os.listdir(tmp_path)) == ["ada.json", "bob.json", "play.yml", "urls.csv"]

    urls = [r["url"] for r in rows] + [entry["url"]]
    assert "token=" not in run.stdout + run.stderr
    assert not any(url in run.stdout + run.stderr for url in urls)


def test_no_url_in_verbose_text_output(people, emulator, tmp_path):
    """The same tasks at -vvv with the default callback: what an organizer sees on the terminal."""
    dest = tmp_path / "urls.csv"
    play = [
        {
            "hosts": "localhost",
            "gather_facts": False,
            "module_defaults": {
                "group/hackathon.studio.studio": {
                    "endpoint_url": emulator.url,
                    "region": "us-east-1",
                    "access_key": "emulator",
                    "secret_key": "emulator",
                },
                "hackathon.studio.studio_presigned_url": {"domain_id": DOMAIN_ID},
            },
            "tasks": [
                roster_task(dest),
                {**url_task(user_profile="bob", dest=str(tmp_path / "bob.json"), return_urls=True), "no_log": True},
            ],
        }
    ]
    path = tmp_path / "play.yml"
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    env.pop("ANSIBLE_STDOUT_CALLBACK", None)
    process = subprocess.run(
        [
            str(Path(sys.executable).parent / "ansible-playbook"),
            "-vvv",
            "-i",
            "localhost,",
            "-c",
            "local",
            str(path),
            "-e",
            f"ansible_python_interpreter={sys.executable}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = process.stdout + process.stderr
    assert "eve" in output and "ok: [localhost]" in output  # the run happened and said what failed
    assert presigned_calls(emulator) == 5
    urls = [r["url"] for r in csv.DictReader(dest.open(newline=""))]
    urls.append(json.loads((tmp_path / "bob.json").read_text())[0]["url"])
    assert len(urls) == 3
    assert "token=" not in output
    assert not any(url in output for url in urls)
