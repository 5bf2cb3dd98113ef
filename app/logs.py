"""Structured logs: one JSON object a line, each carrying the request id of its request.

The request id lives in a context variable set by `app.api.request_id.RequestIds`, so
every record emitted while a request is handled (uvicorn's access line included: it is
written from inside the request's task) names it, and the `log_id` of a problem+json
answer is that same id. Personal data is kept out before formatting: the access log's
location values are blanked by `app.api.access_log`, and no module logs a request body.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

ACCESS = "uvicorn.access"
# uvicorn's own loggers; the app's modules propagate to the root logger.
UVICORN = ("uvicorn", "uvicorn.error", ACCESS)
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "taskName",
    "color_message",  # uvicorn's copy of the message with terminal colours
}


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "message", "request_id", ...}`; `extra=` fields kept."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        args = record.args
        if record.name == ACCESS and isinstance(args, tuple) and len(args) == 5:
            # (client, method, path?query, http version, status): the client's address is
            # personal data and is left out; the path is already redacted (access_log.py)
            _client, method, path, _version, status = args
            out.update(message=f"{method} {path} {status}", method=method, path=path)
            out["status"] = status
        else:
            out["message"] = record.getMessage()
        rid = request_id.get()
        if rid is not None:
            out["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in out and not key.startswith("_"):
                out[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def use_json_logs() -> None:
    """Give uvicorn's handlers the JSON format, however uvicorn was started, and the root
    logger a JSON stderr handler when it has no handler (a host that configured its own
    logging, such as a test runner, keeps it). Idempotent."""
    formatter = JsonFormatter()
    for name in UVICORN:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(formatter)
        root.addHandler(handler)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)
