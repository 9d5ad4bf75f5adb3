# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run one function over many items on a bounded pool of threads, keeping every outcome."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # AnsibleAWSModule reports a missing botocore
    BotoCoreError = ClientError = None


class ItemFailure(Exception):
    """A failure of one item, told with that item (ItemError is one); anything else is a bug and stops the run."""


# What one item may fail with: AWS's answer (ClientError), a call that never got one (BotoCoreError),
# or what the item's own logic refuses (ItemFailure).
ITEM_ERRORS = tuple(e for e in (ClientError, BotoCoreError) if e is not None) + (ItemFailure,)


class Outcome:
    __slots__ = ("item", "value", "error")

    def __init__(self, item, value=None, error=None) -> None:
        self.item = item
        self.value = value
        self.error = error


def run_batch(items, function, concurrency: int) -> list:
    """``function(item)`` for each item, at most ``concurrency`` at once; outcomes in the items' order.

    An item's failure (ITEM_ERRORS) is kept in its outcome and does not stop the others.
    """
    items = list(items)

    def guarded(item) -> Outcome:
        try:
            return Outcome(item, value=function(item))
        except ITEM_ERRORS as exc:  # each item's failure is reported with that item
            return Outcome(item, error=exc)

    if len(items) <= 1 or concurrency <= 1:
        return [guarded(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(items))) as pool:
        return list(pool.map(guarded, items))


def values(outcomes: list) -> list:
    """The outcomes' values, or the first one's error raised: for batches where any failure fails all."""
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    return [outcome.value for outcome in outcomes]
