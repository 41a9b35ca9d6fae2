"""``python -m feedback`` serves the feedback service; two more commands for providers:

- ``python -m feedback sealed-keygen``: a key pair for a sealed questionnaire;
- ``python -m feedback open-sealed --key KEYFILE EXPORT``: open exported answers offline.

The provider's commands import only what they need (libsodium and the CSV
writer), not the service: they start at once on the provider's own computer.
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] in (["open-sealed"], ["sealed-keygen"]):
        from feedback.sealed.opener import main as sealed_main

        raise SystemExit(sealed_main(sys.argv[1:]))
    if sys.argv[1:]:
        print("usage: python -m feedback [sealed-keygen | open-sealed --key KEYFILE EXPORT]", file=sys.stderr)
        raise SystemExit(2)
    from feedback.settings import FeedbackSettings
    from shared.serve import serve

    serve("feedback", FeedbackSettings, "feedback_port")
