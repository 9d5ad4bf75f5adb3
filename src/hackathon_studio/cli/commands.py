"""The commands: each maps its arguments to a playbook and variables, runs it once, and renders the result."""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text

from . import project, render, runner
from .project import StudioError
from .render import Output, Progress, clean
from .results import EXIT_CONFIG, EXIT_INTERRUPTED, EXIT_OK, Outcome

# botocore's error for an endpoint that does not answer, as failing modules name it in ``error_code``.
UNREACHABLE = frozenset({"EndpointConnectionError"})
CONFIGURED = {"region": "studio_region", "domain_id": "studio_domain_id", "event": "studio_event"}
PROMPTS = {"region": "AWS region", "domain_id": "Studio domain id", "event": "Event name"}


@dataclass
class Result:
    code: int
    document: dict


class Session:
    """The options every command shares, and the one way to run a playbook and show what it did."""

    def __init__(self, inventory=None, vault_password_file=None, verbosity: int = 0, json_mode: bool = False):
        self.output = Output(json_mode, verbosity)
        self.inventory = project.inventory_path(inventory)
        self.vault = project.vault_password_file(vault_password_file)
        self.verbosity = verbosity
        self.json_mode = json_mode

    def job(self, name: str, playbook: str, **options) -> runner.Job:
        return runner.Job(
            name=name,
            inventory=self.inventory,
            playbook=playbook,
            verbosity=self.verbosity,
            vault_password_file=self.vault,
            **options,
        )

    def play(self, job: runner.Job, done: str = "", quiet: bool = False, details=None):
        """Run ``job`` with the live progress, then show the summary, ``details(outcome)`` and the ending.

        Returns (exit code, outcome, run). ``quiet`` leaves out the summary and ending of a run that
        succeeded (a preview whose caller shows it its own way).
        """
        progress = Progress(self.output, job.check)
        with progress:
            run = runner.run(job, progress.on_event)
        outcome = progress.outcome
        code = outcome.exit_code(run.status, run.interrupted)
        if not quiet or code:
            render.show_summary(self.output, outcome, job.check)
            if details is not None and code == EXIT_OK and not self.json_mode:
                details(outcome)
            render.show_ending(self.output, run, outcome, code, done)
        if code == EXIT_CONFIG and self.inventory == project.DEFAULT_INVENTORY and endpoint_unreachable(outcome):
            self.output.say("The default inventory is the local emulator: start it with `make emulator`.", "yellow")
        return code, outcome, run

    def heading(self, text: str) -> None:
        self.output.say(text, style="bold")


def endpoint_unreachable(outcome: Outcome) -> bool:
    """Whether a task failed because its AWS endpoint did not answer (from the module's ``error_code``)."""
    return any(task.res.get("error_code") in UNREACHABLE for task in outcome.failed_tasks())


def _tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask(question: str, default: str = "") -> str:
    """A question on stderr, the answer from stdin; the default on an empty answer."""
    hint = f" [{clean(default)}]" if default else ""
    sys.stderr.write(f"{question}{hint}: ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:  # end of input
        raise KeyboardInterrupt
    return answer.strip() or default


# ----- validate --------------------------------------------------------------------------------------------
def validate(session: Session, users: str) -> Result:
    path = project.roster_path(users)
    roster = project.read_roster(path)
    output = session.output
    if roster.problems:
        lines = roster.problem_lines(source=users)
        output.error(f"{users} has {len(lines)} problem(s); nothing was checked against AWS:")
        for line in lines:
            output.err.print(Text(f"  {clean(line)}", style="red"))
        return Result(
            EXIT_CONFIG, {"command": "validate", "status": "failed", "exit_code": EXIT_CONFIG, "problems": lines}
        )
    teams = roster.teams
    team_rows = [{"team": members[0].team, "space": space, "members": len(members)} for space, members in teams.items()]
    if not session.json_mode:
        people = [(p.email, p.team, p.profile, p.space) for p in roster.participants]
        per_team = [(t["team"], t["space"], str(t["members"])) for t in team_rows]
        text = render.plain_columns(people, ["email", "team", "user profile", "space"]) + [""]
        text += render.plain_columns(per_team, ["team", "space", "members"]) + [""]
        output.out.file.write("\n".join(text) + "\n")  # plain text: a roster may have 100,000 rows
        sizes = sorted(t["members"] for t in team_rows)
        output.out.print(
            Text(
                f"✓ {users}: {len(roster.participants)} participants in {len(teams)} teams "
                f"({sizes[0]} to {sizes[-1]} per team); no AWS call was made.",
                style="green",
            )
        )
    return Result(
        EXIT_OK,
        {
            "command": "validate",
            "status": "ok",
            "exit_code": EXIT_OK,
            "total": {"participants": len(roster.participants), "teams": len(teams)},
            "participants": [p.as_dict() for p in roster.participants],
            "teams": team_rows,
            "problems": [],
        },
    )


# ----- configuration -------------------------------------------------------------------------------------
def run_quietly(session: Session, job: runner.Job, what: str) -> Outcome:
    """Run a job that changes nothing in AWS, without progress; a failure is one StudioError line."""
    run = runner.run(job)
    outcome = Outcome.from_events(run.events)
    code = outcome.exit_code(run.status, run.interrupted)
    if code == EXIT_INTERRUPTED:
        raise KeyboardInterrupt
    if code != EXIT_OK:
        reason = (outcome.errors() or outcome.ansible_errors[-1:] or [f"ansible ended {run.status}"])[0]
        raise StudioError(f"cannot {what} of {session.inventory}: {reason}")
    return outcome


def read_config(session: Session) -> dict:
    """host -> the public variables as the playbooks see them (configuration.yml), credentials described."""
    job = session.job("get-conf", "configuration.yml")
    outcome = run_quietly(session, job, "read the configuration")
    return {task.host: task.res.get("msg") or {} for task in outcome.tasks if task.status == "ok"}


def iam_policy(session: Session, event=None, account=None, execution_roles=(), out=None, portal=False) -> Result:
    """The organizer's (or with ``portal``, the participant portal's) least-privilege IAM policy for the
    inventory's domains (iam_policy.yml), printed or written to ``out``. No AWS call."""
    if portal and execution_roles:
        raise StudioError("--execution-role is for the organizer's policy: the portal passes no role")
    with tempfile.TemporaryDirectory(prefix="studio-iam-policy-") as scratch:
        path = Path(out).expanduser().absolute() if out else Path(scratch) / "policy.json"
        extravars = {"iam_policy_file": str(path), "iam_policy_execution_roles": list(execution_roles)}
        extravars["iam_policy_portal"] = bool(portal)
        if event is not None:
            extravars["studio_event"] = event
        if account is not None:
            extravars["iam_policy_account"] = account
        run_quietly(session, session.job("iam-policy", "iam_policy.yml", extravars=extravars), "write the IAM policy")
        policy = json.loads(path.read_text(encoding="utf-8"))
    if out:
        whose = "participant portal's" if portal else "organizer's"
        session.output.say(f"Wrote the {whose} IAM policy to {path} (docs/IAM.md explains it).")
    elif not session.json_mode:
        session.output.out.file.write(json.dumps(policy, indent=2) + "\n")
    document = {"command": "iam-policy", "status": "ok", "exit_code": EXIT_OK, "file": str(path) if out else None}
    return Result(EXIT_OK, dict(document, policy=policy))


def get_conf(session: Session) -> Result:
    config = read_config(session)
    output = session.output
    sources = [
        ("inventory", str(session.inventory)),
        ("ansible.cfg", str(project.ANSIBLE_CFG or "ansible's own (./ansible.cfg, ~/.ansible.cfg)")),
        ("vault password file", str(session.vault) if session.vault else "none (only the emulator's demo vault opens)"),
        (
            "set by studio configure",
            str(project.vars_dir(session.inventory) / "host_vars" / "<host>" / project.VARS_FILE),
        ),
    ]
    if not session.json_mode:
        output.out.print(render.key_values(sources))
        for host, values in config.items():
            output.out.print()
            rows = [(key, _shown(value)) for key, value in values.items()]
            output.out.print(render.key_values(rows, title=f"{host}"))
    return Result(
        EXIT_OK,
        {
            "command": "get-conf",
            "status": "ok",
            "exit_code": EXIT_OK,
            "inventory": str(session.inventory),
            "ansible_cfg": str(project.ANSIBLE_CFG) if project.ANSIBLE_CFG else None,
            "vault_password_file": str(session.vault) if session.vault else None,
            "config": config,
        },
    )


def _shown(value) -> str:
    if value is None or value == "":
        return "(not set)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def configure(session: Session, region=None, domain_id=None, event=None, host=None) -> Result:
    output = session.output
    current = read_config(session)
    hosts = list(current)
    if not hosts:
        raise StudioError(f"the inventory {session.inventory} has no hosts")
    if host is not None and host not in current:
        raise StudioError(f"no host {host} in {session.inventory}; its hosts are: {', '.join(hosts)}")
    given = {"region": region, "domain_id": domain_id, "event": event}
    targets = [host] if host else hosts
    if len(targets) > 1 and (region or domain_id):
        raise StudioError(f"the inventory has several domains ({', '.join(hosts)}): say which with --host")
    values = current[targets[0]]
    answers = {}
    for key, variable in CONFIGURED.items():
        answer = given[key]
        if answer is None and _tty() and (key == "event" or len(targets) == 1):
            answer = ask(PROMPTS[key], str(values.get(variable) or ""))
        if answer is not None and answer != values.get(variable):
            answers[variable] = answer
    extravars = dict(answers)
    job = session.job("configure", "configure.yml", extravars=extravars, limit=host)
    session.heading(f"Configuring {', '.join(targets)} from {session.inventory}")
    code, outcome, run = session.play(job, done="Configured")
    saved = []
    if code == EXIT_OK and answers:
        for target in targets:
            path = project.vars_dir(session.inventory) / "host_vars" / target / project.VARS_FILE
            project.write_vars(path, answers)
            saved.append(str(path))
            output.say(f"Saved {', '.join(f'{k}={v}' for k, v in answers.items())} to {path}")
    elif answers:
        output.say("Nothing was saved: fix the above and run `studio configure` again.", style="yellow")
    elif code == EXIT_OK:
        output.say("The saved configuration is unchanged (--region, --domain-id and --event change it).", style="dim")
    doc = render.document(
        "configure", run, outcome, code, configuration={t: {**current[t], **answers} for t in targets}, saved_to=saved
    )
    return Result(code, doc)


# ----- the event -----------------------------------------------------------------------------------------
def setup_users(session: Session, users: str, start_apps=False, prune=False, check=False) -> Result:
    path = project.roster_path(users)
    extravars = {"users": str(path), "studio_start_apps": bool(start_apps), "studio_prune": bool(prune)}
    job = session.job("setup-users", "setup.yml", extravars=extravars, check=check)
    session.heading(f"Setting up the event from {users}" + (" (check mode: nothing will change)" if check else ""))
    code, outcome, run = session.play(job, done="Checked" if check else "Event set up")
    return Result(code, render.document("setup-users", run, outcome, code, check=check))


def get_urls(session: Session, team=None, email=None, out=None, session_duration=None) -> Result:
    extravars = {}
    if team is not None:
        extravars["team"] = str(team)
    if email is not None:
        extravars["email"] = email
    if out is not None:
        extravars["studio_urls_file"] = str(Path(out).expanduser().absolute())
    if session_duration is not None:
        extravars["studio_session_duration"] = session_duration  # its range is checked by the module
    job = session.job("get-urls", "urls.yml", extravars=extravars)
    who = f"team {team}" if team is not None else f"{email}" if email is not None else "every participant"
    session.heading(f"Presigned URLs for {who}")
    code, outcome, run = session.play(job, done="URLs written")
    written = [
        {
            "host": t.host,
            "file": t.res.get("dest"),
            "count": t.res.get("count", 0),
            "failed": t.res.get("failed_count", 0),
        }
        for t in outcome.results_of("studio_presigned_url")
    ]
    if code == EXIT_OK:
        session.output.say(
            "Each row of the file opens one participant's team space; the URLs are credentials and expire "
            "unused after a few minutes, so hand them out right away.",
            style="dim",
        )
    return Result(code, render.document("get-urls", run, outcome, code, urls=written))


def status(session: Session, status_file: str | None = None) -> Result:
    extravars = {"studio_status_file": status_file} if status_file else {}
    job = session.job("status", "status.yml", extravars=extravars)
    session.heading(f"Status of the event ({session.inventory})")
    code, outcome, run = session.play(job, done="Status read", details=lambda o: _show_status(session, o))
    reports = {
        task.host: {key: task.res.get(key) for key in ("teams", "totals", "drift", "dest")}
        | ({"logins": task.res["logins"]} if "logins" in task.res else {})  # the portal's, when in use
        | {key: task.res[key] for key in ("cost", "report") if key in task.res}  # the app runs' cost
        for task in outcome.results_of("studio_event_status")
    }
    return Result(code, render.document("status", run, outcome, code, report=reports))


def reap(session: Session, check=False) -> Result:
    """Stop the event's apps past studio_app_max_age, outside studio_event_hours or after studio_event_end."""
    job = session.job("reap", "reap.yml", check=check)
    session.heading("Reaping the event's apps" + (" (check mode: nothing will change)" if check else ""))
    code, outcome, run = session.play(job, done="Checked" if check else "Apps reaped")
    stopped = [
        {"host": task.host, "name": item.get("name"), "reason": item.get("msg")}
        for task in outcome.tasks
        for item in task.items()
        if item["action"] == "deleted"
    ]
    for app in stopped:
        verb = "would stop" if check else "stopped"
        session.output.say(f"{verb} {app['name']} ({app['host']}): {app['reason']}", style="dim")
    return Result(code, render.document("reap", run, outcome, code, check=check, stopped=stopped))


def _show_status(session: Session, outcome: Outcome) -> None:
    out = session.output.out
    for task in outcome.results_of("studio_event_status"):
        res = task.res
        out.print()
        if task.host != "localhost":
            out.print(Text(task.host, style="bold"))
        out.print(render.status_table(res))
        totals = res.get("totals") or {}
        personal = f"; {totals.get('personal_spaces')} personal spaces" if totals.get("personal_spaces") else ""
        out.print(
            Text(
                f"{totals.get('participants', 0)} participants in {totals.get('teams', 0)} teams; "
                f"{totals.get('spaces_in_service', 0)} spaces and {totals.get('apps_in_service', 0)} apps in service"
                + personal
            )
        )
        if "cost" in res:
            for line in render.cost_lines(res):
                out.print(line)
        if "logins" in res:
            for line in render.login_lines(res):
                out.print(line)
        drift = {kind: names for kind, names in (res.get("drift") or {}).items() if names}
        for kind, names in drift.items():
            out.print(Text(clean(f"drift: {kind.replace('_', ' ')}: {', '.join(map(str, names))}"), style="yellow"))
        if not drift:
            out.print(Text("No drift: the domain matches the registry.", style="green"))
        out.print(Text(f"The table is also in {res.get('dest')} (mode 0600).", style="dim"))
        if res.get("report"):
            out.print(
                Text(
                    f"The cost, with a chart of the app-hours per team, is in {res['report']} (mode 0600).", style="dim"
                )
            )


def _found(outcome: Outcome) -> dict:
    """What a check-mode teardown would remove, per host: the ``removal`` of its first look at the event.

    studio_resource_info returns it when it lists by the event's tags, with what the event's resources
    own (a listing without the tags would be the whole domain, foreign resources included): the live
    apps, the spaces and the user profiles, by name.
    """
    found: dict = {}
    for task in outcome.tasks:
        removal = task.res.get("removal")
        if task.status == "ok" and isinstance(removal, dict):
            found.setdefault(task.host, removal)
    return found


LISTED = 20  # names shown per kind before "and N more"


def _show_found(session: Session, found: dict, apps_only: bool) -> int:
    """List what a purge would remove; return how many resources that is."""
    total = 0
    labels = (
        ("apps", "apps to stop, in spaces"),
        ("spaces", "spaces to delete"),
        ("user_profiles", "user profiles to delete"),
    )
    for host, kinds in found.items():
        where = "" if host == "localhost" else f"[{host}] "
        for kind, label in labels:
            names = [str(name) for name in kinds.get(kind) or []]
            if not names or (apps_only and kind != "apps"):
                continue
            total += len(names)
            more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
            session.output.say(f"  {where}{len(names)} {label}: {', '.join(names[:LISTED])}{more}")
    return total


def purge(session: Session, apps_only=False, check=False, yes=False) -> Result:
    tags = "apps" if apps_only else None
    what = "the event's apps" if apps_only else "everything of the event"
    if not (yes or check) and not _tty():
        raise StudioError(
            "purge asks for confirmation, and stdin is not a terminal: add --yes (or --check to only look)"
        )
    if check or not yes:
        session.heading(f"Looking for {what} (check mode: nothing will change)")
        job = session.job("purge-check", "teardown.yml", check=True, tags=tags)
        listing = (lambda outcome: _show_found(session, _found(outcome), apps_only)) if check else None
        code, outcome, run = session.play(job, done="Checked", quiet=not check, details=listing)
        found = _found(outcome)
        if check or code != EXIT_OK:
            return Result(code, render.document("purge", run, outcome, code, check=True, found=found))
        session.output.say("")
        if not _show_found(session, found, apps_only):
            if apps_only:
                session.output.say("No app of the event is running: nothing to stop.")
                return Result(EXIT_OK, render.document("purge", run, outcome, EXIT_OK, check=True, found=found))
            session.output.say("Nothing of the event is left in the domain; only its registry entries would go.")
        answer = ask(f"Delete {what}{'' if apps_only else ' (and its registry entries)'}? [y/N]", "")
        if answer.lower() not in ("y", "yes"):
            session.output.say("Nothing was deleted.")
            doc = render.document("purge", run, outcome, EXIT_OK, check=True, found=found, confirmed=False)
            return Result(EXIT_OK, doc)
    session.heading(f"Deleting {what}")
    job = session.job("purge", "teardown.yml", tags=tags)
    code, outcome, run = session.play(job, done="Apps stopped" if apps_only else "Event torn down")
    return Result(code, render.document("purge", run, outcome, code, deleted=outcome.names("deleted")))
