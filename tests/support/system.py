"""The whole system as real processes: nats-server and the three services."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from feedback.forms.mixing import mix
from feedback.forms.repository import lock_session
from feedback.settings import FeedbackSettings
from shared.clock import Clock
from shared.db import make_engine, normalise_url
from shared.natsserver import NatsServer, free_port
from shared.tls import client_context
from shared.unit_of_work import UnitOfWork
from tests.support.cluster import NatsCluster
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys
from tests.support.factories import signed_in
from tests.support.servers import CLIENT_SECONDS, ServiceProcess, wait_until

__all__ = ["System", "SERVICES"]

SERVICES = ("scheduler", "notifier", "feedback")


@dataclass
class System:
    root: Path
    nats: NatsServer | NatsCluster
    database_urls: dict[str, str]
    keys: Keys = field(default_factory=Keys)
    #: how many processes of a service to run (default one); the second is ``services["notifier-2"]``.
    replicas: dict[str, int] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    @property
    def sms_file(self) -> Path:
        return self.root / "outbox" / "sms.jsonl"

    @property
    def clock(self) -> Clock:
        """The services' clock (BRUG_TEST_CLOCK_FILE): tests/support/clock.py moves it, e.g. ``until_started``."""
        return Clock(self.root / "clock")

    def env(self) -> dict[str, str]:
        env = {
            "BRUG_NATS_URL": self.nats.url,
            "BRUG_NOTIFIER_PUBLIC_KEY": self.keys.public,
            "BRUG_NOTIFIER_PRIVATE_KEY": self.keys.private,
            "BRUG_FEEDBACK_TOKEN_SECRET": self.keys.token_secret,
            "BRUG_SCHEDULER_SIGNING_KEY": self.keys.signing,
            "BRUG_BOOTSTRAP_ADMIN_EMAIL": ADMIN_EMAIL,
            "BRUG_BOOTSTRAP_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "BRUG_OPTOUT_HASH_KEY": self.keys.optout_key,
            "BRUG_INVITE_TOKEN_SECRET": self.keys.invite_secret,
            "BRUG_SERVICE_SECRET": self.keys.service_secret,
            "BRUG_SMS_FILE_PATH": str(self.sms_file),
            "BRUG_OUTBOX_POLL_SECONDS": "0.05",
            # every client here is 127.0.0.1; the limits have their own tests (test_rate_limits.py)
            "BRUG_RATE_LIMIT_PER_MINUTE": '{"registration": 0, "registration-per-session": 0}',
            "BRUG_ALTCHA_FLOOD_PER_HOUR": "0",  # the registration challenge has its own tests
            "BRUG_ARGON2_TIME_COST": "1",
            "BRUG_ARGON2_MEMORY_KIB": "1024",
            "BRUG_DISPATCH_POLL_SECONDS": "0.05",
            # time moves when a test says so (shared/clock.py), not by waiting
            "BRUG_ENVIRONMENT": "test",
            "BRUG_TEST_CLOCK_FILE": str(self.root / "clock"),
        }
        for name in SERVICES:
            env[f"BRUG_{name.upper()}_DATABASE_URL"] = self.database_urls[name]
            env[f"BRUG_{name.upper()}_PORT"] = str(free_port())
        env["BRUG_SCHEDULER_JWKS_URL"] = f"http://127.0.0.1:{env['BRUG_SCHEDULER_PORT']}/.well-known/jwks.json"
        env["BRUG_NOTIFIER_PUBLIC_URL"] = f"http://127.0.0.1:{env['BRUG_NOTIFIER_PORT']}"
        env["BRUG_SCHEDULER_PUBLIC_URL"] = f"http://127.0.0.1:{env['BRUG_SCHEDULER_PORT']}"
        env["BRUG_FEEDBACK_PUBLIC_URL"] = f"http://127.0.0.1:{env['BRUG_FEEDBACK_PORT']}"
        return env

    def service_env(self, name: str, env: dict[str, str]) -> dict[str, str]:
        """``env`` with ``name``'s own NATS user, when the server has service users."""
        auth = self.nats.auth
        return env if auth is None else {**env, "BRUG_NATS_NKEY_SEED": auth.seeds[name]}

    def start(self) -> System:
        common = {**self.env(), **self.extra_env}
        for name in SERVICES:
            env = self.service_env(name, common)
            self.services[name] = ServiceProcess(name, env, self.root).start()
            for number in range(2, self.replicas.get(name, 1) + 1):
                own_port = {**env, f"BRUG_{name.upper()}_PORT": str(free_port())}
                label = f"{name}-{number}"
                self.services[label] = ServiceProcess(name, own_port, self.root, label=label).start()
        for service in self.services.values():
            wait_until(service.ready, timeout=60, message=f"{service.label} /readyz")
        return self

    @contextmanager
    def running(self) -> Iterator[System]:
        """Started for the block, stopped after it (also when a service never became ready)."""
        try:
            yield self.start()
        finally:
            self.stop()

    def stop(self) -> None:
        for client in self.clients.values():
            client.close()
        for service in self.services.values():
            service.stop()

    def client(self, name: str) -> httpx.Client:
        """A client of service ``name``; the scheduler's is signed in as the coordinator."""
        if name not in self.clients:
            client = httpx.Client(base_url=self.services[name].url, timeout=CLIENT_SECONDS, verify=client_context())
            self.clients[name] = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD) if name == "scheduler" else client
        return self.clients[name]

    def sms(self) -> list[dict[str, Any]]:
        if not self.sms_file.exists():
            return []
        return [json.loads(line) for line in self.sms_file.read_text().splitlines()]

    def sms_to(self, number: str) -> list[dict[str, Any]]:
        """The texts sent to ``number`` (E.164), in order: a system several tests share holds theirs too."""
        return [sms for sms in self.sms() if sms["to"] == number]

    def mix_feedback(self, session_id: str) -> int:
        """Empty a session's feedback mixing pool into the answer tables, as the close of its window does."""
        engine = make_engine(self.database_urls["feedback"])
        settings = FeedbackSettings(feedback_token_secret=self.keys.token_secret)
        try:
            with UnitOfWork(engine) as db:
                session = lock_session(db, session_id)
                assert session is not None, f"the feedback service knows no session {session_id}"
                return mix(db, session, settings, closing=True)
        finally:
            engine.dispose()

    def scalar(self, service: str, sql: str, **params: object) -> Any:
        """One value from ``service``'s own database, as an operator would look it up."""
        engine = create_engine(normalise_url(self.database_urls[service]))
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql), params).scalar()
        finally:
            engine.dispose()

    def rows(self, service: str, sql: str, **params: object) -> list[Any]:
        """Every row of a query on ``service``'s own database."""
        engine = create_engine(normalise_url(self.database_urls[service]))
        try:
            with engine.connect() as connection:
                return list(connection.execute(text(sql), params).all())
        finally:
            engine.dispose()

    def hold_lock(self, service: str, seconds: float) -> None:
        """Hold ``service``'s database locked for ``seconds``, as a long migration or a stuck
        backup would: SQLite's exclusive lock, or PostgreSQL's on its outbox table."""
        url = self.database_urls[service]
        if url.startswith("sqlite"):
            connection = sqlite3.connect(make_url(url).database or "", isolation_level=None)
            try:
                connection.execute("BEGIN EXCLUSIVE")
                time.sleep(seconds)
                connection.execute("ROLLBACK")
            finally:
                connection.close()
            return
        engine = create_engine(normalise_url(url))
        try:
            with engine.begin() as connection:
                connection.execute(text("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE"))
                time.sleep(seconds)
        finally:
            engine.dispose()

    def logs(self) -> str:
        return "".join(s.log_path.read_text() for s in self.services.values())
