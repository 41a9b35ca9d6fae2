"""The chaos run on a three-node JetStream cluster with two processes of each service.

The chaos suite's workload (bookings, cancellations and promotions, a
reschedule, a STOP, reminders falling due, check-ins, completions) runs while
one NATS node and one process of each service are killed with kill -9 and
stay dead, and the gateway, SMTP and databases misbehave as in the chaos
suite. Every invariant of the chaos suite must still hold.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chaos.harness import Chaos, chaos_env
from tests.notifier.smtp import SmtpSink
from tests.support.cluster import NatsCluster
from tests.support.sms_gateways import FakeGateways
from tests.support.system import System

SECONDS = 30.0
#: which run (the faults and the workload follow from it); `make cluster-test CLUSTER_SEEDS="1 2 3"` runs several.
SEED = int(os.environ.get("BRUG_CHAOS_SEED", "8"))
#: what dies mid-run and stays dead: a NATS node and one process of each service.
CASUALTIES = ("scheduler-2", "notifier-2", "feedback-2")


class Survivors:
    """The cluster as the chaos harness sees it: a URL of a live node; the cluster is never stopped whole."""

    def __init__(self, cluster: NatsCluster) -> None:
        self.cluster = cluster

    @property
    def url(self) -> str:
        return next(node.url for node in self.cluster.nodes if node.running)

    @property
    def running(self) -> bool:
        return True

    def start(self) -> None:
        """Nothing to do: the lost node stays lost, the other two carry on."""


class ClusterChaos(Chaos):
    """The chaos run with the cluster's faults: one node and one process of each service lost for good,
    and the gateway, SMTP and database faults of the chaos suite around them."""

    cluster: NatsCluster

    def _inject_faults(self, rng: random.Random) -> None:
        if self._stop.wait(rng.uniform(0.2, 0.4) * self.seconds):
            return
        self.faults.append("kill -9 nats node 0")
        self.cluster.nodes[0].kill()
        for label in CASUALTIES:
            self.faults.append(f"kill -9 {label}")
            self.system.services[label].kill()
        troubles = [self._fault_gateway, self._fault_smtp, self._fault_lock]
        while not self._stop.wait(rng.uniform(1.0, 3.0)):
            rng.choice(troubles)(rng)

    def _recover(self) -> None:
        """The dead stay dead: the survivors must be enough."""
        deadline = time.monotonic() + 60
        for label, service in self.system.services.items():
            if label not in CASUALTIES:
                while not service.ready():
                    assert time.monotonic() < deadline, f"{label} is not ready after the faults"
                    time.sleep(0.2)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    nodes = NatsCluster(tmp_path / "nats")
    try:
        yield nodes.start()
    finally:
        nodes.stop()


@pytest.mark.production_backend
@pytest.mark.timeout(600)
def test_losing_a_nats_node_and_a_process_of_each_service_breaks_no_promise(
    tmp_path: Path, cluster: NatsCluster, database_urls: dict[str, str]
) -> None:
    with FakeGateways() as fake, SmtpSink() as smtp:
        system = System(
            root=tmp_path,
            nats=cluster,
            database_urls=database_urls,
            replicas={"scheduler": 2, "notifier": 2, "feedback": 2},
            extra_env={**chaos_env(fake, smtp), "BRUG_STREAM_REPLICAS": "3"},
        )
        try:
            system.start()
            assert [cluster.replicas(stream) for stream in ("SCHEDULING", "NOTIFY", "FEEDBACK")] == [3, 3, 3]
            chaos = ClusterChaos(
                system=system, nats=Survivors(cluster), fake=fake, smtp=smtp, seed=SEED, seconds=SECONDS
            )
            chaos.cluster = cluster
            chaos.run()
            chaos.settle()
            invariants = chaos.invariants()
            table = chaos.table(invariants)
            print("\n" + table)
            assert all(invariant.held for invariant in invariants), table
            assert not cluster.nodes[0].running and all(node.running for node in cluster.nodes[1:])
        finally:
            system.stop()
