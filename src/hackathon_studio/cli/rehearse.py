"""``studio rehearse``: a whole event on a throw-away emulator (configure, setup, URLs, portal logins,
status, purge), told step by step to a newcomer; what ``make demo`` runs."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml

from . import portal, project, render
from .commands import Result, Session, configure, get_urls, purge, setup_users, status
from .results import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, kind_label

REHEARSAL_EVENT = "rehearsal"
CODES_FILE = "codes.csv"
NEXT_STEPS = (
    "Next, for a real event: copy inventories/aws.example to inventories/<yours>, then\n"
    "  studio configure -i inventories/<yours>      (region, Studio domain id, event name)\n"
    "  studio validate users.csv\n"
    "  studio setup-users users.csv -i inventories/<yours> --start-apps\n"
    "  studio portal -i inventories/<yours>         (participants log in with the codes setup wrote)\n"
    "  studio get-urls -i inventories/<yours>       (or URLs into a 0600 file, to hand out)\n"
    "  studio purge -i inventories/<yours>          (after the event)"
)


def rehearse(session: Session, users: str, time_scale: float = 0.01) -> Result:
    """A whole event on a throw-away emulator: configure, setup, URLs, portal logins, status, purge."""
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
        code, steps = _run_steps(session, roster, Path(scratch), emulator)
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
    """The checkout's emulator inventory, pointed at this rehearsal's emulator, in the portal's codes mode."""
    source = project.DEFAULT_INVENTORY / "hosts.yml"
    if not source.is_file():
        raise project.StudioError("studio rehearse needs a checkout: its emulator inventory and demo vault")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for host_vars in data["all"]["hosts"].values():
        host_vars["studio_endpoint_url"] = url
        host_vars["studio_portal_auth"] = ["codes"]
        host_vars["studio_codes_file"] = str(directory / CODES_FILE)
    path = directory / "inventory" / "hosts.yml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (path.parent / "group_vars").symlink_to(project.DEFAULT_INVENTORY / "group_vars")  # its demo vault's keys
    return path


def _run_steps(session: Session, roster: Path, scratch: Path, emulator) -> tuple[int, list]:
    """Run the event's commands in order until one does not succeed; return (exit code, [(name, result)])."""
    plan = [
        ("configure", lambda: configure(session, event=REHEARSAL_EVENT)),
        ("setup-users", lambda: setup_users(session, str(roster), start_apps=True)),
        ("get-urls", lambda: get_urls(session, out=str(scratch / "urls.csv"))),
        ("portal", lambda: portal_logins(session, roster, scratch / CODES_FILE, emulator)),
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


def portal_logins(session: Session, roster: Path, codes_file: Path, emulator) -> Result:
    """One participant of each team logs in through the portal with the code setup wrote for them.

    A login counts when the portal answers 303 to a Studio URL of the event's domain and the emulator
    minted that URL for the participant's own user profile and team space. No URL or code is shown.
    """
    started = time.monotonic()
    access_codes = project.collection_module("plugins.module_utils.access_codes", "access codes")
    codes = access_codes.parse_codes_file(codes_file.read_text(encoding="utf-8"))
    first = [members[0] for members in project.read_roster(roster).teams.values()]
    values = portal.event_settings(session)
    studio = f"https://{values['studio_domain_id']}.studio.{values['studio_region']}.sagemaker.aws/"
    before = _minted(emulator)
    with portal.started(session, "127.0.0.1", 0, values, capture=True) as (_process, url):
        answers = {p.email: portal.log_in(url, p.email, codes.get(p.email.lower(), "")) for p in first}
    after = _minted(emulator)
    logged_in = [
        p.space
        for p in first
        if answers[p.email][0] == 303
        and answers[p.email][1].startswith(studio)
        and after.get(p.profile, [])[len(before.get(p.profile, [])) :] == [p.space]  # one URL, to their space
    ]
    session.output.say(f"portal: {len(logged_in)} of {len(first)} teams logged in")
    code = EXIT_OK if len(logged_in) == len(first) else EXIT_FAILED
    document = {
        "command": "portal",
        "status": "ok" if code == EXIT_OK else "failed",
        "exit_code": code,
        "elapsed_seconds": round(time.monotonic() - started, 2),
        "teams": len(first),
        "logged_in": sorted(logged_in),
        "refused": sorted(p.space for p in first if p.space not in logged_in),
    }
    return Result(code, document)


def _minted(emulator) -> dict:
    """user profile -> the spaces of the presigned URLs the emulator minted for it, in order."""
    return {
        p["name"]: [u.get("space") for u in p.get("presigned_urls") or []] for p in emulator.state()["user_profiles"]
    }


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
    if name == "portal":
        parts.append(f"{len(doc.get('logged_in', []))} of {doc.get('teams', 0)} teams logged in")
    return "; ".join(parts) or "done"
