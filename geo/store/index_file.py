"""Arrays of a GeoPackage's summaries kept in a file beside it, stamped with the store's state.

Scanning a million events for the app's index and widget choices takes seconds, which a fresh
server paid before its first page showed. ``store.gpkg`` keeps them in ``store.gpkg.index.npz``:
plain numpy arrays (no pickles), written whole to a temporary file in the same folder and
renamed over the old one, so a reader finds the old file or the new one, never half of one.

The stamp is what the arrays were built from: the store's ``change_key`` (which a write through
the store, a correction and a deletion each move), the store file's inode, size and modification
time and those of its write-ahead log when it holds any (which a write the key does not see, an
event rewritten under its own id, moves too, as does another store copied or renamed over the
path), and a digest of how the arrays are made (``recipe``: the code and SQL that build them).
A file whose stamp is not the store's now is never used; the caller builds again and replaces
it. A folder that cannot be written (read-only media) gets no file, and nothing is said.

The price of stamping with the files: a server that wrote to the store leaves pages in the
log, which its close copies into the store file (moving its time), so the next server builds
once more. A store only read, or written by another process that has finished (an ingest),
keeps its file across any number of servers.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

# Bump when what the arrays mean changes without the recipe's code changing.
_FORMAT = 1
_STAMP = "_stamp"


def path_for(store) -> Path:
    """Where ``store``'s file goes: its own name plus ``.index.npz``."""
    return store.path.with_name(store.path.name + ".index.npz")


def recipe(*parts) -> int:
    """A digest of how the arrays are built: functions (their bytecode and constants) and strings."""
    digest = hashlib.blake2b(digest_size=7)
    todo = list(parts)
    while todo:
        part = todo.pop(0)
        code = getattr(part, "__code__", part)
        if hasattr(code, "co_code"):
            digest.update(code.co_code)
            todo[:0] = [c for c in code.co_consts if c is not None]
        else:
            digest.update(repr(part).encode())
    return int.from_bytes(digest.digest(), "big")


def _file_state(path: Path) -> tuple[int, int, int]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return (0, 0, 0)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def stamp(store, made_by: int) -> tuple[int, ...]:
    """The state ``store`` is in: what a kept file must have been built from to be used."""
    wal = _file_state(store.path.with_name(store.path.name + "-wal"))
    # an empty log (a connection opened one, nothing was written) is the same as none
    wal = wal[1:] if wal[1] else (0, 0)
    return (_FORMAT, made_by, *store.change_key(), *_file_state(store.path), *wal)


def writable(store) -> bool:
    """Whether a file could be kept beside ``store`` (its folder is writable)."""
    return not getattr(store, "read_only", False) and os.access(store.path.parent, os.W_OK)


def load(store, made_by: int, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """The kept arrays ``names`` when the file's stamp is the store's state now, else None (no
    file, another state, a file this code cannot read)."""
    path = path_for(store)
    if not path.exists():
        return None
    now = np.asarray(stamp(store, made_by), dtype=np.int64)
    try:
        with np.load(path, allow_pickle=False) as kept:
            if not np.array_equal(kept[_STAMP], now):
                return None
            return {name: kept[name] for name in names}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def save(store, state: tuple[int, ...], arrays: dict[str, np.ndarray]) -> bool:
    """Keep ``arrays`` beside ``store`` stamped with ``state``; whether the file was written
    (not when the folder cannot be written or the disk is full: the store works without it)."""
    if not writable(store):
        return False
    path = path_for(store)
    try:
        handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **{_STAMP: np.asarray(state, dtype=np.int64)}, **arrays)
        # readable by whoever may read the store (mkstemp makes it the owner's alone)
        os.chmod(temporary, os.stat(store.path).st_mode & 0o666)
        os.replace(temporary, path)
        return True
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False
