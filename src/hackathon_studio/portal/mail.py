"""The email that carries a 6-digit code: plain text, with a simple HTML part, as SES's SendEmail takes it.

The code is in the body only (not the subject, which phones show on a locked screen), and the body
never reaches a log. The portal's address comes from its settings (``url``), never from a request's
Host header, which a client chooses.
"""

from __future__ import annotations

from html import escape

from hackathon_studio.portal.config import PortalConfig


def code_message(config: PortalConfig, code: str) -> dict:
    """SendEmail's ``Message``: the subject with the event's name, the code, valid 10 minutes."""
    where = f"on the portal, {config.url}" if config.url else "on the portal's page"
    text = (
        f"Your code for {config.title}:\n\n    {code}\n\n"
        f"Type it {where}, where you asked for it. It is valid 10 minutes, once.\n\n"
        "If you did not ask for a code, you can ignore this email.\n"
    )
    link = f' <a href="{escape(config.url)}">{escape(config.url)}</a>' if config.url else ""
    html = (
        f"<p>Your code for {escape(config.title)}:</p>"
        f'<p style="font-size:1.6em;font-weight:bold;letter-spacing:.2em">{code}</p>'
        f"<p>Type it on the portal{link}, where you asked for it. It is valid 10 minutes, once.</p>"
        "<p>If you did not ask for a code, you can ignore this email.</p>"
    )
    return {
        "Subject": {"Data": f"{config.title}: your sign-in code", "Charset": "UTF-8"},
        "Body": {"Text": {"Data": text, "Charset": "UTF-8"}, "Html": {"Data": html, "Charset": "UTF-8"}},
    }
