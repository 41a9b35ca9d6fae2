"""Every table the feedback service owns."""

from feedback.forms.models import FeedbackResponse
from feedback.sealed.models import Questionnaire, SealedAnswer
from feedback.tokens.models import FeedbackSession, FeedbackToken

__all__ = ["FeedbackSession", "FeedbackToken", "FeedbackResponse", "Questionnaire", "SealedAnswer", "TABLES"]

TABLES = ("feedback_session", "feedback_token", "feedback_response", "sealed_questionnaire", "sealed_answer")
