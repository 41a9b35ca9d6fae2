"""Attacks on the anonymity of feedback answers, each run against the real feedback service.

The attacker holds what the issue names: a copy of the database (its files, WAL included, or
PostgreSQL's rows with their transaction ids) taken while answers arrive, the printed card sheet,
the logs and metrics, and knows who was handed which card. Each test measures the attacker's
success rate and compares it with chance (guessing among the session's answers). The rates
"before" were measured with these same attacks on 24c3591, the code before the mixing pool,
keyed card hashes and silent answer routes; the reports' attacks are in test_report_attacks.py.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

import httpx
import structlog
from sqlalchemy import text
from sqlalchemy.engine import make_url

from feedback.tokens.minting import derive_link, derive_token, hash_token
from shared.db import is_sqlite
from shared.tls import client_context
from tests.feedback.conftest import FeedbackService
from tests.security import wal

#: twenty answers that differ, so the attacker can tell whose is whose once linked.
DISTINCT = [
    {"useful": useful, "felt_safe": safe, "understood": understood}
    for useful, safe, understood in itertools.product(range(1, 6), (True, False), (True, False))
]

Answer = str
#: one commit as the attacker reconstructs it: the cards it spent, the answers it made readable.
Commit = tuple[set[str], list[Answer]]


def _key(answers: dict[str, object] | str) -> Answer:
    loaded = json.loads(answers) if isinstance(answers, str) else answers
    return json.dumps({q: loaded[q] for q in ("useful", "felt_safe", "understood")}, sort_keys=True)


def _card(feedback: FeedbackService, session: str, index: int) -> str:
    return derive_token(feedback.keys.token_secret, session, index)


def _answer(feedback: FeedbackService, session: str, count: int, locales: Iterable[str] = ()) -> dict[str, Answer]:
    """Answer cards 0..count-1 one after another; stored card hash → its answer (what the attacker,
    who saw who got which card, wants to learn)."""
    truth, languages = {}, list(locales) or ["ar"] * count
    for index in range(count):
        card = _card(feedback, session, index)
        body = {"locale": languages[index], "answers": DISTINCT[index]}
        assert feedback.client.post(f"/api/v1/forms/{card}/responses", json=body).status_code == 201
        truth[hash_token(feedback.keys.token_secret, card)] = _key(DISTINCT[index])
    return truth


def _pairing_success(commits: list[Commit], truth: dict[str, Answer]) -> float:
    """The attacker's expected share of cards whose answer they name: an answer readable in the card's
    own commit is its candidate; else any answer readable later; a guess among the candidates."""
    total = 0.0
    for position, (cards, readable) in enumerate(commits):
        later = readable or [answer for _, answers in commits[position:] for answer in answers]
        total += sum(later.count(truth[card]) / len(later) for card in cards if card in truth and later)
    return total / len(truth)


def _commits_by_transaction_id(feedback: FeedbackService, session: str) -> list[Commit]:
    """PostgreSQL: rows written by one transaction share ``xmin``; ids grow with time."""
    grouped: dict[int, Commit] = {}
    with feedback.engine.connect() as connection:
        cards = connection.execute(
            text("SELECT token_hash, xmin::text FROM feedback_token WHERE session_id = :s AND used"), {"s": session}
        )
        for card, xid in cards:
            grouped.setdefault(int(xid), (set(), []))[0].add(card)
        answers = connection.execute(
            text("SELECT answers::text, xmin::text FROM feedback_response WHERE session_id = :s"), {"s": session}
        )
        for answer, xid in answers:
            grouped.setdefault(int(xid), (set(), []))[1].append(_key(answer))
    return [grouped[xid] for xid in sorted(grouped)]


def _commits_from_the_wal(path: Path, session: str) -> list[Commit]:
    """SQLite: replay a copy of the file and its WAL commit by commit, and diff each state."""
    commits, used, seen = [], set(), set()
    for state in wal.states(*wal.read(path)):
        now_used = {row[0] for row in state.execute("SELECT token_hash FROM feedback_token WHERE used")}
        rows = state.execute("SELECT id, answers FROM feedback_response WHERE session_id = ?", (session,))
        now_seen = {(row[0], _key(row[1])) for row in rows}
        commits.append((now_used - used, [answer for _, answer in now_seen - seen]))
        used, seen = now_used, now_seen
        state.close()
    return commits


def _commits(feedback: FeedbackService, session: str) -> list[Commit]:
    if is_sqlite(feedback.engine):
        return _commits_from_the_wal(_path(feedback), session)
    return _commits_by_transaction_id(feedback, session)


def _path(feedback: FeedbackService) -> Path:
    return Path(make_url(str(feedback.engine.url)).database or "")


def _checkpoint(feedback: FeedbackService) -> None:
    """SQLite: start the WAL afresh, so the copy holds every commit of the answers that follow."""
    if is_sqlite(feedback.engine):
        with closing(sqlite3.connect(_path(feedback))) as connection:
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0


def test_answers_cannot_be_paired_with_their_cards_by_what_was_written_together(feedback: FeedbackService) -> None:
    """A copy of the database pairs rows written in one transaction: PostgreSQL's ``xmin`` join,
    SQLite's WAL replayed commit by commit. Before: 10 of 10 cards paired with their answer (1.00)
    on both databases. Now the card's commit holds only a sealed pool entry; answers are written in
    shuffled batches of at least k: at chance (0.10)."""
    session = feedback.complete_session(attendance=10)
    _checkpoint(feedback)
    truth = _answer(feedback, session, 10)
    feedback.mix_all(session)  # the window closes: what is left in the pool is written too

    commits = _commits(feedback, session)
    assert sum(len(cards) for cards, _ in commits) == 10, "the attacker sees every card being spent"
    assert sum(len(answers) for _, answers in commits) == 10, "and every answer, once written"
    success = _pairing_success(commits, truth)
    print(f"pairing by transaction: attacker names {success:.2f} of the answers; chance 0.10")
    assert success <= 0.15, f"the attacker paired {success:.2f} of the cards with their answers"


def test_the_printed_card_sheet_finds_no_row_in_a_copy_of_the_database(feedback: FeedbackService) -> None:
    """Whoever holds the printed sheet (or a photo of it) hashes each code and looks it up. Before:
    14 of 14 codes found (13 cards, which of them were used, and the session link). Now the hashes are keyed with
    the token secret, which the database does not hold: 0 found."""
    session = feedback.complete_session(attendance=10)
    _answer(feedback, session, 3)
    printed = [_card(feedback, session, index) for index in range(10)]
    link = derive_link(feedback.keys.token_secret, session)
    plain = [hashlib.sha256(code.upper().encode()).hexdigest() for code in [*printed, link]]
    with feedback.engine.connect() as connection:
        cards = {row[0] for row in connection.execute(text("SELECT token_hash FROM feedback_token"))}
        links = {row[0] for row in connection.execute(text("SELECT link_hash FROM feedback_session"))}
    found = [digest for digest in plain if digest in cards | links]
    print(f"printed sheet: {len(found)} of {len(plain)} codes found in the copy")
    assert len(cards) == 20 and found == []  # 10 cards and 10 personal links
    assert hash_token(feedback.keys.token_secret, printed[0]) in cards, "the service itself still finds them"


def test_whoever_holds_one_texted_link_cannot_answer_for_the_others(feedback: FeedbackService) -> None:
    """Padding through the link: the family member holding the phone, or an ambassador who was texted
    too, answers again and again from fresh browsers (no cookie). Before: the session's one shared
    link took 10 answers of 10 for an attendance of 10. Now each attendee is texted a personal link
    that answers once: 1."""
    session = feedback.complete_session(attendance=10)
    link = derive_link(feedback.keys.token_secret, session, 3)
    url = f"{feedback.client.base_url}/api/v1/forms/{link}/responses"
    accepted = sum(
        httpx.post(url, json={"answers": DISTINCT[n]}, verify=client_context()).status_code == 201 for n in range(10)
    )
    print(f"answers through one texted link: {accepted} of 10")
    assert accepted == 1


def test_stored_answers_cannot_be_put_in_the_order_they_came(feedback: FeedbackService) -> None:
    """Sorting the answers by where they lie (SQLite's rowid, PostgreSQL's ctid) or by id. Before:
    20 of 20 in their order of arrival (1.00). Now each batch is written in shuffled order with
    random ids: about 1 in 20 in its place by luck (chance 0.05)."""
    session = feedback.complete_session(attendance=20)
    _answer(feedback, session, 20)
    feedback.mix_all(session)
    arrival = [_key(answers) for answers in DISTINCT[:20]]
    place = "rowid" if is_sqlite(feedback.engine) else "ctid"
    best = 0.0
    with feedback.engine.connect() as connection:
        for order in (place, "id"):
            query = text(f"SELECT answers FROM feedback_response WHERE session_id = :s ORDER BY {order}")
            stored = [_key(row[0]) for row in connection.execute(query, {"s": session})]
            assert sorted(stored) == sorted(arrival)
            best = max(best, sum(a == b for a, b in zip(stored, arrival, strict=True)) / len(arrival))
    print(f"order of arrival: {best:.2f} of the answers in their place; chance 0.05")
    assert best <= 0.3


def test_no_log_line_or_metric_marks_when_an_answer_came(feedback: FeedbackService) -> None:
    """The access log had one timestamped line per answer and per form opened (before: 6 lines for 5
    answers and a form, each giving an answer its time of day), and the request counters too. Now
    the routes an answer passes through leave neither."""
    session = feedback.complete_session(attendance=6)
    with structlog.testing.capture_logs() as logs:
        _answer(feedback, session, 5)
        page = feedback.client.get(f"/f/{_card(feedback, session, 5)}")  # an unused card: the form
        assert page.status_code == 200
    traces = [entry for entry in logs if "{key}" in str(entry.get("route", ""))]
    print(f"log lines marking an answer: {len(traces)}")
    assert traces == []
    metrics = feedback.client.get("/metrics").text
    assert "{key}" not in metrics


def test_a_lone_speaker_of_a_language_is_not_singled_out_by_it(feedback: FeedbackService) -> None:
    """One Tigrinya speaker among nine answering in Arabic. Before: ``WHERE locale = 'ti'`` gave their
    answer (1.00). Now a language is kept only when k answers of a batch share it: no row says ti,
    and the attacker is left at chance (0.10); the Arabic group is still counted."""
    session = feedback.complete_session(attendance=10)
    _answer(feedback, session, 10, locales=["ar"] * 6 + ["ti"] + ["ar"] * 3)
    feedback.mix_all(session)
    with feedback.engine.connect() as connection:
        query = text("SELECT language, count(*) FROM feedback_response WHERE session_id = :s GROUP BY language")
        languages = dict(connection.execute(query, {"s": session}).all())
    print(f"languages kept: {languages}")
    assert set(languages) <= {"ar", None} and languages.get("ar", 0) >= feedback.settings.min_group_size


def test_an_answer_waiting_in_the_pool_cannot_be_read_or_told_by_its_size(feedback: FeedbackService) -> None:
    """A copy taken before the answers are mixed: the pool holds them sealed, all of one size, a long
    comment or none."""
    session = feedback.complete_session(attendance=5)
    words = "Ik voelde me veilig en de uitleg was duidelijk " * 10
    for index, comment in enumerate(["", words[:480], "kort"]):
        answers = {**DISTINCT[index], **({"comment": comment} if comment else {})}
        card = _card(feedback, session, index)
        assert feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": answers}).status_code == 201
    with feedback.engine.connect() as connection:
        sealed = [bytes(row[0]) for row in connection.execute(text("SELECT sealed FROM feedback_pool"))]
        stored = connection.execute(text("SELECT count(*) FROM feedback_response")).scalar()
    assert len(sealed) == 3 and stored == 0
    assert len({len(blob) for blob in sealed}) == 1
    assert not any(b"veilig" in blob or b"useful" in blob for blob in sealed)
