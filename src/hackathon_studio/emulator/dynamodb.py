"""DynamoDB as AWS answers it, in front of moto: table phases, BatchWriteItem's limits, and the faults.

moto makes a table ACTIVE at once, deletes it at once, takes any number of writes in one batch and
never throttles. Here a table is CREATING, then ACTIVE, and DELETING, then gone, for times scaled by
the emulator's time scale; a BatchWriteItem over AWS's limits is refused; the faults (latency,
throttle, error_rate, lost_response_rate, dynamodb_unprocessed_rate) reach every DynamoDB call.
Throttle rules and deny_actions name DynamoDB's actions alike: ``dynamodb:Query``.
"""

from __future__ import annotations

import base64
import functools
import json
import random
import threading
import time
import uuid
import zlib

from werkzeug.wrappers import Response

from .errors import ApiError

ERROR_TYPE_PREFIX = "com.amazonaws.dynamodb.v20120810#"
CONTENT_TYPE = "application/x-amz-json-1.0"
# Seconds a table stays CREATING or DELETING, multiplied by the time scale. AWS documents no duration;
# an on-demand table without indexes typically turns ACTIVE, or disappears, within seconds.
DURATIONS = {"CREATING": 10.0, "DELETING": 10.0}
MAX_BATCH_WRITE = 25  # botocore's model: BatchWriteItemRequestMap's values hold 1 to 25 requests
# Throttling messages as AWS words them: control-plane actions (developer guide, "Error handling with
# DynamoDB": ThrottlingException for CreateTable, UpdateTable, DeleteTable too rapidly), and an
# on-demand table's data-plane calls (recorded, code ThrottlingException: cowinapi/developer.cowin#151).
CONTROL_PLANE = frozenset(("CreateTable", "UpdateTable", "DeleteTable", "DescribeTable", "ListTables"))
CONTROL_THROTTLED = "Rate of requests exceeds the allowed throughput."
DATA_THROTTLED = (
    "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your "
    "table or index so please try again shortly. If exceptions persist, check if you have a hot key: "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
)
# DynamoDB's 5xx (developer guide, "Error handling with DynamoDB"): InternalServerError and ServiceUnavailable.
SERVER_ERRORS = {
    "InternalFailure": ApiError("InternalServerError", "Internal server error", 500),
    "ServiceUnavailable": ApiError("ServiceUnavailable", "DynamoDB is currently unavailable.", 503),
}


def error_response(error: ApiError) -> Response:
    """``error`` in DynamoDB's JSON 1.0 shape: ``__type`` carries the API's namespace."""
    code = error.code if "#" in error.code else ERROR_TYPE_PREFIX + error.code
    headers = {"x-amzn-RequestId": str(uuid.uuid4()), "x-amzn-ErrorType": error.code}
    body = json.dumps({"__type": code, "message": error.message})
    return Response(body, status=error.status, headers=headers, content_type=CONTENT_TYPE)


def _set_body(response: Response, answer: dict) -> None:
    """Replace a response's JSON; DynamoDB signs its bodies with a CRC32 header that clients check."""
    response.set_data(json.dumps(answer))
    response.headers["x-amz-crc32"] = str(zlib.crc32(response.get_data()))


def _wire(value):
    """An attribute value as DynamoDB's JSON carries it: moto hands binary values over as bytes."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: _wire(member) for key, member in value.items()}
    if isinstance(value, list):
        return [_wire(member) for member in value]
    return value


def serialize_items_directly() -> None:
    """Have moto answer Query and Scan with their items written as they are, not shape by shape.

    moto's generic serializer walks botocore's model for every attribute of every item: 0.4 ms an
    item, over a second for a 3,000-item registry, where DynamoDB answers in milliseconds. The items
    are already DynamoDB's JSON but for binary values; the rest of the answer stays moto's.
    """
    from moto.core.responses import ActionResult
    from moto.dynamodb.responses import DynamoHandler

    class ItemsResult(ActionResult):
        def execute_result(self, context):
            result = dict(self.result)
            items = result.pop("Items", None)
            status, headers, body = ActionResult(result).execute_result(context)
            if items is None:  # Select COUNT
                return status, headers, body
            return status, headers, json.dumps({**json.loads(body), "Items": _wire(items)})

    def answer_items(method):
        @functools.wraps(method)
        def answer(handler):
            return ItemsResult(method(handler).result)

        answer.items_directly = True
        return answer

    if not getattr(DynamoHandler.query, "items_directly", False):  # once per process
        DynamoHandler.query = answer_items(DynamoHandler.query)
        DynamoHandler.scan = answer_items(DynamoHandler.scan)


def _tables_named(operation: str, params: dict) -> list[str]:
    if operation in ("BatchWriteItem", "BatchGetItem"):
        return list(params.get("RequestItems") or {})
    if operation == "TransactWriteItems":
        return [next(iter(item.values())).get("TableName") for item in params.get("TransactItems") or []]
    return [params["TableName"]] if isinstance(params.get("TableName"), str) else []


class DynamoDB:
    """The table phases and faults; ``moto(body) -> Response`` answers what passes."""

    def __init__(self, faults, time_scale, backend):
        self.faults = faults
        self.time_scale = time_scale  # () -> the emulator's current time scale
        self.backend = backend  # () -> moto's DynamoDB backend of the emulator's account and region
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.phases: dict[str, tuple[str, float]] = {}  # table name -> (CREATING | DELETING, due)

    def handle(self, operation: str, body: bytes, moto) -> Response:
        try:
            self._faults_before(operation)
            params = json.loads(body or b"{}")
            response = self._answer(operation, params if isinstance(params, dict) else {}, body, moto)
            self.faults.after_request("dynamodb:" + operation)
        except ApiError as error:
            return error_response(SERVER_ERRORS.get(error.code, error))
        return response

    def _faults_before(self, operation: str) -> None:
        try:
            self.faults.before_request("dynamodb:" + operation)
        except ApiError as error:
            if error.code == "ThrottlingException":
                raise ApiError(
                    error.code, CONTROL_THROTTLED if operation in CONTROL_PLANE else DATA_THROTTLED
                ) from None
            raise

    # ----- phases ------------------------------------------------------------------------------
    def _advance(self) -> None:
        """End the phases that are due: a CREATING table turns ACTIVE, a DELETING one goes."""
        now = time.time()
        with self.lock:
            due = [name for name, (_, at) in self.phases.items() if at <= now]
            for name in due:
                phase, _ = self.phases.pop(name)
                if phase == "DELETING":
                    self.backend().tables.pop(name, None)

    def _start(self, name: str, phase: str) -> None:
        with self.lock:
            self.phases[name] = (phase, time.time() + DURATIONS[phase] * self.time_scale())

    def _phase(self, name: str) -> str | None:
        with self.lock:
            return self.phases.get(name, (None, 0))[0]

    def _answer(self, operation: str, params: dict, body: bytes, moto) -> Response:
        self._advance()
        for name in _tables_named(operation, params):
            phase = self._phase(name)
            if phase is None or operation in ("DescribeTable", "CreateTable", "ListTables"):
                continue
            if operation == "DeleteTable" and phase == "DELETING":
                # API reference, DeleteTable: "If table is already in the DELETING state, no error is returned."
                return self._described(name, "TableDescription")
            if operation in ("DeleteTable", "UpdateTable"):
                # API reference, DeleteTable: a table in CREATING state answers ResourceInUseException.
                raise ApiError(
                    "ResourceInUseException",
                    f"Attempt to change a resource which is still in use: "
                    f"Table is being {'created' if phase == 'CREATING' else 'deleted'}: {name}",
                )
            # botocore's model, ResourceNotFoundException: "The resource might not be specified correctly,
            # or its status might not be ACTIVE." A DELETING table "might continue to accept" reads and
            # writes (API reference, DeleteTable): the emulator takes the stricter answer and refuses them.
            raise ApiError("ResourceNotFoundException", "Requested resource not found")
        if operation == "DeleteTable" and params.get("TableName") in self.backend().tables:
            name = self.backend().get_table(params["TableName"]).name
            self._start(name, "DELETING")
            return self._described(name, "TableDescription")
        if operation == "BatchWriteItem":
            return self._batch_write(params, moto)
        response = moto(body)
        if operation in ("CreateTable", "DescribeTable") and response.status_code == 200:
            key = "TableDescription" if operation == "CreateTable" else "Table"
            answer = json.loads(response.get_data())
            name = answer[key]["TableName"]
            if operation == "CreateTable":
                self._start(name, "CREATING")
            answer[key]["TableStatus"] = self._phase(name) or answer[key]["TableStatus"]
            _set_body(response, answer)
        return response

    def _described(self, name: str, key: str) -> Response:
        table = self.backend().describe_table(name)["Table"]
        table["TableStatus"] = self._phase(name) or table["TableStatus"]
        # moto keeps datetimes; DynamoDB's JSON carries timestamps as epoch seconds.
        return Response(json.dumps({key: table}, default=lambda v: v.timestamp()), content_type=CONTENT_TYPE)

    # ----- BatchWriteItem ----------------------------------------------------------------------
    def _check_batch(self, items: dict) -> None:
        """AWS's limits on one BatchWriteItem, which moto does not enforce."""
        for table, requests in items.items():
            if isinstance(requests, list) and len(requests) > MAX_BATCH_WRITE:
                # Recorded on AWS: dtan4/valec#46, elegantdevelopment/aws-cdk-dynamodb-seeder#3.
                raise ApiError(
                    "ValidationException",
                    f"1 validation error detected: Value '{{{table}=[...{len(requests)} requests]}}' at "
                    "'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                    "[Member must have length less than or equal to 25, Member must have length greater "
                    "than or equal to 1]",
                )
        if sum(len(r) for r in items.values() if isinstance(r, list)) > MAX_BATCH_WRITE:
            # Across tables (recorded: 99x/serverless-dynamodb-local#175).
            raise ApiError("ValidationException", "Too many items requested for the BatchWriteItem call")
        for table, requests in items.items():
            found = self.backend().tables[table]
            attrs = [a for a in (found.hash_key_attr, found.range_key_attr) if a]
            seen = set()
            for request in requests:
                item = (
                    (request.get("PutRequest") or {}).get("Item")
                    or (request.get("DeleteRequest") or {}).get("Key")
                    or {}
                )
                key = json.dumps([item.get(a) for a in attrs], sort_keys=True)
                if key in seen:  # a put and a delete of one key count too (API reference, BatchWriteItem)
                    raise ApiError("ValidationException", "Provided list of item keys contains duplicates")
                seen.add(key)

    def _batch_write(self, params: dict, moto) -> Response:
        items = params.get("RequestItems")
        if not isinstance(items, dict):
            return moto(json.dumps(params).encode())
        if any(table not in self.backend().tables for table in items):
            return moto(json.dumps(params).encode())  # moto answers the missing table
        self._check_batch(items)
        rate = self.faults.dynamodb_unprocessed_rate
        flat = [(table, request) for table, requests in items.items() for request in requests]
        held = set(random.sample(range(len(flat)), int(len(flat) * rate))) if rate else set()
        written: dict = {}
        unprocessed: dict = {}
        for index, (table, request) in enumerate(flat):
            (unprocessed if index in held else written).setdefault(table, []).append(request)
        if written:
            response = moto(json.dumps({**params, "RequestItems": written}).encode())
            if response.status_code != 200:
                return response
            answer = json.loads(response.get_data())
        else:
            response, answer = Response(content_type=CONTENT_TYPE), {"UnprocessedItems": {}}
        answer["UnprocessedItems"] = unprocessed
        _set_body(response, answer)
        return response
