"""``studio rehearse``: a whole event on a throw-away emulator (configure, setup, URLs, status, purge),
told step by step to a newcomer; what ``make demo`` runs."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml

from . import project, render
from .commands import Result, Session, configure, get_urls, purge, setup_users, status
from .results import EXIT_INTERRUPTED, EXIT_OK, kind_label

REHEARSAL_EVENT = "rehearsal"
NEXT_STEPS = (
    "Next, for a real event: copy inventories/aws.example to inventories/<yours>, then\n"
    "  studio configure -i inventories/<yours>      (region, Studio domain id, event name)\n"
    "  studio validate users.csv\n"
    "  studio setup-users users.csv -i inventories/<yours> --start-apps\n"
    "  studio get-urls -i inventories/<yours>       (URLs into a 0600 file, to hand out)\n"
    "  studio purge -i inventories/<yours>          (after the event)"
)


def rehearse(session: Session, users: str, time_scale: float = 0.01) -> Result:
    """A whole event on a throw-away emulator: configure, setup, URLs, status, purge."""
    from hackathon_studio.emulator.process import EmulatorProcess

    roster = project.roster_path(users)
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="studio-rehearsal-") as scratch,
        EmulatorProcess(time_scale=time_scale) as emulator,
    ):
        session.inventory = _rehearsal_inventory(Path(scratch), emulator.url)
        session.output.say(
            f"Rehearsing an event from {users} on a local Studio emulator at {emulator.url} "
            f"(AWS's waits {1 / time_scale:.0f}x shorter). No AWS account is touched.",
            style="bold",
        )
        code, steps = _run_steps(session, roster, Path(scratch))
        left = _left_behind(emulator.state())
        calls = emulator.calls().get("received", {})
    elapsed = time.monotonic() - started
    _tell(session.output, steps, code, f"{sum(calls.values())} API calls to the emulator", left, elapsed)
    document = {
        "command": "rehearse",
        "status": "ok" if code == EXIT_OK else ("interrupted" if code == EXIT_INTERRUPTED else "failed"),
        "exit_code": code,
        "elapsed_seconds": round(elapsed, 2),
        "emulator": {"url": emulator.url, "time_scale": time_scale, "api_calls": calls, "left": left},
        "steps": [dict(result.document, step=name) for name, result in steps],
    }
    return Result(code, document)


def _rehearsal_inventory(directory: Path, url: str) -> Path:
    """The checkout's emulator inventory, pointed at this rehearsal's emulator."""
    source = project.DEFAULT_INVENTORY / "hosts.yml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for host_vars in data["all"]["hosts"].values():
        host_vars["studio_endpoint_url"] = url
    path = directory / "inventory" / "hosts.yml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (path.parent / "group_vars").symlink_to(project.DEFAULT_INVENTORY / "group_vars")  # its demo vault's keys
    return path


def _run_steps(session: Session, roster: Path, scratch: Path) -> tuple[int, list]:
    """Run the event's commands in order until one does not succeed; return (exit code, [(name, result)])."""
    plan = [
        ("configure", lambda: configure(session, event=REHEARSAL_EVENT)),
        ("setup-users", lambda: setup_users(session, str(roster), start_apps=True)),
        ("get-urls", lambda: get_urls(session, out=str(scratch / "urls.csv"))),
        ("status", lambda: status(session, status_file=str(scratch / "status.csv"))),
        ("purge", lambda: purge(session, yes=True)),
    ]
    steps: list = []
    for number, (name, step) in enumerate(plan, 1):
        session.output.say("")
        session.output.say(f"── {number}/{len(plan)} studio {name} " + "─" * max(0, 50 - len(name)), style="bold cyan")
        result = step()
        steps.append((name, result))
        if result.code != EXIT_OK:
            return result.code, steps
    return EXIT_OK, steps


def _left_behind(state: dict) -> dict:
    """kind -> how many of the emulator's resources of that kind are not deleted."""
    return {
        kind: len([i for i in state.get(kind, []) if i.get("status") != "Deleted"])
        for kind in ("user_profiles", "spaces", "apps")
    }


def _tell(output: render.Output, steps: list, code: int, calls: str, left: dict, elapsed: float) -> None:
    """What happened, one line per step, then the verdict and what to do next."""
    output.say("")
    output.say("What happened", style="bold")
    for name, result in steps:
        mark = "✓" if result.code == EXIT_OK else "✗"
        took = result.document.get("elapsed_seconds", 0)
        output.say(f"  {mark} studio {name:<12} {_step_line(name, result)}  ({took:.1f} s)")
    leftovers = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in left.items() if n) or "nothing"
    output.say(f"  {calls}; left behind: {leftovers}.")
    if code == EXIT_OK:
        output.say("")
        output.say(f"✓ Rehearsal passed in {elapsed:.1f} s.", style="bold green")
        output.say(NEXT_STEPS, style="dim")
    elif code != EXIT_INTERRUPTED:
        output.error(f"the rehearsal stopped at studio {steps[-1][0]} (exit code {code}); see above.")


def _step_line(name: str, result: Result) -> str:
    doc = result.document
    summary = doc.get("summary") or {}
    parts = []
    for kind, counts in summary.items():
        done = [f"{counts[a]} {a}" for a in ("created", "updated", "deleted", "failed") if counts.get(a)]
        if done:
            parts.append(f"{kind_label(kind)} {', '.join(done)}")
    if name == "status":
        for report in (doc.get("report") or {}).values():
            totals = report.get("totals") or {}
            drift = any((report.get("drift") or {}).values())
            parts.append(
                f"{totals.get('participants', 0)} participants, {totals.get('apps_in_service', 0)} apps in service, "
                + ("drift found" if drift else "no drift")
            )
    if name == "configure":
        parts.append("domain checked, registry ready")
    return "; ".join(parts) or "done"
