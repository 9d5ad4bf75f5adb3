"""The event's window, from the registry's configuration items (pure: no emulator)."""

from __future__ import annotations

from datetime import UTC, datetime

from hackathon_studio.portal.store import Window, parse_time, window

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC).timestamp()


def test_times_are_utc_unless_they_say_otherwise():
    assert parse_time("2026-11-26T12:00:00") == datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert parse_time("2026-11-26T13:00:00+01:00").timestamp() == NOON
    assert parse_time("2026-11-26T12:00:00Z").timestamp() == NOON
    assert parse_time(None) is None and parse_time("") is None and parse_time("next tuesday") is None


def test_window():
    assert window([], NOON) == Window(open=False, torn_down=True)
    assert window([{}], NOON) == Window(open=True)
    later = datetime(2026, 11, 26, 12, 30, tzinfo=UTC)
    assert window([{"studio_event_start": "2026-11-26T12:30:00"}], NOON) == Window(open=False, opens=later)
    assert window([{"studio_event_start": "2026-11-26T12:00:00"}], NOON) == Window(open=True)
    assert window([{"studio_event_end": "2026-11-26T12:00:00"}], NOON) == Window(open=False, ended=True)
    assert window([{"studio_event_end": "2026-11-26T12:00:01"}], NOON) == Window(open=True)
    # An event over several domains: open from the earliest start to the latest end of its configurations.
    domains = [
        {"studio_event_start": "2026-11-26T11:00:00", "studio_event_end": "2026-11-26T11:30:00"},
        {"studio_event_start": "2026-11-26T12:30:00", "studio_event_end": "2026-11-26T18:00:00"},
    ]
    assert window(domains, NOON) == Window(open=True)
