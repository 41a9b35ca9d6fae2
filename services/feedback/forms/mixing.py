"""The mixing pool: answers are stored in shuffled batches, so nothing kept ties one to its card or time.

Why: marking a card used and storing its answer in one transaction gave both
rows the same transaction id (PostgreSQL's ``xmin``) or the same WAL commit
(SQLite), so a copy of the database taken while answers arrived paired every
answer with the card that gave it, and row order gave the order they came in.

So an answer is first **sealed** (a SecretBox under a key derived from the
token secret, which the database does not hold) and **padded** to one size,
and stored in the pool in the transaction that spends the card: a copy taken
then shows that a card was used, never what it said. Answers leave the pool
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
from feedback.settings import FeedbackSettings
from feedback.tokens.models import FeedbackSession
from shared.events import utcnow

__all__ = ["pool", "mix", "PADDED_BYTES"]

#: every sealed answer is padded to a multiple of this (an answer with the longest comment fits in one).
PADDED_BYTES = 4096
_random = secrets.SystemRandom()


def _box(secret: str) -> SecretBox:
    return SecretBox(hmac.new(secret.encode(), b"brug-feedback-pool-v1", hashlib.sha256).digest())


def pool(db: Session, session_id: str, answer: dict[str, Any], secret: str) -> None:
    """Keep ``answer`` (question set, language group, answers, comment) sealed until it is mixed."""
    plain = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
    padded = plain + b" " * (-len(plain) % PADDED_BYTES)  # JSON ignores trailing spaces
    db.add(PooledAnswer(session_id=session_id, sealed=bytes(_box(secret).encrypt(padded))))


def mix(db: Session, session: FeedbackSession, settings: FeedbackSettings, *, closing: bool) -> int:
    """Move a batch of ``session``'s pooled answers into the answers table; how many moved.

    Call it with the session row locked (feedback.forms.repository.lock_session).
    """
    pooled = repository.pooled(db, session.session_id)
    k = settings.min_group_size
    if closing:
        leaving = pooled
    elif len(pooled) >= 2 * k:
        leaving = _random.sample(pooled, len(pooled) - k)
    else:
        return 0
    if not leaving:
        return 0
    box = _box(settings.feedback_token_secret)
    answers = [json.loads(box.decrypt(row.sealed)) for row in leaving]
    _random.shuffle(answers)
    languages = Counter(answer["language"] for answer in answers)
    today = utcnow().date()
    rows = [
        {
            "id": uuid.uuid4().hex,
            "session_id": session.session_id,
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
    db.exec(delete(PooledAnswer).where(col(PooledAnswer.id).in_([row.id for row in leaving])))  # type: ignore[call-overload]
    return len(rows)
