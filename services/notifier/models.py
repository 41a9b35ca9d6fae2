"""Every table the notifier owns."""

from notifier.deliveries.models import Delivery
from notifier.recipients.models import Recipient, SessionCopy

__all__ = ["SessionCopy", "Recipient", "Delivery", "TABLES"]

TABLES = ("notifier_session", "recipient", "delivery")
