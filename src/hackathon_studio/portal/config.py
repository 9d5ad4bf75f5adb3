"""The portal's settings: which event, where its registry and domain are, and how it answers.

A small object, read from a YAML or JSON file (``--config``) or built by the caller (the ``studio``
command will feed it from the inventory). Credentials are not settings: boto3's standard chain
(environment, profile, instance role) provides them.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import yaml

SESSION_SECRET_ENV = "STUDIO_PORTAL_SESSION_SECRET"
AUTH_WAYS = ("codes", "email")


class PortalConfigError(Exception):
    """A setting that is missing or wrong, told in one line."""


@dataclasses.dataclass(frozen=True)
class PortalConfig:
    event: str
    region: str
    registry_table: str = "hackathon-studio-registry"
    domain_id: str | None = None  # when the participant's item and the registry's config do not say
    endpoint_url: str | None = None
    event_name: str | None = None  # shown on the page; the event's name when unset
    message: str = ""  # the organizer's short message under the title
    tls: bool = False  # served behind TLS: Secure cookies and HSTS
    # Signs the session cookie (CSRF token). Several portal processes behind one address need the
    # same one; unset, each process makes its own (fine for one process).
    session_secret: str | None = None
    expires_in: int = 60  # seconds the presigned URL may be opened in (5-300): it is opened at once
    session_duration: int | None = None  # Studio session seconds (1800-43200); AWS's default when unset
    limit_window: int = 600  # seconds of one rate-limit window
    # attempts per client address and window: a room of 1,000 behind one NAT address logs in with a retry or
    # two each; a guess still needs a participant's tries (participant_limit), and 3,000 argon2 checks in
    # 10 minutes cost a core 8% of that time
    address_limit: int = 3000
    participant_limit: int = 10  # attempts per email and window
    forwarded_allow_ips: str | None = None  # proxies trusted for X-Forwarded-For (uvicorn's setting)
    auth: tuple = ("codes",)  # the ways in: "codes" (access codes) and/or "email" (a code sent by SES)
    email_sender: str | None = None  # the verified SES identity emailed codes come from (email mode)
    url: str | None = None  # the portal's public address, for the email; never taken from a request's Host
    # CreatePresignedDomainUrl calls a second this process sends (pacing.py): AWS does not publish the
    # action's rate; 5 a second, burst 20, is the emulator's aws profile. Several processes share it.
    presign_rate: float = 5.0
    presign_burst: int = 20
    # seconds a login may wait for its turn in an opening rush before it is told to come back
    login_wait: int = 240

    def __post_init__(self):  # a YAML list becomes a tuple: the settings stay hashable and frozen
        if isinstance(self.auth, list):
            object.__setattr__(self, "auth", tuple(self.auth))

    @property
    def title(self) -> str:
        return self.event_name or self.event

    def secret(self) -> str:
        return self.session_secret or os.environ.get(SESSION_SECRET_ENV) or os.urandom(32).hex()


def check(config: PortalConfig) -> PortalConfig:
    problems = [f"{name} is required" for name in ("event", "region") if not getattr(config, name)]
    if not 5 <= config.expires_in <= 300:
        problems.append(f"expires_in must be between 5 and 300 seconds, got {config.expires_in}")
    if config.session_duration is not None and not 1800 <= config.session_duration <= 43200:
        problems.append(f"session_duration must be between 1800 and 43200 seconds, got {config.session_duration}")
    if not 0 < config.presign_rate <= 1000:
        problems.append(f"presign_rate must be above 0 and at most 1000 a second, got {config.presign_rate}")
    if not 10 <= config.login_wait <= 600:
        problems.append(f"login_wait must be between 10 and 600 seconds, got {config.login_wait}")
    for name in ("limit_window", "address_limit", "participant_limit", "presign_burst"):
        if getattr(config, name) < 1:
            problems.append(f"{name} must be at least 1, got {getattr(config, name)}")
    auth = config.auth if isinstance(config.auth, list | tuple) else [config.auth]
    unknown = [way for way in auth if way not in AUTH_WAYS]
    if not auth or unknown:
        problems.append(f"auth must be a list of {' and/or '.join(AUTH_WAYS)}, got {list(auth)!r}")
    if "email" in auth and not config.email_sender:
        problems.append("email_sender is required when auth has email: the verified SES address codes come from")
    if problems:
        raise PortalConfigError("; ".join(problems))
    return config


def load_config(path: str | Path) -> PortalConfig:
    """The settings in a YAML (or JSON) mapping; an unknown key is an error, not ignored."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise PortalConfigError(f"cannot read the portal configuration {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise PortalConfigError(f"the portal configuration {path} is not YAML: {exc}") from None
    if not isinstance(data, dict):
        raise PortalConfigError(f"the portal configuration {path} must be a mapping of settings")
    known = {field.name for field in dataclasses.fields(PortalConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PortalConfigError(f"the portal configuration {path} has unknown settings: {', '.join(unknown)}")
    try:
        return check(PortalConfig(**data))
    except TypeError as exc:
        raise PortalConfigError(f"the portal configuration {path}: {exc}") from None
