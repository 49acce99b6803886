"""A bounded property-based run over the OpenAPI spec: no input may produce a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.api.conftest import TenantKeys

EXAMPLES_PER_OPERATION = 30


def test_no_input_produces_a_server_error(api_url: str, keys: TenantKeys) -> None:
    schema = schemathesis.openapi.from_url(f"{api_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case) -> None:
            case.call_and_validate(headers={"X-API-Key": keys.reviewer},
                                   checks=[not_a_server_error])

        call()
