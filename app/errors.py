"""The one error layer: every failure leaves as application/problem+json (RFC 9457).

Exception tree::

    ServiceError                 500  internal (last resort, carries a log id)
    ├── BadRequest               400  invalid input, names the parameter
    │   └── InvalidCursor        400  malformed or forged pagination cursor
    ├── Unauthorized             401  no valid staff token
    ├── Forbidden                403  the role may not do this
    ├── NotFound                 404  no such resource
    ├── Conflict                 409  write conflicts with stored state
    ├── PreconditionFailed       412  If-Match names a version that is no longer current
    ├── PayloadTooLarge          413  request body or upload over its size cap
    ├── InvalidRows              422  an import commit with invalid rows (nothing written)
    ├── PreconditionRequired     428  a write without If-Match
    ├── TooManyRequests          429  over the key's rate; carries Retry-After
    └── Unavailable              503  the database cannot answer now

Validation errors from FastAPI and Starlette's own 404/405 are rendered in the
same shape by the handlers registered in `install_error_handlers`.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.logs import request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://github.com/yilao-yixiao/errors/"

log = logging.getLogger("app.errors")


class InvalidParam(BaseModel):
    """One offending input: where it is and why it was refused."""

    name: str = Field(description="Parameter or body field, dotted for nested fields.")
    reason: str = Field(description="Why the value was refused, with the allowed values.")


class Problem(BaseModel):
    """RFC 9457 problem details, the body of every error response."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    invalid_params: list[InvalidParam] = Field(default_factory=list)
    log_id: str | None = None


class ServiceError(Exception):
    """Base of our errors; subclasses set status, type and title."""

    status = 500
    type = "internal"
    title = "Internal error"

    def __init__(self, detail: str, *, params: Sequence[InvalidParam] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.params = list(params)


class BadRequest(ServiceError):
    status = 400
    type = "bad-request"
    title = "Invalid request"

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(
            f"{parameter}: {reason}", params=[InvalidParam(name=parameter, reason=reason)]
        )


class InvalidCursor(BadRequest):
    type = "invalid-cursor"
    title = "Invalid pagination cursor"

    def __init__(self, reason: str = "not a cursor this service issued") -> None:
        super().__init__("cursor", reason)


class Unauthorized(ServiceError):
    status = 401
    type = "unauthorized"
    title = "Authentication required"


class Forbidden(ServiceError):
    status = 403
    type = "forbidden"
    title = "Not allowed"


class NotFound(ServiceError):
    status = 404
    type = "not-found"
    title = "Not found"


class Conflict(ServiceError):
    status = 409
    type = "conflict"
    title = "Conflict"


class PreconditionFailed(ServiceError):
    status = 412
    type = "precondition-failed"
    title = "Stale version"


class InvalidRows(ServiceError):
    status = 422
    type = "invalid-rows"
    title = "The file has invalid rows"


class PreconditionRequired(ServiceError):
    status = 428
    type = "precondition-required"
    title = "If-Match required"


class PayloadTooLarge(ServiceError):
    status = 413
    type = "payload-too-large"
    title = "Request body too large"


class TooManyRequests(ServiceError):
    status = 429
    type = "too-many-requests"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class Unavailable(ServiceError):
    status = 503
    type = "unavailable"
    title = "Service unavailable"


def problem_response(
    status: int,
    type_: str,
    title: str,
    detail: str,
    *,
    params: Sequence[InvalidParam] = (),
    instance: str | None = None,
    log_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = Problem(
        type=TYPE_BASE + type_,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        invalid_params=list(params),
        log_id=log_id,
    )
    return Response(
        orjson.dumps(body.model_dump(exclude_none=True)),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _safe(value: Any) -> str:
    """A short, printable echo of a refused value (never the whole of a huge input)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = repr(value).replace("\x00", "\\x00")
    return text if len(text) <= 60 else text[:57] + "..."


def _validation_params(exc: RequestValidationError) -> list[InvalidParam]:
    params: list[InvalidParam] = []
    for err in exc.errors():
        # List positions are dropped: `kind`, not `kind.0`; the reason shows the value.
        loc = [
            str(p)
            for p in err.get("loc", ())
            if p not in ("query", "body", "path", "header") and not isinstance(p, int)
        ]
        name = ".".join(loc) or "body"
        msg = str(err.get("msg", "invalid"))
        if err.get("type") == "json_invalid":
            name, msg = "body", f"not valid JSON ({err.get('ctx', {}).get('error', 'syntax')})"
        elif err.get("type") == "extra_forbidden":
            msg = "unknown field"
        elif "input" in err and err.get("type") != "missing":
            msg = f"{msg} (got {_safe(err['input'])})"
        params.append(InvalidParam(name=name, reason=msg))
    return params


def error_response(
    exc: ServiceError, instance: str | None, headers: dict[str, str] | None = None
) -> Response:
    """The problem+json answer for one of our errors (also used by ASGI middleware)."""
    headers = dict(headers or {})
    if isinstance(exc, Unavailable):
        headers["Retry-After"] = "5"
    elif isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after_s)
    elif isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="staff"'
    return problem_response(
        exc.status,
        exc.type,
        exc.title,
        exc.detail,
        params=exc.params,
        instance=instance,
        headers=headers or None,
    )


async def _on_service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    return error_response(exc, request.url.path)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    params = _validation_params(exc)
    detail = "; ".join(f"{p.name}: {p.reason}" for p in params)
    return problem_response(
        400, "bad-request", "Invalid request", detail, params=params, instance=request.url.path
    )


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: ("not-found", "Not found"), 405: ("method-not-allowed", "Method not allowed")}
    type_, title = titles.get(exc.status_code, ("http-error", "HTTP error"))
    headers = dict(exc.headers) if exc.headers else None
    params: list[InvalidParam] = []
    detail = str(exc.detail)
    if exc.status_code == 400 and "parsing the body" in detail:  # FastAPI could not decode it
        type_, title = "bad-request", "Invalid request"
        reason = "not a JSON document in UTF-8"
        params, detail = [InvalidParam(name="body", reason=reason)], f"body: {reason}"
    return problem_response(
        exc.status_code,
        type_,
        title,
        detail,
        params=params,
        instance=request.url.path,
        headers=headers,
    )


_TRANSIENT_SQLSTATES = ("08", "57", "53")  # connection, operator intervention/timeout, resources


def _is_transient(exc: Exception) -> bool:
    """Whether a database error means 'cannot answer now' rather than a bug in our SQL."""
    if isinstance(exc, OSError | OperationalError):
        return True
    if getattr(exc, "connection_invalidated", False):
        return True  # a disconnect (app/db/session.py): the next request gets a new one
    orig = getattr(exc, "orig", None)
    sqlstate = str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
    name = type(orig).__name__ if orig is not None else ""
    return sqlstate.startswith(_TRANSIENT_SQLSTATES) or "Connection" in name or "Cancel" in name


async def _on_database_error(request: Request, exc: Exception) -> Response:
    if not _is_transient(exc):
        return await _on_unexpected(request, exc)
    log_id = request_id.get() or uuid.uuid4().hex[:12]
    log.warning("database unavailable (log id %s): %s", log_id, type(exc).__name__)
    return problem_response(
        503,
        "unavailable",
        "Service unavailable",
        "The database cannot answer right now; try again shortly.",
        instance=request.url.path,
        log_id=log_id,
        headers={"Retry-After": "5"},
    )


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log_id = request_id.get() or uuid.uuid4().hex[:12]
    log.exception("unhandled error (log id %s)", log_id)
    return problem_response(
        500,
        "internal",
        "Internal error",
        "An unexpected error occurred.",
        instance=request.url.path,
        log_id=log_id,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Render every error the app can raise as problem+json."""
    app.add_exception_handler(ServiceError, _on_service_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(OperationalError, _on_database_error)
    app.add_exception_handler(DBAPIError, _on_database_error)
    app.add_exception_handler(OSError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)


PROBLEM_DESCRIPTIONS: dict[int, str] = {
    400: "Invalid input; `invalid_params` names each parameter and the allowed values.",
    401: "No valid credentials; see WWW-Authenticate.",
    403: "Signed in, but not allowed to do this.",
    404: "No such resource.",
    409: "Conflicts with the current state of the resource.",
    412: "The resource changed since it was read (If-Match does not match its ETag).",
    413: "The request body is too large.",
    422: "An import commit with invalid rows; nothing was written (a dry run lists them).",
    428: "This write needs an If-Match header with the resource's ETag.",
    429: "Over the rate limit; retry after the Retry-After seconds.",
    503: "The database is unavailable; retry after the Retry-After seconds.",
}


def problem_responses(*extra: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for problem+json answers: 400, 404, 503, and 401/403/429 that
    any rate-limited route can answer (an unknown or under-scoped X-API-Key, a spent
    quota), and `extra`."""
    return {
        code: {
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {}},
            "description": PROBLEM_DESCRIPTIONS[code],
        }
        for code in sorted({400, 401, 403, 404, 429, 503, *extra})
    }


PROBLEM_RESPONSES = problem_responses()
