"""Stream provisioning: four file-backed streams with the limits from settings."""

from __future__ import annotations

import asyncio

from nats.js.api import StorageType

from shared.bus import Bus
from shared.natsserver import NatsServer
from tests.support.probe import connected_bus, probe_settings


def test_streams_are_provisioned_and_follow_changed_limits(nats: NatsServer) -> None:
    async def scenario() -> None:
        settings = probe_settings(nats.url)
        async with connected_bus(settings) as bus:
            for name, subject in [
                ("SCHEDULING", "scheduling.>"),
                ("NOTIFY", "notify.>"),
                ("FEEDBACK", "feedback.>"),
                ("DEADLETTER", "deadletter.>"),
            ]:
                config = (await bus.js.stream_info(name)).config
                assert config.subjects == [subject]
                assert config.storage == StorageType.FILE
                assert config.num_replicas == 1
                assert config.duplicate_window == 120
                assert config.max_age == 30 * 86400
                assert config.max_bytes == 1024**3

        changed = settings.model_copy(update={"duplicate_window_seconds": 300.0, "stream_max_age_days": 7.0})
        async with connected_bus(changed) as bus:
            config = (await bus.js.stream_info("SCHEDULING")).config
            assert (config.duplicate_window, config.max_age) == (300, 7 * 86400)

    asyncio.run(scenario())


def test_a_bus_closed_at_any_moment_of_its_connecting_closes(nats: NatsServer) -> None:
    """A service stopped (SIGTERM) while its bus is still connecting stops. nats-py swallows a
    cancellation that lands in its ``flush`` (part of connecting), and the bus then went on watching
    its connection for ever: the service's shutdown waited on it without end (found when test servers
    were stopped right after they started). The close lands at each step of the connect in turn."""

    async def close_after(steps: int) -> None:
        bus = Bus(probe_settings(nats.url), "probe")
        bus.start()
        for _ in range(steps):
            await asyncio.sleep(0)
        await asyncio.wait_for(bus.close(), 10)
        assert bus._task is not None and bus._task.done()

    async def scenario() -> None:
        for steps in range(120):
            try:
                await close_after(steps)
            except TimeoutError:
                raise AssertionError(f"the bus did not close when closed {steps} loop steps into connecting") from None

    asyncio.run(scenario())
