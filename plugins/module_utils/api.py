# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Calls to the SageMaker API: per-action pacing that learns the API's rate, retries, pagination.

One ``StudioApi`` wraps one thread-safe boto3 client and is shared by every worker of a batch.
botocore's own retries are switched off (see ``client_config``) so that throttling is handled
here, per action, the way the API throttles: each action has its own token bucket on AWS.
"""

from __future__ import annotations

import collections
import random
import re
import threading
import time

try:
    from botocore.exceptions import ClientError, ConnectionError, ReadTimeoutError
except ImportError:  # AnsibleAWSModule reports a missing botocore
    ClientError = ConnectionError = ReadTimeoutError = Exception

THROTTLE_CODES = frozenset(
    ("ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded")
)
SERVER_CODES = frozenset(("InternalFailure", "InternalServerError", "ServiceUnavailable", "InternalError"))
# A principal without the permission: SageMaker and DynamoDB (JSON) say AccessDeniedException, STS (query) AccessDenied.
ACCESS_DENIED_CODES = frozenset(("AccessDeniedException", "AccessDenied"))
# AWS names the IAM action: "User: arn:... is not authorized to perform: sagemaker:ListSpaces on resource: ..."
_NOT_AUTHORIZED = re.compile(r"not authorized to perform: ([A-Za-z0-9-]+:[A-Za-z0-9]+)")
_DENIED_MESSAGE = re.compile(r"\b(" + "|".join(sorted(ACCESS_DENIED_CODES)) + r"): .*?" + _NOT_AUTHORIZED.pattern)
MAX_THROTTLED_ATTEMPTS = 40
MAX_FAILED_ATTEMPTS = 6
PAGE_SIZE = 100


def error_code(exc: BaseException) -> str | None:
    """The AWS error code of a botocore ClientError, else None."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None


# How AWS says that a resource no longer exists, besides ResourceNotFound: a ValidationException with
# these words, as terraform-provider-aws's SageMaker finders and its app delete recognise them.
GONE_MESSAGES = (
    "RecordNotFound",  # DescribeApp, DescribeSpace
    "has already been deleted",  # DeleteApp of a Deleted app
    "previously failed and was automatically deleted",  # DeleteApp of a Failed app
    "does not exist",
)
# ListTags/AddTags of a Deleted (or Failed) app: a ValidationException with no message at all
# (aws/amazon-sagemaker-feedback#108, hashicorp/terraform-provider-aws#27265).
TAG_OPERATIONS = frozenset(("ListTags", "AddTags", "DeleteTags"))


def is_gone(exc: BaseException) -> bool:
    """Whether this error is AWS saying that the resource called about is gone (or was never there)."""
    code = error_code(exc)
    if code == "ResourceNotFound":
        return True
    if code != "ValidationException":
        return False
    message = exc.response["Error"].get("Message") or ""
    if any(words in message for words in GONE_MESSAGES):
        return True
    return not message.strip() and getattr(exc, "operation_name", None) in TAG_OPERATIONS


def error_message(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and response.get("Error"):
        return f"{response['Error'].get('Code')}: {response['Error'].get('Message')}"
    return str(exc)


def denial(exc: BaseException, service: str) -> dict | None:
    """For an access-denied error of a ``service`` call, which permission is missing; else None.

    ``{"missing_permission": "sagemaker:ListSpaces", "error_code": "AccessDeniedException",
    "operation": "ListSpaces"}``: the action AWS's message names, else the one the call needs (the
    API's operations and IAM's actions share their names for SageMaker, DynamoDB and STS).
    """
    code = error_code(exc)
    if code not in ACCESS_DENIED_CODES:
        return None
    operation = getattr(exc, "operation_name", None)
    named = _NOT_AUTHORIZED.search(exc.response["Error"].get("Message") or "")
    permission = named.group(1) if named else f"{service}:{operation or '?'}"
    return {"missing_permission": permission, "error_code": code, "operation": operation or permission.split(":")[1]}


def denial_in(message: str) -> dict | None:
    """``denial`` of an error already written as ``error_message`` writes it (a batch item's failure)."""
    found = _DENIED_MESSAGE.search(message or "")
    if found is None:
        return None
    code, permission = found.groups()
    return {"missing_permission": permission, "error_code": code, "operation": permission.split(":")[1]}


def client_config(concurrency: int):
    """botocore settings for a client shared by ``concurrency`` workers, retries left to StudioApi."""
    import botocore.config  # here, not with this file: see module_utils/registry.py, _serialize

    return botocore.config.Config(
        retries={"mode": "standard", "total_max_attempts": 1},  # one try: StudioApi.call retries
        max_pool_connections=max(10, concurrency + 4),
        connect_timeout=10,
        read_timeout=60,
    )


class Pacer:
    """Spaces the calls of one action once the API has throttled it.

    Unpaced until the first throttle. Then, at most once per congestion event (the throttles that
    several workers meet at once are one event), the rate is set just under the success rate
    achieved over the last two seconds, which is what the API's token bucket lets through; every
    success raises it a little, to find capacity that frees up. Throttled calls cost no API
    capacity, so pacing only saves wasted calls and keeps every worker's retries short.
    """

    WINDOW = 2.0  # seconds of successes that measure the achieved rate
    COOLDOWN = 1.0  # seconds during which further throttles belong to the same event
    MARGIN = 0.95
    GROWTH = 1.01
    FLOOR = 0.5  # calls per second, however hard the API throttles

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rate: float | None = None
        self.next_slot = 0.0
        self.last_cut = float("-inf")
        self.recent: collections.deque = collections.deque(maxlen=1000)

    def wait(self) -> None:
        with self.lock:
            if self.rate is None:
                return
            now = time.monotonic()
            slot = max(now, self.next_slot)
            self.next_slot = slot + 1.0 / self.rate
        if slot > now:
            time.sleep(slot - now)

    def succeeded(self) -> None:
        with self.lock:
            self.recent.append(time.monotonic())
            if self.rate is not None:
                self.rate = self.rate * self.GROWTH + 0.01

    def throttled(self) -> None:
        with self.lock:
            now = time.monotonic()
            if now - self.last_cut < self.COOLDOWN and self.rate is not None:
                return
            self.last_cut = now
            window = [stamp for stamp in self.recent if now - stamp <= self.WINDOW]
            span = max(1.0, now - window[0]) if window else 1.0
            self.rate = max(self.FLOOR, len(window) / span * self.MARGIN)
            self.next_slot = max(self.next_slot, now + 1.0 / self.rate)


class StudioApi:
    """``api.call("CreateSpace", DomainId=..., ...)`` with pacing and retries; ``api.list_all(...)``."""

    def __init__(self, client, sleep=time.sleep) -> None:
        self.client = client
        self.sleep = sleep
        self.pacers: dict[str, Pacer] = collections.defaultdict(Pacer)

    def _method(self, operation: str):
        name = "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")
        return getattr(self.client, name)

    def call(self, operation: str, **params):
        method = self._method(operation)
        pacer = self.pacers[operation]
        throttles = failures = 0
        while True:
            pacer.wait()
            try:
                result = method(**params)
            except ClientError as exc:
                code = error_code(exc)
                if code in THROTTLE_CODES and throttles < MAX_THROTTLED_ATTEMPTS:
                    throttles += 1
                    pacer.throttled()
                    continue
                if code in SERVER_CODES and failures < MAX_FAILED_ATTEMPTS:
                    failures += 1
                    self.sleep(min(5.0, 0.1 * 2**failures) * random.uniform(0.5, 1.0))
                    continue
                raise
            except (ConnectionError, ReadTimeoutError):
                if failures >= MAX_FAILED_ATTEMPTS:
                    raise
                failures += 1
                self.sleep(min(5.0, 0.1 * 2**failures) * random.uniform(0.5, 1.0))
                continue
            pacer.succeeded()
            return result

    def list_all(self, operation: str, key: str, until=None, **params) -> list:
        """Every item of a paginated List* call, a page of 100 at a time (see ``paginate``)."""
        return paginate(self.call, operation, key, until, **params)


def paginate(call, operation: str, key: str, until=None, **params) -> list:
    """Every item of a paginated call made with ``call`` (``StudioApi.call``), a page of 100 at a time;
    with ``until``, only the pages up to the one after which ``until(items so far)`` holds."""
    items: list = []
    token = None
    while True:
        page = call(operation, MaxResults=PAGE_SIZE, **params, **({"NextToken": token} if token else {}))
        items.extend(page.get(key, []))
        token = page.get("NextToken")
        if not token or (until is not None and until(items)):
            return items
