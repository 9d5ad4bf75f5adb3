"""One event over many accounts at once: N domains in N accounts, one emulator process (own throttle) each.

Runs setup, urls, status and teardown for P participants in T teams over an inventory of one host per
domain (the roster shards teams across hosts; forks = N), and reports per step: wall time, the floor
(the account with most participants: its slowest single action's count / rate, plus that action's
transition), wall / floor, the controller's peak memory (ansible-playbook and every process under
it, summed, sampled from /proc), the controller's CPU time (user + sys of the playbook's process
tree) beside the emulators' (they share the machine's cores), and the calls.

Run: `.venv/bin/python benchmarks/multi_account.py --accounts 10 --participants 10000 --teams 2500`
(every emulator parameter is a flag, as in scale.py; see --help). Prints a markdown table; --write
appends it to benchmarks/RESULTS.md as a dated section.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import math
import os
import platform
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402
from scale import READ_ACTIONS, ROOT, playbook, roster, stage_floor  # noqa: E402

from hackathon_studio.emulator.process import EmulatorProcess  # noqa: E402
from hackathon_studio.emulator.studio import DURATIONS  # noqa: E402

EVENT = "bench"
ORGANIZER = f"{EVENT}-organizer"
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
STEPS = ["urls", "status", "teardown"]
DATE = "%Y-%m-%d %H:%M UTC"
COLUMNS = [
    "accounts",
    "step",
    "wall s",
    "floor s",
    "wall / floor",
    "controller CPU s",
    "emulators' CPU s",
    "controller peak RSS MB (sum)",
    "processes (peak)",
    "emulators' RSS MB",
    "mutating calls",
    "throttled",
    "load average after",
    "calls per action",
]
MUTATING = ("Create", "Update", "Delete", "Add")


def domain_id(account: int) -> str:
    return f"d-hackathon{account + 1:04d}"


def host_name(account: int) -> str:
    return f"account{account + 1:02d}"


def inventory(path: Path, emulators: list, capacity: int | None) -> Path:
    """One host per domain, each its own emulator (account); the demo vault's keys sign for all."""
    hosts = {}
    for account, emu in enumerate(emulators):
        hosts[host_name(account)] = {
            "ansible_connection": "local",
            "ansible_python_interpreter": sys.executable,
            "studio_endpoint_url": emu.url,
            "studio_region": "us-east-1",
            "studio_domain_id": domain_id(account),
            **({"studio_domain_capacity": capacity} if capacity else {}),
        }
    path.write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    (path.parent / "group_vars").symlink_to(ROOT / "inventories" / "emulator" / "group_vars")
    return path


def throttle_faults(args) -> dict:
    """scale.py's emulator settings: latency, and a token bucket per action (reads may have their own)."""
    return {
        "latency_ms": args.latency_ms,
        "jitter_ms": args.jitter_ms,
        "throttle": [
            {"rps": args.read_rps or args.rps, "burst": args.read_burst or args.burst, "actions": READ_ACTIONS},
            {"rps": args.rps, "burst": args.burst, "actions": None},
        ],
    }


# --- the controller's processes, read from /proc ---------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
                tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(root: int, skip: set[int] = frozenset()) -> list[int]:
    """``root``'s processes below it, leaving out the subtrees of ``skip`` (the emulators)."""
    tree, found, todo = _children(), [], [root]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in skip:
                found.append(child)
                todo.append(child)
    return found


def rss_bytes(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return 0


def cpu_seconds(pids) -> float:
    """User + system seconds the running processes ``pids`` have used so far."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


class Sampler:
    """Peak summed RSS and process count of the controller (this process's children but the emulators).

    RSS summed over forked workers counts their shared pages once per process: an upper bound. Also
    reaps the background jobs this process adopted (see adopt_orphans), so that their CPU is counted."""

    def __init__(self, emulator_pids: set[int], interval: float = 0.25):
        self.skip, self.interval = emulator_pids, interval
        self.peak_rss = self.peak_processes = self.peak_emulators_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            pids = descendants(os.getpid(), self.skip)
            self.peak_rss = max(self.peak_rss, sum(map(rss_bytes, pids)))
            self.peak_processes = max(self.peak_processes, len(pids))
            self.peak_emulators_rss = max(self.peak_emulators_rss, sum(map(rss_bytes, self.skip)))
            self.reap()

    def reap(self) -> None:
        """Wait for the adopted children that have ended: their CPU then counts in RUSAGE_CHILDREN."""
        for pid in _children().get(os.getpid(), []):
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{pid}/stat").read_text()
                # ansible-playbook (its name, cut to 15 characters, stays when it ends): subprocess.run waits for it
                spawned = pid in self.skip or "(ansible-playboo)" in stat
                if not spawned and stat.rsplit(")", 1)[1].split()[0] == "Z":
                    os.waitpid(pid, os.WNOHANG)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.reap()


def adopt_orphans() -> None:
    """Make this process the subreaper of everything below it (Linux's PR_SET_CHILD_SUBREAPER).

    A task with ``async`` runs as a daemon that leaves ansible-playbook's tree at once: without this
    its CPU (setup's participants' profiles) and memory would be counted nowhere."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # 36: PR_SET_CHILD_SUBREAPER
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- the event ------------------------------------------------------------------------------------


def participants_per_account(emulators: list) -> list[int]:
    """Each account's participants' profiles (the organizer's not counted), from its emulator's state."""
    return [
        sum(1 for p in emu.state()["user_profiles"] if p["name"] != ORGANIZER and p["status"] != "Deleted")
        for emu in emulators
    ]


def floor(args, largest: int, step: str) -> float | None:
    """The largest account's slowest single action alone: its calls through the bucket, then its transition."""
    scale = args.time_scale
    if step == "setup":
        return stage_floor(largest + 1, args.rps, args.burst) + DURATIONS[("user_profile", "create")] * scale
    if step == "teardown":
        return stage_floor(largest + 1, args.rps, args.burst) + DURATIONS[("user_profile", "delete")] * scale
    if step == "urls":
        return stage_floor(largest, args.rps, args.burst)  # one CreatePresignedDomainUrl per participant
    return None  # status only reads: a page of 100 a call


def measure(step: str, book: str, hosts: Path, work: Path, emulators: list, **extra) -> dict:
    """Run one playbook over every host; wall, CPU (controller, emulators), peak memory, calls."""
    emulator_pids = {emu.process.pid for emu in emulators}
    before_calls = [emu.calls() for emu in emulators]
    before_cpu, before_emulators = children_cpu(), cpu_seconds(emulator_pids)
    with Sampler(emulator_pids) as sampled:
        wall = playbook(book, hosts, work, **extra)
    calls, throttled = {}, 0
    for emu, before in zip(emulators, before_calls, strict=True):
        after = emu.calls()
        for action, count in after["received"].items():
            calls[action] = calls.get(action, 0) + count - before["received"].get(action, 0)
        throttled += sum(after["throttled"].values()) - sum(before["throttled"].values())
    return {
        "step": step,
        "wall": wall,
        "controller_cpu": children_cpu() - before_cpu,
        "emulators_cpu": cpu_seconds(emulator_pids) - before_emulators,
        "peak_rss": sampled.peak_rss,
        "peak_processes": sampled.peak_processes,
        "emulators_rss": sampled.peak_emulators_rss,
        "mutating": sum(v for k, v in calls.items() if k.startswith(MUTATING)),
        "throttled": throttled,
        "load": os.getloadavg()[0],  # the machine is shared: how busy it was, over the last minute
        "calls": {k: v for k, v in calls.items() if v},
    }


def run_event(args, accounts: int, participants: int, teams: int) -> tuple[list[dict], list[int]]:
    """Setup, urls, status and teardown of one event over ``accounts`` emulators; rows and the split."""
    # An even share, and room for one team more than that but one person: teams are never split.
    team = math.ceil(participants / teams)
    capacity = math.ceil(participants / accounts) + team - 1 if accounts > 1 else None
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        emulators = [
            stack.enter_context(
                EmulatorProcess(time_scale=args.time_scale, profile="lenient", domain_id=domain_id(account))
            )
            for account in range(accounts)
        ]
        for emu in emulators:
            emu.faults(**throttle_faults(args))
        hosts = inventory(work / "hosts.yml", emulators, capacity)
        users = roster(work / "users.csv", participants, teams)
        os.environ["ANSIBLE_FORKS"] = str(args.forks or accounts)

        rows = [measure("setup", "setup.yml", hosts, work, emulators, users=str(users), **args.setup_vars)]
        split = participants_per_account(emulators)
        for step in ("urls", "status", "teardown"):
            if step in args.steps:
                rows.append(measure(step, f"{step}.yml", hosts, work, emulators))
        left = [emu.state() for emu in emulators]
        if "teardown" in args.steps and any(state["user_profiles"] or state["spaces"] for state in left):
            sys.exit("teardown left resources")
    for row in rows:
        row["floor"] = floor(args, max(split), row["step"])
        row["accounts"] = accounts
    return rows, split


def render(args, rows: list[dict], splits: dict[int, list[int]]) -> str:
    """A dated markdown section: the command, the machine, then one line per account count and step."""
    command = (
        f".venv/bin/python benchmarks/multi_account.py --accounts {args.accounts} --participants "
        f"{args.participants} --teams {args.teams} --latency-ms {args.latency_ms} --jitter-ms {args.jitter_ms} "
        f"--rps {args.rps} --burst {args.burst} --time-scale {args.time_scale}"
        + (f" --read-rps {args.read_rps}" if args.read_rps else "")
        + (f" --read-burst {args.read_burst}" if args.read_burst else "")
        + (" --start-apps" if args.start_apps else "")
        + (f" --forks {args.forks}" if args.forks else "")
        + (" --baseline" if args.baseline else "")
        + (f" --steps {' '.join(args.steps)}" if args.steps != STEPS else "")
    )
    lines = [
        f"## {args.participants:,} participants over {args.accounts} accounts ({time.strftime(DATE, time.gmtime())})",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load "
        f"average before the run {args.load_before}. Command: `{command}`",
        "",
        *(f"Participants per account ({n} accounts): {', '.join(map(str, split))}." for n, split in splits.items()),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for r in rows:
        ratio = f"{r['wall'] / r['floor']:.2f}" if r["floor"] else ""
        cells = [
            str(r["accounts"]),
            r["step"],
            f"{r['wall']:.1f}",
            f"{r['floor']:.1f}" if r["floor"] else "",
            ratio,
            f"{r['controller_cpu']:.0f}",
            f"{r['emulators_cpu']:.0f}",
            f"{r['peak_rss'] / 2**20:.0f}",
            str(r["peak_processes"]),
            f"{r['emulators_rss'] / 2**20:.0f}",
            str(r["mutating"]),
            str(r["throttled"]),
            f"{r['load']:.1f}",
            ", ".join(f"{k} {v}" for k, v in sorted(r["calls"].items())),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10, help="domains, each in its own emulator (account)")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=2_500)
    scale.add_emulator_arguments(parser)
    parser.add_argument("--start-apps", action="store_true", help="setup starts an app in every team space")
    parser.add_argument(
        "--steps", nargs="*", choices=STEPS, default=STEPS, help="the steps after setup (which always runs)"
    )
    parser.add_argument("--forks", type=int, help="Ansible forks (default: one per account)")
    parser.add_argument(
        "--baseline", action="store_true", help="first the same steps for one account's share alone, side by side"
    )
    parser.add_argument("--write", action="store_true", help="append the section to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    scale.LOG_DIR = args.log_dir
    args.setup_vars = {"studio_start_apps": True} if args.start_apps else {}
    args.load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    adopt_orphans()
    rows, splits = [], {}
    if args.baseline:
        share, share_teams = math.ceil(args.participants / args.accounts), math.ceil(args.teams / args.accounts)
        one, splits[1] = run_event(args, 1, share, share_teams)
        rows += one
    many, splits[args.accounts] = run_event(args, args.accounts, args.participants, args.teams)
    rows += many
    section = render(args, rows, splits)
    print(section)
    if args.write:
        with (ROOT / "benchmarks" / "RESULTS.md").open("a") as results:
            results.write("\n" + section)


if __name__ == "__main__":
    main()
