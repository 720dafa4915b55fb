"""Find gazetteer names in text: one Aho-Corasick automaton, clitic-aware boundaries.

Why not flashtext: it treats only ``[A-Za-z0-9_]`` as word characters, so with its
defaults it finds سرت inside سرتها, and with Arabic letters as word characters it
misses بطرابلس. Arabic words carry proclitics (و ف ب ك ل and the article ال) that
are part of the written word but not of the name, so the boundary rule here is:

- after the match, the next character is not a letter or digit (سرتها is refused);
- before the match, the letters back to the start of the word form a proclitic
  sequence: a conjunction (و ف), then a preposition (ب ك ل), then the article
  (ال). ل + ال is written لل (للكفرة), so a name that begins with ال is also
  stored without it and found after لل or ال.

A name found after the article (القطرون for قطرون) includes the article in its span.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import product
from typing import NamedTuple

import ahocorasick

from geo.models import Mention
from geo.text.normalize import normalize, normalize_with_offsets, original_span

_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")


def _prefixes() -> tuple[frozenset[str], frozenset[str]]:
    """The proclitic sequences allowed before a name, without and with an article."""
    bare = {c + p for c, p in product(_CONJ, _PREP)}
    with_article = {c + p + "ال" for c, p in product(_CONJ, ("", "ب", "ك"))}
    with_article |= {c + "لل" for c in _CONJ}
    return frozenset(bare), frozenset(with_article)


_BARE, _ARTICLE = _prefixes()
_MAX_PREFIX = max(len(p) for p in _BARE | _ARTICLE)


class Match(NamedTuple):
    """A name found in NORMALIZED text; ``blocker`` marks a phrase that is never a place.

    A named tuple rather than a frozen dataclass: a report makes dozens of them, and a tuple
    is built several times faster.
    """

    start: int
    end: int
    name: str
    ids: tuple[str, ...]
    blocker: bool = False


def _is_arabic(ch: str) -> bool:
    """True for an Arabic-script letter."""
    return "\u0600" <= ch <= "\u06ff" and ch.isalpha()


# the same test as a set lookup, for the per-hit boundary reading
_ARABIC = frozenset(ch for ch in map(chr, range(0x600, 0x700)) if _is_arabic(ch))


class PlaceMatcher:
    """One frozen automaton over every normalized gazetteer name.

    Build once with :meth:`from_gazetteer`, then call :meth:`find` as often as
    needed; the automaton pickles, so it can be cached.

    Examples
    --------
    >>> pm = PlaceMatcher.from_names([("بني وليد", "ly:bw"), ("سرت", "ly:sirte")])
    >>> [(m.surface, m.candidates) for m in pm.find("وبني وليد وسرتها")]
    [('بني وليد', ('ly:bw',))]
    """

    def __init__(self, automaton: ahocorasick.Automaton):
        self._automaton = automaton

    @classmethod
    def from_names(cls, names: Iterable[tuple[str, str]], *, blockers: Iterable[str] = (),
                   min_length: int = 3) -> PlaceMatcher:
        """Build from (name, place id) pairs and never-a-place phrases."""
        keys: dict[str, tuple[list[str], bool, bool]] = {}

        def add(key: str, place_id: str | None, *, stripped: bool) -> None:
            ids, was_stripped, blocked = keys.get(key, ([], stripped, False))
            if place_id is None:
                blocked = True
            elif place_id not in ids:
                ids.append(place_id)
            keys[key] = (ids, was_stripped and stripped, blocked)

        for name, place_id in names:
            key = normalize(name).strip()
            if len(key) < min_length:
                continue
            add(key, place_id, stripped=False)
            if key.startswith("ال") and len(key) - 2 >= min_length:
                add(key[2:], place_id, stripped=True)
        for phrase in blockers:
            key = normalize(phrase).strip()
            if key:
                add(key, None, stripped=False)
                if key.startswith("ال") and len(key) > 4:
                    add(key[2:], None, stripped=True)  # «للقاعدة»
        automaton = ahocorasick.Automaton()
        for key, (ids, stripped, blocked) in keys.items():
            automaton.add_word(key, (len(key), tuple(ids), stripped, blocked))
        automaton.make_automaton()
        return cls(automaton)

    @classmethod
    def from_gazetteer(cls, gazetteer, *, blockers: Iterable[str] = ()) -> PlaceMatcher:
        """Build from every name and alias of a :class:`~geo.places.gazetteer.Gazetteer`."""
        return cls.from_names(gazetteer.names(), blockers=blockers)

    def scan(self, normalized: str) -> list[Match]:
        """Leftmost-longest, non-overlapping matches in already normalized text."""
        # Candidates stay plain tuples until the overlaps are settled: a report has a few dozen
        # raw hits and only the ones taken become Matches. The sort key is longest first, a
        # blocker before a place of the same extent, then text order, then the automaton's order.
        found: list[tuple[int, bool, int, int, int, tuple[str, ...], bool]] = []
        size = len(normalized)
        start_of = self._start
        for end_index, (length, ids, stripped, blocked) in self._automaton.iter(normalized):
            end = end_index + 1
            if end < size and normalized[end].isalnum():
                continue
            start = start_of(normalized, end - length, stripped)
            if start is None:
                continue
            found.append((start - end, not blocked, start, len(found), end, ids, blocked))
        found.sort()
        taken: list[Match] = []
        used = bytearray(size)
        for _, _, start, _, end, ids, blocked in found:
            if not any(used[start:end]):
                used[start:end] = b"\x01" * (end - start)
                taken.append(Match(start, end, normalized[start:end], ids, blocked))
        taken.sort(key=lambda m: m.start)
        return taken

    @staticmethod
    def _start(text: str, start: int, stripped: bool) -> int | None:
        """The span start if the word boundary before ``start`` allows a name, else None."""
        if start > 0 and text[start] not in _ARABIC:
            return None if text[start - 1].isalnum() else start
        k = start
        floor = max(0, start - _MAX_PREFIX - 1)
        while k > floor and text[k - 1] in _ARABIC:
            k -= 1
        if k > 0 and text[k - 1] in _ARABIC:
            return None
        prefix = text[k:start]
        if prefix in _ARTICLE:
            # The article belongs to the name: القطرون, للكفرة (the second lam).
            return start - (1 if prefix.endswith("لل") else 2)
        if stripped or prefix not in _BARE:
            return None
        return start

    def find(self, text: str) -> list[Mention]:
        """Names in ``text`` as Mentions with original-text offsets and candidate ids.

        ``place`` is None: choosing among the candidates is geoparse's work.
        Never-a-place phrases (blockers) are left out.
        """
        normalized, offsets = normalize_with_offsets(text)
        out = []
        for m in self.scan(normalized):
            if m.blocker:
                continue
            start, end = original_span(text, offsets, m.start, m.end)
            out.append(Mention(start=start, end=end, surface=text[start:end], place=None, candidates=m.ids))
        return out
