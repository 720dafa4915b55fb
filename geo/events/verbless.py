"""Sources named with no verb of saying: a headline's «الجيش التشادي: ...» and the publisher of
pictures or a video («ونشر المجلس صورا تظهر ...»). Readers for :mod:`geo.events.attribution`."""

from __future__ import annotations

import re
from geo.events.asides import when as _when
from geo.events.context import QUOTE_MARKS as _QUOTE_MARKS
from geo.events.context import SourceContext, Statement
from geo.events.source_kinds import bare as _bare
from geo.events.source_kinds import classify as _classify


# «ونشر المجلس صورا تظهر ...», «وبثت الحركة مقطعا مصورا يوثق ...»: who published what it shows (normalized)
_SHOWING = re.compile(r"(?:[وف]?(?:نشر|نشرت|بث|بثت|عرض|عرضت|اظهر|اظهرت|وزع|وزعت)\s+)((?:\S+\s+){1,6}?)"
                      r"(?:صورا|صور|صوره|مقطعا|مقطع|مقاطع|فيديو|شريطا|تسجيلا|تسجيل|مشاهد|لقطات)(?!\w)")


def showing(ctx: SourceContext, start: int, end: int) -> Statement | None:
    """The publisher of pictures or a video the sentence tells of, as the source of what they show
    (an organisation, an office or an outlet at the head of the words between)."""
    m = _SHOWING.match(ctx.norm, start, end)
    if m is None:
        return None
    # «وبث المجلس أمس مقطعا»: who, without when
    words = [t for t in ctx.tokens(m.start(1), m.end(1)) if t[2] not in _QUOTE_MARKS and not _when([t])]
    if not words:
        return None
    lex, head = ctx.lexicon, words[0][2]
    actor_first = ctx.actor_at(words[0][0]) is not None
    if not (actor_first or head in lex.org_words or head.removeprefix("ال") in lex.org_words
            or _bare(head) in lex.official_words or head.removeprefix("ال") in lex.outlet_words):
        return None
    phrase = ctx.norm[words[0][0]:words[-1][1]]
    named_before = ctx.named_before(words)
    attribution = named_before.attribution if named_before is not None else \
        _classify(ctx, [words], phrase, head, "", in_statement=True)
    statement = Statement(attribution, m.end(), words[0][0], words[-1][1], ctx.actors_between(words[0][0], words[-1][1]))
    ctx.history.append(statement)
    return statement


def before_a_colon(ctx: SourceContext, start: int, end: int) -> Statement | None:
    """«الجيش التشادي: مقتل أكثر من 300 متمرد»: a headline's source, named before a colon with no
    verb (an organisation, an office, a source or an outlet; «النيجر:» and «اقرأ أيضا:» are not)."""
    colon = ctx.norm.find(":", start, min(end, start + 80))
    if colon < 0 or end - colon < 12:
        return None
    words = [t for t in ctx.tokens(start, colon) if t[2] not in _QUOTE_MARKS]
    if not 1 <= len(words) <= 7 or not all(t[2].isalnum() for t in words):
        return None
    lex, head = ctx.lexicon, words[0][2].removeprefix("و")
    actor_first = ctx.actor_at(words[0][0]) is not None
    if head in lex.anaphora_sources or head in lex.speech_verbs or _bare(head) in lex.speech_verbs:
        return None     # «المصدر: وكالات»: the page's furniture
    if not (actor_first or head in lex.org_words or _bare(head) in lex.official_words
            or head.removeprefix("ال") in lex.outlet_words or head in lex.anonymous_heads):
        return None
    phrase = ctx.norm[words[0][0]:words[-1][1]]
    statement = Statement(_classify(ctx, [words], phrase, words[0][2], ""), colon + 1, words[0][0], words[-1][1],
                          ctx.actors_between(words[0][0], words[-1][1]))
    ctx.history.append(statement)
    return statement
