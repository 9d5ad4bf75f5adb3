"""How the ``studio`` command shows things: live progress per stage, summaries, tables, one JSON document.

Human output goes to stdout (errors to stderr); with ``--json`` the JSON document is the only thing
on stdout and the progress goes to stderr. Every text that comes from a roster, a module or AWS is
shown as plain text (no markup, no terminal control characters).
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata

from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import results
from .results import ACTIONS, Outcome, TaskOutcome, kind_label


def clean(value) -> str:
    """``value`` as printable text: control and format characters become U+FFFD."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else "\ufffd" for c in text if unicodedata.category(c) != "Zl")


def make_console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    interactive = stream.isatty()
    width = None if interactive else int(os.environ.get("COLUMNS") or 0) or 120
    return Console(
        file=stream,
        markup=False,
        highlight=False,
        emoji=False,
        width=width,
        no_color=not interactive or bool(os.environ.get("NO_COLOR")),
        soft_wrap=not interactive,
    )


class Output:
    """The consoles of one invocation: ``out`` for results, ``progress`` for the live display, ``err``."""

    def __init__(self, json_mode: bool, verbosity: int = 0):
        self.json_mode = json_mode
        self.verbosity = verbosity
        self.err = make_console(stderr=True)
        self.out = self.err if json_mode else make_console(stderr=False)
        self.progress = self.err if json_mode else self.out

    def say(self, text, style: str | None = None) -> None:
        """Lines of human output (to stderr in --json mode, so that stdout stays one document)."""
        for line in str(text).split("\n"):
            self.progress.print(Text(clean(line), style=style or ""))

    def error(self, text) -> None:
        self.err.print(Text(f"studio: {clean(text)}", style="bold red"))

    def emit(self, document: dict) -> None:
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=False, default=str) + "\n")
        sys.stdout.flush()


# ----- one line per task ------------------------------------------------------------------------------
def _counts_text(counts: dict, check: bool) -> str:
    parts = [f"{counts[action]} {action}" for action in ACTIONS if counts.get(action)]
    text = ", ".join(parts) or "nothing to do"
    return f"would be {text}" if check and parts and parts != [f"{counts.get('unchanged')} unchanged"] else text


def describe(task: TaskOutcome, check: bool = False) -> str:
    """What one task did, in a few words: its ``summary`` counts and its ``msg`` (see results.py)."""
    res = task.res
    if task.status == "skipped":
        return "skipped"
    if task.background and not task.failed:
        return "started in the background"
    if task.failed and not task.item_failures():
        return "failed (why: below)"
    counts = res.get("summary") if isinstance(res.get("summary"), dict) else None
    said = res.get("msg") if isinstance(res.get("msg"), str) and not task.failed else ""  # a failure's: below
    parts = [_counts_text(counts, check)] if counts is not None and (any(counts.values()) or not said) else []
    parts += [results.one_line(said)] if said else []
    return "; ".join(parts) or ("changed" if task.changed else "ok")


class Progress:
    """Feeds on runner events: a live line for the running stage, a line per finished stage."""

    def __init__(self, output: Output, check: bool = False):
        self.output = output
        self.console = output.progress
        self.check = check
        self.outcome = Outcome()
        self.live = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.stage = None
        self.current = ""

    def __enter__(self) -> Progress:
        if self.console.is_terminal:  # elsewhere (CI logs, pipes) only the finished stages' lines
            self.live.start()
        return self

    def __exit__(self, *exc) -> None:
        self._end_stage()
        if self.live.live.is_started:
            self.live.stop()

    def _end_stage(self) -> None:
        if self.stage is not None:
            self.live.remove_task(self.stage)
            self.stage = None

    def on_event(self, event: dict) -> None:
        if self.output.verbosity and event.get("stdout"):
            for line in event["stdout"].strip("\r\n").splitlines():  # Ansible's verbose text spans lines
                self.output.err.print(Text(clean(line)), soft_wrap=True)
        data = event.get("event_data") or {}
        if event.get("event") == "playbook_on_task_start" and results.short_action(data) not in results.QUIET_ACTIONS:
            self._end_stage()
            self.current = data.get("task") or ""
            self.stage = self.live.add_task(clean(self.current))
        task = self.outcome.add(event)
        if task is not None:
            self.show(task)

    def show(self, task: TaskOutcome) -> None:
        if task.quiet or (task.status == "skipped" and not self.output.verbosity):
            return
        mark, style = {"failed": ("✗", "red"), "unreachable": ("✗", "red"), "skipped": ("-", "dim")}.get(
            task.status, ("✓", "green")
        )
        host = "" if task.host == "localhost" else f"[{task.host}] "
        detail = describe(task, self.check)
        took = f" ({task.duration:.1f} s)" if task.duration and task.duration >= 0.5 else ""
        line = Text("  ")
        line.append(mark, style=style)
        line.append(clean(f" {host}{task.task}"))
        if detail:
            line.append(clean(f": {detail}"), style="red" if task.failed and not task.item_failures() else "")
        line.append(took, style="dim")
        self.console.print(line)
        for failure in task.item_failures():
            self.console.print(Text(clean(f"      {failure['name']}: {failure['msg']}"), style="red"))
        for warning in task.res.get("warnings") or []:
            self.console.print(Text(clean(f"      warning: {results.one_line(warning)}"), style="yellow"))


# ----- after a run ---------------------------------------------------------------------------------------
def summary_table(summary: dict, check: bool) -> Table:
    title = "What would change (check mode: nothing was changed)" if check else None
    table = Table(title=title, title_justify="left", box=None, pad_edge=False, padding=(0, 2))
    table.add_column("resource")
    for action in ACTIONS:
        table.add_column(action, justify="right")
    for kind, counts in summary.items():
        if not any(counts.values()):
            continue
        cells = [Text(str(counts[a]), style="" if counts[a] else "dim") for a in ACTIONS]
        if counts["failed"]:
            cells[-1].stylize("bold red")
        table.add_row(clean(kind_label(kind)), *cells)
    return table


def show_summary(output: Output, outcome: Outcome, check: bool) -> None:
    summary = outcome.summary()
    if any(any(counts.values()) for counts in summary.values()):
        output.progress.print()
        output.progress.print(summary_table(summary, check))


def show_ending(output: Output, run, outcome: Outcome, code: int, what: str = "") -> None:
    """The last lines: done, what failed, or what stopped the run; and where its artifacts are."""
    took = f"{run.elapsed:.1f} s"
    console = output.progress
    if code == results.EXIT_INTERRUPTED:
        console.print()
        stopped = f" during “{clean(outcome_stage(outcome, run))}”" if outcome_stage(outcome, run) else ""
        output.error(
            f"interrupted after {took}{stopped}. The stages above finished; re-run the same command to continue "
            "from there (what exists is kept, nothing is created twice)."
        )
    elif code == results.EXIT_OK:
        console.print()
        console.print(Text(f"✓ {what or 'Done'} in {took}.", style="green"))
    else:
        failures = [] if outcome.missing_permissions() else outcome.failures()  # one line says it all
        if failures:
            console.print()
            output.error(
                f"{len(failures)} resource(s) failed ({took}); see above. Re-run the same command to retry them: "
                "what is done is kept."
            )
        for line in outcome.errors():
            output.error(line)
        for problem in outcome.problems():
            output.err.print(Text(f"  {clean(problem)}", style="red"))
        if not failures and not outcome.errors():
            for line in outcome.ansible_errors[-3:] or [f"ansible-playbook ended {run.status} (rc {run.rc})"]:
                output.error(line)
    if run.artifacts:
        output.err.print(Text(f"Run details (ansible-runner artifacts, secrets removed): {run.artifacts}", style="dim"))


def outcome_stage(outcome: Outcome, run) -> str:
    """The last stage that started and did not finish, for an interrupted run."""
    started = [e for e in run.events if e.get("event") == "playbook_on_task_start"]
    finished = {(t.task) for t in outcome.tasks}
    for event in reversed(started):
        name = (event.get("event_data") or {}).get("task") or ""
        if name not in finished:
            return name
    return ""


def document(command: str, run, outcome: Outcome, code: int, check: bool = False, **extra) -> dict:
    """The --json document of one playbook run."""
    status = "interrupted" if code == results.EXIT_INTERRUPTED else ("ok" if code == 0 else "failed")
    doc = {
        "command": command,
        "status": status,
        "exit_code": code,
        "check_mode": check,
        "elapsed_seconds": round(run.elapsed, 2),
        "summary": outcome.summary(),
        "hosts": outcome.by_host(),
        "failures": outcome.failures(),
        "errors": outcome.errors() + ([] if outcome.failed_tasks() or code == 0 else outcome.ansible_errors[-3:]),
        "problems": outcome.problems(),
        "artifacts": str(run.artifacts) if run.artifacts else None,
    }
    doc.update(extra)
    return doc


# ----- tables of particular commands ---------------------------------------------------------------------
def key_values(rows: list, title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left", box=None, show_header=False, pad_edge=False, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(clean(key), clean("" if value is None else value))
    return table


def plain_columns(rows: list, headers: list) -> list:
    """Aligned text lines, for lists too long for a rich table (a roster may have 100,000 rows)."""
    rows = [[clean(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return lines


def status_table(report: dict) -> Table:
    table = Table(box=None, pad_edge=False, padding=(0, 2))
    columns = [("team", "left"), ("space", "left"), ("members", "right"), ("space status", "left"), ("app", "left")]
    logins = "logins" in report  # the event uses the portal: who has logged in, per team
    costs = "cost" in report  # the app runs' hours and cost, per team
    if costs:
        columns += [("app-hours", "right"), ("cost", "right"), ("projected", "right")]
    if logins:
        columns += [("logged in", "right"), ("last login (UTC)", "left"), ("failed", "right")]
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for row in report.get("teams") or []:
        space_status, app_status = row.get("space_status") or "missing", row.get("app_status") or "none"
        cells = [
            clean(row.get("team")),
            clean(row.get("space")),
            str(row.get("members", "")),
            Text(clean(space_status), style="" if space_status == "InService" else "yellow"),
            Text(clean(app_status), style="" if app_status in ("InService", "none") else "yellow"),
        ]
        if costs:
            cells += [f"{row.get('app_hours') or 0:.2f}", money(row.get("cost")), money(row.get("projected_cost"))]
        if logins:
            logged_in, failed = row.get("logged_in", 0), row.get("failed_logins", 0)
            cells += [
                Text(f"{logged_in}/{row.get('members', 0)}", style="" if logged_in else "yellow"),
                clean((row.get("last_login") or "-")[:16].replace("T", " ")),  # to the minute
                Text(str(failed), style="yellow" if failed else ""),
            ]
        table.add_row(*cells)
    return table


def money(value) -> str:
    return "-" if value is None else f"{value:,.2f}"


def cost_lines(report: dict) -> list:
    """The event's app-hours and cost so far, the projection to its end, and how they were priced."""
    cost, totals = report["cost"], report.get("totals") or {}
    currency = clean(cost.get("currency") or "USD")
    projected = totals.get("projected_cost")
    lines = [
        Text(
            f"{totals.get('app_hours') or 0:.2f} app-hours, {currency} {money(totals.get('cost'))} so far; "
            + (
                f"{currency} {money(projected)} projected at the end ({clean(cost.get('event_end'))})"
                if projected is not None
                else "no projection (studio_event_end is not set)"
            )
        )
    ]
    sources = sorted({f"{p.get('source')} of {p.get('date')}" for p in (cost.get("prices") or {}).values() if p})
    if sources:
        lines.append(Text(clean(f"prices: {', '.join(sources)}"), style="dim"))
    if cost.get("unpriced"):
        lines.append(
            Text(
                clean(f"no price for {', '.join(cost['unpriced'])}: their hours count, not their cost"), style="yellow"
            )
        )
    return lines


NOT_YET_SHOWN = 20  # a room of 1,000 would otherwise scroll the table away


def login_lines(report: dict) -> list:
    """Who has logged in at the portal (N of M) and who has not yet, by name up to NOT_YET_SHOWN."""
    people = report.get("logins") or []
    not_yet = [p["email"] for p in people if not p.get("last_login")]
    lines = [Text(f"{len(people) - len(not_yet)} of {len(people)} participants have logged in at the portal")]
    if not_yet:
        more = len(not_yet) - NOT_YET_SHOWN
        shown = ", ".join(not_yet[:NOT_YET_SHOWN]) + (f" and {more} more" if more > 0 else "")
        lines.append(Text(clean(f"not logged in yet: {shown}"), style="yellow"))
    return lines
