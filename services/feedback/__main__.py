"""``python -m feedback``: serve the feedback service on BRUG_HOST:BRUG_FEEDBACK_PORT."""

from feedback.app import create_app
from feedback.settings import FeedbackSettings
from shared.serve import serve

if __name__ == "__main__":
    serve("feedback", FeedbackSettings, create_app, "feedback_port")
