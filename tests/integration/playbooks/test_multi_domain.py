"""One event over two Studio domains: two emulator processes, one inventory host each."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from collections import Counter

import boto3
import pytest
import yaml

from hackathon_studio.emulator.process import EmulatorProcess
from tests.integration.playbooks.conftest import ANSIBLE_PLAYBOOK, ROOT, write_inventory

CAPACITY = 8
# 14 participants in teams of 3, 3, 2, 2, 2 and 2, for 2 x 8 places: the split has to pack them.
TEAMS = {"red": 3, "blue": 3, "green": 2, "amber": 2, "violet": 2, "teal": 2}
ORGANIZER = "spring-organizer"
EVENT_TAG = {"hackathon:event": "spring"}
# run_playbook sets one urls and status file for every host: the test gives back the defaults.
DEFAULTS = yaml.safe_load((ROOT / "roles" / "studio" / "defaults" / "main.yml").read_text())


@pytest.fixture
def second_emulator():
    # A process of its own: its own Studio state and its own DynamoDB registry, like another account.
    with EmulatorProcess(time_scale=0.01, domain_id="d-hackathon0002") as process:  # as fast as `emulator`
        yield process


@pytest.fixture
def domains(emulator, second_emulator):
    """Inventory host -> (its emulator, its domain id)."""
    return {"north": (emulator, "d-hackathon0001"), "south": (second_emulator, "d-hackathon0002")}


@pytest.fixture
def two_domains(domains, tmp_path, monkeypatch):
    """An inventory of both domains: north signs with the vaulted keys, south with a named AWS profile."""
    config = tmp_path / "aws-config"
    config.write_text("[profile hackathon-south]\naws_access_key_id = SOUTH\naws_secret_access_key = south\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    hosts = {
        name: {"studio_endpoint_url": emu.url, "studio_domain_id": domain, "studio_domain_capacity": CAPACITY}
        for name, (emu, domain) in domains.items()
    }
    hosts["south"]["studio_aws_profile"] = "hackathon-south"
    return write_inventory(tmp_path / "hosts.yml", hosts)


def write_roster(path):
    path.write_text("".join(f"{team}{n}@example.org,{team}\n" for team, size in TEAMS.items() for n in range(size)))
    return path


def event_items(emu, kind):
    return [item for item in emu.state()[kind] if item["tags"] == EVENT_TAG and item["status"] != "Deleted"]


def test_teams_split_over_two_domains(run_playbook, two_domains, domains, tmp_path):
    users = str(write_roster(tmp_path / "users.csv"))
    setup = run_playbook("setup.yml", two_domains, users=users)  # each domain's registry table made by setup
    assert setup.rc == 0, setup.stdout + setup.stderr

    # Names from the roster task (email -> profile, team -> space); where they are, from the emulators.
    roster = setup.task("Read and validate the roster", "north")
    assert roster["total"] == {"participants": 14, "teams": 6}
    named = [p for host in domains for p in roster["shares"][host]["participants"]]
    profile_of = {p["email"]: p["user_profile"] for p in named}
    space_of = {p["team"]: p["space"] for p in named}
    assert len(profile_of) == 14 and len(set(space_of.values())) == 6
    found = {}  # host -> (participants' profiles, team spaces) in its domain
    for host, (emu, domain) in domains.items():
        profiles = {p["name"] for p in event_items(emu, "user_profiles")} - {ORGANIZER}
        spaces = {s["name"] for s in event_items(emu, "spaces")}
        assert len(profiles) <= CAPACITY, f"{host} holds {len(profiles)} participants"
        found[host] = profiles, spaces
        # The registry in this domain's account holds this domain's participants, and only them.
        dynamodb = boto3.client("dynamodb", **emu.client_kwargs())
        items = [i for i in dynamodb.scan(TableName="hackathon-studio-registry")["Items"] if "email" in i]
        assert {i["user_profile"]["S"] for i in items} == profiles
        assert {i["domain_id"]["S"] for i in items} == {domain}
    seen = Counter(p for profiles, _ in found.values() for p in profiles)
    assert set(seen) == set(profile_of.values()) and set(seen.values()) == {1}, "every participant exactly once"
    for team, size in TEAMS.items():
        members = {profile_of[f"{team}{n}@example.org"] for n in range(size)}
        homes = [host for host, (profiles, spaces) in found.items() if space_of[team] in spaces]
        assert len(homes) == 1 and members <= found[homes[0]][0], f"team {team} is split: {found}"

    again = run_playbook("setup.yml", two_domains, users=users)
    assert again.rc == 0, again.stdout
    assert again.changed("north") == 0 and again.changed("south") == 0, again.stdout

    # One file shared by both domains would keep only the last one's URLs: refused before any URL.
    shared = run_playbook("urls.yml", two_domains)  # the fixture's single studio_urls_file
    assert shared.rc != 0 and "would write to the same file" in shared.task("own URL file", "north")["msg"]
    assert not (tmp_path / "urls.csv").exists()

    # The defaults name one file per domain (after its host), each URL into that domain.
    urls = run_playbook("urls.yml", two_domains, studio_urls_file=DEFAULTS["studio_urls_file"])
    assert urls.rc == 0, urls.stdout
    emails = Counter()
    for host, (_, domain) in domains.items():
        rows = list(csv.DictReader((tmp_path / f"urls-spring-{host}.csv").open()))
        assert rows and all(row["url"].startswith(f"https://{domain}.studio.") for row in rows), host
        assert {row["user_profile"] for row in rows} == found[host][0]
        assert all(row["space"] == space_of[row["team"]] for row in rows)
        emails.update(row["email"] for row in rows)
    assert len(emails) == 14 and set(emails.values()) == {1}

    status = run_playbook("status.yml", two_domains, studio_status_file=DEFAULTS["studio_status_file"])
    assert status.rc == 0, status.stdout
    for host in domains:
        report = status.task("Compare it with the registry", host)
        assert report["totals"]["participants"] == len(found[host][0])
        assert not any(report["drift"].values()), (host, report["drift"])
        assert (tmp_path / f"status-spring-{host}.csv").exists()

    teardown = run_playbook("teardown.yml", two_domains)
    assert teardown.rc == 0, teardown.stdout
    for emu, _ in domains.values():
        state = emu.state()
        assert state["user_profiles"] == [] and state["spaces"] == []
        dynamodb = boto3.client("dynamodb", **emu.client_kwargs())
        assert dynamodb.scan(TableName="hackathon-studio-registry")["Items"] == []


def test_a_team_keeps_its_domain_whatever_the_hash_seed(tmp_path):
    """The roster places teams by the inventory's order of domains, not a set's: Python's string hashes,
    and so a set's order, differ from one ansible-playbook process to the next, and a re-run must not
    move a team to another domain."""
    users = write_roster(tmp_path / "users.csv")
    inventory = write_inventory(tmp_path / "hosts.yml", {name: {} for name in ("east", "north", "south", "west")})
    book = tmp_path / "roster.yml"
    book.write_text("- hosts: all\n  gather_facts: false\n  roles: [hackathon.studio.roster]\n")
    placements = set()
    for seed in range(6):
        env = dict(
            os.environ,
            PYTHONHASHSEED=str(seed),
            ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
            ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
        )
        command = [ANSIBLE_PLAYBOOK, "-i", str(inventory), str(book), "-e", f"users={users} studio_event=spring"]
        run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
        [roster_task] = [
            t for t in json.loads(run.stdout)["plays"][0]["tasks"] if "Read and validate" in t["task"]["name"]
        ]
        [shares] = [result["shares"] for result in roster_task["hosts"].values()]  # read once, for every host
        placements.add(tuple(sorted((h, s["name"]) for h, share in shares.items() for s in share["spaces"])))
    assert len(placements) == 1, placements
