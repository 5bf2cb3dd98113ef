"""Command line: `python -m seed load [--if-empty]` loads the sample cities into DATABASE_URL."""

from __future__ import annotations

import argparse
import sys
import time

from app.settings import Settings
from seed.loader import is_loaded, load_sample_cities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="replace the sample cities in the database")
    load.add_argument(
        "--if-empty", action="store_true", help="do nothing when the sample is already loaded"
    )
    args = parser.parse_args(argv)

    url = Settings().sync_database_url
    if args.if_empty and is_loaded(url):
        print("sample cities already loaded; nothing to do")
        return 0
    started = time.perf_counter()
    counts = load_sample_cities(url)
    for table, count in counts.items():
        print(f"{table}: {count}")
    print(f"loaded in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
