"""`make bench` rewrites only its own section of bench/RESULTS.md, never the hand-written ones."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("run_all", ROOT / "bench" / "run_all.py")
assert spec is not None and spec.loader is not None
run_all = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_all)

DOCUMENT = "# Benchmark results\n\nIntro.\n\n## bench/bus.py\n\nHand-written.\n"


def test_the_first_run_goes_after_the_introduction_and_later_runs_replace_it() -> None:
    first = run_all.replace_section(DOCUMENT, f"{run_all.BEGIN}\nrun 1\n{run_all.END}")
    assert first.index("run 1") < first.index("## bench/bus.py") and first.endswith("Hand-written.\n")
    second = run_all.replace_section(first, f"{run_all.BEGIN}\nrun 2\n{run_all.END}")
    assert "run 1" not in second and second.count(run_all.BEGIN) == 1
    assert second.replace("run 2", "run 1") == first


def test_only_the_tables_and_findings_are_kept_from_a_benchmarks_output() -> None:
    output = "starting nats...\n| measure | ours | ratio |\n| --- | ---: | ---: |\n| x | 1 | 0.5 |\nOK\n- knee at 8\n"
    assert run_all.tables(output) == "| measure | ours | ratio |\n| --- | ---: | ---: |\n| x | 1 | 0.5 |\n- knee at 8"
    section = run_all.section([("bus", output, 12.0, 0), ("load", "", 3.0, None)], 1.0, 2.0)
    assert "### bench/bus.py (12 s, ok)" in section and "### bench/load.py (3 s, timed out)" in section
    assert "(no table printed)" in section and section.startswith(run_all.BEGIN) and section.endswith(run_all.END)
