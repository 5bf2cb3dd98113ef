"""Operator commands: `python -m app.cli create-staff --username U --role R --city C`,
`settings-table` (the README's configuration table), `check-settings`.

The password is read from the environment variable YLYX_NEW_STAFF_PASSWORD (so it
never appears in shell history or process lists).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from app.db.session import create_engine
from app.domain.roles import Role
from app.services.staff import create_staff
from app.settings import Settings, load_settings, markdown_table


async def _create(args: argparse.Namespace, password: str) -> int:
    engine = create_engine(Settings())
    try:
        return await create_staff(
            engine,
            username=args.username,
            password=password,
            role=Role(args.role),
            city_code=args.city,
            region_code=args.region,
        )
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-staff", help="create a staff account (audited)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--city", required=True, help="city code, e.g. 512000")
    create.add_argument("--region", help="district admins: their 县/区 or 街道 code")
    sub.add_parser("settings-table", help="print the README's configuration table")
    sub.add_parser("check-settings", help="validate the settings in the environment")
    args = parser.parse_args(argv)
    if args.command == "settings-table":
        print(markdown_table())
        return 0
    if args.command == "check-settings":
        load_settings()
        print("settings are valid")
        return 0
    password = os.environ.get("YLYX_NEW_STAFF_PASSWORD", "")
    if not password:
        print("set YLYX_NEW_STAFF_PASSWORD to the new account's password", file=sys.stderr)
        return 2
    staff_id = asyncio.run(_create(args, password))
    print(f"created staff account {staff_id} ({args.username}, {args.role})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
