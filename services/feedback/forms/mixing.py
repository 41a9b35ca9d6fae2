"""The mixing pool: answers are stored in shuffled batches, so nothing kept ties one to its card or time.

Why: marking a card used and storing its answer in one transaction gave both
rows the same transaction id (PostgreSQL's ``xmin``) or the same WAL commit
(SQLite), so a copy of the database taken while answers arrived paired every
answer with the card that gave it, and row order gave the order they came in.

So an answer (a form's, or a sealed questionnaire's envelope) is first
**sealed** (a SecretBox under a key derived from the token secret, which the
database does not hold) and **padded** to one size, and stored in the pool in
the transaction that spends the card: a copy taken then shows that a card was
used, never what it said. Answers leave the pool in one transaction per
batch, in shuffled order, with random ids and the day of the batch:

- form answers all at once, when the feedback window closes: the report's
  release (feedback.reports.release) calls :func:`close`, which hands it each
  answer with its own language group to count, before that group is dropped
  from what is stored. One batch per session is the strongest mix, and the
  report is released only then anyway; comments reach moderation then too;
- sealed questionnaires' envelopes (which the provider downloads as they
  come, and which carry no language) when a session's pool holds ``2k`` of
  them, all but a random ``k``, so every batch holds at least ``k`` and the
  last to arrive are not the last to leave; the rest at the close.

An answer's language group (``fa`` for Persian and Dari) is stored only when
at least ``k`` answers of the session share it; otherwise it is dropped.

What this does not hide: someone who can read the service's memory or its
settings (the token secret) while answers arrive. docs/THREAT_MODEL.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections import Counter
from typing import Any

from nacl.secret import SecretBox
from sqlmodel import Session

from feedback.forms import repository
from feedback.forms.models import CommentStatus, PooledAnswer
from feedback.sealed import repository as sealed
from feedback.settings import FeedbackSettings
from feedback.tokens.models import FeedbackSession
from shared.events import utcnow

__all__ = ["pool", "mix", "close", "PADDED_BYTES"]

#: every pool entry is padded to a multiple of this: a form answer with the longest comment and a
#: sealed questionnaire's envelope both fit in one, so the pool does not even tell them apart.
PADDED_BYTES = 8192
_random = secrets.SystemRandom()
#: a pooled row and what it holds.
Entry = tuple[PooledAnswer, dict[str, Any]]


def _box(secret: str) -> SecretBox:
    return SecretBox(hmac.new(secret.encode(), b"brug-feedback-pool-v1", hashlib.sha256).digest())


def pool(db: Session, session_id: str, answer: dict[str, Any], secret: str) -> None:
    """Keep ``answer`` sealed until it is mixed: ``kind`` "answer" (question set, language group,
    answers, comment) or "sealed" (questionnaire id, the envelope's ciphertext)."""
    plain = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
    padded = plain + b" " * (-len(plain) % PADDED_BYTES)  # JSON ignores trailing spaces
    db.add(PooledAnswer(session_id=session_id, sealed=bytes(_box(secret).encrypt(padded))))


def mix(db: Session, session: FeedbackSession, settings: FeedbackSettings, *, closing: bool) -> int:
    """Move what is due of ``session``'s pool into the answer tables; how many moved. Call it with the
    session row locked (feedback.forms.repository.lock_session)."""
    return sum(len(moved) for moved in _move(db, session, settings, closing=closing).values())


def close(db: Session, session: FeedbackSession, settings: FeedbackSettings) -> list[dict[str, Any]]:
    """Empty the pool at the window's close; the form answers moved, each with its own language group
    (``language``) and its ``answers``, for the release to count before the group is coarsened."""
    return _move(db, session, settings, closing=True)["answer"]


def _move(db: Session, session: FeedbackSession, settings: FeedbackSettings, *, closing: bool) -> dict[str, list[Any]]:
    box = _box(settings.feedback_token_secret)
    entries = [(row, json.loads(box.decrypt(row.sealed))) for row in repository.pooled(db, session.session_id)]
    moved: dict[str, list[Any]] = {}
    for kind, write in (("answer", _write_answers), ("sealed", _write_envelopes)):
        leaving = _leaving([e for e in entries if e[1]["kind"] == kind], kind, settings.min_group_size, closing)
        batch = [content for _, content in leaving]
        _random.shuffle(batch)
        if batch:
            write(db, session.session_id, batch, settings.min_group_size)
            repository.unpool(db, [row.id for row, _ in leaving])
        moved[kind] = batch
    return moved


def _leaving(entries: list[Entry], kind: str, k: int, closing: bool) -> list[Entry]:
    """All at the close; before it, envelopes once ``2k`` wait, all but a random ``k``."""
    if closing:
        return entries
    if kind == "sealed" and len(entries) >= 2 * k:
        return _random.sample(entries, len(entries) - k)
    return []


def _write_answers(db: Session, session_id: str, answers: list[dict[str, Any]], k: int) -> None:
    languages = Counter(answer["language"] for answer in answers)
    today = utcnow().date()
    rows = [
        {
            "id": uuid.uuid4().hex,
            "session_id": session_id,
            "question_set": answer["question_set"],
            "submitted_on": today,
            "language": answer["language"] if languages[answer["language"]] >= k else None,
            "answers": answer["answers"],
            "comment": answer["comment"],
            "comment_status": CommentStatus.PENDING if answer["comment"] else None,
        }
        for answer in answers
    ]
    repository.add_answers(db, rows)


def _write_envelopes(db: Session, session_id: str, envelopes: list[dict[str, Any]], k: int) -> None:
    today = utcnow().date()
    rows = [
        {
            "id": uuid.uuid4().hex,
            "questionnaire_id": envelope["questionnaire_id"],
            "ciphertext": envelope["ciphertext"],
            "submitted_on": today,
        }
        for envelope in envelopes
    ]
    sealed.add_envelopes(db, rows)
