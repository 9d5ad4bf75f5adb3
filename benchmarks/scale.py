"""A whole event at scale against an emulator that behaves like a busy AWS control plane.

Measures, in one run: setup (profiles + team spaces), setup with apps, an idempotent re-run,
teardown from the full state, the straightforward one-task-per-participant loop on a subset,
and roster validation on large generated rosters. For each: wall time, API calls per action,
and the floor that the throttle and the resource transitions alone force; then wall / floor.

Run: `make bench` or `.venv/bin/python benchmarks/scale.py --participants 1000 --teams 250`
(every emulator parameter is a flag; see --help). Writes benchmarks/RESULTS.md unless --no-write.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import botocore.session
import yaml

from hackathon_studio.cli.project import DEMO_VAULT_IDENTITY
from hackathon_studio.emulator.process import EmulatorProcess
from hackathon_studio.emulator.studio import DURATIONS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOMAIN = "d-hackathon0001"
READ_ACTIONS = [
    name
    for name in botocore.session.get_session().get_service_model("sagemaker").operation_names
    if name.startswith(("List", "Describe"))
]


def roster(path: Path, participants: int, teams: int) -> Path:
    path.write_text("".join(f"participant{i}@example{i % 7}.org,{i % teams}\n" for i in range(participants)))
    return path


def inventory(path: Path, url: str) -> Path:
    hosts = {
        "localhost": {
            "ansible_connection": "local",
            "ansible_python_interpreter": sys.executable,
            "studio_endpoint_url": url,
            "studio_region": "us-east-1",
            "studio_domain_id": DOMAIN,
        }
    }
    path.write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    (path.parent / "group_vars").symlink_to(ROOT / "inventories" / "emulator" / "group_vars")  # the demo vault's keys
    return path


LOG_DIR: Path | None = None  # --log-dir


def playbook(name: str, hosts: Path, work: Path, **extra) -> float:
    extra = {"studio_event": "bench", "studio_wait_timeout": 3600, **extra}
    command = [str(BIN / "ansible-playbook"), "-i", str(hosts), str(ROOT / "playbooks" / name), "-e", json.dumps(extra)]
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_VAULT_IDENTITY_LIST=DEMO_VAULT_IDENTITY)
    if LOG_DIR is not None:
        env["ANSIBLE_CALLBACKS_ENABLED"] = "ansible.posix.profile_tasks"
    started = time.monotonic()
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    if LOG_DIR is not None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        (LOG_DIR / f"{time.strftime('%H%M%S')}-{name}.log").write_text(result.stdout)
    if result.returncode != 0:
        sys.exit(f"{name} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return wall


def loop_playbook(path: Path, participants: list, spaces: list) -> Path:
    """The straightforward way: one single-resource module task per participant and per team."""
    connection = "{{ studio_connection }}"
    play = {
        "name": "Straightforward setup",
        "hosts": "all",
        "gather_facts": False,
        "module_defaults": {"group/hackathon.studio.studio": connection},
        "roles": ["hackathon.studio.studio"],  # the public variables' defaults (studio_connection)
        "tasks": [
            {
                "name": "One profile at a time",
                "hackathon.studio.studio_user_profile": {
                    "domain_id": "{{ studio_domain_id }}",
                    "name": "{{ item }}",
                    "tags": {"hackathon:event": "loop"},
                },
                "loop": ["loop-organizer", *participants],
            },
            {
                "name": "One space at a time",
                "hackathon.studio.studio_space": {
                    "domain_id": "{{ studio_domain_id }}",
                    "name": "{{ item }}",
                    "owner": "loop-organizer",
                    "app_type": "JupyterLab",
                    "tags": {"hackathon:event": "loop"},
                },
                "loop": spaces,
            },
        ],
    }
    path.write_text(yaml.safe_dump([play], sort_keys=False))
    return path


def run_loop(book: Path, hosts: Path, work: Path) -> float:
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_VAULT_IDENTITY_LIST=DEMO_VAULT_IDENTITY)
    started = time.monotonic()
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", str(hosts), str(book)], cwd=work, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"loop failed:\n{result.stdout[-4000:]}")
    return time.monotonic() - started


def loop_versus_project(args, faults: dict, emu: EmulatorProcess, hosts: Path, work: Path, subset: int) -> list:
    """Setup of ``subset`` participants by the project, then by one module task per participant."""
    subset_teams = max(1, subset // 4)
    sub_users = roster(work / "subset.csv", subset, subset_teams)
    emu.reset()
    emu.faults(**faults)
    wall = playbook("setup.yml", hosts, work, users=str(sub_users))
    project = summarise(
        f"setup, {subset} participants", wall, floors(args, subset, subset_teams, False)["setup"], calls(emu)
    )
    emu.reset()
    emu.faults(**faults)
    loop_dir = work / f"loop-{subset}"
    loop_dir.mkdir()
    names = [f"loop-participant-{i}" for i in range(subset)]
    book = loop_playbook(loop_dir / "loop.yml", names, [f"team-{t}" for t in range(subset_teams)])
    wall = run_loop(book, hosts, loop_dir)
    loop = summarise(f"loop, {subset} participants", wall, project["floor"], calls(emu))
    loop["note"] = f"the project is {wall / project['wall']:.1f}x faster"
    return [project, loop]


def calls(emu: EmulatorProcess) -> dict:
    return emu.calls()["received"]


def stage_floor(count: int, rps: float, burst: int) -> float:
    return max(0.0, (count - burst) / rps)


def floors(args, participants: int, teams: int, apps: bool) -> dict:
    """What the throttle alone forces, per step: the slowest single action's count / rate (each action
    has its own token bucket, so nothing else need add to it), plus the transition of its last resource.

    Setup creates and teardown deletes one user profile per participant and the organizer's, one space
    per team and, with apps, one app per team space.
    """
    scale = args.time_scale
    counts = {"user_profile": participants + 1, "space": teams, "app": teams if apps else 0}

    def slowest(step: str) -> float:
        return max(
            stage_floor(count, args.rps, args.burst) + DURATIONS[(kind, step)] * scale
            for kind, count in counts.items()
            if count
        )

    return {"setup": slowest("create"), "teardown": slowest("delete")}


def validate_rows(rows: int, work: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of `studio validate` (or the roster parser) on ``rows`` rows."""
    path = roster(work / f"rows-{rows}.csv", rows, max(1, rows // 4))
    studio = BIN / "studio"
    if studio.exists():
        command = [str(studio), "validate", str(path), "--json"]
    else:
        code = (
            "import sys; sys.path.insert(0, 'collections');"
            "from ansible_collections.hackathon.studio.plugins.module_utils.roster import parse_roster;"
            f"r = parse_roster(open({str(path)!r}, 'rb').read()); assert not r.problems"
        )
        command = [sys.executable, "-c", code]
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    wall = time.monotonic() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return wall, peak


def summarise(name: str, wall: float, floor: float | None, used: dict) -> dict:
    mutating = {k: v for k, v in used.items() if k.startswith(("Create", "Update", "Delete", "Add"))}
    return {"step": name, "wall": wall, "floor": floor, "calls": used, "mutating": sum(mutating.values())}


def diff(after: dict, before: dict) -> dict:
    return {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) - before.get(k, 0)}


def add_emulator_arguments(parser: argparse.ArgumentParser) -> None:
    """The emulator's settings (latency, throttle, time scale) and --log-dir, as both benchmarks take them."""
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--jitter-ms", type=float, default=20)
    parser.add_argument("--rps", type=float, default=10, help="token-bucket rate per mutating action (per account)")
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument("--read-rps", type=float, help="rate per List*/Describe* action (default: --rps)")
    parser.add_argument("--read-burst", type=int, help="burst per List*/Describe* action (default: --burst)")
    parser.add_argument(
        "--time-scale", type=float, default=0.02, help="0.02: a profile is ready in 0.1 s, an app starts in 3 s"
    )
    parser.add_argument("--log-dir", type=Path, help="keep each playbook's output there, its tasks timed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=250)
    add_emulator_arguments(parser)
    parser.add_argument(
        "--loop-subset", type=int, nargs="*", default=[100, 200], help="participants for the one-task-per-item loop"
    )
    parser.add_argument("--validate-rows", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument(
        "--steps",
        nargs="*",
        choices=["setup", "apps", "teardown"],
        default=["setup", "apps", "teardown"],
        help="the event's steps to time: setup, apps (setup with apps, then its idempotent re-run), teardown",
    )
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    global LOG_DIR
    LOG_DIR = args.log_dir

    faults = {
        "latency_ms": args.latency_ms,
        "jitter_ms": args.jitter_ms,
        "throttle": [
            {"rps": args.read_rps or args.rps, "burst": args.read_burst or args.burst, "actions": READ_ACTIONS},
            {"rps": args.rps, "burst": args.burst, "actions": None},
        ],
    }
    rows = []
    # lenient: the benchmark sets its own throttle and latency below, and 250 team apps on ml.t3.medium
    # need more than a new account's quota.
    with (
        tempfile.TemporaryDirectory() as tmp,
        EmulatorProcess(time_scale=args.time_scale, profile="lenient") as emu,
    ):
        work = Path(tmp)
        hosts = inventory(work / "hosts.yml", emu.url)
        users = roster(work / "users.csv", args.participants, args.teams)
        floor = floors(args, args.participants, args.teams, apps=False)
        floor_apps = floors(args, args.participants, args.teams, apps=True)

        if "setup" in args.steps:
            emu.faults(**faults)
            wall = playbook("setup.yml", hosts, work, users=str(users))
            rows.append(summarise("setup (profiles + spaces)", wall, floor["setup"], calls(emu)))

        if "apps" in args.steps:
            emu.reset()
            emu.faults(**faults)
            wall = playbook("setup.yml", hosts, work, users=str(users), studio_start_apps=True)
            rows.append(summarise("setup with apps", wall, floor_apps["setup"], calls(emu)))

            before = calls(emu)
            rerun = playbook("setup.yml", hosts, work, users=str(users), studio_start_apps=True)
            rows.append(summarise("idempotent re-run", rerun, None, diff(calls(emu), before)))
            rows[-1]["note"] = f"{100 * rerun / wall:.0f}% of the first run"

        if "teardown" in args.steps:
            if not emu.state()["user_profiles"]:  # the event set up, unless a step above did
                emu.faults(**faults)
                playbook("setup.yml", hosts, work, users=str(users), studio_start_apps=True)
            before = calls(emu)
            wall = playbook("teardown.yml", hosts, work)
            rows.append(summarise("teardown (full state)", wall, floor_apps["teardown"], diff(calls(emu), before)))
            left = emu.state()
            assert not left["user_profiles"] and not left["spaces"], "teardown left resources"

        for subset in args.loop_subset:
            rows += loop_versus_project(args, faults, emu, hosts, work, max(2, subset))

    for count in args.validate_rows:
        wall, peak = validate_rows(count, Path(tempfile.mkdtemp()))
        rows.append(
            {
                "step": f"validate {count:,} rows",
                "wall": wall,
                "floor": None,
                "calls": {},
                "mutating": 0,
                "note": f"peak {peak:.0f} MB",
            }
        )

    table = render(args, rows)
    print(table)
    if not args.no_write:
        (ROOT / "benchmarks" / "RESULTS.md").write_text(table)


def render(args, rows) -> str:
    lines = [
        "# Scale benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}. Command: `.venv/bin/python benchmarks/scale.py "
        f"--participants {args.participants} --teams {args.teams} --latency-ms {args.latency_ms} "
        f"--jitter-ms {args.jitter_ms} --rps {args.rps} --burst {args.burst} "
        f"--read-rps {args.read_rps or args.rps} --read-burst {args.read_burst or args.burst} "
        f"--time-scale {args.time_scale}`",
        "",
        "| step | wall s | floor s | wall / floor | mutating calls | calls per action | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r['wall'] / r['floor']:.2f}" if r["floor"] else ""
        floor = f"{r['floor']:.1f}" if r["floor"] else ""
        per_action = ", ".join(f"{k} {v}" for k, v in sorted(r["calls"].items()))
        cells = [r["step"], f"{r['wall']:.1f}", floor, ratio, str(r["mutating"]), per_action, r.get("note", "")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
