# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event registry: a DynamoDB table with the event's configuration and one item per participant.

Items are keyed by ``event`` (partition) and ``item`` (sort): ``config`` for the configuration and
``participant#<lower-case email>`` for each participant, so one table can hold several events and
everything of one event is read with one paginated Query. Writes go in batches of 25. An event
spread over several domains keeps a configuration per domain (``config#<domain id>``), and each
domain's run reads, writes and prunes only its own participants.
"""

from __future__ import annotations

import math
import time

try:
    from botocore.exceptions import ClientError, WaiterError
except ImportError:  # AnsibleAWSModule reports a missing boto3
    ClientError = WaiterError = Exception

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hackathon.studio.plugins.module_utils.api import error_code
from ansible_collections.hackathon.studio.plugins.module_utils.batch import run_batch, values

CONFIG_KEY = "config"
PARTICIPANT_PREFIX = "participant#"
PARTICIPANT_FIELDS = ("email", "team", "user_profile", "space", "domain_id")
# The identity (name and creation time) of each resource the event created: what proves it the
# event's in teardown and prune without reading its tags (see scope.py).
RESOURCE_PREFIX = "resource#"
RESOURCE_KINDS = ("user_profiles", "spaces")
BATCH = 25
UNPROCESSED_ATTEMPTS = 10
# Batches written at once: DynamoDB takes BatchWriteItem calls in parallel (on-demand tables scale to
# them; unprocessed items are what it hands back when it cannot), and each waits one round trip.
WRITERS = 16
CLOCK_SKEW = 5  # seconds this machine's clock may be behind AWS's, when telling whose table it is
WAIT_DELAY = 1  # seconds between DescribeTable polls: an on-demand table turns ACTIVE within seconds
# The client's retry policy (``registry_client``; calls pass
# ``aws_retry=True``): AWSRetry already retries RequestLimitExceeded, InternalFailure and
# ServiceUnavailable; DynamoDB also throttles with ThrottlingException and
# ProvisionedThroughputExceededException and fails with InternalServerError (botocore's model; the
# developer guide's "Error handling with DynamoDB").
RETRY = AWSRetry.jittered_backoff(
    retries=10,
    delay=0.5,
    max_delay=10,
    catch_extra_error_codes=["ThrottlingException", "ProvisionedThroughputExceededException", "InternalServerError"],
)


def registry_client(module):
    """The registry's DynamoDB client: RETRY, and a connection for each of WRITERS (botocore keeps 10)."""
    from botocore.config import Config  # see _serialize

    return module.client("dynamodb", retry_decorator=RETRY, config=Config(max_pool_connections=WRITERS + 4))


class RegistryError(Exception):
    """The table did not do what was asked in time (not ACTIVE, not gone, writes left unprocessed)."""


# boto3 and botocore's config are imported where they are used, not with this file: the registry_holds
# filter plans a write (Registry.plan) in each host's worker process, where importing them cost 0.26 s.
def _serialize(item: dict) -> dict:
    from boto3.dynamodb.types import TypeSerializer

    serializer = TypeSerializer()
    return {k: serializer.serialize(v) for k, v in item.items() if v is not None}


def _deserialize(item: dict) -> dict:
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {k: deserializer.deserialize(v) for k, v in item.items()}


class Registry:
    def __init__(
        self, client, table: str, event: str, domain_id=None, check_mode: bool = False, sleep=time.sleep, timeout=300
    ):
        self.client = client  # with the RETRY decorator
        self.table = table
        self.event = event
        self.domain_id = domain_id
        self.config_key = f"{CONFIG_KEY}#{domain_id}" if domain_id else CONFIG_KEY
        self.check_mode = check_mode
        self.sleep = sleep
        self.timeout = timeout  # seconds to wait for the table to turn ACTIVE or to go
        self.resources: dict = {}  # item key -> recorded resource, as the last read found them
        self.resource_prefix = f"{RESOURCE_PREFIX}{domain_id or ''}#"

    # ----- the table ---------------------------------------------------------------------------
    def describe_table(self) -> dict | None:
        try:
            return self.client.describe_table(TableName=self.table, aws_retry=True)["Table"]
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise

    def _wait(self, waiter: str) -> None:
        """Wait with botocore's ``table_exists`` (ACTIVE) or ``table_not_exists`` waiter, at most ``timeout``."""
        config = {"Delay": WAIT_DELAY, "MaxAttempts": max(1, math.ceil(self.timeout / WAIT_DELAY))}
        try:
            self.client.get_waiter(waiter).wait(TableName=self.table, WaiterConfig=config)
        except WaiterError as exc:
            last = exc.last_response or {}
            if last.get("Error", {}).get("Code", "ResourceNotFoundException") != "ResourceNotFoundException":
                raise ClientError(last, "DescribeTable") from exc  # e.g. AccessDenied: as any call's error
            status = (last.get("Table") or {}).get("TableStatus", "missing")
            goal = "ACTIVE" if waiter == "table_exists" else "gone"
            message = f"registry table {self.table} was still {status}, not {goal}, after {self.timeout} s"
            raise RegistryError(message) from None

    def _ready(self, table: dict | None = None) -> dict | None:
        """The table once it can be read and written: None if missing or DELETING; a CREATING one waited for.
        ``table``: its DescribeTable, when the caller has just made it."""
        table = table or self.describe_table()
        status = (table or {}).get("TableStatus")
        if status == "DELETING":
            return None
        if status == "CREATING":  # another run is creating it: calls on it fail until it is ACTIVE
            self._wait("table_exists")
        return table

    def ensure_table(self, tags: dict) -> bool:
        """Create the table if it is missing (on-demand billing, tagged); True if it was created.

        A DELETING table (a teardown's) is waited for until it is gone, then created anew: what setup
        asks for is a registry, and the old one's items are going with it whatever setup does.
        """
        status = (self.describe_table() or {}).get("TableStatus")
        if status == "CREATING":
            self._wait("table_exists")
        if status not in (None, "DELETING"):
            return False
        if self.check_mode:
            return True
        if status == "DELETING":
            self._wait("table_not_exists")
        asked = time.time()
        try:
            self.client.create_table(
                TableName=self.table,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[
                    {"AttributeName": "event", "AttributeType": "S"},
                    {"AttributeName": "item", "AttributeType": "S"},
                ],
                KeySchema=[
                    {"AttributeName": "event", "KeyType": "HASH"},
                    {"AttributeName": "item", "KeyType": "RANGE"},
                ],
                Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
                aws_retry=True,
            )
        except ClientError as exc:
            # A retried CreateTable whose first answer was lost, or another run's: it exists now. It is
            # this run's if it was made since this run asked (CreateTable takes no idempotency token).
            if error_code(exc) != "ResourceInUseException":
                raise
            self._wait("table_exists")
            made = (self.describe_table() or {}).get("CreationDateTime")
            return made is not None and made.timestamp() >= asked - CLOCK_SKEW

        self._wait("table_exists")
        return True

    def delete_table(self) -> bool:
        """Delete the table; False if it is missing or already DELETING (it is not waited for)."""
        table = self._ready()
        if table is None:
            return False
        if not self.check_mode:
            self.client.delete_table(TableName=self.table, aws_retry=True)
        return True

    # ----- the event's items -------------------------------------------------------------------
    def read(self, table: dict | None = None) -> tuple[dict | None, dict]:
        """(configuration or None, lower-case email -> participant) of this event (and domain, if set);
        the recorded resources go to ``self.resources``. ``table``: as for ``_ready``."""
        self.resources = {}
        if self._ready(table) is None:
            return None, {}
        config, participants = None, {}
        # Only the items read here, at once: not the portal's codes and audit trail (one item a participant).
        prefixes = (self.config_key, PARTICIPANT_PREFIX, self.resource_prefix if self.domain_id else RESOURCE_PREFIX)
        pages = values(run_batch(prefixes, lambda prefix: read_partition(self, prefix), len(prefixes)))
        for item in (item for page in pages for item in page):
            key = item.pop("item")
            item.pop("event", None)
            if key == self.config_key:
                config = item.get("config", {})
            elif key.startswith(PARTICIPANT_PREFIX) and self.domain_id in (None, item.get("domain_id")):
                participants[key[len(PARTICIPANT_PREFIX) :]] = item
            elif key.startswith(RESOURCE_PREFIX) and (self.domain_id is None or key.startswith(self.resource_prefix)):
                self.resources[key] = item
        return config, participants

    def _write(self, requests: list) -> None:
        """Write in batches of 25, WRITERS of them at once (one after another, a 1,000-participant event
        waited seconds on the registry); what DynamoDB hands back unprocessed is sent again."""
        requests = [
            {"PutRequest": {"Item": _serialize(r["PutRequest"]["Item"])}} if "PutRequest" in r else r for r in requests
        ]
        batches = [requests[start : start + BATCH] for start in range(0, len(requests), BATCH)]
        left = sum(values(run_batch(batches, self._write_batch, WRITERS)))
        if left:
            raise RegistryError(
                f"DynamoDB left {left} of {len(requests)} registry writes unprocessed "
                f"(after {UNPROCESSED_ATTEMPTS} attempts each; run it again)"
            )

    def _write_batch(self, batch: list) -> int:
        """One BatchWriteItem and its unprocessed items again, with bounded backoff; how many are left."""
        pending = {self.table: batch}
        for attempt in range(UNPROCESSED_ATTEMPTS):
            answer = self.client.batch_write_item(RequestItems=pending, aws_retry=True)
            pending = answer.get("UnprocessedItems") or {}
            if not pending:
                return 0
            self.sleep(min(5.0, 0.1 * 2**attempt))
        return len(pending[self.table])

    def _put(self, key: str, item: dict) -> dict:
        """A put of ``item`` under ``key``, its values serialized by _write."""
        return {"PutRequest": {"Item": {**item, "event": self.event, "item": key}}}

    def _delete(self, key: str) -> dict:
        return {"DeleteRequest": {"Key": {"event": {"S": self.event}, "item": {"S": key}}}}

    def recorded(self) -> dict:
        """The recorded resources by kind, as the resource modules' O(recorded) takes them."""
        found = {kind: [] for kind in RESOURCE_KINDS}
        for item in self.resources.values():
            found[item["kind"]].append({k: item[k] for k in ("name", "creation_time", "settings") if k in item})
        return {kind: sorted(records, key=lambda r: r["name"]) for kind, records in found.items()}

    def resource_key(self, kind: str, name: str) -> str:
        return f"{self.resource_prefix}{kind}#{name}"

    def _resource_requests(self, resources: list, prune: bool) -> list:
        """Puts for new or changed records and, with prune, deletes for the records not listed."""
        wanted = {}
        for resource in resources:
            item = {k: resource[k] for k in ("kind", "name", "creation_time", "settings") if resource.get(k)}
            if self.domain_id:
                item["domain_id"] = self.domain_id
            wanted[self.resource_key(item["kind"], item["name"])] = item
        requests = [self._put(key, item) for key, item in wanted.items() if self.resources.get(key) != item]
        if prune:
            requests += [self._delete(key) for key in self.resources if key not in wanted]
        return requests

    def sync(self, config: dict | None, participants: list | None, prune: bool, resources: list | None = None) -> dict:
        """Make the event's items match; returns what changed (or would, in check mode)."""
        current_config, current = self.read()
        requests, changes = self.plan(current_config, current, config, participants, prune, resources)
        if requests and not self.check_mode:
            self._write(requests)
        return changes

    def plan(self, current_config, current: dict, config, participants, prune: bool, resources) -> tuple:
        """(the writes, what they change) that make a registry holding ``current_config``, ``current``
        (lower-case email -> participant item) and ``self.resources`` match; nothing is called."""
        requests = [] if resources is None else self._resource_requests(resources, prune)
        changes = {"config": False, "added": [], "updated": [], "removed": [], "recorded": len(requests)}
        if config is not None and config != current_config:
            requests.append(self._put(self.config_key, {"config": config}))  # nested: its keys are free
            changes["config"] = True
        if participants is not None:
            wanted = {}
            for participant in participants:
                item = {k: participant[k] for k in PARTICIPANT_FIELDS if participant.get(k) is not None}
                if self.domain_id:
                    item["domain_id"] = self.domain_id
                wanted[participant["email"].lower()] = item
            for email, item in wanted.items():
                if email not in current:
                    changes["added"].append(item["email"])
                elif current[email] != item:
                    changes["updated"].append(item["email"])
                else:
                    continue
                requests.append(self._put(PARTICIPANT_PREFIX + email, item))
            if prune:
                for email, item in current.items():
                    if email not in wanted:
                        changes["removed"].append(item.get("email", email))
                        requests.append(self._delete(PARTICIPANT_PREFIX + email))
        return requests, changes

    def _domain_of(self, key: str, item: dict) -> str | None:
        """The domain an item belongs to (its ``domain_id``, or the one its key names); None: the event's."""
        if key.startswith(f"{CONFIG_KEY}#"):
            return key[len(CONFIG_KEY) + 1 :]
        if key.startswith(RESOURCE_PREFIX) and item.get("domain_id") is None:
            return key[len(RESOURCE_PREFIX) :].split("#", 1)[0] or None
        return item.get("domain_id")

    def remove_event(self) -> list:
        """Delete every item of this event (of this domain, and the event's own, with a domain set):
        participants, configuration, recorded resources, and whatever else is the event's (the portal's
        codes, rate limits and audit trail); returns their keys."""
        self.resources = {}
        if self._ready() is None:
            return []
        keys = []
        for item in read_partition(self):
            key = item["item"]
            if self.domain_id is None or self._domain_of(key, item) in (None, self.domain_id):
                keys.append(key)
        if keys and not self.check_mode:
            self._write([self._delete(key) for key in keys])
        return keys


def holds(read: dict, participants: list, resources: list, domain_id=None, prune: bool = False) -> bool:
    """Whether a registry holding what ``read`` (studio_registry_info's result for ``domain_id``) found
    already has these participants and resource records: then writing them would change nothing."""
    if not read.get("exists"):
        return False
    registry = Registry(None, "", "", domain_id)
    stored = {"domain_id": domain_id} if domain_id else {}
    for kind, records in read["recorded"].items():
        registry.resources.update(
            {registry.resource_key(kind, r["name"]): {**r, "kind": kind, **stored} for r in records}
        )
    current = {participant["email"].lower(): participant for participant in read["participants"]}
    requests = registry.plan(None, current, None, participants, prune, resources)[0]
    return not requests


def read_partition(registry: Registry, prefix: str = "") -> list:
    """Every item of the registry's event (whose key starts with ``prefix``); none when there is no table."""
    params = {
        "TableName": registry.table,
        "KeyConditionExpression": "#e = :e",
        "ExpressionAttributeNames": {"#e": "event"},
        "ExpressionAttributeValues": {":e": {"S": registry.event}},
        "ConsistentRead": True,
    }
    if prefix:  # a key condition takes no empty string
        params["KeyConditionExpression"] += " AND begins_with(#i, :p)"
        params["ExpressionAttributeNames"]["#i"] = "item"
        params["ExpressionAttributeValues"][":p"] = {"S": prefix}
    items = []
    while True:
        try:
            page = registry.client.query(**params, aws_retry=True)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return items
            raise
        items += [_deserialize(raw) for raw in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return items
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
