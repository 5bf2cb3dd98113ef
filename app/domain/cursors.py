"""Opaque, signed pagination cursors tied to the query that issued them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from app.errors import InvalidCursor

MAX_CURSOR_CHARS = 512


def _mac(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), payload, hashlib.sha256).digest()[:12]


def encode_cursor(secret: str, query_fingerprint: str, position: list[Any]) -> str:
    """Base64url of the position plus an HMAC over it and the query's fingerprint."""
    payload = json.dumps(position, separators=(",", ":")).encode()
    mac = _mac(secret, payload + b"\x00" + query_fingerprint.encode())
    return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")


def decode_cursor(secret: str, query_fingerprint: str, cursor: str) -> list[Any]:
    """The position a cursor carries; InvalidCursor if malformed, forged or for another query."""
    if len(cursor) > MAX_CURSOR_CHARS or not cursor.isascii():
        raise InvalidCursor()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except ValueError as exc:
        raise InvalidCursor() from exc
    mac, payload = raw[:12], raw[12:]
    expected = _mac(secret, payload + b"\x00" + query_fingerprint.encode())
    if len(mac) != 12 or not hmac.compare_digest(mac, expected):
        raise InvalidCursor("not a cursor this service issued for this query")
    try:
        position = json.loads(payload)
    except ValueError as exc:
        raise InvalidCursor() from exc
    if not isinstance(position, list):
        raise InvalidCursor()
    return position
