"""A real HTTP server on 127.0.0.1 that speaks the SMS gateways' APIs, for tests.

One server answers as Twilio (``/2010-04-01/Accounts/{sid}/Messages.json``:
create and list), Vonage (``/sms/json``) and a webhook receiver
(``/webhook``, checking ``X-Brug-Signature``). It records every request and
every message it took, and can be told to misbehave for the next N requests:

- ``status``: answer with an HTTP status (e.g. 500, 503)
- ``rate_limit``: 429 with ``Retry-After``
- ``hang``: hold the request past the client's timeout, never take the message
- ``accept_then_hang``: take the message, then hold the request (a timeout after acceptance)
- ``slow``: hold the request ``seconds``, then take the message and answer as usual
- ``drop``: close the connection without an answer
- ``vonage_status``: Vonage's HTTP 200 with a non-zero ``status`` code

It is a plain ``ThreadingHTTPServer`` so that a dropped connection really is
one (an ASGI app cannot drop its connection).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from base64 import b64decode
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

__all__ = ["FakeGateways", "Recorded", "UNKNOWN_TO_TWILIO"]

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
#: a Dutch mobile number in the right form that Twilio refuses as it refuses an unassigned one
#: (21211): the notifier's own checks let it through, so the refusal comes from the gateway.
UNKNOWN_TO_TWILIO = "+31619999999"


@dataclass
class Recorded:
    """One request as the server received it."""

    service: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    #: when it arrived (time.monotonic()), for tests of pacing.
    at: float = field(default_factory=time.monotonic)

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True))

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _Trouble:
    how: str
    status: int = 500
    retry_after: str | None = None
    seconds: float = 3.0
    code: str = "5"


@dataclass
class FakeGateways:
    twilio_sid: str = "AC" + "1" * 32
    twilio_token: str = "twilio-test-auth-token"
    vonage_key: str = "vonage-key"
    vonage_secret: str = "vonage-secret-0123"
    webhook_secret: str = "webhook-secret-" + "0123456789abcdef" * 2
    requests: list[Recorded] = field(default_factory=list)
    twilio_messages: list[dict[str, Any]] = field(default_factory=list)
    vonage_messages: list[dict[str, str]] = field(default_factory=list)
    webhook_messages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._troubles: dict[tuple[str, str], deque[_Trouble]] = defaultdict(deque)
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeGateways:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def fail(self, service: str, how: str, *, times: int = 1, on: str = "send", **options: Any) -> None:
        """Misbehave for the next ``times`` ``on`` ("send" or "lookup") requests to ``service``."""
        with self._lock:
            self._troubles[(service, on)].extend(_Trouble(how, **options) for _ in range(times))

    def sent(self, service: str | None = None) -> list[Recorded]:
        """The message-sending requests received (also those that failed), in order."""
        return [r for r in self.requests if r.method == "POST" and (service is None or r.service == service)]

    def texts(self) -> int:
        """How many messages were taken, by every gateway together: what a phone would receive."""
        return len(self.twilio_messages) + len(self.vonage_messages) + len(self.webhook_messages)

    # -- used by the handler ------------------------------------------------------

    def _record(self, request: Recorded) -> _Trouble | None:
        kind = "lookup" if request.method == "GET" else "send"
        with self._lock:
            self.requests.append(request)
            queue = self._troubles[(request.service, kind)]
            return queue.popleft() if queue else None

    def _wait(self, seconds: float) -> None:
        self._release.wait(seconds)

    def _twilio_create(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        to = form.get("To", "")
        if not E164.match(to) or to == UNKNOWN_TO_TWILIO:
            message = f"The 'To' number {to} is not a valid phone number."
            return 400, {
                "code": 21211,
                "message": message,
                "more_info": "https://www.twilio.com/docs/errors/21211",
                "status": 400,
            }
        record = {
            "sid": "SM" + uuid.uuid4().hex,
            "account_sid": self.twilio_sid,
            "to": to,
            "from": form.get("From"),
            "body": "" if form.get("ContentRetention") == "discard" else form.get("Body"),
            "status": "queued",
            "direction": "outbound-api",
            "date_created": format_datetime(datetime.now(UTC), usegmt=True),
            "date_sent": None,
            "num_segments": "1",
            "error_code": None,
        }
        with self._lock:
            self.twilio_messages.append(record)
        return 201, record

    def _twilio_list(self, query: dict[str, list[str]], path: str) -> dict[str, Any]:
        wanted = {k: query[k][0] for k in ("To", "From") if k in query}
        size, page = int(query.get("PageSize", ["50"])[0]), int(query.get("Page", ["0"])[0])
        with self._lock:
            matching = [m for m in reversed(self.twilio_messages) if all(m[k.lower()] == v for k, v in wanted.items())]
        chunk = matching[page * size : (page + 1) * size]
        more = len(matching) > (page + 1) * size
        next_query = urlencode({**wanted, "PageSize": size, "Page": page + 1, "PageToken": f"PA{uuid.uuid4().hex}"})
        return {
            "messages": chunk,
            "page": page,
            "page_size": size,
            "next_page_uri": f"{path}?{next_query}" if more else None,
        }

    def _vonage(self, form: dict[str, str]) -> dict[str, Any]:
        if (form.get("api_key"), form.get("api_secret")) != (self.vonage_key, self.vonage_secret):
            return {"message-count": "1", "messages": [{"status": "4", "error-text": "Bad Credentials"}]}
        if not form.get("to", "").isdigit():
            return {"message-count": "1", "messages": [{"status": "3", "error-text": "Invalid to address"}]}
        message_id = uuid.uuid4().hex[:16].upper()
        with self._lock:
            self.vonage_messages.append({**form, "message-id": message_id})
        return {"message-count": "1", "messages": [{"to": form["to"], "message-id": message_id, "status": "0"}]}

    def _webhook(self, body: bytes, signature: str | None) -> tuple[int, dict[str, Any]]:
        expected = "sha256=" + hmac.new(self.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        if not signature or not hmac.compare_digest(signature, expected):
            return 401, {"error": "bad signature"}
        payload = json.loads(body)
        with self._lock:
            taken = self.webhook_messages.setdefault(
                payload["idempotency_key"], {**payload, "id": f"wh-{uuid.uuid4().hex[:8]}"}
            )
        return 200, {"id": taken["id"]}


def _service_of(path: str) -> str:
    if path.startswith("/2010-04-01/"):
        return "twilio"
    if path.startswith("/sms/"):
        return "vonage"
    return "webhook"


def _handler_for(fake: FakeGateways) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._handle()

        def do_POST(self) -> None:  # noqa: N802
            self._handle()

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Recorded(
                _service_of(parts.path),
                self.command,
                parts.path,
                parse_qs(parts.query),
                dict(self.headers.items()),
                body,
            )
            trouble = fake._record(request)
            if trouble is not None and trouble.how == "slow":
                fake._wait(trouble.seconds)
                trouble = None
            if trouble is not None and trouble.how != "accept_then_hang" and self._misbehave(trouble):
                return
            status, payload = self._answer(request)
            if trouble is not None:  # accept_then_hang: the message is taken; the answer comes too late
                fake._wait(trouble.seconds)
                self.close_connection = True
                return
            self._reply(status, payload)

        def _misbehave(self, trouble: _Trouble) -> bool:
            if trouble.how == "status":
                self._reply(trouble.status, {"code": 20000 + trouble.status, "message": "simulated failure"})
            elif trouble.how == "rate_limit":
                headers = {"Retry-After": trouble.retry_after} if trouble.retry_after is not None else {}
                self._reply(429, {"code": 20429, "message": "Too Many Requests"}, headers)
            elif trouble.how == "vonage_status":
                self._reply(
                    200, {"message-count": "1", "messages": [{"status": trouble.code, "error-text": "simulated"}]}
                )
            elif trouble.how == "hang":
                fake._wait(trouble.seconds)
                self.close_connection = True
            elif trouble.how == "drop":
                self.close_connection = True
            else:
                raise ValueError(f"unknown trouble {trouble.how!r}")
            return True

        def _answer(self, request: Recorded) -> tuple[int, dict[str, Any]]:
            if request.service == "twilio":
                if not self._twilio_auth():
                    return 401, {"code": 20003, "message": "Authenticate", "status": 401}
                if request.method == "GET":
                    return 200, fake._twilio_list(request.query, request.path)
                return fake._twilio_create(request.form)
            if request.service == "vonage":
                return 200, fake._vonage(request.form)
            return fake._webhook(request.body, self.headers.get("X-Brug-Signature"))

        def _twilio_auth(self) -> bool:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return False
            return b64decode(header[6:]).decode() == f"{fake.twilio_sid}:{fake.twilio_token}"

        def _reply(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler
