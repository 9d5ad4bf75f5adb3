"""studio_app_usage: the event's app runs recorded in the registry (DynamoDB on the emulator's port), and
priced by the emulator's Price List: check mode, create, idempotence, an app gone, teardown."""

from __future__ import annotations

import boto3

TABLE = "hackathon-studio-registry"
APP = {
    "name": "default",
    "app_name": "default",
    "space": "team-1",
    "app_type": "JupyterLab",
    "instance_type": "ml.t3.medium",
    "status": "InService",
    "creation_time": "2026-05-16T09:00:00+00:00",
}
PARTICIPANTS = [{"email": "ada@example.org", "team": "1", "space": "team-1"}]


def usage(apps, **args):
    return {
        "hackathon.studio.studio_app_usage": {
            "table": TABLE,
            "event": "spring",
            "domain_id": "d-hackathon0001",
            "apps": apps,
            "participants": PARTICIPANTS,
            **args,
        },
        "register": "out",
    }


def usage_items(emulator) -> list:
    dynamodb = boto3.client("dynamodb", **emulator.client_kwargs())
    return [i for i in dynamodb.scan(TableName=TABLE)["Items"] if i["item"]["S"].startswith("usage#")]


def test_app_runs_recorded_once_ended_once_and_gone_with_the_event(playbook, emulator):
    run = playbook([usage([APP])])
    assert run.rc == 0 and run[0]["usage"] is None and not run[0]["changed"]
    assert "No registry table hackathon-studio-registry" in run[0]["warnings"][0]

    create = {
        "hackathon.studio.studio_registry": {"table": TABLE, "event": "spring", "tags": {"hackathon:event": "spring"}}
    }
    assert playbook([create]).rc == 0
    run = playbook([usage([APP])], check=True)
    assert run[0]["changed"] and run[0]["recorded"] == 1 and usage_items(emulator) == []

    run = playbook([usage([APP]), usage([APP])])
    first, again = run[0], run[1]
    assert first["changed"] and first["recorded"] == 1 and not again["changed"] and again["recorded"] == 0
    [run_record] = first["usage"]
    assert run_record["arn"] == "arn:aws:sagemaker:us-east-1:123456789012:app/d-hackathon0001/team-1/jupyterlab/default"
    assert (run_record["team"], run_record["instance_type"], run_record["ended"]) == ("1", "ml.t3.medium", None)
    assert (
        first["prices"]["ml.t3.medium"]["price"] == 0.05 and first["prices"]["ml.t3.medium"]["source"] == "price list"
    )
    assert len(usage_items(emulator)) == 1

    run = playbook([usage([]), usage([]), usage([], price_list=False)])
    assert run[0]["changed"] and run[0]["usage"][0]["ended"] and not run[1]["changed"]
    assert "ended" in usage_items(emulator)[0]
    assert run[2]["prices"]["ml.t3.medium"]["source"] == "snapshot"
    assert "from the snapshot" in run[2]["warnings"][0] and "not asked" in run[2]["warnings"][0]

    gone = {
        "hackathon.studio.studio_registry": {
            "table": TABLE,
            "event": "spring",
            "domain_id": "d-hackathon0001",
            "state": "absent",
        }
    }
    assert playbook([gone]).rc == 0
    assert usage_items(emulator) == []
