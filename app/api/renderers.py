"""Output formats of the planning answers: JSON, GeoJSON and CSV (UTF-8 with a BOM, so
Excel opens Chinese text correctly). Renderers, not branches inside routes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, Literal
from urllib.parse import quote

import orjson
from fastapi.responses import Response

Format = Literal["json", "csv"]
TableFormat = Literal["json", "csv", "geojson"]
GeoFormat = Literal["geojson", "csv"]
BOM = "\ufeff"


class GeoJSONResponse(Response):
    media_type = "application/geo+json"


CSV_ALSO: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "OK"}
}
"""OpenAPI: every analysis answer may also be asked for as CSV (`format=csv`)."""
CSV_AND_GEOJSON: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/geo+json": {"schema": {"$ref": "#/components/schemas/CoverageCollection"}},
        },
        "description": "OK",
    }
}
"""OpenAPI: the coverage table also as CSV or as a GeoJSON layer of its regions."""


def json_body(body: object, media_type: str = "application/json") -> Response:
    return Response(orjson.dumps(body), media_type=media_type)


def csv_body(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return Response(
        out.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _flat(value: Any) -> Any:
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def features_csv(collection: dict[str, Any], filename: str) -> Response:
    """One row per feature: its properties (nested values flattened), then the geometry as
    GeoJSON text in the collection's coordinate system."""
    features = collection["features"]
    keys: list[str] = []
    for f in features:
        keys.extend(k for k in f["properties"] if k not in keys)
    rows = (
        [*(_flat(f["properties"].get(k)) for k in keys), orjson.dumps(f["geometry"]).decode()]
        for f in features
    )
    return csv_body([*keys, f"geometry_geojson_{collection['coordsys']}"], rows, filename)


def geojson_or_csv(collection: dict[str, Any], fmt: GeoFormat, filename: str) -> Response:
    if fmt == "csv":
        return features_csv(collection, filename)
    return GeoJSONResponse(orjson.dumps(collection))


COVERAGE_COLUMNS = (
    "code",
    "name",
    "level",
    "urban_rural",
    "population",
    "covered",
    "outside",
    "share",
)


def coverage_csv(answer: dict[str, Any], filename: str) -> Response:
    """The region's own row first, then its counties or townships."""
    region = answer["region"]
    own = {**region, "urban_rural": None, **{k: answer[k] for k in COVERAGE_COLUMNS[4:]}}
    rows = [[r.get(c) for c in COVERAGE_COLUMNS] for r in (own, *answer["breakdown"])]
    header = [*COVERAGE_COLUMNS, "kind", "population_group", "profile"]
    extra = [answer["kind"]["code"], answer["population_group"]["code"], answer["profile"]["code"]]
    return csv_body(header, ([*r, *extra] for r in rows), filename)


TARGET_COLUMNS = (
    "code",
    "name_zh",
    "value",
    "op",
    "target",
    "unit",
    "year",
    "met",
    "baseline",
    "cite",
    "note",
)


def targets_csv(answer: dict[str, Any], filename: str) -> Response:
    region = answer["region"]
    rows = (
        [region["code"], region["name"], *(_flat(i.get(c)) for c in TARGET_COLUMNS)]
        for i in answer["indicators"]
    )
    return csv_body(["region_code", "region_name", *TARGET_COLUMNS], rows, filename)
