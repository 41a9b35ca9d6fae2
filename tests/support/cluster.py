"""Three nats-server processes clustered on loopback, with JetStream replicated across them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import nats

from shared.natsauth import BusAuth
from shared.natsserver import NatsServer, free_port
from tests.support.servers import wait_until

__all__ = ["NatsCluster"]


class NatsCluster:
    """A JetStream cluster of ``size`` nodes, each with its own store and client port.

    Every node has the same service users (``auth``); a client without credentials is the test
    harness, as on the single test server (tests/conftest.py).
    """

    def __init__(self, root: Path, size: int = 3, auth: BusAuth | None = None) -> None:
        self.auth = auth or BusAuth.generate(harness=True)
        route_ports = [free_port() for _ in range(size)]
        routes = ",".join(f"nats://127.0.0.1:{port}" for port in route_ports)
        self.nodes = [
            NatsServer(
                root / f"node-{i}",
                log_file=root / f"node-{i}.log",
                extra_args=[
                    *("--server_name", f"brug-{i}", "--cluster_name", "brug"),
                    *("--cluster", f"nats://127.0.0.1:{route_ports[i]}", "--routes", routes),
                ],
                auth=self.auth,
            )
            for i in range(size)
        ]

    @property
    def url(self) -> str:
        """BRUG_NATS_URL for a client of the cluster: every node, separated by commas."""
        return ",".join(node.url for node in self.nodes)

    def start(self) -> NatsCluster:
        for node in self.nodes:
            node.start()
        wait_until(self.jetstream_ready, timeout=30, interval=0.2, message="the JetStream cluster to elect a leader")
        return self

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def replicas(self, stream: str) -> int:
        """How many nodes hold ``stream`` (its leader and current replicas), asked of a live node."""
        url = next(node.url for node in self.nodes if node.running)
        return asyncio.run(_replicas(url, stream))

    def jetstream_ready(self) -> bool:
        """JetStream answers through every node (the cluster has a meta leader)."""
        return all(asyncio.run(_answers(node.url)) for node in self.nodes if node.running)


async def _answers(url: str) -> bool:
    try:
        connection = await nats.connect(url, connect_timeout=1, allow_reconnect=False)
    except Exception:  # noqa: BLE001 - not up yet
        return False
    try:
        await connection.jetstream(timeout=1).account_info()
        return True
    except Exception:  # noqa: BLE001 - no meta leader yet
        return False
    finally:
        await connection.close()


async def _replicas(url: str, stream: str) -> int:
    connection = await nats.connect(url, connect_timeout=2, allow_reconnect=False)
    try:
        info = await connection.jetstream(timeout=5).stream_info(stream)
        assert info.config.num_replicas is not None and info.cluster is not None
        return info.config.num_replicas
    finally:
        await connection.close()
