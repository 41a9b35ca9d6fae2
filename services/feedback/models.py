"""Every table the feedback service owns."""

from feedback.forms.models import FeedbackResponse
from feedback.sealed.models import Questionnaire, SealedAnswer
from feedback.tokens.models import FeedbackSession, FeedbackToken
from shared.audit import AuditEntry

__all__ = [
    "FeedbackSession",
    "FeedbackToken",
    "FeedbackResponse",
    "Questionnaire",
    "SealedAnswer",
    "AuditEntry",
    "TABLES",
]

TABLES = (
    "feedback_session",
    "feedback_token",
    "feedback_response",
    "sealed_questionnaire",
    "sealed_answer",
    "audit_log",
)
