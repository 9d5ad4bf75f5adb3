# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's cost as one HTML page: a table per team and an inline SVG chart of the app-hours per
team over time (cost.hours_over_time). No script, no external asset: it opens from a file anywhere."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, MARGIN = 720, 320, 48
# Colours told apart by most colour-blind readers (Okabe and Ito's palette).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:right}"
    "td:first-child,th:first-child{text-align:left}small{color:#666}"
)


def _money(value, currency: str) -> str:
    return "-" if value is None else f"{currency} {value:,.2f}"


def chart(series: dict) -> str:
    """An SVG line chart of ``hours_over_time``'s series: one line per team, a legend, the axes' ends."""
    times, teams = series["times"], series["teams"]
    if len(times) < 2 or not teams:
        return "<p>No app has run yet.</p>"
    top = max(max(values) for values in teams.values()) or 1.0
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def point(i: int, hours: float) -> str:
        return f"{MARGIN + plot_w * i / (len(times) - 1):.1f},{MARGIN + plot_h * (1 - hours / top):.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="App-hours per team over time">',
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" stroke="#888"/>',
        f'<line x1="{MARGIN}" y1="{MARGIN}" x2="{MARGIN}" y2="{HEIGHT - MARGIN}" stroke="#888"/>',
        f'<text x="{MARGIN - 4}" y="{MARGIN + 4}" text-anchor="end" font-size="11">{top:.2f} h</text>',
        f'<text x="{MARGIN - 4}" y="{HEIGHT - MARGIN}" text-anchor="end" font-size="11">0</text>',
        f'<text x="{MARGIN}" y="{HEIGHT - MARGIN + 16}" font-size="11">{escape(times[0][:16])} UTC</text>',
        f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - MARGIN + 16}" text-anchor="end" font-size="11">'
        f"{escape(times[-1][:16])} UTC</text>",
    ]
    for n, (team, values) in enumerate(teams.items()):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(point(i, hours) for i, hours in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        y = MARGIN + 14 * n
        parts.append(f'<rect x="{WIDTH - MARGIN - 120}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{WIDTH - MARGIN - 105}" y="{y}" font-size="11">team {escape(str(team))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def html_report(event: str, status: dict, series: dict, generated: str) -> str:
    """The page: per team app-hours, cost so far and projected; the chart; the prices and their sources."""
    cost, totals = status["cost"], status["totals"]
    currency = cost["currency"]
    rows = [
        f"<tr><td>{escape(str(team))}</td><td>{spent['app_hours']:.2f}</td><td>{spent['running_apps']}</td>"
        f"<td>{_money(spent['cost'], currency)}</td><td>{_money(spent.get('projected_cost'), currency)}</td></tr>"
        for team, spent in cost["teams"].items()
    ]
    rows.append(
        f"<tr><th>total</th><th>{totals['app_hours']:.2f}</th><th>{totals['running_apps']}</th>"
        f"<th>{_money(totals['cost'], currency)}</th><th>{_money(totals['projected_cost'], currency)}</th></tr>"
    )
    prices = [
        f"<li>{escape(t)}: {_money(p.get('price'), currency)} per hour ({escape(p.get('source') or '')}, "
        f"{escape(p.get('date') or '')}){escape('; ' + p['detail']) if p.get('detail') else ''}</li>"
        for t, p in sorted(cost["prices"].items())
    ]
    end = cost.get("event_end")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>Cost of {escape(event)}</title><style>{STYLE}</style></head><body>",
            f"<h1>Cost of {escape(event)}</h1>",
            f"<p><small>At {escape(generated[:16].replace('T', ' '))} UTC"
            + (f"; projected to the event's end, {escape(end)}" if end else "; no event end set, no projection")
            + ".</small></p>",
            "<table><tr><th>team</th><th>app-hours</th><th>running</th><th>cost so far</th><th>projected</th></tr>",
            *rows,
            "</table>",
            "<h2>App-hours per team over time</h2>",
            chart(series),
            "<h2>Prices</h2><ul>",
            *prices,
            "</ul>",
            "<p><small>An estimate: instance-hours times the on-demand price. An app counts from its creation "
            "until the status run that first saw it stopped, so a stopped app counts up to one run too long. "
            "Storage, data transfer and anything but the apps' instances are not counted.</small></p>",
            "</body></html>",
        ]
    )
