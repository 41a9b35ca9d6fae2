"""Twilio's request signature (``X-Twilio-Signature``) on status callbacks and inbound SMS.

Twilio signs the full URL it called (scheme, host, port if any, path and
query string) followed by every POST parameter sorted by name, each name
directly followed by its value(s), with HMAC-SHA1 under the account's auth
token, base64-encoded. Like Twilio's own helper libraries, the URL is also
tried with the default port added or removed, since proxies differ in
whether they keep it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

__all__ = ["compute", "valid"]

_DEFAULT_PORTS = {"https": 443, "http": 80}


def compute(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """The signature Twilio sends for a POST of ``params`` to ``url``."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for name, value in params:
        grouped[name].add(value)
    data = url + "".join(name + value for name in sorted(grouped) for value in sorted(grouped[name]))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def valid(auth_token: str, url: str, params: Iterable[tuple[str, str]], signature: str) -> bool:
    """Whether ``signature`` is Twilio's for this URL (with or without its default port) and params."""
    pairs = list(params)
    return any(
        hmac.compare_digest(compute(auth_token, candidate, pairs).encode(), signature.encode())
        for candidate in _with_and_without_port(url)
    )


def _with_and_without_port(url: str) -> list[str]:
    parts = urlsplit(url)
    default = _DEFAULT_PORTS.get(parts.scheme)
    host = parts.hostname or ""
    if default is None or parts.port not in (None, default):
        return [url]
    with_port = urlunsplit(parts._replace(netloc=f"{host}:{default}"))
    without_port = urlunsplit(parts._replace(netloc=host))
    return [url, with_port, without_port]
