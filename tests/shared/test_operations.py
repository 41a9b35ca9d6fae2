"""/healthz, /readyz, /metrics and the correlation id, on a service served for real."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scheduler.app import create_app
from shared.db import normalise_url
from shared.natsserver import NatsServer
from tests.conftest import POSTGRES_URL
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import make_venue, signed_in
from tests.support.servers import ThreadedServer, wait_until


@pytest.fixture
def served(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[httpx.Client]:
    """The scheduler, and a client signed in as its coordinator (the operations routes need no token)."""
    with (
        ThreadedServer(create_app(scheduler_settings(nats.url, database_url, keys))) as server,
        server.client() as client,
    ):
        wait_until(lambda: client.get("/readyz").status_code == 200, message="ready")
        yield signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


def test_health_readiness_and_openapi(served: httpx.Client) -> None:
    assert served.get("/healthz").json() == {"status": "ok"}
    assert served.get("/readyz").json() == {"status": "ready"}
    paths = served.get("/openapi.json").json()["paths"]
    assert {"/api/v1/venues", "/api/v1/sessions/{session_id}/bookings", "/healthz", "/readyz", "/metrics"} <= set(paths)
    assert {"/api/v1/auth/token", "/.well-known/jwks.json", "/api/v1/users", "/api/v1/providers"} <= set(paths)


def test_metrics_count_requests_by_route_template_not_by_url(served: httpx.Client) -> None:
    served.get("/api/v1/venues/unknown-venue-id")
    metrics = served.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert (
        'brug_http_requests_total{method="GET",route="/api/v1/venues/{venue_id}",service="scheduler",status="404"}'
        in metrics.text
    )
    assert "unknown-venue-id" not in metrics.text


def test_the_correlation_id_is_kept_or_made_and_returned(served: httpx.Client) -> None:
    assert served.get("/healthz", headers={"X-Correlation-Id": "abc123"}).headers["X-Correlation-Id"] == "abc123"
    assert len(served.get("/healthz").headers["X-Correlation-Id"]) == 32


def test_readyz_says_503_with_the_reason_while_the_database_is_unavailable(
    served: httpx.Client, database_url: str, backend: str
) -> None:
    make_venue(served)
    if backend == "sqlite":
        blocker = sqlite3.connect(make_url(database_url).database, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holds the database for too long
        response = served.get("/readyz", timeout=15)
        blocker.execute("ROLLBACK")
        blocker.close()
        assert response.json() == {
            "status": "unavailable",
            "problems": ["database: no answer within 5 s (locked or unreachable)"],
        }
    else:
        assert POSTGRES_URL is not None
        admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:  # the database goes away under the service
            connection.execute(text(f'DROP DATABASE "{make_url(database_url).database}" WITH (FORCE)'))
        admin.dispose()
        response = served.get("/readyz", timeout=15)
        assert response.json()["problems"][0].startswith("database: OperationalError")
    assert response.status_code == 503


def test_readyz_says_503_naming_nats_while_it_is_down(served: httpx.Client, nats: NatsServer) -> None:
    nats.stop()
    response = wait_until(lambda: (r := served.get("/readyz")).status_code == 503 and r, message="503")
    assert response.json() == {"status": "unavailable", "problems": [f"nats: not connected to {nats.url}"]}
    nats.start()
    wait_until(lambda: served.get("/readyz").status_code == 200, timeout=20, message="ready again")
