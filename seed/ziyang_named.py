"""Facilities the 资阳 documents name, read from ziyang_named_facilities.csv beside this file.

One row per site (places-and-facilities.md §1.4–1.8): county and township names as in the
2022 code list, the kind, the name without （示例）, and any fact the documents fix (beds,
托位, operator model, citation). Locations are always synthetic. Status is read against an
October 2026 reference date: projects due by 2025 are open, later ones under construction
or planned; homes the 十四五 plan closes (关停并撤) are closed.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from app.domain.vocabulary import FacilityStatus, kinds, ownerships
from seed.facilities import Spec
from seed.rows import RegionRow

NAMED_FILE = Path(__file__).with_name("ziyang_named_facilities.csv")


def _int(text: str) -> int | None:
    return int(text) if text else None


def _flag(text: str) -> bool | None:
    return {"true": True, "false": False, "": None}[text]


def named_specs(regions: Sequence[RegionRow]) -> list[Spec]:
    """Specs for the named 资阳 sites, in file order; unknown places or codes raise."""
    counties = {r.name: r.code for r in regions if r.level == "county"}
    townships = {(r.parent_code, r.name): r.code for r in regions if r.level == "township"}
    communities = {(r.parent_code, r.name): r.code for r in regions if r.level == "community"}
    specs: list[Spec] = []
    with NAMED_FILE.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            township = townships.get((counties.get(row["county"]), row["township"]))
            codes = [row["kind"], *row["extra_kinds"].split()]
            problems = [f"kind {k}" for k in codes if k not in kinds()]
            if row["ownership"] and row["ownership"] not in ownerships():
                problems.append(f"ownership {row['ownership']}")
            if row["status"] not in FacilityStatus.__members__:
                problems.append(f"status {row['status']}")
            if township is None:
                problems.append(f"place {row['county']} {row['township']}")
            community = communities.get((township, row["community"])) if row["community"] else None
            if row["community"] and community is None:
                problems.append(f"community {row['community']}")
            if problems or township is None:
                raise ValueError(f"{NAMED_FILE.name}:{line}: unknown {', '.join(problems)}")
            specs.append(
                Spec(
                    kind=codes[0],
                    township_code=township,
                    name=row["name"],
                    extra_kinds=tuple(codes[1:]),
                    status=row["status"],
                    ownership=row["ownership"] or None,
                    operator=row["operator"] or None,
                    community_code=community,
                    beds=_int(row["beds"]),
                    nursing_beds=_int(row["nursing_beds"]),
                    places=_int(row["places"]),
                    puhui=_flag(row["puhui"]),
                    grade=_int(row["grade"]),
                    address=row["address"] or None,
                    cite=row["cite"] or None,
                    city_level=bool(_flag(row["city_level"])),
                )
            )
    return specs
