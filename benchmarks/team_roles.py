"""Team isolation's IAM roles: one module run for every team versus two amazon.aws tasks per team.

Creates the execution roles of ``--teams`` teams (module_utils/isolation.py writes them) on a fresh
emulator twice, side by side: with the straightforward loop (amazon.aws.iam_role, then
amazon.aws.iam_policy, for each team) and with hackathon.studio.studio_iam_role (what roles/isolation
runs). IAM at the emulator is moto's, unthrottled: the ratio is the controller's overhead.

Run: `.venv/bin/python benchmarks/team_roles.py --teams 50` (prints a Markdown table).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "collections"))
from ansible_collections.hackathon.studio.plugins.module_utils.isolation import team_roles  # noqa: E402

from hackathon_studio.cli.project import DEMO_VAULT_IDENTITY  # noqa: E402
from hackathon_studio.emulator.process import EmulatorProcess  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CONNECTION = {"region": "us-east-1", "access_key": "emulator", "secret_key": "emulator"}


def roles(teams: int) -> list:
    participants = [
        {"team": str(t), "space": f"team-{t}", "user_profile": f"p{t}-{m}"} for t in range(teams) for m in range(4)
    ]
    domain = {"region": "us-east-1", "domain_id": "d-hackathon0001"}
    return [t["role"] for t in team_roles("bench", "/hackathon-studio/bench/", participants, domain, "team", ())]


def loop_tasks(items: list) -> list:
    return [
        {
            "name": "Create each team's role",
            "amazon.aws.iam_role": {
                "name": "{{ item.name }}",
                "path": "{{ item.path }}",
                "description": "{{ item.description }}",
                "assume_role_policy_document": "{{ item.trust_policy | to_json }}",
                "tags": "{{ item.tags }}",
                "create_instance_profile": False,
            },
            "loop": items,
        },
        {
            "name": "Give each its policy",
            "amazon.aws.iam_policy": {
                "iam_type": "role",
                "iam_name": "{{ item.name }}",
                "policy_name": "bench-team",
                "policy_json": "{{ item.policy }}",
            },
            "loop": items,
        },
    ]


def module_tasks(items: list) -> list:
    tags = {"hackathon:event": "bench"}
    module = {"roles": items, "policy_name": "bench-team", "tags": tags}
    return [{"name": "Create every team's role", "hackathon.studio.studio_iam_role": module}]


def run(tasks: list, url: str, work: Path) -> float:
    defaults = dict(CONNECTION, endpoint_url=url)
    play = {
        "hosts": "localhost",
        "gather_facts": False,
        "module_defaults": {"group/amazon.aws.aws": defaults, "hackathon.studio.studio_iam_role": defaults},
        "tasks": tasks,
    }
    book = work / "play.yml"
    book.write_text(yaml.safe_dump([play]))
    inventory = f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n"
    (work / "hosts").write_text(inventory)
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_VAULT_IDENTITY_LIST=DEMO_VAULT_IDENTITY)
    started = time.monotonic()
    command = [str(BIN / "ansible-playbook"), "-i", str(work / "hosts"), str(book)]
    done = subprocess.run(command, env=env, cwd=work, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the playbook failed:\n{done.stdout[-3000:]}")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=50)
    args = parser.parse_args()
    items = roles(args.teams)
    rows = []
    for name, tasks in (("two amazon.aws tasks per team", loop_tasks(items)), ("studio_iam_role", module_tasks(items))):
        with EmulatorProcess(profile="lenient") as emulator, tempfile.TemporaryDirectory() as work:
            rows.append((name, run(tasks, emulator.url, Path(work))))
    print(f"| way ({args.teams} teams, {os.cpu_count()} cores) | wall s | s per team |\n|---|---|---|")
    for name, wall in rows:
        print(f"| {name} | {wall:.1f} | {wall / args.teams:.2f} |")
    print(f"\nratio: {rows[0][1] / rows[1][1]:.1f}x; {json.dumps({'teams': args.teams})}")


if __name__ == "__main__":
    main()
