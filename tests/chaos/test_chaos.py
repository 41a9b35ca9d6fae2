"""The chaos suite (short form in `make test`; `make chaos` runs it longer, over several seeds).

BRUG_CHAOS_SEED picks the run (the faults and the workload follow from it);
BRUG_CHAOS_SECONDS how long the faults go on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.natsserver import NatsServer
from tests.chaos.harness import Chaos, chaos_env, started
from tests.notifier.smtp import SmtpSink
from tests.support.sms_gateways import FakeGateways
from tests.support.system import System

SEED = int(os.environ.get("BRUG_CHAOS_SEED", "20261129"))
SECONDS = float(os.environ.get("BRUG_CHAOS_SECONDS", "30"))


@pytest.fixture
def fake() -> Iterator[FakeGateways]:
    with FakeGateways() as gateways:
        yield gateways


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


def _run(system: System, nats: NatsServer, fake: FakeGateways, smtp: SmtpSink) -> None:
    chaos = Chaos(system=system, nats=nats, fake=fake, smtp=smtp, seed=SEED, seconds=SECONDS)
    chaos.run()
    chaos.settle()
    invariants = chaos.invariants()
    table = chaos.table(invariants)
    print("\n" + table)
    assert all(invariant.held for invariant in invariants), table


@pytest.mark.production_backend
@pytest.mark.timeout(600 + 3 * max(0.0, SECONDS - 30))  # the long form runs longer
@pytest.mark.parametrize("replicas", [1, 2], ids=["one-of-each", "two-notifiers-two-feedbacks"])
def test_faults_lose_nothing_and_send_nothing_twice(
    tmp_path: Path, nats: NatsServer, database_urls: dict[str, str], fake: FakeGateways, smtp: SmtpSink, replicas: int
) -> None:
    system = System(
        root=tmp_path,
        nats=nats,
        database_urls=database_urls,
        replicas={"notifier": replicas, "feedback": replicas},
        extra_env=chaos_env(fake, smtp),
    )
    try:
        _run(started(system), nats, fake, smtp)
    finally:
        system.stop()
