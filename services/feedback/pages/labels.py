"""What the feedback form shows beside its answers: face names, yes/no, discreet topic names.

Topic ids name subjects outright (``sexual_health``); the form is opened on
phones others may see, so each topic is shown under a discreet name, and a
topic with no such name here is not offered at all. Neither the page's source
nor the JSON form ever carries a topic id (a shared phone keeps both): each
option's value is an opaque ``t1``, ``t2``..., read back to the topic's id when
the form is sent (feedback.forms.service, feedback.forms.answers). The opaque ids are fixed here, never derived from
the catalogue's order, so a form opened before a topic is added still means
what it showed.
"""

from __future__ import annotations

from shared.pages import N_

__all__ = ["FACES", "TOPIC_LABELS", "TOPIC_FIELD_VALUES", "TOPIC_FROM_FIELD", "YES", "NO"]

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

#: topic id → the value its checkbox sends. Append only; a value is never reused for another topic.
TOPIC_FIELD_VALUES = {
    "health_system": "t1",
    "relationships_and_respect": "t2",
    "gender_roles": "t3",
    "family_planning": "t4",
    "identity_in_a_new_country": "t5",
    "where_to_find_help": "t6",
    "sexual_health": "t7",
    "rights_and_law": "t8",
}
TOPIC_FROM_FIELD = {value: topic for topic, value in TOPIC_FIELD_VALUES.items()}
