"""Every event the scheduler consumes: the feedback service's reports.

Each handler is typed by its event (``event: ReportPublished``); the annotation is what
registers it (shared.consumer.payload_class), and the list must match shared/natsauth.py's
READS (shared.web checks it at start-up). Built from the settings like the other services'
lists, though none of these handlers needs them yet.
"""

from __future__ import annotations

from scheduler.feedback_summaries.handlers import on_report_published
from scheduler.settings import SchedulerSettings
from shared.consumer import Handler

__all__ = ["handlers"]


def handlers(settings: SchedulerSettings) -> list[Handler]:
    return [on_report_published]
