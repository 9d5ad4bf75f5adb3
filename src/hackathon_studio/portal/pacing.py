"""Pacing CreatePresignedDomainUrl through an opening rush: logins wait their turn instead of failing.

AWS throttles the action per account (its rate is not published; the emulator's aws profile allows
5 a second, burst 20). A portal that sends every login's call at once gets most of them refused,
and retrying them all only spends the account's budget, which the organizer's own tools share. So
each portal process sends at most ``rate`` calls a second, in the order people asked (asyncio's Lock
is first come, first served), and a throttled call (another process, or the organizer, took the
budget) is sent again at the next token, ahead of the queue, until the login's deadline. The waiting
is in the event loop, not in a thread: a page load or a code check is never stuck behind logins.
"""

from __future__ import annotations

import asyncio
import time


class Busy(Exception):
    """The login's turn would come after its deadline; ``retry_after`` seconds is when to try again."""

    def __init__(self, retry_after: float):
        super().__init__(f"busy for {retry_after:.0f} s")
        self.retry_after = retry_after


class Pacer:
    """A token bucket of ``burst`` tokens refilled at ``rate`` a second, served first come first served."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic, sleep=asyncio.sleep):
        self.rate, self.burst = rate, burst
        self.clock, self.sleep = clock, sleep
        self.tokens, self.updated = float(burst), clock()
        self.waiting = 0
        self._lock, self._loop = None, None  # made in the serving loop

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    async def turn(self, deadline: float) -> None:
        """Wait for a token; Busy at once if the queue ahead cannot be served before ``deadline``."""
        if self._loop is not asyncio.get_running_loop():
            self._lock, self._loop = asyncio.Lock(), asyncio.get_running_loop()
        self._refill()
        ahead = self.waiting + 1 - self.tokens
        if ahead > 0 and self.clock() + ahead / self.rate > deadline:
            raise Busy(ahead / self.rate)
        self.waiting += 1
        try:
            async with self._lock:
                self._refill()
                while self.tokens < 1:  # a retry (again) may take the token this one waited for
                    await self.sleep((1 - self.tokens) / self.rate)
                    self._refill()
                self.tokens -= 1
        finally:
            self.waiting -= 1

    async def again(self) -> None:
        """A throttled call's retry: the account's budget is spent elsewhere, so the bucket starts empty,
        and this retry reserves its next token, ahead of the queue (it keeps its place); several
        retries reserve one token each, one after the other."""
        self._refill()
        self.tokens = min(self.tokens, 0.0) - 1
        await self.sleep(-self.tokens / self.rate)
