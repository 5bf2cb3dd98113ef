"""HTTP caching for public reads: a strong ETag over the body, Cache-Control, 304.

Only GET and HEAD answers with status 200 are tagged; a matching If-None-Match
gets 304 with no body. POST answers (a resident's location in the body) are never
cached, and neither are errors nor answers that set their own Cache-Control (staff
reads: private, with the ETag of the record's version).
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = {c.strip().removeprefix("W/") for c in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


class ConditionalGet:
    """ASGI middleware adding ETag/Cache-Control to public GETs and answering 304."""

    def __init__(self, app: ASGIApp, max_age_s: int) -> None:
        self.app = app
        self.cache_control = f"public, max-age={max_age_s}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            if start["status"] != 200 or "cache-control" in MutableHeaders(scope=start):
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            etag = etag_of(body)
            headers = MutableHeaders(scope=start)
            headers["etag"] = etag
            headers.setdefault("cache-control", self.cache_control)
            if if_none_match and _matches(if_none_match, etag):
                not_modified = {"etag": etag, "cache-control": headers["cache-control"]}
                await send(
                    {
                        "type": "http.response.start",
                        "status": 304,
                        "headers": [(k.encode(), v.encode()) for k, v in not_modified.items()],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)
