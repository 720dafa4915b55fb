"""Asides between a speaker's commas that say nothing of who speaks: when («، مساء السبت،») and
an asked anonymity («، طلب عدم الكشف عن اسمه،»). Both read normalized tokens ``(start, end, text)``."""

from __future__ import annotations

import re

from geo.text.normalize import normalize


# «، طلب عدم الكشف عن اسمه،», «، مفضلا عدم ذكر اسمه،»: the speaker asked not to be named (normalized)
_ANONYMITY = re.compile(r"و?(?:طلب|طالبا|فضل|مفضلا|رفض|رافضا|اشترط|مشترطا|لم يشا|لم تشا)\s+(?:عدم\s+)?"
                        r"(?:ذكر|الكشف عن|كشف|نشر|الافصاح عن|الاعلان عن)\s+(?:اسمه|اسمها|اسمهم|اسميهما|هويته|هويتها|هويتهم)"
                        r"(?!\w)")


def anonymity_aside(norm: str, toks: list[tuple[int, int, str]], k: int) -> int | None:
    """Where the speaker's words go on when ``toks[k:]`` opens an aside asking anonymity (after its
    closing comma, or at the «أن» that ends it); None when they open anything else."""
    if k >= len(toks):
        return None
    m = _ANONYMITY.match(norm, toks[k][0])
    if m is None:
        return None
    after = next((i for i in range(k, len(toks)) if toks[i][0] >= m.end()), len(toks))
    return after + 1 if after < len(toks) and toks[after][2] in ("،", ",") else after


# «، أول أمس الجمعة،», «، مساء السبت،»: an aside telling when, not who (normalized)
WHEN_WORDS = frozenset(normalize(w) for w in (
    "أمس أول اليوم يوم مساء صباح فجر ليلة ظهر الماضي الماضية الجاري الحالي السبت الأحد الاثنين "
    "الإثنين الثلاثاء الأربعاء الخميس الجمعة في منذ يناير فبراير مارس أبريل ابريل مايو يونيو يوليو "
    "أغسطس اغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين "
    "الثاني الأول").split())


def when(segment: list[tuple[int, int, str]]) -> bool:
    """A segment of the speaker's words that only tells when (a date aside between commas)."""
    words = [t[2].removeprefix("و") for t in segment if t[2].isalnum()]
    return bool(words) and all(w in WHEN_WORDS or w.isdigit() for w in words)


# the words that open a time phrase standing between a verb and its subject (normalized)
_WHEN_HEADS = frozenset(normalize(w) for w in "أمس اليوم يوم مساء صباح فجر ليلة ظهر أول".split())


def past_when(toks: list[tuple[int, int, str]], k: int) -> int:
    """The index past a time phrase at ``toks[k]`` («قال صباح اليوم مصدر أمني», «ذكر يوم الأحد
    مسؤول»): the speaker comes after it; ``k`` itself when no such phrase opens there."""
    if k >= len(toks) or toks[k][2] not in _WHEN_HEADS:
        return k
    j = k
    while j < len(toks) and (toks[j][2] in WHEN_WORDS and toks[j][2] not in ("في", "منذ") or toks[j][2].isdigit()):
        j += 1
    return j
