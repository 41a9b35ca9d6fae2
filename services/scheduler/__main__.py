"""``python -m scheduler`` serves the scheduler; ``python -m scheduler keygen`` prints a signing key.

The web app is imported only to serve, so the command starts quickly.
"""

import sys


def keygen() -> None:
    from scheduler.accounts.tokens import generate_signing_key

    print(f"BRUG_SCHEDULER_SIGNING_KEY={generate_signing_key()}   # scheduler only; keep secret")


if __name__ == "__main__":
    if sys.argv[1:] == ["keygen"]:
        keygen()
    elif sys.argv[1:]:
        print("usage: python -m scheduler [keygen]", file=sys.stderr)
        raise SystemExit(2)
    else:
        from scheduler.settings import SchedulerSettings
        from shared.serve import serve

        serve("scheduler", SchedulerSettings, "scheduler_port")
