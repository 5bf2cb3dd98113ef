"""Find the line of a key in TOML text, so that a refusal can name the file and the line.

`tomllib` keeps no positions, so this module scans the text itself: table headers
(`[a.b]`, `[[a]]` with their running index), `key = value` lines, and inside a value
the n-th element of an array or a key of an inline table. A path is a validation
location such as ("benefit", 3, "when", 0, "fact"); parts the text does not show
(pydantic's union tags) are skipped, and the deepest part found gives the line.
"""

from __future__ import annotations

from collections.abc import Sequence

Path = tuple[str | int, ...]


def line_of(text: str, loc: Sequence[str | int]) -> int:
    """The 1-based line of the deepest part of `loc` found in `text` (1 if none is)."""
    anchors = _anchors(text)
    prefixes = {key[:n] for key in anchors for n in range(1, len(key) + 1)}
    path: Path = ()
    best: tuple[int, int | None] = (1, None)
    rest: list[str | int] = []
    for i, part in enumerate(loc):
        candidate = (*path, part)
        if candidate in prefixes:
            path = candidate
            if candidate in anchors:
                best = anchors[candidate]
                rest = list(loc[i + 1 :])
    line, value_at = best
    if value_at is None or not rest:
        return line
    return text.count("\n", 0, _descend(text, value_at, rest)) + 1


def _anchors(text: str) -> dict[Path, tuple[int, int | None]]:
    """Headers and `key =` lines at top level: path → (line, offset of the value or None)."""
    anchors: dict[Path, tuple[int, int | None]] = {}
    arrays: dict[Path, int] = {}
    table: Path = ()
    pos, n = 0, len(text)
    while pos < n:
        pos = _skip_blank(text, pos, newlines=True)
        if pos >= n:
            break
        line = text.count("\n", 0, pos) + 1
        if text[pos] == "[":
            is_array = text.startswith("[[", pos)
            close = text.find("]]" if is_array else "]", pos)
            close = n if close < 0 else close
            parts = _key_parts(text[pos + (2 if is_array else 1) : close])
            table = _resolve(parts, is_array, arrays)
            anchors[table] = (line, None)
            if is_array:
                anchors.setdefault(table[:-1], (line, None))
            pos = _end_of_line(text, close)
            continue
        eq = _find_equals(text, pos)
        if eq < 0:
            pos = _end_of_line(text, pos)
            continue
        keys = _key_parts(text[pos:eq])
        value = _skip_blank(text, eq + 1, newlines=False)
        for k in range(1, len(keys) + 1):
            anchors.setdefault((*table, *keys[:k]), (line, value if k == len(keys) else None))
        pos = _skip_value(text, value, stops="\n")
    return anchors


def _resolve(parts: list[str], is_array: bool, arrays: dict[Path, int]) -> Path:
    path: Path = ()
    for i, part in enumerate(parts):
        path = (*path, part)
        if is_array and i == len(parts) - 1:
            arrays[path] = arrays.get(path, -1) + 1
            path = (*path, arrays[path])
        elif path in arrays:
            path = (*path, arrays[path])
    return path


def _descend(text: str, pos: int, rest: Sequence[str | int]) -> int:
    """Offset inside a value: the rest of the path through arrays and inline tables."""
    for part in rest:
        pos = _skip_blank(text, pos, newlines=True)
        if pos >= len(text):
            break
        if isinstance(part, int) and text[pos] == "[":
            found = _element(text, pos, part)
        elif isinstance(part, str) and text[pos] == "{":
            found = _inline_key(text, pos, part)
        else:
            found = None
        if found is not None:
            pos = found
    return pos


def _element(text: str, pos: int, index: int) -> int | None:
    pos += 1
    for _ in range(index):
        pos = _skip_blank(text, pos, newlines=True)
        if pos >= len(text) or text[pos] == "]":
            return None
        pos = _skip_value(text, pos, stops=",]")
        if pos >= len(text) or text[pos] == "]":
            return None
        pos += 1
    pos = _skip_blank(text, pos, newlines=True)
    return None if pos >= len(text) or text[pos] == "]" else pos


def _inline_key(text: str, pos: int, key: str) -> int | None:
    pos += 1
    while pos < len(text):
        pos = _skip_blank(text, pos, newlines=True)
        if pos >= len(text) or text[pos] == "}":
            return None
        eq = _find_equals(text, pos)
        if eq < 0:
            return None
        value = _skip_blank(text, eq + 1, newlines=False)
        if _key_parts(text[pos:eq]) == [key]:
            return value
        pos = _skip_value(text, value, stops=",}")
        if pos < len(text) and text[pos] == ",":
            pos += 1
        else:
            return None
    return None


def _skip_value(text: str, pos: int, stops: str) -> int:
    """Offset of the first stop character outside strings, brackets and comments."""
    depth = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch in "\"'":
            pos = _skip_string(text, pos)
            continue
        if ch == "#":
            pos = text.find("\n", pos)
            pos = n if pos < 0 else pos
            if depth == 0 and "\n" in stops:
                return pos
            continue
        if depth == 0 and ch in stops:
            return pos
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth < 0:
                return pos
        pos += 1
    return n


def _skip_string(text: str, pos: int) -> int:
    quote = text[pos]
    triple = text.startswith(quote * 3, pos)
    end_mark = quote * 3 if triple else quote
    i = pos + len(end_mark)
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text.startswith(end_mark, i):
            return i + len(end_mark)
        if not triple and text[i] == "\n":
            return i
        i += 1
    return len(text)


def _find_equals(text: str, pos: int) -> int:
    """Offset of the `=` ending the key that starts at `pos`, or -1 if the line has none."""
    i = pos
    while i < len(text) and text[i] != "\n":
        if text[i] in "\"'":
            i = _skip_string(text, i)
            continue
        if text[i] == "=":
            return i
        i += 1
    return -1


def _key_parts(raw: str) -> list[str]:
    parts: list[str] = []
    for piece in raw.strip().split("."):
        piece = piece.strip()
        if len(piece) >= 2 and piece[0] == piece[-1] and piece[0] in "\"'":
            piece = piece[1:-1]
        parts.append(piece)
    return parts


def _skip_blank(text: str, pos: int, *, newlines: bool) -> int:
    blanks = " \t\r\n" if newlines else " \t"
    while pos < len(text):
        if text[pos] in blanks:
            pos += 1
        elif text[pos] == "#" and newlines:
            pos = _end_of_line(text, pos)
        else:
            break
    return pos


def _end_of_line(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1
