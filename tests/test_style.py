"""The code keeps one style: ruff's lint rules and formatting, and mypy's strict types over shared/ and the
services (settings in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_lint_rules_hold() -> None:
    result = _ruff("check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted() -> None:
    result = _ruff("format", "--check", ".")
    assert result.returncode == 0, f"run `.venv/bin/ruff format .`:\n{result.stdout}"


@pytest.mark.timeout(600)  # a clean clone has no .mypy_cache: about 40 s on two busy cores; later runs take 1 s
def test_types_check() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=540)
    assert result.returncode == 0, f"mypy (settings in pyproject.toml) found:\n{result.stdout}{result.stderr}"
