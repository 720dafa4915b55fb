"""The words around a number that say what it counts: the count tables looked up (a word whole,
then without its conjunction, article or glued preposition), a verb told after those counted, and
the nouns told before a number («حصيلة القتلى إلى 12», «عدد المقاتلين 5 آلاف», «عدد الرزم بلغ 323»).
Used by :mod:`geo.events.counts`."""

from __future__ import annotations

import re

from geo.text.normalize import normalize


def stem(word: str) -> str:
    """A word as the tables hold it: no punctuation, no «و»/«ب»/«ل» prefix, no article."""
    word = word.strip("،,.;:!?()«»\"'")
    for prefix in ("و", "ف"):
        if len(word) > 3 and word.startswith(prefix):
            word = word[1:]
    if len(word) > 4 and word.startswith("ال"):
        word = word[2:]
    return word


def lookup(word: str, table: dict) -> str | None:
    """The table's value for a word, trying it whole and then stemmed."""
    seen = getattr(table, "seen", None)
    if seen is not None:
        if word in seen:
            return seen[word]
        if len(seen) > 100_000:   # a long archive's vocabulary stays bounded
            seen.clear()
        seen[word] = found = _lookup_in(word, table)
        return found
    return _lookup_in(word, table)


def told_after(following: list[str], verbs_after) -> str | None:
    """What happened to those counted, told by a verb a few words after them («ثلاثة أشخاص
    أوقفوا»); a verb joined by «و» begins a clause of its own («قارب يقل 100 مهاجر قبالة صبراتة
    وفقد 60 منهم»: the 100 were on board, the 60 are the missing)."""
    for i, w in enumerate(following):
        if w.startswith("و") and lookup(w[1:], verbs_after):
            return None
        if (k := lookup(w, verbs_after)):
            return k
        if w == _IN and following[i + 1:i + 2] and following[i + 1] in _HANDS:
            # «وقع 14 عاملا في أيدي خفر السواحل» arrested; «في قبضة الخاطفين» abducted
            captors = following[i + 2:i + 3]
            return "abducted" if captors and stem(captors[0]) in _CAPTORS else "arrested"
    return None


_IN = normalize("في")
_HANDS = frozenset(normalize(w) for w in ("قبضة", "أيدي", "يد"))
_CAPTORS = frozenset(normalize(w) for w in (
    "الخاطفين", "خاطفين", "الخاطفون", "المسلحين", "مسلحين", "الجماعة", "التنظيم", "داعش", "الإرهابيين",
    "العصابة", "عصابة", "المتمردين", "الجهاديين"))


def _lookup_in(word: str, table: dict) -> str | None:
    """``lookup`` without the memory."""
    bare = word.strip("،,.;:!?()«»\"'")
    root = stem(bare)
    # «باعتقال», «لمقتل», «وبمقتل»: a preposition glued on
    glued = root[1:] if len(root) > 3 and root[0] in "بل" else root
    for candidate in (bare, bare.removeprefix("و"), root, "ال" + root, glued):
        if candidate in table:
            return table[candidate]
    return None


TOLLS = frozenset({"killed", "wounded", "missing"})
_AMONG = frozenset(normalize(w) for w in ("صفوف", "بين", "من"))


def toll_before(words, first: int, after_kinds: dict) -> str | None:
    """The toll a number completes when its noun stands before it («حصيلة القتلى إلى 12 والجرحى
    إلى 30»): the nearest casualty noun up to six words back, with no number or mark between."""
    for j in range(first - 1, max(-1, first - 7), -1):
        word = words[j][0]
        if any(ch.isdigit() for ch in word) or word.endswith((".", ":", "؛")):
            return None
        kind = lookup(word.removeprefix("و").strip("،,"), after_kinds)
        if kind in TOLLS and word.removeprefix("و").startswith("ال"):
            return kind
        if kind is not None and not (j and words[j - 1][0] in _AMONG):
            return None     # another noun counted; «في صفوف الجنود» only says among whom
    return None


DROWNED = frozenset(normalize(w) for w in ("غرق", "غرقوا"))
_TALLY = normalize("حصيلة")
AMONG_THEM = frozenset(normalize(w) for w in ("بينهم", "بينهن"))   # not «منهم»: «وتوفي منهم 5» are more


def tally_before(words, first: int, after_kinds: dict) -> str | None:
    """The kind a tally names up to ten words before its number («حصيلة قتلى الهجوم على القرية
    ... إلى 35 شخصا», «حصيلة الجرحى بلغت 40»), with no number or full stop between."""
    for j in range(first - 1, max(0, first - 11), -1):
        word = words[j][0]
        if any(ch.isdigit() for ch in word) or word.endswith((".", ":", "؛")):
            return None
        if words[j - 1][0].removeprefix("و") == _TALLY:
            kind = lookup(word.strip("،,"), after_kinds)
            return kind if kind in TOLLS else None
    return None


EACH = re.compile(r"(?<!\w)(?:كل|الواحد|الواحده) (?:منها|منهما|منه|واحده|واحد)(?: \S+)?$")
_NUMBER_OF = normalize("عدد")


def _named_by_number_of(words, first: int):
    """Each word «عدد» names in the few words before a number, nearest first («عدد الرزم المكتشفة
    بلغ 323»: «الرزم»), up to a number or a mark between."""
    for j in range(first - 1, max(0, first - 6), -1):
        word = words[j][0]
        if any(ch.isdigit() for ch in word) or word.endswith((".", ":", "؛", "،", ",")):
            return
        if words[j - 1][0].removeprefix("و") == _NUMBER_OF:
            yield word


def people_counted_before(words, first: int, after_kinds: dict) -> str | None:
    """Fighters or migrants «عدد» names before a number («بلغ عدد المقاتلين الأجانب 5 آلاف»,
    «يقدر عدد مقاتلي التنظيم بنحو 3 آلاف»); None when none."""
    for word in _named_by_number_of(words, first):
        kind = lookup(word, after_kinds) or lookup(word.removesuffix("ي") + "ين", after_kinds)
        return kind if kind in ("fighters", "migrants") else None     # «مقاتلي»: construct of «مقاتلين»
    return None


def goods_counted_before(words, first: int, units: dict) -> str:
    """The unit of goods «عدد» names before a number («عدد الرزم المكتشفة بلغ 323»); "" when none."""
    word = next((w for w in _named_by_number_of(words, first) if w.startswith("ال")), None)
    return (lookup(word, units) or "") if word is not None else ""
