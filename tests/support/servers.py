"""Services under test, served for real: uvicorn in a thread, or a separate process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from shared.tls import client_context

__all__ = ["ThreadedServer", "ServiceProcess", "fully_ready", "wait_until"]


def fully_ready(response: httpx.Response) -> bool:
    """/readyz says ready and, for a service that checks staff tokens, that it has the keys."""
    return response.status_code == 200 and response.json().get("staff_keys", "loaded") == "loaded"


def wait_until(predicate, timeout: float = 15.0, interval: float = 0.05, message: str = "condition"):  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it returns something truthy; fail with ``message`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


class ThreadedServer:
    """A FastAPI app on a real port, in a background thread with its own event loop."""

    def __init__(self, app: FastAPI) -> None:
        # Bound here and handed to uvicorn: a port only found free and bound later can be taken in
        # between by another test worker ("address already in use", seen in CI).
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, access_log=False, lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        wait_until(lambda: self.server.started, message=f"{self.url} to start")
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        self.socket.close()

    @property
    def app(self) -> FastAPI:
        return self.server.config.app  # type: ignore[return-value]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, verify=client_context())


class ServiceProcess:
    """``python -m <service>`` as a real process, logging to a file."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path, label: str | None = None) -> None:
        """``label``: tells replicas of one service apart (their log files), e.g. ``notifier-2``."""
        self.name = name
        self.label = label or name
        self.env = env
        self.port = int(env[f"BRUG_{name.upper()}_PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{self.label}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", self.name], env={**os.environ, **self.env}, stdout=log, stderr=log
            )
        return self

    def ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(
                f"{self.name} exited with {self.process.returncode}:\n{self.log_path.read_text()[-3000:]}"
            )
        try:
            return fully_ready(httpx.get(f"{self.url}/readyz", timeout=2, verify=client_context()))
        except httpx.HTTPError:
            return False

    def readyz(self) -> httpx.Response:
        return httpx.get(f"{self.url}/readyz", timeout=5, verify=client_context())

    def kill(self) -> None:
        """kill -9: no shutdown hooks, nothing flushed, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
