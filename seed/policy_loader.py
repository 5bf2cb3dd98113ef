"""Load the shipped rule files (seed/policies/<adcode>/*.toml) as published versions.

Each city's files are validated together by the domain loader (worked examples
included) and written in order of their start dates as versions 1, 2, … of that city.
A file already stored under its version label is left alone; a shipped file whose text
differs from the stored version is refused, because a published version never changes:
a city publishes a new version instead.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from app.domain.policy import load_city_rules
from app.domain.policy.versions import content_sha256

POLICIES_DIR = Path(__file__).resolve().parent / "policies"

STORED = """
SELECT version_number, content_sha256 FROM policy_ruleset
WHERE city_code = %s AND version_label = %s
"""
INSERT = """
INSERT INTO policy_ruleset (city_code, city_name_zh, version_number, version_label,
                            effective_from, effective_to, filename, rule_text, content_sha256,
                            published_via)
SELECT %s, %s, coalesce(max(version_number), 0) + 1, %s, %s, %s, %s, %s, %s, 'seed'
FROM policy_ruleset WHERE city_code = %s
"""


def load_policies(
    cur: psycopg.Cursor[tuple[object, ...]], policies_dir: Path = POLICIES_DIR
) -> int:
    """Store every shipped rule file not stored yet; the number of versions written."""
    written = 0
    for folder in sorted(p for p in policies_dir.iterdir() if p.is_dir()):
        city = folder.name
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('policy_ruleset:' || %s))", (city,))
        for ruleset in load_city_rules(city, policies_dir):
            filename = ruleset.source.split("/", 1)[1]
            text = (folder / filename).read_text("utf-8")
            digest = content_sha256(text)
            cur.execute(STORED, (city, ruleset.version))
            stored = cur.fetchone()
            if stored is not None:
                if stored[1] != digest:
                    raise ValueError(
                        f"{ruleset.source} differs from stored version {stored[0]} "
                        f"({ruleset.version}); publish a new version instead of editing it"
                    )
                continue
            cur.execute(
                INSERT,
                (
                    city,
                    ruleset.city_name_zh,
                    ruleset.version,
                    ruleset.effective_from,
                    ruleset.effective_to,
                    filename,
                    text,
                    digest,
                    city,
                ),
            )
            written += 1
    return written
