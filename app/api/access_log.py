"""Keep residents' locations out of the access log, and secrets out of the client log.

uvicorn's access log prints each request's path with its query string, and a nearby
search by GET carries the caller's lon/lat there. `redact_query` blanks the values of
location parameters, and of any value that looks like a coordinate under another name
(a decimal number with 3 or more decimals, ≈ 100 m); `RedactLocations` applies it to
uvicorn's access-log records. `install_access_log_redaction()` is called by
create_app, so the protection holds however uvicorn is started.

httpx logs every outgoing request's URL at INFO, and WeChat's code2Session takes the
appsecret and the login code in its query string: `RedactSecrets` blanks them, and
drops the path and query of webhook deliveries (a receiver's URL often holds its token).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus, urlsplit

from app.services.webhook_delivery import SENDING

ACCESS_LOGGER = "uvicorn.access"
CLIENT_LOGGER = "httpx"
SECRET_PARAMS = frozenset({"secret", "js_code", "appsecret", "access_token", "session_key"})
LOCATION_PARAMS = frozenset({"lon", "lat", "x", "y", "bbox", "point", "location", "coords"})
_COORDINATE_LIKE = re.compile(r"-?\d+\.\d{3,}")
REDACTED = "~"


def redact_query(path_with_query: str, secrets: bool = False) -> str:
    """The path with location values (or, with `secrets`, secret values) in its query
    string replaced by `~`."""
    path, sep, query = path_with_query.partition("?")
    if not sep:
        return path
    parts = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        key = unquote_plus(name).strip().lower()
        if secrets:
            hidden = key in SECRET_PARAMS
        else:
            hidden = key in LOCATION_PARAMS or bool(_COORDINATE_LIKE.search(unquote_plus(value)))
        parts.append(name + eq + (REDACTED if eq and hidden else value))
    return path + "?" + "&".join(parts)


class RedactLocations(logging.Filter):
    """Rewrites uvicorn access-log records: (client, method, path?query, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_query(args[2]), *args[3:])
        return True


class RedactSecrets(logging.Filter):
    """Rewrites httpx request records: (method, url, http version, status, reason)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 2:
            url = str(args[1])
            if SENDING.get():
                parts = urlsplit(url)
                url = f"{parts.scheme}://{parts.netloc}/{REDACTED}"
            record.args = (args[0], redact_query(url, secrets=True), *args[2:])
        return True


def install_log_redaction() -> None:
    """Add the filters to uvicorn's access logger and httpx's logger, once per process."""
    for name, kind in ((ACCESS_LOGGER, RedactLocations), (CLIENT_LOGGER, RedactSecrets)):
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
