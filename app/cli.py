"""Operator commands: `python -m app.cli create-staff --username U --role R --city C`,
`settings-table` (the README's configuration table), `check-settings`, and
`deliver-webhooks [--once]` (a delivery worker outside the API processes).

The password is read from the environment variable YLYX_NEW_STAFF_PASSWORD (so it
never appears in shell history or process lists).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from app.db.distribution import citus_script
from app.db.session import create_engine
from app.domain.roles import Role
from app.services.staff import create_staff
from app.services.webhook_delivery import WebhookDeliverer, webhook_client
from app.services.webhooks import system_resolver
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
            facilities=tuple(args.facility),
        )
    finally:
        await engine.dispose()


async def _deliver(once: bool) -> int:
    settings = load_settings()
    engine = create_engine(settings)
    try:
        async with webhook_client() as client:
            deliverer = WebhookDeliverer(engine, client, system_resolver, settings)
            if once:
                return await deliverer.run_all()
            await deliverer.run_forever()
            return 0
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
    create.add_argument(
        "--facility", action="append", default=[], help="operators: a facility id (repeatable)"
    )
    sub.add_parser("settings-table", help="print the README's configuration table")
    sub.add_parser("check-settings", help="validate the settings in the environment")
    sub.add_parser("citus-script", help="print the SQL that would shard the registry by city")
    deliver = sub.add_parser("deliver-webhooks", help="deliver webhooks until stopped")
    deliver.add_argument("--once", action="store_true", help="stop when nothing is due")
    args = parser.parse_args(argv)
    if args.command == "deliver-webhooks":
        handled = asyncio.run(_deliver(args.once))
        print(f"handled {handled} webhook batches")
        return 0
    if args.command == "settings-table":
        print(markdown_table())
        return 0
    if args.command == "citus-script":
        print(citus_script(), end="")
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
