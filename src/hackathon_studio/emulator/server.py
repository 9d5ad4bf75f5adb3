"""The emulator's WSGI application: SageMaker, the tagging API's GetResources and Service Quotas'
ListServiceQuotas (JSON 1.1), moto for DynamoDB, STS, IAM and SES (behind SES's sending rules, ses.py), and
/_emulator/ controls.

It answers only requests whose ``Host`` is the address it is served on (127.0.0.1, localhost or
[::1] with its port), so that a web page cannot reach it by DNS rebinding. The /_emulator/ control
endpoints answer loopback peers only (the connection's address, not a header). Only what a real
DynamoDB, STS, IAM or SES endpoint accepts reaches moto: never moto's /moto-api admin paths.
"""

from __future__ import annotations

import datetime
import io
import ipaddress
import json
import os
import re
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from xml.sax.saxutils import escape

import botocore.session
from werkzeug.test import run_wsgi_app
from werkzeug.wrappers import Request, Response

from . import auth, dynamodb, iam, model, pricing, profiles, servicequotas, ses, tagging
from .errors import ApiError
from .faults import Faults
from .studio import Studio

IMPLEMENTED = frozenset(name for name in dir(Studio) if name[:1].isupper() and model.operation(name) is not None)
MOTO_SERVICES = ("dynamodb", "sts", "ses", "iam")
# How /_emulator/calls names the actions of a service moto answers in the query protocol.
QUERY_PREFIXES = {"sts": "STS", "ses": "SES", "iam": "IAM"}


@dataclass(frozen=True)
class Served:
    """A service the emulator answers itself, in JSON 1.1."""

    name: str  # in error messages
    botocore_name: str
    target_prefix: str
    iam_prefix: str  # deny_actions
    recorded_as: str  # the prefix of its actions in /_emulator/calls
    implemented: frozenset
    invalid_input: str  # the error code of a request that breaks the model's constraints
    throttled: str  # the error code of a throttled request (botocore's model)


SERVED = {
    "sagemaker": Served(
        name="SageMaker",
        botocore_name="sagemaker",
        target_prefix="SageMaker.",
        iam_prefix="sagemaker",
        recorded_as="",
        implemented=IMPLEMENTED,
        invalid_input="ValidationException",
        throttled="ThrottlingException",
    ),
    # botocore's model lists no ValidationException for this API: its InvalidParameterException covers a
    # malformed or out-of-range parameter; its throttling error is ThrottledException.
    tagging.SIGNING_NAME: Served(
        name="Tagging",
        botocore_name=tagging.BOTOCORE_NAME,
        target_prefix=tagging.TARGET_PREFIX,
        iam_prefix="tag",
        recorded_as="Tagging.",
        implemented=frozenset({"GetResources"}),
        invalid_input="InvalidParameterException",
        throttled="ThrottledException",
    ),
    # Studio's quotas, as Service Quotas lists them (servicequotas.py); the model's errors for a bad
    # parameter and for throttling.
    servicequotas.SIGNING_NAME: Served(
        name="Service Quotas",
        botocore_name=servicequotas.BOTOCORE_NAME,
        target_prefix=servicequotas.TARGET_PREFIX,
        iam_prefix="servicequotas",
        recorded_as="ServiceQuotas.",
        implemented=frozenset({"ListServiceQuotas"}),
        invalid_input="IllegalArgumentException",
        throttled="TooManyRequestsException",
    ),
    # Studio's instance prices, as the Price List API lists them (pricing.py).
    pricing.SIGNING_NAME: Served(
        name="Price List",
        botocore_name=pricing.BOTOCORE_NAME,
        target_prefix=pricing.TARGET_PREFIX,
        iam_prefix="pricing",
        recorded_as="Pricing.",
        implemented=frozenset(pricing.ACTIONS),
        invalid_input="InvalidParameterException",
        throttled="ThrottlingException",
    ),
}

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
NOT_JSON = object()  # a request body that does not parse


def _json(body, status: int = 200, headers: dict | None = None, content_type: str = "application/json") -> Response:
    return Response(json.dumps(body), status=status, headers=headers, content_type=content_type)


@lru_cache(maxsize=64)  # bounded: the name comes from the request
def _service_model(service: str):
    try:
        return botocore.session.get_session().get_service_model(service)
    except Exception:  # UnknownServiceError: a credential scope that is not a botocore service name
        return None


def _botocore_protocol(service: str) -> str | None:
    model = _service_model(service)
    return model.protocol if model else None


@cache
def _allowed_hosts(server_name: str, port: str) -> frozenset:
    """The Host values this server answers: its loopback names, and the address it listens on, with its port."""
    names = set(LOOPBACK_NAMES)
    if server_name not in ("", "0.0.0.0", "::"):  # a wildcard address names no host
        names.add(f"[{server_name}]" if ":" in server_name else server_name)
    hosts = {f"{name}:{port}" for name in names}
    return frozenset(hosts | names if port == "80" else hosts)


def _foreign_host(environ) -> str | None:
    """Why the request's Host is not this server's (DNS rebinding sends a foreign one), else None."""
    allowed = _allowed_hosts(environ["SERVER_NAME"], environ["SERVER_PORT"])
    if environ.get("HTTP_HOST", "").lower() in allowed:
        return None
    host = environ.get("HTTP_HOST", "(none)")[:100]
    return f"studio-emulator answers Host {', '.join(sorted(allowed))} only, not {host!r}"


def _loopback_peer(environ) -> bool:
    try:
        address = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback


def _moto_accepts(request: Request, service: str) -> bool:
    """Whether a real ``service`` endpoint would take this request: POST / in the protocol of botocore's model.

    DynamoDB is JSON 1.0 with ``X-Amz-Target: DynamoDB_20120810.<Operation>``, STS, IAM and SES (v1) the
    query protocol (a form-encoded body); SES v2's REST paths (/v2/email/...) are refused. Anything
    else, moto's /moto-api admin paths (state dump, reset, recorder writing files and replaying
    requests to a host taken from the request) above all, never reaches moto.
    """
    if request.method != "POST" or request.path != "/" or request.query_string:
        return False
    content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    target = request.headers.get("X-Amz-Target", "")
    metadata = _service_model(service).metadata
    if service == "dynamodb":
        prefix = metadata["targetPrefix"] + "."
        return target.startswith(prefix) and content_type == "application/x-amz-json-" + metadata["jsonVersion"]
    return not target and content_type == "application/x-www-form-urlencoded"


def _protocol_of(request: Request, service: str | None) -> str:
    """The wire protocol the client expects its error in: json, rest-json, query/ec2/rest-xml, or rpc-v2-cbor."""
    if request.headers.get("Smithy-Protocol", "").lower() == "rpc-v2-cbor":
        return "smithy-rpc-v2-cbor"
    if request.headers.get("X-Amz-Target"):
        return "json"
    protocol = _botocore_protocol(service) if service else None
    if protocol:
        return protocol
    if request.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        return "query"
    return "rest-xml"


def _cbor_text(text: str) -> bytes:
    data = text.encode("utf-8")
    return _cbor_head(3, len(data)) + data


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | extra]) + length.to_bytes(size, "big")
    raise ValueError("too long")


def error_response(error: ApiError, protocol: str, headers: dict | None = None) -> Response:
    """``error`` in the format a botocore client of ``protocol`` parses, so that it sees the code and message."""
    headers = {"x-amzn-RequestId": str(uuid.uuid4()), **(headers or {}), "x-amzn-ErrorType": error.code}
    if protocol in ("query", "ec2", "rest-xml"):
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(error.code)}</Code>"
            f"<Message>{escape(error.message)}</Message></Error>"
            f"<RequestId>{headers['x-amzn-RequestId']}</RequestId></ErrorResponse>"
        )
        return Response(body, status=error.status, headers=headers, content_type="text/xml")
    if protocol == "smithy-rpc-v2-cbor":
        fields = error.body()
        body = _cbor_head(5, len(fields)) + b"".join(_cbor_text(k) + _cbor_text(v) for k, v in fields.items())
        headers["Smithy-Protocol"] = "rpc-v2-cbor"
        return Response(body, status=error.status, headers=headers, content_type="application/cbor")
    content_type = "application/json" if protocol == "rest-json" else "application/x-amz-json-1.1"
    return _json(error.body(), error.status, headers, content_type)


def _service_of(request: Request) -> str | None:
    """The AWS service a request is for: from its target, else from its SigV4 credential scope.

    The target wins, so that a request scoped to another service is refused as AWS refuses it.
    """
    target = request.headers.get("X-Amz-Target", "")
    for service, served in SERVED.items():
        if target.startswith(served.target_prefix):
            return service
    if target.startswith("DynamoDB"):
        return "dynamodb"
    auth = request.headers.get("Authorization", "")
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            return scope[3].lower()
    return None


def _profile_faults(profile: str) -> dict:
    """The faults a profile starts with (and a reset or ``{}`` restores): its throttle, if any."""
    throttle = profiles.PROFILES[profile]["throttle"]
    return {} if throttle is None else {"throttle": throttle}


class Emulator:
    def __init__(
        self,
        region: str,
        account_id: str,
        domain_id: str,
        time_scale: float,
        profile: str = profiles.DEFAULT_PROFILE,
    ):
        os.environ["MOTO_ACCOUNT_ID"] = account_id  # read by moto when it is first imported
        self.region = region
        self.faults = Faults(_profile_faults(profile))
        self.studio = Studio(region, account_id, domain_id, time_scale, self.faults, profile)
        self._counts_lock = threading.Lock()
        self._reset_counts()
        self._moto = None
        self._moto_lock = threading.Lock()
        self.dynamodb = dynamodb.DynamoDB(self.faults, lambda: self.studio.time_scale, self._dynamodb_backend)
        self.ses = ses.SES(region, self._ses_backend)
        self.credentials: dict | None = None  # access key id -> secret key; None accepts any
        self.enforce_iam = False  # authorize SageMaker, tagging, Service Quotas, Pricing, IAM and DynamoDB by IAM
        self.identities = iam.Identities(account_id)

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

                dynamodb.serialize_items_directly()
                self._moto = DomainDispatcherApplication(create_backend_app)
            return self._moto

    def _dynamodb_backend(self):
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[self.studio.account_id][self.region]

    def _ses_backend(self):
        from moto.ses.models import ses_backends

        return ses_backends[self.studio.account_id][self.region]

    def _call_moto(self, environ, body: bytes) -> Response:
        """moto's answer to the request of ``environ`` with ``body`` (DynamoDB may rewrite a request)."""
        environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        app_iter, status, headers = run_wsgi_app(self.moto_app(), environ, buffered=True)
        return Response(b"".join(app_iter), status=status, headers=headers)

    def configure(self, body: dict) -> None:
        """/_emulator/config: ``credentials``, ``enforce_iam`` and SES's keys are the server's, the rest
        the Studio model's; a ``profile`` also puts the faults back to that profile's (its throttle,
        nothing else)."""
        if not isinstance(body, dict):
            self.studio.configure(body)  # refuses it
            return
        body = dict(body)
        if "enforce_iam" in body and not isinstance(body["enforce_iam"], bool):
            raise ValueError(f"enforce_iam must be true or false, got {body['enforce_iam']!r}")
        enforce = body.pop("enforce_iam", self.enforce_iam)
        if {"ses_production_access", "ses_quotas"} & set(body):
            self.ses.configure(body.pop("ses_production_access", None), body.pop("ses_quotas", None))
        credentials = body.pop("credentials", self.credentials)
        if credentials is not None:
            auth.check_credentials(credentials)
        self.studio.configure(body)
        self.credentials = credentials
        self.enforce_iam = enforce
        if "profile" in body:
            self.faults.baseline = _profile_faults(body["profile"])
            self.faults.clear()

    def describe_config(self) -> dict:
        # Secret keys are never shown, only which access keys are accepted.
        accepted = None if self.credentials is None else sorted(self.credentials)
        return {
            **self.studio.describe_config(),
            **self.ses.describe_config(),
            "credentials": accepted,
            "enforce_iam": self.enforce_iam,
        }

    def reset(self) -> None:
        self.studio.reset()
        self.credentials = None
        self.enforce_iam = False
        self.identities.reset()
        self.faults.baseline = _profile_faults(self.studio.profile)
        self.faults.clear()
        self.dynamodb.reset()
        self.ses.reset()
        self._reset_counts()
        if self._moto is not None:
            from moto.moto_api._internal.models import moto_api_backend

            moto_api_backend.reset()

    # ----- WSGI --------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        target = request.headers.get("X-Amz-Target", "")
        service = _service_of(request)
        protocol = _protocol_of(request, service)
        if request.path == "/_emulator" or request.path.startswith("/_emulator/"):
            if foreign := _foreign_host(environ):
                response = _json({"error": foreign}, 400)
            elif not _loopback_peer(environ):
                response = _json({"error": "/_emulator/ answers loopback clients only"}, 403)
            else:
                response = self.control(request)
            return response(environ, start_response)
        try:
            principal = self.admit(request, service)
        except ApiError as error:
            response = error_response(auth.for_protocol(error, protocol), protocol)
        else:
            if service in SERVED:
                response = self.serve(request, SERVED[service], target, principal)
            elif service in MOTO_SERVICES:
                return self.forward_to_moto(request, service, environ, start_response, principal)
            else:
                error = ApiError(
                    "UnknownOperationException",
                    "studio-emulator answers SageMaker, DynamoDB, STS, IAM, SES and the Resource Groups Tagging API "
                    f"only, not {service or 'this request'}",
                )
                response = error_response(error, protocol)
        return response(environ, start_response)

    def admit(self, request: Request, service: str | None) -> iam.Principal | None:
        """Raise the ApiError that refuses ``request`` before any service sees it, if one does; else
        return its IAM principal when ``enforce_iam`` is on and IAM issued its key (None: the root).

        A foreign Host; a malformed, stale or (with credentials set, or with ``enforce_iam`` and a key
        IAM issued) wrongly signed request; for DynamoDB, STS, IAM and SES, a request their real
        endpoint would not take.
        """
        if foreign := _foreign_host(request.environ):
            # AWS does not document its answer to a foreign Host; the emulator refuses it with a 400.
            raise ApiError("InvalidHostHeader", foreign)
        signature = auth.parse(request, service, self.region)
        principal = self.identities.principal(signature.access_key) if self.enforce_iam and signature else None
        if principal is not None:
            # A key IAM issued is checked with its own secret (and a session's token), so that a made-up
            # secret for a real key id cannot pass.
            if principal.token is not None and request.headers.get("X-Amz-Security-Token") != principal.token:
                raise auth.UNKNOWN_KEY
            auth.verify(request, request.get_data(cache=True), signature, {signature.access_key: principal.secret})
            if principal.expires is not None and principal.expires < datetime.datetime.now(datetime.UTC):
                raise iam.EXPIRED
        elif self.credentials is not None:
            auth.verify(request, request.get_data(cache=True), signature, self.credentials)
        if service in MOTO_SERVICES and not _moto_accepts(request, service):
            # As AWS answers an unknown operation; stricter than AWS for paths other than /, which it
            # refuses all, as the emulator cannot know which of them AWS would answer.
            raise ApiError(
                "UnknownOperationException",
                f"studio-emulator forwards to {service} only POST / in its protocol, not {request.method} "
                f"{request.path[:100]}",
            )
        return principal

    def forward_to_moto(self, request: Request, service: str, environ, start_response, principal=None):
        """Answer a DynamoDB, STS, IAM or SES request through moto, once an IAM ``principal``'s policies
        allow it (IAM and DynamoDB; STS and SES are not authorized)."""
        body = request.get_data(cache=True)
        environ["wsgi.input"] = io.BytesIO(body)  # moto reads the body again
        if service == "dynamodb":
            action = "DynamoDB." + request.headers.get("X-Amz-Target", ".").split(".", 1)[1]
        else:
            query = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            action = f"{QUERY_PREFIXES[service]}." + query.get("Action", ["?"])[0]
        self._count(self.received, action)
        operation = action.split(".", 1)[1]
        try:
            if principal is not None:
                self.authorize_moto(request, service, operation, body, principal)
            self.faults.check_allowed(service, operation, body, self.region, self.studio.account_id)
            if service == "dynamodb":
                response = self.dynamodb.handle(operation, body, lambda b: self._call_moto(environ, b))
                if response.status_code >= 400:
                    kind = response.headers.get("x-amzn-ErrorType", "").rpartition("#")[2]
                    self._count(self.throttled if kind == "ThrottlingException" else self.failed, action)
                return response(environ, start_response)
            if service == "ses":
                response = self.ses.handle(operation, body, lambda b: self._call_moto(environ, b))
                if response.status_code >= 400:
                    self._count(self.failed, action)
                return response(environ, start_response)
            if action == "STS.AssumeRole":
                return self.assume_role(environ, body)(environ, start_response)
            return self.moto_app()(environ, start_response)
        except ApiError as denied:  # deny_actions
            error = denied
        except NotImplementedError as exc:
            error = ApiError("UnknownOperationException", f"{action} is not implemented: {exc}")
        except Exception:  # a bug in moto: say so loudly, answer as AWS would
            traceback.print_exc(file=sys.stderr)
            error = ApiError("InternalFailure", f"moto failed on {action}; see studio-emulator's stderr")
        self._count(self.throttled if error.code == "Throttling" else self.failed, action)
        if error.code == iam.DYNAMODB_ACCESS_DENIED:
            return dynamodb.error_response(error)(environ, start_response)
        return error_response(error, _protocol_of(request, service))(environ, start_response)

    def authorize_moto(self, request: Request, service: str, operation: str, body: bytes, principal) -> None:
        """Raise AWS's AccessDenied unless ``principal``'s policies allow this IAM or DynamoDB request
        (and the dependent actions it calls for)."""
        account = self.studio.account_id
        if service == "iam":
            from moto.iam.models import iam_backends

            checks = iam.iam_checks(operation, iam.query_form(body), iam_backends[account]["aws"], account)
            region, error = auth.GLOBAL_SERVICES["iam"], ("AccessDenied", 403)
        elif service == "dynamodb":
            try:
                params = json.loads(body or b"{}")
            except ValueError:
                params = {}
            params = params if isinstance(params, dict) else {}
            checks = iam.dynamodb_checks(operation, params, self._dynamodb_backend(), self.region, account)
            region, error = self.region, (iam.DYNAMODB_ACCESS_DENIED, 400)
        elif service == "sts" and operation == "AssumeRole":
            from moto.iam.models import iam_backends

            context = iam.global_context(principal, account, self.region, request.remote_addr or "")
            denied = iam.assume_role_denied(principal, iam.query_form(body), iam_backends[account]["aws"], context)
            if denied is not None:
                raise denied
            return
        else:  # SES and STS's other actions: not authorized (README)
            return
        context = iam.global_context(principal, account, region, request.remote_addr or "")
        for action, named, matched, extra in checks:
            denied = iam.access_denied(principal, action, named, {**context, **extra}, operation, matched, error)
            if denied is not None:
                raise denied

    def assume_role(self, environ, body: bytes) -> Response:
        """moto's AssumeRole, keeping the SourceIdentity and session tags moto drops for the new session."""
        response = self._call_moto(environ, body)
        if response.status_code == 200:
            found = re.search(rb"<AccessKeyId>([^<]+)</AccessKeyId>", response.get_data())
            if found:
                self.identities.remember_session(body, found.group(1).decode())
        else:
            self._count(self.failed, "STS.AssumeRole")
        return response

    def serve(self, request: Request, served: Served, target: str, principal: iam.Principal | None) -> Response:
        """Answer a request to SageMaker, the tagging API or Service Quotas from the emulator's own state.

        An IAM ``principal`` is authorized first, before throttling and validation: AWS authorizes a
        request before it validates it (a denied request with a bad parameter gets AccessDenied).
        """
        headers = {"x-amzn-RequestId": str(uuid.uuid4())}
        # A request scoped to the service without its X-Amz-Target (e.g. another protocol): no action.
        action = target[len(served.target_prefix) :] if target.startswith(served.target_prefix) else ""
        recorded = served.recorded_as + (action or "?")
        self._count(self.received, recorded)
        try:
            if not action:
                raise ApiError(
                    "UnknownOperationException",
                    f"studio-emulator answers {served.name} in JSON 1.1 only: "
                    f"no X-Amz-Target {served.target_prefix}...",
                )
            op = model.operation(action, served.botocore_name)
            if op is None:
                raise ApiError("UnknownOperationException", f"{served.name} has no operation {action}")
            if action not in served.implemented:
                raise ApiError(
                    "UnknownOperationException", f"{served.name}.{action} is not implemented by studio-emulator"
                )
            try:
                params = json.loads(request.get_data() or b"{}")
            except ValueError:
                params = NOT_JSON
            if principal is not None:
                self.authorize(request, served, action, params, principal)
            self.faults.before_request(action)
            self.faults.check_allowed(
                served.iam_prefix, action, request.get_data(), self.region, self.studio.account_id
            )
            if params is NOT_JSON:
                raise ApiError("SerializationException", "The request body is not valid JSON")
            model.validate_input(op, params, served.invalid_input)
            with self.studio.lock:
                self.studio.advance()
                if served is SERVED["sagemaker"]:
                    result = getattr(self.studio, action)(params)
                elif served is SERVED[servicequotas.SIGNING_NAME]:
                    result = servicequotas.list_service_quotas(
                        self.studio.quotas, params, self.region, self.studio.account_id
                    )
                elif served is SERVED[pricing.SIGNING_NAME]:
                    result = pricing.ACTIONS[action](params, self.region)
                else:
                    result = tagging.get_resources(self.studio.tagging_view(), params, time.time())
            self.faults.after_request(action)
            return _json(model.output(op, result), 200, headers, "application/x-amz-json-1.1")
        except ApiError as error:
            if error.code == "ThrottlingException":
                error = ApiError(served.throttled, error.message, error.status)
            self._count(self.throttled if error.code == served.throttled else self.failed, recorded)
            return error_response(error, "json", headers)
        except Exception:  # a bug in the emulator: say so loudly, answer as AWS would
            traceback.print_exc(file=sys.stderr)
            self._count(self.failed, recorded)
            error = ApiError("InternalFailure", f"studio-emulator failed on {recorded}; see its stderr")
            return error_response(error, "json", headers)

    def authorize(self, request: Request, served: Served, action: str, params, principal: iam.Principal) -> None:
        """Raise AccessDeniedException unless ``principal``'s policies allow this request (and, for
        SageMaker, the dependent actions it calls for)."""
        params = params if isinstance(params, dict) else {}
        if served is SERVED["sagemaker"]:
            resource = iam.sagemaker_resource(action, params, self.region, self.studio.account_id)
            checks = iam.checks(action, params, resource)
        else:  # tag:GetResources and servicequotas:ListServiceQuotas have no resource type
            resource = "*"
            checks = [(f"{served.iam_prefix}:{action}", resource, {})]
        with self.studio.lock:
            context = iam.request_context(self.studio, action, params, resource, principal, request.remote_addr or "")
        for iam_action, arn, extra in checks:
            denied = iam.access_denied(principal, iam_action, arn, {**context, **extra}, action)
            if denied is not None:
                raise denied

    # ----- control endpoints -------------------------------------------------------------------
    def control(self, request: Request) -> Response:
        name = request.path[len("/_emulator") :].strip("/")
        getters = {
            "health": lambda: {"status": "ok"},
            "state": self.studio.state,
            "calls": self.calls,
            "faults": self.faults.describe,
            "config": self.describe_config,
            "ses/messages": self.ses.describe,
        }
        setters = {"reset": None, "faults": self.faults.configure, "config": self.configure}
        setters["apps/activity"] = self.studio.record_activity  # a user working in an app (idle shutdown)
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
            return _json(getters[name]() if name in getters else {"status": "ok"})
        if name in getters or name in setters:
            return _json({"error": f"{request.method} is not allowed on /_emulator/{name}"}, 405)
        known = sorted(set(getters) | set(setters))
        return _json({"error": f"no control endpoint /_emulator/{name}; known: {known}"}, 404)
