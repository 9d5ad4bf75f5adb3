"""The cost of the event's apps (module_utils/cost.py) and their prices (module_utils/prices.py),
checked against figures computed by hand on a known app history."""

from __future__ import annotations

import datetime
import json

import botocore.exceptions
import pytest
from ansible_collections.hackathon.studio.plugins.module_utils import prices
from ansible_collections.hackathon.studio.plugins.module_utils.cost import (
    app_hours,
    event_cost,
    hours_over_time,
    merge_usage,
    parse_time,
)
from ansible_collections.hackathon.studio.plugins.module_utils.cost_report import chart, html_report
from ansible_collections.hackathon.studio.plugins.module_utils.status import add_cost, event_status, status_lines
from ansible_collections.hackathon.studio.plugins.modules.studio_app_usage import instance_prices

UTC = datetime.UTC


def at(hhmm: str) -> datetime.datetime:
    return datetime.datetime(2026, 5, 16, int(hhmm[:2]), int(hhmm[3:]), tzinfo=UTC)


def app(space, name, instance_type, created, status="InService"):
    return {
        "name": name,
        "app_name": name,
        "space": space,
        "app_type": "JupyterLab",
        "instance_type": instance_type,
        "creation_time": at(created).isoformat(),
        "status": status,
    }


TEAMS = {"team-1": "1", "team-2": "2"}


def history() -> list:
    """The known history, seen at 12:00 (prices: t3.medium 0.05, m5.large 0.115, g5.xlarge 1.41 $/h):
    team 1: A, ml.t3.medium, 09:00 and running        -> 3 h   x 0.05  = 0.15
            B, ml.m5.large, 08:00 until 10:30           -> 2.5 h x 0.115 = 0.2875
    team 2: C, ml.g5.xlarge, 11:30 and running        -> 0.5 h x 1.41  = 0.705
    a private space: D, ml.p3.2xlarge (no price), 10:00 until 11:00 -> 1 h, no cost
    """
    return [
        {"team": "1", "space": "team-1", "instance_type": "ml.t3.medium", "creation_time": "2026-05-16T09:00:00+00:00"},
        {
            "team": "1",
            "space": "team-1",
            "instance_type": "ml.m5.large",
            "creation_time": "2026-05-16T10:00:00+02:00",  # 08:00 UTC: offsets are honoured
            "ended": "2026-05-16T10:30:00+00:00",
        },
        {"team": "2", "space": "team-2", "instance_type": "ml.g5.xlarge", "creation_time": "2026-05-16T11:30:00Z"},
        {
            "team": None,
            "space": "ada-private",
            "instance_type": "ml.p3.2xlarge",
            "creation_time": "2026-05-16T10:00:00",  # no offset: UTC
            "ended": "2026-05-16T11:00:00+00:00",
        },
    ]


def test_cost_and_projection_match_the_hand_computation():
    priced = {t: prices.SNAPSHOT.get(t) for t in ("ml.t3.medium", "ml.m5.large", "ml.g5.xlarge", "ml.p3.2xlarge")}
    report = event_cost(history(), priced, now=at("12:00"), event_end="2026-05-16T20:00:00+02:00")
    # The end is 18:00 UTC: 6 hours remain.
    assert report["total"]["remaining_hours"] == 6
    # team 1: 3 + 2.5 = 5.5 h; 0.15 + 0.2875 = 0.4375; A runs on: 0.4375 + 6 h x 0.05 = 0.7375
    assert report["teams"]["1"] == {
        "app_hours": 5.5,
        "cost": 0.4375,
        "running_apps": 1,
        "projected_cost": 0.7375,
        "unpriced": [],
    }
    # team 2: 0.5 h; 0.705; C runs on: 0.705 + 6 h x 1.41 = 9.165
    assert report["teams"]["2"] == {
        "app_hours": 0.5,
        "cost": 0.705,
        "running_apps": 1,
        "projected_cost": 9.165,
        "unpriced": [],
    }
    # the private space: 1 h, its price unknown: no cost, and said so
    assert report["teams"]["(personal)"] == {
        "app_hours": 1.0,
        "cost": 0.0,
        "running_apps": 0,
        "projected_cost": 0.0,
        "unpriced": ["ml.p3.2xlarge"],
    }
    # in total: 7 h; 1.1425; 1.1425 + 6 h x (0.05 + 1.41) = 9.9025
    total = report["total"]
    assert (total["app_hours"], total["cost"], total["running_apps"], total["projected_cost"]) == (
        7.0,
        1.1425,
        2,
        9.9025,
    )


def test_no_projection_without_an_end_and_none_after_it():
    priced = {"ml.t3.medium": 0.05, "ml.m5.large": 0.115, "ml.g5.xlarge": 1.41}
    assert event_cost(history(), priced, now=at("12:00"))["total"]["projected_cost"] is None
    # Past the end, nothing more is projected: the projection is the cost so far, 1.1425.
    ended = event_cost(history(), priced, now=at("12:00"), event_end="2026-05-16T11:00:00+00:00")["total"]
    assert (ended["remaining_hours"], ended["projected_cost"]) == (0, 1.1425)


def test_an_app_counts_until_the_run_that_saw_it_gone():
    records: dict = {}
    # 10:00: A (09:00) and B (08:00) run.
    seen = [app("team-1", "a", "ml.t3.medium", "09:00"), app("team-1", "b", "ml.m5.large", "08:00")]
    assert len(merge_usage(records, seen, TEAMS, at("10:00"), arn_of=lambda a: f"arn:app/{a['name']}")) == 2
    assert {r["team"] for r in records.values()} == {"1"} and all(r["ended"] is None for r in records.values())
    # 10:30: B is no longer listed: it ended then, at the latest.
    changed = merge_usage(records, seen[:1], TEAMS, at("10:30"))
    [b] = [r for r in records.values() if r["app_name"] == "b"]
    assert changed == [b["key"]] and b["ended"] == "2026-05-16T10:30:00+00:00" and b["arn"] == "arn:app/b"
    # 11:00: AWS lists B again as Deleted: nothing changes; a new app first seen Deleted ended now.
    seen += [
        app("team-1", "b", "ml.m5.large", "08:00", "Deleted"),
        app("team-2", "c", "ml.t3.medium", "10:45", "Deleted"),
    ]
    changed = merge_usage(records, seen, TEAMS, at("11:00"))
    [c] = [r for r in records.values() if r["app_name"] == "c"]
    assert changed == [c["key"]] and c["ended"] == "2026-05-16T11:00:00+00:00" and c["team"] == "2"
    # B restarted under its name is another run, with its own record; a Failed A ends.
    restarted = app("team-1", "b", "ml.m5.large", "11:10")
    changed = merge_usage(
        records, [restarted, app("team-1", "a", "ml.t3.medium", "09:00", "Failed")], TEAMS, at("11:30")
    )
    assert len(changed) == 2 and len(records) == 4
    # By 12:00: A 09:00-11:30 2.5 h; B 08:00-10:30 2.5 h; C 10:45-11:00 0.25 h; B again 11:10- 0.8333 h
    assert sum(app_hours(r, at("12:00")) for r in records.values()) == pytest.approx(2.5 + 2.5 + 0.25 + 50 / 60)


def test_apps_without_a_creation_time_or_a_metered_status_are_not_recorded():
    records: dict = {}
    unknown = dict(app("team-1", "a", "ml.t3.medium", "09:00"), creation_time=None)
    assert (
        merge_usage(records, [unknown, app("team-1", "b", "ml.t3.medium", "09:00", "Weird")], TEAMS, at("10:00")) == []
    )


def test_hours_over_time_are_cumulative_per_team():
    # From 08:00 (B's creation) to 12:00 in 4 steps. Team 1 at 08:00: 0; 09:00: B 1 h; 10:00: B 2 + A 1;
    # 11:00: B 2.5 + A 2; 12:00: B 2.5 + A 3. Team 2 only from 11:30: 0.5 at 12:00.
    series = hours_over_time(history(), now=at("12:00"), points=4)
    assert series["times"][0] == "2026-05-16T08:00:00+00:00" and series["times"][-1] == "2026-05-16T12:00:00+00:00"
    assert series["teams"]["1"] == [0.0, 1.0, 3.0, 4.5, 5.5]
    assert series["teams"]["2"] == [0.0, 0.0, 0.0, 0.0, 0.5]
    assert hours_over_time([], now=at("12:00")) == {"times": [], "teams": {}}


def test_parse_time_keeps_offsets():
    assert parse_time("2026-05-16T10:00:00+02:00") == at("08:00")


# ----- prices --------------------------------------------------------------------------------------
def product(usage: str, price: str, unit: str = "Hrs") -> str:
    dimension = {"unit": unit, "pricePerUnit": {"USD": price}}
    return json.dumps(
        {
            "product": {"attributes": {"usagetype": usage, "instanceName": "ml.t3.medium"}},
            "terms": {"OnDemand": {"X.Y": {"priceDimensions": {"X.Y.Z": dimension}}}},
        }
    )


def test_the_studio_price_is_picked_among_the_instance_types_products():
    listed = [
        product("USE1-Notebk:ml.t3.medium", "0.0500000000"),
        product("USE1-Host:ml.t3.medium", "0.0560000000"),
        product("USE1-Studio:CodeEditor-ml.t3.medium", "0.0510000000"),
        product("USE1-Studio:VolumeUsage.gp3", "0.1120000000", unit="GB-Mo"),
        product("USE1-Studio:JupyterLab-ml.t3.medium", "0.0520000000"),
    ]
    assert prices.price_from_products(listed, "JupyterLab", "ml.t3.medium") == 0.052
    assert prices.price_from_products(listed, "CodeEditor", "ml.t3.medium") == 0.051
    assert prices.price_from_products(listed, "KernelGateway", "ml.t3.medium") is None
    # An instance type whose name ends like another's is not taken for it.
    assert (
        prices.price_from_products(
            [product("USE1-Studio:JupyterLab-ml.g5.12xlarge", "7")], "JupyterLab", "ml.g5.xlarge"
        )
        is None
    )


def test_what_the_emulator_serves_reads_back_as_the_snapshot():
    for instance_type, price in prices.SNAPSHOT.items():
        item = prices.price_list_item("us-east-1", "JupyterLab", instance_type, price)
        assert json.loads(item)["product"]["attributes"]["usagetype"] == f"USE1-Studio:JupyterLab-{instance_type}"
        assert prices.price_from_products([item], "JupyterLab", instance_type) == price


def test_the_snapshot_says_its_date_source_and_region():
    assert prices.snapshot_price("ml.t3.medium", "us-east-1") == {
        "price": 0.05,
        "currency": "USD",
        "source": "snapshot",
        "date": prices.SNAPSHOT_DATE,
        "detail": prices.SNAPSHOT_SOURCE,
    }
    elsewhere = prices.snapshot_price("ml.t3.medium", "eu-west-1")
    assert elsewhere["price"] == 0.05 and "us-east-1's price, eu-west-1's differs" in elsewhere["detail"]
    assert prices.snapshot_price("ml.p5.48xlarge", "us-east-1")["price"] is None
    assert prices.product_filters("eu-west-1", "ml.t3.medium") == [
        {"Type": "TERM_MATCH", "Field": "regionCode", "Value": "eu-west-1"},
        {"Type": "TERM_MATCH", "Field": "instanceName", "Value": "ml.t3.medium"},
    ]


# ----- in status, and its report ---------------------------------------------------------------------
PARTICIPANTS = [
    {"email": "ada@example.org", "team": "1", "user_profile": "ada", "space": "team-1"},
    {"email": "grace@example.org", "team": "2", "user_profile": "grace", "space": "team-2"},
    {"email": "edsger@example.org", "team": "3", "user_profile": "edsger", "space": "team-3"},
]
PRICES = {
    "ml.t3.medium": prices.snapshot_price("ml.t3.medium", "us-east-1"),
    "ml.m5.large": {"price": 0.115, "currency": "USD", "source": "price list", "date": "2026-05-16"},
    "ml.g5.xlarge": prices.snapshot_price("ml.g5.xlarge", "us-east-1"),
    "ml.p3.2xlarge": prices.snapshot_price("ml.p3.2xlarge", "us-east-1"),
}


def costed_status() -> dict:
    status = event_status(PARTICIPANTS, [], [], [])
    add_cost(status, history(), PRICES, at("12:00"), "2026-05-16T18:00:00+00:00")
    return status


def test_status_adds_the_cost_per_team_and_in_total():
    status = costed_status()
    rows = {row["team"]: row for row in status["teams"]}
    # The hand computation above: team 1 5.5 h, 0.4375, 0.7375; team 2 0.5 h, 0.705, 9.165; team 3 none.
    assert [rows["1"][k] for k in ("app_hours", "cost", "projected_cost", "running_apps")] == [5.5, 0.4375, 0.7375, 1]
    assert [rows["2"][k] for k in ("app_hours", "cost", "projected_cost", "running_apps")] == [0.5, 0.705, 9.165, 1]
    assert [rows["3"][k] for k in ("app_hours", "cost", "projected_cost", "running_apps")] == [0.0, 0.0, 0.0, 0]
    assert (status["totals"]["app_hours"], status["totals"]["cost"], status["totals"]["projected_cost"]) == (
        7.0,
        1.1425,
        9.9025,
    )
    assert status["cost"]["unpriced"] == ["ml.p3.2xlarge"] and status["cost"]["remaining_hours"] == 6
    assert "(personal)" in status["cost"]["teams"]  # the private space's hour, in the total only
    assert "7.00 app-hours, USD 1.14 so far, 9.90 projected at the event's end" in status_lines(status)


def test_the_report_is_one_page_with_an_inline_chart_and_no_script():
    status = costed_status()
    status["cost"]["teams"]['<script>alert("x")</script>'] = status["cost"]["teams"].pop("2")
    series = hours_over_time(history(), at("12:00"), points=4)
    series["teams"]['<script>alert("x")</script>'] = series["teams"].pop("2")
    page = html_report("spring <2026>", status, series, "2026-05-16T12:00:00+00:00")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and page.count("<polyline") == 3
    assert "<script" not in page and "&lt;script&gt;" in page and "spring &lt;2026&gt;" in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no external asset
    assert "USD 1.14" in page and "USD 9.90" in page and "ml.p3.2xlarge: - per hour" in page
    assert "snapshot, " + prices.SNAPSHOT_DATE in page  # where each price comes from
    assert "No app has run yet." in chart({"times": [], "teams": {}})


class FakeModule:
    """What instance_prices uses of an AnsibleAWSModule: params, region, client, warn."""

    def __init__(self, client, price_list=True):
        self.params = {"price_list": price_list, "endpoint_url": None}
        self.region = "eu-west-1"
        self.client_kwargs = None
        self.warnings = []
        self._client = client

    def client(self, service, **kwargs):
        self.client_kwargs = dict(kwargs, service=service)
        return self._client

    def warn(self, message):
        self.warnings.append(message)


class PriceList:
    def __init__(self, error=None):
        self.error = error

    def get_products(self, **params):
        if self.error:
            raise self.error
        region, instance = (f["Value"] for f in params["Filters"])
        usage = f"EU-Studio:JupyterLab-{instance}"
        return {"PriceList": [product(usage, "0.0555")] if instance == "ml.t3.medium" else []}


RUNS = [
    {"instance_type": "ml.t3.medium", "app_type": "JupyterLab"},
    {"instance_type": "ml.m5.large", "app_type": "JupyterLab"},
]


def test_prices_come_from_the_price_list_else_the_snapshot_with_a_warning():
    module = FakeModule(PriceList())
    found = instance_prices(module, RUNS, "2026-05-16")
    # The Price List's endpoints are not in eu-west-1: it is asked in us-east-1, for eu-west-1's products.
    assert module.client_kwargs["region"] == "us-east-1" and module.client_kwargs["service"] == "pricing"
    assert found["ml.t3.medium"] == {"price": 0.0555, "currency": "USD", "source": "price list", "date": "2026-05-16"}
    assert found["ml.m5.large"]["source"] == "snapshot" and found["ml.m5.large"]["price"] == 0.115
    assert module.warnings == [
        f"Prices of ml.m5.large from the snapshot of {prices.SNAPSHOT_DATE}: not in the Price List"
    ]


def test_an_unreachable_or_denied_price_list_falls_back_to_the_snapshot():
    unreachable = botocore.exceptions.EndpointConnectionError(endpoint_url="https://pricing.invalid")
    denied = botocore.exceptions.ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "GetProducts"
    )
    for error in (unreachable, denied):
        module = FakeModule(PriceList(error))
        found = instance_prices(module, RUNS, "2026-05-16")
        assert {t: p["price"] for t, p in found.items()} == {"ml.t3.medium": 0.05, "ml.m5.large": 0.115}
        assert "ml.m5.large, ml.t3.medium from the snapshot" in module.warnings[0]
        assert "could not be read" in module.warnings[0]
    asked_not = FakeModule(PriceList(), price_list=False)
    assert instance_prices(asked_not, RUNS, "2026-05-16")["ml.t3.medium"]["source"] == "snapshot"
    assert asked_not.client_kwargs is None and "not asked" in asked_not.warnings[0]
