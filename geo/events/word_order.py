"""Speakers out of the usual order of a report's sentence: named first, then «ف» and the verb
(«أما المتحدث باسم الجيش فقال إن ...»), and an accuser named before the accused («اتهم الجيش
المتمردين بأنهم ...»). Readers for :mod:`geo.events.attribution`."""

from __future__ import annotations

from geo.events.context import COMMA as _COMMA
from geo.events.context import QUOTE_MARKS as _QUOTE_MARKS
from geo.events.context import SourceContext, Statement
from geo.events.source_kinds import THAT as _THAT
from geo.events.source_kinds import bare as _bare
from geo.events.source_kinds import classify as _classify



AS_FOR = frozenset({"اما", "واما"})


def topic_first(ctx: SourceContext, start: int, end: int) -> Statement | None:
    """«أما المتحدث باسم الجيش، الجنرال ...، فحدّد ...», «أما المصادر القريبة من السكان فتحدثت
    عن ...»: the speaker named first, then «ف» and the verb of saying; None when no such verb
    follows within a few words (the sentence is the outlet's)."""
    toks = ctx.tokens(start, min(end, start + 240))
    lex = ctx.lexicon
    verb = next((k for k, t in enumerate(toks[2:16], start=2) if t[2].startswith("ف")
                 and (_bare(t[2][1:]) in lex.speech_verbs or t[2][1:] in lex.speech_verbs
                      or _bare(t[2][1:]) in lex.about_verbs)), None)
    if verb is None:
        return None
    content = next((t[1] for t in toks[verb + 1:verb + 4] if t[2] in _THAT or t[2] in (":", "عن")), toks[verb][1])
    segments: list[list[tuple[int, int, str]]] = [[]]
    for t in toks[1:verb]:
        if t[2] in _COMMA:
            segments.append([])
        elif t[2] not in _QUOTE_MARKS:
            segments[-1].append(t)
    segments = [s for s in segments if s]
    if not segments:
        return None
    phrase = ctx.norm[segments[0][0][0]:segments[-1][-1][1]]
    attribution = _classify(ctx, segments, phrase, segments[0][0][2], "")
    statement = Statement(attribution, content, segments[0][0][0], segments[-1][-1][1],
                          ctx.actors_between(segments[0][0][0], segments[-1][-1][1]))
    ctx.history.append(statement)
    return statement


def accuser(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The accuser's words before the accused: a noun with what it is in construct with («حكومة
    الوفاق»، «المتحدث باسم الجيش») and its adjectives («الجيش الوطني الليبي»); a definite noun
    after that is the accused («الجيش المتمردين»)."""
    out, i = list(words[:1]), 1
    if out and not out[0][2].startswith("ال") and i < len(words):
        out.append(words[i])     # «حكومة الوفاق»: in construct
        i += 1
    if i < len(words) and words[i][2] == "باسم" and i + 1 < len(words):
        out += words[i:i + 2]    # «المتحدث باسم الجيش»
        i += 2
    while i < len(words) and words[i][2].startswith("ال") and words[i][2].endswith(("ي", "يه")):
        out.append(words[i])     # «التشادي»: an adjective
        i += 1
    return out
