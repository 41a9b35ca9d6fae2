"""The database counts answers exactly as the Python tally does, on SQLite and on PostgreSQL (the true
tally the release adds noise to), and per language group as the release needs them."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import Engine, insert

from feedback import models  # noqa: F401 - registers the tables
from feedback.forms.models import FeedbackResponse
from feedback.forms.questions import QUESTION_SETS
from feedback.reports.aggregate import summarise_tally, tally, total
from feedback.reports.repository import language_tallies, refresh_statistics, tallies
from shared.migrate import upgrade
from shared.topics import TOPICS
from shared.unit_of_work import UnitOfWork


def _answer(rng: random.Random) -> dict[str, Any]:
    """One stored answer: any question may be left out, as on the form."""
    questions = rng.choice(list(QUESTION_SETS.values())).questions
    answer: dict[str, Any] = {}
    for question in questions:
        if question.kind == "text" or rng.random() < 0.2:
            continue
        if question.kind == "faces":
            answer[question.id] = rng.randint(1, 5)
        elif question.kind == "yes_no":
            answer[question.id] = rng.random() < 0.7
        else:
            answer[question.id] = sorted(rng.sample(TOPICS, rng.randint(0, 3)))
    return answer


def test_the_sql_tally_equals_the_python_tally_of_the_same_answers(engine: Engine) -> None:
    upgrade(engine, "feedback")
    rng = random.Random(5)
    stored = {f"s{n}": [_answer(rng) for _ in range(rng.randint(0, 40))] for n in range(4)}
    rows = [
        {
            "id": f"{sid}-{i}",
            "session_id": sid,
            "question_set": 1,
            "submitted_on": date.today(),
            "language": rng.choice(["ar", "fa", None]),
            "answers": answer,
        }
        for sid, answers in stored.items()
        for i, answer in enumerate(answers)
    ]
    with UnitOfWork(engine) as db:
        db.exec(insert(FeedbackResponse), params=rows)  # type: ignore[call-overload]
    refresh_statistics(engine)  # whichever plan the statistics lead to, the counts are the same
    with UnitOfWork(engine, read_only=True) as db:
        counted = tallies(db, [*stored, "no-answers"])
    for session_id, answers in stored.items():
        assert counted[session_id] == tally(answers), session_id
        assert summarise_tally(counted[session_id], 5) == summarise_tally(tally(answers), 5)
    assert counted["no-answers"].responses == 0
    with UnitOfWork(engine, read_only=True) as db:
        by_language = language_tallies(db, "s1")
    assert total(by_language.values()) == tally(stored["s1"])
    languages = {row["language"] for row in rows if row["session_id"] == "s1"}
    assert set(by_language) == languages
