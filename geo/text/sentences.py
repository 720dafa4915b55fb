"""Sentences and clauses of a report, as spans of the original text.

A sentence ends at . ! ? ؟ … followed by space, and at every line break (titles
and paragraphs stand alone). A quotation in guillemets «...» stays inside the
sentence that opens it, however many full stops it holds, so every sentence of
the quote keeps its speaker; an unclosed « ends at the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.errors import InputError

_OPEN, _CLOSE = "«", "»"
# A line break, a guillemet, or an end mark (with the closing marks after it) before space.
_BOUNDARY = re.compile(r"\n|«|»|[.!?؟…]+[»\"')]*(?=\s|$)")
# A clause ends at a comma, semicolon, colon or full stop (also inside quotes).
_CLAUSE_BREAK = re.compile(r"[،,؛;:.!?؟…]+")
# Connectives of time that start a second event inside one clause (normalized text):
# «أطلقوا النار قبل أن يلوذوا بالفرار», «تتخذ منها ملاذاً منذ خروجها من سرت».
_CONNECTIVE = re.compile(r"(?<!\w)(?:قبل ان|بعد ان|قبل|بعد|منذ|عقب|اثر|ثم)(?!\w)")


@dataclass(frozen=True, slots=True)
class Span:
    """``[start, end)`` in the original text; ``paragraph`` counts from 0."""

    start: int
    end: int
    paragraph: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise InputError(f"a span needs 0 <= start <= end, got {self.start!r}, {self.end!r}")


def _trimmed(text: str, start: int, end: int, paragraph: int) -> Span | None:
    """The span without its surrounding white space, or None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, paragraph) if end > start else None


def split_sentences(text: str) -> list[Span]:
    """Split a report into sentences.

    Parameters
    ----------
    text : str
        The original article text.

    Returns
    -------
    list of Span
        In text order, trimmed, never empty; ``paragraph`` numbers the blocks
        separated by line breaks.

    Examples
    --------
    >>> [text[s.start:s.end] for s in split_sentences(text := "قال: «وصلوا. ثم انسحبوا». وانتهى")]
    ['قال: «وصلوا. ثم انسحبوا».', 'وانتهى']
    """
    spans: list[Span] = []
    depth = 0
    start = 0
    paragraph = 0
    used = False  # whether the current paragraph has a sentence yet
    for m in _BOUNDARY.finditer(text):
        mark = m.group()
        if mark == "\n":
            span = _trimmed(text, start, m.start(), paragraph)
            if span:
                spans.append(span)
                used = True
            if used:
                paragraph += 1
                used = False
            depth = 0
            start = m.end()
        elif mark == _OPEN:
            depth += 1
        elif mark == _CLOSE:
            depth = max(0, depth - 1)
        else:
            depth = max(0, depth - mark.count(_CLOSE))
            if depth == 0:
                span = _trimmed(text, start, m.end(), paragraph)
                if span:
                    spans.append(span)
                    used = True
                start = m.end()
    span = _trimmed(text, start, len(text), paragraph)
    if span:
        spans.append(span)
    return spans


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of ``text[start:end]``: pieces between commas, colons and full stops."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip(" «»()\"'-")]


def split_connectives(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut before each connective of time (قبل أن، بعد، منذ، عقب، ثم).

    Works on normalized text. The first piece never starts with a connective; a
    piece may hold no event of its own, and the caller then joins it back.
    """
    out: list[tuple[int, int]] = []
    pos = start
    for m in _CONNECTIVE.finditer(text, start, end):
        if m.start() > pos and text[pos:m.start()].strip():
            out.append((pos, m.start()))
            pos = m.start()
    out.append((pos, end))
    return out
