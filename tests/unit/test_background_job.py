"""studio_background_job's collection of an async job's status file, as async_wrapper writes it."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from ansible.errors import AnsibleActionFail

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "collections"))
from ansible_collections.hackathon.studio.plugins.action.studio_background_job import collect  # noqa: E402

JID = "j123.456"


def write(directory: Path, status: dict) -> None:
    """As async_wrapper's jwrite: the whole file at once, by a rename."""
    (directory / f"{JID}.tmp").write_text(json.dumps(status))
    (directory / f"{JID}.tmp").rename(directory / JID)


def test_waits_while_the_job_runs_and_returns_its_result_as_async_status_does(tmp_path):
    write(tmp_path, {"started": True, "finished": False, "ansible_job_id": JID})
    result = {"changed": True, "results": [{"name": "ada", "action": "created"}]}
    timer = threading.Timer(0.5, write, (tmp_path, result))
    timer.start()
    try:
        assert collect(str(tmp_path), JID, timeout=30) == dict(result, finished=True, ansible_job_id=JID)
    finally:
        timer.cancel()


def test_a_job_that_never_started_and_one_still_running_at_the_timeout_are_named(tmp_path):
    with pytest.raises(AnsibleActionFail, match=f"no background job {JID} in {tmp_path}: it did not start"):
        collect(str(tmp_path), JID, timeout=30)
    write(tmp_path, {"started": True, "finished": False, "ansible_job_id": JID})
    with pytest.raises(AnsibleActionFail, match=f"the background job {JID} had not finished after 0 s"):
        collect(str(tmp_path), JID, timeout=0)


def test_a_failed_job_is_returned_failed(tmp_path):
    write(tmp_path, {"failed": True, "msg": "Timeout exceeded", "child_pid": 42})  # async_wrapper's own
    collected = collect(str(tmp_path), JID, timeout=30)
    assert collected["failed"] is True and collected["msg"] == "Timeout exceeded" and collected["finished"] is True
