"""playbooks/checklist.yml against the live emulator: one line per check, ok or what to do, a failure when
one is not ok, and nothing created or changed."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from pathlib import Path

import pytest
import yaml

from tests.integration.playbooks.conftest import domain_without_idle_shutdown, write_inventory
from tests.integration.playbooks.test_iam_policy import allowed_actions, iam_action, needed_actions

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "users.csv"
CHANGING = ("Create", "Update", "Delete", "Put", "BatchWrite", "AddTags", "Tag", "Untag", "Request")


def changing_calls(emulator) -> dict:
    received = emulator.calls()["received"]
    return {call: n for call, n in received.items() if call.rsplit(".", 1)[-1].startswith(CHANGING)}


def lines_of(run, host: str = "localhost") -> dict:
    return {line["check"]: line for line in run.task("Make the checklist", host)["ansible_facts"]["checklist_lines"]}


def not_ok(run, host: str = "localhost") -> dict:
    return {check: line["note"] for check, line in lines_of(run, host).items() if line["status"] == "fix"}


def checklist(run_playbook, inventory, **extra):
    return run_playbook("checklist.yml", inventory, users=str(extra.pop("users", SAMPLE)), **extra)


def test_an_event_that_fits_is_all_ok_and_nothing_changes(run_playbook, inventory, emulator):
    before = emulator.state()
    run = checklist(run_playbook, inventory, studio_start_apps=True)
    assert run.rc == 0, run.stdout
    lines = lines_of(run)
    assert {line["status"] for line in lines.values()} == {"ok", "skip"}
    assert lines["setup --check"]["status"] == "skip"  # the playbook alone: studio checklist runs it
    assert lines["portal"]["note"] == "no portal (studio_portal_url is not set)"
    assert lines["quota: user profiles"]["note"].startswith("0 exist, 13 new, within 4000")
    assert lines["setup time"]["note"].startswith("about 3 minutes for 13 user profiles, 4 spaces and 4 apps")
    table = run.task("Show the checklist")["msg"].splitlines()
    assert table[0].split(None, 2) == ["check", "status", "what to do, or what was found"]
    assert len(table) == len(lines) + 1
    assert run.changed() == 0 and changing_calls(emulator) == {}
    assert emulator.state() == before


def test_a_roster_over_the_quota_says_the_increase_command(run_playbook, inventory, emulator):
    emulator.config(quotas={"user_profiles": 5})  # read from Service Quotas, with its code
    run = checklist(run_playbook, inventory)
    assert run.rc != 0
    problem = not_ok(run)["quota: user profiles"]
    assert problem.startswith("0 user profiles exist and the event needs 13 more: over the quota of 5")
    assert "aws service-quotas request-service-quota-increase --service-code sagemaker --quota-code " in problem
    assert problem.endswith("--desired-value 13 --region us-east-1")
    assert "Not ready: quota: user profiles" in run.task("Stop when a line is not ok")["msg"]
    assert changing_calls(emulator) == {}


def test_an_allowed_instance_type_with_quota_zero(run_playbook, inventory, emulator):
    emulator.config(quotas={"apps": {"*/ml.g5.xlarge": 0}})  # a new account's GPU quota
    allowed = ["ml.t3.medium", "ml.g5.xlarge"]
    run = checklist(run_playbook, inventory, studio_allowed_instance_types=allowed)
    assert run.rc != 0
    assert list(not_ok(run)) == ["allow-list"]
    assert not_ok(run)["allow-list"].startswith(
        "studio_allowed_instance_types has ml.g5.xlarge, whose quota 'Studio JupyterLab Apps running on "
        "ml.g5.xlarge instances' is 0 in this account, so participants cannot start it"
    )
    assert "--desired-value 4 --region us-east-1" in not_ok(run)["allow-list"]  # one app per team space


def test_the_events_material_that_cannot_reach_the_spaces(run_playbook, inventory, emulator, tmp_path):
    run = checklist(
        run_playbook,
        inventory,
        studio_git_repositories=["git@github.com:org/notebooks"],
        studio_lifecycle_script=str(tmp_path / "missing.sh"),
        studio_image="no-such-image",
    )
    assert run.rc != 0 and list(not_ok(run)) == ["material"]
    notes = [line["note"] for line in run.task("Make the checklist")["ansible_facts"]["checklist_lines"]]
    notes = [note for note in notes if "git@" in note or "missing.sh" in note or "no-such-image" in note]
    assert len(notes) == 3, notes  # each named: the URL, the script file, the image
    assert changing_calls(emulator) == {}


def test_idle_shutdown_off_at_the_domain(run_playbook, inventory, emulator):
    domain_id = domain_without_idle_shutdown(emulator)
    before = changing_calls(emulator)
    run = checklist(run_playbook, inventory, studio_domain_id=domain_id)
    assert run.rc != 0
    assert list(not_ok(run)) == ["idle shutdown"]
    assert not_ok(run)["idle shutdown"].startswith(
        f"studio_idle_timeout needs idle shutdown enabled for JupyterLab on domain {domain_id}"
    )
    assert changing_calls(emulator) == before


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def landing_page():
    """A page that answers 200 on a loopback port, standing in for the portal's landing page."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (http.server's name)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"portal")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_portal_reachable_or_not(run_playbook, inventory, emulator, landing_page):
    reachable = checklist(run_playbook, inventory, studio_portal_url=landing_page)
    assert reachable.rc == 0, reachable.stdout
    assert lines_of(reachable)["portal"]["note"] == f"{landing_page} answers 200"
    closed = f"http://127.0.0.1:{free_port()}/"
    unreachable = checklist(run_playbook, inventory, studio_portal_url=closed)
    assert unreachable.rc != 0
    assert list(not_ok(unreachable)) == ["portal"]
    assert not_ok(unreachable)["portal"].startswith(f"{closed} does not answer (")
    assert "start the portal (studio portal, or playbooks/portal.yml)" in not_ok(unreachable)["portal"]


def test_without_studio_portal_url_the_portal_groups_vm_is_opened(run_playbook, inventory, emulator):
    inventory_data = yaml.safe_load(inventory.read_text())
    vm = f"127.0.0.1:{free_port()}"  # nothing listens there
    inventory_data["all"]["children"] = {"portal": {"hosts": {"portal-vm": {"portal_server_name": vm}}}}
    inventory.write_text(yaml.safe_dump(inventory_data))
    run = checklist(run_playbook, inventory)
    assert run.rc != 0 and "portal-vm" not in run.report["stats"]  # not a domain: no checklist of its own
    assert lines_of(run)["quota: user profiles"]["note"].startswith("0 exist, 13 new")  # no team given to the VM
    assert not_ok(run)["portal"].startswith(f"https://{vm}/ does not answer (")


def test_one_line_set_per_domain(run_playbook, emulator, tmp_path):
    south = domain_without_idle_shutdown(emulator)
    hosts = {"north": {"studio_endpoint_url": emulator.url}}
    hosts["south"] = {"studio_endpoint_url": emulator.url, "studio_domain_id": south}
    inventory = write_inventory(tmp_path / "two.yml", hosts)
    run = checklist(run_playbook, inventory)
    assert run.rc != 0
    assert not_ok(run, "north") == {} and list(not_ok(run, "south")) == ["idle shutdown"]
    assert lines_of(run, "north")["domain"]["note"].startswith("d-hackathon0001 ")
    assert lines_of(run, "south")["domain"]["note"].startswith(f"{south} ")
    assert run.stats["north"]["failures"] == 0 and run.stats["south"]["failures"] == 1


def test_the_organizers_policy_allows_every_call_of_the_checklist(run_playbook, inventory, emulator, tmp_path):
    run = checklist(run_playbook, inventory, studio_start_apps=True, studio_allowed_instance_types=["ml.t3.medium"])
    assert run.rc == 0, run.stdout
    called = {iam_action(call) for call in emulator.calls()["received"]}
    written = run_playbook("iam_policy.yml", inventory, iam_policy_file=str(tmp_path / "policy.json"))
    assert written.rc == 0, written.stdout
    policy = json.loads((tmp_path / "policy.json").read_text())
    assert needed_actions(called) - allowed_actions(policy) == set()
