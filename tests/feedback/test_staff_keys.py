"""The feedback service while the scheduler (its source of staff keys) is away."""

from __future__ import annotations

from feedback.app import create_app
from shared.natsserver import NatsServer, free_port
from tests.support.config import Keys, feedback_settings
from tests.support.servers import ThreadedServer, wait_until
from tests.support.tokens import StaffSigner


def test_public_routes_stay_up_while_staff_routes_wait_for_the_keys(
    nats: NatsServer, database_url: str, keys: Keys
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/.well-known/jwks.json"
    settings = feedback_settings(nats.url, database_url, keys, scheduler_jwks_url=nowhere)
    with ThreadedServer(create_app(settings)) as server, server.client() as client:
        ready = wait_until(lambda: (r := client.get("/readyz")).status_code == 200 and r, message="ready")
        assert ready.json() == {"status": "ready", "staff_keys": "waiting for the scheduler's JWKS"}
        report = client.get("/api/v1/reports/providers/ggd", headers=StaffSigner().headers("coordinator"))
        assert report.status_code == 503
        assert "try again shortly" in report.json()["detail"]
        unknown_form = client.get("/api/v1/forms/not-a-real-code")
        assert unknown_form.status_code == 404, "the public form answers without the staff keys"
