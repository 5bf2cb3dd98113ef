"""The one-table summary every benchmark writes, and `bench.all` prints.

Each benchmark appends rows to `bench/out/summary-<name>.json`: a figure measured
through the service, the baseline measured in the same run, their ratio, the bar from
the issue, and whether the bar holds.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Row:
    benchmark: str
    figure: str
    baseline: str
    ratio: float | None
    bar: str
    passed: bool


def write(name: str, rows: list[Row]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"summary-{name}.json"
    path.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
    return path


def read(name: str) -> list[Row]:
    path = OUT / f"summary-{name}.json"
    return [Row(**r) for r in json.loads(path.read_text("utf-8"))] if path.exists() else []


def table(rows: list[Row]) -> str:
    head = ("benchmark", "figure", "in-run baseline", "ratio", "bar", "holds")
    body = [
        (
            r.benchmark,
            r.figure,
            r.baseline,
            "" if r.ratio is None else f"{r.ratio:.2f}",
            r.bar,
            "PASS" if r.passed else "FAIL",
        )
        for r in rows
    ]
    widths = [max(len(str(c)) for c in col) for col in zip(head, *body, strict=False)]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True))
        for line in (head, *body)
    ]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])
