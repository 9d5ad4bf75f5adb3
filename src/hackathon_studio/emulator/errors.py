"""The error the emulator answers with, in SageMaker's JSON 1.1 error format."""

from __future__ import annotations

# HTTP status per error code; anything else is a client error (400).
_STATUS = {"InternalFailure": 500, "ServiceUnavailable": 503, "UnknownOperationException": 400}


class ApiError(Exception):
    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS.get(code, 400)

    def body(self) -> dict:
        return {"__type": self.code, "message": self.message}
