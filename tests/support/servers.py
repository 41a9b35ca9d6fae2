"""Services under test, served for real: uvicorn in a thread, or a separate process."""

from __future__ import annotations

import asyncio
import contextlib
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

__all__ = ["ThreadedServer", "ServiceProcess", "fully_ready", "wait_until", "CLIENT_SECONDS"]

#: how long a test's HTTP client waits for an answer: a bound for a server that hangs, not a time a test
#: waits for. The first request to a route builds its state, and /openapi.json its schema (a quarter of a
#: second of CPU on an idle machine); under CI's load (stress-ng, load average ~10) such answers took over
#: 10 s, the bound before (test_operations' /openapi.json, test_erasure_api's first POST /api/v1/venues).
CLIENT_SECONDS = 60


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


#: how long a server may take to stop; on a loaded two-core machine (load average 20) a few took over 15 s.
STOP_SECONDS = 60


class _PromptServer(uvicorn.Server):
    """uvicorn as it is, but saying at once that it has started and stopping at once when asked: uvicorn
    looks at ``should_exit`` every 0.1 s, and tests polled ``started``; thousands of tests each start and
    stop a server, and that waiting was about 0.1 s of each."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.startup_done = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        try:
            await super().startup(sockets)
        finally:
            self.startup_done.set()  # started, or failed (``started`` stays False)

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            assert self._wake is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.1)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's shutdown without its fixed 0.1 s pause: close the listening sockets, ask each open
        connection to finish and wait until all have (the test's client has closed them by now), then
        the app's own shutdown (consumers, relay, database)."""
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        while self.server_state.connections or self.server_state.tasks:
            await asyncio.sleep(0.01)
        for server in self.servers:
            await server.wait_closed()
        await self.lifespan.shutdown()

    def stop(self) -> None:
        """Ask it to stop, from any thread; it leaves its main loop at once."""
        self.should_exit = True
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # its loop has already closed
                self._loop.call_soon_threadsafe(self._wake.set)


class ThreadedServer:
    """A FastAPI app on a real port, in a background thread with its own event loop."""

    def __init__(self, app: FastAPI) -> None:
        # Bound here and handed to uvicorn: a port only found free and bound later can be taken in
        # between by another test worker ("address already in use", seen in CI).
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.server = _PromptServer(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, access_log=False, lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        if not self.server.startup_done.wait(15) or not self.server.started:
            self.__exit__()
            raise AssertionError(f"{self.url} did not start (its lifespan failed or took over 15 s)")
        return self

    def __exit__(self, *_: object) -> None:
        self.server.stop()
        self.thread.join(STOP_SECONDS)
        self.socket.close()
        # left running, its consumers and relay would carry on into the next test's streams
        assert not self.thread.is_alive(), f"{self.url} did not stop within {STOP_SECONDS} s of being asked"

    @property
    def app(self) -> FastAPI:
        return self.server.config.app  # type: ignore[return-value]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=CLIENT_SECONDS, verify=client_context())


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
