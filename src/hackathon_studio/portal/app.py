"""The participant portal: an email and a code in, a presigned URL into their team's space out.

``GET /`` shows the login form (or when the portal opens, or that it has closed); ``POST /login``
checks the CSRF token, the event's window and the rate limits, verifies the code (always one
argon2 verification, so an unknown email and a wrong code look and take the same), and answers 303
with ``Location`` set to a presigned URL minted for that request. The URL goes to the browser in
that header and nowhere else: it is neither logged, stored nor shown.

The code is an access code (``auth`` has ``codes``) or a 6-digit code sent by email (``email``):
``POST /login`` with an email and no code asks for one. That answer is the same, and takes about
as long, whether the email is registered or not: the request only makes and stores a code (its
hash); whether to mail it is decided after the answer has gone, in a background task.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import math
import re
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from hackathon_studio.portal.config import PortalConfig, check
from hackathon_studio.portal.mail import code_message
from hackathon_studio.portal.pacing import Busy, Pacer
from hackathon_studio.portal.store import PortalStore, Window, access_codes, error_code, window

HERE = Path(__file__).resolve().parent
LOG = logging.getLogger("hackathon_studio.portal")
MAX_EMAIL, MAX_CODE = 254, 64  # RFC 5321's longest address; far more than a code's 14 characters
# botocore logs response bodies at DEBUG: with it, the presigned URL would reach the log. The
# portal's own verbosity never goes below INFO for these libraries.
QUIET_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")
EMAILED_CODE = re.compile(r"[0-9]{6}")
THROTTLED = {"ThrottlingException", "Throttling", "TooManyRequestsException"}
SENT, NOT_REGISTERED, SEND_FAILED = access_codes.DELIVERY_OUTCOMES  # which status counts as no login
templates = Jinja2Templates(directory=str(HERE / "templates"))


@dataclasses.dataclass
class Outcome:
    # success, refused, limited, locked, closed, busy, unavailable; verified (the code, before the URL);
    # sent (a code was made for email)
    kind: str
    url: str | None = dataclasses.field(default=None, repr=False)
    code: str | None = dataclasses.field(default=None, repr=False)  # the emailed code, for the mail only
    retry_at: float | None = None
    window: Window | None = None
    team: str | None = None
    participant: dict | None = None  # verified: whose space to open
    configs: list | None = None


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


def login_page(request, status: int = 200, email: str = "", error: str | None = None, stage: str = "") -> Response:
    """The form: ``stage`` "" asks for what the event's ways in need; "code" and "sent" ask for the code
    emailed to ``email`` (which the form carries), "sent" also saying that it was sent."""
    auth = request.app.state.config.auth
    return page(
        request,
        "login.html",
        status,
        csrf_token=csrf_token(request),
        email=email,
        error=error,
        stage=stage,
        codes="codes" in auth,
        emailed="email" in auth,
    )


def closed_page(request, state: Window, status: int) -> Response:
    if state.opens:
        text = f"The portal opens on {state.opens.astimezone(UTC):%A %d %B %Y at %H:%M} UTC. Come back then."
    elif state.ended:
        text = "The event has ended: the portal is closed."
    else:
        text = "This portal is closed: the event is over."
    return page(request, "message.html", status, heading="The portal is not open", text=text)


def gate(store: PortalStore, config: PortalConfig, email: str, client: str, configs: list) -> Outcome | None:
    """Closed, or limited (every attempt and every code request counts), or None to go on."""
    state = window(configs, store.clock())
    if not state.open:
        return Outcome("closed", window=state)
    retry_at = store.hit("address", client, config.address_limit) or store.hit(
        "participant", email or "-", config.participant_limit
    )
    return Outcome("limited", retry_at=retry_at) if retry_at else None


def check_code(store: PortalStore, config: PortalConfig, email: str, code: str) -> tuple:
    """("success" | "refused" | "locked", locked until): 6 digits are an emailed code when email is
    on, anything else an access code when codes is on; one argon2 verification either way."""
    digits = code.replace(" ", "")
    if "email" in config.auth and EMAILED_CODE.fullmatch(digits):
        return store.verify_emailed(email, digits)
    verified = store.verify(email, code) if "codes" in config.auth else access_codes.check_code(None, code)
    return ("success" if verified else "refused"), None


def attempt(store: PortalStore, config: PortalConfig, email: str, code: str, client: str) -> Outcome:
    """One login attempt up to its URL: "verified" goes on to open_space, which audits it; any other
    outcome is audited here."""
    configs = store.configs()
    outcome = gate(store, config, email, client, configs)
    if outcome is None:
        verdict, locked_until = check_code(store, config, email, code)
        outcome = Outcome(verdict, retry_at=locked_until)
        if verdict == "success":
            participant = store.participant(email)
            if participant and participant.get("user_profile"):
                return Outcome("verified", participant=participant, configs=configs)
            LOG.warning("%s has a valid code but no user profile in the registry", email)
            outcome = Outcome("unavailable")
    record(store, email, client, outcome)
    return outcome


def record(store: PortalStore, email: str, client: str, outcome: Outcome) -> None:
    store.audit(email, client, outcome.kind)
    LOG.info("login %s for %s from %s", outcome.kind, email or "-", client)


def request_code(store: PortalStore, config: PortalConfig, email: str, client: str) -> Outcome:
    """A new emailed code for ``email``, registered or not (the same work); audited here unless made."""
    outcome = gate(store, config, email, client, store.configs())
    if outcome is None:
        code, locked_until = store.new_emailed_code(email)
        outcome = Outcome(SENT, code=code) if code else Outcome("locked", retry_at=locked_until)
    if outcome.kind != SENT:  # a made code is audited once its mail is sent, or not (deliver)
        store.audit(email, client, outcome.kind)
        LOG.info("code request %s for %s from %s", outcome.kind, email, client)
    return outcome


def deliver(store: PortalStore, config: PortalConfig, email: str, code: str, client: str) -> None:
    """After the answer: mail the code if the email is a participant's; audit what happened."""
    try:
        participant = store.participant(email)
        if participant is None:
            outcome = NOT_REGISTERED
        else:  # to the address as registered: SES's verified identities (sandbox) are case-sensitive
            store.send_mail(participant.get("email") or email, code_message(config, code))
            outcome = SENT
    except (ClientError, BotoCoreError) as exc:  # the error's code only: never the message's text
        LOG.warning("could not email a code to %s: %s", email, failure_name(exc))
        outcome = SEND_FAILED
    store.audit(email, client, outcome)
    LOG.info("code %s for %s from %s", outcome, email, client)


def failure_name(exc: Exception) -> str:
    return error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__


async def open_space(state, verified: Outcome, email: str, client: str) -> Outcome:
    """The participant's URL, minted when the pacer gives this login its turn; a throttled call is sent
    again at the pacer's next token, until the login's deadline. Audited."""
    deadline = time.monotonic() + state.config.login_wait
    retry = False
    while True:
        try:
            await (state.pacer.again() if retry else state.pacer.turn(deadline))
            url = await run_in_threadpool(state.store.presigned_url, verified.participant, verified.configs)
            outcome = Outcome("success", url=url, team=verified.participant.get("team"))
        except Busy as busy:
            outcome = Outcome("busy", retry_at=state.store.clock() + busy.retry_after)
        except ClientError as exc:  # one line, the code only: the answer never carries a URL anyway
            retry = error_code(exc) in THROTTLED and time.monotonic() < deadline
            if retry:
                continue
            LOG.warning("could not open the space of %s: CreatePresignedDomainUrl %s", email, error_code(exc))
            outcome = Outcome("unavailable")
        await run_in_threadpool(record, state.store, email, client, outcome)
        return outcome


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
    code = str(form.get("code", "")).strip()[:MAX_CODE]
    client = request.client.host if request.client else "unknown"
    state = request.app.state
    if email and not code and "email" in state.config.auth:
        outcome = await run_in_threadpool(request_code, state.store, state.config, email.lower(), client)
        if outcome.kind == SENT:
            task = BackgroundTask(deliver, state.store, state.config, email.lower(), outcome.code, client)
            answer = login_page(request, email=email, stage="sent")
            answer.background = task
            return answer
        return refusal(request, outcome, email, emailed=True)
    outcome = await run_in_threadpool(attempt, state.store, state.config, email.lower(), code, client)
    if outcome.kind == "verified":
        outcome = await open_space(state, outcome, email.lower(), client)
    if outcome.kind == "success":
        return Response(status_code=303, headers={"Location": outcome.url})
    emailed = "email" in state.config.auth and bool(EMAILED_CODE.fullmatch(code.replace(" ", "")))
    return refusal(request, outcome, email, emailed)


def refusal(request, outcome: Outcome, email: str, emailed: bool) -> Response:
    """The page of an attempt (or code request) that did not open a space."""
    if outcome.kind == "refused" and emailed:
        error = "That code is not right, or it has expired. Check it, or ask for a new one."
        return login_page(request, 401, email=email, error=error, stage="code")
    if outcome.kind == "refused":
        error = "That email and code do not match. Check both, or ask an organizer for a new code."
        return login_page(request, 401, email=email, error=error)
    if outcome.kind in ("limited", "locked"):
        wait = max(1, math.ceil(outcome.retry_at - request.app.state.store.clock()))
        when = datetime.fromtimestamp(outcome.retry_at, UTC)
        reason = "Too many wrong codes for this email." if outcome.kind == "locked" else "Too many attempts."
        text = f"{reason} Try again at {when:%H:%M} UTC (in {math.ceil(wait / 60)} min)."
        headers = {"Retry-After": str(wait)}
        return page(
            request, "message.html", 429, headers, heading="Please wait", text=text, back=outcome.kind == "locked"
        )
    if outcome.kind == "closed":
        return closed_page(request, outcome.window, 403)
    if outcome.kind == "busy":
        wait = max(1, math.ceil(outcome.retry_at - request.app.state.store.clock()))
        text = f"Many people are logging in right now. Try again in {wait} seconds."
        return page(request, "message.html", 503, {"Retry-After": str(wait)}, heading="Please wait", text=text)
    text = "Your space cannot be opened right now. Try again in a minute, or ask an organizer."
    return page(request, "message.html", 503, heading="Not available", text=text, back=True)


async def failure(request, exc) -> Response:
    """An AWS or internal error: a page without details (they stay in the log, without any URL)."""
    LOG.error("request failed: %s", failure_name(exc))
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
    app.state.pacer = Pacer(config.presign_rate, config.presign_burst)
    return app
