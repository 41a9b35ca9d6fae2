"""The README documents every setting the code reads."""

from __future__ import annotations

from pathlib import Path

from feedback.settings import FeedbackSettings
from notifier.settings import NotifierSettings
from scheduler.settings import SchedulerSettings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_setting_is_in_the_readme() -> None:
    names = {
        f"BRUG_{field.upper()}"
        for cls in (SchedulerSettings, NotifierSettings, FeedbackSettings)
        for field in cls.model_fields
    }
    missing = sorted(name for name in names if f"`{name}`" not in README)
    assert not missing, f"document these in README.md's settings table: {missing}"


def test_the_readme_gives_the_two_commands() -> None:
    assert "make run" in README and "make test" in README
