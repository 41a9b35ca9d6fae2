"""The mixing pool: answers are stored in shuffled batches, so nothing kept ties one to its card or time.

Why: marking a card used and storing its answer in one transaction gave both
rows the same transaction id (PostgreSQL's ``xmin``) or the same WAL commit
(SQLite), so a copy of the database taken while answers arrived paired every
answer with the card that gave it, and row order gave the order they came in.

So an answer (a form's, or a sealed questionnaire's envelope) is first
**sealed** (a SecretBox under a key derived from the token secret, which the
database does not hold) and **padded** to one size, and stored in the pool in
the transaction that spends the card: a copy taken then shows that a card was
used, never what it said. Answers leave the pool
in one transaction per batch, in shuffled order, with random ids and the day
of the batch:

- when a session's pool holds ``2k`` answers, a random ``k`` stay and the
  rest go: every batch holds at least ``k`` answers, and the last to arrive
  are not the last to leave;
- when the feedback window closes, all that is left goes (the report's
  release calls :func:`mix` with ``closing=True`` first).

An answer's language group (``fa`` for Persian and Dari) is kept only when
at least ``k`` answers of its batch share it; otherwise it is dropped.

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
from sqlalchemy import delete, insert
from sqlmodel import Session, col

from feedback.forms import repository
from feedback.forms.models import FeedbackResponse, PooledAnswer
from feedback.sealed.models import SealedAnswer
from feedback.settings import FeedbackSettings
from feedback.tokens.models import FeedbackSession
from shared.events import utcnow

__all__ = ["pool", "mix", "PADDED_BYTES"]

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
    """Move batches of ``session``'s pooled form answers and sealed envelopes (each kind batched on its
    own) into their tables; how many moved. Call it with the session row locked
    (feedback.forms.repository.lock_session)."""
    box = _box(settings.feedback_token_secret)
    entries = [(row, json.loads(box.decrypt(row.sealed))) for row in repository.pooled(db, session.session_id)]
    moved = 0
    for kind, write in (("answer", _write_answers), ("sealed", _write_envelopes)):
        leaving = _leaving([entry for entry in entries if entry[1]["kind"] == kind], settings.min_group_size, closing)
        if leaving:
            batch = [content for _, content in leaving]
            _random.shuffle(batch)
            write(db, session.session_id, batch, settings.min_group_size)
            db.exec(delete(PooledAnswer).where(col(PooledAnswer.id).in_([row.id for row, _ in leaving])))  # type: ignore[call-overload]
            moved += len(batch)
    return moved


def _leaving(entries: list[Entry], k: int, closing: bool) -> list[Entry]:
    """All at the close; else, once ``2k`` wait, all but a random ``k``."""
    if closing:
        return entries
    return _random.sample(entries, len(entries) - k) if len(entries) >= 2 * k else []


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
            "comment_status": "pending" if answer["comment"] else None,
        }
        for answer in answers
    ]
    db.exec(insert(FeedbackResponse), params=rows)  # type: ignore[call-overload]


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
    db.exec(insert(SealedAnswer), params=rows)  # type: ignore[call-overload]
