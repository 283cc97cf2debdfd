"""Domain errors with a stable machine code; the API turns them into {"detail", "code"}."""

from __future__ import annotations


class SignalDeskError(Exception):
    code = "error"
    status = 400

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class ValidationError(SignalDeskError):
    code = "invalid"
    status = 422


class NotFound(SignalDeskError):
    code = "not_found"
    status = 404


class PermissionDenied(SignalDeskError):
    code = "permission_denied"
    status = 403


class Conflict(SignalDeskError):
    code = "conflict"
    status = 409


class RateLimited(SignalDeskError):
    """Too many requests from one caller; `retry_after` seconds until the window resets."""

    code = "rate_limited"
    status = 429

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
