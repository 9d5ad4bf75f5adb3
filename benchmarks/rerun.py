"""Time idempotent re-runs of a 1,000-participant setup, one after another.

The event is set up with the emulator unthrottled, then every action is throttled as in
``scale.py``'s one-account command (10/s, burst 10, 50 ms latency) and setup runs again ``--runs``
times. For an A/B of a setting that only the environment carries (for example
``ANSIBLE_PIPELINING=True``): run it twice, with and without, one after the other.

    .venv/bin/python benchmarks/rerun.py --runs 3
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from scale import EmulatorProcess, inventory, playbook, roster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, EmulatorProcess(time_scale=0.02, profile="lenient") as emulator:
        work = Path(tmp)
        hosts = inventory(work / "hosts.yml", emulator.url)
        users = roster(work / "users.csv", 1000, 250)
        playbook("setup.yml", hosts, work, users=str(users), studio_start_apps=True)
        emulator.faults(latency_ms=50, jitter_ms=20, throttle=[{"rps": 10, "burst": 10, "actions": None}])
        for _ in range(args.runs):
            seconds = playbook("setup.yml", hosts, work, users=str(users), studio_start_apps=True)
            print(f"re-run {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
