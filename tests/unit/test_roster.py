"""The roster: accepted formats, every validation problem at once, and stable, distinct names."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils import roster as roster_module
from ansible_collections.hackathon.studio.plugins.module_utils.roster import (
    display_name,
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
    [
        ("7", "team-7"),
        ("Team 7", "team-7"),
        ("Blue Whales", "team-blue-whales"),
        ("Blue Whales 🐳", "team-blue-whales"),
    ],
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


# ----- teams in any script --------------------------------------------------------------------------------
def valid(name: str) -> bool:
    return bool(NAME.fullmatch(name)) and len(name) <= 63


def test_teams_without_latin_letters_get_their_own_readable_spaces():
    roster = parse("a@x.org,Альфа\nb@x.org,Бета\nc@x.org,红队\nd@x.org,Альфа\n")
    assert roster.problems == []
    spaces = list(roster.teams)
    assert len(spaces) == 3 and all(valid(space) for space in spaces)
    assert [space.rsplit("-", 1)[0] for space in spaces] == ["team-alfa", "team-beta", "team-hongdui"]
    assert spaces == [space_name("Альфа"), space_name("Бета"), space_name("红队")]  # from the team alone


@pytest.mark.parametrize(
    "spelling",
    ["альфа", " АЛЬФА ", "\u200fАльфа\u200f", "Team Альфа", "Альфа!"],
)
def test_spellings_of_one_team_share_its_space(spelling):
    assert space_name(spelling) == space_name("Альфа")


def test_normal_forms_are_one_team_and_accents_are_not_dropped():
    nfd = unicodedata.normalize("NFD", "Café")
    assert nfd != "Café" and space_name(nfd) == space_name("Café")
    # Café and Cafe are two teams (a letter differs), as Альфа and Alfa: they transliterate alike,
    # and still get two spaces; plain ASCII names keep the name they always had.
    assert space_name("Cafe") == "team-cafe" and space_name("Café").startswith("team-cafe-")
    assert space_name("Alfa") == "team-alfa" and space_name("Альфа").startswith("team-alfa-")
    roster = parse("a@x.org,Café\nb@x.org,Cafe\nc@x.org,Альфа\nd@x.org,Alfa\n")
    assert roster.problems == [] and len(roster.teams) == 4


def test_right_to_left_names_lose_their_bidi_controls_only_in_the_display_name():
    hebrew, arabic = "\u200fצוות\u202e אדום\u202c", "\u2067فريق\u2069\u061c"
    assert display_name(hebrew) == "צוות אדום" and display_name(arabic) == "فريق"
    assert space_name(hebrew) == space_name("צוות אדום") and valid(space_name(hebrew))
    assert space_name(arabic) == space_name("فريق") and valid(space_name(arabic))
    roster = parse("a@x.org,\u202e\u200f\nb@x.org,\u2066 \u2069\n")
    assert roster.problems == [(1, "missing team for a@x.org"), (2, "missing team for b@x.org")]


def test_names_without_letters_or_digits_are_distinct():
    names = [space_name(team) for team in ("🚀", "🔥", "🚀🚀", "!!!", "???")]
    assert len(set(names)) == 5 and all(valid(name) for name in names)
    assert names[0].startswith("team-rocket-") and re.fullmatch(r"team-[a-z2-7]{8}", names[3])
    assert space_name("Rocket") != names[0]


def test_two_teams_in_one_space_is_an_error_naming_both_lines():
    alfa = space_name("Альфа")
    roster = parse(f"a@x.org,Альфа\nb@x.org,Альфа\nc@x.org,{alfa.upper()}\n")
    assert roster.problems == [
        (3, f"teams 'Альфа' on line 1 and '{alfa.upper()}' here would share the space {alfa}"),
    ]


def test_one_email_in_two_spellings_of_a_team_is_a_duplicate():
    roster = parse("a@x.org,Альфа\na@x.org,альфа\nb@x.org,Бета\nb@x.org,Beta\n")
    assert roster.problems == [
        (2, "duplicate email a@x.org (also on line 1)"),
        (4, "b@x.org is in two teams: 'Бета' on line 3 and 'Beta' here"),
    ]


SCRIPTS = [  # lower-case or caseless letters only, so that distinct strings are distinct teams
    (0x0430, 0x044F),  # Cyrillic
    (0x03B1, 0x03C1),  # Greek (before the final sigma)
    (0x0627, 0x064A),  # Arabic
    (0x05D0, 0x05EA),  # Hebrew
    (0x4E00, 0x9FFF),  # CJK
    (0x0915, 0x0939),  # Devanagari consonants
    (0x0E01, 0x0E2E),  # Thai
    (0xAC00, 0xD7A3),  # Hangul
    (0x1F600, 0x1F64F),  # emoji
]


def test_a_hundred_teams_in_random_scripts_get_a_hundred_valid_spaces():
    rng = random.Random(11)
    teams: list[str] = []
    while len(teams) < 100:
        low, high = rng.choice(SCRIPTS)
        team = "".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, 8)))
        if unicodedata.normalize("NFC", team) == team and team not in teams:
            teams.append(team)
    roster = parse("".join(f"user{i}@x.org,{team}\n" for i, team in enumerate(teams)))
    assert roster.problems == []
    assert len(roster.teams) == 100 and all(valid(space) for space in roster.teams)
    assert [space_name(team) for team in teams] == list(roster.teams)


def test_display_names_fit_and_are_never_cut_inside_a_character():
    assert display_name("x" * 100) == "x" * 64  # as before for ASCII
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one joined emoji
    cut = display_name("a" * 60 + family)
    assert cut == "a" * 60
    accented = display_name("a" * 63 + "e\u0301" + "b")
    assert accented == "a" * 63
    for team in ("a" * 60 + family, "🚀" * 40, "Команда " * 15):
        shown = display_name(team)
        assert 0 < len(shown.encode("utf-16-le")) // 2 <= 64 and team.startswith(shown)


def test_without_the_transliteration_library_a_team_needing_it_is_a_clear_problem(monkeypatch):
    monkeypatch.setattr(roster_module, "anyascii", None)
    assert parse("a@x.org,Blue Whales\nb@x.org,!!!\n").problems == []  # ASCII needs no library
    roster = parse("a@x.org,7\nb@x.org,Альфа\nc@x.org,Бета\n")
    assert roster.problems == [
        (
            2,
            "the team 'Альфа' needs the Python library anyascii to become a space name: "
            "pip install 'anyascii>=0.3.2,<0.4'",
        ),
    ]
