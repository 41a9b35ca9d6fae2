"""CSRF tokens, cookie flags and the security headers of every page.

CSRF: a signed double-submit token, no JavaScript needed. The browser holds
a random value in an HttpOnly, SameSite=Strict cookie; each form carries
HMAC-SHA256(key, that value) in a hidden field. A POST is accepted only when
the field matches the cookie it was made for, so a page on another site can
neither read nor forge it, and a cookie planted by a sibling subdomain is
useless without the key. A request that says it comes from another site
(``Sec-Fetch-Site: cross-site``, or an ``Origin`` that is not ours) is refused
as well. The key is derived from a service secret, so every replica accepts
every other's tokens.

Cookies are ``Secure`` when the service's public URL is https (set
``BRUG_<SERVICE>_PUBLIC_URL``); on http://127.0.0.1 in development they
cannot be, or the browser would drop them. Secure cookies get the
``__Host-`` prefix, which pins them to this host and path ``/``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from starlette.requests import Request

__all__ = ["CsrfFailed", "Csrf", "derive_key", "HTML_HEADERS", "STATIC_HEADERS", "CSP"]

#: no inline script or style anywhere: everything comes from this service's /static.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

HTML_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    # a shared phone's back button or cache must not bring a booking back
    "Cache-Control": "no-store",
}

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "public, max-age=86400",
}


class CsrfFailed(Exception):
    """A state-changing form came without a valid token, or from another site."""


def derive_key(secret: str | bytes, purpose: str = "brug-pages-csrf-v1") -> bytes:
    """A key for one purpose, derived from a service secret (never the secret itself)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, purpose.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class Csrf:
    def __init__(self, key: bytes, *, secure: bool) -> None:
        self.key = key
        self.secure = secure
        self.cookie = "__Host-brug_csrf" if secure else "brug_csrf"

    def new_value(self) -> str:
        return secrets.token_urlsafe(24)

    def token_for(self, value: str) -> str:
        return _b64(hmac.new(self.key, value.encode(), hashlib.sha256).digest())

    def check(self, request: Request, submitted: str | None) -> None:
        """Raise :class:`CsrfFailed` unless ``submitted`` was made for this browser's cookie."""
        if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
            raise CsrfFailed("the form came from another site")
        origin = request.headers.get("origin")
        if origin not in (None, "null") and origin.split("://")[-1] != request.url.netloc:
            raise CsrfFailed("the form came from another origin")
        value = request.cookies.get(self.cookie)
        if not value or not submitted:
            raise CsrfFailed("no token, or no cookie (are cookies blocked?)")
        if not hmac.compare_digest(self.token_for(value), submitted):
            raise CsrfFailed("the token does not match this browser")
