"""The multi-account benchmark's building blocks, and one tiny run of it end to end (2 accounts, 6 participants)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load("multi_account")
profile_summary = load("profile_summary")


def test_the_controller_is_every_process_below_it_but_the_emulators():
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
    busy += "print(flush=True)\ntime.sleep(30)"
    kept = subprocess.Popen([sys.executable, "-c", busy], stdout=subprocess.PIPE)
    left_out = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        kept.stdout.readline()  # its busy loop is over
        with bench.Sampler({left_out.pid}, interval=0.05) as sampled:
            time.sleep(0.3)
        found = bench.descendants(os.getpid(), {left_out.pid})
        assert kept.pid in found and left_out.pid not in found
        assert sampled.peak_processes >= 1 and sampled.peak_rss >= bench.rss_bytes(kept.pid) > 0
        assert sampled.peak_emulators_rss >= bench.rss_bytes(left_out.pid) > 0
        assert bench.cpu_seconds([kept.pid]) >= 0.25  # the busy loop's CPU, read from /proc
    finally:
        for process in (kept, left_out):
            process.kill()
            process.wait()


def test_the_floor_is_the_largest_accounts_slowest_action():
    args = bench.parse_args(["--rps", "10", "--burst", "10", "--time-scale", "0.02"])
    # 1,000 participants and the organizer through a 10/s bucket that starts with 10 tokens, then 0.1 s
    assert round(bench.floor(args, 1000, "setup"), 2) == 99.2
    assert round(bench.floor(args, 1000, "teardown"), 2) == 99.3
    assert round(bench.floor(args, 1000, "urls"), 2) == 99.0
    assert bench.floor(args, 1000, "status") is None


def test_profile_summary_splits_samples_by_playbook_and_process(tmp_path):
    playbook = 'process 1:"python ansible-playbook -i h.yml playbooks/setup.yml"'
    module = 'process 3:"python /tmp/AnsiballZ_studio_space.py"'
    raw = tmp_path / "profile.txt"
    raw.write_text(
        f"{playbook};_find_and_load (<frozen importlib._bootstrap>:1176) 3\n"
        f'{playbook};process 2:"python ansible-playbook -i h.yml playbooks/setup.yml";'
        "template (ansible/_internal/_templating/_engine.py:10) 5\n"
        f"{playbook};{module};wait (ansible_collections/hackathon/studio/plugins/module_utils/api.py:146) 2\n"
        'process 4:"python -m hackathon_studio.emulator --port 0";handle (hackathon_studio/emulator/server.py:1) 7\n'
    )
    summary = profile_summary.summarise(raw)
    assert summary["by_kind"][("setup", "ansible-playbook")] == {"importing modules (Python start-up)": 3}
    assert summary["by_kind"][("setup", "worker")] == {"Jinja templating": 5}
    assert summary["by_kind"][("setup", "module studio_space")] == {"this project's code (plugins/, emulator)": 2}
    assert summary["by_kind"][("", "emulator")] == {"this project's code (plugins/, emulator)": 7}
    table = profile_summary.render(summary, top=3)
    assert "### setup: 10 samples" in table and "| worker | 50.0 |" in table


ORPHAN = """
import os, sys, time, subprocess
sys.path.insert(0, sys.argv[1])
import multi_account as bench
bench.adopt_orphans()
before = bench.children_cpu()
# A parent that leaves a busy child behind, as a task with async does: the child is adopted, then reaped.
daemon = "import os, time\\nif os.fork() == 0:\\n    t = time.process_time()\\n"
daemon += "    while time.process_time() - t < 0.3: pass\\n    os._exit(0)\\n"
with bench.Sampler(set(), interval=0.05):
    subprocess.run([sys.executable, "-c", daemon], check=True)
    deadline = time.monotonic() + 20
    while bench.children_cpu() - before < 0.3 and time.monotonic() < deadline:
        time.sleep(0.1)
print(bench.children_cpu() - before)
"""


def test_the_cpu_of_a_background_job_is_counted():
    # In a process of its own: a subreaper keeps every orphan below it, which pytest's worker must not.
    out = subprocess.run(
        [sys.executable, "-c", ORPHAN, str(ROOT / "benchmarks")], capture_output=True, text=True, check=True
    )
    assert float(out.stdout) >= 0.3, out.stderr


def test_a_tiny_event_over_two_accounts():
    # Two accounts, throttled but fast: every step runs over both hosts and leaves nothing behind.
    size = ["--accounts", "2", "--participants", "6", "--teams", "3", "--rps", "50", "--latency-ms", "0"]
    command = [sys.executable, str(ROOT / "benchmarks" / "multi_account.py"), *size, "--jitter-ms", "0"]
    run = subprocess.run([*command, "--time-scale", "0.01"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    table = run.stdout
    split = table.split("Participants per account (2 accounts): ")[1].split(".")[0]
    assert sorted(map(int, split.split(", "))) == [2, 4]  # teams of 2 never split, at most 3 + 2 - 1 a domain
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| 2 | ")]
    assert [row[1] for row in rows] == ["setup", "urls", "status", "teardown"]
    setup, urls, status, teardown = rows
    assert "CreateUserProfile 8" in setup[-1] and "CreatePresignedDomainUrl 6" in urls[-1]
    assert "ListTags" not in status[-1]  # the registry vouches for every profile and space
    assert "DeleteUserProfile 8" in teardown[-1]
    assert all(float(row[5]) > 0 and int(row[7]) > 0 for row in rows)  # controller CPU s, peak RSS MB
