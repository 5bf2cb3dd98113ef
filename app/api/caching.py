"""HTTP caching for public reads: ETag, Cache-Control, and 304 without running the query.

GET and HEAD answers with status 200 under /v1/ carry a weak ETag derived from the
request (path, query, API key) and the data version (app.services.data_version): a
matching If-None-Match is answered 304 before any route runs. Answers that depend on
the clock (`open_now`) and other paths get an ETag over their body instead. Requests
with credentials (Authorization: staff or a resident) are neither tagged nor cached
here (staff reads set their own private Cache-Control and the ETag of the record's
version); answers to requests with an API key are `private`. POST answers (a
resident's location in the body) are never cached, and neither are errors.
"""

from __future__ import annotations

import hashlib
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.services.data_version import DataVersion

VERSIONED_PREFIXES = ("/v1/", "/ogc")


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    bare = etag.removeprefix("W/")
    candidates = {c.strip().removeprefix("W/") for c in if_none_match.split(",")}
    return "*" in candidates or bare in candidates


class ConditionalGet:
    """ASGI middleware adding ETag/Cache-Control to public GETs and answering 304."""

    def __init__(self, app: ASGIApp, max_age_s: int, version: DataVersion, salt: str) -> None:
        self.app = app
        self.public = f"public, max-age={max_age_s}"
        self.private = f"private, max-age={max_age_s}"
        self.version = version
        self.salt = salt.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match: str | None = None
        api_key = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                await self.app(scope, receive, send)
                return
            if name == b"if-none-match":
                if_none_match = value.decode("latin-1")
            elif name == b"x-api-key":
                api_key = value
        cache_control = self.private if api_key else self.public
        etag = await self._versioned_etag(scope, api_key)
        if etag is not None and if_none_match and _matches(if_none_match, etag):
            await _not_modified(send, etag, cache_control)
            return
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
            tag = etag or etag_of(body)
            headers = MutableHeaders(scope=start)
            headers["etag"] = tag
            headers.setdefault("cache-control", cache_control)
            if etag is None and if_none_match and _matches(if_none_match, tag):
                await _not_modified(send, tag, headers["cache-control"])
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)

    async def _versioned_etag(self, scope: Scope, api_key: bytes) -> str | None:
        query: bytes = scope.get("query_string", b"")
        if not scope["path"].startswith(VERSIONED_PREFIXES) or b"open_now" in query:
            return None
        version = await self.version.current(time.monotonic())
        if version is None:
            return None
        digest = hashlib.sha256(self.salt)
        for part in (version.encode(), scope["path"].encode(), query, api_key):
            digest.update(b"\x00" + part)
        return 'W/"' + digest.hexdigest()[:32] + '"'


async def _not_modified(send: Send, etag: str, cache_control: str) -> None:
    headers = [(b"etag", etag.encode()), (b"cache-control", cache_control.encode())]
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
