# -*- coding: utf-8 -*-
"""A test-only callback: hold ansible-playbook as the task named STUDIO_TEST_INTERRUPT_AT starts.

It writes the file STUDIO_TEST_INTERRUPT_MARKER and waits there, so that the test can interrupt the
run at exactly that task boundary from outside, as a person or a CI runner does (tests/reliability/
test_interrupt.py), not only at the first call of an AWS action.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: interrupt_at
type: aggregate
short_description: hold the run at a named task so that a test can interrupt it there (tests only)
description: Writes a marker file and waits as the named task starts.
"""

HOLD_SECONDS = 600  # the test interrupts long before; a run nobody interrupts ends by itself


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "interrupt_at"
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_task_start(self, task, is_conditional):
        if task.get_name() != os.environ.get("STUDIO_TEST_INTERRUPT_AT"):
            return
        Path(os.environ["STUDIO_TEST_INTERRUPT_MARKER"]).write_text(str(os.getpid()))
        time.sleep(HOLD_SECONDS)
