"""Signature Version 4 checks, once the emulator is told which credentials are valid.

By default any credentials are accepted, as a newcomer's rehearsal needs. With
``POST /_emulator/config {"credentials": {"<access key id>": "<secret key>"}}`` every AWS request
must be signed by one of them, and is refused with the errors AWS gives otherwise.
"""

from __future__ import annotations

import hmac

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.wrappers import Request

from .errors import ApiError

UNSIGNED = ApiError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
UNKNOWN_KEY = ApiError("UnrecognizedClientException", "The security token included in the request is invalid.")
BAD_SIGNATURE = ApiError(
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
    "Access Key and signing method. Consult the service documentation for details.",
)


# Query-protocol services (STS) name the same refusals differently, with HTTP 403.
QUERY_CODES = {
    "MissingAuthenticationTokenException": "MissingAuthenticationToken",
    "UnrecognizedClientException": "InvalidClientTokenId",
    "InvalidSignatureException": "SignatureDoesNotMatch",
}


def for_protocol(error: ApiError, protocol: str) -> ApiError:
    if protocol in ("query", "ec2", "rest-xml"):
        return ApiError(QUERY_CODES[error.code], error.message, 403)
    return error


def check_credentials(credentials: dict) -> None:
    if not isinstance(credentials, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in credentials.items()
    ):
        raise ValueError('credentials must be {"<access key id>": "<secret key>", ...} or null')


def verify(request: Request, body: bytes, credentials: dict) -> None:
    """Raise the ApiError AWS would answer unless ``request`` is signed with one of ``credentials``."""
    authorization = request.headers.get("Authorization", "")
    if not authorization.startswith("AWS4-HMAC-SHA256 "):
        raise UNSIGNED
    fields = dict(part.strip().split("=", 1) for part in authorization[len("AWS4-HMAC-SHA256 ") :].split(","))
    try:
        access_key, date, region, service, _ = fields["Credential"].split("/")
        signed_headers = fields["SignedHeaders"].split(";")
        signature = fields["Signature"]
    except (KeyError, ValueError):
        raise UNSIGNED from None
    secret = credentials.get(access_key)
    if secret is None:
        raise UNKNOWN_KEY
    # Sign the same request again, with the headers the client signed, at the time it signed.
    headers = {name: request.headers.get(name, "") for name in signed_headers}
    copy = AWSRequest(method=request.method, url=request.url, data=body, headers=headers)
    copy.context["timestamp"] = request.headers.get("X-Amz-Date", "")
    signer = SigV4Auth(Credentials(access_key, secret, request.headers.get("X-Amz-Security-Token")), service, region)
    expected = signer.signature(signer.string_to_sign(copy, signer.canonical_request(copy)), copy)
    if not hmac.compare_digest(expected, signature):
        raise BAD_SIGNATURE
