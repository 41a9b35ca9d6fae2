"""What the feedback form shows beside its answers: face names, yes/no, discreet topic names.

Topic ids name subjects outright (``sexual_health``); the form is opened on
phones others may see, so each topic is shown under a discreet name, and a
topic with no such name here is not offered at all.
"""

from __future__ import annotations

from shared.pages import N_

__all__ = ["FACES", "TOPIC_LABELS", "YES", "NO"]

#: 1 (very bad) to 5 (very good)
FACES = (N_("Very bad"), N_("Bad"), N_("So-so"), N_("Good"), N_("Very good"))
YES = N_("Yes")
NO = N_("No")

TOPIC_LABELS = {
    "health_system": N_("Doctors and the health system"),
    "relationships_and_respect": N_("Relationships and respect"),
    "gender_roles": N_("Men, women and roles"),
    "family_planning": N_("Planning a family"),
    "identity_in_a_new_country": N_("Who you are in a new country"),
    "where_to_find_help": N_("Where to find help"),
    "sexual_health": N_("Your body and your health"),
    "rights_and_law": N_("Your rights and the law"),
}
