"""The shared page kit on its own (no browser): locale choice, cookie flags, CSRF, headers.

A small app, served for real, renders the shared message template through
shared.pages as configured for an https public URL and for http on
127.0.0.1, so the Secure/__Host- cookie switch is seen both ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Form
from fastapi.responses import Response

from shared.pages import PageDep, install
from shared.pages.locale import from_accept_language, match
from tests.support.servers import ThreadedServer

router = APIRouter()


@router.get("/page")
def show(page: PageDep) -> Response:
    """A page with a form: its text is the form's CSRF token."""
    return page.render("message.html", heading=page.gettext("Thank you"), text=page.csrf_token, link="")


@router.post("/page")
def change(page: PageDep, csrf: Annotated[str, Form()] = "") -> Response:
    page.check_csrf(csrf)
    return page.render("message.html", heading="Done", text="", link="")


@contextmanager
def _client(public_url: str) -> Iterator[httpx.Client]:
    app = FastAPI()
    install(app, routers=[router], templates=[], secret="s" * 40, public_url=public_url)
    with ThreadedServer(app) as server, server.client() as client:
        yield client


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("fa-AF,fa;q=0.8,en;q=0.5", "fa-AF"),
        ("de-DE, tr;q=0.4, ar;q=0.6", "ar"),
        ("de", None),
        ("", None),
        ("ti;q=0", None),
        ("ckb-IQ,ar;q=0.7", "ckb"),
        ("ku-Arab-IQ,en;q=0.5", "ckb"),  # Kurdish in Arabic script is Sorani, not Kurmanji
        ("ku-TR,tr;q=0.8", "ku"),
        ("am-ET,en;q=0.5", "am"),
    ],
)
def test_the_browsers_languages_are_honoured_in_order_of_preference(header: str, chosen: str | None) -> None:
    assert from_accept_language(header) == chosen
    assert match("AR-sy") == "ar" and match("xx") is None


def test_over_https_cookies_are_secure_host_only_and_the_page_is_locked_down() -> None:
    with _client("https://brug.example") as client:
        shown = client.get("/page?lang=ar", headers={"Accept-Language": "nl"})
        assert re.search(r'<html lang="ar" dir="rtl">', shown.text)
        assert "شكرًا لك" in shown.text  # the text in the chosen language, not the browser's
        cookies = shown.headers.get_list("set-cookie")
        csrf = next(c for c in cookies if c.startswith("__Host-brug_csrf="))
        lang = next(c for c in cookies if c.startswith("brug_lang=ar"))
        for cookie in (csrf, lang):
            assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
        assert "SameSite=strict" in csrf and "Max-Age" not in csrf  # gone when the browser closes
        assert shown.headers["content-security-policy"].startswith("default-src 'none'")
        assert shown.headers["x-frame-options"] == "DENY"
        # the remembered choice wins over the browser's languages on the next page
        again = client.get("/page", headers={"Accept-Language": "nl", "Cookie": "brug_lang=ar"})
        assert '<html lang="ar"' in again.text

        # a form's token is good only with the cookie it was made for
        value = csrf.split(";")[0].split("=", 1)[1]
        token = re.search(r"<p>([\w-]{43})</p>", shown.text)
        assert token is not None
        cookie = {"Cookie": f"__Host-brug_csrf={value}"}
        assert client.post("/page", data={"csrf": token.group(1)}, headers=cookie).status_code == 200
        other = {"Cookie": "__Host-brug_csrf=another-browsers-value"}
        assert client.post("/page", data={"csrf": token.group(1)}, headers=other).status_code == 403


def test_over_http_in_development_cookies_are_not_secure() -> None:
    with _client("http://127.0.0.1:8001") as client:
        shown = client.get("/page")
        assert '<html lang="en" dir="ltr">' in shown.text
        [csrf] = shown.headers.get_list("set-cookie")
        assert csrf.startswith("brug_csrf=") and "Secure" not in csrf and "HttpOnly" in csrf
        static = client.get("/static/brug.js")
        assert static.status_code == 200 and static.headers["x-content-type-options"] == "nosniff"
        assert "location.replace" in static.text
