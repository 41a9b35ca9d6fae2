"""Attacks on released reports, run against the real report code on a real database, many times over.

Each attacker holds everything but one person's answer and reads reports as
coordinators or a provider's staff may (an ambassador sees no one session's
figures at all: tests/scheduler/test_feedback_summaries_api.py). Each test prints
and asserts the attacker's success rate. "Before" rates were measured with
the same attacks on commit 0afe561 (k-suppression only), through its report
service: padding 100 % of 500 trials, mean 100 % of 400, differencing 100 % of 300.

The budget is the default (``BRUG_DP_EPSILON`` = 8: noise of scale 15/8 on
every count). Tolerances allow for the trials' own spread (about 0.02).

They run once, on PostgreSQL when it is reachable (``production_backend``):
what they measure is the release's arithmetic, the same on both databases,
and hundreds of trials on each took about three minutes of ``make test``;
the reports' queries are tested on both (tests/feedback/test_reports_api.py).
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from feedback import models  # noqa: F401 - registers the tables
from feedback.forms.models import FeedbackResponse
from feedback.reports import service
from feedback.settings import FeedbackSettings
from feedback.tokens.models import FeedbackSession
from shared.auth import Principal
from shared.events import utcnow
from shared.migrate import upgrade
from shared.unit_of_work import UnitOfWork

COORDINATOR = Principal(user_id="c", role="coordinator")


class Reports:
    """Sessions whose windows have closed, with answers as the mixing pool stores them, and their reports."""

    def __init__(self, engine: Engine, **settings: Any) -> None:
        upgrade(engine, "feedback")
        self.engine = engine
        self.settings = FeedbackSettings(feedback_token_secret=secrets.token_hex(32), **settings)

    def session(
        self, answers: list[dict[str, Any]], languages: tuple[str, ...] = ("ar",), provider: str = "ggd"
    ) -> str:
        session_id = uuid.uuid4().hex
        with UnitOfWork(self.engine) as db:
            db.add(
                FeedbackSession(
                    session_id=session_id,
                    provider_id=provider,
                    languages=list(languages),
                    completed_at=utcnow() - timedelta(days=30),
                )
            )
            db.flush()
            rows = [
                {
                    "id": uuid.uuid4().hex,
                    "session_id": session_id,
                    "question_set": 1,
                    "submitted_on": date.today(),
                    "language": languages[0],
                    "answers": answer,
                }
                for answer in answers
            ]
            if rows:
                db.exec(insert(FeedbackResponse), params=rows)  # type: ignore[call-overload]
        return session_id

    def session_report(self, session_id: str) -> dict[str, Any]:
        with UnitOfWork(self.engine, read_only=True) as db:
            return service.session_report(db, self.engine, session_id, COORDINATOR, self.settings)

    def provider_report(self, provider: str, language: str | None = None) -> dict[str, Any]:
        with UnitOfWork(self.engine, read_only=True) as db:
            return service.provider_report(
                db,
                self.engine,
                provider,
                utcnow() - timedelta(days=400),
                utcnow(),
                Principal(user_id="s", role="provider_staff", provider_id=provider),
                self.settings,
                language=language,
            )


def _rate(trials: int, attack: Callable[[random.Random], bool], seed: int) -> float:
    rng = random.Random(seed)
    return sum(attack(rng) for _ in range(trials)) / trials


def _guess_from_mean(useful: dict[str, Any], known: int) -> int | None:
    """The exact attack: the mean and the number who answered give the one unknown answer."""
    if useful["mean"] is None or useful["n"] is None:
        return None
    return round(useful["mean"] * useful["n"]) - known


@pytest.mark.production_backend
def test_padding_with_spare_cards_recovers_the_real_answer_at_chance_only(engine: Engine) -> None:
    """An ambassador answers 4 spare cards with "useful: 3" beside one real attendee, then reads the
    session's report (through a coordinator or the provider's staff). Before: 100 % (the mean gave the
    answer back exactly). After: 0.218 (SQLite) and 0.248 (PostgreSQL) measured over 500 trials each,
    chance being 1/5 (0.24 to 0.26 over 400 when the attacker also pads six cards that skip the
    question, so the report is always shown); the bound asserted is 1/5 + 0.08."""
    reports = Reports(engine)
    padded = [{"useful": 3}] * 4

    def attack(rng: random.Random) -> bool:
        real = rng.randint(1, 5)
        report = reports.session_report(reports.session([*padded, {"useful": real}]))
        if report["responses"] is None:
            return rng.randint(1, 5) == real  # nothing shown: nothing to go on
        useful = report["questions"]["useful"]
        guess = _guess_from_mean(useful, known=12)
        if guess is None:
            shown = [int(face) for face, count in useful["distribution"].items() if count is not None]
            guess = 3 if 3 in shown else (shown[0] if shown else rng.choice([1, 2, 4, 5]))
        return guess == real

    rate = _rate(500, attack, seed=1)
    print(f"padding attack: recovered the real answer in {rate:.1%} of 500 trials (chance 20 %)")
    assert rate <= 0.28, f"padding recovered the real answer in {rate:.1%} of trials; chance is 20 %"


@pytest.mark.production_backend
def test_a_withheld_cell_cannot_be_worked_out_from_the_mean(engine: Engine) -> None:
    """Five answered "useful: 4", one person something else: that cell is withheld, but before, the
    published mean (n = 6) gave it back in 100 % of trials. After: a mean is never shown beside a
    withheld cell, and the counts carry noise; the attacker is left to guess among the four other
    faces (chance 1/4): 0.258 (SQLite) and 0.230 (PostgreSQL) measured over 400 trials; asserted at
    most 1/4 + 0.07."""
    reports = Reports(engine)

    def attack(rng: random.Random) -> bool:
        real = rng.choice([1, 2, 3, 5])
        report = reports.session_report(reports.session([{"useful": 4}] * 5 + [{"useful": real}]))
        guess = None
        if report["responses"] is not None:
            guess = _guess_from_mean(report["questions"]["useful"], known=20)
        return (guess if guess is not None else rng.choice([1, 2, 3, 5])) == real

    rate = _rate(400, attack, seed=2)
    print(f"mean attack: recovered the withheld answer in {rate:.1%} of 400 trials (chance 25 %)")
    assert rate <= 0.32, f"the mean gave the withheld answer back in {rate:.1%} of trials; chance is 25 %"


@pytest.mark.production_backend
def test_differencing_filtered_provider_reports_does_not_give_a_withheld_answer_back(engine: Engine) -> None:
    """A Tigrinya session: five known "felt safe: yes" and one person whose answer its report withholds;
    an Arabic session of the same provider beside it. Before, the provider's report minus its
    ``?language=ar`` report gave the Tigrinya session's "no" count, so the person's answer, in 100 % of
    trials. After: both reports read the same noisy releases, so the difference is the Tigrinya
    session's own noisy counts, not its answers: 0.513 (SQLite) and 0.517 (PostgreSQL) measured over
    300 trials, chance being 1/2, and
    bounded by the budget: e^(2ε/15) / (1 + e^(2ε/15)) = 0.74 at ε = 8."""
    reports = Reports(engine)

    def attack(rng: random.Random) -> bool:
        said_no = rng.random() < 0.5
        provider = uuid.uuid4().hex[:12]
        tigrinya = reports.session([{"felt_safe": True}] * 5 + [{"felt_safe": not said_no}], ("ti",), provider)
        reports.session([{"felt_safe": True}] * 6 + [{"felt_safe": False}] * 5, ("ar",), provider)
        alone = reports.session_report(tigrinya)
        if alone["responses"] is not None and alone["questions"]["felt_safe"]["no"] is not None:
            return said_no  # shown on its own: a noisy "no" of 5 or more reads as "said no"
        every, arabic = reports.provider_report(provider), reports.provider_report(provider, "ar")
        if every["responses"] is None or arabic["responses"] is None:
            return rng.random() < 0.5
        no_all, no_ar = every["questions"]["felt_safe"]["no"], arabic["questions"]["felt_safe"]["no"]
        if no_all is None or no_ar is None:
            return rng.random() < 0.5
        return (no_all - no_ar >= 1) == said_no

    rate = _rate(300, attack, seed=3)
    print(f"differencing attack: told the withheld answer in {rate:.1%} of 300 trials (chance 50 %)")
    assert rate <= 0.74, f"differencing told the withheld answer in {rate:.1%} of trials; chance is 50 %"


@pytest.mark.production_backend
def test_released_reports_stay_useful(engine: Engine) -> None:
    """Utility at the default budget. One session of 30 answers, six on each face (mean 3.0): its
    mean is shown only when no cell of the question is withheld (noisy cells near 6 against k = 5),
    measured in 11 to 17 % of trials, and then within 0.5 of the true mean in every one. Pooled over
    a provider's four such sessions (120 answers), the mean is within 0.5 in 95 to 100 % of trials."""
    reports = Reports(engine)
    answers = [{"useful": face} for face in range(1, 6) for _ in range(6)]
    shown = close = 0
    for _ in range(200):
        mean = reports.session_report(reports.session(answers))["questions"]["useful"]["mean"]
        shown += mean is not None
        close += mean is not None and abs(mean - 3.0) <= 0.5
    pooled_close = 0
    for _ in range(60):
        provider = uuid.uuid4().hex[:12]
        for _ in range(4):
            reports.session(answers, provider=provider)
        mean = reports.provider_report(provider)["questions"]["useful"]["mean"]
        pooled_close += mean is not None and abs(mean - 3.0) <= 0.5
    print(
        f"utility: one session of 30: mean shown in {shown / 200:.0%} of 200 trials, within 0.5 in "
        f"{close / max(shown, 1):.0%} of those; four pooled: within 0.5 in {pooled_close / 60:.0%} of 60"
    )
    assert shown >= 10 and close / shown >= 0.9
    assert pooled_close / 60 >= 0.85
