"""The event's cost while it runs, through status.yml on the emulator: app-hours and cost per team from
the app runs the registry records, priced by the emulator's Price List; a deleted app still counts."""

from __future__ import annotations

import datetime
import stat

import boto3
import pytest

from .conftest import DOMAIN, wait

PRICE = 0.05  # ml.t3.medium, the snapshot's (and so the emulator's Price List's)


def usage_items(emulator) -> list:
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    items = dynamodb.scan(TableName="hackathon-studio-registry")["Items"]
    return [item for item in items if item["item"]["S"].startswith("usage#")]


def test_status_shows_hours_and_cost_per_team_and_a_deleted_app_still_counts(
    run_playbook, inventory, emulator, tmp_path
):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n")
    assert run_playbook("configure.yml", inventory).rc == 0
    setup = run_playbook("setup.yml", inventory, users=str(roster), studio_start_apps=True)
    assert setup.rc == 0, setup.stdout
    end = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)).isoformat(timespec="seconds")

    first = run_playbook("status.yml", inventory, studio_event_end=end)
    assert first.rc == 0, first.stdout
    report = first.task("Compare it with the registry")
    rows = {row["team"]: row for row in report["teams"]}
    for team in ("1", "2"):
        assert rows[team]["app_hours"] > 0 and rows[team]["running_apps"] == 1
        assert rows[team]["cost"] == pytest.approx(rows[team]["app_hours"] * PRICE, abs=1e-6)
    totals = report["totals"]
    assert totals["app_hours"] == pytest.approx(rows["1"]["app_hours"] + rows["2"]["app_hours"], abs=1e-5)
    # Two apps run on for the 2 hours left: the cost so far + 2 x 2 h x 0.05.
    assert totals["projected_cost"] == pytest.approx(totals["cost"] + 2 * 2 * PRICE, abs=1e-3)
    assert report["cost"]["prices"]["ml.t3.medium"]["price"] == PRICE
    assert report["cost"]["prices"]["ml.t3.medium"]["source"] == "price list"  # the emulator's, not the snapshot
    page = tmp_path / "cost-spring.html"
    assert report["report"] == str(page) and stat.S_IMODE(page.stat().st_mode) == 0o600
    assert "<svg" in page.read_text() and "<script" not in page.read_text()
    recorded = usage_items(emulator)
    assert len(recorded) == 2 and all("ended" not in item for item in recorded)
    assert {item["arn"]["S"].rsplit("/", 3)[1] for item in recorded} == {"team-1", "team-2"}

    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    sagemaker.delete_app(DomainId=DOMAIN, SpaceName="team-1", AppType="JupyterLab", AppName="default")
    wait(
        lambda: sagemaker.describe_app(DomainId=DOMAIN, SpaceName="team-1", AppType="JupyterLab", AppName="default"),
        "Deleted",
    )

    second = run_playbook("status.yml", inventory, studio_event_end=end)
    assert second.rc == 0, second.stdout
    again = {row["team"]: row for row in second.task("Compare it with the registry")["teams"]}
    assert again["1"]["running_apps"] == 0 and again["1"]["app_hours"] >= rows["1"]["app_hours"] > 0
    assert again["1"]["cost"] > 0 and again["2"]["running_apps"] == 1
    [ended] = [item for item in usage_items(emulator) if "ended" in item]
    assert "team-1" in ended["item"]["S"]
    # Once ended, the app's hours stop growing and the next run writes nothing.
    third = run_playbook("status.yml", inventory)
    assert third.task("Record the event's app runs")["recorded"] == 0
    assert {row["team"]: row for row in third.task("Compare it with the registry")["teams"]}["1"]["app_hours"] == (
        again["1"]["app_hours"]
    )
