"""``python -m scheduler``: serve the scheduler on BRUG_HOST:BRUG_SCHEDULER_PORT."""

from scheduler.app import create_app
from scheduler.settings import SchedulerSettings
from shared.serve import serve

if __name__ == "__main__":
    serve("scheduler", SchedulerSettings, create_app, "scheduler_port")
