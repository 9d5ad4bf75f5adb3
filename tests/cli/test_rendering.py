"""The CLI renders any module from the result shape alone (results, summary, msg, removal): none is known by name."""

from __future__ import annotations

from hackathon_studio.cli import commands, render
from hackathon_studio.cli.results import Outcome

NEW_MODULE = "acme.widgets.widget"  # a module the CLI has never heard of


def _event(res: dict, action: str = NEW_MODULE, name: str = "runner_on_ok", host: str = "localhost") -> dict:
    return {"event": name, "event_data": {"task": "a task", "task_action": action, "host": host, "res": res}}


def _widgets(*actions: str) -> dict:
    results = [
        {
            "name": f"w{n}",
            "kind": "spare_widgets",
            "action": action,
            **({"msg": "jammed"} if action == "failed" else {}),
        }
        for n, action in enumerate(actions)
    ]
    summary = {a: list(actions).count(a) for a in ("created", "updated", "unchanged", "deleted", "failed")}
    return {"changed": True, "results": results, "summary": summary}


def test_a_new_module_is_counted_described_and_its_failures_listed_from_its_results():
    outcome = Outcome.from_events(
        [_event(_widgets("created", "created", "unchanged", "failed"), name="runner_on_failed")]
    )
    [task] = outcome.tasks
    assert outcome.summary() == {
        "spare_widgets": {"created": 2, "updated": 0, "unchanged": 1, "deleted": 0, "failed": 1}
    }
    assert outcome.by_host() == {"localhost": outcome.summary()}
    assert render.describe(task) == "2 created, 1 unchanged, 1 failed"
    assert outcome.failures() == [{"host": "localhost", "kind": "spare_widgets", "name": "w3", "msg": "jammed"}]
    assert outcome.exit_code("failed") == 1
    [row] = render.summary_table(outcome.summary(), check=False).columns[0].cells
    assert row == "spare widgets"


def test_a_check_run_says_what_would_be_done_and_a_module_msg_comes_after_the_counts():
    res = dict(_widgets("created"), msg="written to out.csv")
    [task] = Outcome.from_events([_event(res)]).tasks
    assert render.describe(task, check=True) == "would be 1 created; written to out.csv"
    assert render.describe(task) == "1 created; written to out.csv"
    [task] = Outcome.from_events([_event(dict(_widgets(), msg="table created"))]).tasks
    assert render.describe(task) == "table created"  # not "nothing to do; table created"
    [task] = Outcome.from_events([_event(_widgets())]).tasks
    assert render.describe(task) == "nothing to do"


def test_an_info_module_is_described_by_its_msg_and_counts_nothing():
    [task] = Outcome.from_events([_event({"changed": False, "msg": "7 gadgets, 2 running"})]).tasks
    assert render.describe(task) == "7 gadgets, 2 running"
    assert task.counts() == {}


def test_a_loops_results_are_not_items():
    """A task with a loop returns one ``results`` entry per loop item: without a kind, they are no items."""
    looped = {"changed": True, "results": [{"item": 1, "changed": True, "action": "created"}, "text"]}
    outcome = Outcome.from_events([_event(looped, action="hackathon.studio.studio_space")])
    assert outcome.summary() == {} and outcome.failures() == [] and outcome.names("created") == {}
    assert render.describe(outcome.tasks[0]) == "changed"


def test_names_of_deleted_items_come_by_their_kind():
    outcome = Outcome.from_events([_event(_widgets("deleted", "unchanged", "deleted"))])
    assert outcome.names("deleted") == {"spare_widgets": ["w0", "w2"]}


def test_found_is_the_removal_a_module_declares_not_its_arguments():
    removal = {"apps": ["team-1"], "spaces": ["team-1"], "user_profiles": ["ada"]}
    listing = {"changed": False, "removal": removal, "apps": [{"space": "team-1", "status": "InService"}]}
    not_declared = {"changed": False, "invocation": {"module_args": {"tags": {"hackathon:event": "x"}}}, "apps": []}
    events = [
        _event(not_declared, host="a"),
        _event(listing, host="b"),
        _event({"removal": {"apps": [], "spaces": [], "user_profiles": []}}, host="b"),  # the second look
    ]
    assert commands._found(Outcome.from_events(events)) == {"b": removal}


def test_problems_of_any_failed_task_are_shown():
    failed = _event({"msg": "bad input", "problems": ["in.csv, line 2: malformed"]}, name="runner_on_failed")
    assert Outcome.from_events([failed]).problems() == ["in.csv, line 2: malformed"]


def _shown(*renderables) -> str:
    from rich.console import Console

    console = Console(record=True, width=160, color_system=None)
    for renderable in renderables:
        console.print(renderable)
    return console.export_text()


def test_status_shows_the_cost_per_team_and_its_projection_from_the_report_alone():
    report = {
        "teams": [
            {
                "team": "1",
                "space": "team-1",
                "members": 2,
                "space_status": "InService",
                "app_status": "InService",
                "app_hours": 5.5,
                "cost": 0.4375,
                "projected_cost": 0.7375,
                "running_apps": 1,
            },
            {
                "team": "2",
                "space": "team-2",
                "members": 1,
                "space_status": "InService",
                "app_status": "none",
                "app_hours": 0.0,
                "cost": 0.0,
                "projected_cost": None,
                "running_apps": 0,
            },
        ],
        "totals": {"app_hours": 7.0, "cost": 1.1425, "projected_cost": 9.9025, "running_apps": 1},
        "cost": {
            "currency": "USD",
            "event_end": "2026-05-16T18:00:00+00:00",
            "prices": {"ml.t3.medium": {"price": 0.05, "source": "price list", "date": "2026-05-16"}},
            "unpriced": ["ml.p3.2xlarge"],
        },
    }
    text = _shown(render.status_table(report), *render.cost_lines(report))
    header = text.splitlines()[0]
    assert header.split() == ["team", "space", "members", "space", "status", "app", "app-hours", "cost", "projected"]
    assert "5.50" in text and "0.44" in text and "0.74" in text
    assert "7.00 app-hours, USD 1.14 so far; USD 9.90 projected at the end (2026-05-16T18:00:00+00:00)" in text
    assert "prices: price list of 2026-05-16" in text
    assert "no price for ml.p3.2xlarge: their hours count, not their cost" in text
    # Without an end: no projection, and it says why.
    report["totals"]["projected_cost"] = None
    assert "no projection (studio_event_end is not set)" in _shown(*render.cost_lines(report))
    # Without the app runs, the table is the one it was.
    del report["cost"]
    assert "app-hours" not in _shown(render.status_table(report))
