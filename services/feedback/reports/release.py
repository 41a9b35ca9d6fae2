"""Releasing a session's answers: once, when its feedback window closes, counted with noise and kept.

Whichever comes first, the publisher loop (``reports.publisher``) or the
first report request after the close, locks the session row and releases:

1. the mixing pool gives up every answer it holds (``forms.mixing.close``),
   each with its own language group;
2. the answers are counted per language group, each by its own (one not
   among the session's languages counts as ``other``): the groups are fixed
   by the session, not by the answers, so which groups exist says nothing,
   and one person's answer moves only their own count. (What is stored keeps
   a group only where k answers share it; answers stored before the pool
   have none and count as ``other``.);
3. noise is added once to every count (``reports.noise``), and the noisy
   tallies are stored (``feedback_release``). The true tally is dropped.

Every report after that reads the stored release only. Asked again, or with
another filter, or pooled with other sessions, it shows the same noise:
post-processing of a differentially private release costs no further
privacy, so there is no second budget per provider to keep track of.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from feedback.forms import repository as forms
from feedback.forms.mixing import close
from feedback.reports import repository
from feedback.reports.aggregate import Tally, asked, tally, total
from feedback.reports.models import FeedbackRelease
from feedback.reports.noise import add_noise, scale_for
from feedback.settings import FeedbackSettings
from feedback.tokens.models import FeedbackSession
from shared.unit_of_work import UnitOfWork

__all__ = ["OTHER", "language_groups", "group_of", "release", "release_closed", "released_tally"]

#: the group of answers whose language is not one of the session's (or was not kept).
OTHER = "other"


def language_groups(session: FeedbackSession) -> list[str]:
    """The session's language groups (``fa-AF`` → ``fa``), then ``other``."""
    return [*sorted({code.split("-")[0].casefold() for code in session.languages}), OTHER]


def group_of(language: str | None, groups: Sequence[str]) -> str:
    """Which group a report filter (or an answer's language) falls in; ``fa-AF`` finds ``fa``."""
    wanted = (language or "").split("-")[0].casefold()
    return wanted if wanted in groups else OTHER


def release(db: Session, session: FeedbackSession, settings: FeedbackSettings) -> FeedbackRelease:
    """The session's release, made now if there is none. The caller holds the session row locked
    (``forms.repository.lock_session``) and its window has closed."""
    found = db.get(FeedbackRelease, session.session_id)
    if found is not None:
        return found
    earlier = repository.language_tallies(db, session.session_id)  # stored before the pool existed
    answers = close(db, session, settings)
    groups = language_groups(session)
    counted: dict[str, list[Tally]] = {group: [] for group in groups}
    for language, one in earlier.items():
        counted[group_of(language, groups)].append(one)
    for group in groups:
        counted[group].append(tally([a["answers"] for a in answers if group_of(a["language"], groups) == group]))
    questions = asked()
    scale = scale_for(settings.dp_epsilon, questions)
    noisy = add_noise({group: total(parts) for group, parts in counted.items()}, questions, scale)
    row = FeedbackRelease(
        session_id=session.session_id,
        epsilon=settings.dp_epsilon,
        body={"scale": scale, "groups": {group: one.as_json() for group, one in noisy.items()}},
    )
    db.add(row)
    db.flush()
    return row


def release_closed(engine: Engine, session_ids: Sequence[str], settings: FeedbackSettings) -> dict[str, dict[str, Any]]:
    """Release these sessions (whose windows have closed) where not done yet, in a transaction of its
    own; session id → its release's body. For a request that otherwise only reads."""
    found: dict[str, dict[str, Any]] = {}
    with UnitOfWork(engine) as db:
        for session_id in session_ids:
            session = forms.lock_session(db, session_id)
            if session is not None:
                found[session_id] = dict(release(db, session, settings).body)
    return found


def released_tally(body: Mapping[str, Any], language: str | None = None) -> Tally:
    """The released tally of a session's answers, or only of those in ``language``'s group."""
    groups = body["groups"]
    if language is not None:
        group = group_of(language, list(groups))
        return Tally.from_json(groups[group]) if group != OTHER else Tally()
    return total(Tally.from_json(one) for one in groups.values())
