"""Names staff read for the codes the API stores (audiences, topics, integration phases, venue kinds, statuses,
roles).

Message ids, translated where they are shown. Staff pages only: attendee
pages never show a topic or an audience (scheduler.pages.views says why).
"""

from __future__ import annotations

from scheduler.sessions.models import SessionStatus
from shared.events import Audience
from shared.pages import N_

__all__ = [
    "AUDIENCES",
    "TOPIC_NAMES",
    "INTEGRATION_PHASES",
    "VENUE_KINDS",
    "STATUSES",
    "ROLE_NAMES",
    "CUTOFFS",
    "OTHER_CUTOFF",
    "CANCEL_REASONS",
]

AUDIENCES = {
    Audience.OPEN: N_("Everyone"),
    Audience.WOMEN: N_("Women only"),
    Audience.MEN: N_("Men only"),
    Audience.LGBTQI: N_("LGBTQI+ safe space"),
    Audience.YOUTH: N_("Young people"),
    Audience.PARENTS: N_("Parents"),
}

TOPIC_NAMES = {
    "health_system": N_("The health system"),
    "relationships_and_respect": N_("Relationships and respect"),
    "gender_roles": N_("Gender roles"),
    "family_planning": N_("Family planning"),
    "identity_in_a_new_country": N_("Identity in a new country"),
    "where_to_find_help": N_("Where to find help"),
    "sexual_health": N_("Sexual health"),
    "rights_and_law": N_("Rights and the law"),
}

INTEGRATION_PHASES = {
    "reception": N_("Reception: living in a reception centre"),
    "integration": N_("Integration: has a residence permit, in the civic integration programme"),
    "settled": N_("Settled: past the integration programme"),
}

VENUE_KINDS = {
    "sexual_violence_centre": N_("Sexual violence centre"),
    "municipal": N_("Municipal building"),
    "reception_centre": N_("Reception centre"),
    "library": N_("Library"),
    "language_cafe": N_("Language café"),
    "community_centre": N_("Community centre"),
    "school": N_("School"),
    "other": N_("Other"),
}

STATUSES = {
    SessionStatus.PUBLISHED: N_("Planned"),
    SessionStatus.COMPLETED: N_("Closed"),
    SessionStatus.CANCELLED: N_("Called off"),
}

ROLE_NAMES = {
    "ambassador": N_("Ambassador"),
    "coordinator": N_("Coordinator"),
    "provider_staff": N_("Provider staff"),
}

#: when registration closes, in minutes before the start (the API takes 0 to a week), as planners choose it.
CUTOFFS = {
    0: N_("At the start"),
    60: N_("1 hour before"),
    120: N_("2 hours before"),
    240: N_("4 hours before"),
    1440: N_("1 day before"),
    2880: N_("2 days before"),
    10080: N_("1 week before"),
}
#: a cut-off set through the API that is not one of CUTOFFS
OTHER_CUTOFF = N_("{minutes} minutes before")

#: why a session is called off (the API's reason codes); staff only, attendees are told none of it.
CANCEL_REASONS = {
    "facilitator_unavailable": N_("The ambassador or facilitator cannot come"),
    "venue_unavailable": N_("The venue is not available"),
    "too_few_bookings": N_("Too few people booked"),
    "safety": N_("Safety"),
    "illness": N_("Illness"),
    "weather": N_("Weather"),
    "other": N_("Another reason"),
}
