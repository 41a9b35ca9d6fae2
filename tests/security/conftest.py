"""The three services and their world, started once per module that asks for them; the feedback
service alone, per test, for the attacks on its anonymity."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.feedback.conftest import feedback, jwks_url, signer  # noqa: F401 - the feedback service, for its attacks
from tests.security.world import Services, World, build_world, running_services


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    with running_services(tmp_path_factory.mktemp("security")) as running:
        yield running


@pytest.fixture(scope="module")
def world(services: Services) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(services, stack)
