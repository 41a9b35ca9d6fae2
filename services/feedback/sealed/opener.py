"""``python -m feedback open-sealed --key KEYFILE EXPORT``: the provider opens its answers offline.

KEYFILE holds the provider's private key (base64, as ``python -m feedback
sealed-keygen`` prints it); EXPORT is the JSON the export endpoint returned.
Writes CSV (one row per answer, one column per question) to ``--out`` or
standard output. Runs on the provider's own computer: the key never reaches
the server.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TextIO

from feedback.sealed.envelope import SealedAnswerError, open_answers
from shared.sealing import generate_keypair

__all__ = ["open_sealed", "main"]


def open_sealed(private_key: str, export: list[dict[str, str]], out: TextIO) -> int:
    """Write the opened answers as CSV; return how many could not be opened."""
    rows, failed = [], 0
    for item in export:
        try:
            rows.append({"submitted_on": item["submitted_on"], **open_answers(private_key, item["ciphertext"])})
        except SealedAnswerError as error:
            failed += 1
            print(f"answer {item.get('id', '?')}: {error}", file=sys.stderr)
    columns = ["submitted_on", *sorted({k for row in rows for k in row} - {"submitted_on"})]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return failed


def main(argv: list[str]) -> int:
    if argv[:1] == ["sealed-keygen"]:
        private, public = generate_keypair()
        print(f"private key (keep offline, never upload): {private}")
        print(f"public key (register it with the questionnaire): {public}")
        return 0
    parser = argparse.ArgumentParser(prog="python -m feedback open-sealed", description=__doc__.splitlines()[0])
    parser.add_argument("--key", type=Path, required=True, help="file with the provider's private key (base64)")
    parser.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    parser.add_argument("export", type=Path, help="the JSON exported from /api/v1/questionnaires/{id}/answers")
    args = parser.parse_args(argv[1:])
    key = args.key.read_text().strip()
    export = json.loads(args.export.read_text())
    if args.out:
        with args.out.open("w", newline="", encoding="utf-8") as out:
            failed = open_sealed(key, export, out)
    else:
        failed = open_sealed(key, export, sys.stdout)
    return 1 if failed else 0
