"""Upgrading a scheduler database made before accounts keeps every session's provider."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, text

from shared import migrate


@pytest.fixture
def schema() -> None:
    """These tests migrate an empty database step by step themselves."""
    return None


def test_sessions_that_named_a_provider_as_free_text_get_a_provider_of_that_name(engine: Engine) -> None:
    config = migrate.alembic_config("scheduler")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "scheduler_0001")
        connection.execute(
            text(
                "INSERT INTO venue (id, name, public_name, kind, address, city, timezone, created_at) "
                "VALUES ('v1', 'Bieb', 'Bieb', 'library', 'Straat 1', 'Amsterdam', 'Europe/Amsterdam', "
                "CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(text("INSERT INTO room (id, venue_id, name, capacity) VALUES ('r1', 'v1', 'Zaal', 10)"))
        for number, provider in enumerate(["ggd-amsterdam", "ggd-amsterdam", None, "csg"]):
            connection.execute(
                text(
                    "INSERT INTO info_session (id, venue_id, room_id, starts_at, ends_at, languages, audience, "
                    "topics, internal_title, public_title, capacity, provider_id, status, walk_ins, created_at) "
                    "VALUES (:id, 'v1', 'r1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '[\"ar\"]', 'open', '[]', "
                    "'x', 'Meeting', 5, :provider, 'published', 0, CURRENT_TIMESTAMP)"
                ),
                {"id": f"s{number}", "provider": provider},
            )

    migrate.upgrade(engine, "scheduler")

    with engine.connect() as connection:
        providers = connection.execute(text("SELECT id, name, languages FROM provider ORDER BY id")).all()
        sessions = connection.execute(text("SELECT id, provider_id FROM info_session ORDER BY id")).all()
        revisions = connection.execute(text("SELECT revision, cancel_reason FROM info_session")).all()
    assert [(p.id, p.name) for p in providers] == [("csg", "csg"), ("ggd-amsterdam", "ggd-amsterdam")]
    assert all(p.languages in ([], "[]") for p in providers)
    assert [tuple(s) for s in sessions] == [
        ("s0", "ggd-amsterdam"),
        ("s1", "ggd-amsterdam"),
        ("s2", None),
        ("s3", "csg"),
    ]
    assert {tuple(r) for r in revisions} == {(0, None)}  # sessions made before reschedules existed


def test_existing_sessions_have_no_interpreter_and_existing_accounts_the_legal_cap(engine: Engine) -> None:
    config = migrate.alembic_config("scheduler")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "scheduler_0008")
        connection.execute(
            text(
                "INSERT INTO venue (id, name, public_name, kind, address, city, timezone, created_at) "
                "VALUES ('v1', 'Bieb', 'Bieb', 'library', 'Straat 1', 'Amsterdam', 'Europe/Amsterdam', "
                "CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(text("INSERT INTO room (id, venue_id, name, capacity) VALUES ('r1', 'v1', 'Zaal', 10)"))
        connection.execute(
            text(
                "INSERT INTO info_session (id, venue_id, room_id, starts_at, ends_at, languages, audience, "
                "topics, internal_title, public_title, capacity, status, walk_ins, created_at) "
                "VALUES ('s1', 'v1', 'r1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '[\"ar\"]', 'open', '[]', "
                "'x', 'Meeting', 5, 'published', 0, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO user_account (id, email, display_name, role, languages, password_hash, active, "
                "created_at) VALUES ('u1', 'a@example.org', 'A', 'ambassador', '[\"ar\"]', 'x', true, "
                "CURRENT_TIMESTAMP)"
            )
        )

    migrate.upgrade(engine, "scheduler")

    with engine.connect() as connection:
        session = connection.execute(text("SELECT interpreter_present, integration_phase FROM info_session")).one()
        account = connection.execute(text("SELECT allowance_capped, monthly_allowance_limit FROM user_account")).one()
    assert (bool(session.interpreter_present), session.integration_phase) == (False, None)
    assert (bool(account.allowance_capped), account.monthly_allowance_limit) == (True, None)
