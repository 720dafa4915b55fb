"""False friends: a gazetteer name that is part of a person's, an outlet's or a body's name.

«مهدي البرغثي», «العقيد محمد الغصري» (after a first name or a title), «وكالة فزان للأنباء» (an
outlet), «كتيبة شهداء الزاوية», «قوات درع ليبيا» (governed by an organisation's head word): the
name is there, the place is not. Each test reads the normalized text around one match.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from geo.places.lexicon import PUNCT, QUOTES_OFF, Lexicon, looks_like_verb, word_in
from geo.places.matcher import Match

# «مركز X» is often a place («مركز المدينة»); with an institution's adjective after X it is a name.
_FACILITY_HEADS = frozenset({"مركز", "المركز", "مجمع", "المجمع", "منطقه", "المنطقه", "لمنطقه", "بمنطقه"})
# Words that start with «ال» without being a definite noun (إلى after ى -> ي, relative pronouns).
NOT_DEFINITE = frozenset({"الي", "التي", "الذي", "الذين", "اللذين", "اللتين", "اللواتي", "اللتي", "الا", "الان"})
# the head words of facilities named as places: «مطار معيتيقة», «ميناء طبرق» (normalized)
_FACILITIES = ("مطار", "ميناء", "حقل", "معبر", "منفذ", "بوابه", "قاعده", "مرفا", "مصفاه")
# Marks that end an organisation's name before a place (quote marks do not).
_CHAIN_BREAK = re.compile(r"[،,.:؛;()\[\]\n!?؟-]")
_WORD = re.compile(r"\S+")


def _definite_between(chain: list[str], distance: int) -> bool:
    """A definite noun between a weak head and the name («قوات الوفاق سرت») ended the body's name."""
    return any((w[1:] if w[:1] in "وف" and w[1:3] == "ال" else w).startswith("ال") and w not in NOT_DEFINITE
               for w in chain[len(chain) - distance + 1:])


def after_person_word(lex: Lexicon, before: str) -> bool:
    """True after a title or a first name («العقيد»، «مهدي»، «وعبد الله»): a person's name."""
    if not before.endswith(" "):
        return False
    words = before.split()[-2:]
    if not words:
        return False
    last = words[-1]
    candidates = {last, last[1:] if last[:1] in "وف" else last}
    if len(words) == 2:
        pair = " ".join(words)
        candidates |= {pair, pair[1:] if pair[:1] in "وف" else pair}
    return not candidates.isdisjoint(lex.person_words)


def in_outlet_name(lex: Lexicon, normalized: str, m: Match) -> bool:
    """True for «وكالة فزان للأنباء»: a place inside an outlet's name."""
    after = _WORD.search(normalized, m.end, m.end + 30)     # the first word of the 30 after
    nxt = after.group().strip(PUNCT) if after else ""
    if nxt in lex.outlet_after:
        return True
    if nxt.isdigit() and normalized[max(0, m.start - 2):m.start].strip() == "«":
        return True     # «القاهرة 24», «ليبيا 218»: a channel or site named by place and number
    if nxt not in lex.institution_after and nxt not in lex.outlet_after_weak:
        return False    # the common case: no word after the name that ends a name
    before = normalized[max(0, m.start - 20):m.start].split()
    prev = before[-1].strip(PUNCT) if before and normalized[m.start - 1:m.start] == " " else ""
    if prev in _FACILITY_HEADS and nxt in lex.institution_after:
        return True     # «مركز سبها الطبي», «منطقة سبها العسكرية»: an institution's name
    return bool(prev) and word_in(prev, lex.outlet_before) is not None and nxt in lex.outlet_after_weak


def head_words(lex: Lexicon, normalized: str) -> tuple[list[int], list[int]] | None:
    """Where the organisation head words in ``normalized`` end, in order, and for each end the
    latest start of a head ending there or before (None: a head is found everywhere). One pass
    over a text answers :func:`in_organisation_name` for all its names."""
    if lex.org_finder is None:
        return None
    ends: list[int] = []
    starts: list[int] = []
    latest = -1
    for end_index, length in lex.org_finder.iter(normalized):
        latest = max(latest, end_index + 1 - length)
        ends.append(end_index + 1)
        starts.append(latest)
    return ends, starts


def in_organisation_name(lex: Lexicon, normalized: str, m: Match,
                         heads: tuple[list[int], list[int]] | None = None) -> bool:
    """True for «كتيبة شهداء الزاوية», «قوات درع ليبيا»: a place governed by an
    organisation's head word (see ``organisation_heads`` in the lexicon); ``heads`` are
    :func:`head_words` of ``normalized`` when the caller has them."""
    if m.start and normalized[m.start - 1] in "بلك":
        return False    # «جهاز حرس الحدود بالقطرون»: the preposition puts the body in the town
    lo = max(0, m.start - 80)
    if heads is None:
        heads = head_words(lex, normalized)
    if heads is not None:
        ends, starts = heads
        i = bisect_right(ends, m.start)
        if not i or starts[i - 1] < lo:
            return False    # no head word at all in reach: the common case
    before = normalized[lo:m.start]
    if _in_quoted_organisation(lex, before):
        return True
    # Quote marks are part of a name («المنطقة العسكرية «سبها»»); other marks end it.
    chain = _CHAIN_BREAK.split(before)[-1].translate(QUOTES_OFF).split()
    if chain and chain[-1] == "و":
        chain.pop()     # «مديريتي أمن مطروح والإسكندرية»: the second name of a pair
    for distance, word in enumerate(reversed(chain[-6:]), start=1):
        bare = word
        while len(bare) > 3 and bare[0] in "وف":
            bare = bare[1:]
        if bare in lex.org_stop:
            # «نيابة شرق مصراتة»: a direction right after a head is part of the body's name.
            head = chain[len(chain) - distance - 1] if distance < len(chain) else ""
            head = head.lstrip("وف")
            return bare in lex.directions and any(
                f in lex.org_heads for f in (head, head[1:], head[2:] if head.startswith("ال") else head))
        pair = " ".join([bare, *chain[len(chain) - distance + 1:len(chain) - distance + 2]])
        forms = {bare, pair}
        if bare[:1] in "بلك":
            forms |= {bare[1:], pair[1:]}
        if bare.startswith("لل"):
            forms |= {"ال" + bare[2:], "ال" + pair[2:]}
        for f in forms:
            for g in (f, f[2:] if f.startswith("ال") else f):
                if g in lex.org_heads or (g in lex.org_weak and 2 <= distance <= 3
                                          and not normalized.startswith(_FACILITIES, m.start)
                                          and not _definite_between(chain, distance)
                                          and not any(w in lex.org_complete or w[:1] in "وف" and w[1:] in lex.org_complete
                                                      for w in chain[len(chain) - distance + 1:])):
                    # «قوات حفتر مطار معيتيقة»: a facility named by its own head is a place
                    # after a weak head, not the rest of a force's name («قوات درع ليبيا»)
                    return True
        if bare[:1] in "بلك" and (bare[1:3] == "ال" or bare.startswith("لل") or bare[1:] in lex.cue_kinds):
            return False    # «لبلدة», «بالمدينة»: a preposition, the name is not governed
        if bare[:1] in "بل" and bare[1:2] == "م" and len(bare) > 5:
            return False    # «اتهمت الحكومة المتمردين بمهاجمة سبها»: a verbal noun governs the name
        if looks_like_verb(bare):
            return False    # «قوات حفتر دخلت سرت»: a clause, not a name
    return False


def _in_quoted_organisation(lex: Lexicon, before: str) -> bool:
    """True inside «جبهة الوفاق من أجل التغيير في تشاد»: an open quote whose first word is a head."""
    opened = max(before.rfind("«"), before.rfind("“"))
    if opened < 0 or "»" in before[opened:] or "”" in before[opened:]:
        # "..." opens and closes with one mark: inside when an odd number of them stands before.
        opened = before.rfind('"') if before.count('"') % 2 else -1
        if opened < 0:
            return False
    words = before[opened + 1:].split()
    if not words:
        return False
    first = words[0].lstrip("وف")
    heads = lex.org_all
    return first in heads or (first.startswith("ال") and first[2:] in heads) or " ".join(words[:2]) in heads
