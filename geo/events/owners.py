"""Which event a number in the report belongs to.

A number inside an event's quote is that event's; one elsewhere in the sentence goes to the
sentence's nearest event. A report tells one incident in several places — the headline gives
the toll, the lead the attack, a later paragraph the wounded and the seized trucks — so a count
in a sentence that holds no event of its own goes to the event that such a count describes (a
toll to an attack, a seizure to a smuggling route, migrants to a crossing) told last before it,
or the nearest after it when none was, unless that event already has the same number of the
same kind (a toll told twice is one; goods only when they name the same item). Nearest either
way sent a toll to a background attack told a line later («كما نفذ الهجوم على متحف باردو»). An
incident told only by its year («هجوم سوسة عام 2015») is background and takes a later toll only
when no other event can.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right

from geo.events.clauses import tallies_a_period
from geo.events.counts import find_counts
from geo.models import Count, Event
from geo.text.furniture import furniture_spans, in_spans
from geo.text.normalize import normalize, normalized_slice

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_EARLIER = re.compile(r"(?<!\w)[وف]?سبق\s+(?:أن|ان|ل)")    # «سبق أن»: what happened before this
_SENTENCE_END = re.compile(r"(?<!\d)[.!?؟](?!\d)|\n")

# The event types a count of each kind describes, most likely first (as the corpus codes them:
# a shipwreck's dead belong to the crossing when the report tells no attack).
OWNER_TYPES: dict[str, tuple[str, ...]] = {
    "killed": ("attack", "smuggling_route"),
    "wounded": ("attack", "smuggling_route"),
    "abducted": ("attack",),
    "missing": ("smuggling_route", "attack"),
    "arrested": ("attack", "smuggling_route"),
    "migrants": ("smuggling_route", "movement", "attack"),
    "seized": ("smuggling_route", "attack"),
    "vehicles": ("attack", "movement", "smuggling_route"),
    "fighters": ("movement", "presence", "base", "attack"),
}


def sentence_span(text: str, start: int, end: int, *, ends: list[int] | None = None) -> tuple[int, int]:
    """The sentence around ``text[start:end]`` (a decimal point ends none).

    ``ends`` (the ends of every sentence mark in ``text``, in order) saves reading the text
    from its start for each span: a long report has many events.
    """
    if ends is None:
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    # a mark just before ``start`` ends the sentence even when a digit follows it there
    # (the text up to ``start`` is all that is read for the opening)
    at_start = start and _SENTENCE_END.search(text, start - 1, start)
    i = bisect_right(ends, start)
    opening = start if at_start else ends[i - 1] if i else 0
    after = _SENTENCE_END.search(text, end)
    return opening, (after.start() if after else len(text))


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _distance(c: Count, e: Event) -> int:
    return max(0, e.quote_start - c.end, c.start - e.quote_end)


def with_counts(text: str, events: list[Event], *,
                normalized: tuple[str, list[int]] | None = None) -> list[Event]:
    """``events`` with the counts the report gives each of them; ``normalized`` is
    ``normalize_with_offsets(text)`` when the caller has it (each sentence is cut from it)."""
    if not events:
        return events
    by_sentence: dict[tuple[int, int], list[int]] = {}
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    for i, e in enumerate(events):
        by_sentence.setdefault(sentence_span(text, e.quote_start, e.quote_end, ends=ends), []).append(i)
    counts: dict[int, list[Count]] = {i: [] for i in range(len(events))}
    for (start, end), members in by_sentence.items():
        earlier = _EARLIER.search(text, start, end)
        for c in find_counts(text, start, end, normalized=normalized):
            owners = [i for i in members if events[i].quote_start <= c.start and c.end <= events[i].quote_end]
            if not owners and earlier is not None and c.start > earlier.start():
                continue    # «إذ سبق أن صدوا في سبتمبر هجوما أودى بحياة شخص»: an earlier incident's toll
            if not owners:
                # outside every quote, a toll goes to an event such a count describes: the
                # sentence's own, else the report's (not «نُقلوا إلى نيامي» beside the dead)
                fitting = [i for i in members if events[i].type in OWNER_TYPES.get(c.kind, ())]
                owner = None if fitting else _owner(c, events)
                if owner is None:
                    owner = min(fitting or members, key=lambda i: _distance(c, events[i]))
                owners = [owner]
            for i in owners:
                counts[i].append(c)
    furniture = furniture_spans(text)
    taken = [(e.quote_start, e.quote_end) for e in events] + list(by_sentence)
    for start, end in _sentences(text):
        if any(s < end and start < e for s, e in taken) or (furniture and in_spans(start, furniture)):
            continue
        sentence = normalized_slice(text, *normalized, start, end)[0] if normalized else normalize(text[start:end])
        if tallies_a_period(sentence):
            continue    # «بلغت حصيلة الهجمات في العام الماضي 4 آلاف قتيل»: the year's dead, not this attack's
        years = {int(y) for y in _YEAR.findall(text, start, end)}
        earlier = _EARLIER.search(text, start, end)
        for c in find_counts(text, start, end, normalized=normalized):
            if earlier is not None and c.start > earlier.start():
                continue
            owner = _owner(c, events)
            if owner is None or any(_same(o, c) for o in counts[owner]):
                continue
            if years and events[owner].event_date is not None and events[owner].event_date.year not in years:
                continue    # «اختطف عام 2016 أربعة مهندسين»: another year's incident, not this one's toll
            counts[owner].append(c)
    return [dataclasses.replace(e, counts=tuple(counts[i])) if counts[i] else e for i, e in enumerate(events)]


def _same(a: Count, b: Count) -> bool:
    """``b`` tells ``a`` again: a toll, a force or a number of migrants of the same size; goods
    only when they name the same item in the same unit («3 أطنان من الحشيش» twice). Goods a
    list names without a number carry no item, and a later sentence's «وبندقية» beside the
    first's «بندقية قناصة» is one more rifle."""
    if a.kind != b.kind or a.low != b.low:
        return False
    return a.kind != "seized" or bool(a.item) and (a.unit, a.item) == (b.unit, b.item)


def _owner(c: Count, events: list[Event]) -> int | None:
    """The event of the first type in OWNER_TYPES[c.kind] the report has that was told last
    before the count (a report tells the event, then its toll), else the nearest after it."""
    for kind in OWNER_TYPES.get(c.kind, ()):
        candidates = [i for i, e in enumerate(events) if e.type == kind]
        # «هجومي باردو وسوسة عام 2015»: an incident told only by its year is background
        candidates = [i for i in candidates if events[i].date_precision != "year"] or candidates
        if candidates:
            told_before = [i for i in candidates if events[i].quote_start < c.start]
            return told_before[-1] if told_before else min(candidates, key=lambda i: _distance(c, events[i]))
    return None
