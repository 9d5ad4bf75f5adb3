"""The emulator on the organizer's machine: no moto admin paths, no foreign Host, SigV4 as strict as AWS.

Crafted requests go out through http.client (so that the Host header and the path are exactly what
the test says), signed with botocore's own SigV4 signer; real calls go through boto3.
"""

from __future__ import annotations

import datetime
import http.client
import http.server
import json
import re
import socket
import threading
import urllib.parse
from unittest import mock

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from hackathon_studio.emulator.process import EmulatorProcess

DOMAIN_ID = "d-hackathon0001"
KEY, SECRET = "AKIAEMULATORHARDEN01", "a-secret-only-this-test-knows"
# What a real client sends for each service: its target and content type (botocore's model).
SHAPES = {
    "dynamodb": ({"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"}, b"{}"),
    "sts": ({"Content-Type": "application/x-www-form-urlencoded"}, b"Action=GetCallerIdentity&Version=2011-06-15"),
    "sagemaker": (
        {"X-Amz-Target": "SageMaker.DescribeDomain", "Content-Type": "application/x-amz-json-1.1"},
        json.dumps({"DomainId": DOMAIN_ID}).encode(),
    ),
}
MOTO_ADMIN_PATHS = [
    ("GET", "/moto-api/data.json"),  # the state dump
    ("POST", "/moto-api/reset"),
    ("GET", "/moto-api/"),  # the dashboard
    ("POST", "/moto-api/recorder/start-recording"),  # then writes every request into the working directory
    ("POST", "/moto-api/recorder/replay-recording"),  # sends them to the host named in the request
    ("POST", "/moto-api/state-manager/set-transition"),
    ("POST", "/moto-api/config"),
    ("GET", "/latest/meta-data/iam/security-credentials/"),  # moto's instance metadata
]


def send(url, method, path, headers, body=b"", host=None):
    """Send a raw request to the emulator at ``url``; return (status, headers, body text)."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    headers = dict(headers)
    headers.setdefault("Host", parsed.netloc if host is None else host)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def signed(url, method, path, service, headers, body=b"", *, host=None, when=None, region="us-east-1"):
    """``headers`` with a SigV4 Authorization by KEY/SECRET for ``service``, made by botocore, at ``when``."""
    host = urllib.parse.urlsplit(url).netloc if host is None else host
    request = AWSRequest(method=method, url=f"http://{host}{path}", data=body, headers=dict(headers))
    request.headers["Host"] = host
    now = when or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        SigV4Auth(Credentials(KEY, SECRET), service, region).add_auth(request)
    return dict(request.headers.items())


def error_code(headers, body: str) -> str:
    return headers.get("x-amzn-ErrorType") or re.search(r"<Code>(.*?)</Code>", body).group(1)


def client(emulator, service: str, **kwargs):
    config = Config(retries={"mode": "standard", "total_max_attempts": 1})
    arguments = dict(emulator.client_kwargs(), aws_access_key_id=KEY, aws_secret_access_key=SECRET, **kwargs)
    return boto3.client(service, config=config, **arguments)


@pytest.fixture(scope="module")
def own_emulator():
    with EmulatorProcess(time_scale=0.01, profile="lenient") as process:
        yield process


@pytest.fixture
def emulator(own_emulator):
    """This module's own emulator: its tests count every request it receives, and a late call meant for the
    shared one (twice in CI, a ListApps from no test of this module) must not be counted here."""
    own_emulator.reset()
    return own_emulator


@pytest.fixture(params=[False, True], ids=["any-credentials", "credentials-set"])
def credentials(request, emulator):
    if request.param:
        emulator.config(credentials={KEY: SECRET})
    return request.param


def create_table(emulator) -> None:
    dynamodb = client(emulator, "dynamodb")
    dynamodb.create_table(
        TableName="registry",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


# ----- moto's admin paths ----------------------------------------------------------------------------
@pytest.mark.parametrize(("method", "path"), MOTO_ADMIN_PATHS)
@pytest.mark.parametrize("service", ["dynamodb", "sts"])
def test_moto_admin_paths_are_refused(emulator, credentials, service, method, path):
    create_table(emulator)
    received = emulator.calls()["received"]
    shape, body = SHAPES[service]
    status, headers, text = send(
        emulator.url, method, path, signed(emulator.url, method, path, service, shape, body), body
    )
    assert (status, error_code(headers, text)) == (400, "UnknownOperationException"), text
    assert f"only POST / in its protocol, not {method} {path}" in text
    assert emulator.calls()["received"] == received  # nothing reached moto
    assert client(emulator, "dynamodb").list_tables()["TableNames"] == ["registry"]  # moto was not reset


@pytest.mark.parametrize(
    ("service", "method", "path", "change"),
    [
        ("dynamodb", "GET", "/", {}),
        ("dynamodb", "POST", "/?Action=x", {}),
        ("dynamodb", "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("dynamodb", "POST", "/", {"X-Amz-Target": "DynamoDBStreams_20120810.ListStreams"}),
        ("sts", "POST", "/", {"X-Amz-Target": "AWSSecurityTokenServiceV20110615.GetCallerIdentity"}),
        ("sts", "POST", "/", {"Content-Type": "application/json"}),
    ],
)
def test_only_a_service_s_own_requests_reach_moto(emulator, service, method, path, change):
    shape, body = SHAPES[service]
    headers = signed(emulator.url, method, path, service, {**shape, **change}, body)
    status, headers, text = send(emulator.url, method, path, headers, body)
    assert (status, error_code(headers, text)) == (400, "UnknownOperationException"), text
    assert emulator.calls()["received"] == {}


def test_moto_never_writes_files_nor_replays_requests_to_a_host_from_the_request(tmp_path, monkeypatch):
    """moto's recorder writes every request to ./moto_recording and replays them to the Host it is given."""
    hits = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    monkeypatch.chdir(tmp_path)  # the emulator's working directory
    try:
        with EmulatorProcess(time_scale=0.01) as emulator:
            shape, body = SHAPES["dynamodb"]
            for path, host in [
                ("/moto-api/recorder/start-recording", None),
                ("/", None),
                ("/moto-api/recorder/replay-recording", f"127.0.0.1:{listener.server_port}"),
            ]:
                headers = signed(emulator.url, "POST", path, "dynamodb", shape, body, host=host)
                send(emulator.url, "POST", path, headers, body, host=host)
            assert client(emulator, "dynamodb").list_tables()["TableNames"] == []
    finally:
        listener.shutdown()
    assert hits == []
    assert list(tmp_path.iterdir()) == []


# ----- Host ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_loopback_names_with_the_emulator_s_port_are_answered(emulator, name):
    port = urllib.parse.urlsplit(emulator.url).port
    for service, (shape, body) in SHAPES.items():
        headers = signed(emulator.url, "POST", "/", service, shape, body, host=f"{name}:{port}")
        status, _, text = send(emulator.url, "POST", "/", headers, body, host=f"{name}:{port}")
        assert status == 200, (service, text)
    status, _, text = send(emulator.url, "GET", "/_emulator/health", {}, host=f"{name}:{port}")
    assert (status, json.loads(text)) == (200, {"status": "ok"})


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1:{other}", "127.0.0.1", ""])
@pytest.mark.parametrize("service", ["sagemaker", "dynamodb", "sts"])
def test_a_foreign_host_is_refused_and_nothing_is_forwarded(emulator, credentials, service, host):
    port = urllib.parse.urlsplit(emulator.url).port
    host = host.format(port=port, other=port + 1)
    shape, body = SHAPES[service]
    headers = signed(emulator.url, "POST", "/", service, shape, body, host=host)  # signed for that host, too
    status, headers, text = send(emulator.url, "POST", "/", headers, body, host=host)
    assert (status, error_code(headers, text)) == (400, "InvalidHostHeader"), text
    assert f"answers Host 127.0.0.1:{port}, [::1]:{port}, localhost:{port} only, not " in text
    assert emulator.calls()["received"] == {}
    status, _, text = send(emulator.url, "POST", "/_emulator/reset", {}, host=host)
    assert status == 400 and "answers Host" in json.loads(text)["error"]


def test_an_absolute_request_target_counts_as_the_host(emulator):
    """``POST http://evil.example/ HTTP/1.1`` names the host in the request line; it is refused all the same."""
    shape, body = SHAPES["dynamodb"]
    status, headers, text = send(emulator.url, "POST", "http://evil.example/", shape, body)
    assert (status, error_code(headers, text)) == (400, "InvalidHostHeader")
    assert emulator.calls()["received"] == {}


def _non_loopback_address() -> str | None:
    """This machine's address on its default route (a UDP connect sends nothing), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never answered, only routed
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_control_endpoints_answer_loopback_peers_only():
    """Served on a LAN address, the emulator answers AWS requests there, and its controls only on loopback."""
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    with EmulatorProcess(time_scale=0.01, extra_args=["--host", address]) as emulator:
        status, _, text = send(emulator.url, "GET", "/_emulator/state", {})
        assert (status, json.loads(text)) == (403, {"error": "/_emulator/ answers loopback clients only"})
        status, _, text = send(emulator.url, "POST", "/_emulator/config", {}, json.dumps({"credentials": None}))
        assert status == 403
        sagemaker = client(emulator, "sagemaker")
        assert sagemaker.describe_domain(DomainId=DOMAIN_ID)["DomainId"] == DOMAIN_ID


# ----- SigV4: the clock-skew window -------------------------------------------------------------------
CALLS = {
    "sagemaker": lambda c: c.describe_domain(DomainId=DOMAIN_ID),
    "dynamodb": lambda c: c.list_tables(),
    "sts": lambda c: c.get_caller_identity(),
}


def _refusal(emulator, service, when):
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        with pytest.raises(client(emulator, service).exceptions.ClientError) as info:
            CALLS[service](client(emulator, service))
    return info.value.response


@pytest.mark.parametrize("service", ["sagemaker", "dynamodb", "sts"])
def test_a_request_signed_in_2019_is_refused_as_expired(emulator, credentials, service):
    response = _refusal(emulator, service, datetime.datetime(2019, 1, 1))
    code, status = ("SignatureDoesNotMatch", 403) if service == "sts" else ("InvalidSignatureException", 400)
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
    now = r"(\d{8}T\d{6}Z)"
    pattern = rf"Signature expired: 20190101T000000Z is now earlier than {now} \({now} - 15 min\.\)"
    match = re.fullmatch(pattern, response["Error"]["Message"])
    assert match, response["Error"]["Message"]
    earliest, server_now = (datetime.datetime.strptime(t, "%Y%m%dT%H%M%SZ") for t in match.groups())
    assert server_now - earliest == datetime.timedelta(minutes=15)
    assert abs(server_now - datetime.datetime.now(datetime.UTC).replace(tzinfo=None)) < datetime.timedelta(minutes=1)
    assert emulator.calls()["received"] == {}


def test_a_request_signed_in_the_future_is_refused(emulator, credentials):
    later = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(minutes=20)
    response = _refusal(emulator, "sagemaker", later)
    assert response["Error"]["Code"] == "InvalidSignatureException"
    assert re.fullmatch(
        r"Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)",
        response["Error"]["Message"],
    )


@pytest.mark.parametrize("minutes", [-14, 14])
def test_a_request_within_the_window_is_answered(emulator, minutes):
    emulator.config(credentials={KEY: SECRET})
    when = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(minutes=minutes)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        for service, call in CALLS.items():
            call(client(emulator, service))


def test_correctly_signed_current_requests_work_with_credentials_set(emulator):
    emulator.config(credentials={KEY: SECRET})
    create_table(emulator)
    for service, call in CALLS.items():
        call(client(emulator, service))
        call(client(emulator, service, endpoint_url=emulator.url.replace("127.0.0.1", "localhost")))
    assert client(emulator, "dynamodb").list_tables()["TableNames"] == ["registry"]


# ----- SigV4: malformed Authorization headers ------------------------------------------------------------
def _authorization(
    credential="{key}/{day}/us-east-1/{service}/aws4_request", rest=", SignedHeaders=host, Signature=ab"
):
    return "AWS4-HMAC-SHA256 Credential=" + credential + rest


MALFORMED = [
    # (Authorization, X-Amz-Date, code, part of AWS's message)
    ("garbage", "{now}", "IncompleteSignatureException", "Authorization header requires 'Credential' parameter."),
    ("Bearer eyJhbGciOi", "{now}", "IncompleteSignatureException", "requires 'Signature' parameter."),
    ("AWS AKIAEMULATOR:c2lnbmF0dXJl", "{now}", "IncompleteSignatureException", "requires 'SignedHeaders' parameter."),
    ("AWS4-HMAC-SHA256 ", "{now}", "IncompleteSignatureException", "missing equal-sign"),
    ("AWS4-HMAC-SHA256 garbage", "{now}", "IncompleteSignatureException", "missing equal-sign"),
    (_authorization(rest=""), "{now}", "IncompleteSignatureException", "requires 'Signature' parameter."),
    (_authorization(rest=", Signature=ab"), "{now}", "IncompleteSignatureException", "requires 'SignedHeaders'"),
    (_authorization(rest=", SignedHeaders=host,"), "{now}", "IncompleteSignatureException", "missing equal-sign"),
    (_authorization(), "", "IncompleteSignatureException", "requires existence of either a 'X-Amz-Date'"),
    (_authorization(), "yesterday", "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'"),
    (_authorization(), "20261399T999999Z", "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'"),
    (_authorization("{key}"), "{now}", "IncompleteSignatureException", "exactly 5 slash-delimited elements"),
    (_authorization("{key}/{day}/us-east-1"), "{now}", "IncompleteSignatureException", "5 slash-delimited"),
    (_authorization("a/b/c/d/e/f"), "{now}", "IncompleteSignatureException", "5 slash-delimited"),
    (_authorization("{key}/{day}/us-east-1/{service}/aws5"), "{now}", "InvalidSignatureException", "valid terminator"),
    (
        _authorization("{key}/19990101/us-east-1/{service}/aws4_request"),
        "{now}",
        "InvalidSignatureException",
        "'19990101' != ",
    ),
    (
        _authorization("{key}/{day}/eu-west-9/{service}/aws4_request"),
        "{now}",
        "InvalidSignatureException",
        "not 'eu-west-9'",
    ),
    (_authorization(rest=", SignedHeaders=host, Signature=\u00e9\u00e9"), "{now}", None, None),
]


@pytest.mark.parametrize(("authorization", "amz_date", "code", "message"), MALFORMED)
@pytest.mark.parametrize("service", ["sagemaker", "dynamodb", "sts"])
def test_a_malformed_authorization_header_is_a_400_never_a_500(
    emulator, credentials, service, authorization, amz_date, code, message
):
    now = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    shape, body = SHAPES[service]
    authorization = authorization.format(key=KEY, day=now[:8], service=service)
    headers = {**shape, "Authorization": authorization, "X-Amz-Date": amz_date.format(now=now)}
    if not amz_date:
        del headers["X-Amz-Date"]
    status, response_headers, text = send(
        emulator.url, "POST", "/", {k: v.encode("latin-1") for k, v in headers.items()}, body
    )
    if code is None:  # well-formed, with a signature no key could make: refused only when credentials are set
        if credentials:
            code, message = "InvalidSignatureException", "does not match the signature you provided"
        else:
            assert status == 200, text
            return
    if service == "sts":  # the query protocol's names for the same errors
        code = {"IncompleteSignatureException": "IncompleteSignature"}.get(code, "SignatureDoesNotMatch")
    expected_status = 403 if code == "SignatureDoesNotMatch" else 400
    assert (status, error_code(response_headers, text)) == (expected_status, code), text
    assert message in text
    assert "Traceback" not in text and KEY not in text
    assert emulator.calls()["received"] == {}


@pytest.mark.parametrize(
    ("service", "scope"), [("sagemaker", "dynamodb"), ("sagemaker", "sts"), ("sagemaker", "s3"), ("dynamodb", "sts")]
)
def test_a_request_scoped_to_another_service_is_refused(emulator, service, scope):
    shape, body = SHAPES[service]
    headers = signed(emulator.url, "POST", "/", scope, shape, body)
    status, response_headers, text = send(emulator.url, "POST", "/", headers, body)
    assert (status, error_code(response_headers, text)) == (400, "InvalidSignatureException")
    assert f"Credential should be scoped to correct service: '{service}'. " in text
    assert emulator.calls()["received"] == {}
