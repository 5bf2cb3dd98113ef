"""Optimistic concurrency for staff writes: a strong ETag per facility version."""

from __future__ import annotations

from app.errors import PreconditionFailed, PreconditionRequired


def etag(public_id: str, version: int) -> str:
    return f'"{public_id}.v{version}"'


def check_if_match(if_match: str | None, current: str) -> None:
    """428 without If-Match; 412 unless it names the current ETag (or is `*`)."""
    if not if_match or not if_match.strip():
        raise PreconditionRequired(
            "send If-Match with the ETag of your last read, so no one's change is overwritten"
        )
    candidates = {c.strip() for c in if_match.split(",")}
    if "*" not in candidates and current not in candidates:
        raise PreconditionFailed(
            f"the facility changed since you read it (now {current}); read it again"
        )
