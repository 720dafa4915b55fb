"""Arabic (and Latin) normalization with an offset map back to the original text.

This is the only module that normalizes. Gazetteer names and article text go
through the same function, so a name matches wherever its letters match.

The steps, in this fixed order, each applied per character:

1. ``_nfkc``            NFKC: presentation forms (ﻻ) and full-width letters to plain ones.
2. ``_fold_latin``      Latin to lower case without accents (Bani Walid = bani walid, Ghât = ghat).
3. ``_strip_marks``     harakat, Quranic marks, tatweel and invisible format characters go.
4. ``_unify_letters``   hamza and alef forms -> ا, ؤ -> و, ئ -> ي, ى -> ي, ة -> ه,
                        Persian/Urdu kaf and yeh -> ك ي.
5. ``_ascii_digits``    Arabic-Indic and Persian digits -> 0-9.

then, on the whole text,

6. ``_collapse_space``  every run of white space becomes one space.

Why ة -> ه and ى -> ي: reporters and GeoNames disagree on them (الزاوية/الزاويه,
تراغن/ترغن is a spelling matter the gazetteer's aliases handle); folding them makes
one form match all. Proclitics (و ف ب ل ك ال) are left in place: the matcher's
boundary rule handles them, so offsets stay simple.

A per-character lookup table (built on first use, not at import) turns steps 1-5
into one vectorised numpy pass; characters whose normalization is longer than
one character (ﷲ, ß) take a slower exact path.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import cache, lru_cache

import numpy as np

_TATWEEL = "\u0640"
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ک": "ك", "ڪ": "ك", "ی": "ي", "ې": "ي", "ے": "ي", "ۍ": "ي", "ھ": "ه", "ہ": "ه",
})
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "01234567890123456789",
)
_SPACE_RUN = re.compile(r"\s+")


def _nfkc(text: str) -> str:
    """Compatibility forms to plain letters (ﻻ -> لا, full-width digits to ASCII)."""
    return unicodedata.normalize("NFKC", text)


def _fold_latin(text: str) -> str:
    """Latin letters to lower case with their accents removed."""
    out = []
    for ch in text.casefold():
        if ch < "\u0250":
            ch = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        out.append(ch)
    return "".join(out)


def _strip_marks(text: str) -> str:
    """Drop harakat and other combining marks, tatweel, and invisible format characters."""
    return "".join(
        ch for ch in text
        if ch != _TATWEEL and unicodedata.category(ch) not in ("Mn", "Me", "Cf")
    )


def _unify_letters(text: str) -> str:
    """One form per letter: alef/hamza seats, ى, ة, Persian kaf and yeh."""
    return text.translate(_LETTERS)


def _ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII digits."""
    return text.translate(_DIGITS)


def _collapse_space(text: str) -> str:
    """Every run of white space becomes one plain space."""
    return _SPACE_RUN.sub(" ", text)


def _normalize_char(ch: str) -> str:
    """Steps 1-5 applied to one character; the result may be empty or longer."""
    return _ascii_digits(_unify_letters(_strip_marks(_fold_latin(_nfkc(ch)))))


@cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lookup tables over the BMP: replacement code point, keep flag, slow-path flag."""
    size = 0x10000
    repl = np.arange(size, dtype=np.uint32)
    keep = np.ones(size, dtype=bool)
    slow = np.zeros(size, dtype=bool)
    for cp in range(size):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        out = _normalize_char(ch)
        if out == ch:
            continue
        if not out:
            keep[cp] = False
        elif len(out) == 1:
            repl[cp] = ord(out)
        else:
            slow[cp] = True
    space = np.zeros(size, dtype=bool)
    for cp in range(size):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if chr(cp).isspace():
            space[cp] = True
    repl[space] = 0x20
    return repl, keep, slow


def normalize(text: str) -> str:
    """Return the normalized form of ``text`` (see the module docstring for the steps).

    Parameters
    ----------
    text : str
        Arabic or Latin text, e.g. an article or a gazetteer name.

    Returns
    -------
    str
        The normalized text, the form every match is made on.

    Examples
    --------
    >>> normalize("بَنِي وَلِيـــد")
    'بني وليد'
    >>> normalize("مدينة إجدابيا")
    'مدينه اجدابيا'
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize expects str, got {type(text).__name__}")
    if len(text) > 400:
        return normalize_with_offsets(text)[0]
    # For short strings (names, clauses) str.translate does steps 1-5 in C in about
    # 2 us; the numpy pass costs about 15 us a call to set up. Long texts favour numpy.
    return _SPACES.sub(" ", text.translate(_translation()))


_SPACES = re.compile(" {2,}")


@cache
def _translation() -> dict[int, str]:
    """str.translate table for steps 1-5, white space to a plain space."""
    repl, keep, slow = _tables()
    table: dict[int, str] = {}
    for cp in np.flatnonzero((repl != np.arange(len(repl))) | ~keep | slow).tolist():
        if 0xD800 <= cp <= 0xDFFF:
            continue
        out = _normalize_char(chr(cp))
        table[cp] = " " if repl[cp] == 0x20 else out
    return table


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalize ``text`` and map every normalized character back to the original.

    Returns
    -------
    normalized : str
    offsets : list of int
        ``len(normalized) + 1`` entries: ``offsets[i]`` is the index in ``text`` of
        the character that normalized character ``i`` came from; the last entry
        is ``len(text)``. Use :func:`original_span` to turn a normalized span
        into an original one.

    Examples
    --------
    >>> normalized, offsets = normalize_with_offsets("في لِيبْيَا")
    >>> normalized
    'في ليبيا'
    >>> original_span("في لِيبْيَا", offsets, 3, 8)
    (3, 11)
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize expects str, got {type(text).__name__}")
    if not text:
        return "", [0]
    if len(text) > 400:
        # A report is normalized for its id, by the geoparser and by the extractor: the
        # last few long texts are remembered, so each report is normalized once.
        normalized, offsets = _remembered(text)
        return normalized, list(offsets)
    return _normalize_with_offsets(text)


@lru_cache(maxsize=4)
def _remembered(text: str) -> tuple[str, list[int]]:
    """``_normalize_with_offsets`` of the last few long texts (callers get a copy of the offsets)."""
    return _normalize_with_offsets(text)


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Steps 1-6 with the offset map, in one vectorised pass (or the exact slow one)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    repl, keep, slow = _tables()
    if codes.max() >= 0x10000 or slow[codes].any():
        return _normalize_slow(text)
    mapped = repl[codes]
    kept = keep[codes]
    index = np.flatnonzero(kept)
    mapped = mapped[index]
    is_space = mapped == 0x20
    if len(mapped):
        repeat = np.zeros(len(mapped), dtype=bool)
        repeat[1:] = is_space[1:] & is_space[:-1]
        index = index[~repeat]
        mapped = mapped[~repeat]
    normalized = mapped.astype("<u4").tobytes().decode("utf-32-le")
    offsets = index.tolist()
    offsets.append(len(text))
    return normalized, offsets


def normalized_slice(text: str, normalized: str, offsets: list[int], start: int,
                     end: int) -> tuple[str, list[int]]:
    """``normalize_with_offsets(text[start:end])``, cut from the whole text's normalization.

    ``normalized, offsets`` are ``normalize_with_offsets(text)``. Every step works a character
    at a time except the collapse of white space, which can only differ at the cut's first
    character: a space there that the whole text folded into the one before opens the piece;
    when it is a dropped mark or an expanding character, the piece is normalized on its own.
    """
    if start >= end:
        return normalize_with_offsets(text[start:end])
    first = _first_kind(text[start])
    if first == "other":
        return normalize_with_offsets(text[start:end])
    last = len(offsets) - 1
    i = bisect_left(offsets, start, 0, last)
    j = bisect_left(offsets, end, i, last)
    piece = [o - start for o in offsets[i:j]]
    piece.append(end - start)
    if first == "space" and not (i < last and offsets[i] == start):
        # the whole text folded this space into the one before it; on its own it opens the piece
        return " " + normalized[i:j], [0, *piece]
    return normalized[i:j], piece


def _first_kind(ch: str) -> str:
    """"plain" when ``ch`` normalizes to one character that is not white space, "space" when
    to one space, else "other" (dropped, expanding, or outside the tables)."""
    cp = ord(ch)
    if cp >= 0x10000:
        return "other"
    repl, keep, slow = _tables()
    if not keep[cp] or slow[cp]:
        return "other"
    return "space" if chr(int(repl[cp])).isspace() else "plain"


def _normalize_slow(text: str) -> tuple[str, list[int]]:
    """The exact per-character path for text with expanding characters."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        out = _normalize_char(ch)
        for c in out:
            if c.isspace():
                if chars and chars[-1] == " ":
                    continue
                c = " "
            chars.append(c)
            offsets.append(i)
    offsets.append(len(text))
    return "".join(chars), offsets


def original_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map the normalized span ``[start, end)`` to a span of the original ``text``.

    The original span runs from the first character to just before the next
    kept character, so the harakat and tatweel of the last letter belong to it;
    trailing white space does not.
    """
    orig_start = offsets[start]
    orig_end = max(offsets[end], offsets[end - 1] + 1) if end > start else orig_start
    while orig_end > orig_start + 1 and text[orig_end - 1].isspace():
        orig_end -= 1
    return orig_start, orig_end
