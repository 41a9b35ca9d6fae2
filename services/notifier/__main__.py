"""``python -m notifier`` serves the notifier.

``python -m notifier keygen`` prints a new key pair; ``python -m notifier
rotate-key`` re-seals every stored contact to the current key (README, "Rotating
the contact key"). The web app is imported only to serve, so the commands start quickly.
"""

import sys

from shared.sealing import generate_keypair

USAGE = "usage: python -m notifier [keygen | rotate-key [--batch-size N]]"


def keygen() -> None:
    private, public = generate_keypair()
    print(f"BRUG_NOTIFIER_PRIVATE_KEY={private}   # notifier only; keep secret")
    print(f"BRUG_NOTIFIER_PUBLIC_KEY={public}    # scheduler: seals contact details to it")


def main(args: list[str]) -> int:
    if args == ["keygen"]:
        keygen()
    elif args[:1] == ["rotate-key"]:
        from notifier.contacts.cli import rotate_key

        return rotate_key(args[1:])
    elif args:
        print(USAGE, file=sys.stderr)
        return 2
    else:
        from notifier.settings import NotifierSettings
        from shared.serve import serve

        serve("notifier", NotifierSettings, "notifier_port")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
