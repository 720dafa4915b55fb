"""Numbers as Arabic reports write them: digits of both scripts, number words, vague counts,
ranges, and the words that hedge them («نحو», «أكثر من», «ما لا يقل عن»).

``find_quantities`` works on *normalized* text (``geo.text.normalize``), so a quantity's
``start``/``end`` are offsets into it; ``normalize_with_offsets`` maps them back. Each quantity
is a range: «700» is 700–700, «عشرات» is 20–99 and vague, «أكثر من 30» is 31 and up with no
upper bound (``high`` None), «بين 10 و15» is 10–15.

Examples
--------
>>> from geo.text.normalize import normalize
>>> [(q.low, q.high, q.qualifier) for q in find_quantities(normalize("قتل نحو 700 وأصيب العشرات"))]
[(700, 700, 'about'), (20, 99, 'vague')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from geo.text.normalize import normalize

# Written as a reader would; normalized once (أ/إ/آ → ا, ة → ه, ى → ي, ئ → ي).
_UNITS = {
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6,
    "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "ثمان": 8, "تسعة": 9, "تسع": 9,
    "عشرة": 10, "عشر": 10,
}
_TEENS_HEAD = {"أحد": 1, "إحدى": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
_TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}
_HUNDREDS = {
    "مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    "مئتي": 200, "مائتي": 200,                      # the construct: «أكثر من مئتي جريح»
    **{f"{w}{h}": n * 100 for w, n in (("ثلاث", 3), ("أربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7),
                                        ("ثمان", 8), ("تسع", 9)) for h in ("مئة", "مائة")},
}
# a multiplier after a number: «3 آلاف», «خمسة آلاف», «مليون»
_SCALES = {"ألف": 1000, "آلاف": 1000, "ألفا": 1000, "ألفان": 2000, "ألفين": 2000, "ألفي": 2000,
           "مليون": 1_000_000, "ملايين": 1_000_000, "مليونا": 1_000_000, "مليونان": 2_000_000, "مليونين": 2_000_000,
           "مليوني": 2_000_000}     # the construct duals: «ألفي مهاجر», «مليوني لتر»
# counts the text gives without a number (and what they are taken to mean)
_VAGUE = {
    "بضعة": (3, 9), "بضع": (3, 9), "عدة": (3, 9), "عشرات": (20, 99), "العشرات": (20, 99),
    "مئات": (200, 999), "المئات": (200, 999), "آلاف": (2000, 9999), "الآلاف": (2000, 9999),
}
_HEDGES = {   # words before a number, longest first when matched
    "ما لا يقل عن": "at least", "لا يقل عن": "at least", "ما يزيد عن": "more than",
    "ما يزيد على": "more than", "ما يربو على": "more than", "أكثر من": "more than",
    "أزيد من": "more than", "ما يقارب": "about", "ما يقرب من": "about", "نحو": "about",
    "حوالي": "about", "حوالى": "about", "قرابة": "about", "زهاء": "about",
    "أقل من": "less than", "ما دون": "less than", "ما معدله": "about", "يقدر ب": "about",
    "يقدر بـ": "about",
    # verbs that put the number as a floor: «تجاوز 30», «تخطى العشرة», «ما يفوق 15»
    "يتجاوز": "more than", "تتجاوز": "more than", "تجاوز": "more than", "تجاوزت": "more than",
    "يتخطى": "more than", "تتخطى": "more than", "تخطى": "more than", "تخطت": "more than",
    "ما يفوق": "more than", "يفوق": "more than", "تفوق": "more than", "فاق": "more than",
    "يزيد على": "more than", "يزيد عن": "more than", "تزيد على": "more than", "تزيد عن": "more than",
}
# a few of a bigger unit: «بضع مئات» three to nine hundred, «عدة آلاف», «بضع عشرات»
_FEW = frozenset(normalize(w) for w in ("بضع", "بضعة", "عدة"))
_FEW_OF = {normalize(k): v for k, v in
           {"مئات": 100, "المئات": 100, "آلاف": 1000, "الآلاف": 1000, "عشرات": 10, "العشرات": 10}.items()}
# number words the article may open («تخطى العشرة», «المهاجمين الأربعة»), but not the days
# of the week they spell («الاثنين», «الأحد»)
_ARTICLE_NOT = frozenset(normalize(w) for w in ("اثنين", "اثنان", "أحد"))
_BETWEEN, _FROM, _TO = normalize("بين"), normalize("من"), normalize("إلى")
_ROUGHLY = normalize("تقريبا")
_AFTER_HEDGE = re.compile(r"(?:\s+[^\s،,.]+){0,2}?\s+(" + normalize("على الأقل") + "|" + _ROUGHLY + r")(?![^\s،,.])")
QUALIFIERS = ("exact", "about", "at least", "more than", "less than", "vague", "range")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number the text gives: ``low``..``high`` (``high`` None: no upper bound), how it is
    hedged, and where it is in the normalized text (the hedge included)."""

    low: int | float
    high: int | float | None
    qualifier: str
    start: int
    end: int


@cache
def _lexicon() -> tuple[dict, dict, dict, dict, dict, dict, list[tuple[str, str]]]:
    def norm(table: dict) -> dict:
        return {normalize(k): v for k, v in table.items()}
    hedges = sorted(((normalize(k), v) for k, v in _HEDGES.items()), key=lambda kv: -len(kv[0]))
    return (norm(_UNITS), norm(_TEENS_HEAD), norm(_TENS), norm(_HUNDREDS), norm(_SCALES), norm(_VAGUE), hedges)


def _without_article(token: str, number_words: frozenset[str]) -> str:
    """«العشرة» → «عشره», «ال48» → «48» (the article before a number); other words unchanged."""
    if token.startswith("ال") and len(token) > 3:
        rest = token[2:]
        if rest[:1].isdecimal() or rest.strip("،,.;:!?()«»\"'") in number_words and rest not in _ARTICLE_NOT:
            return rest
    return token


@cache
def number_words() -> frozenset[str]:
    """Every word a number written in words can start with."""
    units, teens, tens, hundreds, _, _, _ = _lexicon()
    return frozenset(units) | frozenset(teens) | frozenset(tens) | frozenset(hundreds)


_DIGITS = re.compile(r"\d+(?:[.,٫٬]\d+)*")
_DASHED = re.compile(r"(\d+)[-–](\d+)")
_WORD = re.compile(r"\S+")


def _digits_value(token: str) -> int | float:
    """«1,200» and «1٬200» are thousands; «2.5» and «2٫5» a fraction."""
    parts = re.split(r"[.,٫٬]", token)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3:
        return int("".join(parts))
    if len(parts) == 2:
        return float(f"{parts[0]}.{parts[1]}")
    return int(parts[0])


def _bare(word: str) -> str:
    """A word without the conjunction «و» and trailing punctuation (ASCII and Arabic)."""
    word = word.strip("،,.;:!?()«»\"'")
    if word[:1] in "لب" and word[1:2].isdecimal():
        return word[1:]     # «لـ13 قتيلا», «بـ40 آلية»: a preposition glued to the digits
    return word[1:] if word.startswith("و") and (len(word) > 2 or word[1:].isdigit()) else word


def _words_value(words: list[str], i: int) -> tuple[int, int] | None:
    """(value, words used) for a number written in words from ``words[i]``, else None.

    «خمسة» 5, «أحد عشر» 11, «خمسة وعشرين» 25, «مئة وخمسون» 150, «ثلاثمئة» 300.
    """
    units, teens, tens, hundreds, _, _, _ = _lexicon()
    ten = normalize("عشر")
    total, used, n = 0, 0, len(words)
    while i + used < n:
        word = words[i + used].strip("،,.;:!?()«»\"'")
        plain = word.removeprefix("و") if used and word.startswith("و") else word
        if used and not word.startswith("و"):
            break   # a compound goes on only with «و»
        if plain in hundreds:
            total, used = total + hundreds[plain], used + 1
        elif plain in tens:
            total, used = total + tens[plain], used + 1
        elif plain in teens and i + used + 1 < n and words[i + used + 1].startswith(ten):
            total, used = total + 10 + teens[plain], used + 2
        elif plain in units:
            value = units[plain]
            after = words[i + used + 1] if i + used + 1 < n else ""
            if value < 10 and after.startswith(ten) and not after.startswith(normalize("عشرات")):
                total, used = total + 10 + value, used + 2   # «خمسة عشر»
            else:
                total, used = total + value, used + 1
        else:
            break
    return (total, used) if used else None


# whether each word can open a quantity: a digit, a number word, a scale or a vague count
_OPENS: dict[str, bool] = {}


def find_quantities(normalized: str, *, words: list[tuple[str, int, int]] | None = None) -> list[Quantity]:
    """Every number, number word and vague count in ``normalized`` text, in order.

    ``words`` are its ``(word, start, end)`` runs of non-space, when the caller has them.
    """
    _, _, _, _, scales, vague, hedges = _lexicon()
    if words is None:
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(normalized)]
    tokens = [w for w, _, _ in words]
    openers = number_words()
    if len(_OPENS) > 100_000:   # a long archive's vocabulary stays bounded
        _OPENS.clear()
    out: list[Quantity] = []
    i = 0
    while i < len(words):
        if tokens[i] not in _OPENS:
            token = _without_article(_bare(tokens[i]), openers)
            _OPENS[tokens[i]] = token[:1].isdecimal() or token in scales or token in vague or \
                token.strip("،,.;:!?()«»\"'") in openers
        if not _OPENS[tokens[i]]:
            i += 1   # most words: no digit, no number word, no vague count
            continue
        token = _without_article(_bare(tokens[i]), openers)
        value = used = None
        dash = _DASHED.fullmatch(token)
        if dash:   # «10-15»
            low, high = sorted((_digits_value(dash.group(1)), _digits_value(dash.group(2))))
            out.append(Quantity(low, high, "range", words[i][1], words[i][2]))
            i += 1
            continue
        if _DIGITS.fullmatch(token):
            value, used = _digits_value(token), 1
        elif token in scales and token not in vague:   # «ألف مقاتل», «مليون»
            value, used = scales[token], 1
        elif token.strip("،,.;:!?()«»\"'") in openers:
            found = _words_value([token if k == 0 else t for k, t in enumerate(tokens[i:i + 6])], 0)
            if found:
                value, used = found
        if value is None:
            if token in vague:
                low, high = vague[token]
                j = i + 1
                if j < len(tokens) and token in _FEW and _bare(tokens[j]) in _FEW_OF:
                    unit = _FEW_OF[_bare(tokens[j])]
                    low, high, j = low * unit, high * unit, j + 1   # «بضع مئات»: 300–900
                elif j < len(tokens) and _bare(tokens[j]) in (normalize("الآلاف"), normalize("آلاف")):
                    low, high, j = low * 1000, high * 1000, j + 1   # «عشرات الآلاف»
                out.append(Quantity(low, high, "vague", words[i][1], words[j - 1][2]))
                i = j
                continue
            i += 1
            continue
        j = i + used
        scale = scales.get(token) if used == 1 and token in scales else None    # «مليونين و300 ألف»
        if j < len(tokens) and _bare(tokens[j]) in scales and not _bare(tokens[j]).startswith(normalize("ألفين")):
            scale = scales[_bare(tokens[j])]
            value, j = value * scale, j + 1
        if scale:
            # «30 ألفا و990», «17 مليونا و812 ألفا و300»: smaller parts joined by «و»
            while j < len(tokens) and tokens[j].startswith("و") and _DIGITS.fullmatch(_bare(tokens[j])):
                part = _digits_value(_bare(tokens[j]))
                smaller = scales.get(_bare(tokens[j + 1])) if j + 1 < len(tokens) else None
                if smaller and smaller < scale and part * smaller < scale:
                    value, j, scale = value + part * smaller, j + 2, smaller
                elif part < scale:
                    value, j = value + part, j + 1
                    break
                else:
                    break
        start, end = words[i][1], words[j - 1][2]
        qualifier, low, high = "exact", value, value
        # a range: «بين 10 و15», «من 10 إلى 15», «10-15»
        before = normalized[max(0, start - 40):start]
        lead = before.rstrip()
        for hedge, kind in hedges:
            if not lead.endswith(hedge):
                continue
            opening = lead[:-len(hedge)]
            # «نحو 700», «بنحو 150», «ونحو عشرة»: the hedge is a word of its own, or has a prefix
            if not opening or opening.endswith(" ") or opening[-1] in "بول" and (
                    len(opening) == 1 or opening[-2] == " "):
                qualifier = kind
                at = len(opening) - (1 if opening and not opening.endswith(" ") else 0)   # the prefix too
                start = start - len(before) + at
                break
        # a range: «بين 10 و15», «من 10 إلى 15»
        if qualifier == "exact" and before.rstrip().endswith((_BETWEEN, _FROM)) and j < len(tokens):
            nxt, k = tokens[j], j
            if nxt == _TO and j + 1 < len(tokens):
                nxt, k = tokens[j + 1], j + 1
            elif nxt == "و" and j + 1 < len(tokens):
                nxt, k = tokens[j + 1], j + 1
            elif nxt.startswith("و"):
                nxt = nxt[1:]
            nxt = nxt.strip("،,.;:!?()«»\"'")
            if _DIGITS.fullmatch(nxt) and (k > j or tokens[j].startswith("و")):
                other = _digits_value(nxt)
                lead = before.rstrip()
                start = start - (len(before) - lead.rfind(" ") - 1) if " " in lead else start - len(before)
                out.append(Quantity(min(value, other), max(value, other), "range", start, words[k][2]))
                i = k + 1
                continue
        if qualifier == "exact":
            # «خمسين شخصا على الأقل», «200 مهاجر تقريبا»: the hedge after the number and its noun
            after = _AFTER_HEDGE.match(normalized, end)
            if after:
                qualifier = "at least" if after.group(1) != _ROUGHLY else "about"
        if qualifier == "more than":
            low, high = (value + 1 if isinstance(value, int) else value), None
        elif qualifier == "at least":
            high = None
        elif qualifier == "less than":
            low, high = 0, (value - 1 if isinstance(value, int) else value)
        out.append(Quantity(low, high, qualifier, start, end))
        i = j
    return out
