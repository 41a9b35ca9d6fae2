"""The coordinator's page on the notifier: failed messages sent again through a CSRF-checked form,
opt-outs counted, SMS segments per month; anyone else is refused with a page that says why."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po
from fastapi import FastAPI
from sqlalchemy import Engine

from notifier.app import create_app
from notifier.deliveries.models import Delivery
from notifier.optouts.service import opt_out
from shared.natsserver import NatsServer
from shared.pages.staff import STAFF_COOKIE
from shared.tables import DeadLetter
from shared.tls import client_context
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import delivery, seed
from tests.support.config import Keys, notifier_settings
from tests.support.servers import CLIENT_SECONDS, ThreadedServer, wait_until
from tests.support.tokens import StaffSigner

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = re.compile(r'(?:\b_|\bN_|\.gettext)\(\s*"((?:[^"\\]|\\.)*)"')
#: texts the shared staff kit already has Dutch for (brug.po), used on this page too.
SHARED: set[str] = set()


@pytest.fixture
def signer() -> StaffSigner:
    return StaffSigner()


@pytest.fixture
def notifier_url(nats: NatsServer, database_url: str, keys: Keys, signer: StaffSigner) -> Iterator[str]:
    """The notifier, whose SMS gateway never answers and which tries once: its deliveries fail."""
    jwks = FastAPI()
    jwks.get("/.well-known/jwks.json")(signer.jwks)
    with ThreadedServer(jwks) as keys_server:
        settings = notifier_settings(
            nats.url,
            database_url,
            keys,
            scheduler_jwks_url=f"{keys_server.url}/.well-known/jwks.json",
            sms_gateway="webhook",
            sms_webhook_url="http://127.0.0.1:9/unreachable",
            sms_webhook_secret="w" * 16 + "x" * 16,
            delivery_max_attempts=1,
            scheduler_public_url="https://scheduler.example.org",
        )
        with ThreadedServer(create_app(settings)) as server:
            yield server.url


def _browser(url: str, signer: StaffSigner, role: str, provider: str | None = None) -> httpx.Client:
    """A client whose staff cookie holds a token for ``role``, as after signing in."""
    client = httpx.Client(
        base_url=url, timeout=CLIENT_SECONDS, headers={"accept-language": "en"}, verify=client_context()
    )
    client.cookies.set(STAFF_COOKIE, signer.token(role, provider))
    return client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.mark.production_backend
def test_a_coordinator_sends_a_failed_message_again_through_the_page(
    notifier_url: str, engine: Engine, keys: Keys, signer: StaffSigner
) -> None:
    failed = seed(engine, keys, code="FAIL-0001")
    wait_until(lambda: delivery(engine, failed).status == "failed", message="the delivery to fail")
    tried_at = delivery(engine, failed).attempted_at
    with _browser(notifier_url, signer, "coordinator") as coordinator:
        wait_until(lambda: coordinator.get("/staff/deliveries").status_code == 200, message="the staff keys")
        page = coordinator.get("/staff/deliveries")
        assert "FAIL-0001" in page.text and "+316" not in page.text
        assert re.search(r"Messages that failed</dt><dd>1</dd>", page.text)
        assert f'action="/staff/deliveries/{failed}/retry"' in page.text
        assert 'href="https://scheduler.example.org/staff/password"' in page.text  # the scheduler's page

        forged = coordinator.post(f"/staff/deliveries/{failed}/retry", data={"csrf": "made-up"})
        assert forged.status_code == 403
        elsewhere = coordinator.post(
            f"/staff/deliveries/{failed}/retry",
            data={"csrf": _csrf(page.text)},
            headers={"origin": "https://evil.example"},
        )
        assert elsewhere.status_code == 403
        assert delivery(engine, failed).attempted_at == tried_at  # neither form sent anything

        sent = coordinator.post(f"/staff/deliveries/{failed}/retry", data={"csrf": _csrf(page.text)})
        assert sent.status_code == 303 and sent.headers["location"].startswith("/staff/deliveries?retried=")
        wait_until(lambda: delivery(engine, failed).attempted_at != tried_at, message="the message to be sent again")
        assert "queued to be sent again" in coordinator.get(sent.headers["location"]).text

        with UnitOfWork(engine) as db:
            row = db.get(Delivery, failed)
            assert row is not None
            row.status = "unconfirmed"  # may have arrived: never repeated
            db.add(row)
        again = coordinator.post(f"/staff/deliveries/{failed}/retry", data={"csrf": _csrf(page.text)})
        assert again.status_code == 409 and "could text someone twice" in again.text
        assert delivery(engine, failed).status == "unconfirmed"


# on both databases: the month is taken apart in each one's own words
def test_opt_outs_and_segments_per_month_are_counted_and_others_are_refused(
    notifier_url: str, engine: Engine, keys: Keys, signer: StaffSigner
) -> None:
    with UnitOfWork(engine) as db:
        for number in ("+31611111111", "+31622222222", "+31633333333"):
            opt_out(db, keys.optout_key, number)
        for i, (month, segments) in enumerate([(10, 1), (10, 2), (11, 3)]):
            db.add(
                Delivery(
                    idempotency_key=f"month-{i}",
                    booking_code=f"MNTH-000{i}",
                    session_id="s1",
                    channel="sms",
                    kind="reminder",
                    status="delivered",
                    segments=segments,
                    attempted_at=datetime(2026, month, 15, 12, tzinfo=UTC),
                )
            )
    with _browser(notifier_url, signer, "coordinator") as coordinator:
        wait_until(lambda: coordinator.get("/staff/deliveries").status_code == 200, message="the staff keys")
        page = coordinator.get("/staff/deliveries").text
        assert re.search(r"opted out of SMS</dt><dd>3</dd>", page)
        rows = re.findall(
            r'<th scope="row">([^<]+)</th><td class="number">(\d+)</td><td class="number">(\d+)</td>', page
        )
        assert rows == [("November 2026", "1", "3"), ("October 2026", "2", "3")]
        assert "No message failed" in page
        dutch = coordinator.get("/staff/deliveries", params={"lang": "nl"}).text
        assert "november 2026" in dutch and "Berichten" in dutch

    failed = seed(engine, keys, code="FAIL-0002")
    wait_until(lambda: delivery(engine, failed).status == "failed", message="the delivery to fail")
    for role, provider in (("ambassador", None), ("provider_staff", "ggd")):
        with _browser(notifier_url, signer, role, provider) as other:
            refused = other.get("/staff/deliveries")
            assert refused.status_code == 403 and "For coordinators only" in refused.text
            assert "FAIL-0002" not in refused.text
            token = _csrf(other.get("/staff/sign-in").text)
            assert other.post(f"/staff/deliveries/{failed}/retry", data={"csrf": token}).status_code == 403
    assert delivery(engine, failed).attempts == 1
    anonymous = httpx.get(f"{notifier_url}/staff/deliveries", verify=client_context())
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/staff/sign-in")


def test_every_staff_text_has_a_dutch_translation() -> None:
    sources = [p for p in (ROOT / "services" / "notifier" / "staff").rglob("*") if p.suffix in (".html", ".py")]
    found = {m for path in sources for m in MESSAGE.findall(path.read_text())}
    assert len(found) > 25
    with (ROOT / "shared" / "locales" / "nl" / "LC_MESSAGES" / "staff-notifier.po").open("rb") as source:
        catalog = read_po(source)
    with (ROOT / "shared" / "locales" / "nl" / "LC_MESSAGES" / "brug.po").open("rb") as source:
        shared = read_po(source)
    missing = [
        m
        for m in sorted(found)
        if not (catalog.get(m) and catalog.get(m).string) and not (m in SHARED and shared.get(m))
    ]
    assert not missing, f"staff-notifier.po lacks {missing}"


def _backlog(page: str) -> dict[str, dict[str, str]]:
    """Each gateway card of the page's backlog: bucket → count as shown."""
    cards = re.findall(r'<li class="gateway" data-gateway="([^"]*)">(.*?)</li>', page, flags=re.S)
    return {name: dict(re.findall(r'<dd data-bucket="(\w+)">(\d+)</dd>', card)) for name, card in cards}


def test_the_page_shows_waiting_retried_unconfirmed_and_failed_texts_per_gateway(
    notifier_url: str, engine: Engine, signer: StaffSigner
) -> None:
    """A gateway that answers nothing leaves texts pending and retried, or unconfirmed, and none failed:
    the page says so per gateway, with when the oldest still to send was planned, instead of "Nothing
    to do". Counts only: the backlog shows no booking code, number or text."""
    now = datetime.now(UTC)
    planned = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)

    def add(number: int, gateway: str | None, status: str, **fields: object) -> None:
        fields.setdefault("created_at", now)
        db.add(
            Delivery(
                idempotency_key=f"backlog-{number}",
                booking_code=f"BKLG-{number:04d}",
                session_id="s1",
                channel="sms",
                kind="reminder",
                gateway=gateway,
                status=status,
                **fields,
            )
        )

    later = now + timedelta(hours=1)
    with UnitOfWork(engine) as db:
        add(1, "twilio", "sending", attempts=1, claimed_at=now, created_at=planned + timedelta(hours=1))
        add(2, "twilio", "pending", attempts=1, due_at=later, created_at=planned)
        add(3, "twilio", "pending", attempts=2, due_at=later)
        add(4, "twilio", "unconfirmed", attempts=5)
        add(5, "twilio", "delivered", attempts=1)  # arrived: not counted
        add(6, "vonage", "pending", attempts=1, due_at=later)
        add(7, "vonage", "unconfirmed", attempts=5)
        add(8, "vonage", "unconfirmed", attempts=5)
        add(9, None, "pending", due_at=now + timedelta(days=1))  # a reminder for tomorrow
    with _browser(notifier_url, signer, "coordinator") as coordinator:
        wait_until(lambda: coordinator.get("/staff/deliveries").status_code == 200, message="the staff keys")
        page = coordinator.get("/staff/deliveries").text
        zeros = {"scheduled": "0", "waiting": "0", "retrying": "0", "unconfirmed": "0", "failed": "0"}
        assert _backlog(page) == {
            "twilio": {**zeros, "waiting": "1", "retrying": "2", "unconfirmed": "1"},
            "vonage": {**zeros, "retrying": "1", "unconfirmed": "2"},
            "No gateway tried yet": {**zeros, "scheduled": "1"},
        }
        assert "Nothing to do" not in page
        assert "No message failed, but 7 are waiting, being tried again or unconfirmed" in page
        twilio = page.split('data-gateway="twilio"')[1].split("</li>")[0]
        assert "Oldest still to send: planned" in twilio and "10:30" in twilio  # 09:30 UTC, in Amsterdam
        backlog = page.split('id="backlog"')[1].split("</ul>")[0]
        assert "BKLG" not in backlog and "+31" not in backlog and "Reminder" not in backlog

        with UnitOfWork(engine) as db:
            add(10, "vonage", "failed", attempts=5)
            add(11, "vonage", "undelivered", attempts=1)
            add(12, "twilio", "failed", attempts=5)
        page = coordinator.get("/staff/deliveries").text
        assert _backlog(page)["vonage"] == {**zeros, "retrying": "1", "unconfirmed": "2", "failed": "2"}
        assert _backlog(page)["twilio"]["failed"] == "1"
        assert re.search(r"Messages that failed</dt><dd>3</dd>", page)
        dutch = coordinator.get("/staff/deliveries", params={"lang": "nl"}).text
        assert "Wordt opnieuw geprobeerd" in dutch and "Onbevestigd" in dutch


def test_a_coordinator_sees_the_events_the_notifier_gave_up_on_and_others_are_refused(
    notifier_url: str, engine: Engine, signer: StaffSigner
) -> None:
    """The notifier's own page of dead letters (shared.pages.staff_dead_letters), as the scheduler has one."""
    with UnitOfWork(engine) as db:
        for seq, body in enumerate((None, '{"id": "e1", "subject": "scheduling.nothing.here", "payload": {}}'), 1):
            db.add(
                DeadLetter(
                    consumer="notifier",
                    stream="SCHEDULING",
                    stream_seq=seq,
                    subject=f"scheduling.booking.confirmed.{seq}",
                    event_id=f"event-{seq}",
                    reason=f"the handler failed 5 times ({seq})",
                    body=body,
                )
            )
    with _browser(notifier_url, signer, "coordinator") as coordinator:
        wait_until(lambda: coordinator.get("/staff/dead-letters").status_code == 200, message="the staff keys")
        page = coordinator.get("/staff/dead-letters")
        assert "The notifier could not apply these events" in page.text
        assert 'href="/staff/dead-letters" aria-current="page"' in page.text  # in the notifier's own bar
        assert "the handler failed 5 times (1)" in page.text and "the handler failed 5 times (2)" in page.text
        replays = re.findall(r'action="/staff/dead-letters/(\d+)/replay"', page.text)
        assert len(replays) == 1  # the one that kept no event cannot be replayed
        refused = coordinator.post(f"/staff/dead-letters/{replays[0]}/replay", data={"csrf": _csrf(page.text)})
        assert refused.status_code == 409 and "cannot be replayed here" in refused.text
        dutch = coordinator.get("/staff/dead-letters", params={"lang": "nl"}).text
        assert "De berichtendienst kon deze gebeurtenissen" in dutch
    with _browser(notifier_url, signer, "ambassador") as ambassador:
        refused = ambassador.get("/staff/dead-letters")
        assert refused.status_code == 403 and "the handler failed" not in refused.text
