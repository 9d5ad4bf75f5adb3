"""Injected faults: latency, per-action throttling, server errors, and apps that fail or hang."""

from __future__ import annotations

import random
import threading
import time

from .errors import ApiError

FAULT_KEYS = {
    "latency_ms",
    "jitter_ms",
    "throttle",
    "error_rate",
    "lost_response_rate",
    "fail_next_apps",
    "stuck_next_apps",
    "fail_next_deletes",
}
COUNTS = ("fail_next_apps", "stuck_next_apps", "fail_next_deletes")


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


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
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

    def configure(self, body: dict) -> None:
        """Apply a /_emulator/faults body; ``{}`` clears every fault. Raises ValueError on bad input."""
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        unknown = set(body) - FAULT_KEYS
        if unknown:
            raise ValueError(f"unknown fault(s) {sorted(unknown)}; known: {sorted(FAULT_KEYS)}")
        if not body:
            self.clear()
            return
        rules = _throttle_rules(body.get("throttle"))
        checked = {
            key: _number(body, key, 0, 1 if key.endswith("_rate") else None)
            for key in FAULT_KEYS - {"throttle"}
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
            }

    def before_request(self, action: str) -> None:
        """Sleep the injected latency, then raise a throttling or server error if one is due."""
        with self._lock:
            delay = self.latency_ms + (random.uniform(-self.jitter_ms, self.jitter_ms) if self.jitter_ms else 0)
            throttled = False
            rule = next((r for r in self.rules if r.get("actions") is None or action in r["actions"]), None)
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

    def next_delete_fails(self) -> bool:
        """Whether a newly started deletion of a space or user profile ends Delete_Failed (injected)."""
        with self._lock:
            if self.fail_next_deletes > 0:
                self.fail_next_deletes -= 1
                return True
            return False
