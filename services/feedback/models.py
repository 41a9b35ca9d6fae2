"""Every table the feedback service owns."""

from feedback.forms.models import FeedbackResponse, PooledAnswer
from feedback.reports.models import FeedbackRelease
from feedback.sealed.models import Questionnaire, SealedAnswer
from feedback.tokens.models import FeedbackSession, FeedbackToken
from shared.audit import AuditEntry
from shared.revocations import AccountRevocation

__all__ = [
    "FeedbackSession",
    "FeedbackToken",
    "FeedbackResponse",
    "PooledAnswer",
    "Questionnaire",
    "SealedAnswer",
    "AuditEntry",
    "FeedbackRelease",
    "AccountRevocation",
    "TABLES",
]

TABLES = (
    "feedback_session",
    "feedback_token",
    "feedback_response",
    "feedback_pool",
    "sealed_questionnaire",
    "sealed_answer",
    "audit_log",
    "feedback_release",
    "account_revocation",
)
