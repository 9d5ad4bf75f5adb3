"""What the portal reads and writes: the registry (its only state) and SageMaker's presigned URLs.

Several portal processes may serve one event: every count lives in the registry, changed by
conditional updates, never in a process. Rate-limit items (``limit#<scope>#<key>#<window start>``)
count attempts per fixed window and carry ``expires_at`` (epoch seconds) for a DynamoDB TTL to
sweep; audit items (``audit#<time>#<random>``) record every login attempt. An emailed code lives in
``emailed#<email>``: its argon2id hash only, ``expires_at`` (its 10 minutes, and the TTL), the wrong
tries counted across processes, and ``locked_until`` once 5 were wrong.
"""

from __future__ import annotations

import dataclasses
import secrets
import sys
import time
from datetime import UTC, datetime

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from hackathon_studio.cli.project import COLLECTIONS

if COLLECTIONS and str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper  # noqa: E402
from ansible_collections.hackathon.studio.plugins.module_utils import access_codes  # noqa: E402
from ansible_collections.hackathon.studio.plugins.module_utils.api import error_code  # noqa: E402
from ansible_collections.hackathon.studio.plugins.module_utils.registry import (  # noqa: E402
    CONFIG_KEY,
    PARTICIPANT_PREFIX,
    RETRY,
    Registry,
    _serialize,
)

EVENT_START, EVENT_END = "studio_event_start", "studio_event_end"
EMAILED_CODE_SECONDS = 600  # an emailed code is valid 10 minutes
MAX_WRONG_TRIES = 5  # then the participant is locked out ...
LOCK_SECONDS = 900  # ... for 15 minutes


@dataclasses.dataclass
class Window:
    """Whether the event is open now; when not, when it opens (``opens``) or that it has ended."""

    open: bool
    opens: datetime | None = None
    ended: bool = False
    torn_down: bool = False


def parse_time(value) -> datetime | None:
    """An ISO 8601 time (UTC when it names no zone), or None when unset or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def window(configs: list, now: float) -> Window:
    """The event's window from its configuration items (one per domain); none means torn down."""
    if not configs:
        return Window(open=False, torn_down=True)
    starts = [t for t in (parse_time(c.get(EVENT_START)) for c in configs) if t]
    ends = [t for t in (parse_time(c.get(EVENT_END)) for c in configs) if t]
    moment = datetime.fromtimestamp(now, UTC)
    if starts and moment < min(starts):
        return Window(open=False, opens=min(starts))
    if ends and moment >= max(ends):
        return Window(open=False, ended=True)
    return Window(open=True)


class PortalStore:
    def __init__(self, config, session=None, clock=time.time):
        session = session or boto3.session.Session(region_name=config.region)
        kwargs = {"region_name": config.region, "endpoint_url": config.endpoint_url}
        dynamodb = session.client("dynamodb", **kwargs)
        self.registry = Registry(RetryingBotoClientWrapper(dynamodb, RETRY), config.registry_table, config.event)
        # One retry for a passing error; a throttled login waits its turn again in the pacer (app.py).
        retries = Config(retries={"mode": "standard", "total_max_attempts": 2})
        self.sagemaker = session.client("sagemaker", config=retries, **kwargs)
        # SES v1 (query protocol): SendEmail is all the portal needs, and the emulator's moto answers it as
        # SES does (the v2 REST API is refused there). Off the request's path, standard retries back off
        # on SES's Throttling (the sandbox's 1 a second) a few times.
        mail_retries = Config(retries={"mode": "standard", "max_attempts": 5})
        self.ses = session.client("ses", config=mail_retries, **kwargs)
        self.config = config
        self.clock = clock

    def _key(self, key: str) -> dict:
        return {"event": {"S": self.registry.event}, "item": {"S": key}}

    def configs(self) -> list:
        """The event's configuration items: ``config``, or ``config#<domain>`` for each of its domains."""
        return [item.get("config") or {} for item in access_codes.read_items(self.registry, CONFIG_KEY)]

    def participant(self, email: str) -> dict | None:
        return access_codes.get_item(self.registry, PARTICIPANT_PREFIX + email)

    def verify(self, email: str, code: str) -> bool:
        return access_codes.verify(self.registry, email, code)

    def hit(self, scope: str, key: str, limit: int) -> float | None:
        """Count one attempt for ``scope``/``key``; None if allowed, else when (epoch s) the window ends.

        One conditional update per attempt: a window's count never passes ``limit``, whichever
        process counts, and concurrent attempts cannot both take the last one.
        """
        span = self.config.limit_window
        start = int(self.clock()) // span * span
        try:
            self.registry.client.update_item(
                TableName=self.registry.table,
                Key=self._key(f"{access_codes.LIMIT_PREFIX}{scope}#{key}#{start}"),
                UpdateExpression="ADD attempts :one SET expires_at = :expires",
                ConditionExpression="attribute_not_exists(attempts) OR attempts < :limit",
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    ":expires": {"N": str(start + span)},
                },
                aws_retry=True,
            )
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            return float(start + span)
        return None

    def audit(self, email: str, client: str, outcome: str) -> None:
        now = self.clock()
        stamp = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        item = {
            "event": self.registry.event,
            "item": f"{access_codes.AUDIT_PREFIX}{stamp}#{secrets.token_hex(4)}",
            "email": email,
            "time": stamp,
            "client": client,
            "outcome": outcome,
        }
        self.registry.client.put_item(TableName=self.registry.table, Item=_serialize(item), aws_retry=True)

    def presigned_url(self, participant: dict, configs: list) -> str:
        """A URL into the participant's space, minted now for this request: returned, never kept."""
        configured = [c["domain_id"] for c in configs if c.get("domain_id")]
        domain_id = participant.get("domain_id") or self.config.domain_id or next(iter(configured), None)
        params = {
            "DomainId": domain_id,
            "UserProfileName": participant["user_profile"],
            "ExpiresInSeconds": self.config.expires_in,
        }
        if participant.get("space"):
            params["SpaceName"] = participant["space"]
        if self.config.session_duration:
            params["SessionExpirationDurationInSeconds"] = self.config.session_duration
        return self.sagemaker.create_presigned_domain_url(**params)["AuthorizedUrl"]

    # ----- emailed codes ----------------------------------------------------------------------------
    def new_emailed_code(self, email: str) -> tuple:
        """A new 6-digit code for ``email`` replacing any older one: (code, None), or (None, locked until).

        The same work for every email, registered or not (one argon2id hash, one conditional update):
        whether the email is the event's is decided off the request's path, by whoever sends the mail.
        """
        code = f"{secrets.randbelow(10**6):06d}"
        digest = access_codes.hash_code(code)
        now = self.clock()
        try:
            self._update_emailed(
                email,
                "SET #h = :h, expires_at = :e, issued_at = :t",
                {":h": {"S": digest}, ":e": {"N": str(int(now) + EMAILED_CODE_SECONDS)}, ":t": {"N": str(int(now))}},
                now,
            )
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            return None, self._locked_until(email, now)
        return code, None

    def verify_emailed(self, email: str, code: str) -> tuple:
        """("success" | "refused" | "locked", locked until): an emailed code checked, and used up if right.

        Wrong tries are counted in the item with conditional updates, so that every process shares the
        count; the fifth locks the email (registered or not) for 15 minutes and burns its code.
        """
        now = self.clock()
        item = access_codes.get_item(self.registry, access_codes.EMAILED_PREFIX + email) or {}
        if float(item.get("locked_until", 0)) > now:
            return "locked", float(item["locked_until"])
        valid = item.get("hash") if float(item.get("expires_at", 0)) > now else None
        if access_codes.check_code(valid, code) and self._use_up(email, valid):
            return "success", None
        try:
            answer = self._update_emailed(
                email,
                "ADD tries :one SET expires_at = if_not_exists(expires_at, :later)",
                {":one": {"N": "1"}, ":later": {"N": str(int(now) + LOCK_SECONDS)}},
                now,
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            return "locked", self._locked_until(email, now)
        if int(answer["Attributes"]["tries"]["N"]) < MAX_WRONG_TRIES:
            return "refused", None
        until = int(now) + LOCK_SECONDS
        self._update_emailed(
            email,
            "SET locked_until = :u, expires_at = :u, tries = :zero REMOVE #h",
            {":u": {"N": str(until)}, ":zero": {"N": "0"}},
            now,
        )
        return "locked", float(until)

    def _update_emailed(self, email: str, expression: str, values: dict, now: float, **extra) -> dict:
        """One update of the emailed-code item of ``email``, refused (ConditionalCheckFailed) while it is locked."""
        names = {"#h": "hash"} if "#h" in expression else {}
        return self.registry.client.update_item(
            TableName=self.registry.table,
            Key=self._key(access_codes.EMAILED_PREFIX + email),
            UpdateExpression=expression,
            ConditionExpression="attribute_not_exists(locked_until) OR locked_until <= :now",
            ExpressionAttributeValues={**values, ":now": {"N": str(int(now))}},
            **({"ExpressionAttributeNames": names} if names else {}),
            **extra,
            aws_retry=True,
        )

    def _use_up(self, email: str, digest: str) -> bool:
        """Take the code off its item if the item still holds it: a code opens one session, in one process."""
        try:
            self.registry.client.update_item(
                TableName=self.registry.table,
                Key=self._key(access_codes.EMAILED_PREFIX + email),
                UpdateExpression="REMOVE #h SET tries = :zero",
                ConditionExpression="#h = :h",
                ExpressionAttributeNames={"#h": "hash"},
                ExpressionAttributeValues={":h": {"S": digest}, ":zero": {"N": "0"}},
                aws_retry=True,
            )
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def _locked_until(self, email: str, now: float) -> float:
        item = access_codes.get_item(self.registry, access_codes.EMAILED_PREFIX + email) or {}
        return max(float(item.get("locked_until", 0)), now + 1)

    def send_mail(self, email: str, message: dict) -> None:
        """One message to ``email`` from the portal's sender (``message``: SES's Subject and Body)."""
        self.ses.send_email(Source=self.config.email_sender, Destination={"ToAddresses": [email]}, Message=message)
