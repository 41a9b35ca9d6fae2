"""What the staff page tests share: a client that acts as a browser, and reading and sending forms.

Sign-in attempts are counted per client: the server trusts 127.0.0.1 as a proxy, so each browser
names its own client address in X-Forwarded-For and no test uses up another's allowance of wrong
passwords.
"""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from shared.tls import client_context
from tests.support.factories import PASSWORD
from tests.support.servers import CLIENT_SECONDS, ThreadedServer

__all__ = ["ROOT", "CSRF", "AMSTERDAM", "browser", "csrf_of", "sign_in", "text_of", "post_form"]

ROOT = Path(__file__).resolve().parents[3]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(1))


def browser(server: ThreadedServer) -> httpx.Client:
    """A client that acts like a browser of its own: cookies, and its own address."""
    return httpx.Client(
        base_url=server.url,
        timeout=CLIENT_SECONDS,
        headers={"X-Forwarded-For": next(_ADDRESSES)},
        verify=client_context(),
    )


def csrf_of(response: httpx.Response) -> str:
    found = CSRF.search(response.text)
    assert found, response.text[:500]
    return html.unescape(found.group(1))


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD, next_page: str | None = None) -> httpx.Response:
    form = client.get("/staff/sign-in", params={"next": next_page} if next_page else None)
    body = {"email": email, "password": password, "csrf": csrf_of(form)}
    if next_page is not None:
        body["next"] = next_page
    return client.post("/staff/sign-in", data=body)


def text_of(response: httpx.Response, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', response.text, flags=re.S)
    assert found, f"no #{element_id} in {response.text[:300]}"
    return " ".join(html.unescape(found.group(1)).split())


def post_form(client: httpx.Client, page: str, target: str, **fields: Any) -> httpx.Response:
    """Open ``page`` and send one of its forms to ``target``, with its CSRF token, as a browser would."""
    return client.post(target, data={"csrf": csrf_of(client.get(page)), **fields})
