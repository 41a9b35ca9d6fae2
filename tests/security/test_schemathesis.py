"""Hostile input: schemathesis throws generated requests at every operation of the three services.

Each operation must answer without a 5xx and with a response that its own
OpenAPI describes. The requests are signed in as the coordinator, so they get
past the gates to the code behind them. ``make test`` runs a short form
(BRUG_FUZZ_EXAMPLES examples per operation, 5 unless told); ``make fuzz``
the long one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.security.world import SERVICES, Services
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import sign_in

#: generated cases per operation: a handful in `make test`, many more in `make fuzz`.
EXAMPLES = int(os.environ.get("BRUG_FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def coordinator(services: Services) -> Iterator[dict[str, str]]:
    with services.client("scheduler") as client:
        yield {"Authorization": f"Bearer {sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)}"}


def _fuzz(operation: Any, base_url: str, headers: dict[str, str]) -> None:
    """Hypothesis runs ``EXAMPLES`` generated cases of ``operation``, shrinking the first that fails."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("service", SERVICES)
def test_generated_requests_get_no_5xx_and_answers_that_match_the_schema(
    services: Services, coordinator: dict[str, str], service: str
) -> None:
    server = services.servers[service]
    schema = schemathesis.openapi.from_dict(server.app.openapi())
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz(operation, server.url, coordinator)
        except Exception as failure:  # noqa: BLE001 - every operation's failure is reported together
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)
