"""Sentences -> drafts: each clause's type, speaker, actors and places, before context fills them.

A sentence is cut before a «فيما قال ...» aside (a second speaker), then into
clauses, then before connectives of time and before a «و» that starts another kind
of event. Pieces with no event of their own tell where or when the one before happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.events.context import SourceContext, Statement
from geo.events.attribution import find_article_outlet, find_attribution
from geo.events.geometry import ROUTE_TYPES as _ROUTE_TYPES
from geo.events.geometry import Loc as _Loc
from geo.events.scan import Scan as _Scan
from geo.events.scan import is_group as _is_group
from geo.events.scan import to_norm as _to_norm
from geo.events.scan import words_before as _words_before
from geo.events.clauses import actors_in as _actors_in
from geo.events.clauses import clause_type as _clause_type
from geo.events.clauses import clause_words as _clause_words
from geo.events.modality import BACK_STORY, HABITUAL
from geo.models import Article, Attribution
from geo.text.sentences import Span, split_clauses, split_connectives, split_sentences

_WORD = re.compile(r"\w+")
# a sentence opening on a verb of opinion («ويرى الخبير أن»، «واعتبر المحلل أن») (normalized)
_OPINION = re.compile(r"\s*[وف]?(?:يري|تري|يعتقد|تعتقد|يعتبر|تعتبر|راي|رات|اعتبر|اعتبرت|يرون|يعتقدون)\s")
# «قيل إنه قتل»: hearsay with no one behind it.
_HEARSAY = re.compile(r"(?<!\w)[وف]?(?:قيل|يقال)(?!\w)")
# A piece that starts «بعد ...», «منذ ...» (not «بعد أن» + a verb) tells the background of the event before.
_BACKGROUND = re.compile(r"(?:بعد|قبل|منذ|عقب|اثر)\s+(?!ان\s)")
_DESPITE = re.compile(r"(?<!\w)و?(?:الرغم|بالرغم|رغم)(?!\w)")   # «على الرغم من», «رغم»
_IN_IT = frozenset({"في", "خلال", "جراء"})   # «قتل عشرة، في كمين ...»: the act the toll was taken in
_ANOTHER = frozenset({"واخري", "واخر", "وثانيه", "وثالثه"})  # normalized «وأخرى», «وآخر»
_CONTRAST = re.compile(r"(?<!\w)(?:فيما|بينما)\s+$")
_FAMILY = {"attack": "attack", "movement": "route", "smuggling_route": "route", "route": "route", "smugglers": "route",
           "convoy": "route", "presence": "presence", "deploy": "presence", "send": "route", "base": "base", "other": "other",
           "seizure": "attack", "boat": "route", "neutralise": "attack", "found": "route", "takeover": "presence"}


@dataclass(slots=True)
class Draft:
    """An event being assembled from one or more clauses of a sentence."""

    type: str
    start: int
    end: int
    sentence: int
    paragraph: int
    statement: Statement | None
    attribution: Attribution
    actors: list[str]
    locs: list[_Loc]
    roles: dict[int, str] = field(default_factory=dict)
    denied: bool = False
    inherited: bool = False
    hedged: bool = False
    coordinated: bool = False
    absorbed: bool = False
    sentence_start: int = 0
    weak: bool = False


def _denied_clauses(scan: _Scan, clauses: list[tuple[int, int]], start: int, end: int) -> set[int]:
    """Indexes of clauses a denial covers: those after «نفت», those before «وهو ما نفاه»."""
    out: set[int] = set()
    for hit in scan.denials:
        if not start <= hit.start < end:
            continue
        word = scan.norm[hit.start - len(hit.prefix):hit.end + len(hit.suffix)]
        before = _words_before(scan.norm, hit.start - len(hit.prefix), start, 2)
        backwards = word.endswith(("ه", "ها")) and ("ما" in before or "الذي" in before)
        for i, (cs, ce) in enumerate(clauses):
            if backwards and ce <= hit.start:
                out.add(i)
            elif not backwards and ce > hit.start and not word.startswith("نفي"):
                out.add(i)
            elif not backwards and word.startswith("نفي") and cs >= hit.start:
                out.add(i)
    return out


def _titles(text: str, spans: list[Span]) -> set[int]:
    """Indexes of headline lines: short, no closing punctuation, before the first real paragraph."""
    out: set[int] = set()
    for i, span in enumerate(spans):
        chunk = text[span.start:span.end]
        words = chunk.count(" ") + 1
        if words >= 15:
            break
        if chunk[-1:] not in ".!?؟»":
            out.add(i)
    else:
        return set()  # no real paragraph: every line is content
    return out


def _parts(scan: _Scan, ns: int, ne: int) -> list[tuple[int, int]]:
    """A sentence cut before each «فيما قال ...» aside: a second speaker inside one sentence."""
    cuts = [m.start() for m in scan.lex.aside_re.finditer(scan.norm, ns, ne) if m.start() > ns + 10]
    bounds = [ns, *cuts, ne]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _pieces(scan: _Scan, content: int, ne: int) -> list[tuple[int, int, bool]]:
    """Clauses, cut again at connectives of time and before a «و» that starts another kind of event
    («قتل تسعة وفرّ الباقون»); the flag marks a piece that is not a whole clause."""
    out = []
    for cs, ce in split_clauses(scan.norm, content, ne):
        for k, (a, b) in enumerate(split_connectives(scan.norm, cs, ce)):
            family = None
            for h in scan.in_range(scan.cue_starts, scan.cues, a, b):
                f = _FAMILY[h.key]
                cut = h.start - len(h.prefix)
                # «وفرّ الباقون», and «قاعدة خلفية لتهريب البشر من النيجر»: a second event in one clause.
                contrast = _CONTRAST.search(scan.norm, max(a, cut - 8), cut) if family is not None else None
                if contrast is not None and f != family and contrast.start() > a:
                    # «قُتل أربعة منهم فيما فرّ الباقون»: «فيما/بينما» opens a second event.
                    cut = contrast.start()
                if family is not None and f != family and cut > a and (
                        (h.prefix.startswith("و") and h.key in ("attack", "movement", "smuggling_route"))
                        or (h.prefix.startswith("ل") and h.key == "smuggling_route") or contrast is not None):
                    out.append((a, cut, k > 0 or a > cs))
                    a = cut
                family = f
            out.append((a, b, k > 0 or a > cs))
    return out


def drafts_of(scan: _Scan, article: Article) -> list[Draft]:
    """Walk the sentences: attribution, clauses, types, actors and places."""
    lex, norm, text = scan.lex, scan.norm, scan.text
    ctx = SourceContext(text, norm, scan.offsets, lex, actor_hits=scan.actors, actor_starts=scan.actor_starts)
    ctx.article_outlet = find_article_outlet(ctx, outlet_hits=scan.outlets)
    ctx.publisher = article.outlet
    voice = Attribution(speaker="", source_type="outlet", cited_outlet=ctx.article_outlet)
    spans = split_sentences(text)
    drafts: list[Draft] = []
    seen_titles: set[str] = set()
    titles = _titles(text, spans)
    si = -1
    for n, span in enumerate(spans):
        if n in titles:
            continue
        sent_s, sent_e = _to_norm(scan.offsets, span.start), _to_norm(scan.offsets, span.end)
        key = norm[sent_s:sent_e]
        if key in seen_titles:
            continue
        seen_titles.add(key)
        for ns, ne in _parts(scan, sent_s, sent_e):
            si += 1
            drafts.extend(_part_drafts(scan, ctx, voice, si, span.paragraph, ns, ne))
    _lead_sources(drafts, ctx.history, voice)
    return drafts


# How far after a lead claim its source may be named («شنت مقاتلات غارات على صبراتة. ونقلت
# شبكة CNN عن مسؤول أمريكي أن ...»): the report's next sentence or two.
_LEAD_REACH = 320
# The lead: the report's first sentences (later ones in the outlet's voice are its background).
_LEAD_SENTENCES = 4


def _lead_sources(drafts: list[Draft], statements: list[Statement], voice: Attribution) -> None:
    """A claim of the report's opening told in the outlet's voice takes the source named right
    after it: wire copy states the news first and says who said it next."""
    named = [st for st in statements if st.attribution.speaker or st.attribution.source_type != "outlet"]
    for d in drafts:
        if d.sentence >= _LEAD_SENTENCES or d.attribution != voice:
            continue
        after = next((st for st in named if d.end <= st.speaker_start <= d.end + _LEAD_REACH), None)
        if after is not None:
            d.attribution = after.attribution


# How far after the speaker's words such a sentence may begin (characters)
_TOLD_ON = 200


def _part_drafts(scan: _Scan, ctx: SourceContext, voice: Attribution, si: int, paragraph: int,
                 ns: int, ne: int) -> list[Draft]:
    """The drafts of one sentence (or one aside of it)."""
    lex, norm = scan.lex, scan.norm
    statement = find_attribution(ctx, ns, ne)
    if statement is not None and not statement.hedged:
        ctx.last = statement
    attribution = statement.attribution if statement else voice
    if statement is not None:
        ctx.last_part = si
    elif ctx.last is not None and not ctx.last.hedged and ctx.last_part == si - 1 \
            and 0 <= ns - ctx.last.speaker_end <= _TOLD_ON and not BACK_STORY.match(norm, ns) \
            and not HABITUAL.search(norm, ns, ne):
        # the sentence right after a statement, with no verb of its own, goes on telling it
        # («وقال المصدر إن ... . وتمركزت القوات بعد ذلك في ...»)
        attribution = ctx.last.attribution
    content = statement.content_start if statement else ns
    skip = (statement.speaker_start, statement.speaker_end) if statement else (0, 0)
    pieces = _pieces(scan, content, ne)
    denied = _denied_clauses(scan, [(a, b) for a, b, _ in pieces], ns, ne)
    sentence_has_place = any(not skip[0] <= loc.start < skip[1]
                             for loc in scan.in_range(scan.loc_starts, scan.locs, ns, ne))
    opinion = statement is not None and not statement.hedged and _OPINION.match(norm, ns) is not None
    hedge = _HEARSAY.search(norm, content, ne)
    hedge_from = hedge.start() if hedge else None
    out: list[Draft] = []
    subject: list[str] = []  # who a clause with no event names, for the next one («... ويقود بقايا داعش»)
    subject_from: int | None = None
    for ci, (cs, ce, joined) in enumerate(pieces):
        locs = [loc for loc in scan.in_range(scan.loc_starts, scan.locs, cs, ce)
                if not skip[0] <= loc.start < skip[1]]
        kind, negated = _clause_type(scan, cs, ce, bool(locs) or sentence_has_place, (content, ne))
        weak = kind == "route"  # a path or a convoy word, no verb of movement
        actors = _actors_in(scan, cs, ce, skip)
        first_word = _WORD.search(norm, cs, ce)
        first = first_word.group() if first_word else ""
        prev = out[-1] if out else None
        if prev is not None and prev.type in _ROUTE_TYPES and first in lex.route_continuations \
                and kind in (None, "movement", "smuggling_route", "route"):
            # «مروراً بالشويرف، وصولاً إلى صبراتة»: the same route goes on.
            prev.end = ce
            prev.locs.extend(loc for loc in locs if loc not in prev.locs)
            continue
        if kind is None and prev is not None and locs and first in _ANOTHER and prev.locs \
                and not any(loc in prev.locs for loc in locs):
            # «أنشأنا نقطة تمركز قرب أجدابيا، وأخرى جنوب البريقة»: the same kind of event, elided, at a new place.
            twin = Draft(prev.type, cs, ce, si, paragraph, prev.statement, prev.attribution, list(prev.actors),
                         locs, denied=prev.denied, hedged=prev.hedged, coordinated=True)
            twin.sentence_start = content
            out.append(twin)
            continue
        if kind is None:
            if prev is not None and (joined or (locs and not prev.locs)):
                # A piece with no event of its own tells where or when the one before happened
                # (but «على الرغم من اتفاق رعته إيطاليا» is not where the fighting was).
                prev.end = ce
                if not prev.locs and not _DESPITE.search(norm, max(0, cs - 14), cs + 12):
                    prev.locs.extend(locs)
            if actors:
                subject, subject_from = actors, cs
            continue
        if kind in ("movement", "route") and _clause_words(scan, cs, ce) & lex.casualty_words:
            continue  # «نقل الجرحى إلى مستشفى»: no troop movement
        if opinion and kind in ("attack", "movement"):
            continue  # «ويرى الخبير أن المواجهات ... متكررة»: an analyst's view, no incident told (a presence or a route he describes stays)
        if prev is not None and joined and _BACKGROUND.match(norm, cs) and not locs:
            # «بعد تلقي بلاغات عن تمركز ...»: background to the event before, not one of its own.
            prev.end = ce
            continue
        if prev is not None and prev.type in _ROUTE_TYPES and kind in ("movement", "route") and first.startswith("و") \
                and not any(_is_group(lex, a) for a in actors):
            # «يخرج من محيط القاعدة ... ويسلك الطريق المؤدي إلى سوكنة»: the same convoy goes on.
            prev.end = ce
            prev.locs.extend(loc for loc in locs if loc not in prev.locs)
            continue
        if prev is not None and (joined or first in _IN_IT and kind == "attack" == prev.type) \
                and _FAMILY[kind] == _FAMILY[prev.type] and ci - 1 not in denied:
            # «تمر عبر بورسعيد قبل وصولها إلى ...»: the same event told on; «قُتل عشرة جنود، في
            # كمين نُصب لهم بمنطقة غيري»: how they were killed, and where.
            prev.end = ce
            prev.locs.extend(loc for loc in locs if loc not in prev.locs)
            prev.actors = list(dict.fromkeys(prev.actors + actors))
            continue
        attr = attribution
        if hedge_from is not None and cs >= hedge_from - 8:
            attr = Attribution(speaker="", source_type="anonymous", cited_outlet=ctx.article_outlet)
        coordinated = first.startswith("و")
        start = cs
        if subject and (coordinated or not any(_is_group(lex, a) for a in actors)):
            # The subject named just before: a person leading («ويقود»), a group acting («لاستخدامها»).
            actors = list(dict.fromkeys(actors + subject))
            if not coordinated and subject_from is not None:
                start = subject_from
        subject, subject_from = [], None
        draft = Draft(kind, start, ce, si, paragraph, statement, attr, actors, locs,
                       denied=ci in denied or negated, hedged=bool(statement and statement.hedged),
                       coordinated=coordinated)
        draft.sentence_start = content
        draft.weak = weak
        if weak:
            draft.type = kind = "movement"
        if prev is not None and prev.type == kind and (not locs or locs == prev.locs) and prev.denied == draft.denied:
            prev.end = ce
            prev.actors = list(dict.fromkeys(prev.actors + actors))
            continue
        out.append(draft)
        stationed = _stationed_at_target(scan, cs, ce) if kind == "attack" and locs else None
        if stationed is not None:
            # «استهدفت موقعا يتمركز فيه عناصر من القاعدة قرب أوباري»: the target tells who holds it
            twin = Draft("presence", stationed, ce, si, paragraph, statement, attr, list(actors), list(locs),
                         denied=draft.denied, hedged=draft.hedged)
            twin.sentence_start = content
            out.append(twin)
    return out


def _stationed_at_target(scan: _Scan, cs: int, ce: int) -> int | None:
    """Where a present-tense presence verb after the attack's own cue starts («يتمركز»,
    «يتحصنون»), or None."""
    hits = scan.in_range(scan.cue_starts, scan.cues, cs, ce)
    attack_at = next((h.start for h in hits if _FAMILY[h.key] == "attack"), None)
    if attack_at is None:
        return None
    return next((h.start - len(h.prefix) for h in hits if h.start > attack_at and _FAMILY[h.key] == "presence"
                 and not h.prefix and scan.norm[h.start:h.start + 1] in "يت"), None)
