"""Small groups are withheld, and nothing withheld can be worked out by subtraction."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from feedback.reports.aggregate import summarise, suppress_partition


def test_fewer_answers_than_the_threshold_show_nothing_but_that() -> None:
    answers = [{"useful": 5}] * 4
    assert summarise(answers, 5) == {"responses": None, "withheld": "fewer than 5 answers"}


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
    report = summarise([{"felt_safe": False}] * 8, 5)
    assert report["questions"]["felt_safe"] == {"n": 8, "yes": None, "no": None}


def test_means_and_knowledge_change_need_enough_answers_to_the_question() -> None:
    answers = [{"knew_help_before": 1, "knows_help_after": 4}] * 5 + [{"useful": 3}] * 3
    report = summarise(answers, 5)
    assert report["knowledge_change"] == 3.0
    assert report["questions"]["useful"]["mean"] is None  # only 3 answered it
    assert report["questions"]["knows_help_after"]["mean"] == 4.0


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40), min_size=2), st.integers(2, 10))
def test_no_withheld_cell_can_be_derived_from_the_total_and_the_shown_cells(cells: dict[str, int], k: int) -> None:
    shown = suppress_partition(cells, k)
    withheld = [name for name, value in shown.items() if value is None]
    assert all(shown[name] is None for name, count in cells.items() if count < k)
    assert len(withheld) != 1, "one withheld cell equals the total minus the others"
