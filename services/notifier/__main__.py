"""``python -m notifier`` serves the notifier; ``python -m notifier keygen`` prints a key pair."""

import sys

from notifier.app import create_app
from notifier.settings import NotifierSettings
from shared.sealing import generate_keypair
from shared.serve import serve


def keygen() -> None:
    private, public = generate_keypair()
    print(f"BRUG_NOTIFIER_PRIVATE_KEY={private}   # notifier only; keep secret")
    print(f"BRUG_NOTIFIER_PUBLIC_KEY={public}    # scheduler: seals contact details to it")


if __name__ == "__main__":
    if sys.argv[1:] == ["keygen"]:
        keygen()
    elif sys.argv[1:]:
        print("usage: python -m notifier [keygen]", file=sys.stderr)
        raise SystemExit(2)
    else:
        serve("notifier", NotifierSettings, create_app, "notifier_port")
