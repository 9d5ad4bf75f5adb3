"""Signature Version 4 checks: the header's shape and time always, the signature once credentials are set.

Every request that carries an ``Authorization`` header must carry a well-formed SigV4 one, scoped to
the emulator's region and the service it calls, dated within AWS's 15 minutes of now; otherwise it
is refused with the error AWS gives. By default any credentials (and unsigned requests) are
accepted, as a newcomer's rehearsal needs. With ``POST /_emulator/config {"credentials":
{"<access key id>": "<secret key>"}}`` every AWS request must be signed by one of them.

AWS quotes the Authorization header or the credential (with the access key id) in some of these
messages; the emulator leaves them out, so that no key reaches a log.
"""

from __future__ import annotations

import datetime
import hmac
import re
from dataclasses import dataclass

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.wrappers import Request

from .errors import ApiError

ALGORITHM = "AWS4-HMAC-SHA256"
AMZ_DATE = "%Y%m%dT%H%M%SZ"
# AWS refuses a request signed more than 15 minutes before or after its own clock, e.g.
# "Signature expired: 20170111T204052Z is now earlier than 20170111T225449Z (20170111T230949Z - 15 min.)"
# (InvalidSignatureException, HTTP 400; quoted in upmc-enterprises/registry-creds#24, aws/aws-sdk-js#254).
CLOCK_SKEW = datetime.timedelta(minutes=15)

UNSIGNED = ApiError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
UNKNOWN_KEY = ApiError("UnrecognizedClientException", "The security token included in the request is invalid.")
BAD_SIGNATURE = ApiError(
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
    "Access Key and signing method. Consult the service documentation for details.",
)


# Query-protocol services (STS) name the same refusals differently, with HTTP 403, except
# IncompleteSignature, which SES answers with 400 (brendanhay/amazonka#316).
QUERY_CODES = {
    "MissingAuthenticationTokenException": ("MissingAuthenticationToken", 403),
    "UnrecognizedClientException": ("InvalidClientTokenId", 403),
    "InvalidSignatureException": ("SignatureDoesNotMatch", 403),
    "IncompleteSignatureException": ("IncompleteSignature", 400),
    "ExpiredTokenException": ("ExpiredToken", 403),
}


def for_protocol(error: ApiError, protocol: str) -> ApiError:
    if protocol in ("query", "ec2", "rest-xml") and error.code in QUERY_CODES:
        code, status = QUERY_CODES[error.code]
        return ApiError(code, error.message, status)
    return error


def incomplete(message: str) -> ApiError:
    return ApiError("IncompleteSignatureException", message)


def invalid(message: str) -> ApiError:
    return ApiError("InvalidSignatureException", message)


# IAM is a global service: its one endpoint is in us-east-1, and boto3 signs IAM requests to it for
# us-east-1 whatever the client's region (to a custom endpoint_url, for the client's region).
GLOBAL_SERVICES = {"iam": "us-east-1"}


def check_credentials(credentials: dict) -> None:
    if not isinstance(credentials, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in credentials.items()
    ):
        raise ValueError('credentials must be {"<access key id>": "<secret key>", ...} or null')


@dataclass(frozen=True)
class Signature:
    """The parts of a SigV4 ``Authorization`` header and its ``X-Amz-Date``."""

    access_key: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    amz_date: str


def parse(request: Request, service: str | None, region: str, now: datetime.datetime | None = None):
    """The request's Signature, or None when it has no Authorization header.

    Raises the ApiError AWS answers for a malformed header (IncompleteSignatureException), a scope
    for another region, service or day, or a date outside the clock-skew window
    (InvalidSignatureException). ``service`` None accepts the scope's own service.
    """
    header = request.headers.get("Authorization")
    if header is None:
        return None
    algorithm, _, rest = header.strip().partition(" ")
    params: dict[str, str] = {}
    if algorithm == ALGORITHM:
        for part in rest.split(","):
            key, equals, value = part.strip().partition("=")
            if not equals:
                raise incomplete(
                    "A part of the Authorization header is not a valid key=value pair (missing equal-sign)."
                )
            params[key] = value
    # Any other scheme (SigV2's "AWS key:signature", a bearer token) lacks all three, as AWS says.
    missing = [
        f"Authorization header requires '{name}' parameter."
        for name in ("Credential", "Signature", "SignedHeaders")
        if not params.get(name)
    ]
    amz_date = request.headers.get("X-Amz-Date", "")
    if not amz_date:
        # AWS also accepts a Date header; the emulator, stricter, wants X-Amz-Date, which every SDK sends.
        missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    if missing:
        raise incomplete(" ".join(missing))
    scope = params["Credential"].split("/")
    if len(scope) != 5:
        raise incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term")
    access_key, day, scope_region, scope_service, terminator = scope
    try:
        if not re.fullmatch(r"\d{8}T\d{6}Z", amz_date):
            raise ValueError
        signed_at = datetime.datetime.strptime(amz_date, AMZ_DATE).replace(tzinfo=datetime.UTC)
    except ValueError:
        # Worded as AWS's other IncompleteSignature messages; no public record quotes this one.
        raise incomplete(f"Date must be in ISO-8601 'basic format'. Got '{amz_date[:40]}'.") from None
    # The scope's checks, in AWS's words (quoted in aws/aws-sdk-ruby#431 and #508, JuliaCloud/AWS.jl#334,
    # tedder/requests-aws4auth#7).
    if terminator != "aws4_request":
        raise invalid(f"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator[:40]}'. ")
    if day != amz_date[:8]:
        raise invalid(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{day[:40]}' != '{amz_date[:8]}', from '{amz_date}'."
        )
    if scope_region != region and scope_region != GLOBAL_SERVICES.get(scope_service):
        raise invalid(f"Credential should be scoped to a valid region, not '{scope_region[:40]}'. ")
    if service is not None and scope_service != service:
        raise invalid(f"Credential should be scoped to correct service: '{service}'. ")
    now = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
    if signed_at < now - CLOCK_SKEW:
        raise invalid(
            f"Signature expired: {amz_date} is now earlier than "
            f"{(now - CLOCK_SKEW).strftime(AMZ_DATE)} ({now.strftime(AMZ_DATE)} - 15 min.)"
        )
    if signed_at > now + CLOCK_SKEW:
        # The mirror message, as AWS words it (quoted with a 5-minute window in serverless/enterprise#11).
        raise invalid(
            f"Signature not yet current: {amz_date} is still later than "
            f"{(now + CLOCK_SKEW).strftime(AMZ_DATE)} ({now.strftime(AMZ_DATE)} + 15 min.)"
        )
    signed_headers = tuple(params["SignedHeaders"].split(";"))
    return Signature(access_key, scope_region, scope_service, signed_headers, params["Signature"], amz_date)


def verify(request: Request, body: bytes, signature: Signature | None, credentials: dict) -> None:
    """Raise the ApiError AWS would answer unless ``request`` is signed with one of ``credentials``."""
    if signature is None:
        raise UNSIGNED
    secret = credentials.get(signature.access_key)
    if secret is None:
        raise UNKNOWN_KEY
    # Sign the same request again, with the headers the client signed, at the time it signed.
    headers = {name: request.headers.get(name, "") for name in signature.signed_headers}
    copy = AWSRequest(method=request.method, url=request.url, data=body, headers=headers)
    copy.context["timestamp"] = signature.amz_date
    token = request.headers.get("X-Amz-Security-Token")
    signer = SigV4Auth(Credentials(signature.access_key, secret, token), signature.service, signature.region)
    expected = signer.signature(signer.string_to_sign(copy, signer.canonical_request(copy)), copy)
    if not hmac.compare_digest(expected.encode(), signature.signature.encode()):  # str would refuse non-ASCII
        raise BAD_SIGNATURE
