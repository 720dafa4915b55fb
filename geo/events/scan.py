"""The report-wide scan event extraction starts from: the text normalized once,
and every cue, actor, denial, goods word and place found in it, sorted so a
clause's share is two bisections away.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.events.geometry import Loc
from geo.text.lexicon import Hit, Lexicon
from geo.models import Mention
from geo.text.normalize import normalize_with_offsets

_WORD = re.compile(r"\w+")

@dataclass(slots=True)
class Scan:
    """The whole-text lookups one report needs, made once."""

    text: str
    norm: str
    offsets: list[int]
    lex: Lexicon
    cues: list[Hit]
    actors: list[Hit]
    denials: list[Hit]
    locs: list[Loc]
    cue_starts: list[int] = field(default_factory=list)
    actor_starts: list[int] = field(default_factory=list)
    loc_starts: list[int] = field(default_factory=list)
    groups: list[Hit] = field(default_factory=list)
    group_starts: list[int] = field(default_factory=list)
    anaphora_starts: list[int] = field(default_factory=list)
    goods: list[Hit] = field(default_factory=list)
    goods_starts: list[int] = field(default_factory=list)
    place_anaphora: list[tuple[int, str]] = field(default_factory=list)
    place_anaphora_starts: list[int] = field(default_factory=list)
    claims: list[Hit] = field(default_factory=list)  # modality and sub-type words
    claim_starts: list[int] = field(default_factory=list)
    smuggling_report: bool = False
    terms: dict[str, list[Hit]] | None = None   # every list's hits, from one pass (Lexicon.find_terms)
    outlets: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cue_starts = [h.start for h in self.cues]
        self.actor_starts = [h.start for h in self.actors]
        self.loc_starts = [loc.start for loc in self.locs]
        info = self.lex.actor_info
        self.groups = [h for h in self.actors if info[h.key].side == "jihadist" and is_group(self.lex, h.key)]
        self.group_starts = [h.start for h in self.groups]
        terms = self.terms if self.terms is not None else self.lex.find_terms(self.norm)
        self.goods = terms["goods"]
        self.goods_starts = [h.start for h in self.goods]
        self.outlets = terms["known_outlets"]
        anaphora = terms["anaphora_index"]
        self.anaphora_starts = [h.start for h in anaphora if h.key == "group"]
        self.place_anaphora = [(h.start, h.key) for h in anaphora if h.key != "group"]
        self.place_anaphora_starts = [p for p, _ in self.place_anaphora]
        self.claims = terms.get("claim_terms", [])
        self.claim_starts = [h.start for h in self.claims]
        # A report about smuggling: lorries and boats in it are taken to carry the goods.
        self.smuggling_report = sum(h.key == "smuggling_route" for h in self.cues) + \
            sum(h.key == "smugglers" for h in self.actors) >= 3

    def in_range(self, starts: list[int], items: list, start: int, end: int) -> list:
        """The items whose start lies in [start, end) (``starts`` is sorted)."""
        return items[bisect_left(starts, start):bisect_left(starts, end)]

    def last_group(self, pos: int) -> str | None:
        """The latest jihadist group named before ``pos`` (for «التنظيم»)."""
        i = bisect_left(self.group_starts, pos)
        return self.groups[i - 1].key if i else None


def to_norm(offsets: list[int], pos: int) -> int:
    """The normalized index of original position ``pos``."""
    return bisect_left(offsets, pos)


def words_before(norm: str, pos: int, floor: int, n: int) -> list[str]:
    """Up to ``n`` words ending before ``pos`` and after ``floor``."""
    return _WORD.findall(norm, max(floor, pos - 12 * n), pos)[-n:]


def _is_qaida_group(norm: str, hit: Hit, lex: Lexicon) -> bool:
    """«القاعدة» the group, not «قاعدة» a base: the article, the words around, the quote marks."""
    if not hit.prefix.endswith("ال") and not hit.prefix.endswith("لل"):
        return False
    if hit.suffix:
        return False
    after = _WORD.findall(norm, hit.end, hit.end + 30)[:1]
    if after and after[0] in lex.qaida_base_after:
        return False
    word_start = hit.start - len(hit.prefix)
    # «القاعدة» or (القاعدة): quoted as a name. A quote that opens after the word («إنشاء القاعدة
    # «خطوة أحادية»») says nothing about it.
    opened, closed = norm[max(0, word_start - 2):word_start], norm[hit.end:hit.end + 2]
    if "«" in opened or "(" in opened or "»" in closed or ")" in closed:
        return True
    before = words_before(norm, word_start, 0, 2)
    if before and before[-1] in lex.qaida_group_before:
        return True
    if before and before[-1] in lex.qaida_base_before:
        return False
    return True


def scan_report(text: str, mentions: Sequence[Mention], lex: Lexicon) -> Scan:
    """Normalize once and find every cue, actor, denial and place in the report."""
    norm, offsets = normalize_with_offsets(text)
    terms = lex.find_terms(norm)   # one automaton pass for every word list
    cues = []
    actors = list(terms["actors"])
    for hit in terms["cues"]:
        if hit.key == "base" and norm.startswith("قاعده", hit.start) and _is_qaida_group(norm, hit, lex):
            if not any(a.start <= hit.start < a.end for a in actors if a.start <= hit.start):
                actors.append(Hit(hit.start, hit.end, "al-qaeda"))
            continue
        cues.append(hit)
    actors.sort(key=lambda h: h.start)
    locs = []
    actor_starts = [h.start for h in actors]
    for m in mentions:
        a = m.phrase_start if m.phrase_start is not None else m.start
        b = m.phrase_end if m.phrase_end is not None else m.end
        s, e = to_norm(offsets, m.start), to_norm(offsets, m.end)
        # A place inside an actor's name («شهداء الزاوية», «ثوار بنغازي») is not where the event is.
        i = bisect_left(actor_starts, s + 1) - 1  # the last actor starting at or before the place
        if i >= 0 and actors[i].start <= s and e <= actors[i].end:
            continue
        locs.append(Loc(to_norm(offsets, a), to_norm(offsets, b), m))
    locs.sort(key=lambda loc: loc.start)
    return Scan(text, norm, offsets, lex, cues, actors, terms["denial"], locs, terms=terms)



def is_group(lex: Lexicon, actor_id: str) -> bool:
    info = lex.actor_info.get(actor_id)
    return info is not None and info.kind not in ("smuggling network", "person")

