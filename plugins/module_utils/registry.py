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

import time

try:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
    from botocore.exceptions import ClientError
except ImportError:  # AnsibleAWSModule reports a missing boto3
    TypeDeserializer = TypeSerializer = None
    ClientError = Exception

from ansible_collections.hackathon.studio.plugins.module_utils.api import error_code

CONFIG_KEY = "config"
PARTICIPANT_PREFIX = "participant#"
PARTICIPANT_FIELDS = ("email", "team", "user_profile", "space", "domain_id")
# The identity (name and creation time) of each resource the event created: what proves it the
# event's in teardown and prune without reading its tags (see scope.py).
RESOURCE_PREFIX = "resource#"
RESOURCE_KINDS = ("user_profiles", "spaces")
BATCH = 25


class RegistryError(Exception):
    """The table did not do what was asked in time (not ACTIVE, writes left unprocessed)."""


def _serialize(item: dict) -> dict:
    serializer = TypeSerializer()
    return {k: serializer.serialize(v) for k, v in item.items() if v is not None}


def _deserialize(item: dict) -> dict:
    deserializer = TypeDeserializer()
    return {k: deserializer.deserialize(v) for k, v in item.items()}


class Registry:
    def __init__(self, client, table: str, event: str, domain_id=None, check_mode: bool = False, sleep=time.sleep):
        self.client = client
        self.table = table
        self.event = event
        self.domain_id = domain_id
        self.config_key = f"{CONFIG_KEY}#{domain_id}" if domain_id else CONFIG_KEY
        self.check_mode = check_mode
        self.sleep = sleep
        self.resources: dict = {}  # item key -> recorded resource, as the last read found them
        self.resource_prefix = f"{RESOURCE_PREFIX}{domain_id or ''}#"

    # ----- the table ---------------------------------------------------------------------------
    def describe_table(self) -> dict | None:
        try:
            return self.client.describe_table(TableName=self.table)["Table"]
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise

    def ensure_table(self, tags: dict, timeout: float = 300) -> bool:
        """Create the table if it is missing (on-demand billing, tagged); True if it was created."""
        table = self.describe_table()
        if table is not None:
            return False
        if self.check_mode:
            return True
        self.client.create_table(
            TableName=self.table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": "event", "AttributeType": "S"},
                {"AttributeName": "item", "AttributeType": "S"},
            ],
            KeySchema=[{"AttributeName": "event", "KeyType": "HASH"}, {"AttributeName": "item", "KeyType": "RANGE"}],
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )
        deadline = time.monotonic() + timeout
        while (self.describe_table() or {}).get("TableStatus") != "ACTIVE":
            if time.monotonic() > deadline:
                raise RegistryError(f"registry table {self.table} was not ACTIVE after {timeout} s")
            self.sleep(1)
        return True

    def delete_table(self) -> bool:
        if self.describe_table() is None:
            return False
        if not self.check_mode:
            self.client.delete_table(TableName=self.table)
        return True

    # ----- the event's items -------------------------------------------------------------------
    def read(self) -> tuple[dict | None, dict]:
        """(configuration or None, lower-case email -> participant) of this event (and domain, if set);
        the recorded resources go to ``self.resources``."""
        self.resources = {}
        if self.describe_table() is None:
            return None, {}
        config, participants = None, {}
        params = {
            "TableName": self.table,
            "KeyConditionExpression": "#e = :e",
            "ExpressionAttributeNames": {"#e": "event"},
            "ExpressionAttributeValues": {":e": {"S": self.event}},
            "ConsistentRead": True,
        }
        while True:
            page = self.client.query(**params)
            for raw in page.get("Items", []):
                item = _deserialize(raw)
                key = item.pop("item")
                item.pop("event", None)
                if key == self.config_key:
                    config = item.get("config", {})
                elif key.startswith(PARTICIPANT_PREFIX) and self.domain_id in (None, item.get("domain_id")):
                    participants[key[len(PARTICIPANT_PREFIX) :]] = item
                elif key.startswith(RESOURCE_PREFIX) and (
                    self.domain_id is None or key.startswith(self.resource_prefix)
                ):
                    self.resources[key] = item
            if "LastEvaluatedKey" not in page:
                return config, participants
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _write(self, requests: list) -> None:
        for start in range(0, len(requests), BATCH):
            pending = {self.table: requests[start : start + BATCH]}
            for attempt in range(10):
                unprocessed = self.client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
                if not unprocessed:
                    break
                pending = unprocessed
                self.sleep(min(5.0, 0.1 * 2**attempt))
            else:
                raise RegistryError(f"DynamoDB left {len(pending[self.table])} registry writes unprocessed")

    def _put(self, key: str, item: dict) -> dict:
        return {"PutRequest": {"Item": _serialize({**item, "event": self.event, "item": key})}}

    def _delete(self, key: str) -> dict:
        return {"DeleteRequest": {"Key": {"event": {"S": self.event}, "item": {"S": key}}}}

    def recorded(self) -> dict:
        """The recorded resources by kind, as the resource modules' O(recorded) takes them."""
        found = {kind: [] for kind in RESOURCE_KINDS}
        for item in self.resources.values():
            found[item["kind"]].append({"name": item["name"], "creation_time": item["creation_time"]})
        return {kind: sorted(records, key=lambda r: r["name"]) for kind, records in found.items()}

    def _resource_requests(self, resources: list, prune: bool) -> list:
        """Puts for new or changed records and, with prune, deletes for the records not listed."""
        wanted = {}
        for resource in resources:
            item = {k: resource[k] for k in ("kind", "name", "creation_time")}
            if self.domain_id:
                item["domain_id"] = self.domain_id
            wanted[f"{self.resource_prefix}{item['kind']}#{item['name']}"] = item
        requests = [self._put(key, item) for key, item in wanted.items() if self.resources.get(key) != item]
        if prune:
            requests += [self._delete(key) for key in self.resources if key not in wanted]
        return requests

    def sync(self, config: dict | None, participants: list | None, prune: bool, resources: list | None = None) -> dict:
        """Make the event's items match; returns what changed (or would, in check mode)."""
        current_config, current = self.read()
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
        if requests and not self.check_mode:
            self._write(requests)
        return changes

    def remove_event(self) -> int:
        """Delete every item of this event; returns how many there were."""
        config, participants = self.read()
        keys = [PARTICIPANT_PREFIX + email for email in participants] + (
            [self.config_key] if config is not None else []
        )
        keys += list(self.resources)
        if keys and not self.check_mode:
            self._write([self._delete(key) for key in keys])
        return len(keys)
