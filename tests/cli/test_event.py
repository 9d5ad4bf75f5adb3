"""A whole event through `studio`: each command's happy path, --json, --check, and no secret anywhere."""

from __future__ import annotations

import csv
import re
import stat
from pathlib import Path

import yaml


def test_whole_event(studio, inventory, emulator, sample, tmp_path, state_counts, mutating_calls, never_shown):
    runs = []

    def step(*args):
        run = studio(*args, "--json", inventory=inventory)
        runs.append(run)
        assert run.rc == 0, run
        assert run.doc["exit_code"] == 0 and run.doc["status"] == "ok", run
        return run.doc

    # configure: non-interactive, the answer saved where the playbooks read it
    doc = step("configure", "--event", "spring")
    saved = inventory / "host_vars" / "localhost" / "studio.yml"
    assert doc["saved_to"] == [str(saved)]
    assert yaml.safe_load(saved.read_text()) == {"studio_event": "spring"}

    conf = step("get-conf")["config"]["localhost"]
    assert conf["studio_event"] == "spring" and conf["studio_domain_id"] == "d-hackathon0001"
    assert conf["credentials"] == "access key from the vault"

    # --check: the would-be summary, and nothing changed in the domain
    before = mutating_calls(emulator)
    doc = step("setup-users", sample, "--start-apps", "--check")
    assert doc["check_mode"] is True
    assert doc["summary"]["user_profiles"]["created"] == 13 and doc["summary"]["apps"]["created"] == 4
    assert state_counts(emulator) == {"user_profiles": 0, "spaces": 0, "apps": 0}
    assert mutating_calls(emulator) == before

    doc = step("setup-users", sample, "--start-apps")
    assert doc["summary"]["user_profiles"] == {"created": 13, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
    assert doc["summary"]["spaces"]["created"] == 4 and doc["summary"]["apps"]["created"] == 4
    assert doc["summary"]["registry"]["created"] == 12
    assert doc["failures"] == [] and doc["artifacts"] is None
    assert state_counts(emulator) == {"user_profiles": 13, "spaces": 4, "apps": 4}
    assert {p["tags"]["hackathon:event"] for p in emulator.state()["user_profiles"]} == {"spring"}

    doc = step("get-urls", "--team", "2", "--out", "team2.csv")
    assert doc["urls"] == [{"host": "localhost", "file": str(tmp_path / "team2.csv"), "count": 3, "failed": 0}]
    rows = list(csv.DictReader((tmp_path / "team2.csv").open()))
    assert len(rows) == 3 and all("token=" in row["url"] for row in rows)
    assert stat.S_IMODE((tmp_path / "team2.csv").stat().st_mode) == 0o600

    report = step("status")["report"]["localhost"]
    assert report["totals"]["participants"] == 12 and report["totals"]["apps_in_service"] == 4
    assert not any(report["drift"].values())
    # What the apps cost so far, priced by the emulator's Price List, and the report beside it (0600)
    assert report["totals"]["running_apps"] == 4 and report["totals"]["app_hours"] > 0
    assert report["cost"]["prices"]["ml.t3.medium"] == {
        "price": 0.05,
        "currency": "USD",
        "source": "price list",
        "date": report["cost"]["prices"]["ml.t3.medium"]["date"],
    }
    assert stat.S_IMODE(Path(report["report"]).stat().st_mode) == 0o600

    doc = step("purge", "--check")
    assert doc["check_mode"] is True
    assert doc["found"]["localhost"]["spaces"] == ["team-1", "team-2", "team-3", "team-4"]
    assert len(doc["found"]["localhost"]["user_profiles"]) == 13
    assert state_counts(emulator) == {"user_profiles": 13, "spaces": 4, "apps": 4}

    doc = step("purge", "--yes")
    assert doc["summary"]["user_profiles"]["deleted"] == 13 and doc["summary"]["spaces"]["deleted"] == 4
    assert sorted(doc["deleted"]["spaces"]) == ["team-1", "team-2", "team-3", "team-4"]
    assert state_counts(emulator) == {"user_profiles": 0, "spaces": 0, "apps": 0}

    # Nothing secret in any output: no presigned URL, no vaulted key, no vault password.
    urls = [row["url"] for row in rows]
    for run in runs:
        for secret in (*never_shown, *urls):
            assert secret not in run.output, (secret, run)


def test_human_output_rerun_and_urls_never_shown_even_verbose(
    studio, inventory, emulator, sample, tmp_path, never_shown, kept_files, artifacts
):
    """Without --json: progress per stage, the summary table, an ending; a re-run changes nothing;
    get-urls at -vvv shows Ansible's output and never a URL or secret."""
    first = studio("setup-users", sample, inventory=inventory)
    assert first.rc == 0, first
    assert "✓ Read and validate the roster: 12 participants in 4 teams" in first.stdout
    assert re.search(r"✓ Create the team spaces.*: 4 created", first.stdout)
    assert re.search(r"^user profiles +13 +0 +0 +0 +0$", first.stdout, re.MULTILINE)  # the summary table
    assert "✓ Event set up in" in first.stdout
    again = studio("setup-users", sample, "--json", inventory=inventory)
    assert again.rc == 0, again
    assert again.doc["summary"]["user_profiles"]["unchanged"] == 13
    assert again.doc["summary"]["spaces"] == {"created": 0, "updated": 0, "unchanged": 4, "deleted": 0, "failed": 0}

    run = studio("get-urls", "--out", "urls.csv", "-vvv", inventory=inventory)
    assert run.rc == 0, run
    assert "TASK [" in run.stderr  # -v shows Ansible's own output
    assert "\ufffd" not in run.stderr  # its line breaks are kept, not shown as replacement characters
    urls = [row["url"] for row in csv.DictReader((tmp_path / "urls.csv").open())]
    assert len(urls) == 12
    for secret in (*never_shown, *urls):
        assert secret not in run.output
    assert kept_files(artifacts) == {}  # a successful run keeps no artifacts
