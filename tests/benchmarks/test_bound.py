"""The one-task bound (benchmarks/bound.py), end to end on a tiny event over two accounts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bound_creates_and_deletes_every_accounts_profiles():
    # Throttled but fast; the script itself fails if any account is left with a profile too many or too few.
    size = ["--accounts", "2", "--participants", "3", "--runs", "1", "--rps", "50", "--latency-ms", "0"]
    command = [sys.executable, str(ROOT / "benchmarks" / "bound.py"), *size, "--jitter-ms", "0", "--time-scale", "0.01"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "2 account(s), 4 profiles each" in run.stdout
    timed = re.findall(r"profiles (present|absent): ([\d.]+) s, ([\d.]+)x the floor, ([\d.]+) s of CPU", run.stdout)
    assert [state for state, *_ in timed] == ["present", "absent"]
    assert all(float(cpu) > 0 for *_, cpu in timed)
