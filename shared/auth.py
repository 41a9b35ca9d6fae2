"""Who is asking: staff tokens signed by the scheduler, verified by every service.

The scheduler owns the accounts and signs short-lived JSON Web Tokens with an
Ed25519 key (``alg: EdDSA``); it publishes the public half as a JWKS document
at ``/.well-known/jwks.json``. Any service verifies a token with that public
key alone, so no service but the scheduler can mint one. Attendees have no
accounts: their links carry their own capabilities, and never pass here.

A service wires this once at creation with :func:`install` and then guards
its routes with the dependency aliases::

    @router.get("/reports")
    def reports(user: CurrentUser) -> ...                      # any signed-in staff

    @router.post("/things", dependencies=[Depends(require_roles("coordinator"))])

A service that keeps a revocation list (shared.revocations: the accounts
the scheduler deactivated while their tokens may still be valid) sets it
with :func:`set_revocation_check`; every token it accepts, as a bearer
header or a staff page's cookie (:func:`verify_on`), is then checked
against it.

Errors (all render as ``{"error": <class name>, "detail": <what to do>}``)::

    BrugError
    ├── Unauthenticated   401 + ``WWW-Authenticate: Bearer``: no token, or a bad one
    │   └── AccountRevoked   the token is valid, but its account was deactivated since
    └── Forbidden         403: signed in, but the role or the owner does not fit
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jwt import PyJWK
from jwt.algorithms import OKPAlgorithm
from jwt.utils import base64url_encode

from shared.errors import BrugError, Unavailable
from shared.tls import client_context

__all__ = [
    "ALGORITHM",
    "AUDIENCE",
    "ISSUER",
    "Role",
    "ROLES",
    "Principal",
    "TokenVerifier",
    "Unauthenticated",
    "AccountRevoked",
    "Forbidden",
    "RevocationCheck",
    "public_jwk",
    "key_id",
    "load_jwks",
    "fetch_jwks",
    "install",
    "set_verifier",
    "set_revocation_check",
    "verify_on",
    "current_principal",
    "CurrentUser",
    "ensure_role",
    "require_roles",
]

ALGORITHM = "EdDSA"
#: who signs the tokens, and for whom; a token for anything else is refused.
ISSUER = "brug-scheduler"
AUDIENCE = "brug"
#: clocks of the services may drift this many seconds apart.
LEEWAY_SECONDS = 30

Role = Literal["coordinator", "ambassador", "provider_staff"]
ROLES: tuple[Role, ...] = get_args(Role)

_STATE_KEY = "token_verifier"
_REVOCATIONS_KEY = "token_revocations"

#: account id → whether its tokens are refused now (shared.revocations.install sets one).
RevocationCheck = Callable[[str], bool]


class Unauthenticated(BrugError):
    """No token, or one this service cannot accept; the client should sign in again."""

    status_code = 401


class AccountRevoked(Unauthenticated):
    """A valid token of an account the scheduler has deactivated since it was issued."""

    def __init__(self) -> None:
        super().__init__(
            "This account was deactivated, so its access token is no longer accepted. "
            "Ask a coordinator if you still work with Brug."
        )


class Forbidden(BrugError):
    """Signed in, but this role or this person may not do this."""

    status_code = 403


@dataclass(frozen=True)
class Principal:
    """The signed-in staff member a request acts for, as the token says."""

    user_id: str
    role: Role
    #: the organisation a provider_staff member belongs to; None for the other roles.
    provider_id: str | None = None

    @property
    def ambassador_id(self) -> str | None:
        """Ambassadors are named on sessions by their user id."""
        return self.user_id if self.role == "ambassador" else None

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    def claims(self) -> dict[str, Any]:
        """The token claims that carry this principal (the signer adds iss, aud, iat, exp)."""
        claims: dict[str, Any] = {"sub": self.user_id, "role": self.role}
        if self.provider_id is not None:
            claims["provider_id"] = self.provider_id
        return claims


def key_id(public_key: Ed25519PublicKey) -> str:
    """The RFC 7638 thumbprint: the same key always gets the same ``kid``, on every service.

    PyJWT writes the JWK but has no thumbprint: it is the SHA-256 of the key's required
    members (crv, kty, x), sorted and without spaces.
    """
    canonical = json.dumps(OKPAlgorithm.to_jwk(public_key, as_dict=True), sort_keys=True, separators=(",", ":"))
    return base64url_encode(hashlib.sha256(canonical.encode()).digest()).decode()


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    """One public key as a JWK (RFC 8037): kty OKP, crv Ed25519, with its kid, alg and use."""
    # kty and crv first, as the scheduler has always served them; PyJWT's values replace them in place.
    jwk = {"kty": "OKP", "crv": "Ed25519", **OKPAlgorithm.to_jwk(public_key, as_dict=True)}
    return {**jwk, "kid": key_id(public_key), "alg": ALGORITHM, "use": "sig"}


def load_jwks(document: Mapping[str, Any] | str | bytes) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 signing keys of a JWKS document, by ``kid``; other kinds of key are left out.

    Raises ValueError naming what is wrong when the document holds no usable key, or when
    one of its Ed25519 keys is malformed (PyJWKSet would skip that key without a word).
    """
    data = json.loads(document) if isinstance(document, (str, bytes)) else document
    listed = data.get("keys", []) if isinstance(data, Mapping) else []
    keys = [_ed25519_key(jwk) for jwk in listed if _is_ed25519_signing_key(jwk)]
    if not keys:
        raise ValueError('JWKS document has no Ed25519 signing key (expected {"keys": [{"kty": "OKP", ...}]})')
    return {jwk.key_id or key_id(jwk.key): jwk.key for jwk in keys}


def _is_ed25519_signing_key(jwk: object) -> bool:
    return (
        isinstance(jwk, Mapping)
        and jwk.get("kty") == "OKP"
        and jwk.get("crv") == "Ed25519"
        and jwk.get("use", "sig") == "sig"
    )


def _ed25519_key(jwk: Mapping[str, Any]) -> PyJWK:
    """The public half of one JWK as PyJWT reads it, for EdDSA whatever its ``alg`` says;
    ValueError naming the key when it is malformed."""
    public = {member: value for member, value in jwk.items() if member != "d"}
    try:
        return PyJWK.from_dict(public, algorithm=ALGORITHM)
    except jwt.PyJWTError as error:
        raise ValueError(f"JWKS key {jwk.get('kid', '?')} is not a valid Ed25519 key: {error}") from None


def fetch_jwks(url: str, *, timeout: float = 5.0) -> dict[str, Ed25519PublicKey]:
    """Load the scheduler's keys from its well-known URL (blocking: call it in a thread)."""
    response = httpx.get(url, timeout=timeout, verify=client_context())
    response.raise_for_status()
    return load_jwks(response.content)


class TokenVerifier:
    """Checks a token's signature, issuer, audience and expiry with public keys only."""

    def __init__(self, keys: Mapping[str, Ed25519PublicKey], *, leeway: float = LEEWAY_SECONDS) -> None:
        if not keys:
            raise ValueError("a TokenVerifier needs at least one public key")
        self.keys = dict(keys)
        self.leeway = leeway

    @classmethod
    def from_jwks(cls, document: Mapping[str, Any] | str | bytes) -> TokenVerifier:
        return cls(load_jwks(document))

    def verify(self, token: str) -> Principal:
        """The principal a valid token names; Unauthenticated, saying why, for any other."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.DecodeError:
            raise Unauthenticated("The access token is not a valid token; sign in again.") from None
        key = self.keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise Unauthenticated("The access token was signed by a key this service does not know; sign in again.")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                leeway=self.leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The access token has expired; sign in again.") from None
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(f"The access token is not valid ({error}); sign in again.") from None
        return _principal(claims)


def _principal(claims: Mapping[str, Any]) -> Principal:
    role = claims.get("role")
    if role not in ROLES:
        raise Unauthenticated(f"The access token names no known role (got {role!r}); sign in again.")
    provider_id = claims.get("provider_id")
    if role == "provider_staff" and not isinstance(provider_id, str):
        raise Unauthenticated("The access token of a provider_staff member names no provider; sign in again.")
    return Principal(
        user_id=str(claims["sub"]), role=role, provider_id=provider_id if role == "provider_staff" else None
    )


async def _render_unauthenticated(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Unauthenticated)
    return JSONResponse(
        {"error": type(error).__name__, "detail": error.detail},
        status_code=error.status_code,
        headers={"WWW-Authenticate": "Bearer"},
    )


def install(app: FastAPI, verifier: TokenVerifier | None = None) -> None:
    """Make ``app``'s routes able to check tokens; call it once, when the app is created.

    A service that loads the scheduler's keys over the network at start-up
    passes no verifier here and calls :func:`set_verifier` from its start-up
    hook; until then, guarded routes answer 503.
    """
    app.add_exception_handler(Unauthenticated, _render_unauthenticated)
    if verifier is not None:
        set_verifier(app, verifier)


def set_verifier(app: FastAPI, verifier: TokenVerifier) -> None:
    setattr(app.state, _STATE_KEY, verifier)


def set_revocation_check(app: FastAPI, check: RevocationCheck) -> None:
    """Refuse, from now on, the tokens of the accounts ``check`` names (see shared.revocations)."""
    setattr(app.state, _REVOCATIONS_KEY, check)


def verify_on(app: FastAPI, token: str) -> Principal:
    """The principal of ``token`` as ``app`` accepts it: signed by the scheduler, unexpired, and its
    account not on the app's revocation list. Unauthenticated (AccountRevoked) saying why, else;
    Unavailable while the scheduler's keys are not loaded yet."""
    verifier: TokenVerifier | None = getattr(app.state, _STATE_KEY, None)
    if verifier is None:
        raise Unavailable("This service has not loaded the scheduler's public key yet; try again shortly.")
    principal = verifier.verify(token)
    revoked: RevocationCheck | None = getattr(app.state, _REVOCATIONS_KEY, None)
    if revoked is not None and revoked(principal.user_id):
        raise AccountRevoked()
    return principal


def has_verifier(app: FastAPI) -> bool:
    """Whether ``app`` can check staff tokens yet (its keys have been loaded)."""
    return getattr(app.state, _STATE_KEY, None) is not None


_bearer = HTTPBearer(
    auto_error=False,
    description="A staff access token from the scheduler's POST /api/v1/auth/token.",
)


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The signed-in staff member; 401 with ``WWW-Authenticate: Bearer`` when there is none."""
    if credentials is None:
        raise Unauthenticated("Sign in first: send the header 'Authorization: Bearer <access token>'.")
    return verify_on(request.app, credentials.credentials)


CurrentUser = Annotated[Principal, Depends(current_principal)]


def ensure_role(principal: Principal, *roles: Role) -> Principal:
    """Forbidden, naming the roles that may, unless ``principal`` has one of ``roles``."""
    if principal.role not in roles:
        allowed = " or ".join(roles)
        raise Forbidden(f"Only a {allowed} may do this; you are signed in as {principal.role}.")
    return principal


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets only ``roles`` through: ``Depends(require_roles("coordinator"))``."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"require_roles needs roles out of {ROLES}, got {roles}")

    def dependency(principal: CurrentUser) -> Principal:
        return ensure_role(principal, *roles)

    return dependency
