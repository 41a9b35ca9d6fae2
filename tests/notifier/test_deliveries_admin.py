"""Coordinators list failed deliveries and send one again; nobody else may."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from notifier.app import create_app
from shared.natsserver import NatsServer
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import delivery, seed
from tests.support.config import Keys, notifier_settings
from tests.support.servers import ThreadedServer, wait_until
from tests.support.tokens import StaffSigner


@pytest.fixture
def signer() -> StaffSigner:
    return StaffSigner()


@pytest.fixture
def admin(nats: NatsServer, database_url: str, keys: Keys, signer: StaffSigner) -> Iterator[httpx.Client]:
    jwks = FastAPI()
    jwks.get("/.well-known/jwks.json")(signer.jwks)
    with ThreadedServer(jwks) as keys_server:
        settings = notifier_settings(
            nats.url,
            database_url,
            keys,
            scheduler_jwks_url=f"{keys_server.url}/.well-known/jwks.json",
            sms_gateway="webhook",
            sms_webhook_url="http://127.0.0.1:9/unreachable",
            sms_webhook_secret="w" * 16 + "x" * 16,
            delivery_max_attempts=1,
        )
        with ThreadedServer(create_app(settings)) as server, server.client() as client:
            yield client


def test_a_coordinator_sees_a_failed_delivery_and_retries_it(
    admin: httpx.Client, engine: Engine, keys: Keys, signer: StaffSigner
) -> None:
    failed = seed(engine, keys, code="FAIL-0001")
    wait_until(lambda: delivery(engine, failed).status == "failed", message="the delivery to fail")
    coordinator = signer.headers("coordinator")
    wait_until(lambda: admin.get("/api/v1/deliveries", headers=coordinator).status_code == 200, message="keys")
    listed = admin.get("/api/v1/deliveries", params={"status": "failed"}, headers=coordinator).json()
    assert [d["id"] for d in listed] == [failed]
    assert listed[0]["booking_code"] == "FAIL-0001" and "+316" not in str(listed)

    assert admin.post(f"/api/v1/deliveries/{failed}/retry", headers=signer.headers("ambassador")).status_code == 403
    assert admin.get("/api/v1/deliveries").status_code == 401
    response = admin.post(f"/api/v1/deliveries/{failed}/retry", headers=coordinator)
    assert response.status_code == 200 and response.json()["attempts"] == 0
    wait_until(lambda: delivery(engine, failed).status == "failed", message="the retry to run")
    assert delivery(engine, failed).attempts == 1

    with UnitOfWork(engine) as db:
        row = db.get(type(delivery(engine, failed)), failed)
        row.status = "unconfirmed"
        db.add(row)
    again = admin.post(f"/api/v1/deliveries/{failed}/retry", headers=coordinator)
    assert again.status_code == 409 and "never repeated" in again.json()["detail"]
    assert admin.post("/api/v1/deliveries/nope/retry", headers=coordinator).status_code == 404
