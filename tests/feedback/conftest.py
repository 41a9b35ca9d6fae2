"""The feedback service served for real, fed by real events on a real nats-server."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import nats
import pytest
from sqlalchemy import Engine

from feedback.app import create_app
from shared.events import Envelope, SessionCompleted, SessionPublished, utcnow
from shared.natsserver import NatsServer
from tests.support.config import Keys, feedback_settings
from tests.support.servers import ThreadedServer, wait_until


@dataclass
class FeedbackService:
    client: httpx.Client
    keys: Keys
    nats_url: str
    scalar: Callable[[str], object]
    engine: Engine

    def complete_session(self, attendance: int, title: str = "Thursday meeting", provider: str = "ggd") -> str:
        """Publish a session and its completion as the scheduler would; wait until tokens exist."""
        session_id = uuid.uuid4().hex
        start = utcnow()
        published = SessionPublished(
            session_id=session_id,
            public_title=title,
            venue_public_name="Keizersgracht 12",
            address="x",
            starts_at=start,
            ends_at=start,
            timezone="Europe/Amsterdam",
            languages=["ar"],
            audience="women",
            capacity=20,
            provider_id=provider,
        )
        completed = SessionCompleted(
            session_id=session_id,
            attendance=attendance,
            walk_ins=0,
            attended_booking_codes=[],
            provider_id=provider,
            languages=["ar"],
            audience="women",
        )
        asyncio.run(_publish(self.nats_url, [published, completed]))
        sql = f"SELECT count(*) FROM feedback_token WHERE session_id = '{session_id}'"
        wait_until(lambda: self.scalar(sql), message="tokens to be minted")
        return session_id


async def _publish(url: str, payloads: list[object]) -> None:
    connection = await nats.connect(url)
    try:
        js = connection.jetstream()
        for payload in payloads:
            envelope = Envelope.wrap(payload, producer="scheduler")  # type: ignore[arg-type]
            await js.publish(envelope.subject, envelope.to_json(), headers={"Nats-Msg-Id": envelope.id})
    finally:
        await connection.close()


@pytest.fixture
def feedback(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[FeedbackService]:
    with ThreadedServer(create_app(feedback_settings(nats.url, database_url, keys))) as server:
        runtime = server.app.state.runtime

        def scalar(sql: str) -> object:
            with runtime.engine.connect() as connection:
                return connection.exec_driver_sql(sql).scalar()

        with server.client() as client:
            wait_until(lambda: client.get("/readyz").status_code == 200, message="feedback ready")
            yield FeedbackService(client=client, keys=keys, nats_url=nats.url, scalar=scalar, engine=runtime.engine)
