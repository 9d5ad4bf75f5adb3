"""Printable access cards: one per participant, eight to a sheet, a QR code with the code in the fragment."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import segno

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "collections"))
from ansible_collections.hackathon.studio.plugins.module_utils.cards import cards_html, login_url  # noqa: E402

PORTAL = "https://portal.example.org/"


def qr_cells(svg: str) -> set:
    """The dark modules of segno's SVG path (``M x y``, ``m dx dy``, ``h n`` of one-module-high lines)."""
    path = re.search(r'\bd="([^"]+)"', svg).group(1)
    x = y = 0.0
    cells = set()
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            cells |= {(int(y), int(x) + i) for i in range(int(float(a)))}
            x += float(a)
    return cells


def decodes_to(svg: str, text: str) -> bool:
    """Whether the SVG is the QR code of ``text``: its modules are those of ``text`` encoded afresh."""
    matrix = segno.make(text, error="m", micro=False).matrix
    border = 4  # segno's quiet zone
    return qr_cells(svg) == {
        (r + border, c + border) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark
    }


def people(n: int) -> dict:
    return {f"p{i:02}@example.org": {"email": f"P{i:02}@example.org", "team": str(i % 3)} for i in range(n)}


def test_the_code_rides_in_the_fragment_never_the_query():
    url = login_url(PORTAL, "Ada+x@example.org", "ABCD-EFGH-JKMN")
    assert url == "https://portal.example.org/#email=Ada%2Bx%40example.org&code=ABCD-EFGH-JKMN"
    assert "?" not in url


def test_one_card_per_participant_with_a_known_code_eight_to_a_sheet():
    participants = people(10)
    codes = {email: f"CODE-{i:04}-XXXX" for i, email in enumerate(participants) if i != 4}  # p04's code not known
    page = cards_html("spring", participants, codes, PORTAL)
    sheets = re.findall(r'<section class="sheet">(.*?)</section>', page)
    assert [s.count('<article class="card">') for s in sheets] == [8, 1]
    assert "P04@example.org" not in page and page.count("CODE-") == 9
    assert "@page" in page and "<script" not in page and "http" not in page.replace(PORTAL.rstrip("/"), "")
    cards = re.findall(r'<article class="card">(.*?)</article>', page)
    teams = [re.search(r'class="team">Team (\d)<', card).group(1) for card in cards]
    assert teams == sorted(teams)  # by team, to hand them round table by table
    ada = next(card for card in cards if "P01@example.org" in card)
    svg = re.search(r"<svg.*?</svg>", ada).group(0)
    assert decodes_to(svg, "https://portal.example.org/#email=P01%40example.org&code=CODE-0001-XXXX")
    assert not decodes_to(svg, "https://portal.example.org/#email=P01%40example.org&code=CODE-0002-XXXX")


def test_without_the_portal_address_a_card_has_the_code_and_team_but_no_address_nor_qr():
    page = cards_html("spring", people(1), {"p00@example.org": "ABCD-EFGH-JKMN"}, None)
    assert "ABCD-EFGH-JKMN" in page and "Team 0" in page and "<svg" not in page and 'class="url"' not in page


def test_names_and_teams_are_escaped_and_a_roster_name_is_shown():
    participants = {"ada@example.org": {"email": "ada@example.org", "team": "<b>7</b>", "name": "Ada & co"}}
    page = cards_html("<spring>", participants, {"ada@example.org": "ABCD-EFGH-JKMN"}, PORTAL)
    assert "Team &lt;b&gt;7&lt;/b&gt;" in page and "Ada &amp; co" in page and "&lt;spring&gt;" in page
    assert "<b>" not in page
