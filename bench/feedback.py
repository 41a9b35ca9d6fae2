"""Feedback: answers per second over HTTP, and a provider report over a million answers.

Starts its own nats-server and the feedback service on SQLite in a temporary
folder, then in one run measures:

- submissions: ``wrk`` posting one answer per card (every request a fresh,
  valid card) to the running service for a few seconds; answers/s, p99, the
  loader's CPU (so a reader can tell whether the loader was the limit);
- release: each session's answers counted per language group, with noise
  (``reports.release``, once per session when its window closes), over N
  stored answers in 2,000 sessions, against a bare SQL aggregate over the
  same rows: one hand-written statement that counts the same cells (every
  face, yes/no and topic of every question, per session) through the raw
  sqlite3 cursor, with no ORM and no noise. A session is released once, in
  a transaction of its own (the row locked, the pool emptied, two discrete
  Laplace draws of OpenDP at about 1.3 ms each), so the release is given per
  session beside the bare aggregate; it is not on any request's path but
  the first after a window closes. The service's daily ``ANALYZE``
  (``refresh_statistics``) runs first, as at its start;
- report: ``provider_report`` (the code behind
  ``GET /api/v1/reports/providers/{id}``) over those 2,000 released sessions,
  which reads the stored releases only (target: no slower than the bare
  aggregate it replaced). Best of three.

Usage: ``python bench/feedback.py [N]`` (default 1,000,000 answers; wrk from
Debian's ``wrk`` package; without it the HTTP figure is left out and says so).
"""

from __future__ import annotations

import json
import random
import re
import resource
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import uvicorn

# This file's folder comes first on sys.path, where `feedback` would be this file, not the service.
sys.path.remove(str(Path(__file__).resolve().parent))

from feedback.app import create_app
from feedback.reports.release import release_closed
from feedback.reports.repository import provider_sessions, refresh_statistics
from feedback.reports.service import provider_report
from feedback.settings import FeedbackSettings
from feedback.tokens.handlers import on_session_completed
from feedback.tokens.minting import derive_token
from shared.auth import Principal
from shared.db import make_engine
from shared.events import Envelope, SessionCompleted
from shared.logging import configure_logging
from shared.migrate import upgrade
from shared.natsserver import NatsServer
from shared.topics import TOPICS
from shared.unit_of_work import UnitOfWork

SESSIONS = 2_000
CARDS = 60_000
WRK_SECONDS = 8
ANSWER = json.dumps({"answers": {"useful": 4, "felt_safe": True, "understood": True, "topics_next": ["health_system"]}})

WRK_SCRIPT = """
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local threads, made = tonumber(os.getenv("BENCH_THREADS")), 0
function setup(thread) thread:set("offset", made); made = made + 1 end
function init(args) next_index = offset + 1 end
request = function()
  local token = tokens[next_index] or "EXHAUSTED"
  next_index = next_index + threads
  return wrk.format("POST", "/api/v1/forms/" .. token .. "/responses",
    {["Content-Type"] = "application/json"}, os.getenv("BENCH_BODY"))
end
"""


def _serve(app, port: int) -> uvicorn.Server:  # type: ignore[no-untyped-def]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def _mint_cards(settings: FeedbackSettings, engine, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    session_id = uuid.uuid4().hex
    completed = SessionCompleted(
        session_id=session_id, attendance=count, walk_ins=0, attended_booking_codes=[], provider_id="ggd"
    )
    with UnitOfWork(engine) as db:
        on_session_completed(settings, db, completed, Envelope.wrap(completed, producer="bench"))
    return [derive_token(settings.feedback_token_secret, session_id, i) for i in range(count)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def submissions(folder: Path, nats_url: str, connections: int = 16) -> str:
    if shutil.which("wrk") is None:
        return "| answers over HTTP | not measured: install wrk (apt-get install wrk) | | |"
    settings = FeedbackSettings(
        nats_url=nats_url,
        feedback_database_url=f"sqlite:///{folder}/feedback.db",
        feedback_token_secret=secrets.token_hex(32),
    )
    app = create_app(settings)
    server = _serve(app, port := _free_port())
    try:
        tokens = _mint_cards(settings, app.state.runtime.engine, CARDS)
        (folder / "tokens.txt").write_text("\n".join(tokens) + "\n")
        (folder / "post.lua").write_text(WRK_SCRIPT)
        threads = 2
        env = {"BENCH_TOKENS": str(folder / "tokens.txt"), "BENCH_THREADS": str(threads), "BENCH_BODY": ANSWER}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{WRK_SECONDS}s", "--latency", "-s"]
        output = subprocess.run(
            [*command, str(folder / "post.lua"), f"http://127.0.0.1:{port}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        server.should_exit = True
        time.sleep(0.5)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", output).group(1)  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    loader_cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / WRK_SECONDS
    return (
        f"| answers over HTTP (wrk, {threads} threads, {connections} connections, {WRK_SECONDS} s; "
        f"every request a fresh card) | {rate:,.0f} answers/s, p99 {p99}, "
        f"{int(bad.group(1)) if bad else 0} non-2xx, wrk CPU {loader_cpu:.0%} of a core | | |"
    )


def _answer_pool(rng: random.Random) -> list[str]:
    pool = []
    for _ in range(997):
        answer: dict[str, object] = {"useful": rng.randint(1, 5), "felt_safe": rng.random() < 0.8}
        if rng.random() < 0.9:
            answer |= {"understood": rng.random() < 0.9, "recommend": rng.random() < 0.7}
        if rng.random() < 0.8:
            answer |= {"knew_help_before": rng.randint(1, 5), "knows_help_after": rng.randint(1, 5)}
        answer["topics_next"] = sorted(rng.sample(TOPICS, rng.randint(0, 3)))
        pool.append(json.dumps(answer))
    return pool


def _fill(path: Path, answers: int) -> float:
    """SESSIONS released sessions of one provider and ``answers`` answers, in one transaction."""
    rng = random.Random(7)
    pool = _answer_pool(rng)
    completed = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S.%f")
    audiences, languages = ["women", "men", "open", "youth"], ["ar", "ti", "fa", "so", "uk"]
    sessions = [uuid.uuid4().hex for _ in range(SESSIONS)]
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO feedback_session (session_id, public_title, provider_id, attendance, languages, audience,"
            " tokens_minted, completed_at, link_answers, ambassador_ids)"
            " VALUES (?, 'x', 'ggd', 600, ?, ?, 0, ?, 0, '[]')",
            [(sid, json.dumps([languages[i % 5]]), audiences[i % 4], completed) for i, sid in enumerate(sessions)],
        )
        today = date.today().isoformat()
        connection.executemany(
            "INSERT INTO feedback_response (id, session_id, question_set, submitted_on, language, answers)"
            " VALUES (?, ?, 1, ?, 'ar', ?)",
            ((f"{i:032x}", sessions[i % SESSIONS], today, pool[i % len(pool)]) for i in range(answers)),
        )
    connection.close()
    return time.perf_counter() - started


#: the same cells the report counts, written by hand for the raw driver.
BARE_SQL = """
SELECT session_id, count(*),
  {faces}, {yes_no}, {topics},
  1
FROM (
  SELECT session_id, language,
    json_extract(answers, '$.useful') AS useful,
    json_extract(answers, '$.knew_help_before') AS knew_help_before,
    json_extract(answers, '$.knows_help_after') AS knows_help_after,
    json_extract(answers, '$.felt_safe') AS felt_safe,
    json_extract(answers, '$.understood') AS understood,
    json_extract(answers, '$.recommend') AS recommend,
    json_extract(answers, '$.topics_next') AS topics_next
  FROM feedback_response LIMIT -1 OFFSET 0
) GROUP BY session_id, language
""".format(
    faces=", ".join(f"sum({q} = {f})" for q in ("useful", "knew_help_before", "knows_help_after") for f in range(1, 6)),
    yes_no=", ".join(f"sum({q} = 1), sum({q} = 0)" for q in ("felt_safe", "understood", "recommend")),
    topics=", ".join(f"sum(topics_next LIKE '%\"{t}\"%')" for t in TOPICS),
)


def _best_of(runs: int, *works):  # type: ignore[no-untyped-def]
    """The fastest of ``runs`` runs of each, taken in turns so that a busy spell hits both."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for work, spent in zip(works, times, strict=True):
            started = time.perf_counter()
            work()
            spent.append(time.perf_counter() - started)
    return [min(spent) for spent in times]


def report(folder: Path, answers: int) -> list[str]:
    path = folder / "report.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "feedback")
    filled = _fill(path, answers)
    refresh_statistics(engine)  # as the service does when it starts, and daily
    settings = FeedbackSettings(feedback_token_secret=secrets.token_hex(32))
    coordinator = Principal(user_id="bench", role="coordinator")
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    result: dict[str, object] = {}

    def release() -> None:
        release_closed(engine, sessions, settings)

    def ours() -> None:
        with UnitOfWork(engine, read_only=True) as db:
            result.update(provider_report(db, engine, "ggd", start, end, coordinator, settings))

    def bare() -> None:
        connection = sqlite3.connect(path)
        try:
            rows = connection.execute(BARE_SQL).fetchall()
        finally:
            connection.close()
        assert len(rows) == SESSIONS

    with UnitOfWork(engine, read_only=True) as db:
        sessions = [s.session_id for s in provider_sessions(db, "ggd", start, end)]
    (bare_seconds,) = _best_of(3, bare)
    (release_seconds,) = _best_of(1, release)  # once: a session is released once
    (ours_seconds,) = _best_of(3, ours)
    engine.dispose()
    responses = int(result["responses"])  # type: ignore[call-overload]
    assert abs(responses - answers) <= 0.01 * answers + 1000, (responses, answers)  # noise, not loss
    return [
        f"| {answers:,} answers written (one transaction, executemany) | {answers / filled:,.0f} rows/s | | |",
        f"| release of {SESSIONS:,} sessions ({answers:,} answers, with noise), once each "
        f"| {release_seconds / SESSIONS * 1000:.1f} ms a session | | |",
        f"| provider report over {SESSIONS:,} released sessions vs bare SQL aggregate of their answers "
        f"| {ours_seconds:.2f} s | {bare_seconds:.2f} s | {ours_seconds / bare_seconds:.2f} |",
    ]


def main(answers: int) -> None:
    configure_logging("bench", "ERROR")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        nats = NatsServer(folder / "nats").start()
        try:
            http = submissions(folder, nats.url)
        finally:
            nats.stop()
        rows = [http, *report(folder, answers)]
    print("| measure (SQLite) | ours | baseline | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
