# -*- coding: utf-8 -*-
"""A test-only callback: interrupt ansible-playbook as the task named STUDIO_TEST_INTERRUPT_AT starts.

STUDIO_TEST_INTERRUPT_SIGNAL says how: SIGINT to the whole process group, as Ctrl-C in a terminal
sends it, or SIGKILL to ansible-playbook alone, leaving its children (a background job) running.
Every task boundary can so be hit exactly, not only the first call of an AWS action.
"""

from __future__ import annotations

import os
import signal

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: interrupt_at
type: aggregate
short_description: interrupt the run at a named task (tests only)
description: Sends SIGINT to the process group or SIGKILL to ansible-playbook as the named task starts.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "interrupt_at"
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_task_start(self, task, is_conditional):
        if task.get_name() != os.environ.get("STUDIO_TEST_INTERRUPT_AT"):
            return
        if os.environ.get("STUDIO_TEST_INTERRUPT_SIGNAL") == "SIGKILL":
            os.kill(os.getpid(), signal.SIGKILL)
        os.killpg(os.getpgrp(), signal.SIGINT)
