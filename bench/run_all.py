"""``make bench``: every benchmark in turn, their tables gathered at the top of bench/RESULTS.md.

Each benchmark measures its own baseline in the same run and prints
Markdown tables with the ratios; this runs them one after the other (never
together: they would measure each other), echoes their output as it comes,
and replaces the "Latest make bench" section of bench/RESULTS.md with what
they printed, the machine and its load before and after. The hand-written
sections below it (what each figure means, earlier runs) stay as they are.

Usage: ``python bench/run_all.py [--only booking,fanout]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
BEGIN, END = "<!-- make bench: begin -->", "<!-- make bench: end -->"
#: name → the command's arguments after the script (each script's defaults otherwise).
BENCHES: dict[str, list[str]] = {"bus": [], "fanout": [], "feedback": [], "booking": [], "load": []}
#: a benchmark that has not finished by then is stopped and reported as such.
TIMEOUT_SECONDS = 1800


def run(name: str, args: list[str]) -> tuple[str, float, int | None]:
    """The benchmark's output (echoed while it runs), its duration and exit status (None: timed out)."""
    started = time.monotonic()
    command = [sys.executable, str(HERE / f"{name}.py"), *args]
    print(f"== {' '.join(['bench/' + name + '.py', *args])}", file=sys.stderr, flush=True)
    lines: list[str] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        assert process.stdout is not None
        deadline = started + TIMEOUT_SECONDS
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line)
            if time.monotonic() > deadline:
                process.kill()
                return "".join(lines), time.monotonic() - started, None
        status = process.wait()
    return "".join(lines), time.monotonic() - started, status


def tables(output: str) -> str:
    """The Markdown tables and the one-line findings a benchmark printed, without its progress chatter."""
    kept = [
        line for line in output.splitlines() if line.startswith(("|", "- ", "500 attempts", "notifier peak", "with "))
    ]
    return "\n".join(kept)


def section(results: list[tuple[str, str, float, int | None]], load_before: float, load_after: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        BEGIN,
        f"## Latest `make bench` ({when})",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; "
        f"load average (1 min) {load_before:.1f} before, {load_after:.1f} after. Written by `bench/run_all.py`; "
        "what each figure means is in that benchmark's own section below.",
    ]
    for name, output, seconds, status in results:
        outcome = "timed out" if status is None else ("ok" if status == 0 else f"exit status {status}")
        parts += ["", f"### bench/{name}.py ({seconds:.0f} s, {outcome})", "", tables(output) or "(no table printed)"]
    parts.append(END)
    return "\n".join(parts)


def replace_section(document: str, new: str) -> str:
    """``document`` with its generated section replaced by ``new`` (or put after the introduction)."""
    if BEGIN in document and END in document:
        head, _, rest = document.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return head + new + tail
    head, marker, tail = document.partition("\n## ")
    return f"{head}\n{new}\n{marker}{tail}" if marker else f"{document.rstrip()}\n\n{new}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated names, e.g. booking,fanout")
    chosen = [n.strip() for n in parser.parse_args().only.split(",") if n.strip()] or list(BENCHES)
    unknown = sorted(set(chosen) - set(BENCHES))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    load_before = os.getloadavg()[0]
    results = [(name, *run(name, BENCHES[name])) for name in chosen]
    RESULTS.write_text(replace_section(RESULTS.read_text(), section(results, load_before, os.getloadavg()[0])))
    print(f"bench/RESULTS.md: the 'Latest make bench' section is updated ({len(results)} benchmarks)", file=sys.stderr)
    return 0 if all(status == 0 for *_, status in results) else 1


if __name__ == "__main__":
    sys.exit(main())
