"""The least any playbook can take on this machine for an event's slowest action.

A playbook of one task (``studio_user_profile``) that creates an event's user profiles, participants'
and organizer's, in one module run, then one that deletes them: no roster, no quota check, no spaces,
no registry. Against the emulator throttled as in ``scale.py``, its wall over the floor is what
Ansible's start-up and one module process alone add to the throttle; the event's own setup and
teardown, which must check before they change anything and record what they made, cannot do better.
Also times the same playbook with a ``debug`` task only: Ansible's start-up on this machine. With
``--accounts N``, N hosts at once, each its own emulator (account), as ``multi_account.py`` runs them.

    .venv/bin/python benchmarks/bound.py --participants 1000 --runs 2
    .venv/bin/python benchmarks/bound.py --participants 1000 --accounts 10 --runs 1
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from multi_account import children_cpu, domain_id, inventory, throttle_faults
from scale import BIN, ROOT, add_emulator_arguments, floors

from hackathon_studio.cli.project import DEMO_VAULT_IDENTITY
from hackathon_studio.emulator.process import EmulatorProcess


def one_task_playbook(path: Path, names: list, state: str | None) -> Path:
    """One studio_user_profile task over ``names`` (``state`` None: a debug task instead)."""
    task = {"name": "Only Ansible starting", "ansible.builtin.debug": {"msg": "nothing"}}
    if state:
        profiles = {
            "domain_id": "{{ studio_domain_id }}",
            "profiles": [{"name": name} for name in names],
            "state": state,
            "concurrency": "{{ studio_concurrency }}",
        }
        if state == "present":
            # Deleted by name, as teardown's job deletes once its one look at the domain has proven
            # everything the event's (with tags and no records, the module reads each one's tags first).
            profiles["tags"] = {"hackathon:event": "bound"}
        task = {
            "name": f"Every user profile {state}, in one module run",
            "hackathon.studio.studio_user_profile": profiles,
        }
    play = {
        "name": "The one-task bound",
        "hosts": "all",
        "gather_facts": False,
        "module_defaults": {"group/hackathon.studio.studio": "{{ studio_connection }}"},
        "roles": ["hackathon.studio.studio"],  # the public variables' defaults, as the event's playbooks have them
        "tasks": [task],
    }
    path.write_text(yaml.safe_dump([play], sort_keys=False))
    return path


def run(book: Path, hosts: Path, work: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + sys of the playbook and every process under it) of one run."""
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_VAULT_IDENTITY_LIST=DEMO_VAULT_IDENTITY)
    started, cpu = time.monotonic(), children_cpu()
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", str(hosts), str(book)], cwd=work, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"{book.name} failed:\n{result.stdout[-4000:]}")
    return time.monotonic() - started, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000, help="per account")
    parser.add_argument("--accounts", type=int, default=1, help="hosts, one emulator (account) each, all at once")
    parser.add_argument("--runs", type=int, default=2)
    add_emulator_arguments(parser)
    args = parser.parse_args()
    # The profiles only: the floor of their action alone (teams=0 leaves out the spaces' floors).
    floor = floors(args, args.participants, 0, apps=False)
    names = ["bound-organizer", *(f"bound-participant-{i}" for i in range(args.participants))]
    print(f"# The one-task bound: {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print(f"{args.accounts} account(s), {len(names)} profiles each")
    print(f"floor: create {floor['setup']:.1f} s, delete {floor['teardown']:.1f} s")
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        emulators = [
            stack.enter_context(
                EmulatorProcess(time_scale=args.time_scale, profile="lenient", domain_id=domain_id(account))
            )
            for account in range(args.accounts)
        ]
        for emu in emulators:
            emu.faults(**throttle_faults(args))
        hosts = inventory(work / "hosts.yml", emulators, None)
        os.environ["ANSIBLE_FORKS"] = str(args.accounts)
        books = {state: one_task_playbook(work / f"{state}.yml", names, state) for state in ("present", "absent")}
        startup = one_task_playbook(work / "debug.yml", names, None)
        for _ in range(args.runs):
            seconds, cpu = run(startup, hosts, work)
            print(f"Ansible's start-up (one debug task): {seconds:.1f} s, {cpu:.1f} s of CPU", flush=True)
            for state, step in (("present", "setup"), ("absent", "teardown")):
                seconds, cpu = run(books[state], hosts, work)
                left = {len(emu.state()["user_profiles"]) for emu in emulators}
                assert left == {len(names) if state == "present" else 0}, f"{left} profiles after {state}"
                print(
                    f"profiles {state}: {seconds:.1f} s, {seconds / floor[step]:.3f}x the floor, {cpu:.1f} s of CPU",
                    flush=True,
                )


if __name__ == "__main__":
    main()
