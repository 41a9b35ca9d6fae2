"""Who may say what on the bus: one NATS account, one nkey user per service.

Why: NATS had no authentication, and anyone who reached it could publish a
forged ``scheduling.booking.confirmed`` with a number sealed to the (public)
notifier key; the notifier then texted that number whatever the forger wrote
(issue 16.1, tests/security/test_bus_permissions.py). Now each service signs
in with its own nkey and may publish only its own stream's events and its own
dead letters, read only the streams it consumes through its own durable
consumer, and receive replies only on its own inbox prefix, so one service's
key cannot read another's deliveries.

A reader does not make its own consumer: the stream's producer does, with the
filter :data:`READS` declares (``shared.bus``). A reader's key that could
create its consumer could also widen its filter to every event of the stream
(the feedback key reading bookings' codes on SCHEDULING); now that takes the
keys of two services.

This module is the one place the permissions are written. The server's
``accounts`` block is rendered from it for ``make run`` (deploy/run.py), the
test fixtures (shared/natsserver.py) and compose or Kubernetes
(``python -m shared.natsauth deploy/nats/local``, deploy/nats/README.md).

nkeys rather than passwords: the server holds only public keys, so its
configuration (a ConfigMap, a file in the repository's deploy folder) reveals
nothing that lets anyone sign in.
"""

from __future__ import annotations

import argparse
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nkeys

from shared.events import (
    STREAMS,
    AccountDeactivated,
    BookingCancelled,
    BookingConfirmed,
    BookingErased,
    BookingWaitlisted,
    InvitationsReady,
    Payload,
    ReportPublished,
    SessionCancelled,
    SessionCompleted,
    SessionPublished,
    SessionReopened,
    SessionRescheduled,
    stream_of,
)

__all__ = ["SERVICES", "READS", "BusAuth", "new_seed", "public_key", "permissions", "inbox_prefix", "readers_of"]

DEADLETTER = "DEADLETTER"
#: service → the stream it produces (its subjects are the stream's prefix).
OWN_STREAM: dict[str, str] = {"scheduler": "SCHEDULING", "notifier": "NOTIFY", "feedback": "FEEDBACK"}
#: service → the events it handles: its consumers' filters, made by each stream's producer. A
#: service's handlers (their ``event`` annotations, shared.consumer) must be exactly these (shared.web
#: refuses to build the app otherwise), so this is also the event catalogue's "Consumed by" (each event's
#: docstring in shared/events.py, checked against this by tests/shared/test_events.py).
READS: dict[str, tuple[type[Payload], ...]] = {
    "scheduler": (ReportPublished,),
    "notifier": (
        SessionPublished,
        SessionRescheduled,
        SessionCancelled,
        SessionCompleted,
        BookingConfirmed,
        BookingWaitlisted,
        BookingCancelled,
        BookingErased,
        AccountDeactivated,
        InvitationsReady,
    ),
    "feedback": (SessionPublished, SessionCompleted, SessionReopened, AccountDeactivated),
}
#: service → the streams its consumers read.
CONSUMES: dict[str, tuple[str, ...]] = {
    service: tuple(sorted({stream_of(event.type) for event in events})) for service, events in READS.items()
}
SERVICES = tuple(OWN_STREAM)
#: the account every service's user belongs to; one per deployment.
ACCOUNT = "BRUG"
#: the test fixtures' stand-in for any producer; never in a deployment's configuration.
HARNESS_USER = "harness"


def new_seed() -> str:
    """A fresh nkey user seed (``SU...``): the secret a service signs in with."""
    seed: bytes = nkeys.encode_seed(secrets.token_bytes(32), nkeys.PREFIX_BYTE_USER)  # nkeys has no type hints
    return seed.decode()


def public_key(seed: str) -> str:
    """The user's public key (``U...``), which is all the server needs to know."""
    key: bytes = nkeys.from_seed(bytearray(seed.encode())).public_key  # nkeys has no type hints
    return key.decode()


def readers_of(stream: str) -> dict[str, list[str]]:
    """Who reads ``stream``, and the event types each one's consumer lets through (its filter)."""
    return {
        service: sorted({event.type for event in events if stream_of(event.type) == stream})
        for service, events in READS.items()
        if stream in CONSUMES[service]
    }


def inbox_prefix(service: str) -> str:
    """Where ``service``'s replies (publish acks, fetched messages) arrive; only it may listen there."""
    return f"_INBOX_{service}"


def permissions(service: str) -> dict[str, dict[str, list[str]]]:
    """The subjects ``service`` may publish to and subscribe on, JetStream API calls included.

    Streams are created by whichever service starts first (create leaves an existing stream as it
    is), but only the owner may change a stream's limits (update) and make or change the consumers
    its readers fetch from; a reader may only look at its consumer, fetch from it and acknowledge.
    """
    own = OWN_STREAM[service]
    api = "$JS.API"
    publish = [f"{STREAMS[own]}.>", f"deadletter.{service}.>", f"{api}.INFO"]
    publish += [f"{api}.STREAM.CREATE.{stream}" for stream in [*STREAMS, DEADLETTER]]
    publish += [f"{api}.STREAM.{verb}.{stream}" for verb in ("UPDATE", "INFO") for stream in (own, DEADLETTER)]
    for reader in readers_of(own):
        publish += [
            f"{api}.CONSUMER.CREATE.{own}.{reader}",
            f"{api}.CONSUMER.DURABLE.CREATE.{own}.{reader}",
            f"{api}.CONSUMER.INFO.{own}.{reader}",
        ]
    for stream in CONSUMES[service]:
        publish += [
            f"{api}.STREAM.INFO.{stream}",
            f"{api}.CONSUMER.INFO.{stream}.{service}",
            f"{api}.CONSUMER.MSG.NEXT.{stream}.{service}",
            f"$JS.ACK.{stream}.{service}.>",
        ]
    return {"publish": {"allow": publish}, "subscribe": {"allow": [f"{inbox_prefix(service)}.>"]}}


@dataclass(frozen=True)
class BusAuth:
    """The seeds of one deployment's service users, and the server configuration they need.

    ``harness_password``: the test fixtures also let a client without credentials in, as a user
    that may do anything (tests publish other services' events on purpose); None everywhere else.
    """

    seeds: Mapping[str, str]
    harness_password: str | None = field(default=None, repr=False)

    @classmethod
    def generate(cls, *, harness: bool = False) -> BusAuth:
        return cls({name: new_seed() for name in SERVICES}, secrets.token_hex(16) if harness else None)

    def server_config(self) -> str:
        """The ``accounts`` block (and, for the test harness only, ``no_auth_user``) for nats.conf."""
        users: list[dict[str, object]] = [
            {"nkey": public_key(self.seeds[name]), "permissions": permissions(name)} for name in SERVICES
        ]
        if self.harness_password is not None:
            users.append({"user": HARNESS_USER, "password": self.harness_password})
        lines = ["# Rendered by shared/natsauth.py: one account, one nkey user per service.", "accounts {"]
        lines += [f"  {ACCOUNT}: {{", "    jetstream: enabled", "    users: ["]
        lines += [f"      {json.dumps(user)}" for user in users]
        lines += ["    ]", "  }", "}"]
        if self.harness_password is not None:
            lines.append(f"no_auth_user: {HARNESS_USER}")
        return "\n".join(lines) + "\n"


def write_deployment(folder: Path) -> None:
    """A new deployment's server ``auth.conf`` (public keys only) and one ``<service>.env`` per service
    holding its ``BRUG_NATS_NKEY_SEED`` (secret, mode 600), so each container gets its own seed only."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("*\n")  # seeds are never committed
    auth = BusAuth.generate()
    (folder / "auth.conf").write_text(auth.server_config())
    for name, seed in auth.seeds.items():
        path = folder / f"{name}.env"
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(f"BRUG_NATS_NKEY_SEED={seed}\n")


def main() -> None:
    """Make a deployment's NATS users: ``python -m shared.natsauth deploy/nats/local``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", type=Path, help="where to write auth.conf and <service>.env (e.g. deploy/nats/local)")
    folder = parser.parse_args().folder
    write_deployment(folder)
    print(f"{folder}/auth.conf: the server's users (public keys); {folder}/<service>.env: each service's seed (secret)")


if __name__ == "__main__":
    main()
