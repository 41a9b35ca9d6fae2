"""The README's "Try it" walkthrough, run as a reader would paste it, against `make run`'s launcher.

The block is taken from README.md as it stands, with one change: its first line (``S=... F=...``, the
services' addresses) names this test's ports. It runs in bash with ``-euo pipefail`` in a folder whose
``var/`` is the launcher's, so every command must succeed. Where the walkthrough says a week has
passed ("once the session has begun"), the services' test clock (``BRUG_TEST_CLOCK_FILE``, accepted
only with ``BRUG_ENVIRONMENT=test``) is moved there first. Each answer shown after ``# →`` is compared
with what the command printed: every key shown with a literal value must have that value (the
example booking code stands for the one the run got; values with ``...`` or ``<...>`` are examples).

Before (the README of 2026-12-07): a session dated 3 December 2026 (refused now, 422), placeholders
to fill in by hand, a booking cancelled and then checked in (409, attendance 0 instead of 3).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from shared.natsserver import free_port
from tests.e2e.test_launcher import ROOT, Launcher
from tests.support.servers import wait_until

FIRST_LINE = "S=http://localhost:8001 F=http://localhost:8003"
#: the booking code the README shows, standing for the one this run gets.
EXAMPLE_CODE = "EGU4-KHET"
#: the paragraph that begins a week on, at the door.
AT_THE_DOOR = "once the session has begun"
#: a paragraph that asks the feedback service about the session the door just closed: a reader takes
#: seconds to get there, a script none, so it first waits (at most 60 s) until the feedback service
#: has taken in the completion and knows the session (404 SessionUnknown until then).
ASKS_FEEDBACK = "$F/api/v1/reports/sessions/$SESSION"
UNTIL_FEEDBACK_KNOWS = (
    "for _ in $(seq 300); do\n"
    '  [ "$(curl -s -o /dev/null -w "%{http_code}" "$F/api/v1/reports/sessions/$SESSION" -H "$AUTH")" != 404 ] && break\n'
    "  sleep 0.2\n"
    "done"
)
PAIR = re.compile(r'"(\w+)": ("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)')


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Try it") :]
    return section[section.index("```sh\n") + len("```sh\n") : section.index("\n```\n")]


def paragraphs(block: str) -> list[str]:
    return [p for p in block.split("\n\n") if p.strip()]


def answers(paragraph: str) -> list[dict[str, Any]]:
    """The literal key/value pairs of each ``# →`` answer in ``paragraph`` (its first alternative)."""
    shown: list[str] = []
    for line in paragraph.splitlines():
        if line.startswith("# → "):
            shown.append(line.removeprefix("# → "))
        elif shown and line.startswith("#    "):
            shown[-1] += " " + line.removeprefix("#").strip()
    found = []
    for answer in shown:
        first = answer.split(", or ")[0]
        pairs = {key: json.loads(value) for key, value in PAIR.findall(first)}
        found.append({k: v for k, v in pairs.items() if not (isinstance(v, str) and ("..." in v or "<" in v))})
    return found


def printed(output: str) -> list[dict[str, Any]]:
    """The JSON objects a paragraph printed, in order (curl adds no newline between two answers)."""
    decoder, objects, at = json.JSONDecoder(), [], 0
    while (at := output.find("{", at)) != -1:
        value, at = decoder.raw_decode(output, at)
        objects.append(value)
    return objects


def script(block: str, urls: dict[str, str], clock_file: Path, offset: timedelta) -> str:
    """The block with this test's addresses, a marker printed after each paragraph, the clock moved a
    week on before the door, and a wait for the completion to reach the feedback service."""
    assert block.startswith(FIRST_LINE), "the walkthrough's first line names make run's addresses"
    block = block.replace(FIRST_LINE, f"S={urls['scheduler']} F={urls['feedback']}", 1)
    parts = []
    for number, paragraph in enumerate(paragraphs(block)):
        if AT_THE_DOOR in paragraph.splitlines()[0]:
            parts.append(f"printf '%s' {offset.total_seconds():.0f} > '{clock_file}'")
        if ASKS_FEEDBACK in paragraph:
            parts.append(UNTIL_FEEDBACK_KNOWS)
        parts.append(f"{paragraph}\necho '@@@ {number}'")
    return "\n\n".join(parts) + "\n"


def test_the_readme_walkthrough_runs_as_written_and_answers_as_shown(tmp_path: Path) -> None:
    block = walkthrough()
    clock_file = tmp_path / "clock"
    # the walkthrough's session runs 15:00-17:00 (UTC+1) a week from today, after its move
    begun = datetime.combine(date.today() + timedelta(days=7), time(15, 30), tzinfo=timezone(timedelta(hours=1)))
    ports = {name: free_port() for name in ("scheduler", "notifier", "feedback")}
    env = {"BRUG_ENVIRONMENT": "test", "BRUG_TEST_CLOCK_FILE": str(clock_file)}
    launcher = Launcher(tmp_path / "var", free_port(), ports, extra_env=env)
    try:
        wait_until(lambda: launcher.said("Brug is running"), timeout=90, message="'Brug is running'")
        run = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script(block, launcher.urls, clock_file, begun - datetime.now(UTC))],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        assert launcher.stop(signal.SIGTERM) == 0
    assert run.returncode == 0, f"the walkthrough stopped:\n{run.stdout}\n{run.stderr}"
    outputs = re.split(r"@@@ \d+\n", run.stdout)
    code = printed(run.stdout)[0]["code"]
    compared = 0
    for paragraph, output in zip(paragraphs(block), outputs, strict=False):
        expected = answers(paragraph)
        got = printed(output)
        assert len(got) >= len(expected), f"{paragraph}\nprinted {output!r}"
        for want, have in zip(expected, got, strict=False):
            want = {k: v.replace(EXAMPLE_CODE, code) if isinstance(v, str) else v for k, v in want.items()}
            assert {k: have.get(k) for k in want} == want, f"{paragraph}\nprinted {have}"
            compared += len(want)
    assert compared >= 10  # the answers above were really compared, not skipped
