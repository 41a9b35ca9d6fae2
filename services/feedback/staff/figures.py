"""A report (as the report API gives it) laid out for a page: tables, and charts of the same numbers.

Nothing is counted here: every number comes from ``feedback.reports.service``,
worked out from the released noisy counts, with what could single someone out
withheld already. A withheld figure (``None``) is written as "withheld to
protect small groups" (not "fewer than N answers": a withheld cell may hold
more, and the noisy count is not the true one) and is never drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal

from feedback.forms.questions import all_questions
from feedback.pages.labels import FACES, NO, TOPIC_LABELS, YES
from feedback.staff.charts import Chart, bar_chart
from shared.events import Audience
from shared.pages import N_, Page

__all__ = ["Section", "Row", "sections", "key_figures", "AUDIENCES", "WITHHELD"]

WITHHELD = N_("withheld to protect small groups")
AUDIENCES: dict[str, str] = {
    Audience.OPEN: N_("Everyone"),
    Audience.WOMEN: N_("Women"),
    Audience.MEN: N_("Men"),
    Audience.LGBTQI: N_("LGBTQI+ people"),
    Audience.YOUTH: N_("Young people"),
    Audience.PARENTS: N_("Parents"),
}
_YES_NO = ("felt_safe", "understood", "recommend")
_CHART_NOTE = N_("Withheld figures are not drawn. The table gives every figure.")


@dataclass
class Row:
    label: str
    cells: list[str]


@dataclass
class Section:
    """One part of a report: a heading, a table (columns, rows) and, when there is something to draw, a chart."""

    id: str
    heading: str
    columns: list[str]
    rows: list[Row]
    note: str | None = None
    chart: Chart | None = None
    extra: list[Row] = field(default_factory=list)


class _Words:
    """A page's texts and number formats, with the report's threshold."""

    def __init__(self, page: Page, min_group: int) -> None:
        self.page = page
        self.min_group = min_group

    def _(self, message: str, **values: Any) -> str:
        return self.page.gettext(message, **values)

    def figure(self, value: int | float | None) -> str:
        if value is None:
            return self._(WITHHELD)
        return format_decimal(value, locale=self.page.locale, format="#,##0.##")

    def note(self) -> str:
        return self._(_CHART_NOTE)


def key_figures(page: Page, report: Mapping[str, Any], min_group: int) -> list[Row]:
    """The report's headline numbers: answers, sessions (a provider's report), the change in knowing
    where to find help."""
    words = _Words(page, min_group)
    rows = [Row(words._("Answers"), [words.figure(report.get("responses"))])]
    if "sessions" in report:
        rows.append(Row(words._("Sessions in this report"), [words.figure(report["sessions"])]))
    if report.get("responses") is not None:
        change = report.get("knowledge_change")
        rows.append(
            Row(
                words._("Knowing where to find help: average change (after minus before, on 1 to 5)"),
                [words.figure(change) if change is None else f"{'+' if change > 0 else ''}{words.figure(change)}"],
            )
        )
    return rows


def sections(page: Page, report: Mapping[str, Any], min_group: int) -> list[Section]:
    """The report's tables and charts; none when the whole report is withheld."""
    if report.get("responses") is None:
        return []
    words = _Words(page, min_group)
    questions: Mapping[str, Any] = report["questions"]
    texts = {q.id: words._(q.text) for q in all_questions()}
    found = [
        _faces(words, "useful", texts["useful"], {"": questions["useful"]}),
        _yes_no(words, texts, questions),
    ]
    if "knew_help_before" in questions and "knows_help_after" in questions:
        pair = {words._("Before"): questions["knew_help_before"], words._("After"): questions["knows_help_after"]}
        found.append(_faces(words, "find_help", words._("Knowing where to find help, before and after"), pair))
    found.append(_topics(words, texts["topics_next"], questions["topics_next"]))
    for key, heading in (("by_language", N_("By language")), ("by_audience", N_("By audience"))):
        if report.get(key):
            found.append(_groups(words, key, words._(heading), report[key]))
    return found


def _faces(words: _Words, section_id: str, heading: str, answered: Mapping[str, Mapping[str, Any]]) -> Section:
    """A 1-to-5 question (or a before/after pair of them): how many chose each face, and the average."""
    labels = [words._(face) for face in FACES]
    names = [name or words._("Answers") for name in answered]
    rows = [
        Row(label, [words.figure(one["distribution"][str(face)]) for one in answered.values()])
        for face, label in enumerate(labels, start=1)
    ]
    extra = [
        Row(words._("Answered"), [words.figure(one["n"]) for one in answered.values()]),
        Row(words._("Average (1 to 5)"), [words.figure(one["mean"]) for one in answered.values()]),
    ]
    series = [
        (name, [one["distribution"][str(face)] for face in range(1, 6)])
        for name, one in zip(names, answered.values(), strict=True)
    ]
    chart = bar_chart(heading, words.note(), labels, series, horizontal=False)
    return Section(section_id, heading, [words._("Answer"), *names], rows, words.note(), chart, extra)


def _yes_no(words: _Words, texts: Mapping[str, str], questions: Mapping[str, Any]) -> Section:
    asked = [q for q in _YES_NO if q in questions]
    yes, no = words._(YES), words._(NO)
    rows = [
        Row(
            texts[q],
            [words.figure(questions[q]["yes"]), words.figure(questions[q]["no"]), words.figure(questions[q]["n"])],
        )
        for q in asked
    ]
    heading = words._("Yes and no questions")
    series = [(yes, [questions[q]["yes"] for q in asked]), (no, [questions[q]["no"] for q in asked])]
    chart = bar_chart(heading, words.note(), [texts[q] for q in asked], series)
    return Section("yes_no", heading, [words._("Question"), yes, no, words._("Answered")], rows, words.note(), chart)


def _topics(words: _Words, heading: str, chosen: Mapping[str, int | None]) -> Section:
    """Topics wanted next time, most wanted first (withheld ones last); only topics with a discreet name."""
    shown = [(topic, count) for topic, count in chosen.items() if topic in TOPIC_LABELS]
    shown.sort(key=lambda item: (item[1] is None, -(item[1] or 0)))
    labels = [words._(TOPIC_LABELS[topic]) for topic, _count in shown]
    rows = [Row(label, [words.figure(count)]) for label, (_topic, count) in zip(labels, shown, strict=True)]
    chart = bar_chart(heading, words.note(), labels, [(words._("Chosen by"), [c for _t, c in shown])])
    return Section("topics", heading, [words._("Topic"), words._("Chosen by")], rows, words.note(), chart)


def _groups(words: _Words, section_id: str, heading: str, groups: Mapping[str, Mapping[str, Any]]) -> Section:
    """Answers and the average usefulness per language or audience (a small group is withheld whole)."""
    labels = [_group_name(words, section_id, key) for key in groups]
    rows = [
        Row(
            label,
            [words.figure(one.get("responses")), words.figure(_useful_mean(one))],
        )
        for label, one in zip(labels, groups.values(), strict=True)
    ]
    series = [(words._("Answers"), [one.get("responses") for one in groups.values()])]
    chart = bar_chart(heading, words.note(), labels, series)
    columns = [heading, words._("Answers"), words._("How useful (average, 1 to 5)")]
    return Section(section_id, heading, columns, rows, words.note(), chart)


def _useful_mean(summary: Mapping[str, Any]) -> float | None:
    questions = summary.get("questions") or {}
    useful = questions.get("useful") or {}
    mean: float | None = useful.get("mean")
    return mean


def _group_name(words: _Words, section_id: str, key: str) -> str:
    if section_id == "by_audience":
        return words._(AUDIENCES[key]) if key in AUDIENCES else key
    return words.page.language_name(key)


def language_options(page: Page, codes: Sequence[str]) -> list[tuple[str, str]]:
    """(code, name in the page's language) for a language filter, by name."""
    return sorted(((code, page.language_name(code)) for code in codes), key=lambda pair: pair[1].casefold())
