"""Headers on every answer and a bound on every request body, for all three services at once.

- ``Cache-Control: no-store``, ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy:
  no-referrer`` on every response that does not set its own: a booking read through its secret link,
  a report or a CSV must not stay in a shared computer's cache or a proxy, be sniffed into HTML, or
  leak its URL to the next site. The attendee pages set these and more themselves (shared.pages).
- A request body larger than ``BRUG_MAX_BODY_BYTES`` is answered 413 before a route reads it (by its
  ``Content-Length``, or while it streams in without one), so nobody can make a service parse a
  hundred megabytes of JSON.

A plain ASGI middleware, like shared.web's ``_Observe``, for the same reason: no extra task per request.
"""

from __future__ import annotations

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Harden", "SECURITY_HEADERS"]

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class _TooLarge(Exception):
    pass


class Harden:
    """Adds :data:`SECURITY_HEADERS` where missing; refuses bodies over ``max_body_bytes`` with 413."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = overflow = replaced = False

        async def headed_send(message: Message) -> None:
            nonlocal started, replaced
            if replaced:
                return  # the app's own answer to a body cut short; the 413 has gone instead
            if message["type"] == "http.response.start":
                if overflow:
                    replaced = True
                    await self._refuse(send)
                    return
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received, overflow
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # the body parser turns this into its own 400; headed_send answers 413 instead
                    overflow = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted_receive, headed_send)
        except _TooLarge:
            if started or replaced:
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "error": "RequestTooLarge",
                "detail": f"The request body is larger than {self.max_body_bytes} bytes, the most this service "
                "takes (BRUG_MAX_BODY_BYTES). Send less: no form or API call here needs more.",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *((name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
