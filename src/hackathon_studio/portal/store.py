"""What the portal reads and writes: the registry (its only state) and SageMaker's presigned URLs.

Several portal processes may serve one event: every count lives in the registry, changed by
conditional updates, never in a process. Rate-limit items (``limit#<scope>#<key>#<window start>``)
count attempts per fixed window and carry ``expires_at`` (epoch seconds) for a DynamoDB TTL to
sweep; audit items (``audit#<time>#<random>``) record every login attempt.
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

if str(COLLECTIONS) not in sys.path:
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
        retries = Config(retries={"mode": "standard", "max_attempts": 5})
        self.sagemaker = session.client("sagemaker", config=retries, **kwargs)
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
