"""A corpus of hostile inputs over every public operation: each gets a 4xx problem+json
that names the parameter, and no table changes.

The corpus is built from the OpenAPI document, so new operations are covered as they
appear: every query and path parameter of every public GET gets the hostile values for
its type, and every JSON body gets the hostile bodies. Staff routes refuse anonymous
callers before reading input (tests/api/test_route_guard.py) and are left to the
contract fuzzer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from bench.backup_drill import checksums

# Valid values for required parameters, so the hostile one is the only thing wrong.
VALID = {
    "lon": "104.6399",
    "lat": "30.1245",
    "q": "助餐",
    "kind": "meal_point",
    "minutes": "15",
    "code": "512002",
    "region": "512002",
    "level": "county",
    "city": "512000",
}

INJECTIONS = [
    "'; DROP TABLE facility; --",
    "1 OR 1=1",
    "meal_point' OR '1'='1",
    "$(rm -rf /)",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%s%s%s%n",
    "{{7*7}}",
    "\u202emeal_point",
    "meal_point\u0000",
]
NUMBERS = ["NaN", "Infinity", "-Infinity", "1e309", "-1e309", "9" * 400, "0x10", "", "1,5", "五"]
BOOLEANS = ["maybe", "2", "NaN", "", "yes please"]
RAW = ["%D6%FA%B2%CD", "%FF%FE", "%C0%AF", "%00", "%E5%8A"]  # GBK 助餐, bad UTF-8, NUL
LONG = "长" * 5000


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    query: str
    body: bytes | None
    names: frozenset[str]  # an acceptable invalid_params name
    free_text: bool = False  # a free-text parameter: a 200 with no change is also right

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}?{self.query[:60]} body={len(self.body or b'')}"


def _valid(param: dict[str, Any]) -> str:
    name = param["name"]
    if name in VALID:
        return VALID[name]
    schema = param.get("schema", {})
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("type") in ("integer", "number"):
        return str(schema.get("minimum", 1))
    return "x"


def _hostile_values(param: dict[str, Any]) -> list[tuple[str, bool]]:
    """(already-encoded value, free text?) pairs for a parameter's type."""
    schema = param.get("schema", {})
    kinds = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
    items = schema.get("items", {})
    enum = "enum" in schema or "enum" in items or "pattern" in schema
    values: list[str] = []
    if kinds & {"number", "integer"}:
        values += NUMBERS
    elif "boolean" in kinds:
        values += BOOLEANS
    else:
        values += [*INJECTIONS, LONG]
    values = [quote(v, safe="") for v in values] + RAW
    free = not enum and not (kinds & {"number", "integer", "boolean"})
    return [(v, free) for v in values]


def _corpus(spec: dict[str, Any], public_id: str) -> list[Probe]:
    probes: list[Probe] = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            path_values = {p["name"]: _valid(p) for p in params if p["in"] == "path"}
            path_values["public_id"] = public_id
            concrete = path.format(**path_values) if path_values else path
            required = {
                p["name"]: _valid(p) for p in params if p["in"] == "query" and p.get("required")
            }
            for param in params:
                for value, free in _hostile_values(param):
                    if param["in"] == "query":
                        query = {**required, param["name"]: None}
                        text = "&".join(
                            f"{k}={quote(v, safe='')}" if v is not None else f"{k}={value}"
                            for k, v in query.items()
                        )
                        target = concrete
                    elif param["in"] == "path":
                        text = "&".join(f"{k}={quote(v, safe='')}" for k, v in required.items())
                        target = path.format(**{**path_values, param["name"]: value})
                    else:
                        continue
                    probes.append(
                        Probe(
                            method.upper(),
                            target,
                            text,
                            None,
                            frozenset({param["name"]}),
                            free_text=free or param["in"] == "path",
                        )
                    )
            if "requestBody" in operation:
                probes += _hostile_bodies(method.upper(), concrete)
    return probes


def _hostile_bodies(method: str, path: str) -> list[Probe]:
    good = {"lon": 104.6399, "lat": 30.1245}
    bodies: list[tuple[bytes, set[str]]] = [
        (json.dumps(good, ensure_ascii=False).encode("gbk") + "助餐".encode("gbk"), {"body"}),
        ('{"lon": 104.6, "lat": 30.1, "q": "助餐"}'.encode("gbk"), {"body", "q"}),
        (b"[" * 100_000 + b"]" * 100_000, {"body"}),
        (b'{"lon": NaN, "lat": 30.1}', {"body", "lon"}),
        (b'{"lon": Infinity, "lat": 30.1}', {"body", "lon"}),
        (b'{"lon": 1e999, "lat": 30.1}', {"body", "lon"}),
        (b'{"lon": 104.6, "lat": 30.1, "__proto__": {"admin": true}}', {"__proto__", "body"}),
        (b'{"lon": "104.6\x00", "lat": 30.1}', {"lon", "body"}),
        (b"", {"body"}),
        (b"null", {"body"}),
        (b'"just a string"', {"body"}),
        (b'{"lon": 104.6, "lat": 30.1, "kind": ["\'; DROP TABLE facility; --"]}', {"kind"}),
        (b'{"lon": 104.6, "lat": 30.1, "radius_m": 99999999999999999999999}', {"radius_m"}),
        (b"x" * (11 * 1024 * 1024), {"body"}),
    ]
    return [Probe(method, path, "", body, frozenset(names)) for body, names in bodies]


@pytest.fixture
def public_id(client: TestClient) -> str:
    found = client.get("/v1/facilities/nearby", params={"lon": 104.6399, "lat": 30.1245})
    return str(found.json()["items"][0]["id"])


def test_hostile_inputs_get_named_4xx_answers_and_change_nothing(
    client: TestClient, db_dsn: str, public_id: str
) -> None:
    spec = client.get("/openapi.json").json()
    before = checksums(db_dsn)
    probes = _corpus(spec, public_id)
    tried = 0
    failures: list[str] = []
    for probe in probes:
        url = probe.path + (f"?{probe.query}" if probe.query else "")
        headers = {"content-type": "application/json"} if probe.body is not None else {}
        response = client.request(probe.method, url, content=probe.body, headers=headers)
        if response.status_code == 401:
            continue  # a staff route: refused before any input is read
        tried += 1
        if probe.free_text and response.status_code in (200, 404):
            continue
        problem = response.headers.get("content-type") == "application/problem+json"
        named = (
            {p.get("name") for p in response.json().get("invalid_params", [])} if problem else set()
        )
        if not (400 <= response.status_code < 500 and problem):
            failures.append(f"{probe.label}: {response.status_code} {response.text[:120]}")
        elif response.status_code in (400, 413) and not (named & probe.names):
            failures.append(f"{probe.label}: names {named}, expected one of {set(probe.names)}")
    assert not failures, "\n".join(failures[:30])
    assert tried >= 150, tried
    print(f"{tried} hostile requests over {len({p.path for p in probes})} paths")
    assert checksums(db_dsn) == before
