"""The exceptions of the client: one per refusal a caller handles differently.

The server answers errors as ``{"status", "error", "message", "where", "column"}``; the
exceptions carry those fields so a notebook shows the server's own words (for a filter, the
column where parsing failed) instead of a bare HTTP status.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional


class AthanorError(Exception):
    """Any failure talking to Athanor.

    Attributes:
        status: the HTTP status (0 when the server could not be reached).
        error: the server's error code (e.g. ``BAD_REQUEST``), when it sent one.
        where: which input was wrong (e.g. ``filter``), when the server said.
        column: for expressions, the 1-based column the server stopped at.
    """

    def __init__(self, message: str, *, status: int = 0, error: Optional[str] = None,
                 where: Optional[str] = None, column: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error = error
        self.where = where
        self.column = column


class BadRequest(AthanorError):
    """400: the request was refused as written (a bad filter, column, assertion or parameter)."""


class Unauthorized(AthanorError):
    """401: no token, or one the server does not accept (expired, revoked, another realm's)."""


class Forbidden(AthanorError):
    """403: the token is valid but lacks the project role this needs."""


class NotFound(AthanorError):
    """404: no such experiment, run or tag (or one the caller may not see)."""


class ServerError(AthanorError):
    """5xx: the server failed; retrying later may help."""


class Unreachable(AthanorError):
    """The server (or the sign-in server) could not be reached at all."""


class LoginRequired(AthanorError):
    """A stored login exists but can no longer be used (its refresh token ended or was refused)."""


class CheckFailed(AthanorError):
    """``check()`` ran and an assertion did not hold (or no run was selected).

    Attributes:
        verdict: the server's full answer (``passed``, ``message``, ``runs``, ``assertions`` with
            every value seen), for printing or inspecting which runs failed.
    """

    def __init__(self, message: str, verdict: Mapping[str, Any]) -> None:
        super().__init__(message, status=200)
        self.verdict = dict(verdict)


_BY_STATUS = {400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound}


def for_status(status: int, message: str, body: Optional[Mapping[str, Any]] = None) -> AthanorError:
    """The exception for an error answer, with the server's fields when its body had them."""
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else AthanorError)
    body = body or {}
    column = body.get("column")
    return cls(message, status=status, error=body.get("error"), where=body.get("where"),
               column=int(column) if isinstance(column, (int, float)) else None)
