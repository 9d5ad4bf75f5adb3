"""The organizer's generated IAM policy allows exactly what the playbooks call: a whole event on the emulator.

Every API call the playbooks make (as the emulator recorded it) must be allowed by the policy that
playbooks/iam_policy.yml writes for the same inventory, and every action the policy allows must be
needed by some call: a new call without its permission, or a permission nothing uses, fails here.
"""

from __future__ import annotations

import json
import sys

import boto3

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "collections"))  # the collection's module_utils, as Ansible imports them
from ansible_collections.hackathon.studio.plugins.module_utils.iam_policy import (  # noqa: E402
    allowed_actions,
    needed_actions,
)

PREFIXES = {
    "DynamoDB": "dynamodb",
    "STS": "sts",
    "IAM": "iam",
    "Tagging": "tag",
    "ServiceQuotas": "servicequotas",
    "Pricing": "pricing",
}


def iam_action(call: str) -> str:
    """The emulator's name for a call (``CreateSpace``, ``DynamoDB.Query``) as an IAM action."""
    service, _, name = call.rpartition(".")
    return f"{PREFIXES.get(service, 'sagemaker')}:{name}"


def test_the_policy_allows_exactly_what_the_playbooks_call(run_playbook, inventory, emulator, tmp_path):
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\nedsger@example.org,3\n")
    every_path = {"studio_start_apps": True, "studio_personal_spaces": True, "studio_isolation": "team"}
    # The event's material: a lifecycle configuration (created, attached, deleted at teardown) and an image.
    sagemaker = boto3.client("sagemaker", **emulator.client_kwargs())
    sagemaker.create_image(ImageName="course", RoleArn="arn:aws:iam::123456789012:role/image-builder")
    sagemaker.create_image_version(ImageName="course", BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/c:1")
    sagemaker.create_app_image_config(AppImageConfigName="course", JupyterLabAppImageConfig={})
    material = {
        "studio_auto_stop": True,
        "studio_image": "course",
        "studio_git_repositories": ["https://github.com/a/b"],
    }
    every_path.update(material)

    assert run_playbook("configure.yml", inventory).rc == 0
    emulator.faults(fail_next_apps=1)  # an app that fails is described, to say why
    # Teams isolated only from the second run: the profiles' execution roles are changed.
    failed = run_playbook("setup.yml", inventory, users=str(roster), **dict(every_path, studio_isolation="none"))
    assert failed.rc != 0 and "did not start" in failed.stdout, failed.stdout
    emulator.faults(fail_next_apps=0)
    codes = {"studio_portal_auth": ["codes"], "studio_codes_file": str(tmp_path / "codes.csv")}
    again = run_playbook(
        "setup.yml", inventory, users=str(roster), **every_path, **codes, studio_idle_timeout=120
    )  # the organizer's tags are read; the spaces' idle timeout changes in place
    assert again.rc == 0, again.stdout
    for state in ("revoked", "reissued"):  # the portal's codes: `studio portal revoke|reissue`
        changed = run_playbook(
            "access_codes.yml", inventory, email="ada@example.org", access_codes_state=state, **codes
        )
        assert changed.rc == 0, changed.stdout
    # A team role changed by hand since: the next setup puts it back.
    iam = boto3.client("iam", **emulator.client_kwargs())
    iam.update_role(RoleName="spring-team-1", Description="changed by hand")
    anyone = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}
    trust = {"Version": "2012-10-17", "Statement": [anyone]}
    iam.update_assume_role_policy(RoleName="spring-team-1", PolicyDocument=json.dumps(trust))
    roster.write_text("ada@example.org,1\ngrace@example.org,2\n")  # alan and team 3 go, with their spaces and apps
    pruned = run_playbook("setup.yml", inventory, users=str(roster), studio_prune=True, **every_path)
    assert pruned.rc == 0, pruned.stdout
    for playbook in ("urls.yml", "status.yml"):
        assert run_playbook(playbook, inventory).rc == 0
    # After the event's end reap stops every app of the event.
    assert run_playbook("reap.yml", inventory, studio_event_end="2020-01-01T00:00:00+00:00").rc == 0
    teardown = run_playbook("teardown.yml", inventory, studio_delete_registry=True, studio_isolation="team")
    assert teardown.rc == 0, teardown.stdout

    called = {iam_action(call) for call in emulator.calls()["received"]}
    called -= {
        "sagemaker:CreateImage",
        "sagemaker:CreateImageVersion",
        "sagemaker:CreateAppImageConfig",
    }  # the test's own
    written = run_playbook(
        "iam_policy.yml",
        inventory,
        iam_policy_file=str(tmp_path / "policy.json"),
        studio_delete_registry=True,
        studio_isolation="team",
        **material,
    )
    assert written.rc == 0, written.stdout
    policy = json.loads((tmp_path / "policy.json").read_text())
    allowed, needed = allowed_actions(policy), needed_actions(called, execution_roles=True)
    assert needed - allowed == set(), "called by the playbooks, not allowed by the policy"
    assert allowed - needed == set(), "allowed by the policy, called by no playbook"
