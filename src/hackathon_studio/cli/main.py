"""``studio``: run a hackathon on SageMaker Studio with the collection's playbooks, through ansible-runner.

Exit codes: 0 ok, 1 some resources failed, 2 bad input or configuration, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback

from . import checklist, commands, portal, rehearse
from .project import StudioError
from .render import Output
from .results import EXIT_CONFIG, EXIT_FAILED, EXIT_INTERRUPTED

DESCRIPTION = """\
Run a hackathon on Amazon SageMaker Studio: one user profile per participant, a shared space per
team, presigned URLs, status and teardown, from a CSV of participants (email,team). Each command
runs one of the collection's playbooks through ansible-runner.

Try it without AWS:  studio rehearse examples/users.csv
"""

EPILOG = """\
exit codes: 0 ok, 1 some resources failed, 2 bad input or configuration, 130 interrupted
environment: STUDIO_VAULT_PASSWORD_FILE (as --vault-password-file), STUDIO_ARTIFACTS_DIR (where failed
runs' details are kept), AWS_* (credentials and profile, passed to the playbooks)
"""


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    """The options of every command, accepted before or after the command's name."""
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    group = parser.add_argument_group("common options")
    group.add_argument(
        "-i",
        "--inventory",
        default=default(None),
        help="the event's inventory: a directory or file with one host per Studio domain "
        "(default: inventories/emulator of the checkout, the local emulator)",
    )
    group.add_argument(
        "--vault-password-file",
        default=default(None),
        help="your vault's password file (default: $STUDIO_VAULT_PASSWORD_FILE; the demo vault needs none)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default(0),
        help="show Ansible's own output on stderr; repeat for more (-vvv: module arguments)",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="print one JSON document on stdout (summary and per-item failures) and nothing else",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, top=False)
        return p

    _configuration_commands(command)
    _event_commands(command)
    _tool_commands(command)
    return parser


def _configuration_commands(command) -> None:
    """configure, get-conf, checklist, validate: what comes before the event."""
    p = command(
        "configure",
        "ask for (or take) the region, Studio domain id and event name, save them in the "
        "inventory, then check the domain and prepare the registry (configure.yml)",
    )
    p.add_argument("--region", help="AWS region of the Studio domain")
    p.add_argument("--domain-id", help="the Studio domain id (d-...)")
    p.add_argument("--event", help="the event name: lower-case letters, digits and dashes; tags everything")
    p.add_argument("--host", help="the inventory host (domain) to configure, when there are several")

    command("get-conf", "show the configuration the playbooks would use (never secrets)")

    p = command(
        "checklist",
        "is the event ready? quotas against the roster, the domain, idle shutdown, the allow-list, the portal, "
        "a dry run of setup and its time, one line each (checklist.yml); exit 1 when one is not ok; changes nothing",
    )
    p.add_argument("users", help="the roster: a CSV of email,team")
    p.add_argument("--start-apps", action="store_true", help="the event starts an app in every team space")

    p = command("validate", "check a roster and show its participants, names and teams; no AWS call")
    p.add_argument("users", help="the roster: a CSV of email,team")


def _event_commands(command) -> None:
    """setup-users, get-urls, status, reap, purge: the event itself."""
    p = command("setup-users", "create the event's user profiles and team spaces from a roster (setup.yml)")
    p.add_argument("users", help="the roster: a CSV of email,team")
    p.add_argument("--start-apps", action="store_true", help="also start an app in every team space")
    p.add_argument("--prune", action="store_true", help="remove participants and teams no longer in the roster")
    p.add_argument("--check", action="store_true", help="show what would change, change nothing")

    p = command("get-urls", "write presigned URLs into the participants' team spaces to a private file (urls.yml)")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--team", help="only this team's participants")
    who.add_argument("--email", help="only this participant")
    p.add_argument("--out", metavar="FILE", help="the file to write (.csv or .json; default: urls-<event>.csv)")
    p.add_argument(
        "--session-duration",
        type=int,
        metavar="SECONDS",
        help="how long the Studio session each URL opens lasts, 1800-43200 (default: studio_session_duration, 28800)",
    )

    command("status", "show every team's space and app, and any drift from the registry (status.yml)")

    p = command(
        "reap",
        "stop the event's apps older than studio_app_max_age, outside studio_event_hours or after "
        "studio_event_end (reap.yml); run it on a schedule",
    )
    p.add_argument("--check", action="store_true", help="show which apps would stop and why, stop nothing")

    p = command("purge", "delete everything of the event, and nothing else (teardown.yml)")
    p.add_argument("--apps-only", action="store_true", help="only stop the event's apps; keep spaces and profiles")
    p.add_argument("--check", action="store_true", help="show what would be deleted, delete nothing")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation (needed without a terminal)")


def _tool_commands(command) -> None:
    """iam-policy, portal, rehearse: the organizer's policy, the participants' way in, and an event on a
    throw-away emulator."""
    p = command(
        "iam-policy",
        "print the organizer's least-privilege IAM policy for the inventory's domains (iam_policy.yml); no AWS call",
    )
    p.add_argument("--event", help="the event name (default: the inventory's studio_event)")
    p.add_argument("--account", help="the AWS account id in the ARNs (default: *, any account)")
    p.add_argument(
        "--execution-role",
        action="append",
        default=[],
        metavar="ARN",
        help="an execution role your own playbooks give user profiles: allows iam:PassRole on it, to SageMaker "
        "only (repeatable; the project's playbooks need none)",
    )
    p.add_argument("--out", metavar="FILE", help="write the policy to FILE (JSON, mode 0644) instead of printing it")
    p.add_argument(
        "--portal",
        action="store_true",
        help="the participant portal's policy instead, for the credentials `studio portal` runs with",
    )

    p = command(
        "portal",
        "serve the participant portal for the inventory's event (participants log in with their access "
        "code and land in their team's space); or revoke or reissue one participant's code",
    )
    p.add_argument(
        "action", nargs="?", choices=sorted(portal.STATES), help="revoke or reissue a code, instead of serving"
    )
    p.add_argument("email", nargs="?", help="the participant whose code to revoke or reissue")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="the port to listen on; 0 picks a free one (default: 8080)")

    p = command(
        "rehearse",
        "rehearse a whole event on a throw-away local emulator: configure, setup-users "
        "--start-apps, get-urls, a portal login per team, status, purge",
    )
    p.add_argument("users", help="the roster: a CSV of email,team")
    p.add_argument("--time-scale", type=float, default=0.01, help="emulator speed: 0.01 makes AWS's waits 100x shorter")


def dispatch(args: argparse.Namespace, session: commands.Session) -> commands.Result:
    name = args.command
    if name == "validate":
        return commands.validate(session, args.users)
    if name == "get-conf":
        return commands.get_conf(session)
    if name == "configure":
        return commands.configure(session, args.region, args.domain_id, args.event, args.host)
    if name == "checklist":
        return checklist.checklist(session, args.users, args.start_apps)
    if name == "setup-users":
        return commands.setup_users(session, args.users, args.start_apps, args.prune, args.check)
    if name == "get-urls":
        return commands.get_urls(session, args.team, args.email, args.out, args.session_duration)
    if name == "status":
        return commands.status(session)
    if name == "reap":
        return commands.reap(session, args.check)
    if name == "purge":
        return commands.purge(session, args.apps_only, args.check, args.yes)
    if name == "iam-policy":
        return commands.iam_policy(session, args.event, args.account, args.execution_role, args.out, args.portal)
    if name == "portal":
        return _portal(args, session)
    if name == "rehearse":
        if args.time_scale <= 0:
            raise StudioError("--time-scale must be more than 0")
        return rehearse.rehearse(session, args.users, args.time_scale)
    raise StudioError(f"unknown command {name}")


def _portal(args: argparse.Namespace, session: commands.Session) -> commands.Result:
    if args.action is None:
        if args.email is not None:
            raise StudioError(f"studio portal takes revoke EMAIL or reissue EMAIL, not {args.email}")
        return portal.serve(session, args.host, args.port)
    if not args.email:
        raise StudioError(f"studio portal {args.action} needs the participant's EMAIL")
    return portal.change_code(session, args.action, args.email)


def _terminated(signum, frame):
    raise KeyboardInterrupt  # a CI job cancelled (SIGTERM) stops like Ctrl-C: cleanly, saying what was done


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        return _main(args)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _main(args: argparse.Namespace) -> int:
    output = Output(args.json, args.verbose)
    document = None
    try:
        session = commands.Session(args.inventory, args.vault_password_file, args.verbose, args.json)
        result = dispatch(args, session)
        code, document = result.code, result.document
    except StudioError as exc:
        output.error(exc)
        code = exc.code
        document = {"command": args.command, "status": "failed", "exit_code": code, "errors": [str(exc)]}
    except KeyboardInterrupt:
        output.error("interrupted; nothing more was started.")
        code = EXIT_INTERRUPTED
        document = {"command": args.command, "status": "interrupted", "exit_code": code}
    except Exception as exc:  # noqa: BLE001  a bug: one line, the traceback only when asked for
        if args.verbose >= 3 or os.environ.get("STUDIO_DEBUG"):
            traceback.print_exc()
        output.error(f"internal error: {type(exc).__name__}: {exc} (run with -vvv for the traceback)")
        code = EXIT_FAILED
        document = {
            "command": args.command,
            "status": "failed",
            "exit_code": code,
            "errors": [f"internal error: {exc}"],
        }
    if args.json:
        output.emit(document)
    return code


def run() -> None:
    sys.exit(main())


__all__ = ["main", "run", "EXIT_CONFIG"]
