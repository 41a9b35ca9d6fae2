"""Missing or wrong settings stop start-up with one line that names the setting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from scheduler.accounts.tokens import generate_signing_key
from shared.sealing import generate_keypair
from shared.settings import CommonSettings

PRIVATE, PUBLIC = generate_keypair()
SIGNING = generate_signing_key()
SECRET = "5f0c1b9e" * 8


def _start(service: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BRUG_")}
    return subprocess.run(
        [sys.executable, "-m", service], env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("service", "env", "expected"),
    [
        ("scheduler", {}, "scheduler: setting BRUG_NOTIFIER_PUBLIC_KEY: Field required"),
        (
            "scheduler",
            {"BRUG_NOTIFIER_PUBLIC_KEY": "abc"},
            "scheduler: setting BRUG_NOTIFIER_PUBLIC_KEY: must be a base64 public key (python -m notifier keygen prints a pair)",
        ),
        (
            "scheduler",
            {"BRUG_NOTIFIER_PUBLIC_KEY": PUBLIC},
            "scheduler: setting BRUG_SCHEDULER_SIGNING_KEY: Field required",
        ),
        (
            "scheduler",
            {"BRUG_NOTIFIER_PUBLIC_KEY": PUBLIC, "BRUG_SCHEDULER_SIGNING_KEY": "not base64!"},
            "scheduler: setting BRUG_SCHEDULER_SIGNING_KEY: must be a base64 Ed25519 seed (python -m scheduler keygen prints one)",
        ),
        (
            "scheduler",
            {
                "BRUG_NOTIFIER_PUBLIC_KEY": PUBLIC,
                "BRUG_SCHEDULER_SIGNING_KEY": SIGNING,
                "BRUG_BOOTSTRAP_ADMIN_PASSWORD": "a long enough password",
            },
            "scheduler: setting BRUG_BOOTSTRAP_ADMIN_EMAIL and BRUG_BOOTSTRAP_ADMIN_PASSWORD: set both to create the first coordinator, or neither",
        ),
        (
            "notifier",
            {"BRUG_NOTIFIER_PRIVATE_KEY": PRIVATE, "BRUG_NOTIFIER_PORT": "eighty"},
            "notifier: setting BRUG_NOTIFIER_PORT: Input should be a valid integer, unable to parse string as an integer (got 'eighty')",
        ),
        (
            "feedback",
            {"BRUG_FEEDBACK_TOKEN_SECRET": SECRET, "BRUG_NATS_URL": "http://127.0.0.1:4222"},
            "feedback: setting BRUG_NATS_URL: must start with nats://, tls://, ws:// or wss:// (e.g. nats://127.0.0.1:4222; a cluster's servers separated by commas) (got 'http://127.0.0.1:4222')",
        ),
        (
            "feedback",
            {"BRUG_FEEDBACK_TOKEN_SECRET": SECRET, "BRUG_NATS_URL": "nats://n1:4222,n2:4222"},
            "feedback: setting BRUG_NATS_URL: must start with nats://, tls://, ws:// or wss:// (e.g. nats://127.0.0.1:4222; a cluster's servers separated by commas) (got 'nats://n1:4222,n2:4222')",
        ),
        (
            "feedback",
            {"BRUG_FEEDBACK_TOKEN_SECRET": SECRET, "BRUG_STREAM_REPLICAS": "2"},
            "feedback: setting BRUG_STREAM_REPLICAS: must be 1 (one host), 3 or 5 (a JetStream cluster) (got '2')",
        ),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(service: str, env: dict[str, str], expected: str) -> None:
    result = _start(service, **env)
    assert result.returncode == 2
    assert result.stderr.strip() == expected
    assert result.stdout == ""


def test_a_secret_is_never_echoed_back_when_it_is_wrong() -> None:
    result = _start("notifier", BRUG_NOTIFIER_PRIVATE_KEY="c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0")
    assert result.returncode == 2
    assert "c2VjcmV0" not in result.stderr
    assert "BRUG_NOTIFIER_PRIVATE_KEY: must be a 32-byte private key in base64, got 24 bytes" in result.stderr
    signing = _start(
        "scheduler", BRUG_NOTIFIER_PUBLIC_KEY=PUBLIC, BRUG_SCHEDULER_SIGNING_KEY="c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0"
    )
    assert signing.returncode == 2
    assert "c2VjcmV0" not in signing.stderr
    assert "BRUG_SCHEDULER_SIGNING_KEY: must be a 32-byte Ed25519 seed in base64, got 24 bytes" in signing.stderr
    password = _start(
        "scheduler",
        BRUG_NOTIFIER_PUBLIC_KEY=PUBLIC,
        BRUG_SCHEDULER_SIGNING_KEY=SIGNING,
        BRUG_BOOTSTRAP_ADMIN_EMAIL="admin@example.org",
        BRUG_BOOTSTRAP_ADMIN_PASSWORD="hunter2",
    )
    assert password.returncode == 2
    assert "hunter2" not in password.stderr
    assert "BRUG_BOOTSTRAP_ADMIN_PASSWORD: must be at least 12 characters" in password.stderr


def test_keygen_prints_a_pair_that_opens_what_it_seals() -> None:
    from shared.sealing import seal, unseal

    result = subprocess.run([sys.executable, "-m", "notifier", "keygen"], capture_output=True, text=True, timeout=60)
    lines = dict(line.split("   #")[0].strip().split("=", 1) for line in result.stdout.splitlines())
    sealed = seal(lines["BRUG_NOTIFIER_PUBLIC_KEY"], {"phone": "+31612345678"})
    assert "+31612345678" not in sealed
    assert unseal(lines["BRUG_NOTIFIER_PRIVATE_KEY"], sealed) == {"phone": "+31612345678"}


def test_a_cluster_is_named_by_its_servers_separated_by_commas() -> None:
    settings = CommonSettings(nats_url="nats://n1:4222, nats://n2:4222,nats://n3:4222")
    assert settings.nats_servers == ["nats://n1:4222", "nats://n2:4222", "nats://n3:4222"]
