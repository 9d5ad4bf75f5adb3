"""Where the CPU goes, from a py-spy raw profile (`py-spy record --subprocesses --format raw`).

Splits the samples by playbook (the ansible-playbook command line in each stack) and by process
(the playbook's own process, its forked workers, the modules they start, the emulator), then says
which share of them goes to what: imports, botocore's models, templating, the HTTP calls, ...
(inclusive: a sample counts under the first of these in its stack, from the leaf up), and the
functions with most samples of their own.

Run: `.venv/bin/python benchmarks/profile_summary.py profile.txt` (prints markdown).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

PROCESS = re.compile(r'^process \d+:"(.*)"$', re.S)
# What a frame's file says its work is; the first match from the leaf up names the sample.
CATEGORIES = [
    ("importing modules (Python start-up)", ("<frozen importlib", "zipimport")),
    (
        "botocore: loading service models and endpoints",
        ("botocore/loaders.py", "botocore/model.py", "endpoint_provider", "regions.py"),
    ),
    (
        "botocore: signing, serialising, parsing",
        (
            "botocore/auth.py",
            "botocore/serialize.py",
            "botocore/parsers.py",
            "botocore/validate.py",
            "botocore/hooks.py",
            "botocore/handlers.py",
        ),
    ),
    ("HTTP and TLS (urllib3, http.client, ssl)", ("urllib3/", "http/client.py", "ssl.py", "socket.py")),
    ("Jinja templating", ("jinja2/", "ansible/template/", "ansible/_internal/_templating")),
    ("Ansible variables (VariableManager, hostvars)", ("ansible/vars/",)),
    (
        "Ansible: building and starting modules (AnsiballZ, action plugins)",
        (
            "ansible/executor/module_common.py",
            "ansible/plugins/action/",
            "ansible/executor/powershell",
            "ansible/plugins/connection/",
        ),
    ),
    (
        "Ansible: the strategy, results and callbacks",
        (
            "ansible/plugins/strategy/",
            "ansible/executor/task_result.py",
            "ansible/plugins/callback/",
            "ansible/executor/task_queue_manager.py",
            "ansible/executor/process/",
            "ansible/executor/task_executor.py",
        ),
    ),
    (
        "Ansible: parsing playbooks, roles and arguments",
        (
            "ansible/playbook/",
            "ansible/parsing/",
            "ansible/module_utils/common/arg_spec.py",
            "ansible/module_utils/common/parameters.py",
            "ansible/module_utils/common/validation.py",
        ),
    ),
    ("JSON (dumps and loads)", ("json/",)),
    (
        "this project's code (plugins/, emulator)",
        ("hackathon/studio/plugins/", "ansible_collections/hackathon", "hackathon_studio/"),
    ),
    ("moto (the emulator's DynamoDB)", ("moto/",)),
    ("threads and waiting (locks, queues)", ("threading.py", "queue.py", "concurrent/futures", "selectors.py")),
]


def process_kind(commands: list[str]) -> tuple[str, str]:
    """(playbook, process) of a stack's chain of process command lines (outermost first)."""
    playbook = next((m.group(1) for c in commands if (m := re.search(r"playbooks/(\w+)\.yml", c))), "")
    last = commands[-1] if commands else ""
    if "hackathon_studio.emulator" in last:
        return "", "emulator"
    if "AnsiballZ_" in last:
        module = re.search(r"AnsiballZ_(\w+)\.py", last).group(1)
        return playbook, f"module {module}"
    if "ansible-playbook" in last:
        return playbook, "worker" if sum("ansible-playbook" in c for c in commands) > 1 else "ansible-playbook"
    return playbook, "other"


def category(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, markers in CATEGORIES:
            if any(marker in frame for marker in markers):
                return name
    return "other"


def leaf(frames: list[str]) -> str:
    """The leaf frame, without the line number: ``function (path/from/site-packages)``."""
    if not frames:
        return "(no Python frame)"
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frames[-1])
    if not match:
        return frames[-1]
    function, path = match.groups()
    path = re.sub(r".*/(site-packages|lib/python3\.\d+)/", "", path)
    return f"{function} ({path})"


def summarise(path: Path) -> dict:
    by_kind: dict = defaultdict(Counter)  # (playbook, process) -> category -> samples
    leaves: dict = defaultdict(Counter)  # playbook -> leaf -> samples
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        commands = [m.group(1) for f in frames if (m := PROCESS.match(f))]
        code = [f for f in frames if not PROCESS.match(f)]
        kind = process_kind(commands)
        by_kind[kind][category(code)] += int(count)
        leaves[kind[0]][leaf(code)] += int(count)
    return {"by_kind": by_kind, "leaves": leaves}


def render(summary: dict, top: int) -> str:
    by_kind, lines = summary["by_kind"], []
    playbooks = sorted({playbook for playbook, _ in by_kind})
    for playbook in playbooks:
        kinds = {process: c for (p, process), c in by_kind.items() if p == playbook}
        total = sum(sum(c.values()) for c in kinds.values())
        lines += [f"### {playbook or 'outside the playbooks'}: {total} samples", ""]
        lines += ["| process | % of samples |", "|---|---|"]
        for process, counts in sorted(kinds.items(), key=lambda kv: -sum(kv[1].values())):
            lines.append(f"| {process} | {100 * sum(counts.values()) / total:.1f} |")
        merged = sum(kinds.values(), Counter())
        lines += ["", "| what | % of samples |", "|---|---|"]
        lines += [f"| {name} | {100 * n / total:.1f} |" for name, n in merged.most_common()]
        lines += ["", "| function (own samples) | % |", "|---|---|"]
        lines += [f"| {name} | {100 * n / total:.1f} |" for name, n in summary["leaves"][playbook].most_common(top)]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path, help="py-spy's raw output (--format raw)")
    parser.add_argument("--top", type=int, default=12, help="functions listed per playbook")
    args = parser.parse_args()
    print(render(summarise(args.profile), args.top))


if __name__ == "__main__":
    main()
