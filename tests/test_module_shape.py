"""Every module has the same shape: SQL statements live in a feature's ``repository.py``.

A module "runs SQL" when it builds a statement (``select``, ``insert``,
``update``, ``delete`` or ``text`` imported from SQLAlchemy or SQLModel) or
runs one (a call to ``.exec(...)`` or ``.execute(...)``). The ORM's unit of
work (``db.get``, ``db.add``, ``db.delete(row)``) is not SQL in this sense:
services call it to load a row by its key and to save what a rule changed.
Migrations and ``models.py`` files may hold SQL (DDL, server defaults).

The few other modules that may are listed in ``ALLOWED``, each with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("services", "shared")

#: names whose call builds a statement, when imported from sqlalchemy or sqlmodel.
BUILDERS = frozenset({"select", "insert", "update", "delete", "text"})
#: method names whose call runs a statement (Session.exec, Session/Connection.execute, cursor.execute).
RUNNERS = frozenset({"exec", "execute"})

#: module → why it runs SQL outside a repository. Keep it short; an entry that no longer runs SQL fails.
ALLOWED: dict[str, str] = {
    # The registration hot path: lock, counts and insert as prepared text() statements held while the
    # session's lock is held; the module is that path's repository in all but name (see its docstring).
    "services/scheduler/bookings/seating.py": "registration hot path, prepared SQL (profiled)",
    # Shared infrastructure, below every feature: each owns its own table or connection setting and is
    # used by all three services, so there is no feature repository to hold it.
    "shared/db.py": "engine set-up: SQLite PRAGMAs per connection, the health check, the WAL checkpoint",
    "shared/migrate.py": "PostgreSQL advisory lock so two replicas never migrate at once",
    "shared/outbox.py": "the outbox table, written in the caller's transaction and read by the relay",
    "shared/consumer.py": "the inbox table the consumer deduplicates events with",
    "shared/audit.py": "the audit_log table every service with staff actions keeps",
    "shared/revocations.py": "the revocation list of deactivated accounts every service keeps",
}


def _sql_names(tree: ast.Module) -> set[str]:
    """Local names bound to a statement builder or to the sqlalchemy/sqlmodel modules themselves."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("sqlalchemy", "sqlmodel"):
            names.update(alias.asname or alias.name for alias in node.names if alias.name in BUILDERS)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("sqlalchemy", "sqlmodel"):
                    names.add((alias.asname or alias.name).split(".")[0])
    return names


def sql_lines(source: str) -> list[int]:
    """The lines of a module's source that build or run a SQL statement."""
    tree = ast.parse(source)
    local = _sql_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        builds = isinstance(func, ast.Name) and func.id in local
        qualified = (
            isinstance(func, ast.Attribute)
            and func.attr in BUILDERS
            and isinstance(func.value, ast.Name)
            and func.value.id in local
        )
        runs = isinstance(func, ast.Attribute) and func.attr in RUNNERS
        if builds or qualified or runs:
            found.append(node.lineno)
    return sorted(set(found))


def _held_to_the_shape(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return not ("migrations" in relative.parts or path.name in ("repository.py", "models.py"))


def modules_running_sql() -> dict[str, list[int]]:
    """Every scanned module outside repositories, models and migrations that runs SQL, with its lines."""
    found: dict[str, list[int]] = {}
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if _held_to_the_shape(path) and (lines := sql_lines(path.read_text(encoding="utf-8"))):
                found[path.relative_to(ROOT).as_posix()] = lines
    return found


def test_queries_live_in_repositories() -> None:
    stray = {module: lines for module, lines in modules_running_sql().items() if module not in ALLOWED}
    assert not stray, (
        "these modules build or run SQL outside a repository.py; move the statement into the feature's "
        "repository as a small named function (or, if it truly cannot move, add the module to ALLOWED "
        "with the reason):\n" + "\n".join(f"  {module}: lines {lines}" for module, lines in stray.items())
    )


def test_every_allowed_exception_is_still_needed() -> None:
    running = modules_running_sql()
    stale = sorted(module for module in ALLOWED if module not in running)
    assert not stale, f"these modules no longer run SQL; take them out of ALLOWED: {stale}"


def test_the_detector_sees_a_query_in_a_route() -> None:
    """The check can fail: a route that selects (the shape feedback.comments.api had) is caught, and so
    is a raw statement; a dict's update, a form's update and the ORM's db.delete(row) are not SQL."""
    route = (
        "from sqlmodel import col, select\n"
        "def pending(db):\n"
        "    return db.exec(select(Row).order_by(col(Row.id))).all()\n"
    )
    assert sql_lines(route) == [3]
    raw = "import sqlalchemy as sa\nQUERY = sa.text('SELECT 1')\n"
    assert sql_lines(raw) == [2]
    harmless = "def f(db, form, seen, row):\n    seen.update(form.update())\n    db.delete(row)\n"
    assert sql_lines(harmless) == []
