"""Text that reads in its own direction: a chain of Arabic place names points right to left."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def is_rtl(text: str) -> bool:
    """True when the first strong character of ``text`` is right-to-left (Arabic, Hebrew)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def chain(names: Iterable[str]) -> str:
    """Names in order joined by an arrow that points the way the text reads.

    Examples
    --------
    >>> chain(["سبها", "أوباري"])
    'سبها ← أوباري'
    >>> chain(["Sabha", "Ubari"])
    'Sabha → Ubari'
    """
    names = list(dict.fromkeys(n for n in names if n))
    arrow = " ← " if names and is_rtl(names[0]) else " → "
    return arrow.join(names)
