"""``python -m scheduler`` serves the scheduler; ``python -m scheduler keygen`` prints a signing key."""

import sys

from scheduler.accounts.tokens import generate_signing_key
from scheduler.app import create_app
from scheduler.settings import SchedulerSettings
from shared.serve import serve


def keygen() -> None:
    print(f"BRUG_SCHEDULER_SIGNING_KEY={generate_signing_key()}   # scheduler only; keep secret")


if __name__ == "__main__":
    if sys.argv[1:] == ["keygen"]:
        keygen()
    elif sys.argv[1:]:
        print("usage: python -m scheduler [keygen]", file=sys.stderr)
        raise SystemExit(2)
    else:
        serve("scheduler", SchedulerSettings, create_app, "scheduler_port")
