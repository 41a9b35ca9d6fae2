"""`make run`'s launcher: all three ready within 60 s, a clean stop, data kept for the next run."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from shared.natsserver import free_port
from shared.tls import client_context
from tests.support.factories import make_venue, signed_in
from tests.support.servers import wait_until

ROOT = Path(__file__).resolve().parents[2]


class Launcher:
    def __init__(
        self, var: Path, nats_port: int, ports: dict[str, int], extra_env: dict[str, str] | None = None
    ) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BRUG_")}
        env.update({f"BRUG_{name.upper()}_PORT": str(port) for name, port in ports.items()})
        env.update(extra_env or {})
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "deploy" / "run.py"), "--var", str(var), "--nats-port", str(nats_port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def stop(self, sig: signal.Signals) -> int:
        self.process.send_signal(sig)
        code = self.process.wait(40)
        self.reader.join(5)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code


def test_the_launcher_starts_everything_stops_cleanly_and_keeps_data(tmp_path: Path) -> None:
    var, nats_port = tmp_path / "var", free_port()
    ports = {name: free_port() for name in ("scheduler", "notifier", "feedback")}

    first = Launcher(var, nats_port, ports)
    try:
        wait_until(lambda: first.said("Brug is running"), timeout=60, message="'Brug is running'")
        for name, url in first.urls.items():
            assert first.said(f"{name:<10} ready   {url}")
            assert httpx.get(f"{url}/readyz", verify=client_context()).status_code == 200
        dev = json.loads((var / "dev-secrets.json").read_text())
        email, password = dev["BRUG_BOOTSTRAP_ADMIN_EMAIL"], dev["BRUG_BOOTSTRAP_ADMIN_PASSWORD"]
        assert email == "admin@example.org" and len(password) >= 12
        assert first.said(f"  sign in    {email} / {password}   ")
        with httpx.Client(base_url=first.urls["scheduler"], verify=client_context()) as client:
            venue = make_venue(signed_in(client, email, password), name="Bibliotheek Oost")
    finally:
        assert first.stop(signal.SIGTERM) == 0
    assert first.lines[-1] == "Stopped."
    assert (var / "nats" / "jetstream").is_dir()
    assert (var / "scheduler.db").exists()

    second = Launcher(var, nats_port, ports)
    try:
        wait_until(lambda: second.said("Brug is running"), timeout=60, message="the second start")
        with httpx.Client(base_url=second.urls["scheduler"], verify=client_context()) as client:
            venues = signed_in(client, email, password).get("/api/v1/venues").json()
        assert [v["id"] for v in venues] == [venue["id"]]
        assert json.loads((var / "dev-secrets.json").read_text()) == dev
    finally:
        assert second.stop(signal.SIGINT) == 0
    assert second.lines[-1] == "Stopped."


def _launcher_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("brug_launcher", ROOT / "deploy" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_secrets_are_made_once_and_an_older_file_gains_only_what_it_lacks(tmp_path: Path) -> None:
    launcher = _launcher_module()
    fresh = launcher.dev_secrets(tmp_path)
    assert {"BRUG_SCHEDULER_SIGNING_KEY", "BRUG_BOOTSTRAP_ADMIN_EMAIL", "BRUG_BOOTSTRAP_ADMIN_PASSWORD"} <= set(fresh)
    assert launcher.dev_secrets(tmp_path) == fresh
    assert (tmp_path / "dev-secrets.json").stat().st_mode & 0o077 == 0

    older = tmp_path / "older"
    older.mkdir()
    before = {
        k: fresh[k] for k in ("BRUG_NOTIFIER_PRIVATE_KEY", "BRUG_NOTIFIER_PUBLIC_KEY", "BRUG_FEEDBACK_TOKEN_SECRET")
    }
    (older / "dev-secrets.json").write_text(json.dumps(before))
    upgraded = launcher.dev_secrets(older)
    assert {k: upgraded[k] for k in before} == before
    assert upgraded["BRUG_SCHEDULER_SIGNING_KEY"] != fresh["BRUG_SCHEDULER_SIGNING_KEY"]
    assert upgraded["BRUG_BOOTSTRAP_ADMIN_EMAIL"] == "admin@example.org"
    assert json.loads((older / "dev-secrets.json").read_text()) == upgraded
