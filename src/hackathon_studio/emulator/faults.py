"""Injected faults: latency, per-action throttling, server errors, apps that fail or hang, denied actions.

Throttle rules and deny_actions name SageMaker's actions bare (``ListSpaces``) and DynamoDB's with
their IAM prefix (``dynamodb:Query``); dynamodb.py applies the faults to DynamoDB.
"""

from __future__ import annotations

import functools
import json
import random
import threading
import time
import urllib.parse

import botocore.session

from .errors import ApiError
from .iam import sagemaker_resource

FAULT_KEYS = {
    "latency_ms",
    "jitter_ms",
    "throttle",
    "error_rate",
    "lost_response_rate",
    "fail_next_apps",
    "stuck_next_apps",
    "fail_next_deletes",
    "fail_next_profiles",
    "fail_next_spaces",
    "update_fail_next",
    "stop_apps_after_next_lists",
    "empty_pages_rate",
    "deny_actions",
    "dynamodb_unprocessed_rate",
}
COUNTS = (
    "fail_next_apps",
    "stuck_next_apps",
    "fail_next_deletes",
    "fail_next_profiles",
    "fail_next_spaces",
    "update_fail_next",
    "stop_apps_after_next_lists",
)


class TokenBucket:
    """``rps`` tokens a second, at most ``burst`` saved up; one token per request."""

    def __init__(self, rps: float, burst: int):
        self.rps = rps
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rps)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def _number(body: dict, key: str, low: float, high: float | None = None) -> float:
    value = body[key]
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or value < low
        or (high is not None and value > high)
    ):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{key} must be a number {bound}, got {value!r}")
    return value


def _throttle_rules(throttle) -> list[dict]:
    """One rule or a list of them; an action takes the first rule that names it (``actions: null`` names all)."""
    if throttle is None:
        return []
    rules = throttle if isinstance(throttle, list) else [throttle]
    for rule in rules:
        if not isinstance(rule, dict) or not {"rps", "burst"} <= set(rule) or set(rule) - {"rps", "burst", "actions"}:
            raise ValueError('throttle must be {"rps": x, "burst": n, "actions": [...] or null}, or a list of those')
        _number(rule, "rps", 0.001)
        _number(rule, "burst", 1)
        actions = rule.get("actions")
        if actions is not None and not (isinstance(actions, list) and all(isinstance(a, str) for a in actions)):
            raise ValueError("throttle.actions must be a list of action names or null")
    return rules


def _names(rule: dict, action: str) -> bool:
    """Whether a throttle rule covers ``action``. ``actions: null`` covers SageMaker's and the tagging API's,
    not DynamoDB's: an on-demand table takes thousands of requests a second (a new one 4,000 write
    request units, developer guide), far above the control-plane rates such a rule stands for."""
    if rule.get("actions") is None:
        return not action.startswith("dynamodb:")
    return action in rule["actions"]


# The IAM prefix of each service the emulator answers, and its botocore name; a bare action name is
# SageMaker's. The Resource Groups Tagging API's IAM prefix is ``tag`` (Service Authorization Reference).
BOTOCORE_NAMES = {
    "sagemaker": "sagemaker",
    "dynamodb": "dynamodb",
    "sts": "sts",
    "tag": "resourcegroupstaggingapi",
    "ses": "ses",
}
DENIABLE_SERVICES = tuple(BOTOCORE_NAMES)
# The principal named in AccessDenied messages: the emulator has no identities, so a fixed role session.
PRINCIPAL = "arn:aws:sts::{account}:assumed-role/studio-organizer/studio-emulator"


@functools.cache
def _operations(service: str) -> dict:
    """lower-case operation name -> its botocore name; IAM matches action names case-insensitively."""
    names = botocore.session.get_session().get_service_model(BOTOCORE_NAMES[service]).operation_names
    return {name.lower(): name for name in names}


def _deny_actions(actions) -> list[str]:
    """``["ListSpaces", "dynamodb:Query", ...]`` as sorted ``service:Operation`` names; unknown ones refused."""
    if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
        raise ValueError(
            'deny_actions must be a list of action names, e.g. ["ListSpaces", "dynamodb:Query", "tag:GetResources"]'
        )
    denied = set()
    for action in actions:
        service, _, name = action.rpartition(":")
        service = service.lower() or "sagemaker"
        if service not in DENIABLE_SERVICES:
            raise ValueError(f"deny_actions: {action!r} is not an action of {', '.join(DENIABLE_SERVICES)}")
        operation = _operations(service).get(name.lower())
        if operation is None:
            raise ValueError(f"deny_actions: {service} has no action {name!r}")
        denied.add(f"{service}:{operation}")
    return sorted(denied)


def _resource(service: str, operation: str, body: bytes, region: str, account: str) -> str:
    try:
        params = dict(urllib.parse.parse_qsl(body.decode("utf-8"))) if service == "sts" else json.loads(body or b"{}")
    except ValueError:
        params = {}
    if not isinstance(params, dict):
        params = {}
    if service == "sagemaker":
        return sagemaker_resource(operation, params, region, account)
    if service == "dynamodb":
        table = params.get("TableName") or next(iter(params.get("RequestItems") or {}), None) or "*"
        return f"arn:aws:dynamodb:{region}:{account}:table/{table}"
    if service == "sts":
        return params.get("RoleArn") or "*"
    return "*"  # tag:GetResources has no resource type in the Service Authorization Reference


class Faults:
    def __init__(self, baseline: dict | None = None):
        """``baseline``: the faults of the emulator's profile (its throttle), which a clear restores."""
        self._lock = threading.Lock()
        self.baseline = dict(baseline or {})
        self.clear()

    def clear(self) -> None:
        """Back to the profile's faults: its throttle, nothing else."""
        with self._lock:
            self.latency_ms = 0.0
            self.jitter_ms = 0.0
            self.throttle: dict | list | None = None
            self.rules: list[dict] = []
            self.buckets: dict[str, TokenBucket] = {}
            self.error_rate = 0.0
            self.lost_response_rate = 0.0
            self.fail_next_apps = 0
            self.stuck_next_apps = 0
            self.fail_next_deletes = 0
            self.fail_next_profiles = 0  # user profile creations that end Failed
            self.fail_next_spaces = 0  # space creations that end Failed
            self.update_fail_next = 0  # user profile or space updates that end Update_Failed
            self.stop_apps_after_next_lists = 0  # ListApps calls after which the apps they listed stop
            self.empty_pages_rate = 0.0  # the share of List* pages that come back empty with a NextToken
            self.deny_actions: list[str] = []
            self.dynamodb_unprocessed_rate = 0.0  # the share of a BatchWriteItem handed back unprocessed
        if self.baseline:
            self.configure(self.baseline)

    def configure(self, body: dict) -> None:
        """Apply a /_emulator/faults body; ``{}`` goes back to the profile's faults. Raises ValueError on bad input."""
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        unknown = set(body) - FAULT_KEYS
        if unknown:
            raise ValueError(f"unknown fault(s) {sorted(unknown)}; known: {sorted(FAULT_KEYS)}")
        if not body:
            self.clear()
            return
        rules = _throttle_rules(body.get("throttle"))
        denied = _deny_actions(body["deny_actions"]) if "deny_actions" in body else None
        checked = {
            key: _number(body, key, 0, 1 if key.endswith("_rate") else None)
            for key in FAULT_KEYS - {"throttle", "deny_actions"}
            if key in body
        }
        for key in COUNTS:
            if key in checked and checked[key] != int(checked[key]):
                raise ValueError(f"{key} must be a whole number, got {checked[key]!r}")
        with self._lock:
            for key, value in checked.items():
                setattr(self, key, int(value) if key in COUNTS else float(value))
            if "throttle" in body:
                self.throttle = body["throttle"]
                self.rules = rules
                self.buckets = {}
            if denied is not None:
                self.deny_actions = denied

    def describe(self) -> dict:
        with self._lock:
            return {
                "latency_ms": self.latency_ms,
                "jitter_ms": self.jitter_ms,
                "throttle": self.throttle,
                "error_rate": self.error_rate,
                "lost_response_rate": self.lost_response_rate,
                "fail_next_apps": self.fail_next_apps,
                "stuck_next_apps": self.stuck_next_apps,
                "fail_next_deletes": self.fail_next_deletes,
                "fail_next_profiles": self.fail_next_profiles,
                "fail_next_spaces": self.fail_next_spaces,
                "update_fail_next": self.update_fail_next,
                "stop_apps_after_next_lists": self.stop_apps_after_next_lists,
                "empty_pages_rate": self.empty_pages_rate,
                "deny_actions": list(self.deny_actions),
                "dynamodb_unprocessed_rate": self.dynamodb_unprocessed_rate,
            }

    def check_allowed(self, service: str, operation: str, body: bytes, region: str, account: str) -> None:
        """Raise AWS's AccessDenied if ``service:operation`` is denied (deny_actions) for this request.

        The message is AWS's, for a principal no identity-based policy allows the action; the error
        is ``AccessDeniedException`` (HTTP 400) in the JSON protocols of SageMaker, DynamoDB and tagging, and
        ``AccessDenied`` (HTTP 403) in STS's query protocol.
        """
        action = f"{service}:{operation}"
        with self._lock:
            if action not in self.deny_actions:
                return
        resource = _resource(service, operation, body, region, account)
        message = (
            f"User: {PRINCIPAL.format(account=account)} is not authorized to perform: {action} on resource: "
            f"{resource} because no identity-based policy allows the {action} action"
        )
        if service in ("sts", "ses"):  # the query protocol's error
            raise ApiError("AccessDenied", message, 403)
        raise ApiError("AccessDeniedException", message, 400)

    def before_request(self, action: str) -> None:
        """Sleep the injected latency, then raise a throttling or server error if one is due."""
        with self._lock:
            delay = self.latency_ms + (random.uniform(-self.jitter_ms, self.jitter_ms) if self.jitter_ms else 0)
            throttled = False
            rule = next((r for r in self.rules if _names(r, action)), None)
            if rule:
                bucket = self.buckets.get(action)
                if bucket is None:
                    bucket = self.buckets[action] = TokenBucket(rule["rps"], int(rule["burst"]))
                throttled = not bucket.take()
            failing = self.error_rate and random.random() < self.error_rate
        if delay > 0:
            time.sleep(delay / 1000.0)
        if throttled:
            raise ApiError("ThrottlingException", "Rate exceeded")
        if failing:
            if random.random() < 0.5:
                raise ApiError("InternalFailure", "We encountered an internal error. Please try again.")
            raise ApiError("ServiceUnavailable", "Service is temporarily unavailable. Please try again.")

    def after_request(self, action: str) -> None:
        """Raise a server error for a request already carried out, as when its response is lost."""
        with self._lock:
            lost = self.lost_response_rate and random.random() < self.lost_response_rate
        if lost:
            raise ApiError("InternalFailure", "We encountered an internal error. Please try again.")

    def next_app_outcome(self) -> str:
        """What a newly created app does: 'InService' normally, 'Failed' or 'Pending' (stuck) when injected."""
        with self._lock:
            if self.fail_next_apps > 0:
                self.fail_next_apps -= 1
                return "Failed"
            if self.stuck_next_apps > 0:
                self.stuck_next_apps -= 1
                return "Pending"
            return "InService"

    def next_list_stops_apps(self) -> bool:
        """Whether the apps this ListApps call lists stop (Deleted) right after it answers (injected race)."""
        return self._take("stop_apps_after_next_lists")

    def _take(self, counter: str) -> bool:
        """Whether the fault counted by ``counter`` is due now; if so, count it down."""
        with self._lock:
            if getattr(self, counter) > 0:
                setattr(self, counter, getattr(self, counter) - 1)
                return True
            return False

    def next_delete_fails(self) -> bool:
        """Whether a newly started deletion of a space or user profile ends Delete_Failed (injected)."""
        return self._take("fail_next_deletes")

    def next_create_fails(self, kind: str) -> bool:
        """Whether a newly created user profile (``kind`` "user_profile") or space ends Failed (injected)."""
        return self._take("fail_next_profiles" if kind == "user_profile" else "fail_next_spaces")

    def next_update_fails(self) -> bool:
        """Whether a newly started update of a user profile or space ends Update_Failed (injected)."""
        return self._take("update_fail_next")

    def page_comes_back_empty(self) -> bool:
        """Whether this List* page is answered empty with a NextToken (injected, at empty_pages_rate)."""
        with self._lock:
            return bool(self.empty_pages_rate) and random.random() < self.empty_pages_rate
