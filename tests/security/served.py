"""The three services served in this process on the test's databases, for the attacks that cross them.

Unlike ``world.running_services`` (one SQLite world per module), each test gets its own nats-server
and its own databases on each backend (SQLite, and PostgreSQL when it is reachable), and chooses
the settings the attack is about: the service secret, the rate limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from feedback.app import create_app as create_feedback
from notifier.app import create_app as create_notifier
from scheduler.app import create_app as create_scheduler
from shared.natsserver import NatsServer
from tests.support.config import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    Keys,
    feedback_settings,
    notifier_settings,
    scheduler_settings,
)
from tests.support.factories import signed_in
from tests.support.servers import ThreadedServer, fully_ready, wait_until

__all__ = ["Trio", "served"]


@dataclass
class Trio:
    servers: dict[str, ThreadedServer]

    def client(self, service: str) -> httpx.Client:
        return self.servers[service].client()

    def signed_in(self, client: httpx.Client, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> str:
        """The Authorization header of a token for ``email`` (the first coordinator unless told), and
        ``client`` (of the scheduler) sending it from now on."""
        return signed_in(client, email, password).headers["Authorization"]  # type: ignore[no-any-return]


@contextmanager
def served(
    nats: NatsServer,
    database_urls: dict[str, str],
    root: Path,
    *,
    scheduler: dict[str, object] | None = None,
    others: dict[str, object] | None = None,
) -> Iterator[Trio]:
    """Scheduler, notifier and feedback on ``nats``; ``scheduler`` and ``others`` are settings overrides."""
    keys = Keys()
    with ExitStack() as stack:
        made = create_scheduler(scheduler_settings(nats.url, database_urls["scheduler"], keys, **(scheduler or {})))
        first = stack.enter_context(ThreadedServer(made))
        jwks = {"scheduler_jwks_url": f"{first.url}/.well-known/jwks.json", **(others or {})}
        notifier = create_notifier(
            notifier_settings(nats.url, database_urls["notifier"], keys, sms_file_path=root / "sms.jsonl", **jwks)
        )
        feedback = create_feedback(feedback_settings(nats.url, database_urls["feedback"], keys, **jwks))
        servers = {
            "scheduler": first,
            "notifier": stack.enter_context(ThreadedServer(notifier)),
            "feedback": stack.enter_context(ThreadedServer(feedback)),
        }
        for name, running in servers.items():
            with running.client() as client:
                wait_until(lambda c=client: fully_ready(c.get("/readyz")), timeout=30, message=f"{name} ready")
        yield Trio(servers)
