"""Stream provisioning: four file-backed streams with the limits from settings."""

from __future__ import annotations

import asyncio

from nats.js.api import StorageType

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
