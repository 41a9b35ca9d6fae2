"""The feedback service served for real, fed by real events on a real nats-server."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import nats
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from feedback.app import create_app
from feedback.forms.mixing import mix
from feedback.forms.repository import lock_session
from feedback.settings import FeedbackSettings
from shared.events import Envelope, SessionCompleted, SessionPublished, utcnow
from shared.natsserver import NatsServer
from shared.unit_of_work import UnitOfWork
from tests.support.config import Keys, feedback_settings
from tests.support.servers import ThreadedServer, fully_ready, wait_until
from tests.support.tokens import StaffSigner

#: where a session's answers are kept: the mixing pool, then the answers table.
ANSWER_TABLES = ("feedback_pool", "feedback_response")


@dataclass
class FeedbackService:
    client: httpx.Client
    keys: Keys
    nats_url: str
    scalar: Callable[[str], object]
    engine: Engine
    settings: FeedbackSettings
    app: FastAPI

    def complete_session(
        self,
        attendance: int,
        title: str = "Thursday meeting",
        provider: str = "ggd",
        days_ago: float = 0,
        audience: str = "women",
        languages: tuple[str, ...] = ("ar",),
        ambassadors: tuple[str, ...] = (),
        titles: dict[str, str] | None = None,
    ) -> str:
        """Publish a session and its completion as the scheduler would; wait until tokens exist."""
        session_id = uuid.uuid4().hex
        start = utcnow()
        published = SessionPublished(
            session_id=session_id,
            public_title=title,
            public_titles=titles,
            venue_public_name="Keizersgracht 12",
            address="x",
            starts_at=start,
            ends_at=start,
            timezone="Europe/Amsterdam",
            languages=list(languages),
            audience=audience,
            capacity=20,
            provider_id=provider,
            ambassador_ids=list(ambassadors),
        )
        completed = SessionCompleted(
            session_id=session_id,
            attendance=attendance,
            walk_ins=0,
            attended_booking_codes=[],
            provider_id=provider,
            languages=list(languages),
            audience=audience,
        )
        asyncio.run(_publish(self.nats_url, [published, completed], occurred_at=start - timedelta(days=days_ago)))
        sql = f"SELECT count(*) FROM feedback_token WHERE session_id = '{session_id}'"
        wait_until(lambda: self.scalar(sql), message="tokens to be minted")
        return session_id

    def stored(self, session_id: str) -> int:
        """Answers kept for a session: still in the mixing pool or mixed into the answers table."""
        counts = (f"SELECT count(*) FROM {table} WHERE session_id = '{session_id}'" for table in ANSWER_TABLES)
        return sum(int(self.scalar(sql)) for sql in counts)  # type: ignore[call-overload]

    def mix_all(self, session_id: str) -> int:
        """Empty the session's mixing pool into the answers table, as the window's close does."""
        with UnitOfWork(self.engine) as db:
            session = lock_session(db, session_id)
            assert session is not None
            return mix(db, session, self.settings, closing=True)


async def _publish(url: str, payloads: list[object], occurred_at: datetime) -> None:
    connection = await nats.connect(url)
    try:
        js = connection.jetstream()
        for payload in payloads:
            envelope = Envelope.wrap(payload, producer="scheduler").model_copy(  # type: ignore[arg-type]
                update={"occurred_at": occurred_at}
            )
            await js.publish(envelope.subject, envelope.to_json(), headers={"Nats-Msg-Id": envelope.id})
    finally:
        await connection.close()


@pytest.fixture
def schema() -> str:
    """Each test's database starts migrated for the feedback service (a copy of a template: tests/support/databases.py)."""
    return "feedback"


@pytest.fixture
def signer() -> StaffSigner:
    return StaffSigner()


@pytest.fixture
def jwks_url(signer: StaffSigner) -> Iterator[str]:
    """The scheduler's well-known JWKS URL, served for real with the test signer's key."""
    app = FastAPI()
    app.get("/.well-known/jwks.json")(signer.jwks)
    with ThreadedServer(app) as server:
        yield f"{server.url}/.well-known/jwks.json"


@pytest.fixture
def feedback(nats: NatsServer, database_url: str, keys: Keys, jwks_url: str) -> Iterator[FeedbackService]:
    settings = feedback_settings(nats.url, database_url, keys, scheduler_jwks_url=jwks_url)
    with ThreadedServer(create_app(settings)) as server:
        runtime = server.app.state.runtime

        def scalar(sql: str) -> object:
            with runtime.engine.connect() as connection:
                return connection.exec_driver_sql(sql).scalar()

        with server.client() as client:
            wait_until(lambda: fully_ready(client.get("/readyz")), message="feedback ready with staff keys")
            yield FeedbackService(
                client=client,
                keys=keys,
                nats_url=nats.url,
                scalar=scalar,
                engine=runtime.engine,
                settings=settings,
                app=server.app,
            )
