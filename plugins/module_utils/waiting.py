# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Poll many resources at once until each reaches a wanted status, within a deadline.

botocore has no waiters for Studio resources. One poll reads the statuses of every resource of a
kind through a paginated List* call, so waiting for 1,000 resources costs a few calls a poll,
not 1,000 Describe calls.
"""

from __future__ import annotations

import time

GONE = None  # the status of a resource that no longer exists


class WaitResult:
    def __init__(self) -> None:
        self.reached: dict = {}  # key -> status it reached
        self.failed: dict = {}  # key -> status that means it will never get there
        self.pending: dict = {}  # key -> last status seen when the deadline passed


def wait_for(keys, read_statuses, wanted, failures=(), timeout: float = 600, sleep=time.sleep, clock=time.monotonic):
    """Poll ``read_statuses()`` (key -> status, absent keys are gone) until every key is done.

    A key is done when its status is in ``wanted`` (``GONE`` may be in it) or in ``failures``.
    Polls start 0.25 s apart and stretch to 5 s, so quick transitions are seen quickly and long
    ones do not cost many calls.
    """
    result = WaitResult()
    remaining = set(keys)
    deadline = clock() + timeout
    interval = 0.25
    while True:
        statuses = read_statuses()
        for key in list(remaining):
            status = statuses.get(key, GONE)
            if status in wanted:
                result.reached[key] = status
                remaining.discard(key)
            elif status in failures:
                result.failed[key] = status
                remaining.discard(key)
            else:
                result.pending[key] = status
        if not remaining:
            result.pending = {}
            return result
        if clock() + interval > deadline:
            result.pending = {key: result.pending[key] for key in remaining}
            return result
        sleep(interval)
        interval = min(5.0, interval * 1.5)
