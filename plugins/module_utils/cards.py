# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Printable access cards: one self-contained HTML file, eight cards to a sheet, to cut out and hand round.

Each card has the participant's name (the email when the roster has no name), team, the portal's
address, the code and a QR code of ``<portal>/#email=...&code=...``. The email and code ride in the
URL's fragment, never its query: a browser does not send the fragment, so they never reach the
portal's or a proxy's access log; the portal's prefill.js moves them into the form and clears it.
The file holds no script and no third-party asset: the QR codes are inline SVG (segno).
"""

from __future__ import annotations

import html
from urllib.parse import quote

try:
    import segno
except ImportError:  # the module reports the missing library with missing_required_lib
    segno = None

CARDS_PER_SHEET = 8  # 2 x 4 cards of 90 x 60 mm (and 4 mm gaps) fit A4 and Letter alike, in 10 mm margins

STYLE = """
@page { margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, sans-serif; color: #000; background: #fff; }
.sheet { display: grid; grid-template-columns: repeat(2, 90mm); grid-auto-rows: 60mm; gap: 4mm;
  justify-content: center; break-after: page; page-break-after: always; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
.card { border: 0.3mm dashed #666; padding: 4mm; display: flex; gap: 3mm; overflow: hidden;
  break-inside: avoid; page-break-inside: avoid; }
.text { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 1.5mm; }
.text p { margin: 0; }
.event { font-size: 8pt; text-transform: uppercase; letter-spacing: 0.05em; }
.name { font-size: 11pt; font-weight: 600; overflow-wrap: anywhere; }
.team, .url { font-size: 9pt; overflow-wrap: anywhere; }
.text .code { margin-top: auto; font: 600 13pt ui-monospace, monospace; letter-spacing: 0.05em; }
.qr { width: 30mm; flex: none; align-self: center; }
.qr svg { width: 30mm; height: 30mm; display: block; }
@media screen { body { padding: 10mm; background: #eee; } .sheet { margin-bottom: 10mm; }
  .card { background: #fff; } }
"""


def login_url(portal_url: str, email: str, code: str) -> str:
    """The portal's address with the participant's email and code in its fragment (never sent to a server)."""
    return f"{portal_url.rstrip('/')}/#email={quote(email, safe='')}&code={quote(code, safe='')}"


def qr_svg(text: str) -> str:
    """``text`` as a QR code, an inline SVG element sized by the page's CSS (error correction M: survives a crease)."""
    return segno.make(text, error="m", micro=False).svg_inline(omitsize=True)


def card_html(event: str, participant: dict, code: str, portal_url: str | None) -> str:
    email = participant["email"]
    lines = [
        f'<p class="event">{html.escape(event)}</p>',
        f'<p class="name">{html.escape(str(participant.get("name") or email))}</p>',
        f'<p class="team">Team {html.escape(str(participant.get("team") or ""))}</p>',
    ]
    if portal_url:
        lines.append(f'<p class="url">{html.escape(portal_url)}</p>')
    lines.append(f'<p class="code">{html.escape(code)}</p>')
    qr = f'<div class="qr">{qr_svg(login_url(portal_url, email, code))}</div>' if portal_url else ""
    return f'<article class="card"><div class="text">{"".join(lines)}</div>{qr}</article>'


def cards_html(event: str, participants: dict, codes: dict, portal_url: str | None) -> str:
    """The print-ready page: a card for each participant whose code is known (email -> code), by team."""
    known = sorted(
        ((participants[email], code) for email, code in codes.items() if email in participants),
        key=lambda pair: (str(pair[0].get("team") or ""), pair[0]["email"].lower()),
    )
    cards = [card_html(event, participant, code, portal_url) for participant, code in known]
    sheets = [cards[i : i + CARDS_PER_SHEET] for i in range(0, len(cards), CARDS_PER_SHEET)]
    body = "\n".join(f'<section class="sheet">{"".join(sheet)}</section>' for sheet in sheets)
    title = html.escape(f"Access cards · {event}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"<style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
