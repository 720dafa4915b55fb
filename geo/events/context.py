"""What attribution works on: one report's text and what it remembers across sentences.

Below both :mod:`geo.events.attribution` (which finds who speaks) and
:mod:`geo.events.source_kinds` (which says what kind of source they are).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from geo.events.asides import WHEN_WORDS
from geo.models import Attribution
from geo.text.lexicon import Lexicon
from geo.text.normalize import normalize, original_span

QUOTE_MARKS = "«»\"'()"
COMMA = frozenset({"،", ","})
SAME = frozenset({"نفسه", "نفسها", "ذاته", "ذاتها", "نفسهم", "انفسهم"})
ACCOUNTS = frozenset({"الروايه", "الروايات", "المعلومات", "الانباء", "الشهادات", "الافادات"})   # normalized
HIS_ACCOUNT = frozenset({"روايته", "روايتها", "روايتهم", "قوله", "قولها", "قولهم", "تعبيره", "تعبيرها",
                         "تقديره", "تقديرها", "كلامه", "كلامها", "حديثه", "حديثها"})   # normalized
DEMONSTRATIVES = frozenset({"هذه", "هذا", "تلك", "ذلك", "هولاء"})
# words that end a body's name read on from its head word (normalized)
_NOT_IN_A_NAME = frozenset({"في", "من", "علي", "الي", "عن", "مع", "منذ", "بعد", "قبل", "خلال", "ان", "انه", "انها",
                            "الذي", "التي", "الذين", "قد", "لم", "لا", "ما", "كان", "كانت", "هو", "هي", "او", "ثم"})
TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Statement:
    """The attribution of one sentence and where its reported content starts.

    Offsets are into the normalized text. ``speaker_start``/``speaker_end``
    cover the words that name the source, so places and actors in them are not
    taken for the event's own.
    """

    attribution: Attribution
    content_start: int
    speaker_start: int
    speaker_end: int
    org_actors: tuple[str, ...] = ()
    continuation: bool = False
    hedged: bool = False
    modality: str = ""      # what the verb of saying makes the claim: «توعد» planned, «زعم» alleged


@dataclass(slots=True)
class SourceContext:
    """What attribution remembers across the sentences of one report."""

    text: str
    norm: str
    offsets: list[int]
    lexicon: Lexicon
    article_outlet: str = ""
    publisher: str = ""
    last: Statement | None = None
    last_part: int = -1     # the index of the last sentence part that named a source
    speakers: dict[str, Statement] = field(default_factory=dict)
    history: list[Statement] = field(default_factory=list)
    actor_hits: list = field(default_factory=list)
    actor_starts: list[int] = field(default_factory=list)
    outlet_hits: list = field(default_factory=list)
    publisher_words: frozenset[str] | None = None

    def actor_at(self, start: int):
        """The actor hit that starts at ``start`` (normalized offset), or None."""
        at = bisect_left(self.actor_starts, start)
        return self.actor_hits[at] if at < len(self.actor_hits) and self.actor_hits[at].start == start else None

    def actors_between(self, start: int, end: int) -> tuple[str, ...]:
        """Actor ids found in the normalized span (from the report-wide actor scan)."""
        starts = self.actor_starts
        hits = self.actor_hits[bisect_left(starts, start):bisect_left(starts, end)]
        return tuple(dict.fromkeys(h.key for h in hits))

    def original(self, start: int, end: int) -> str:
        """The original text behind the normalized span, without quote marks."""
        if end <= start:
            return ""
        a, b = original_span(self.text, self.offsets, start, end)
        out = self.text[a:b]
        for ch in QUOTE_MARKS:
            out = out.replace(ch, "")
        return re.sub(r"\s+", " ", out).strip(" ،,:")

    def tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The tokens (words and marks) of ``norm[start:end]``: (start, end, text)."""
        return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(self.norm, start, end)]

    def named_before(self, phrase: list[tuple[int, int, str]]) -> Statement | None:
        """The earlier statement a bare definite noun names again: «السرية» after «سرية حماية بني
        وليد», «المصادر ذاتها» or «هذه المصادر» after «مصادر أمنية تونسية» (its first word, the article
        dropped; a trailing «ذاته/نفسه» allowed); «روايته» the one who spoke last; an organisation's
        head word («المركز») the body named in full before, speaking or not. None when the phrase is
        more than that or nothing matches."""
        words = [t[2] for t in phrase if t[2].isalnum() and t[2] not in WHEN_WORDS]    # «وأعلن الجيش أمس»
        if len(words) == 1 and words[0] in HIS_ACCOUNT and self.history:
            return self.history[-1]    # «وبحسب روايته»: the one who spoke last
        if len(words) == 2 and words[0] in DEMONSTRATIVES:
            words = words[1:]          # «وتقول هذه المصادر»: the sources named before
        if words and words[-1] in SAME:
            if len(words) == 2 and words[0] in ACCOUNTS and self.history:
                return self.history[-1]    # «بحسب الرواية نفسها»: the account told last, whoever told it
            words = words[:-1]
        if len(words) != 1 or not words[0].startswith(("ال", "لل")):
            return None
        head = words[0][2:]
        for earlier in reversed(self.history):
            said = normalize(earlier.attribution.speaker).split()
            role = normalize(earlier.attribution.speaker_role).split()
            if len(said) > 1 and said[0].removeprefix("ال") == head or role and role[0].removeprefix("ال") == head:
                return earlier     # «المراسل» after «مراسل الجزيرة أحمد خليفة»: named by the role
        if head in self.lexicon.org_words or "ال" + head in self.lexicon.org_words:
            return self._body_named_before(head, phrase[0][0])
        return None

    def _body_named_before(self, head: str, before: int) -> Statement | None:
        """«وأكد المركز»: the body named in full earlier in the report, not as a speaker («مركز جمارك
        ميناء بنغازي البحري»، «الجيش الوطني الليبي»), as its statement; None when none was."""
        for m in reversed(list(re.finditer(rf"(?<!\w)[وبلف]?((?:ال)?{re.escape(head)})(?!\w)", self.norm[:before]))):
            # a definite head takes its adjectives («الجيش الوطني الليبي»); an indefinite one its
            # construct chain up to the first definite word, then adjectives («مركز جمارك ميناء بنغازي البحري»)
            words, in_chain = [], not m.group(1).startswith("ال")
            for t in TOKEN.finditer(self.norm, m.end(), min(before, m.end() + 80)):
                w = t.group()
                if not w.isalnum() or w in _NOT_IN_A_NAME or w[:1] == "و" or len(words) == 5:
                    break
                adjective = w.startswith("ال") and w.endswith(("ي", "يه"))
                if not (in_chain or adjective):
                    break
                in_chain = in_chain and not w.startswith("ال")
                words.append(t)
            if words:
                name = self.original(m.start(1), words[-1].end())
                return Statement(Attribution(speaker=name, source_type="organisation statement",
                                             cited_outlet=self.article_outlet), before, m.start(1), words[-1].end())
        return None
