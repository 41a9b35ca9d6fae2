"""Staff tokens are verified with the scheduler's public key alone; anything else is refused."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Depends, FastAPI

from scheduler.accounts.tokens import TokenIssuer, generate_signing_key
from scheduler.app import create_app
from shared.auth import (
    CurrentUser,
    Principal,
    TokenVerifier,
    Unauthenticated,
    fetch_jwks,
    install,
    key_id,
    load_jwks,
    public_jwk,
    require_roles,
    set_verifier,
)
from shared.errors import BrugError, render_error
from shared.natsserver import NatsServer
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import sign_in
from tests.support.servers import ThreadedServer

MINUTES = timedelta(minutes=30)
AMBASSADOR = Principal(user_id="a" * 32, role="ambassador")
STAFF = Principal(user_id="s" * 32, role="provider_staff", provider_id="ggd")


@pytest.fixture
def issuer() -> TokenIssuer:
    return TokenIssuer(generate_signing_key(), MINUTES)


@pytest.fixture
def verifier(issuer: TokenIssuer) -> TokenVerifier:
    """Built from the JWKS document only, as the notifier and feedback services build theirs."""
    return TokenVerifier.from_jwks(json.dumps(issuer.jwks()))


def test_a_token_verifies_with_the_public_key_from_the_jwks_document(
    issuer: TokenIssuer, verifier: TokenVerifier
) -> None:
    assert verifier.verify(issuer.issue(STAFF).token) == STAFF
    ambassador = verifier.verify(issuer.issue(AMBASSADOR).token)
    assert ambassador == AMBASSADOR
    assert ambassador.ambassador_id == AMBASSADOR.user_id and STAFF.ambassador_id is None


def test_the_jwks_document_holds_one_ed25519_public_key_and_no_private_part(issuer: TokenIssuer) -> None:
    [key] = issuer.jwks()["keys"]
    assert {k: key[k] for k in ("kty", "crv", "alg", "use")} == {
        "kty": "OKP",
        "crv": "Ed25519",
        "alg": "EdDSA",
        "use": "sig",
    }
    assert key["kid"] == issuer.kid
    assert "d" not in key
    assert len(base64.urlsafe_b64decode(key["x"] + "=")) == 32
    assert jwt.get_unverified_header(issuer.issue(AMBASSADOR).token) == {
        "alg": "EdDSA",
        "kid": issuer.kid,
        "typ": "JWT",
    }


def test_a_token_signed_by_another_key_is_refused(verifier: TokenVerifier) -> None:
    stranger = TokenIssuer(generate_signing_key(), MINUTES)
    with pytest.raises(Unauthenticated, match="signed by a key this service does not know"):
        verifier.verify(stranger.issue(AMBASSADOR).token)


def test_another_key_claiming_the_known_key_id_is_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    stranger = TokenIssuer(generate_signing_key(), MINUTES)
    stranger.kid = issuer.kid
    with pytest.raises(Unauthenticated, match="Signature verification failed"):
        verifier.verify(stranger.issue(AMBASSADOR).token)


def test_an_expired_token_is_refused(verifier: TokenVerifier, issuer: TokenIssuer) -> None:
    issuer.lifetime = timedelta(minutes=-2)  # beyond the 30 s allowed for clock drift
    with pytest.raises(Unauthenticated, match="has expired; sign in again"):
        verifier.verify(issuer.issue(AMBASSADOR).token)


def test_a_tampered_token_is_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    header, payload, signature = issuer.issue(AMBASSADOR).token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "coordinator"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(Unauthenticated, match="not valid"):
        verifier.verify(f"{header}.{forged}.{signature}")


def test_a_token_without_a_signature_or_with_a_shared_secret_is_refused(
    issuer: TokenIssuer, verifier: TokenVerifier
) -> None:
    claims = jwt.decode(issuer.issue(AMBASSADOR).token, options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": issuer.kid})
    hmac = jwt.encode(claims, "x" * 64, algorithm="HS256", headers={"kid": issuer.kid})
    for token in (unsigned, hmac):
        with pytest.raises(Unauthenticated, match="not valid"):
            verifier.verify(token)
    with pytest.raises(Unauthenticated, match="not a valid token"):
        verifier.verify("not-a-token")


def test_a_token_for_another_audience_or_from_another_issuer_is_refused(
    issuer: TokenIssuer, verifier: TokenVerifier
) -> None:
    claims = jwt.decode(issuer.issue(AMBASSADOR).token, options={"verify_signature": False})
    key = issuer._private
    for changed, reason in (({"aud": "elsewhere"}, "Audience doesn.t match"), ({"iss": "someone"}, "Invalid issuer")):
        token = jwt.encode({**claims, **changed}, key, algorithm="EdDSA", headers={"kid": issuer.kid})
        with pytest.raises(Unauthenticated, match=reason):
            verifier.verify(token)


def test_a_token_with_an_unknown_role_or_staff_without_a_provider_is_refused(
    issuer: TokenIssuer, verifier: TokenVerifier
) -> None:
    claims = jwt.decode(issuer.issue(AMBASSADOR).token, options={"verify_signature": False})
    for changed, reason in (({"role": "attendee"}, "no known role"), ({"role": "provider_staff"}, "names no provider")):
        token = jwt.encode({**claims, **changed}, issuer._private, algorithm="EdDSA", headers={"kid": issuer.kid})
        with pytest.raises(Unauthenticated, match=reason):
            verifier.verify(token)


def test_load_jwks_keeps_only_ed25519_keys_and_says_when_there_is_none(issuer: TokenIssuer) -> None:
    rsa = {"kty": "RSA", "kid": "old", "n": "AQAB", "e": "AQAB"}
    keys = load_jwks({"keys": [rsa, *issuer.jwks()["keys"]]})
    assert list(keys) == [issuer.kid]
    with pytest.raises(ValueError, match="no Ed25519 signing key"):
        load_jwks({"keys": [rsa]})
    with pytest.raises(ValueError, match="not a valid Ed25519 key"):
        load_jwks({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k", "x": "c2hvcnQ"}]})


def test_the_jwk_and_its_kid_are_those_of_rfc_8037s_example_key() -> None:
    """RFC 8037 A.3: the thumbprint of its Ed25519 key; the served member order is kept."""
    x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    public_key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "="))
    kid = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    assert key_id(public_key) == kid
    assert json.dumps(public_jwk(public_key)) == json.dumps(
        {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"}
    )


def test_load_jwks_reads_only_the_public_half_and_names_a_key_without_its_own_kid(issuer: TokenIssuer) -> None:
    [served] = issuer.jwks()["keys"]
    leaked = {**served, "d": base64.urlsafe_b64encode(b"\x01" * 32).rstrip(b"=").decode()}
    nameless = {member: value for member, value in served.items() if member != "kid"}
    for jwk in (leaked, nameless):
        [(kid, public_key)] = load_jwks({"keys": [jwk]}).items()
        assert kid == issuer.kid and isinstance(public_key, Ed25519PublicKey)


def test_require_roles_names_only_known_roles() -> None:
    with pytest.raises(ValueError, match="require_roles needs roles"):
        require_roles("admin")  # type: ignore[arg-type]


def _guarded_app(verifier: TokenVerifier | None) -> FastAPI:
    """A service of its own that uses shared.auth the way notifier and feedback will."""
    router = APIRouter()

    @router.get("/whoami")
    def whoami(user: CurrentUser) -> dict[str, str | None]:
        return {"user_id": user.user_id, "role": user.role, "provider_id": user.provider_id}

    @router.get("/coordinators-only", dependencies=[Depends(require_roles("coordinator"))])
    def coordinators_only() -> dict[str, bool]:
        return {"ok": True}

    app = FastAPI()
    app.add_exception_handler(BrugError, render_error)  # as shared.web.create_service_app does
    install(app, verifier)
    app.include_router(router)
    return app


@pytest.fixture
def guarded(verifier: TokenVerifier) -> Iterator[httpx.Client]:
    with ThreadedServer(_guarded_app(verifier)) as server, server.client() as client:
        yield client


def test_dependencies_answer_401_with_a_bearer_challenge_403_for_a_wrong_role_and_200_otherwise(
    guarded: httpx.Client, issuer: TokenIssuer
) -> None:
    missing = guarded.get("/whoami")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json() == {
        "error": "Unauthenticated",
        "detail": "Sign in first: send the header 'Authorization: Bearer <access token>'.",
    }
    bad = guarded.get("/whoami", headers={"Authorization": "Bearer abc.def.ghi"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"

    staff = {"Authorization": f"Bearer {issuer.issue(STAFF).token}"}
    assert guarded.get("/whoami", headers=staff).json() == {
        "user_id": STAFF.user_id,
        "role": "provider_staff",
        "provider_id": "ggd",
    }
    refused = guarded.get("/coordinators-only", headers=staff)
    assert refused.status_code == 403
    assert refused.json() == {
        "error": "Forbidden",
        "detail": "Only a coordinator may do this; you are signed in as provider_staff.",
    }
    coordinator = Principal(user_id="c" * 32, role="coordinator")
    allowed = guarded.get("/coordinators-only", headers={"Authorization": f"Bearer {issuer.issue(coordinator).token}"})
    assert allowed.json() == {"ok": True}


def test_a_service_that_has_not_loaded_the_key_yet_says_503_then_verifies_once_it_has(issuer: TokenIssuer) -> None:
    app = _guarded_app(None)
    headers = {"Authorization": f"Bearer {issuer.issue(AMBASSADOR).token}"}
    with ThreadedServer(app) as server, server.client() as client:
        waiting = client.get("/whoami", headers=headers)
        assert waiting.status_code == 503
        assert "has not loaded the scheduler's public key yet" in waiting.json()["detail"]
        set_verifier(app, TokenVerifier.from_jwks(issuer.jwks()))
        assert client.get("/whoami", headers=headers).json()["role"] == "ambassador"


def test_a_token_from_the_running_scheduler_verifies_with_the_key_fetched_from_its_well_known_url(
    nats: NatsServer, database_url: str, keys: Keys
) -> None:
    app = create_app(scheduler_settings(nats.url, database_url, keys))
    with ThreadedServer(app) as server, server.client() as client:
        jwks = client.get("/.well-known/jwks.json")
        assert jwks.headers["cache-control"] == "public, max-age=300"
        public_keys = fetch_jwks(f"{server.url}/.well-known/jwks.json")
        token = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    principal = TokenVerifier(public_keys).verify(token)
    assert principal == Principal(user_id=me["id"], role="coordinator")
