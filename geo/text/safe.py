"""Text made safe for every store, once, at the edge where it enters Marsad.

A report reaches us as JSON (which may hold a lone surrogate, ``"\\ud800"``), as a command-line
argument (undecodable bytes arrive as surrogate escapes), or as a file with stray control bytes.
SQLite stores such text but cannot hand it back as UTF-8, PostGIS refuses a NUL outright, and a
lone surrogate cannot be encoded at all. ``safe_text`` turns each of them into something every
store, export and browser takes: surrogates become U+FFFD, NUL and the other C0 controls go
(tab, line feed and carriage return stay; vertical tab and form feed become line feeds).
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _control(match: re.Match) -> str:
    return "\n" if match.group() in "\x0b\x0c" else ""


def safe_text(text: str) -> str:
    """``text`` with lone surrogates replaced and control characters removed.

    Examples
    --------
    >>> safe_text("سبها\\x00 نحو\\ud800 أوباري")
    'سبها نحو\\ufffd أوباري'
    >>> safe_text("سطر\\x0cسطر")
    'سطر\\nسطر'
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # json.loads already joins a valid pair into one character, so what is left is alone.
        text = _SURROGATE.sub(REPLACEMENT, text)
    return _CONTROLS.sub(_control, text)
