"""Accounts: sign-in, the token it gives, the first coordinator, users and providers."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import jwt
import pytest
from sqlalchemy import Engine, text

from scheduler.accounts.tokens import TokenIssuer
from scheduler.app import create_app
from scheduler.providers.models import Provider
from scheduler.settings import SchedulerSettings
from shared.auth import Principal, TokenVerifier
from shared.db import open_session
from shared.natsserver import NatsServer
from shared.settings import SettingsError, load_settings
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import PASSWORD, make_provider, make_session, make_user, sign_in, signed_in
from tests.support.servers import ThreadedServer

WRONG = {
    "error": "InvalidCredentials",
    "detail": "The e-mail address or the password is wrong. Check both; a coordinator can help if it persists.",
}


def _token(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_sign_in_gives_a_short_lived_bearer_token_naming_the_account_and_its_role(
    scheduler_server: ThreadedServer, keys: Keys
) -> None:
    with scheduler_server.client() as client:
        response = _token(client, ADMIN_EMAIL.upper(), ADMIN_PASSWORD)  # e-mail addresses ignore case
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 30 * 60
        jwks = client.get("/.well-known/jwks.json").json()
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == me["id"] and me["email"] == ADMIN_EMAIL and me["role"] == "coordinator"
    assert claims["role"] == "coordinator"
    assert (claims["iss"], claims["aud"]) == ("brug-scheduler", "brug")
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert "email" not in claims and ADMIN_EMAIL not in body["access_token"]
    assert jwt.get_unverified_header(body["access_token"])["kid"] == jwks["keys"][0]["kid"]
    assert TokenVerifier.from_jwks(jwks).verify(body["access_token"]).user_id == me["id"]


def test_the_token_lifetime_is_a_setting(nats: NatsServer, database_url: str, keys: Keys) -> None:
    app = create_app(scheduler_settings(nats.url, database_url, keys, access_token_minutes=5))
    with ThreadedServer(app) as server, server.client() as client:
        body = _token(client, ADMIN_EMAIL, ADMIN_PASSWORD).json()
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert body["expires_in"] == claims["exp"] - claims["iat"] == 5 * 60


def test_a_wrong_password_and_an_unknown_address_get_the_same_401(scheduler: httpx.Client) -> None:
    wrong_password = _token(scheduler, ADMIN_EMAIL, "not the password at all")
    unknown_user = _token(scheduler, "nobody@example.org", ADMIN_PASSWORD)
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == WRONG
    missing = scheduler.post("/api/v1/auth/token", data={"username": ADMIN_EMAIL})
    assert missing.status_code == 422


def test_an_expired_or_foreign_token_is_refused_by_the_scheduler(scheduler: httpx.Client, keys: Keys) -> None:
    me = scheduler.get("/api/v1/auth/me").json()
    principal = Principal(user_id=me["id"], role="coordinator")
    expired = TokenIssuer(keys.signing, timedelta(minutes=-5)).issue(principal).token
    response = scheduler.get("/api/v1/venues", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.json() == {"error": "Unauthenticated", "detail": "The access token has expired; sign in again."}
    foreign = TokenIssuer(Keys().signing, timedelta(minutes=5)).issue(principal).token
    assert scheduler.get("/api/v1/venues", headers={"Authorization": f"Bearer {foreign}"}).status_code == 401


def test_passwords_are_stored_as_argon2id_hashes(scheduler: httpx.Client, engine: Engine) -> None:
    make_user(scheduler, "ambassador")
    with engine.connect() as connection:
        hashes = connection.execute(text("SELECT password_hash FROM user_account")).scalars().all()
    assert len(hashes) == 2
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h or ADMIN_PASSWORD in h for h in hashes)


def test_a_hash_made_at_an_older_cost_is_renewed_at_the_next_sign_in(
    nats: NatsServer, database_url: str, keys: Keys, engine: Engine
) -> None:
    def stored() -> str:
        with engine.connect() as connection:
            return connection.execute(text("SELECT password_hash FROM user_account")).scalar_one()

    first = create_app(scheduler_settings(nats.url, database_url, keys))
    with ThreadedServer(first) as server, server.client() as client:
        signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert "$m=1024,t=1," in stored()

    raised = scheduler_settings(nats.url, database_url, keys, argon2_time_cost=2, argon2_memory_kib=2048)
    with ThreadedServer(create_app(raised)) as server, server.client() as client:
        signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert "$m=2048,t=2," in stored()
        signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


def test_the_default_hash_cost_is_rfc_9106s_low_memory_profile(keys: Keys) -> None:
    settings = SchedulerSettings(notifier_public_key=keys.public, scheduler_signing_key=keys.signing)
    assert (settings.argon2_time_cost, settings.argon2_memory_kib) == (3, 65536)


def test_the_first_start_creates_the_coordinator_and_later_starts_change_nothing(
    nats: NatsServer, database_url: str, keys: Keys
) -> None:
    first = create_app(scheduler_settings(nats.url, database_url, keys))
    with ThreadedServer(first) as server, server.client() as client:
        coordinator = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert [u["email"] for u in coordinator.get("/api/v1/users").json()] == [ADMIN_EMAIL]

    other = scheduler_settings(
        nats.url, database_url, keys, bootstrap_admin_email="new@example.org", bootstrap_admin_password="x" * 16
    )
    with ThreadedServer(create_app(other)) as server, server.client() as client:
        assert _token(client, "new@example.org", "x" * 16).status_code == 401
        coordinator = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert [u["email"] for u in coordinator.get("/api/v1/users").json()] == [ADMIN_EMAIL]


def test_without_bootstrap_settings_no_account_is_made(nats: NatsServer, database_url: str, keys: Keys) -> None:
    settings = scheduler_settings(
        nats.url, database_url, keys, bootstrap_admin_email=None, bootstrap_admin_password=None
    )
    with ThreadedServer(create_app(settings)) as server, server.client() as client:
        assert _token(client, ADMIN_EMAIL, ADMIN_PASSWORD).json() == WRONG


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"bootstrap_admin_email": "a@example.org"}, "set both to create the first coordinator, or neither"),
        (
            {"bootstrap_admin_email": "a@example.org", "bootstrap_admin_password": "short"},
            "setting BRUG_BOOTSTRAP_ADMIN_PASSWORD: must be at least 12 characters",
        ),
        ({"access_token_minutes": 0}, "setting BRUG_ACCESS_TOKEN_MINUTES: must be between 1 and 1440 minutes"),
        ({"bootstrap_admin_email": "", "bootstrap_admin_password": "x" * 12}, "set both"),
    ],
)
def test_account_settings_that_cannot_work_stop_start_up(keys: Keys, env: dict[str, object], expected: str) -> None:
    with pytest.raises(SettingsError, match=expected):
        load_settings(SchedulerSettings, notifier_public_key=keys.public, scheduler_signing_key=keys.signing, **env)


def test_bootstrap_settings_left_empty_in_an_env_file_count_as_unset(keys: Keys) -> None:
    settings = load_settings(
        SchedulerSettings,
        notifier_public_key=keys.public,
        scheduler_signing_key=keys.signing,
        bootstrap_admin_email="",
        bootstrap_admin_password="",
    )
    assert settings.bootstrap_admin_email is None and settings.bootstrap_admin_password is None


def test_keygen_prints_a_signing_key_the_scheduler_accepts(keys: Keys) -> None:
    result = subprocess.run([sys.executable, "-m", "scheduler", "keygen"], capture_output=True, text=True, timeout=60)
    name, value = result.stdout.split("   #")[0].strip().split("=", 1)
    assert name == "BRUG_SCHEDULER_SIGNING_KEY"
    settings = load_settings(SchedulerSettings, notifier_public_key=keys.public, scheduler_signing_key=value)
    assert TokenIssuer(settings.scheduler_signing_key.get_secret_value(), timedelta(minutes=1)).kid


def test_a_coordinator_creates_lists_reads_and_deactivates_users(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    provider = make_provider(scheduler, name="Centrum Seksueel Geweld")
    ambassador = make_user(scheduler, "ambassador", email="Amal@Example.org", languages=["ti", "ar"])
    staff = make_user(scheduler, "provider_staff", provider_id=provider["id"], display_name="Dr. Jansen")
    second = make_user(scheduler, "coordinator")
    assert ambassador["email"] == "amal@example.org"
    assert ambassador["languages"] == ["ti", "ar"] and ambassador["provider_id"] is None
    assert (staff["provider_id"], staff["languages"], staff["active"]) == (provider["id"], [], True)
    assert "password" not in str(staff) and "password_hash" not in staff
    listed = {u["id"] for u in scheduler.get("/api/v1/users").json()}
    assert {ambassador["id"], staff["id"], second["id"]} < listed and len(listed) == 4
    assert scheduler.get(f"/api/v1/users/{staff['id']}").json() == staff

    with scheduler_server.client() as client:
        as_ambassador = signed_in(client, "AMAL@example.org")
        assert as_ambassador.get("/api/v1/auth/me").json()["id"] == ambassador["id"]
        deactivated = scheduler.post(f"/api/v1/users/{ambassador['id']}/deactivate")
        assert deactivated.json()["active"] is False
        # the token still within its lifetime stops working in the scheduler at once
        refused = as_ambassador.get("/api/v1/venues")
        assert refused.status_code == 401
        assert refused.json()["error"] == "AccountDeactivated"
        assert refused.headers["www-authenticate"] == "Bearer"
        again = _token(client, "amal@example.org", PASSWORD)
        assert again.status_code == 401
        assert again.json() == {
            "error": "AccountDeactivated",
            "detail": "This account is deactivated. Ask a coordinator if you still work with Brug.",
        }
    assert scheduler.post(f"/api/v1/users/{ambassador['id']}/deactivate").json()["active"] is False


def test_the_last_active_coordinator_cannot_be_deactivated(scheduler: httpx.Client) -> None:
    me = scheduler.get("/api/v1/auth/me").json()
    refused = scheduler.post(f"/api/v1/users/{me['id']}/deactivate")
    assert refused.status_code == 409
    assert refused.json() == {
        "error": "LastCoordinator",
        "detail": "This is the only active coordinator; create another coordinator first.",
    }
    make_user(scheduler, "coordinator")
    assert scheduler.post(f"/api/v1/users/{me['id']}/deactivate").json()["active"] is False


@pytest.mark.parametrize(
    ("overrides", "status", "reason"),
    [
        ({"role": "provider_staff", "languages": []}, 422, "provider_staff needs a provider_id"),
        ({"role": "ambassador", "languages": []}, 422, "an ambassador needs languages"),
        ({"role": "coordinator", "provider_id": "x", "languages": []}, 422, "only provider_staff belong to a provider"),
        ({"role": "coordinator", "languages": ["ar"]}, 422, "languages are recorded for ambassadors only"),
        ({"role": "ambassador", "languages": ["arabic"]}, 422, "'arabic' is not a BCP 47 language code"),
        ({"role": "ambassador", "password": "too short"}, 422, "must be at least 12 characters"),
        ({"role": "superuser"}, 422, "'coordinator', 'ambassador' or 'provider_staff'"),
        ({"role": "provider_staff", "provider_id": "nope", "languages": []}, 404, "No provider with id nope"),
        ({"role": "ambassador", "email": ADMIN_EMAIL.upper()}, 409, f"An account for {ADMIN_EMAIL} already exists"),
    ],
)
def test_a_user_that_does_not_fit_its_role_is_refused_with_the_reason(
    scheduler: httpx.Client, overrides: dict[str, object], status: int, reason: str
) -> None:
    body = {
        "email": "someone@example.org",
        "display_name": "Someone",
        "password": PASSWORD,
        "languages": ["ar"],
        **overrides,
    }
    response = scheduler.post("/api/v1/users", json=body)
    assert response.status_code == status, response.text
    assert reason in response.text
    assert len(scheduler.get("/api/v1/users").json()) == 1


def test_unknown_users_and_providers_are_404_with_their_id(scheduler: httpx.Client) -> None:
    assert scheduler.get("/api/v1/users/nope").json() == {"error": "UserNotFound", "detail": "No account with id nope."}
    assert scheduler.post("/api/v1/users/nope/deactivate").status_code == 404
    missing = scheduler.get("/api/v1/providers/nope")
    assert missing.status_code == 404
    assert missing.json()["error"] == "ProviderNotFound"


def test_a_coordinator_creates_lists_and_reads_providers(scheduler: httpx.Client) -> None:
    ggd = make_provider(scheduler, name="GGD Amsterdam", contact="+31 20 555 5555", languages=["nl", "fa-AF"])
    csg = make_provider(scheduler, name="Centrum Seksueel Geweld", languages=[])
    assert scheduler.get(f"/api/v1/providers/{ggd['id']}").json() == ggd
    assert ggd["contact"] == "+31 20 555 5555" and ggd["languages"] == ["nl", "fa-AF"]
    assert [p["name"] for p in scheduler.get("/api/v1/providers").json()] == [csg["name"], ggd["name"]]
    duplicate = scheduler.post("/api/v1/providers", json={"name": "ggd amsterdam"})
    assert duplicate.status_code == 409
    assert duplicate.json() == {
        "error": "ProviderNameTaken",
        "detail": "A provider named ggd amsterdam already exists; use its id instead.",
    }
    # the same name in other capitals beyond ASCII is the same provider too (SQLite's own lower() missed it)
    make_provider(scheduler, name="Één Vrouw Ûtrecht")
    make_provider(scheduler, name="İstanbul Hulp")  # "İ" folds to "i" in PostgreSQL, to "i̇" in Python
    for name in ("één vrouw ûtrecht", "Één Vrouw Ûtrecht", "İSTANBUL HULP"):
        assert scheduler.post("/api/v1/providers", json={"name": name}).json()["error"] == "ProviderNameTaken"
    bad = scheduler.post("/api/v1/providers", json={"name": "X", "languages": ["Dutch"]})
    assert bad.status_code == 422 and "'Dutch' is not a BCP 47 language code" in bad.text


def test_a_coordinator_changes_a_provider_and_only_the_fields_given_change(scheduler: httpx.Client) -> None:
    ggd = make_provider(scheduler, name="GGD Haaglanden", contact="balie@ggd.example.org", languages=["nl"])
    other = make_provider(scheduler, name="Fier Fryslân")
    renamed = scheduler.patch(
        f"/api/v1/providers/{ggd['id']}", json={"name": "GGD Den Haag", "languages": ["nl", "ar"]}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json() == {**ggd, "name": "GGD Den Haag", "languages": ["nl", "ar"]}  # the contact kept
    assert scheduler.get(f"/api/v1/providers/{ggd['id']}").json() == renamed.json()
    same = scheduler.patch(f"/api/v1/providers/{ggd['id']}", json={"name": "ggd den haag"})  # its own name, recased
    assert same.status_code == 200 and same.json()["name"] == "ggd den haag"
    taken = scheduler.patch(f"/api/v1/providers/{ggd['id']}", json={"name": other["name"].upper()})
    assert taken.status_code == 409 and taken.json()["error"] == "ProviderNameTaken"
    for body in ({}, {"name": None}, {"name": ""}, {"languages": ["Dutch"]}, {"id": "x"}):
        assert scheduler.patch(f"/api/v1/providers/{ggd['id']}", json=body).status_code == 422, body
    assert scheduler.patch("/api/v1/providers/nope", json={"contact": ""}).status_code == 404
    entries = scheduler.get("/api/v1/audit", params={"action": "provider.updated"}).json()["entries"]
    assert [e["targets"] for e in entries] == [{"provider_id": ggd["id"]}] * 2


@pytest.mark.production_backend
def test_two_coordinators_adding_the_same_provider_at_once_the_second_is_told_it_is_taken(
    scheduler: httpx.Client, engine: Engine
) -> None:
    with open_session(engine) as first, ThreadPoolExecutor(1) as pool:
        first.add(Provider(name="Vluchtelingenwerk Noord", contact="", languages=[]))
        first.flush()  # the first coordinator's request, not yet committed
        second = pool.submit(scheduler.post, "/api/v1/providers", json={"name": "Vluchtelingenwerk Noord"})
        time.sleep(0.5)
        assert not second.done()  # it waits for the first (PostgreSQL: at the unique index; SQLite: the lock)
        first.commit()
        answer = second.result(timeout=30)
    assert (answer.status_code, answer.json()["error"]) == (409, "ProviderNameTaken")


def test_sign_in_works_for_each_role(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> None:
    for role in ("ambassador", "provider_staff", "coordinator"):
        user = make_user(scheduler, role)
        with scheduler_server.client() as client:
            token = sign_in(client, user["email"], PASSWORD)
        claims = jwt.decode(token, options={"verify_signature": False})
        assert (claims["sub"], claims["role"], claims.get("provider_id")) == (user["id"], role, user["provider_id"])


def _change(client: httpx.Client, current: str, new: str) -> httpx.Response:
    return client.post("/api/v1/auth/password", json={"current_password": current, "new_password": new})


def test_a_signed_in_account_changes_its_own_password_and_it_is_audited_without_it(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    user = make_user(scheduler, "provider_staff")
    with scheduler_server.client() as client:
        signed_in(client, user["email"])
        assert _change(client, PASSWORD, "a new long pass phrase").status_code == 204
        assert _token(client, user["email"], PASSWORD).status_code == 401
        assert _token(client, user["email"], "a new long pass phrase").status_code == 200
    entries = scheduler.get("/api/v1/audit", params={"action": "account.password_changed", "actor": user["id"]})
    [entry] = entries.json()["entries"]
    assert entry["targets"] == {"account_id": user["id"]}
    assert PASSWORD not in str(entry) and "a new long pass phrase" not in str(entry)


def test_a_wrong_current_password_is_refused_and_counts_towards_the_lock_out(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    """Before: nothing would have stopped a stolen token from guessing here. After: five wrong current
    passwords lock the account's sign-in, as five wrong sign-ins do."""
    user = make_user(scheduler)
    with scheduler_server.client() as client:
        signed_in(client, user["email"])
        for _ in range(4):
            wrong = _change(client, "a guess at it", "a new long pass phrase")
            assert wrong.status_code == 403 and wrong.json()["error"] == "WrongCurrentPassword"
        assert _change(client, "a guess at it", "a new long pass phrase").status_code == 429
        assert _change(client, PASSWORD, "a new long pass phrase").status_code == 429
        assert _token(client, user["email"], PASSWORD).status_code == 429


def test_a_new_password_too_short_is_refused_before_the_current_one_is_checked(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    user = make_user(scheduler)
    with scheduler_server.client() as client:
        signed_in(client, user["email"])
        refused = _change(client, PASSWORD, "short")
        assert refused.status_code == 422 and "at least 12 characters" in refused.text
        assert "short" not in str(refused.json().get("detail", [{}])[0].get("input", ""))
        assert _token(client, user["email"], PASSWORD).status_code == 200


def test_a_deactivated_provider_takes_no_new_sessions_or_staff_and_its_staff_sign_in_nowhere(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    provider = make_provider(scheduler)
    staff = make_user(scheduler, "provider_staff", provider_id=provider["id"])
    ahead = make_session(scheduler, provider_id=provider["id"])
    path = f"/api/v1/providers/{provider['id']}/deactivate"
    with scheduler_server.client() as ambassador:
        signed_in(ambassador, make_user(scheduler)["email"])
        assert ambassador.post(path).status_code == 403

    still_running = scheduler.post(path)  # attendees were told who co-runs it
    assert still_running.status_code == 409 and still_running.json()["error"] == "ProviderHasSessionsAhead"
    assert "1 session(s) ahead" in still_running.json()["detail"]
    assert scheduler.post(f"/api/v1/sessions/{ahead['id']}/cancel", json={"reason_code": "illness"}).status_code == 200

    done = scheduler.post(path)
    assert done.status_code == 200 and done.json()["active"] is False
    assert scheduler.get(f"/api/v1/providers/{provider['id']}").json()["active"] is False
    assert scheduler.get(f"/api/v1/users/{staff['id']}").json()["active"] is False
    with scheduler_server.client() as former:
        refused = former.post("/api/v1/auth/token", data={"username": staff["email"], "password": PASSWORD})
        assert refused.status_code == 401

    body = {"provider_id": provider["id"]}
    with pytest.raises(AssertionError, match="ProviderDeactivated") as refused_session:  # the factory wants 201
        make_session(scheduler, **body)
    assert provider["name"] in str(refused_session.value)
    new_staff = scheduler.post(
        "/api/v1/users",
        json={
            "email": "late@example.org",
            "display_name": "Late",
            "role": "provider_staff",
            "password": PASSWORD,
            **body,
        },
    )
    assert new_staff.status_code == 409 and new_staff.json()["error"] == "ProviderDeactivated"

    def audited(action: str) -> list[dict[str, object]]:
        return [e["targets"] for e in scheduler.get("/api/v1/audit", params={"action": action}).json()["entries"]]

    assert {"provider_id": provider["id"], "staff_deactivated": "1"}.items() <= audited("provider.deactivated")[
        0
    ].items()
    assert any(targets.get("account_id") == staff["id"] for targets in audited("account.deactivated"))
    assert scheduler.post(path).status_code == 200  # again: nothing more to do, no error
