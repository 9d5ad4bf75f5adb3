"""`studio iam-policy`: the organizer's policy for an inventory's domains, printed or written, with no AWS call."""

from __future__ import annotations

import json
import stat

from parliament import analyze_policy_string

from .conftest import ROOT

MULTI_DOMAIN = ROOT / "inventories" / "multi-domain.example"
ROLE = "arn:aws:iam::123456789012:role/HackathonStudioRole"


def resources(policy: dict, sid: str):
    [statement] = [s for s in policy["Statement"] if s["Sid"] == sid]
    return statement["Resource"]


def test_prints_the_policy_of_every_domain_of_the_inventory(studio):
    run = studio("iam-policy", "--event", "spring", inventory=MULTI_DOMAIN)
    assert run.rc == 0, run
    policy = json.loads(run.stdout)  # stdout is the policy and nothing else
    assert resources(policy, "ReadTheDomains") == [
        "arn:aws:sagemaker:eu-west-1:*:domain/d-xxxxxxxxxxx1",
        "arn:aws:sagemaker:eu-west-1:*:domain/d-xxxxxxxxxxx2",
        "arn:aws:sagemaker:us-east-1:*:domain/d-xxxxxxxxxxx3",
    ]
    assert resources(policy, "OnlyTheEventsRegistryItems") == [
        "arn:aws:dynamodb:eu-west-1:*:table/hackathon-studio-registry",
        "arn:aws:dynamodb:us-east-1:*:table/hackathon-studio-registry",
    ]
    assert "spring" in json.dumps(policy) and "iam:PassRole" not in run.stdout
    assert analyze_policy_string(run.stdout).findings == []


def test_execution_roles_account_and_out_file(studio, tmp_path):
    run = studio("iam-policy", "--account", "123456789012", "--execution-role", ROLE, "--out", "policy.json", "--json")
    assert run.rc == 0, run
    path = tmp_path / "policy.json"
    assert run.doc["file"] == str(path) and stat.S_IMODE(path.stat().st_mode) == 0o644
    policy = json.loads(path.read_text())
    assert run.doc["policy"] == policy
    assert resources(policy, "PassOnlyTheExecutionRolesToSageMaker") == [ROLE]
    # the default inventory (the emulator's) and its event
    assert resources(policy, "ReadTheDomains") == ["arn:aws:sagemaker:us-east-1:123456789012:domain/d-hackathon0001"]
    assert '"aws:ResourceTag/hackathon:event": "hackathon"' in path.read_text()


def test_makes_no_aws_call(studio, inventory, emulator):
    run = studio("iam-policy", inventory=inventory)
    assert run.rc == 0, run
    assert emulator.calls()["received"] == {}


def test_bad_settings_are_one_line_and_exit_2(studio):
    for args in (("--event", "Spring!"), ("--account", "12"), ("--execution-role", "*")):
        run = studio("iam-policy", *args, inventory=MULTI_DOMAIN)
        assert run.rc == 2, run
        assert run.stdout == "" and "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "is not valid" in run.stderr


def test_the_portals_policy(studio):
    run = studio("iam-policy", "--portal", "--event", "spring", inventory=MULTI_DOMAIN)
    assert run.rc == 0, run
    policy = json.loads(run.stdout)
    assert [s["Sid"] for s in policy["Statement"]] == [
        "PresignedUrlsOfTheEventsUserProfiles",
        "OnlyTheEventsRegistryItems",
    ]
    assert resources(policy, "PresignedUrlsOfTheEventsUserProfiles") == [
        "arn:aws:sagemaker:eu-west-1:*:user-profile/d-xxxxxxxxxxx1/*",
        "arn:aws:sagemaker:eu-west-1:*:user-profile/d-xxxxxxxxxxx2/*",
        "arn:aws:sagemaker:us-east-1:*:user-profile/d-xxxxxxxxxxx3/*",
    ]
    assert analyze_policy_string(run.stdout).findings == []
    refused = studio("iam-policy", "--portal", "--execution-role", ROLE)
    assert refused.rc == 2 and "--execution-role is for the organizer's policy" in refused.stderr


def test_the_portals_policy_in_email_mode_may_send_from_the_sender_only(studio, tmp_path):
    inventory = tmp_path / "email.yml"
    host = {"studio_region": "eu-west-1", "studio_domain_id": "d-xxxxxxxxxxx1", "ansible_connection": "local"}
    host.update(studio_portal_auth=["email"], studio_portal_email_sender="portal@example.org")
    host["ansible_python_interpreter"] = "{{ ansible_playbook_python }}"
    inventory.write_text(json.dumps({"all": {"hosts": {"eu-main": host}}}))
    run = studio("iam-policy", "--portal", "--event", "spring", inventory=inventory)
    assert run.rc == 0, run
    policy = json.loads(run.stdout)
    assert resources(policy, "EmailCodesFromTheEventsSender") == ["arn:aws:ses:eu-west-1:*:identity/portal@example.org"]
    [send] = [s for s in policy["Statement"] if s["Sid"] == "EmailCodesFromTheEventsSender"]
    assert send["Action"] == ["ses:SendEmail"]
    assert send["Condition"] == {"StringEquals": {"ses:FromAddress": ["portal@example.org"]}}
    assert analyze_policy_string(run.stdout).findings == []
