"""Every setting the code reads is documented for operators: in .env.example and in the README."""

from __future__ import annotations

import re
from pathlib import Path

from feedback.settings import FeedbackSettings
from notifier.settings import NotifierSettings
from scheduler.settings import SchedulerSettings

ROOT = Path(__file__).resolve().parents[2]


def _settings() -> set[str]:
    return {
        f"BRUG_{name.upper()}"
        for cls in (SchedulerSettings, NotifierSettings, FeedbackSettings)
        for name in cls.model_fields
    }


def test_every_setting_is_in_env_example() -> None:
    listed = set(re.findall(r"^#? ?(BRUG_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    missing = sorted(_settings() - listed)
    assert not missing, f"add these to .env.example (commented, at their default): {missing}"


def test_env_example_names_no_setting_the_code_does_not_read() -> None:
    listed = set(re.findall(r"^#? ?(BRUG_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    unknown = sorted(listed - _settings())
    assert not unknown, f".env.example names settings nothing reads: {unknown}"
