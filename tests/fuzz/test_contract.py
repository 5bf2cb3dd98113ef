"""Contract fuzzing: schemathesis drives every operation of the OpenAPI document against
the real service (uvicorn on loopback, a clone of the seeded database)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings
from tests.live import serve


@pytest.fixture
def live_server(settings: Settings, walking_state: Walking) -> Iterator[str]:
    with serve(create_app(settings, walking_state=walking_state)) as base_url:
        yield base_url


def test_every_operation_honours_its_contract(live_server: str) -> None:
    """No 5xx, responses match their declared schemas, errors are problem+json; every
    operation in the document is exercised (schemathesis's pytest plugin does not yet
    support pytest 9, so operations are driven with hypothesis directly)."""
    api = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    document = api.raw_schema["paths"]
    expected = {f"{m.upper()} {p}" for p, ops in document.items() for m in ops}
    tested: set[str] = set()
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def exercise(case: schemathesis.Case) -> None:
            response = case.call_and_validate(
                base_url=live_server, excluded_checks=[positive_data_acceptance]
            )
            assert response.status_code < 500
            if response.status_code >= 400:
                assert response.headers["content-type"] == ["application/problem+json"]

        exercise()
        tested.add(operation.label)
    assert tested == expected
