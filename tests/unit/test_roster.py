"""The roster: accepted formats, every validation problem at once, and stable, distinct names."""

from __future__ import annotations

import re

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils.roster import (
    parse_roster,
    personal_space_name,
    profile_name,
    space_name,
)

NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")


def parse(text: str | bytes):
    return parse_roster(text.encode() if isinstance(text, str) else text)


def test_plain_two_columns():
    roster = parse("ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n")
    assert roster.problems == []
    assert [(p.email, p.space) for p in roster.participants] == [
        ("ada@example.org", "team-1"),
        ("alan@example.org", "team-1"),
        ("grace@example.org", "team-2"),
    ]
    assert {space: len(members) for space, members in roster.teams.items()} == {"team-1": 2, "team-2": 1}


@pytest.mark.parametrize(
    "text",
    [
        "Email,Name,Team\nada@example.org,Ada,7\n",
        "TEAM;EMAIL\r\n7;ada@example.org\r\n",
        "\ufeffemail,team\n\n# a comment\n  ada@example.org ,  7  \n\n",
        "ada@example.org;7\n",
    ],
)
def test_accepted_formats(text):
    roster = parse(text)
    assert roster.problems == []
    assert [(p.email, p.team, p.space) for p in roster.participants] == [("ada@example.org", "7", "team-7")]


def test_every_problem_reported_with_its_line():
    roster = parse("ada@example.org,1\nnot-an-email,1\nbob@example.org,\nADA@example.org,1\nada@example.org,2\n,3\n")
    assert roster.problems == [
        (2, "malformed email 'not-an-email'"),
        (3, "missing team for bob@example.org"),
        (4, "duplicate email ADA@example.org (also on line 1)"),
        (5, "ada@example.org is in two teams: '1' on line 1 and '2' here"),
        (6, "missing email"),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"# only a comment\n", "the file has no participants"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not CSV text"),
        (b"ada@example.org,caf\xe9\n", "not UTF-8 text"),
    ],
)
def test_unusable_files(data, reason):
    roster = parse(data)
    assert roster.participants == [] or reason == "not UTF-8 text"
    assert any(reason in problem for _, problem in roster.problems), roster.problems


def test_profile_names_are_valid_readable_distinct_and_stable():
    a, b = profile_name("niklas@amazon.com"), profile_name("niklas@ai.se")
    assert a != b and a.startswith("niklas-") and b.startswith("niklas-")
    assert profile_name("Niklas@Amazon.com") == a  # one person, whatever the case
    long_local = profile_name("x" * 64 + "@example.org")
    weird = profile_name("___@example.org")
    for name in (a, b, long_local, weird, profile_name("o'brien+tag@example.org")):
        assert NAME.fullmatch(name) and len(name) <= 63, name


def test_names_do_not_depend_on_row_position():
    first = {p.email: p.profile for p in parse("a@x.org,1\nb@x.org,1\n").participants}
    second = {p.email: p.profile for p in parse("c@x.org,2\nb@x.org,1\na@x.org,1\n").participants}
    assert first == {k: second[k] for k in first}


@pytest.mark.parametrize(
    ("team", "space"),
    [("7", "team-7"), ("Team 7", "team-7"), ("Blue Whales", "team-blue-whales"), ("  ", "team-unnamed")],
)
def test_space_names(team, space):
    assert space_name(team) == space


def test_long_team_names_stay_distinct_and_valid():
    a, b = space_name("a" * 80 + "1"), space_name("a" * 80 + "2")
    assert a != b and NAME.fullmatch(a) and len(a) <= 63


def test_personal_space_names_are_valid_and_follow_the_profile():
    for email in ("ada@example.org", "x" * 70 + "@example.org"):
        name = personal_space_name(email)
        assert NAME.fullmatch(name) and len(name) <= 63 and name.endswith("-home")
        assert name.split("-")[-2] == profile_name(email).split("-")[-1]  # the same hash
