"""The registration form's proof-of-work widget, shown while a session is flooded (scheduler.bookings.challenge).

Its texts are page texts like any other (translated in every catalog) and reach the widget as JSON in
a data attribute, which brug-altcha.js hands to it: the page needs no inline script.
"""

from __future__ import annotations

from typing import Any

from scheduler.bookings.challenge import challenge_path
from shared.pages import N_, Page

__all__ = ["WIDGET_TEXTS", "NOT_SENT", "widget"]

#: the widget's own texts (ALTCHA's names), plain enough for a first reader of the language.
WIDGET_TEXTS = {
    "label": N_("I am a person"),
    "verifying": N_("Your phone is working. Please wait."),
    "waitAlert": N_("Your phone is working. Please wait."),
    "verified": N_("Done"),
    "verificationRequired": N_("Please wait until your phone is done."),
    "error": N_("This did not work. Try again."),
    "expired": N_("This took too long. Try again."),
}
#: shown above the form when the registration came without the phone's work (428).
NOT_SENT = N_("Your registration was not sent yet. Please tap Register again and wait a moment.")
#: no ALTCHA logo, link or footer (nothing to read, nothing that leaves the site), nothing collected
#: about how the person moves; the work starts when the form is sent.
CONFIGURATION = {"hideFooter": True, "hideLogo": True, "humanInteractionSignature": False}


def widget(page: Page, session_id: str) -> dict[str, Any]:
    """What session.html needs to show the widget in this page's language."""
    return {
        "challenge": challenge_path(session_id),
        "language": page.locale.lower(),
        "strings": {name: page.gettext(text) for name, text in WIDGET_TEXTS.items()},
        "configuration": CONFIGURATION,
    }
