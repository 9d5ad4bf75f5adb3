"""The emulator's WSGI application: SageMaker JSON 1.1, moto for DynamoDB and STS, and /_emulator/ controls."""

from __future__ import annotations

import io
import json
import os
import sys
import threading
import traceback
import urllib.parse
import uuid
from collections import Counter

from werkzeug.wrappers import Request, Response

from . import model
from .errors import ApiError
from .faults import Faults
from .studio import Studio

IMPLEMENTED = frozenset(name for name in dir(Studio) if name[:1].isupper() and model.operation(name) is not None)
MOTO_SERVICES = ("dynamodb", "sts")


def _json(body, status: int = 200, headers: dict | None = None, content_type: str = "application/json") -> Response:
    return Response(json.dumps(body), status=status, headers=headers, content_type=content_type)


def _service_of(request: Request) -> str | None:
    """The AWS service a non-SageMaker request is for, from its SigV4 credential scope or target."""
    auth = request.headers.get("Authorization", "")
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            return scope[3].lower()
    target = request.headers.get("X-Amz-Target", "")
    if target.startswith("DynamoDB"):
        return "dynamodb"
    return None


class Emulator:
    def __init__(self, region: str, account_id: str, domain_id: str, time_scale: float):
        os.environ["MOTO_ACCOUNT_ID"] = account_id  # read by moto when it is first imported
        self.region = region
        self.faults = Faults()
        self.studio = Studio(region, account_id, domain_id, time_scale, self.faults)
        self._counts_lock = threading.Lock()
        self._reset_counts()
        self._moto = None
        self._moto_lock = threading.Lock()

    # ----- counters ----------------------------------------------------------------------------
    def _reset_counts(self) -> None:
        with self._counts_lock:
            self.received, self.throttled, self.failed = Counter(), Counter(), Counter()

    def _count(self, counter: Counter, action: str) -> None:
        with self._counts_lock:
            counter[action] += 1

    def calls(self) -> dict:
        with self._counts_lock:
            return {"received": dict(self.received), "throttled": dict(self.throttled), "failed": dict(self.failed)}

    # ----- moto --------------------------------------------------------------------------------
    def moto_app(self):
        with self._moto_lock:
            if self._moto is None:
                from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

                self._moto = DomainDispatcherApplication(create_backend_app)
            return self._moto

    def reset(self) -> None:
        self.studio.reset()
        self.faults.clear()
        self._reset_counts()
        if self._moto is not None:
            from moto.moto_api._internal.models import moto_api_backend

            moto_api_backend.reset()

    # ----- WSGI --------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        target = request.headers.get("X-Amz-Target", "")
        if request.path.startswith("/_emulator/"):
            response = self.control(request)
        elif target.startswith("SageMaker."):
            response = self.sagemaker(request, target.split(".", 1)[1])
        else:
            service = _service_of(request)
            if service in MOTO_SERVICES:
                return self.forward_to_moto(request, service, environ, start_response)
            error = ApiError(
                "UnknownOperationException",
                f"studio-emulator answers SageMaker, DynamoDB and STS only, not {service or 'this request'}",
            )
            response = _json(error.body(), error.status, content_type="application/x-amz-json-1.1")
        return response(environ, start_response)

    def forward_to_moto(self, request: Request, service: str, environ, start_response):
        body = request.get_data(cache=True)
        environ["wsgi.input"] = io.BytesIO(body)  # moto reads the body again
        if service == "dynamodb":
            action = "DynamoDB." + request.headers.get("X-Amz-Target", ".").split(".", 1)[1]
        else:
            action = "STS." + urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", ["?"])[0]
        self._count(self.received, action)
        try:
            return self.moto_app()(environ, start_response)
        except NotImplementedError as exc:
            self._count(self.failed, action)
            error = ApiError("UnknownOperationException", f"{action} is not implemented: {exc}")
            return _json(error.body(), error.status)(environ, start_response)

    def sagemaker(self, request: Request, action: str) -> Response:
        headers = {"x-amzn-RequestId": str(uuid.uuid4())}
        self._count(self.received, action)
        try:
            op = model.operation(action)
            if op is None:
                raise ApiError("UnknownOperationException", f"SageMaker has no operation {action}")
            if action not in IMPLEMENTED:
                raise ApiError("UnknownOperationException", f"SageMaker.{action} is not implemented by studio-emulator")
            self.faults.before_request(action)
            try:
                params = json.loads(request.get_data() or b"{}")
            except ValueError:
                raise ApiError("SerializationException", "The request body is not valid JSON") from None
            model.validate_input(op, params)
            with self.studio.lock:
                self.studio.advance()
                result = getattr(self.studio, action)(params)
            return _json(model.output(op, result), 200, headers, "application/x-amz-json-1.1")
        except ApiError as error:
            self._count(self.throttled if error.code == "ThrottlingException" else self.failed, action)
            headers["x-amzn-ErrorType"] = error.code
            return _json(error.body(), error.status, headers, "application/x-amz-json-1.1")
        except Exception:  # a bug in the emulator: say so loudly, answer as AWS would
            traceback.print_exc(file=sys.stderr)
            self._count(self.failed, action)
            error = ApiError("InternalFailure", f"studio-emulator failed on {action}; see its stderr")
            return _json(error.body(), error.status, headers, "application/x-amz-json-1.1")

    # ----- control endpoints -------------------------------------------------------------------
    def control(self, request: Request) -> Response:
        name = request.path[len("/_emulator/") :].strip("/")
        getters = {
            "health": lambda: {"status": "ok"},
            "state": self.studio.state,
            "calls": self.calls,
            "faults": self.faults.describe,
            "config": self.studio.describe_config,
        }
        setters = {"reset": None, "faults": self.faults.configure, "config": self.studio.configure}
        if request.method == "GET" and name in getters:
            return _json(getters[name]())
        if request.method == "POST" and name in setters:
            if name == "reset":
                self.reset()
                return _json({"status": "ok"})
            try:
                body = json.loads(request.get_data() or b"{}")
                setters[name](body)
            except ValueError as exc:
                return _json({"error": str(exc)}, 400)
            return _json(getters[name]())
        if name in getters or name in setters:
            return _json({"error": f"{request.method} is not allowed on /_emulator/{name}"}, 405)
        known = sorted(set(getters) | set(setters))
        return _json({"error": f"no control endpoint /_emulator/{name}; known: {known}"}, 404)
