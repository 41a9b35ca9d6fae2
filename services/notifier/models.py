"""Every table the notifier owns."""

from notifier.deliveries.models import Delivery
from notifier.optouts.models import OptOut
from notifier.recipients.models import Recipient, SessionCopy
from notifier.textcaps.models import SmsText
from shared.revocations import AccountRevocation

__all__ = ["SessionCopy", "Recipient", "Delivery", "OptOut", "SmsText", "AccountRevocation", "TABLES"]

TABLES = ("notifier_session", "recipient", "delivery", "sms_opt_out", "sms_text", "account_revocation")
