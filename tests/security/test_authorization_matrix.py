"""Every endpoint of the three services, called by every kind of caller, answers as tests/security/matrix.py says.

The endpoints are read from each service's OpenAPI, so an endpoint added
without a row in the table fails here, and so does a row whose endpoint is
gone. Paths are filled with real objects of ambassador A and provider X:
ambassador B and provider Y's staff really try to touch them.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.security.matrix import TABLE, Row, expected
from tests.security.world import CALLERS, SERVICES, Services, World

#: a well-formed token that belongs to no booking: what a stranger who knows a booking code can try.
WRONG_TOKEN = "x" * 43
METHODS = {"get", "put", "post", "patch", "delete"}


def endpoints(services: Services) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(service, METHOD, path template) → its OpenAPI operation, for every operation of the three services."""
    found = {}
    for service in SERVICES:
        spec = services.servers[service].app.openapi()
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                if method in METHODS:
                    found[(service, method.upper(), path)] = operation
    return found


def test_every_endpoint_in_openapi_has_exactly_one_row(services: Services) -> None:
    published = set(endpoints(services))
    missing = sorted(published - set(TABLE))
    gone = sorted(set(TABLE) - published)
    assert not missing, f"endpoints with no row in tests/security/matrix.py (add one): {missing}"
    assert not gone, f"rows in tests/security/matrix.py for endpoints that no longer exist: {gone}"


def _call(world: World, key: tuple[str, str, str], row: Row, operation: dict[str, Any], caller: str) -> httpx.Response:
    service, method, template = key
    values = world.values(caller)
    names = set(re.findall(r"{(\w+)}", template))
    assert names == set(row.params), f"{key}: the row fills {sorted(row.params)}, the path has {sorted(names)}"
    path = template.format(**{name: value.format(**values) for name, value in row.params.items()})
    query = {name: value.format(**values) for name, value in row.query.items()}
    if row.link:
        parameter = next(p for p in operation.get("parameters", []) if p["name"] == "token" and p["in"] == "query")
        code = next(value.format(**values) for name, value in row.params.items() if "code" in name)
        if caller == "link":
            query["token"] = world.tokens[code][row.link]
        elif parameter.get("required"):
            query["token"] = WRONG_TOKEN
    body = row.body(world, caller) if callable(row.body) else row.body
    return world.clients[service].request(
        method,
        path,
        params=query,
        headers=world.headers[caller],
        json=body if row.form is None else None,
        data=row.form,
    )


@pytest.mark.parametrize("key", sorted(TABLE), ids=" ".join)
def test_each_caller_gets_what_the_table_says(world: World, key: tuple[str, str, str]) -> None:
    operation = endpoints(world.services).get(key)
    if operation is None:
        pytest.fail(
            f"{key} is in the table but not in OpenAPI; test_every_endpoint_in_openapi_has_exactly_one_row says more"
        )
    row = TABLE[key]
    wrong = []
    for caller, status in expected(row).items():
        response = _call(world, key, row, operation, caller)
        if response.status_code != status:
            wrong.append(f"{caller}: {response.status_code} {response.text[:200]}, expected {status}")
        elif status == 401 and response.headers.get("www-authenticate") != "Bearer":
            wrong.append(f"{caller}: 401 without WWW-Authenticate: Bearer")
    assert not wrong, f"{' '.join(key)}\n" + "\n".join(wrong)


def test_the_world_is_what_the_table_assumes(world: World) -> None:
    """The objects in the paths belong to ambassador A and provider X, so a 403 for B or Y means "not yours"."""
    scheduler, coordinator = world.clients["scheduler"], world.headers["coordinator"]
    session = scheduler.get(f"/api/v1/sessions/{world.ids['session']}", headers=coordinator).json()
    assert session["provider_id"] == world.ids["provider_x"]
    assert session["ambassador_ids"] == [world.ids["ambassador_a"]]
    for caller in CALLERS:
        for own in ("to_complete", "to_reopen", "to_move", "to_cancel"):
            mine = scheduler.get(f"/api/v1/sessions/{world.own[caller][own]}", headers=coordinator).json()
            assert (mine["provider_id"], mine["ambassador_ids"]) == (
                world.ids["provider_x"],
                [world.ids["ambassador_a"]],
            )
    report = world.clients["feedback"].get(f"/api/v1/reports/sessions/{world.ids['released']}", headers=coordinator)
    assert report.json()["provider_id"] == world.ids["provider_x"]
