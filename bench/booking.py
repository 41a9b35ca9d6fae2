"""Bookings over HTTP: the scheduler's booking path against a one-row FastAPI insert, and no overselling.

Starts, in a temporary folder, a nats-server, the scheduler as a real
process (``python -m scheduler``, uvicorn, SQLite in WAL mode) and a minimal
FastAPI app as a second process (the same uvicorn, the same SQLite set-up
from shared.db, one pydantic body and one ORM row per request), then in one run:

- throughput: ``wrk`` (Debian's ``wrk`` package) with a Lua script posting a
  registration with a phone number to each for a few seconds from N
  connections; bookings/s, p50, p99, non-2xx and the loader's CPU (so a
  reader can tell whether the loader was the limit), and the ratio. Without
  wrk a Python loader (threads over keep-alive http.client connections)
  stands in, and says so;
- correctness: 500 attempts at once (500 connections opened first, then all
  requests sent together) at a session of 20 seats must confirm exactly 20
  and waitlist the rest, with no error.

Everything listens on 127.0.0.1 only and every wait is bounded.
Usage: ``python bench/booking.py [connections] [seconds]`` (default 32, 8).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from shared.tls import client_context

# This file's folder comes first on sys.path; the services are imported from the installed package.
sys.path.remove(str(Path(__file__).resolve().parent))

from scheduler.accounts.tokens import generate_signing_key  # noqa: E402
from shared.db import make_engine  # noqa: E402
from shared.natsserver import NatsServer  # noqa: E402
from shared.sealing import generate_keypair  # noqa: E402
from shared.unit_of_work import UnitOfWork  # noqa: E402

ADMIN, PASSWORD = "bench@example.org", "a bench password of some length"
BODY = {"locale": "ar", "phone": "0612345678", "feedback_consent": True}
ATTEMPTS, SEATS = 500, 20
START_TIMEOUT = 60.0

WRK_SCRIPT = f"""
wrk.method = "POST"
wrk.body = '{json.dumps(BODY)}'
wrk.headers["Content-Type"] = "application/json"
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the baseline: one FastAPI endpoint that inserts one row -------------------------------------


class Registration(BaseModel):
    locale: str
    phone: str | None = None
    feedback_consent: bool = False


class Row(SQLModel, table=True):
    __tablename__ = "bench_booking"

    id: int | None = Field(default=None, primary_key=True)
    locale: str
    phone: str | None = None
    feedback_consent: bool = False


def baseline_app(database_url: str) -> FastAPI:
    """FastAPI + pydantic body + one SQLModel row per request, on shared.db's SQLite (WAL, BEGIN IMMEDIATE)."""
    engine = make_engine(database_url)
    SQLModel.metadata.create_all(engine)
    app = FastAPI()

    @app.post("/book", status_code=201)
    def book(data: Registration) -> dict[str, object]:
        with UnitOfWork(engine) as db:
            row = Row(**data.model_dump())
            db.add(row)
            db.flush()
            return {"id": row.id, "status": "confirmed"}

    @app.get("/readyz")
    def ready() -> dict[str, str]:
        return {"status": "ready"}

    return app


def _serve_baseline(port: int, database_url: str) -> None:
    import uvicorn

    uvicorn.run(baseline_app(database_url), host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- processes ------------------------------------------------------------------------------------


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2, verify=client_context()).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} not ready within {START_TIMEOUT:.0f} s:\n{log.read_text()[-2000:]}")


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(command, env={**os.environ, **env}, stdout=out, stderr=out)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _scheduler_env(folder: Path, port: int, nats_url: str) -> dict[str, str]:
    _private, public = generate_keypair()
    return {
        "BRUG_HOST": "127.0.0.1",
        "BRUG_SCHEDULER_PORT": str(port),
        "BRUG_SCHEDULER_DATABASE_URL": f"sqlite:///{folder / 'scheduler.db'}",
        "BRUG_NATS_URL": nats_url,
        "BRUG_NOTIFIER_PUBLIC_KEY": public,
        "BRUG_SCHEDULER_SIGNING_KEY": generate_signing_key(),
        "BRUG_INVITE_TOKEN_SECRET": secrets.token_hex(32),
        "BRUG_BOOTSTRAP_ADMIN_EMAIL": ADMIN,
        "BRUG_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
        "BRUG_LOG_LEVEL": "WARNING",
        # one load generator is one client: the per-client registration limits would stop it at once
        "BRUG_RATE_LIMIT_PER_MINUTE": '{"registration": 0, "registration-per-session": 0}',
        "BRUG_ALTCHA_FLOOD_PER_HOUR": "0",  # and a flood of one session is what it measures
        "BRUG_WAITLIST_MAX": "100000",  # and every attempt past the seats is to be waitlisted (default 100)
    }


def _session(url: str, capacity: int) -> str:
    """A venue and a session of ``capacity`` seats, made through the API as the coordinator."""
    with httpx.Client(base_url=url, timeout=30, verify=client_context()) as client:
        token = client.post("/api/v1/auth/token", data={"username": ADMIN, "password": PASSWORD}).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        venue = client.post(
            "/api/v1/venues",
            json={
                "name": "Bench hall",
                "public_name": "Hall",
                "kind": "community_centre",
                "address": "Straat 1, Amsterdam",
                "city": "Amsterdam",
                "rooms": [{"name": "Hall", "capacity": 10_000}],
            },
        ).json()
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7, hours=capacity % 1000)
        session = client.post(
            "/api/v1/sessions",
            json={
                "venue_id": venue["id"],
                "room_id": venue["rooms"][0]["id"],
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(minutes=30)).isoformat(),
                "languages": ["ar"],
                "internal_title": "Bench",
                "public_title": "Meeting",
                "capacity": capacity,
            },
        )
        assert session.status_code == 201, session.text
        return str(session.json()["id"])


# --- load -----------------------------------------------------------------------------------------


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(folder: Path, url: str, connections: int, seconds: int) -> dict[str, float]:
    script = folder / "post.lua"
    script.write_text(WRK_SCRIPT)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "errors": (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
        "loader_cpu": cpu / seconds,
    }


def _python_load(url: str, path: str, connections: int, seconds: int) -> dict[str, float]:
    """The fallback loader: one thread per connection, keep-alive http.client (slower than wrk; says so)."""
    host, port = url.removeprefix("http://").split(":")
    body, latencies, errors = json.dumps(BODY), [], [0]
    stop = time.monotonic() + seconds
    started_cpu = time.process_time()

    def client() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.monotonic() < stop:
            began = time.perf_counter()
            conn.request("POST", path, body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status >= 300:
                errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    latencies.sort()
    return {
        "rate": len(latencies) / seconds,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "errors": errors[0],
        "loader_cpu": (time.process_time() - started_cpu) / seconds,
    }


def _load(folder: Path, url: str, path: str, connections: int, seconds: int) -> dict[str, float]:
    if shutil.which("wrk"):
        return _wrk(folder, f"{url}{path}", connections, seconds)
    return _python_load(url, path, connections, seconds)


async def _burst(port: int, path: str, attempts: int) -> list[tuple[int, str]]:
    """``attempts`` requests sent at once, each on its own connection opened beforehand."""
    body = json.dumps(BODY).encode()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    streams = [await asyncio.open_connection("127.0.0.1", port) for _ in range(attempts)]

    async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> tuple[int, str]:
        writer.write(request)
        await writer.drain()
        raw = await reader.read()
        writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        return status, json.loads(payload).get("status", "") if status == 201 else payload.decode()[:200]

    return await asyncio.wait_for(asyncio.gather(*(one(r, w) for r, w in streams)), timeout=280)


# --- the run --------------------------------------------------------------------------------------


def main(connections: int, seconds: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        nats = NatsServer(folder / "nats", log_file=folder / "nats.log").start()
        port, base_port = _free_port(), _free_port()
        scheduler = _start(
            [sys.executable, "-m", "scheduler"], _scheduler_env(folder, port, nats.url), folder / "s.log"
        )
        baseline = _start(
            [sys.executable, __file__, "--baseline", str(base_port), f"sqlite:///{folder / 'baseline.db'}"],
            {},
            folder / "b.log",
        )
        try:
            url, base_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{base_port}"
            _wait_ready(url, scheduler, folder / "s.log")
            _wait_ready(base_url, baseline, folder / "b.log")
            ample = _session(url, 10_000)
            loader = "wrk" if shutil.which("wrk") else "Python threads (install wrk for a loader that is not the limit)"
            ours = _load(folder, url, f"/api/v1/sessions/{ample}/bookings", connections, seconds)
            bare = _load(folder, base_url, "/book", connections, seconds)
            tight = _session(url, SEATS)
            outcomes = asyncio.run(_burst(port, f"/api/v1/sessions/{tight}/bookings", ATTEMPTS))
            with httpx.Client(base_url=url, timeout=10, verify=client_context()) as client:
                token = client.post("/api/v1/auth/token", data={"username": ADMIN, "password": PASSWORD}).json()
                headers = {"Authorization": f"Bearer {token['access_token']}"}
                shown = client.get(f"/api/v1/sessions/{tight}", headers=headers).json()
        finally:
            _stop(scheduler)
            _stop(baseline)
            nats.stop()
    _report(loader, connections, seconds, ours, bare, outcomes, shown)


def _report(
    loader: str,
    connections: int,
    seconds: int,
    ours: dict[str, float],
    bare: dict[str, float],
    outcomes: list[tuple[int, str]],
    shown: dict[str, int],
) -> None:
    print(f"loader: {loader}, {connections} connections, {seconds} s each, 127.0.0.1, one uvicorn process each")
    print("| measure | bookings/s | p50 ms | p99 ms | errors | loader CPU |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, r in (
        ("scheduler POST /api/v1/sessions/{id}/bookings", ours),
        ("baseline FastAPI one-row insert", bare),
    ):
        print(
            f"| {label} | {r['rate']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']:.0f} "
            f"| {r['loader_cpu']:.0%} of a core |"
        )
    print(f"| ratio (scheduler / baseline) | {ours['rate'] / bare['rate']:.2f} | | | | |")
    confirmed = sum(s == 201 and t == "confirmed" for s, t in outcomes)
    waitlisted = sum(s == 201 and t == "waitlisted" for s, t in outcomes)
    failed = [(s, t) for s, t in outcomes if s != 201]
    print(
        f"\n{ATTEMPTS} attempts at once at {SEATS} seats: {confirmed} confirmed, {waitlisted} waitlisted, "
        f"{len(failed)} failed{' ' + str(failed[:3]) if failed else ''}; the session shows "
        f"{shown['confirmed']} confirmed, {shown['waitlisted']} waitlisted"
    )
    ok = (
        confirmed == shown["confirmed"] == SEATS
        and waitlisted == shown["waitlisted"] == ATTEMPTS - SEATS
        and not failed
        and ours["errors"] == 0
    )
    print("OK" if ok else "FAILED: capacity or errors")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--baseline"]:
        _serve_baseline(int(sys.argv[2]), sys.argv[3])
    else:
        numbers = [int(a) for a in sys.argv[1:3]]
        main(*(numbers + [32, 8][len(numbers) :]))
