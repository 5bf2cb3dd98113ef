"""Where each table would live if the registry were sharded by city with Citus.

- SHARDED tables grow with a city's facilities, networks, reports and edits. Citus
  would distribute them on `city_code`, co-located with `facility`, so one city's rows
  and joins stay on one node. Citus requires the distribution column in every primary
  key and unique constraint of such a table and in every foreign key between two of
  them; the schema keeps to that today (tests/db/test_distribution.py reads the
  catalog against these rules).
- REFERENCE tables are small and joined with everything (regions, staff, keys,
  residents, rule sets, import batches): a copy on every node. They may reference only
  each other.
- COORDINATOR tables stay on the coordinator: credentials with a short life, the
  geocoder cache and quota, webhooks and their outbox, and the migration record. They
  may reference reference tables and each other, never a sharded table.
"""

from __future__ import annotations

DISTRIBUTION_COLUMN = "city_code"
ANCHOR = "facility"  # the sharded table the others are co-located with

SHARDED = (
    "facility",
    "facility_price",
    "facility_hours",
    "favourite",
    "facility_report",
    "staff_facility",
    "vacancy_report",
    "price_history",
    "facility_change",
    "change_counter",
    "audit_event",
    "walk_node",
    "walk_edge",
    "map_feature",
)
# In foreign-key order: a table comes after those it references.
REFERENCE = (
    "region",
    "staff_account",
    "resident",
    "api_key",
    "import_batch",
    "policy_ruleset",
)
COORDINATOR = (
    "staff_token",
    "resident_session",
    "wechat_login_code",
    "geocode_cache",
    "geocode_usage",
    "webhook",
    "webhook_delivery",
    "alembic_version",
)
# Tables an extension owns and manages itself.
EXTENSION_TABLES = ("spatial_ref_sys",)


def citus_script() -> str:
    """The SQL that would distribute a migrated registry over a Citus cluster (run on the
    coordinator once its workers are added). Not run here: Citus is not packaged for
    this OS, so the catalog test stands in for it."""
    lines = [
        "-- After `alembic upgrade head`, on a Citus coordinator with its workers added.",
        "CREATE EXTENSION IF NOT EXISTS citus;",
        *(f"SELECT create_reference_table('{t}');" for t in REFERENCE),
        f"SELECT create_distributed_table('{ANCHOR}', '{DISTRIBUTION_COLUMN}');",
        *(
            f"SELECT create_distributed_table('{t}', '{DISTRIBUTION_COLUMN}', "
            f"colocate_with => '{ANCHOR}');"
            for t in SHARDED
            if t != ANCHOR
        ),
        *(
            f"SELECT citus_add_local_table_to_metadata('{t}');"
            for t in COORDINATOR
            if t != "alembic_version"
        ),
    ]
    return "\n".join(lines) + "\n"
