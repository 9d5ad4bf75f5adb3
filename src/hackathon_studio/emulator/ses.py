"""Amazon SES (the v1 query API) in front of moto: the account's sending rules, and the sent messages.

moto answers SES and checks that the sender is a verified identity; it knows nothing of the SES
sandbox, which every new account starts in. AWS's developer guide, "Request production access
(Moving out of the Amazon SES sandbox)": in the sandbox "you can only send mail to verified email
addresses and domains", "you can send a maximum of 200 messages per 24-hour period" and "a maximum
of 1 message per second". The emulator applies those rules before moto sees a SendEmail, and with
``ses_production_access`` (/_emulator/config) a production account's default quotas instead (14
messages a second, 50,000 per 24 hours), without the recipients' check. AWS counts a message per
recipient; so does the emulator.

Only SendEmail sends: SendRawEmail, SendTemplatedEmail and SendBulkTemplatedEmail are refused
rather than let through unchecked. Every message SES accepted is kept, for tests to read at
``GET /_emulator/ses/messages`` (loopback only), never through moto's own admin API.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
import uuid
from email.utils import parseaddr

from werkzeug.wrappers import Response

from .errors import ApiError

SANDBOX = {"max_send_rate": 1.0, "max_24_hour_send": 200.0}
PRODUCTION = {"max_send_rate": 14.0, "max_24_hour_send": 50000.0}
DAY = 24 * 3600
UNCHECKED_SENDS = ("SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail")
NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/"


def _addresses(params: dict, kind: str) -> list:
    prefix = f"Destination.{kind}Addresses.member."
    numbered = sorted((int(key[len(prefix) :]), value[0]) for key, value in params.items() if key.startswith(prefix))
    return [value for _, value in numbered]


class SES:
    def __init__(self, region: str, backend):
        self.region = region
        self.backend = backend  # moto's SES backend of the emulator's account and region (a callable)
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.production_access = False
            self.limits = dict(SANDBOX)
            self.messages: list = []
            self.sent: list = []  # (time, recipients) of each accepted message, for the rate and the quota

    def configure(self, production_access=None, quotas=None) -> None:
        """``ses_production_access`` (true: out of the sandbox, with production's default quotas) and
        ``ses_quotas`` (``max_send_rate``, ``max_24_hour_send``: an account's raised, or a test's lowered, quotas)."""
        if production_access is not None and not isinstance(production_access, bool):
            raise ValueError(f"ses_production_access must be true or false, got {production_access!r}")
        quotas = quotas or {}
        if not isinstance(quotas, dict) or set(quotas) - set(SANDBOX):
            raise ValueError(f"ses_quotas takes {sorted(SANDBOX)}, got {quotas!r}")
        for key, value in quotas.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"ses_quotas.{key} must be a number >= 0, got {value!r}")
        with self.lock:
            if production_access is not None:
                self.production_access = production_access
                self.limits = dict(PRODUCTION if production_access else SANDBOX)
            self.limits.update({key: float(value) for key, value in quotas.items()})

    def describe_config(self) -> dict:
        with self.lock:
            return {"ses_production_access": self.production_access, "ses_quotas": dict(self.limits)}

    def describe(self) -> list:
        with self.lock:
            return [dict(message) for message in self.messages]

    def handle(self, operation: str, body: bytes, call_moto) -> Response:
        """The answer to an SES request: sending rules first, then moto; GetSendQuota from the rules."""
        if operation in UNCHECKED_SENDS:
            raise ApiError("UnknownOperationException", f"SES.{operation} is not implemented by studio-emulator")
        if operation == "GetSendQuota":
            return self._send_quota()
        if operation != "SendEmail":
            return call_moto(body)
        params = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        recipients = [a for kind in ("To", "Cc", "Bcc") for a in _addresses(params, kind)]
        source = params.get("Source", [""])[0]
        with self.lock:  # one SendEmail at a time: two cannot both take the last message of a second
            self._check(source, recipients, time.time())
            response = call_moto(body)
            if response.status_code == 200:
                self._record(params, recipients, response)
        return response

    def _check(self, source: str, recipients: list, now: float) -> None:
        """Refuse as SES does: an unverified sender (or, in the sandbox, recipient), then the quotas."""
        checked = [source, *recipients] if not self.production_access else [source]
        unverified = [a for a in checked if not self.backend()._is_verified_address(a)]
        if unverified:
            raise ApiError(
                "MessageRejected",
                "Email address is not verified. The following identities failed the check in region "
                f"{self.region.upper()}: {', '.join(parseaddr(a)[1] for a in unverified)}",
            )
        quotas = self.limits
        self.sent = [(at, count) for at, count in self.sent if at > now - DAY]
        if sum(count for _, count in self.sent) + len(recipients) > quotas["max_24_hour_send"]:
            raise ApiError("Throttling", "Daily message quota exceeded.")
        last_second = sum(count for at, count in self.sent if at > now - 1)
        if last_second + len(recipients) > quotas["max_send_rate"]:
            raise ApiError("Throttling", "Maximum sending rate exceeded.")

    def _record(self, params: dict, recipients: list, response: Response) -> None:
        text = response.get_data(as_text=True)
        message_id = text.split("<MessageId>", 1)[1].split("</MessageId>", 1)[0] if "<MessageId>" in text else ""
        self.sent.append((time.time(), len(recipients)))
        first = {key: values[0] for key, values in params.items()}
        self.messages.append(
            {
                "message_id": message_id,
                "source": first.get("Source", ""),
                "to": _addresses(params, "To"),
                "cc": _addresses(params, "Cc"),
                "bcc": _addresses(params, "Bcc"),
                "subject": first.get("Message.Subject.Data", ""),
                "text": first.get("Message.Body.Text.Data"),
                "html": first.get("Message.Body.Html.Data"),
                "time": time.time(),
            }
        )

    def _send_quota(self) -> Response:
        """GetSendQuota as SES answers it: the account's quotas, and what it sent in the last 24 hours."""
        with self.lock:
            now = time.time()
            sent = sum(count for at, count in self.sent if at > now - DAY)
            quotas = self.limits
        body = (
            f'<GetSendQuotaResponse xmlns="{NAMESPACE}"><GetSendQuotaResult>'
            f"<Max24HourSend>{quotas['max_24_hour_send']}</Max24HourSend>"
            f"<MaxSendRate>{quotas['max_send_rate']}</MaxSendRate>"
            f"<SentLast24Hours>{float(sent)}</SentLast24Hours>"
            f"</GetSendQuotaResult><ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
            "</GetSendQuotaResponse>"
        )
        return Response(body, status=200, content_type="text/xml")
