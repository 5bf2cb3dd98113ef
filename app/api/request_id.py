"""A request id for every request: the caller's `X-Request-ID` when it is a safe token,
else a new one; echoed in the answer and carried by every log line of the request."""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.logs import request_id

HEADER = b"x-request-id"
_SAFE = re.compile(rb"[A-Za-z0-9._-]{8,64}")


class RequestIds:
    """Pure ASGI middleware (no task switch, so the id is in context for uvicorn's access
    line too). A caller's id is kept only if it matches [A-Za-z0-9._-]{8,64}, so ids can
    neither forge log lines nor carry personal data of any length."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == HEADER), None)
        rid = given.decode() if given and _SAFE.fullmatch(given) else uuid.uuid4().hex
        request_id.set(rid)  # not reset: the error handler of last resort runs outside

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (HEADER, rid.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)
