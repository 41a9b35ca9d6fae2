"""Every table the feedback service owns."""

from feedback.tokens.models import FeedbackSession, FeedbackToken

__all__ = ["FeedbackSession", "FeedbackToken", "TABLES"]

TABLES = ("feedback_session", "feedback_token")
