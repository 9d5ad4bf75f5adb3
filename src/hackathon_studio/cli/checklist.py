"""``studio checklist``: is the event ready? A dry run of setup (setup.yml --check), then checklist.yml
with its outcome; shows the playbook's lines (check, status, what to do) per domain and exits 1 when one
is not ok. Nothing is changed: the checklist only reads, and the dry run is check mode."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from . import project, render, runner
from .commands import Result, Session
from .results import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, Outcome, kind_label

HEADER = "what to do, or what was found"
STYLES = {"ok": "green", "fix": "bold red", "skip": "yellow"}


def checklist(session: Session, users: str, start_apps: bool = False) -> Result:
    path = project.roster_path(users)
    extravars = {"users": str(path), "studio_start_apps": bool(start_apps)}
    session.heading(f"Checking the event of {users} is ready ({session.inventory}); nothing will change")
    session.output.say("A dry run of setup (check mode) first, then the checklist.", style="dim")
    _, dry, _ = _run(session.job("checklist-setup-check", "setup.yml", extravars=extravars, check=True))
    extravars["checklist_dry_run"] = dry_runs(dry)
    run, outcome, code = _run(session.job("checklist", "checklist.yml", extravars=extravars))
    lines = checklist_lines(outcome)
    stopped = {task.host for task in outcome.failed_tasks()} - set(lines)  # a host that could not make its lines
    if lines and not stopped:  # the verdict is the lines' (the play fails on a line not ok)
        code = EXIT_FAILED if any(x["status"] == "fix" for host in lines.values() for x in host) else EXIT_OK
    if lines:
        _show(session, lines, verdict=not stopped)
    if (stopped or not lines) and not session.json_mode:
        render.show_ending(session.output, run, outcome, code)
    document = render.document("checklist", run, outcome, code, check=True, ready=code == EXIT_OK)
    document["lines"] = [dict(line, host=host) for host, host_lines in lines.items() for line in host_lines]
    document["dry_run"] = extravars["checklist_dry_run"]
    return Result(code, document)


def _run(job: runner.Job) -> tuple:
    """Run ``job`` without the progress display: (run, outcome, exit code)."""
    run = runner.run(job)
    outcome = Outcome.from_events(run.events)
    code = outcome.exit_code(run.status, run.interrupted)
    if code == EXIT_INTERRUPTED:
        raise KeyboardInterrupt
    return run, outcome, code


def dry_runs(outcome: Outcome) -> dict:
    """host -> ``ok`` and ``note`` of its dry run of setup: what it would create, or where it stopped."""
    hosts = list(dict.fromkeys(task.host for task in outcome.tasks))
    found = {}
    for host in hosts:
        failed = [task for task in outcome.failed_tasks() if task.host == host]
        if failed:
            why = "; ".join(f"{f['name']}: {f['msg']}" for f in failed[0].item_failures()) or failed[0].message
            found[host] = {"ok": False, "note": f"setup --check stops at “{failed[0].task}”: {why}"}
            continue
        counts = outcome.by_host().get(host) or {}
        would = [f"{kind_label(kind)} {c['created']}" for kind, c in counts.items() if c.get("created")]
        changes = f"would create {', '.join(would)}" if would else "nothing to create"
        found[host] = {"ok": True, "note": f"setup --check passes: {changes}"}
    return found


def checklist_lines(outcome: Outcome) -> dict:
    """host -> the lines its checklist made (the checklist role's ``checklist_lines`` fact)."""
    lines = {}
    for task in outcome.tasks:
        made = (task.res.get("ansible_facts") or {}).get("checklist_lines")
        if task.status == "ok" and isinstance(made, list):
            lines[task.host] = made
    return lines


def _show(session: Session, lines: dict, verdict: bool) -> None:
    out = session.output.out
    for host, host_lines in lines.items():
        table = Table(box=None, pad_edge=False, padding=(0, 2), title=None if len(lines) == 1 else host)
        for column in ("check", "status", HEADER):
            table.add_column(column)
        for line in host_lines:
            status = line["status"]
            table.add_row(
                render.clean(line["check"]), Text(status, style=STYLES.get(status, "")), render.clean(line["note"])
            )
        out.print()
        out.print(table)
    to_fix = sum(x["status"] == "fix" for host_lines in lines.values() for x in host_lines)
    out.print()
    if not verdict:  # a domain could not be checked: what stopped it follows
        return
    if to_fix:
        out.print(Text(f"✗ Not ready: {to_fix} line(s) to fix, said above.", style="bold red"))
    else:
        out.print(Text("✓ Ready: every check is ok.", style="green"))
