"""Calling a session off on its page: a reason, what attendees will be told (the notifier's own text,
in the session's languages), a tick to confirm; audited as the API's cancel is."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import httpx

from notifier.deliveries.messages import MESSAGES
from notifier.deliveries.models import DeliveryKind
from scheduler.staff.calling_off import CANCELLED_TEXT
from shared.discretion import sensitive_words_in
from shared.formats import format_when
from shared.i18n import translate
from tests.scheduler.staff_pages.pages import post_form, text_of
from tests.support.factories import make_session


def test_the_page_shows_the_notifiers_own_text() -> None:
    assert MESSAGES[DeliveryKind.CANCELLED] == CANCELLED_TEXT


def test_calling_off_asks_for_a_reason_and_a_tick_shows_what_attendees_read_and_is_audited(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session = make_session(
        api, ambassador_ids=[staffed["me"]["id"]], languages=["ar", "nl"], public_titles={"ar": "لقاء الخميس"}
    )
    door, confirm = f"/staff/sessions/{session['id']}", f"/staff/sessions/{session['id']}/cancel"
    assert f'href="{confirm}"' in staffed["mine"].get(door).text

    page = staffed["mine"].get(confirm)
    assert page.status_code == 200
    told = re.findall(r'<li lang="([^"]+)" dir="([^"]+)">([^<]+)</li>', page.text)
    starts = datetime.fromisoformat(session["starts_at"])
    when = {locale: format_when(starts, session["timezone"], locale) for locale in ("ar", "nl")}
    assert told == [
        ("ar", "rtl", translate("ar", CANCELLED_TEXT).format(title="لقاء الخميس", when=when["ar"])),
        ("nl", "ltr", translate("nl", CANCELLED_TEXT).format(title=session["public_title"], when=when["nl"])),
    ]
    assert told[1][2].startswith("Afgelast: Thursday afternoon meeting op ")  # in Dutch, not the English
    assert all(sensitive_words_in(text) == [] for _, _, text in told)
    assert session["internal_title"] not in text_of(page, "cancel-session")

    assert staffed["theirs"].get(confirm).status_code == 403  # not their session
    assert post_form(staffed["theirs"], door, confirm, reason="illness", confirm="yes").status_code == 403
    no_reason = post_form(staffed["mine"], confirm, confirm, confirm="yes")
    assert no_reason.status_code == 422 and text_of(no_reason, "cancel-error") == "Choose why it is called off."
    made_up = post_form(staffed["mine"], confirm, confirm, reason="bored", confirm="yes")
    assert made_up.status_code == 422
    unticked = post_form(staffed["mine"], confirm, confirm, reason="illness")
    assert unticked.status_code == 422 and text_of(unticked, "cancel-error").startswith("Not called off")
    assert re.search(r'id="reason-illness"[^>]*checked', unticked.text)  # the reason chosen stays
    assert api.get(f"/api/v1/sessions/{session['id']}").json()["status"] == "published"

    called_off = post_form(staffed["mine"], confirm, confirm, reason="illness", confirm="yes")
    assert called_off.status_code == 303
    stored = api.get(f"/api/v1/sessions/{session['id']}").json()
    assert (stored["status"], stored["cancel_reason"]) == ("cancelled", "illness")
    entries = api.get("/api/v1/audit", params={"action": "session.cancelled"}).json()["entries"]
    [entry] = [e for e in entries if e["targets"].get("session_id") == session["id"]]
    assert (entry["actor_id"], entry["targets"]["reason_code"]) == (staffed["me"]["id"], "illness")
    shown = staffed["mine"].get(called_off.headers["location"])
    assert text_of(shown, "door-result") == "The session is called off. Everyone who booked is told."
    assert f'href="{confirm}"' not in shown.text
    assert staffed["mine"].get(confirm).status_code == 409  # once is enough
