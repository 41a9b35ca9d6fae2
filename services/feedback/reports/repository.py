"""Queries for reports: each session's tally counted by the database (only when it is released), the
released figures, a provider's sessions, comments.

The tally is one GROUP BY over the answers, with every answer value
extracted from the JSON once per row: the inner SELECT is kept from being
merged into the outer one (``OFFSET 0``; SQLite renders ``LIMIT -1 OFFSET
0``), else both databases would parse the JSON once per counted cell.

Whether the database reads a provider's answers through the session index
or scans the table depends on how many answers the sessions have; SQLite
knows that only from ``ANALYZE`` (PostgreSQL's autovacuum keeps its own
statistics), so :func:`refresh_statistics` runs it, sampled and cheap, when
the service starts and once a day.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Engine, bindparam, case, false, func, true
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from feedback.forms.models import CommentStatus, FeedbackResponse
from feedback.forms.questions import Question, all_questions
from feedback.reports.aggregate import FACES, Tally, cell
from feedback.reports.models import FeedbackRelease
from feedback.tokens.models import FeedbackSession
from shared.db import is_sqlite

__all__ = [
    "tallies",
    "language_tallies",
    "tally_query",
    "releases",
    "provider_sessions",
    "providers",
    "closed_unpublished",
    "released_comments",
    "refresh_statistics",
]

#: rows ANALYZE samples per index on SQLite: enough to tell a few answers per session from many.
ANALYSIS_LIMIT = 1000


def _extract(question: Question) -> ColumnElement[Any]:
    value = col(FeedbackResponse.answers)[question.id]
    # as_integer() and the others come from the JSON type's comparator, which SQLAlchemy's hints do not show
    typed: ColumnElement[Any]
    if question.kind == "faces":
        typed = value.as_integer()
    elif question.kind == "yes_no":
        typed = value.as_boolean()
    else:
        typed = value.as_string()  # topics: the JSON array's text
    return typed.label(question.id)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _cells(question: Question, value: Any) -> list[tuple[str, ColumnElement[int]]]:
    if question.kind == "faces":
        return [(cell(question.id, face), _count(value == face)) for face in FACES]
    if question.kind == "yes_no":
        return [
            (cell(question.id, True), _count(value == true())),
            (cell(question.id, False), _count(value == false())),
        ]
    return [(cell(question.id, topic), _count(value.like(f'%"{topic}"%'))) for topic in question.options]


@cache
def tally_query() -> tuple[Select[*tuple[Any, ...]], list[str]]:
    """(the SELECT of the sessions in its ``session_ids`` parameter, the tally cell each of its columns after
    session id, language and count fills). Made once: the questions are the code's, and building the
    statement's sixty-odd expressions took a third of a report's time."""
    questions = [q for q in all_questions() if q.kind != "text"]
    values = (
        select(
            col(FeedbackResponse.session_id),
            col(FeedbackResponse.language),
            *(_extract(q) for q in questions),
        )
        .where(col(FeedbackResponse.session_id).in_(bindparam("session_ids", expanding=True)))
        .offset(0)
        .subquery()
    )
    cells = [pair for q in questions for pair in _cells(q, values.c[q.id])]
    query = select(
        values.c.session_id,
        values.c.language,
        func.count(),
        *(expression for _, expression in cells),
    ).group_by(values.c.session_id, values.c.language)
    return query, [name for name, _ in cells]


def _counted(db: Session, session_ids: list[str]) -> list[tuple[str, str | None, Tally]]:
    if not session_ids:
        return []
    query, names = tally_query()
    return [
        (
            session_id,
            language,
            Tally(responses, Counter({name: int(n) for name, n in zip(names, cells, strict=True) if n})),
        )
        for session_id, language, responses, *cells in db.exec(query, params={"session_ids": session_ids}).all()
    ]


def tallies(db: Session, session_ids: list[str]) -> dict[str, Tally]:
    """session id → the true tally of its answers (sessions without answers get an empty one).

    Only the release (reports.release) and tests read true tallies; no report shows one."""
    found = {session_id: Tally() for session_id in session_ids}
    for session_id, _language, counted in _counted(db, session_ids):
        found[session_id] = found[session_id] + counted
    return found


def language_tallies(db: Session, session_id: str) -> dict[str | None, Tally]:
    """language group (None: none kept) → the true tally of one session's answers in it."""
    return {language: counted for _session, language, counted in _counted(db, [session_id])}


def releases(db: Session, session_ids: list[str]) -> dict[str, FeedbackRelease]:
    """session id → its release, for the sessions released already."""
    if not session_ids:
        return {}
    query = select(FeedbackRelease).where(col(FeedbackRelease.session_id).in_(session_ids))
    return {row.session_id: row for row in db.exec(query).all()}


def provider_sessions(db: Session, provider_id: str, start: datetime, end: datetime) -> list[FeedbackSession]:
    query = (
        select(FeedbackSession)
        .where(FeedbackSession.provider_id == provider_id, col(FeedbackSession.completed_at).is_not(None))
        .where(col(FeedbackSession.completed_at) >= start, col(FeedbackSession.completed_at) < end)
        .order_by(col(FeedbackSession.completed_at))
    )
    return list(db.exec(query).all())


def providers(db: Session) -> list[str]:
    """Every provider that co-ran a session feedback was asked for, sorted."""
    query = select(FeedbackSession.provider_id).where(col(FeedbackSession.provider_id).is_not(None)).distinct()
    return sorted(str(p) for p in db.exec(query).all() if p)


def closed_unpublished(db: Session, closed_before: datetime, limit: int = 100) -> list[FeedbackSession]:
    """Sessions completed at or before ``closed_before`` whose report was not published yet."""
    return list(
        db.exec(
            select(FeedbackSession)
            .where(col(FeedbackSession.completed_at) <= closed_before)
            .where(col(FeedbackSession.report_published_at).is_(None))
            .limit(limit)
        ).all()
    )


def released_comments(db: Session, session_id: str) -> list[str]:
    """Comments a coordinator approved or redacted; pending ones are never shown."""
    query = select(FeedbackResponse.comment).where(
        FeedbackResponse.session_id == session_id,
        col(FeedbackResponse.comment_status).in_([CommentStatus.APPROVED, CommentStatus.REDACTED]),
    )
    return sorted(text for text in db.exec(query).all() if text)


def refresh_statistics(engine: Engine) -> None:
    """Let SQLite's planner know how many answers a session has (a no-op on PostgreSQL)."""
    if not is_sqlite(engine):
        return
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE feedback_response")
