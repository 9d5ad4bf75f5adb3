# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A background job's private status directory, then the job's result: on the controller, in-process.

Ansible's way (tempfile, then wait_for on the status file, async_status, file state=absent) is four
module processes per job; each Python start-up costs a controller core about 0.4 s, and ten domains'
runs pay it ten times at once. The playbooks run on the controller (connection local), where the job's
status file is a local file: this plugin makes the directory, waits for the file and reads it itself.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

POLL_SECONDS = 0.2  # reading a small local file: the job's end is seen within this


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True  # a scratch directory of the run: made and read in check mode too

    ARGUMENTS = {
        "prefix": {"type": "str"},
        "path": {"type": "path"},
        "jid": {"type": "str"},
        "timeout": {"type": "int", "default": 3600},
    }

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validate_argument_spec(
            argument_spec=self.ARGUMENTS,
            mutually_exclusive=[("prefix", "path")],
            required_one_of=[("prefix", "path")],
            required_together=[("path", "jid")],
        )[1]
        if self._connection.transport != "local":
            raise AnsibleActionFail(
                f"{self._task.action} runs on the controller: the host needs ansible_connection local, "
                f"not {self._connection.transport}"
            )
        if args["prefix"] is not None:
            result.update(changed=False, path=tempfile.mkdtemp(prefix=args["prefix"]))  # mode 0700
            return result
        try:
            result.update(collect(args["path"], args["jid"], args["timeout"]))
        finally:
            shutil.rmtree(args["path"], ignore_errors=True)
        return result


def collect(directory: str, jid: str, timeout: int) -> dict:
    """The job's result once async_wrapper has written it (in one rename), as async_status returns it."""
    status_file = os.path.join(directory, jid)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with open(status_file, encoding="utf-8") as stream:
                status = json.load(stream)
        except FileNotFoundError:
            raise AnsibleActionFail(f"no background job {jid} in {directory}: it did not start") from None
        if "started" not in status:  # async_wrapper's own status has it; a module's result has not
            return dict(status, finished=True, ansible_job_id=jid)
        if time.monotonic() >= deadline:
            raise AnsibleActionFail(f"the background job {jid} had not finished after {timeout} s")
        time.sleep(POLL_SECONDS)
