"""The catalogue of session topics, shared by the scheduler (sessions) and feedback (topics wanted next).

Topic ids are internal: they are never shown to attendees in a message, only
on pages an attendee opens themselves.
"""

from __future__ import annotations

__all__ = ["TOPICS"]

TOPICS: tuple[str, ...] = (
    "health_system",
    "relationships_and_respect",
    "gender_roles",
    "family_planning",
    "identity_in_a_new_country",
    "where_to_find_help",
    "sexual_health",
    "rights_and_law",
)
