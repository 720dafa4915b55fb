"""Reading a text argument of a command line: a file or stdin, UTF-8, with clear errors."""

from __future__ import annotations

import sys
from pathlib import Path

from geo.errors import InputError


def read_text_arg(path: str) -> str:
    """The UTF-8 text of ``path`` ('-' for stdin); InputError for a missing, unreadable,
    binary or non-UTF-8 input. Shared by the places and events
    command lines."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError(f"no such file: {path!r}") from None
        except IsADirectoryError:
            raise InputError(f"{path!r} is a directory, expected a text file") from None
        except OSError as exc:
            raise InputError(f"cannot read {path!r}: {exc.strerror}") from None
        name = path
    if b"\x00" in data:
        raise InputError(f"{name!r} looks binary (it has NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name!r} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
