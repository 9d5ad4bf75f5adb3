"""The participant portal: an email and an access code in, a presigned URL into their team's space out.

``GET /`` shows the login form (or when the portal opens, or that it has closed); ``POST /login``
checks the CSRF token, the event's window and the rate limits, verifies the code (always one
argon2 verification, so an unknown email and a wrong code look and take the same), and answers 303
with ``Location`` set to a presigned URL minted for that request. The URL goes to the browser in
that header and nowhere else: it is neither logged, stored nor shown.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import math
import secrets
from datetime import UTC, datetime
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from hackathon_studio.portal.config import PortalConfig, check
from hackathon_studio.portal.store import PortalStore, Window, error_code, window

HERE = Path(__file__).resolve().parent
LOG = logging.getLogger("hackathon_studio.portal")
MAX_EMAIL, MAX_CODE = 254, 64  # RFC 5321's longest address; far more than a code's 14 characters
# botocore logs response bodies at DEBUG: with it, the presigned URL would reach the log. The
# portal's own verbosity never goes below INFO for these libraries.
QUIET_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")
templates = Jinja2Templates(directory=str(HERE / "templates"))


@dataclasses.dataclass
class Outcome:
    kind: str  # success, refused, limited, closed, unavailable
    url: str | None = dataclasses.field(default=None, repr=False)
    retry_at: float | None = None
    window: Window | None = None
    team: str | None = None


class SecurityHeaders:
    """Security headers on every answer (pure ASGI: it sees redirects and errors too)."""

    def __init__(self, app, tls: bool):
        self.app = app
        self.headers = {
            "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cache-Control": "no-store",
        }
        if tls:
            self.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token(request) -> str:
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(32)
    return request.session["csrf"]


def page(request, template: str, status: int = 200, headers=None, **context) -> Response:
    config = request.app.state.config
    context = {"title": config.title, "message": config.message, **context}
    return templates.TemplateResponse(request, template, context, status_code=status, headers=headers)


def login_page(request, status: int = 200, email: str = "", error: str | None = None) -> Response:
    return page(request, "login.html", status, csrf_token=csrf_token(request), email=email, error=error)


def closed_page(request, state: Window, status: int) -> Response:
    if state.opens:
        text = f"The portal opens on {state.opens.astimezone(UTC):%A %d %B %Y at %H:%M} UTC. Come back then."
    elif state.ended:
        text = "The event has ended: the portal is closed."
    else:
        text = "This portal is closed: the event is over."
    return page(request, "message.html", status, heading="The portal is not open", text=text)


def attempt(store: PortalStore, config: PortalConfig, email: str, code: str, client: str) -> Outcome:
    """One login attempt, from the event's window to the URL; every outcome audited."""
    configs = store.configs()
    state = window(configs, store.clock())
    if not state.open:
        outcome = Outcome("closed", window=state)
    else:
        retry_at = store.hit("address", client, config.address_limit) or store.hit(
            "participant", email or "-", config.participant_limit
        )
        if retry_at:
            outcome = Outcome("limited", retry_at=retry_at)
        elif not store.verify(email, code):
            outcome = Outcome("refused")
        else:
            outcome = open_space(store, email, configs)
    store.audit(email, client, outcome.kind)
    LOG.info("login %s for %s from %s", outcome.kind, email or "-", client)
    return outcome


def open_space(store: PortalStore, email: str, configs: list) -> Outcome:
    participant = store.participant(email)
    if not participant or not participant.get("user_profile"):
        LOG.warning("%s has a valid code but no user profile in the registry", email)
        return Outcome("unavailable")
    try:
        url = store.presigned_url(participant, configs)
    except ClientError as exc:  # one line, the code only: the answer never carries a URL anyway
        LOG.warning("could not open the space of %s: CreatePresignedDomainUrl %s", email, error_code(exc))
        return Outcome("unavailable")
    return Outcome("success", url=url, team=participant.get("team"))


async def home(request) -> Response:
    store = request.app.state.store
    state = await run_in_threadpool(lambda: window(store.configs(), store.clock()))
    return login_page(request) if state.open else closed_page(request, state, 200)


async def login(request) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    expected = request.session.get("csrf", "")
    given = str(form.get("csrf_token", ""))
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        text = "This form has expired or did not come from this page. Open the login page again and retry."
        return page(request, "message.html", 403, heading="Please try again", text=text, back=True)
    email = str(form.get("email", "")).strip()[:MAX_EMAIL]
    code = str(form.get("code", ""))[:MAX_CODE]
    client = request.client.host if request.client else "unknown"
    state = request.app.state
    outcome = await run_in_threadpool(attempt, state.store, state.config, email.lower(), code, client)
    if outcome.kind == "success":
        return Response(status_code=303, headers={"Location": outcome.url})
    if outcome.kind == "refused":
        error = "That email and code do not match. Check both, or ask an organizer for a new code."
        return login_page(request, 401, email=email, error=error)
    if outcome.kind == "limited":
        wait = max(1, math.ceil(outcome.retry_at - state.store.clock()))
        when = datetime.fromtimestamp(outcome.retry_at, UTC)
        text = f"Too many attempts. Try again at {when:%H:%M} UTC (in {math.ceil(wait / 60)} min)."
        return page(request, "message.html", 429, {"Retry-After": str(wait)}, heading="Please wait", text=text)
    if outcome.kind == "closed":
        return closed_page(request, outcome.window, 403)
    text = "Your space cannot be opened right now. Try again in a minute, or ask an organizer."
    return page(request, "message.html", 503, heading="Not available", text=text, back=True)


async def failure(request, exc) -> Response:
    """An AWS or internal error: a page without details (they stay in the log, without any URL)."""
    LOG.error("request failed: %s", error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__)
    text = "The portal cannot reach the event's registry right now. Try again in a minute."
    return page(request, "message.html", 503, heading="Not available", text=text, back=True)


def create_app(config: PortalConfig, store: PortalStore | None = None) -> Starlette:
    check(config)
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))
    middleware = [
        Middleware(SecurityHeaders, tls=config.tls),
        Middleware(
            SessionMiddleware,
            secret_key=config.secret(),
            session_cookie="__Host-studio_portal" if config.tls else "studio_portal",
            max_age=None,  # a browser-session cookie: it holds only the CSRF token
            same_site="strict",
            https_only=config.tls,
        ),
    ]
    routes = [
        Route("/", home, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    handlers = {ClientError: failure, BotoCoreError: failure, 500: failure}
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
    app.state.config = config
    app.state.store = store or PortalStore(config)
    return app
