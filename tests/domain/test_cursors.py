import pytest

from app.domain.cursors import decode_cursor, encode_cursor
from app.errors import InvalidCursor


def test_round_trip() -> None:
    cursor = encode_cursor("k", "q1", [123.456789012345, "f_abc"])
    assert decode_cursor("k", "q1", cursor) == [123.456789012345, "f_abc"]


@pytest.mark.parametrize("secret,query", [("other", "q1"), ("k", "q2")])
def test_forged_or_foreign_cursor_is_refused(secret: str, query: str) -> None:
    cursor = encode_cursor("k", "q1", [1.0, "f_abc"])
    with pytest.raises(InvalidCursor):
        decode_cursor(secret, query, cursor)


@pytest.mark.parametrize("cursor", ["", "!!!", "a" * 600, "é", "AAAA"])
def test_malformed_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor("k", "q", cursor)
