"""The portal's pacer of CreatePresignedDomainUrl, on a fake clock: rate, order, deadline, slow-down."""

from __future__ import annotations

import asyncio

import pytest

from hackathon_studio.portal.pacing import Busy, Pacer


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def served_at(pacer: Pacer, time: FakeTime, count: int, deadline: float = 1e9) -> list:
    async def run():
        times = []

        async def one(index):
            await pacer.turn(deadline)
            times.append((index, time.now))

        await asyncio.gather(*(one(i) for i in range(count)))
        return times

    return asyncio.run(run())


def test_the_burst_goes_at_once_then_the_rate_paces_in_arrival_order():
    time = FakeTime()
    pacer = Pacer(rate=5, burst=3, clock=time.clock, sleep=time.sleep)
    times = served_at(pacer, time, 8)
    assert [index for index, _ in times] == list(range(8))  # first come, first served
    assert [round(at, 3) for _, at in times] == [0, 0, 0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_a_turn_after_the_deadline_is_refused_at_once_with_when_to_retry():
    time = FakeTime()
    pacer = Pacer(rate=2, burst=1, clock=time.clock, sleep=time.sleep)
    pacer.waiting = 9  # nine logins queued ahead, no token: the next turn is 4.5 s away
    pacer.tokens = 0.0
    with pytest.raises(Busy) as refused:
        asyncio.run(pacer.turn(deadline=3.0))
    assert refused.value.retry_after == pytest.approx(5.0)
    assert time.now == 0.0  # refused without waiting


def test_a_throttled_retry_takes_the_next_token_ahead_of_the_queue():
    # Real time (the fake one would run concurrent sleeps one after another): one token every 50 ms.
    pacer = Pacer(rate=20, burst=1)

    async def run():
        order = []

        async def queued(name):
            await pacer.turn(1e9)
            order.append(name)

        async def throttled():
            await pacer.turn(1e9)  # the burst's token; AWS throttles the call
            await asyncio.sleep(0.01)  # its answer comes back while the queue waits
            await pacer.again()
            order.append("retry")

        await asyncio.gather(throttled(), queued("a"), queued("b"))
        return order

    assert asyncio.run(run()) == ["retry", "a", "b"]


def test_throttled_retries_are_spaced_one_token_apart():
    asked = []

    async def sleep(seconds):  # the clock stands still: the three calls come back throttled at once
        asked.append(round(seconds, 3))

    pacer = Pacer(rate=5, burst=20, clock=lambda: 0.0, sleep=sleep)

    async def run():
        await asyncio.gather(pacer.again(), pacer.again(), pacer.again())

    asyncio.run(run())
    assert asked == [0.2, 0.4, 0.6]  # not all three after 0.2 s: that would be a storm of retries
