"""Pure-ASGI guards that refuse bad requests before any route runs: NUL bytes in the
query string, bodies over the size limit. Both answer in problem+json."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import InvalidParam, problem_response


class RejectNulInQuery:
    """Refuse NUL characters in the query string before any route sees them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and b"%00" in scope.get("query_string", b""):
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            names = sorted({k for k, v in pairs if "\x00" in k or "\x00" in v}) or ["query"]
            response = problem_response(
                400,
                "bad-request",
                "Invalid request",
                f"{names[0]}: must not contain NUL characters",
                params=[
                    InvalidParam(
                        name=n.replace("\x00", ""), reason="must not contain NUL characters"
                    )
                    for n in names
                ],
                instance=scope.get("path"),
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class RejectLargeBodies:
    """Refuse a request body over the limit with 413 problem+json, never reading past it.

    A declared Content-Length over the limit is refused before the body is read; a
    body sent without one (chunked) is read up to the limit and refused when it goes
    over. `larger` maps a path prefix to its own limit (file imports).
    """

    def __init__(self, app: ASGIApp, max_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}

    def limit_for(self, path: str) -> int:
        return next((n for p, n in self.larger.items() if path.startswith(p)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None:
            if declared.isdigit() and int(declared) <= limit:
                await self.app(scope, receive, send)
            else:
                await self._refuse(scope, receive, send, limit)
            return
        buffered: list[Message] = []
        size = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413,
            "body-too-large",
            "Request body too large",
            f"body: at most {limit} bytes are accepted here",
            params=[InvalidParam(name="body", reason=f"larger than {limit} bytes")],
            instance=scope.get("path"),
        )
        await response(scope, receive, send)
