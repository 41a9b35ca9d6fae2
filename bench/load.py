"""A mixed workload at rising concurrency against the whole running system, to find its knee.

Starts, in a temporary folder, the system as the chaos suite does
(``tests.support.system.System``: nats-server, then ``python -m scheduler``,
``notifier`` and ``feedback`` as real processes, SQLite in WAL mode, the
notifier writing its texts to a file), prepares sessions through the
scheduler's API (public ones to book, and a few completed with walk-ins so the
feedback service mints cards), then runs steps of 1, 2, 4 … 64 clients for a
fixed time each. Every client loops without pause over a mix:

- browse: the public listing (``GET /api/v1/public/sessions``) and a session's
  page (``GET /s/{id}``);
- register (``POST /api/v1/sessions/{id}/bookings``, a fresh number each time);
- cancel one of its own bookings through its secret link's API
  (``POST /api/v1/bookings/{code}/cancel?token=…``);
- check in one of its own bookings as staff (``POST …/check-ins``);
- answer a feedback card (``POST /api/v1/forms/{token}/responses``) with a
  token the feedback service minted when a session was completed.

Per step and endpoint it prints throughput (answered requests), p50/p95/p99
over every request (one unanswered after ``TIMEOUT`` counts as that long, and
as an error), the error rate, the services' CPU and peak RSS (``VmHWM``) and
the loader's own CPU (so a reader can tell whether the loader was the limit),
then the knee: the first step whose p99 passes ten times the one-client p99,
and the errors the services logged.

The loader is a few processes of threads, each thread one client with its own
keep-alive ``http.client`` connections (httpx is itself the limit at these
rates; ../shared/MEASURED.md). wrk cannot carry a booking's code and secret
from the registration to its cancellation.

It stops by itself: steps that would not end within ``--total`` seconds
(set-up included) are not run. Everything listens on 127.0.0.1 only.
Usage: ``python bench/load.py [--total 240] [--step 15] [--clients 1,2,4,8,16,32,64] [--procs 2]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# This file's folder comes first on sys.path (where `feedback` would be bench/feedback.py); the
# services come from the installed package, the launcher from the tests (tests/support/system.py).
sys.path.remove(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedback.tokens.minting import derive_token  # noqa: E402
from shared.natsserver import NatsServer  # noqa: E402
from tests.support.servers import wait_until  # noqa: E402
from tests.support.system import System  # noqa: E402

#: weights of the mix; a client with no booking to cancel or check in registers instead.
MIX = {"listing": 30, "session page": 25, "register": 20, "cancel": 8, "check-in": 7, "feedback": 10}
ENDPOINTS = {
    "listing": "GET /api/v1/public/sessions",
    "session page": "GET /s/{id}",
    "register": "POST /api/v1/sessions/{id}/bookings",
    "cancel": "POST /api/v1/bookings/{code}/cancel",
    "check-in": "POST /api/v1/sessions/{id}/check-ins",
    "feedback": "POST /api/v1/forms/{token}/responses",
}
OPEN_SESSIONS = 8  # public, capacity 10,000 each: registrations never run out of seats
FEEDBACK_SESSIONS = 4
WALK_IN_CALLS = 5  # of 500 walk-ins each: 2,500 cards per completed session
ANSWER = json.dumps({"answers": {"useful": 4, "felt_safe": True, "understood": True, "topics_next": ["health_system"]}})
KNEE_FACTOR = 10
TIMEOUT = 10.0  # a request not answered within this counts as an error
#: a connection idle this long is opened afresh: uvicorn closes idle keep-alive connections after 5 s,
#: and a request written to one it has just closed fails (a browser would retry it; we do not).
KEEPALIVE_EXPIRY = 4.0
START_TIMEOUT = 180.0
STEP_OVERHEAD = 5.0  # starting the loader processes, collecting their figures
STOP_RESERVE = 20.0  # stopping the services (SIGTERM, their shutdown)


# --- the system ----------------------------------------------------------------------------------


@dataclass
class Target:
    """What the clients need to know about the prepared system."""

    scheduler: str
    feedback: str
    staff: str  # a coordinator's bearer token, for check-ins
    sessions: list[str]
    tokens: list[str] = field(default_factory=list)


def start_system(root: Path) -> tuple[System, NatsServer]:
    nats = NatsServer(root / "nats", log_file=root / "nats.log").start()
    urls = {name: f"sqlite:///{root / (name + '.db')}" for name in ("scheduler", "notifier", "feedback")}
    # the services' own poll intervals, not the tests' quick ones; registration unlimited, as every
    # client here is 127.0.0.1 (the other limits count wrong codes only, and the loader makes none)
    env = {"BRUG_OUTBOX_POLL_SECONDS": "0.5", "BRUG_DISPATCH_POLL_SECONDS": "0.5"}
    system = System(root=root, nats=nats, database_urls=urls, extra_env=env)
    try:
        try:
            system.start()
        except AssertionError:  # not ready within System's 60 s: on a busy machine, give it longer
            ready = lambda: all(s.ready() for s in system.services.values())  # noqa: E731
            wait_until(ready, timeout=START_TIMEOUT, interval=0.5, message="the services' /readyz")
    except BaseException:
        for service in system.services.values():
            print(f"--- {service.label}.log (last lines)\n{service.log_path.read_text()[-1500:]}", file=sys.stderr)
        system.stop()
        nats.stop()
        raise
    return system, nats


def prepare(system: System) -> Target:
    """Public sessions to book, and completed sessions whose cards the feedback service mints."""
    admin = system.client("scheduler")
    provider = _created(admin.post("/api/v1/providers", json={"name": "GGD", "contact": "ggd@example.org"}))
    rooms = [{"name": f"Room {i}", "capacity": 10_000} for i in range(OPEN_SESSIONS + FEEDBACK_SESSIONS)]
    venue = _created(
        admin.post(
            "/api/v1/venues",
            json={
                "name": "Bench centre",
                "public_name": "Keizersgracht 12",
                "kind": "sexual_violence_centre",
                "address": "Keizersgracht 12, 1015 CS Amsterdam",
                "city": "Amsterdam",
                "rooms": rooms,
            },
        )
    )
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    sessions = []
    for room in venue["rooms"]:
        body = {
            "venue_id": venue["id"],
            "room_id": room["id"],
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "languages": ["en", "ar"],
            "audience": "open",
            "topics": ["where_to_find_help"],
            "internal_title": "Where to find help",
            "public_title": "Afternoon meeting",
            "capacity": 10_000,
            "public": True,
            "provider_id": provider["id"],
        }
        sessions.append(_created(admin.post("/api/v1/sessions", json=body))["id"])
    open_sessions, closed = sessions[:OPEN_SESSIONS], sessions[OPEN_SESSIONS:]
    for session_id in closed:
        for _ in range(WALK_IN_CALLS):
            _ok(admin.post(f"/api/v1/sessions/{session_id}/check-ins", json={"walk_ins": 500}))
        _ok(admin.post(f"/api/v1/sessions/{session_id}/complete"))
    cards = WALK_IN_CALLS * 500
    wait_until(
        lambda: system.scalar("feedback", "SELECT count(*) FROM feedback_token WHERE NOT link") >= cards * len(closed),
        timeout=120,
        interval=0.5,
        message="the feedback service to mint the cards",
    )
    secret = system.keys.token_secret
    tokens = [derive_token(secret, s, i) for s in closed for i in range(cards)]
    random.Random(7).shuffle(tokens)
    return Target(
        scheduler=system.services["scheduler"].url,
        feedback=system.services["feedback"].url,
        staff=str(admin.headers["Authorization"]),
        sessions=open_sessions,
        tokens=tokens,
    )


def _created(response: Any) -> dict[str, Any]:
    if response.status_code != 201:
        raise SystemExit(f"set-up failed: {response.request.method} {response.request.url}: {response.text}")
    return response.json()  # type: ignore[no-any-return]


def _ok(response: Any) -> None:
    if response.status_code != 200:
        raise SystemExit(f"set-up failed: {response.request.method} {response.request.url}: {response.text}")


# --- the clients ---------------------------------------------------------------------------------


@dataclass
class Booking:
    code: str
    token: str
    session_id: str
    confirmed: bool


class Client:
    """One simulated user agent: keep-alive connections, its own bookings, a share of the cards."""

    def __init__(self, target: Target, label: str, tokens: list[str], rng: random.Random) -> None:
        self.target, self.label, self.tokens, self.rng = target, label, tokens, rng
        self.connections: dict[str, http.client.HTTPConnection] = {}
        self.last_used: dict[str, float] = {}
        self.bookings: list[Booking] = []
        self.made = 0
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: list[str] = []
        self.cards_out = 0

    def run(self, until: float) -> None:
        names, weights = list(MIX), list(MIX.values())
        while time.monotonic() < until:
            self.act(self.rng.choices(names, weights)[0])
        for connection in self.connections.values():
            connection.close()

    def act(self, action: str) -> None:
        target, rng = self.target, self.rng
        if action == "listing":
            self.call(action, target.scheduler, "GET", "/api/v1/public/sessions")
        elif action == "session page":
            self.call(action, target.scheduler, "GET", f"/s/{rng.choice(target.sessions)}")
        elif action == "cancel" and self.bookings:
            booking = self.bookings.pop(rng.randrange(len(self.bookings)))
            self.call(action, target.scheduler, "POST", f"/api/v1/bookings/{booking.code}/cancel?token={booking.token}")
        elif action == "check-in" and (ready := [b for b in self.bookings if b.confirmed]):
            booking = ready[rng.randrange(len(ready))]
            self.bookings.remove(booking)
            body = {"booking_code": booking.code}
            path = f"/api/v1/sessions/{booking.session_id}/check-ins"
            self.call(action, target.scheduler, "POST", path, body, {"Authorization": target.staff})
        elif action == "feedback" and self.tokens:
            path = f"/api/v1/forms/{self.tokens.pop()}/responses"
            self.call(action, target.feedback, "POST", path, json.loads(ANSWER), expect=201)
        elif action == "feedback":
            self.cards_out += 1
            self.call("listing", target.scheduler, "GET", "/api/v1/public/sessions")
        else:
            self.register()

    def register(self) -> None:
        session_id = self.rng.choice(self.target.sessions)
        self.made += 1
        body = {"locale": "en", "phone": f"+3162{self.label}{self.made:04d}", "feedback_consent": True}
        answer = self.call(
            "register", self.target.scheduler, "POST", f"/api/v1/sessions/{session_id}/bookings", body, expect=201
        )
        if answer is not None:
            confirmed = answer["status"] == "confirmed"
            self.bookings.append(Booking(answer["code"], answer["manage_token"], session_id, confirmed))

    def call(
        self,
        endpoint: str,
        base: str,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        expect: int = 200,
    ) -> Any:
        """One request on this client's keep-alive connection; its latency, or an error."""
        payload = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})} if payload is not None else dict(headers or {})
        began = time.perf_counter()
        try:
            connection = self._connection(base)
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            if (broken := self.connections.pop(base, None)) is not None:
                broken.close()
            self.latencies[endpoint].append(time.perf_counter() - began)  # a time-out counts as its 10 s
            self._error(endpoint, f"{type(error).__name__}: {error}")
            return None
        self.latencies[endpoint].append(time.perf_counter() - began)
        if response.status != expect:
            self._error(endpoint, f"{response.status} {data[:200]!r}")
            return None
        return (
            json.loads(data) if data and response.getheader("content-type", "").startswith("application/json") else data
        )

    def _connection(self, base: str) -> http.client.HTTPConnection:
        now = time.monotonic()
        if base in self.connections and now - self.last_used[base] > KEEPALIVE_EXPIRY:
            self.connections.pop(base).close()
        self.last_used[base] = now
        if base not in self.connections:
            parts = urlsplit(base)
            self.connections[base] = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT)
        return self.connections[base]

    def _error(self, endpoint: str, what: str) -> None:
        self.errors[endpoint] += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(f"{endpoint}: {what}")


def _loader(target: Target, labels: list[str], tokens: list[list[str]], start: float, seconds: float, out: Any) -> None:
    """One loader process: a thread per client, all started together at ``start`` (time.time)."""
    rng = random.Random(labels[0] if labels else 0)
    clients = [
        Client(target, label, share, random.Random(rng.random())) for label, share in zip(labels, tokens, strict=True)
    ]
    time.sleep(max(0.0, start - time.time()))
    until = time.monotonic() + seconds
    cpu = _own_cpu()
    threads = [threading.Thread(target=c.run, args=(until,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    for client in clients:
        for name, values in client.latencies.items():
            latencies[name].extend(values)
        for name, count in client.errors.items():
            errors[name] += count
        samples.extend(client.error_samples)
    unused = [t for c in clients for t in c.tokens]
    out.put((dict(latencies), dict(errors), samples[:5], _own_cpu() - cpu, sum(c.cards_out for c in clients), unused))


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- a step --------------------------------------------------------------------------------------


@dataclass
class Step:
    clients: int
    seconds: float
    latencies: dict[str, list[float]]
    errors: dict[str, int]
    samples: list[str]
    loader_cpu: float
    service_cpu: dict[str, float]
    cards_out: int

    def all_latencies(self) -> list[float]:
        return [v for values in self.latencies.values() for v in values]

    def p99(self, endpoint: str | None = None) -> float | None:
        values = self.all_latencies() if endpoint is None else self.latencies.get(endpoint, [])
        return percentile(sorted(values), 99) if values else None


def run_step(target: Target, system: System, clients: int, seconds: float, procs: int, number: int) -> Step:
    """``clients`` clients over ``min(procs, clients)`` processes for ``seconds``; the cards are shared out."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    groups = [list(range(p, clients, min(procs, clients))) for p in range(min(procs, clients))]
    share = len(target.tokens) // clients
    tokens = [target.tokens[i * share : (i + 1) * share] for i in range(clients)]
    start = time.time() + 1.0
    before = {name: _service_cpu(service.process.pid) for name, service in _pids(system)}
    workers = []
    for group in groups:
        labels = [f"{number % 10}{i:02d}" for i in group]  # +3162, these and a 4-digit counter: unique
        args = (target, labels, [tokens[i] for i in group], start, seconds, out)
        worker = context.Process(target=_loader, args=args)
        worker.start()
        workers.append(worker)
    results = [out.get(timeout=seconds + 120) for _ in workers]
    for worker in workers:
        worker.join(30)
    after = {name: _service_cpu(service.process.pid) for name, service in _pids(system)}
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    unused: list[str] = []
    for lat, err, sample, _cpu, _out, left in results:
        for name, values in lat.items():
            latencies[name].extend(values)
        for name, count in err.items():
            errors[name] += count
        samples.extend(sample)
        unused.extend(left)
    target.tokens = unused  # a card answered once is spent
    return Step(
        clients=clients,
        seconds=seconds,
        latencies=dict(latencies),
        errors=dict(errors),
        samples=samples[:5],
        loader_cpu=sum(r[3] for r in results) / seconds,
        service_cpu={name: (after[name] - before[name]) / seconds for name in before},
        cards_out=sum(r[4] for r in results),
    )


def _pids(system: System) -> list[tuple[str, Any]]:
    return [(name, service) for name, service in system.services.items() if service.process is not None]


def _service_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (/proc/<pid>/stat, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- the report ----------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:,.0f}" if value >= 0.01 else f"{value * 1000:.1f}"


def table(steps: list[Step]) -> str:
    lines = [
        "| clients | endpoint | answered/s | p50 ms | p95 ms | p99 ms | errors |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for step in steps:
        rows = [(name, step.latencies.get(name, [])) for name in MIX]
        rows.append(("all", step.all_latencies()))
        for name, values in rows:
            ordered = sorted(values)
            failed = step.errors.get(name, 0) if name != "all" else sum(step.errors.values())
            total = len(values)
            if not total:
                continue
            label = "**all**" if name == "all" else ENDPOINTS[name]
            p50, p95, p99 = (percentile(ordered, p) if ordered else None for p in (50, 95, 99))
            lines.append(
                f"| {step.clients} | {label} | {(total - failed) / step.seconds:,.1f} | {_ms(p50)} | {_ms(p95)} | "
                f"{_ms(p99)} | {failed / total:.1%} |"
            )
    return "\n".join(lines)


def resources(steps: list[Step], peaks: dict[str, list[float]]) -> str:
    names = list(peaks)
    lines = [
        "| clients | loader CPU | "
        + " | ".join(f"{n} CPU" for n in names)
        + " | "
        + " | ".join(f"{n} peak RSS" for n in names)
        + " |",
        "| ---: | ---: | " + " | ".join("---:" for _ in names * 2) + " |",
    ]
    for i, step in enumerate(steps):
        cpu = " | ".join(f"{step.service_cpu.get(n, 0):.0%}" for n in names)
        rss = " | ".join(f"{peaks[n][i]:.0f} MB" for n in names)
        lines.append(f"| {step.clients} | {step.loader_cpu:.0%} | {cpu} | {rss} |")
    return "\n".join(lines)


def knees(steps: list[Step]) -> list[str]:
    """The first step whose p99 passes KNEE_FACTOR times the one-client p99, overall and per endpoint."""
    if not steps or steps[0].clients != 1:
        return ["no knee: the one-client step did not run"]
    found = []
    for endpoint in [None, *MIX]:
        idle = steps[0].p99(endpoint)
        label = "all requests" if endpoint is None else ENDPOINTS[endpoint]
        if idle is None:
            continue
        knee = next((s for s in steps[1:] if (p := s.p99(endpoint)) is not None and p > KNEE_FACTOR * idle), None)
        if knee is None:
            found.append(f"{label}: idle p99 {_ms(idle)} ms; no step passed {KNEE_FACTOR}× it")
        else:
            found.append(
                f"{label}: idle p99 {_ms(idle)} ms; knee at **{knee.clients} clients** "
                f"(p99 {_ms(knee.p99(endpoint))} ms)"
            )
    return found


def log_errors(system: System) -> list[str]:
    """Per service, how many error lines its log has and the commonest (the last line of a traceback)."""
    found = []
    for name, service in system.services.items():
        seen: Counter[str] = Counter()
        for line in service.log_path.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("level") in ("error", "critical"):
                text = (entry.get("exception") or entry.get("event") or "").strip().splitlines()
                tail = [t for t in text if not t.startswith("(Background on this error")]
                seen[(tail[-1] if tail else "?")[:160]] += 1
        if seen:
            top = ", ".join(f"{n}x {what}" for what, n in seen.most_common(3))
            found.append(f"{name} {sum(seen.values())} ({top})")
    return found


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--total", type=float, default=240.0, help="stop within this many seconds, set-up included")
    parser.add_argument("--step", type=float, default=15.0, help="seconds per concurrency step")
    parser.add_argument("--clients", default="1,2,4,8,16,32,64", help="the steps, comma-separated")
    parser.add_argument("--procs", type=int, default=2, help="loader processes (each runs a thread per client)")
    parser.add_argument("--logs", type=Path, help="copy the services' logs to this folder")
    args = parser.parse_args()
    deadline = time.monotonic() + args.total
    counts = [int(c) for c in args.clients.split(",")]
    load_before = os.getloadavg()
    started = datetime.now(UTC)
    steps: list[Step] = []
    peaks: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="brug-load-") as folder:
        system, nats = start_system(Path(folder))
        try:
            target = prepare(system)
            print(
                f"set up in {args.total - (deadline - time.monotonic()):.0f} s: {len(target.tokens)} cards", flush=True
            )
            for number, clients in enumerate(counts):
                if time.monotonic() + args.step + TIMEOUT + STEP_OVERHEAD + STOP_RESERVE > deadline:
                    print(f"stopping before {clients} clients: --total {args.total:g} s reached", flush=True)
                    break
                step = run_step(target, system, clients, args.step, args.procs, number)
                steps.append(step)
                for name, service in _pids(system):
                    peaks[name].append(peak_rss_mb(service.process.pid))
                requests = len(step.all_latencies()) - sum(step.errors.values())
                print(
                    f"{clients:>3} clients: {requests / args.step:,.0f} requests/s, p99 {_ms(step.p99())} ms, "
                    f"{sum(step.errors.values())} errors, loader {step.loader_cpu:.0%} of a core"
                    + (f" (cards ran out {step.cards_out}x)" if step.cards_out else ""),
                    flush=True,
                )
                for sample in step.samples:
                    print(f"    {sample}", flush=True)
        finally:
            system.stop()
            nats.stop()
            complaints = log_errors(system)  # after the stop: requests still stuck then show too
            if args.logs:
                args.logs.mkdir(parents=True, exist_ok=True)
                for log in Path(folder).glob("*.log"):
                    shutil.copy(log, args.logs / log.name)
    load_after = os.getloadavg()
    print(f"\nran {args.total - (deadline - time.monotonic()):.0f} s of the --total {args.total:g} s", flush=True)
    print()
    print(f"## bench/load.py: a mixed workload at rising concurrency ({started:%Y-%m-%d %H:%M} UTC)")
    print()
    print(f"Machine: {machine()}. Load average (1 min) {load_before[0]:.1f} before, {load_after[0]:.1f} after.")
    print(
        f"`python bench/load.py --total {args.total:g} --step {args.step:g} --clients {args.clients} "
        f"--procs {args.procs}`;"
    )
    print("mix: " + ", ".join(f"{name} {weight}%" for name, weight in MIX.items()) + ".")
    print()
    print(table(steps))
    print()
    print(resources(steps, peaks))
    print()
    for line in knees(steps):
        print(f"- {line}")
    print()
    print("Errors the services logged: " + ("; ".join(complaints) if complaints else "none") + ".")


if __name__ == "__main__":
    main()
