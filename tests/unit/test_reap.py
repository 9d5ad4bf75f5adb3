"""Reap's decision (module_utils/reap.py): which of the event's running apps stop, and why."""

from __future__ import annotations

import datetime

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils.reap import (
    ReapError,
    apps_to_stop,
    parse_event_end,
    parse_event_hours,
    parse_max_age,
    within_hours,
)

UTC = datetime.UTC
NOW = datetime.datetime(2026, 5, 2, 12, 0, tzinfo=UTC)


def app(name, minutes_old, status="InService"):
    return {"name": name, "status": status, "creation_time": NOW - datetime.timedelta(minutes=minutes_old)}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("8h", 28800), ("90m", 5400), ("1d", 86400), ("30s", 30), (" 2 h ", 7200), (None, None), ("", None)],
)
def test_max_age_is_a_number_and_a_unit(text, seconds):
    assert parse_max_age(text) == seconds


@pytest.mark.parametrize("text", ["8", "0h", "-1h", "8 hours", "1.5h", "h", "8H"])
def test_max_age_refuses_anything_else_naming_the_variable(text):
    with pytest.raises(ReapError, match="^studio_app_max_age .* is not a duration"):
        parse_max_age(text)


def test_an_app_is_stopped_from_exactly_its_max_age():
    apps = [app("young", 479), app("exact", 480), app("old", 600)]
    stopping = apps_to_stop(apps, NOW, max_age=parse_max_age("8h"))
    assert [(a["name"], reason) for a, reason in stopping] == [
        ("exact", "running for 8h 00m, max age 8h 00m (studio_app_max_age)"),
        ("old", "running for 10h 00m, max age 8h 00m (studio_app_max_age)"),
    ]


def test_only_running_apps_are_stopped():
    apps = [app(status, 600, status) for status in ("Pending", "InService", "Deleting", "Deleted", "Failed")]
    assert [a["name"] for a, _ in apps_to_stop(apps, NOW, max_age=60)] == ["Pending", "InService"]


def test_nothing_set_stops_nothing():
    assert apps_to_stop([app("old", 10_000)], NOW) == []


@pytest.mark.parametrize(
    ("clock", "inside"),
    [("07:59", False), ("08:00", True), ("12:00", True), ("19:59", True), ("20:00", False), ("23:00", False)],
)
def test_hours_include_their_start_and_exclude_their_end(clock, inside):
    hours = parse_event_hours("08:00-20:00")
    hour, minute = map(int, clock.split(":"))
    assert within_hours(NOW.replace(hour=hour, minute=minute), hours) is inside


def test_hours_are_read_in_their_time_zone():
    hours = parse_event_hours("08:00-20:00 Europe/Paris")  # CEST in May: UTC+2
    assert within_hours(datetime.datetime(2026, 5, 2, 6, 0, tzinfo=UTC), hours)  # 08:00 in Paris
    assert not within_hours(datetime.datetime(2026, 5, 2, 5, 59, tzinfo=UTC), hours)
    assert not within_hours(datetime.datetime(2026, 5, 2, 18, 0, tzinfo=UTC), hours)  # 20:00 in Paris
    # in January Paris is UTC+1: the same window is an hour later in UTC
    assert within_hours(datetime.datetime(2026, 1, 10, 18, 30, tzinfo=UTC), hours)
    # a time given in another offset is the same instant
    assert within_hours(
        datetime.datetime(2026, 5, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=4))), hours
    )


def test_hours_may_cross_midnight():
    hours = parse_event_hours("20:00-02:00")
    assert within_hours(NOW.replace(hour=23), hours) and within_hours(NOW.replace(hour=1, minute=59), hours)
    assert not within_hours(NOW.replace(hour=2), hours) and not within_hours(NOW.replace(hour=12), hours)


def test_outside_the_hours_every_running_app_stops_whatever_its_age():
    stopping = apps_to_stop([app("new", 1)], NOW.replace(hour=21), hours=parse_event_hours("08:00-20:00 UTC"))
    assert [reason for _, reason in stopping] == ["outside the event's hours 08:00-20:00 UTC (studio_event_hours)"]
    assert apps_to_stop([app("new", 1)], NOW, hours=parse_event_hours("08:00-20:00 UTC")) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("8-20", "is not HH:MM-HH:MM"),
        ("08:00-24:00", "no such time of day"),
        ("08:00-08:00", "starts when it ends"),
        ("08:00-20:00 Mars/Olympus", "is not a time zone"),
    ],
)
def test_bad_hours_are_refused_naming_the_variable(text, message):
    with pytest.raises(ReapError, match=f"^studio_event_hours.*{message}"):
        parse_event_hours(text)


def test_after_the_end_every_running_app_stops():
    end = parse_event_end("2026-05-02T13:30:00+02:00")  # 11:30 UTC
    assert end == datetime.datetime(2026, 5, 2, 11, 30, tzinfo=UTC)
    stopping = apps_to_stop([app("new", 1), app("old", 600)], NOW, max_age=28800, end=end)
    assert [(a["name"], reason) for a, reason in stopping] == [
        ("new", "the event ended at 2026-05-02T13:30:00+02:00 (studio_event_end)"),
        ("old", "the event ended at 2026-05-02T13:30:00+02:00 (studio_event_end)"),
    ]
    # a second before the end, only the max age applies
    assert [a["name"] for a, _ in apps_to_stop([app("new", 1)], end - datetime.timedelta(seconds=1), end=end)] == []
    assert [a["name"] for a, _ in apps_to_stop([app("new", 1)], end, end=end)] == ["new"]


def test_the_end_takes_z_and_refuses_a_time_without_offset():
    assert parse_event_end("2026-05-02T18:00:00Z") == datetime.datetime(2026, 5, 2, 18, tzinfo=UTC)
    with pytest.raises(ReapError, match="^studio_event_end .* has no UTC offset"):
        parse_event_end("2026-05-02T18:00:00")
    with pytest.raises(ReapError, match="^studio_event_end .* is not an ISO 8601 time"):
        parse_event_end("tomorrow evening")
