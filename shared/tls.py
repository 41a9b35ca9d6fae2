"""The TLS context of the HTTP calls a service makes, built once per process.

httpx builds a new ``SSLContext`` for every client it makes, and with it loads
the whole CA bundle: about 25 ms of CPU each time. The staff pages that ask
another service on every request (the door's cards, provider names, sign-in
through the scheduler, the JWKS) paid that on every request; test clients paid
it a few times per test. One context, made as httpx makes it (certifi's bundle,
or ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set), is shared instead: an
``SSLContext`` is safe to share between threads and connections.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx

__all__ = ["client_context"]


@cache
def client_context() -> ssl.SSLContext:
    """Pass as ``verify=`` to every httpx client or call: verification as httpx's default, built once."""
    return httpx.create_ssl_context()
