"""The attendee catalog's template, ``shared/locales/brug.pot``, extracted from the sources.

Run ``.venv/bin/python -m shared.catalog_template`` after changing an
attendee-facing English text; ``tests/shared/test_catalog_template.py``
fails while the template and the sources disagree. A translation platform
(Weblate: file format "gettext PO file", template ``shared/locales/brug.pot``,
file mask ``shared/locales/*/LC_MESSAGES/brug.po``) reads new and changed
texts from it; docs/LOCALES.md describes the workflow.

Where the texts are found:

- ``_("...")`` in the attendee templates, ``N_("...")``/``gettext("...")`` in
  the pages' Python modules (files named ``staff*`` are the staff kit, Dutch
  and English only, kept in ``staff-*.po``);
- texts kept as data, not calls: the SMS and e-mail texts of the notifier and
  the feedback questions.

Locations carry the file, not the line, so moving code does not change the template.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import write_po

__all__ = ["TEMPLATE", "template", "render", "main"]

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "shared" / "locales" / "brug.pot"
#: folders whose templates and Python modules hold attendee texts.
PAGE_SOURCES = ("shared/pages", "services/scheduler/pages", "services/feedback/pages")
#: single modules outside the pages that mark attendee texts with N_().
MARKED_MODULES = ("services/scheduler/bookings/phones.py",)
KEYWORDS = {"_": None, "N_": None, "gettext": None}
PAGE_COMMENT = "Web page for attendees."
SMS_COMMENT = "SMS: {kind}. Keep it short; never name what the session is about."
QUESTION_COMMENT = "Feedback form question. An attendee reads it alone, maybe with low literacy: short and plain."
FOOTER_COMMENT = "E-mail footer, below every e-mail; the sender address takes no replies."


def _marked(path: Path) -> Iterator[str]:
    method = "jinja2.ext:babel_extract" if path.suffix == ".html" else "python"
    for _line, message, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS):
        if isinstance(message, str) and message:
            yield message


def _page_files() -> Iterator[Path]:
    for folder in PAGE_SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".html", ".py") and not path.name.startswith("staff"):
                yield path
    for module in MARKED_MODULES:
        yield ROOT / module


def _data_texts() -> Iterator[tuple[str, str, str]]:
    """(text, comment, where) for the texts kept as data rather than in calls."""
    sys.path.insert(0, str(ROOT / "services"))
    from feedback.forms.questions import all_questions
    from notifier.deliveries.messages import MESSAGES
    from notifier.mail.compose import FOOTER

    for kind, text in MESSAGES.items():
        yield text, SMS_COMMENT.format(kind=kind), "services/notifier/deliveries/messages.py"
    yield FOOTER, FOOTER_COMMENT, "services/notifier/mail/compose.py"
    for question in all_questions():
        yield question.text, QUESTION_COMMENT, "services/feedback/forms/questions.py"


def template() -> Catalog:
    """Every attendee text of the sources, each once, with the files that use it."""
    catalog = Catalog(project="Brug", version="1", fuzzy=False, charset="utf-8")
    for text, comment, where in _data_texts():
        catalog.add(text, locations=[_file(where)], auto_comments=[comment], flags=_flags(text))
    for path in _page_files():
        location = _file(path.relative_to(ROOT).as_posix())
        for text in _marked(path):
            known = catalog.get(text)
            if known is None:
                catalog.add(text, locations=[location], auto_comments=[PAGE_COMMENT], flags=_flags(text))
            elif location not in known.locations:
                known.locations.append(location)
    return catalog


def _file(where: str) -> tuple[str, int]:
    """A location without a line number (babel writes it as the bare file name, and reads it back so)."""
    return (where, None)  # type: ignore[return-value]  # babel annotates the line number int, yet allows None


def _flags(text: str) -> tuple[str, ...]:
    return ("python-brace-format",) if "{" in text else ()


def render(catalog: Catalog) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, include_lineno=False, omit_header=False)
    return buffer.getvalue()


def main() -> None:
    TEMPLATE.write_bytes(render(template()))
    print(f"wrote {TEMPLATE.relative_to(ROOT)}: {len(template())} texts")


if __name__ == "__main__":
    main()
