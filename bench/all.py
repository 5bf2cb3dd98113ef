"""Every benchmark, one command, one table: `.venv/bin/python -m bench.all` (`make bench-all`).

Runs each benchmark module in turn (each measures its own in-run baseline and writes
`bench/out/summary-<name>.json`), then prints one table of figure, baseline, ratio and
the bar from its issue. `--quick` runs shorter loads (for a look, not for the record).
The exit status is 1 when any bar is missed or a benchmark fails to run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from bench import summary

# (summary name, module, arguments, quick arguments)
BENCHMARKS: list[tuple[str, str, list[str], list[str]]] = [
    ("nearby", "bench.nearby", ["--rounds", "3"], ["--duration", "5", "--warmup", "2"]),
    ("backup", "bench.backup_drill", [], ["--small"]),
    ("walking", "bench.walking", ["--rounds", "3"], ["--duration", "5", "--warmup", "2"]),
    ("import", "bench.import_csv", [], ["--rows", "10000"]),
    ("analysis", "bench.analysis", [], ["--repeat", "1"]),
    (
        "keys",
        "bench.keys",
        ["--rounds", "3"],
        ["--duration", "5", "--warmup", "2", "--rounds", "1"],
    ),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short loads, small data")
    parser.add_argument("--only", action="append", help="run only these (by summary name)")
    args = parser.parse_args(argv)
    rows: list[summary.Row] = []
    ok = True
    for name, module, full, quick in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        print(f"[bench.all] {module} {' '.join(quick if args.quick else full)}", flush=True)
        (summary.OUT / f"summary-{name}.json").unlink(missing_ok=True)
        done = subprocess.run([sys.executable, "-m", module, *(quick if args.quick else full)])
        found = summary.read(name)
        if not found:
            found = [summary.Row(name, "did not run", "", None, "", False)]
        ok = ok and done.returncode in (0, 1) and all(r.passed for r in found)
        rows += found
    print()
    print(summary.table(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
