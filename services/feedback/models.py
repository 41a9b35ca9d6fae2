"""Every table the feedback service owns."""

from feedback.forms.models import FeedbackResponse
from feedback.tokens.models import FeedbackSession, FeedbackToken

__all__ = ["FeedbackSession", "FeedbackToken", "FeedbackResponse", "TABLES"]

TABLES = ("feedback_session", "feedback_token", "feedback_response")
