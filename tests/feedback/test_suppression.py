"""Small groups are withheld, nothing withheld can be worked out by subtraction or from a mean, and the
noise spends exactly the budget (asked of OpenDP)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback.reports.aggregate import asked, summarise_tally, tally
from feedback.reports.noise import scale_for, sensitivities
from shared.released import WITHHELD, suppress_partition


def test_fewer_answers_than_the_threshold_show_nothing_but_that() -> None:
    assert summarise_tally(tally([{"useful": 5}] * 4), 5) == {"responses": None, "withheld": WITHHELD}
    assert WITHHELD == "withheld to protect small groups"


def test_a_single_small_cell_takes_the_next_smallest_with_it() -> None:
    assert suppress_partition({"yes": 9, "no": 1}, 5) == {"yes": None, "no": None}
    assert suppress_partition({"1": 0, "2": 6, "3": 7, "4": 12, "5": 20}, 5) == {
        "1": None,
        "2": None,
        "3": 7,
        "4": 12,
        "5": 20,
    }
    assert suppress_partition({"yes": 6, "no": 5}, 5) == {"yes": 6, "no": 5}


def test_a_unanimous_answer_does_not_reveal_what_each_person_said() -> None:
    report = summarise_tally(tally([{"felt_safe": False}] * 8), 5)
    assert report["questions"]["felt_safe"] == {"n": 8, "yes": None, "no": None}


def test_a_mean_is_never_shown_beside_a_withheld_cell() -> None:
    """n = 6, five 4s and one 1: the mean (3.5) and the shown cell would give the 1 back."""
    useful = summarise_tally(tally([{"useful": 4}] * 5 + [{"useful": 1}]), 5)["questions"]["useful"]
    assert useful["distribution"]["1"] is None and useful["mean"] is None
    spread = summarise_tally(tally([{"useful": face} for face in range(1, 6) for _ in range(5)]), 5)
    assert spread["questions"]["useful"]["mean"] == 3.0


def test_knowledge_change_is_after_minus_before_when_both_means_are_shown() -> None:
    pairs = [{"knew_help_before": f, "knows_help_after": min(f + 1, 5)} for f in range(1, 6) for _ in range(6)]
    report = summarise_tally(tally(pairs), 5)
    assert report["questions"]["knows_help_after"]["distribution"]["1"] is None  # nobody after: withheld
    assert report["knowledge_change"] is None
    both = [{"knew_help_before": f, "knows_help_after": f} for f in range(1, 6) for _ in range(5)]
    assert summarise_tally(tally(both), 5)["knowledge_change"] == 0.0


def test_the_budget_is_split_by_sensitivity_and_spends_exactly_epsilon() -> None:
    questions = asked()
    spread = sensitivities(questions)
    assert spread["responses"] == 1 and spread["useful"] == 1 and spread["felt_safe"] == 1
    assert spread["topics_next"] == len(next(q for q in questions if q.kind == "topics").options)
    assert math.isclose(scale_for(8.0, questions), sum(spread.values()) / 8.0)
    assert sum(spread.values()) == 15


@pytest.mark.parametrize("epsilon", [0.5, 8.0, 1000.0])
def test_any_budget_is_spent_whole(epsilon: float) -> None:
    scale = scale_for(epsilon, asked())
    assert math.isclose(sum(sensitivities(asked()).values()) / scale, epsilon)


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(-5, 40), min_size=2), st.integers(2, 10))
def test_no_withheld_cell_can_be_derived_from_the_total_and_the_shown_cells(cells: dict[str, int], k: int) -> None:
    shown = suppress_partition(cells, k)
    withheld = [name for name, value in shown.items() if value is None]
    assert all(shown[name] is None for name, count in cells.items() if count < k)
    assert len(withheld) != 1, "one withheld cell equals the total minus the others"
