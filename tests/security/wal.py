"""Reading a copy of a SQLite database and its WAL as an attacker would: commit by commit.

The WAL holds every page each commit wrote since the last checkpoint. Applied
in order onto the main file, it gives back the database as it was after each
of those commits, which a thief of the two files can then query.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path

__all__ = ["states", "read"]

_HEADER, _FRAME = 32, 24


def states(main: bytes, wal: bytes) -> Iterator[sqlite3.Connection]:
    """The database before the WAL's first commit, then after each commit it still holds, oldest first."""
    yield _opened(main)
    if len(wal) < _HEADER:
        return
    page_size = struct.unpack(">I", wal[8:12])[0]
    salts = wal[16:24]
    image, pending, offset = bytearray(main), {}, _HEADER
    while offset + _FRAME + page_size <= len(wal):
        number, size_after_commit = struct.unpack(">II", wal[offset : offset + 8])
        if wal[offset + 8 : offset + 16] != salts:
            return  # frames of an earlier WAL generation
        pending[number] = wal[offset + _FRAME : offset + _FRAME + page_size]
        offset += _FRAME + page_size
        if size_after_commit:
            image.extend(bytes(max(0, size_after_commit * page_size - len(image))))
            for page, data in pending.items():
                image[(page - 1) * page_size : page * page_size] = data
            del image[size_after_commit * page_size :]
            pending = {}
            yield _opened(bytes(image))


def _opened(image: bytes) -> sqlite3.Connection:
    patched = bytearray(image)
    patched[18:20] = b"\x01\x01"  # rollback-journal format: a deserialized database has no WAL
    connection = sqlite3.connect(":memory:")
    connection.deserialize(bytes(patched))
    return connection


def read(path: Path) -> tuple[bytes, bytes]:
    """The two files as a copy taken now would hold them."""
    wal = Path(f"{path}-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""
