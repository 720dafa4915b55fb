"""Places the gazetteer does not know, named after a word that says what they are.

«في قرية بلاهاردي», «منطقة نسمة», «حي القلعة», «وادي مرسيط»: a place word (قرية، بلدة، حي، وادي،
منطقة، واحة، جبل، بوابة، إقليم ...) in construct with a name the gazetteer lacks. As ACLED codes
a location it cannot find, such a place is put in the larger area the report puts it in: the
nearest known town or region in the same sentence, else the report's own country. The mention
says so: precision 3, a low confidence, no candidates, and a place id ``unknown:NAME@AREA``, so
the map draws the area and an analyst sees the village itself was not found.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from geo.models import Mention, Place
from geo.places.lexicon import looks_like_verb
from geo.text.furniture import in_spans
from geo.text.normalize import normalize, original_span

# Place words and the kind of place they name.
_CUES = {
    "قريه": "village", "بلده": "town", "حي": "neighbourhood", "وادي": "wadi", "اوديه": "wadi",
    "منطقه": "region", "منطقتي": "region", "واحه": "oasis", "جبل": "mountain", "جبال": "mountain",
    "بوابه": "infrastructure", "اقليم": "region", "مقاطعه": "region", "ولايه": "region", "مدينه": "town",
}
_NAME = r"[^\s\d،,.:؛;«»\"'()\[\]\-–—!?؟/]{2,}"
# The place word is indefinite (in construct with the name): «المنطقة الواقعة» describes, «منطقة نسمة»
# names. Found with str.find per place word (fast) and read on with one anchored pattern.
# A name may be a number after the article: «حي الـ400» (the 400 district), never the article alone.
_AFTER_CUE = re.compile(rf"\s+[«\"]?(ال\d+(?!\w)|(?!ال(?:\d|\s|$)){_NAME})(?:\s+(ال{_NAME}))?")    # «منطقة «غيري»»
_PREFIXES = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")


def _cue_hits(normalized: str):
    """(cue, its start, name start, first word, second word or None, name end) for each place word
    in construct with a following word."""
    for cue in _CUES:
        at = normalized.find(cue)
        while at >= 0:
            end = at + len(cue)
            if end < len(normalized) and normalized[end] != " ":
                at = normalized.find(cue, end)
                continue    # «حيث», «الحياة»: the place word inside another word
            head = at
            while head > 0 and normalized[head - 1].isalpha() and at - head < 2:
                head -= 1
            before_ok = head == 0 or not normalized[head - 1].isalpha()
            if before_ok and normalized[head:at] in _PREFIXES:
                found = _AFTER_CUE.match(normalized, end)
                if found:
                    yield cue, head, found.start(1), found.group(1), found.group(2), found.end()
            at = normalized.find(cue, end)


# Words that follow a place word without being a name: descriptions, directions, parts, topics.
_NOT_NAMES = frozenset(normalize(w) for w in (
    "نائية", "صحراوية", "جبلية", "حدودية", "عسكرية", "سكنية", "زراعية", "صناعية", "ساحلية", "واسعة",
    "مفتوحة", "مجاورة", "قريبة", "بعيدة", "آمنة", "خطرة", "معزولة", "وعرة", "جنوب", "شمال", "شرق", "غرب",
    "وسط", "جنوبي", "شمالي", "شرقي", "غربي", "أخرى", "اخرى", "واحدة", "تابعة", "تقع", "يقع", "نفوذ", "تماس",
    "عمليات", "اشتباكات", "معارك", "نزاع", "سيطرة", "عازلة", "آمنة", "منكوبة", "صغيرة", "كبيرة", "قديمة",
    "جديدة", "مهمة", "نفطية", "تجارية", "عربية", "إفريقية", "أفريقية", "ليبية", "ريفية", "حضرية", "فيها",
    "منها", "بها", "هذه", "تلك", "ذات", "غير", "كل", "أي", "بين", "عند", "نحو", "حيث", "ضمن", "داخل", "خارج",
    "قرب", "حول", "تحت", "فوق", "ما", "من", "في", "عن", "على", "إلى", "الى", "التي", "الذي", "يوم", "اليوم",
    "مساء", "صباح", "أمس", "ليلة", "مسلحة", "مسلحين", "سكان", "أهالي", "الأهالي", "السكان", "المدينة",
    "البلدة", "القرية", "الحدود", "الجنوب", "الشمال", "الشرق", "الغرب", "الوسط", "الصحراء", "الساحل",
    "مناطق", "قرى", "مدن", "بلدات", "أحياء", "صحراء", "المطار", "الميناء", "المعبر", "المستشفى", "السجن",
    "الجامعة", "الوزارة", "المصنع", "الحقل", "المعسكر", "القاعدة", "المقر",
    "شعبي", "سكني", "راقي", "تجاري", "صناعي", "عسكري", "حكومي", "عشوائي",   # «حي شعبي»: a kind of district
))
# After these a common word is a description («منطقة الجبل»); after حي، وادي، جبل it is a name.
_WEAK_CUES = frozenset({"منطقه", "منطقتي", "مدينه", "اقليم", "ولايه", "مقاطعه", "بلده", "قريه", "بوابه"})
# An ending that makes a word an adjective of the place word, not a name («منطقة جبلية»).
_ADJECTIVE = re.compile(r"(?:يه|يين|يون)$")


def unknown_mentions(text: str, normalized: str, offsets: list[int], known: Sequence[Mention],
                     own_country: Place | None, *, common_words: frozenset[str], names: Container[str],
                     outlet_words: frozenset[str] = frozenset(),
                     furniture: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Mentions of the places named after a place word that no known mention covers.

    ``names`` are the gazetteer's normalized names: a known name refused as a false friend
    («مجلس مدينة صبراتة») is not taken up again here."""
    taken = [(m.start, m.end) for m in known]
    out: list[Mention] = []
    for cue, cue_at, name_start, first, second, name_end in sorted(_cue_hits(normalized), key=lambda h: h[2]):
        words = [w for w in (first, second) if w]
        bare = first[1:] if first[:1] in "وف" and len(first) > 3 else first
        if (first in _NOT_NAMES or bare in _NOT_NAMES or _ADJECTIVE.search(first) or first.lstrip("وفبل") in _CUES
                or (cue in _WEAK_CUES and (first in common_words or first.startswith("ال")))
                or first.startswith(("وال", "فال", "بال", "لل")) or looks_like_verb(first)
                or (first[:1] == "و" and len(first) > 3 and cue == "حي")     # «في أكثر من حيّ وقذائف الهاون»
                or any(w in names or w in outlet_words for w in words) or " ".join(words) in names):
            continue
        start, end = original_span(text, offsets, name_start, name_end)
        cue_start = original_span(text, offsets, cue_at, cue_at + 1)[0]
        if any(a < end and start < b for a, b in taken) or in_spans(start, furniture):
            continue
        area = _area(known, cue_start) or own_country
        if area is None:
            continue
        surface = text[start:end]
        place = Place(id=f"unknown:{normalize(surface)}@{area.id}", name_ar=surface, name_en="",
                      kind=_CUES[cue], geometry=area.geometry.representative_point(),
                      country=area.country, source="not in the gazetteer; placed in the area the report names")
        out.append(Mention(start=start, end=end, surface=surface, place=place, qualifier="part_of",
                           anchor=area, geometry=area.geometry, precision=3, confidence=0.3,
                           phrase_start=cue_start, phrase_end=end))
        taken.append((start, end))
    return out


_AREA_KINDS = frozenset({"city", "town", "village", "oasis", "region", "district", "wadi", "country"})
_REACH = 160


def _area(known: Sequence[Mention], at: int) -> Place | None:
    """The known town or region named nearest to ``at`` within the sentence's reach."""
    near = [(abs(m.start - at), m.place) for m in known
            if m.place is not None and m.place.kind in _AREA_KINDS and abs(m.start - at) <= _REACH
            and not m.place.id.startswith("unknown:")]
    return min(near, key=lambda dp: dp[0])[1] if near else None
