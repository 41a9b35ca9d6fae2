"""How fast the notifier turns booking events into sent SMS, against what it cannot avoid.

Starts its own nats-server, a local HTTP server speaking Twilio's API
(tests/support/sms_gateways.py) and the notifier itself as a real process
(``python -m notifier``, SQLite, the ``twilio`` gateway pointed at the local
server), then in one run measures:

- notifier: N ``scheduling.booking.confirmed`` events (each with a sealed
  phone number) published to JetStream as the scheduler would, until the
  gateway has taken N texts: consuming, unsealing, planning, claiming,
  rendering, the HTTP call and recording its outcome, end to end;
- bare JetStream: publishing the same N event bodies with ``publish_async``
  and pulling and acking them, nothing else;
- bare POSTs: N create-message requests to the same local gateway from the
  same HTTP client, at the notifier's concurrency (10 at a time).

Prints messages/s for each, the ratios and the notifier's peak RSS. With
``--rate R`` it runs the notifier again with ``BRUG_TWILIO_RATE_PER_SECOND=R``
on ``4 R`` events and prints the rate it reached: the limit, not the
notifier, should be what bounds it. Every wait is bounded by ``--budget``
seconds; a run that does not finish reports how far it got.

Usage: ``python bench/fanout.py [N] [--rate R] [--budget SECONDS]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import nats
from nats.js.api import StorageType, StreamConfig

from shared.tls import client_context

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from notifier.gateways.http import MAX_CONCURRENT_SENDS, make_client  # noqa: E402
from shared.events import BookingConfirmed, Envelope, SessionPublished  # noqa: E402
from shared.natsserver import NatsServer, free_port  # noqa: E402
from shared.sealing import generate_keypair, seal  # noqa: E402
from tests.support.sms_gateways import FakeGateways  # noqa: E402

SENDER = "+3197010200300"
BATCH = 256


def _events(count: int, public_key: str, tag: str) -> list[Envelope]:
    """A session and ``count`` bookings of it, each with its own sealed number."""
    starts = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0)
    session = SessionPublished(
        session_id=f"bench-{tag}",
        public_title="Thursday meeting",
        venue_public_name="Keizersgracht 12",
        address="Keizersgracht 12, Amsterdam",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        timezone="Europe/Amsterdam",
        languages=["nl"],
        audience="women",
        capacity=count,
    )
    bookings = [
        BookingConfirmed(
            booking_code=f"{tag[:2].upper()}{i:06d}",
            session_id=session.session_id,
            locale="nl",
            sealed_contact=seal(public_key, {"phone": f"+316{10_000_000 + i}"}),
            channels=["sms"],
        )
        for i in range(count)
    ]
    return [Envelope.wrap(e, producer="scheduler") for e in (session, *bookings)]


async def _publish(js, envelopes: list[Envelope], subject: str | None = None) -> None:  # type: ignore[no-untyped-def]
    for offset in range(0, len(envelopes), BATCH):
        acks = [
            await js.publish_async(subject or e.subject, e.to_json(), headers={"Nats-Msg-Id": e.id})
            for e in envelopes[offset : offset + BATCH]
        ]
        await asyncio.gather(*acks)


async def bare_jetstream(url: str, envelopes: list[Envelope]) -> float:
    """Publish, then pull and ack, the same bodies on a stream of their own."""
    client = await nats.connect(url)
    js = client.jetstream()
    await js.add_stream(StreamConfig(name="BENCHFANOUT", subjects=["benchfanout.>"], storage=StorageType.FILE))
    started = time.perf_counter()
    await _publish(js, envelopes, "benchfanout.booking")
    subscription = await js.pull_subscribe("benchfanout.booking", durable="bare", stream="BENCHFANOUT")
    done = 0
    while done < len(envelopes):
        for message in await subscription.fetch(BATCH, timeout=10):
            await message.ack()
            done += 1
    rate = done / (time.perf_counter() - started)
    await client.close()
    return rate


async def bare_posts(fake: FakeGateways, count: int) -> float:
    """What the HTTP call alone costs: ``count`` creates at the notifier's concurrency, same client."""
    url = f"{fake.url}/2010-04-01/Accounts/{fake.twilio_sid}/Messages.json"
    limit = asyncio.Semaphore(MAX_CONCURRENT_SENDS)

    async def one(client: httpx.AsyncClient, i: int) -> None:
        form = {"To": f"+316{20_000_000 + i}", "From": SENDER, "Body": "Herinnering: Thursday meeting, do 3 dec 14:00"}
        async with limit:
            response = await client.post(url, data=form, auth=(fake.twilio_sid, fake.twilio_token))
            response.raise_for_status()

    async with make_client(5.0) as client:
        started = time.perf_counter()
        await asyncio.gather(*(one(client, i) for i in range(count)))
        return count / (time.perf_counter() - started)


#: per run, seconds until every event had been consumed and its SMS planned.
PLANNED: dict[str, float] = {}


def _planned(path: Path) -> int:
    """Deliveries the notifier has planned so far (its SQLite file, read-only; WAL lets it read alongside)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM delivery").fetchone()[0])
    except sqlite3.Error:
        return 0


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def notifier_run(
    nats_url: str, fake: FakeGateways, folder: Path, count: int, budget: float, rate: float = 0.0
) -> tuple[float, int, float, float]:
    """(texts/s end to end, texts taken, peak RSS in MB, texts/s from the first to the last call)."""
    private, public = generate_keypair()
    tag = f"r{int(rate)}" if rate else "full"
    port = free_port()
    env = {
        **os.environ,
        "BRUG_NATS_URL": nats_url,
        "BRUG_NOTIFIER_PORT": str(port),
        "BRUG_NOTIFIER_DATABASE_URL": f"sqlite:///{folder}/notifier-{tag}.db",
        "BRUG_NOTIFIER_PRIVATE_KEY": private,
        "BRUG_OPTOUT_HASH_KEY": os.urandom(24).hex(),
        "BRUG_SMS_GATEWAY": "twilio",
        "BRUG_SMS_FROM": SENDER,
        "BRUG_TWILIO_ACCOUNT_SID": fake.twilio_sid,
        "BRUG_TWILIO_AUTH_TOKEN": fake.twilio_token,
        "BRUG_TWILIO_BASE_URL": fake.url,
        "BRUG_TWILIO_RATE_PER_SECOND": str(rate),
        "BRUG_REMINDER_OFFSETS": "",
        "BRUG_QUIET_HOURS": "",
        "BRUG_SMS_DAILY_CAP": str(10 * count + 1000),
        "BRUG_DISPATCH_POLL_SECONDS": "0.05",
        "BRUG_SCHEDULER_JWKS_URL": f"http://127.0.0.1:{free_port()}/.well-known/jwks.json",
        "BRUG_LOG_LEVEL": "WARNING",
    }
    log = (folder / f"notifier-{tag}.log").open("ab")
    process = subprocess.Popen([sys.executable, "-m", "notifier"], env=env, stdout=log, stderr=log)
    try:
        await _ready(f"http://127.0.0.1:{port}/readyz", process, budget)
        envelopes = await asyncio.to_thread(_events, count, public, tag)
        before = fake.texts()
        client = await nats.connect(nats_url)
        started = time.perf_counter()
        await _publish(client.jetstream(), envelopes)
        await client.close()
        deadline, planned_after = started + budget, None
        while fake.texts() - before < count and time.perf_counter() < deadline:
            if planned_after is None and _planned(folder / f"notifier-{tag}.db") >= count:
                planned_after = time.perf_counter() - started
            await asyncio.sleep(0.02)
        taken = fake.texts() - before
        elapsed = time.perf_counter() - started
        PLANNED[tag] = planned_after or elapsed
        calls = [r.at for r in fake.sent("twilio")][-taken:] if taken > 1 else [0.0, 1.0]
        steady = (len(calls) - 1) / max(calls[-1] - calls[0], 1e-9)
        return taken / elapsed, taken, _peak_rss_mb(process.pid), steady
    finally:
        process.terminate()
        process.wait(30)
        log.close()


async def _ready(url: str, process: subprocess.Popen[bytes], budget: float) -> None:
    deadline = time.monotonic() + min(budget, 60)
    async with httpx.AsyncClient(verify=client_context()) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"the notifier exited with {process.returncode}; see its log")
            try:
                if (await client.get(url, timeout=2)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the notifier did not become ready within a minute")


async def main(count: int, rate: float, budget: float) -> None:
    with tempfile.TemporaryDirectory() as name, FakeGateways() as fake:
        folder = Path(name)
        server = NatsServer(folder / "nats").start()
        try:
            ours, taken, rss, _ = await notifier_run(server.url, fake, folder, count, budget)
            _, public = generate_keypair()
            bare_js = await bare_jetstream(server.url, await asyncio.to_thread(_events, count, public, "js"))
            bare_http = await bare_posts(fake, count)
            limited = await notifier_run(server.url, fake, folder, int(4 * rate), budget, rate) if rate else None
        finally:
            server.stop()
    done = "" if taken == count else f" (only {taken:,} of {count:,} within {budget:g} s)"
    print(f"| measure ({count:,} booking events, SQLite, local Twilio) | msgs/s | notifier / it |")
    print("| --- | ---: | ---: |")
    print(f"| notifier: event to SMS taken by the gateway, end to end{done} | {ours:,.0f} | 1.00 |")
    print(f"| bare JetStream: publish_async + pull fetch + ack | {bare_js:,.0f} | {ours / bare_js:.2f} |")
    posts = f"bare POSTs to the same gateway, {MAX_CONCURRENT_SENDS} at a time"
    print(f"| {posts} | {bare_http:,.0f} | {ours / bare_http:.2f} |")
    print(f"\nnotifier peak RSS: {rss:.0f} MB; every event consumed and its SMS planned after {PLANNED['full']:.1f} s")
    if limited is not None:
        end_to_end, sent, _, steady = limited
        print(
            f"with BRUG_TWILIO_RATE_PER_SECOND={rate:g}: {sent:,} texts, calls {steady:.1f}/s from the first "
            f"to the last ({steady / rate:.2f} of the limit; {end_to_end:.1f}/s end to end); "
            f"unlimited, the notifier ran at {ours / rate:.1f}× the limit"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="booking events (default 10,000)")
    parser.add_argument("--rate", type=float, default=10.0, help="the rate-limited run's limit (0 skips it)")
    parser.add_argument("--budget", type=float, default=300.0, help="longest wait for one notifier run, s")
    args = parser.parse_args()
    asyncio.run(main(args.count, args.rate, args.budget))
