"""Article -> events: what happened or is present, where, who, when, and who says so.

The stages, each a small typed step:

1. :func:`geo.sentences.split_sentences`  sentences (quotes in «» stay whole) and clauses;
2. :func:`geo.attribution.find_attribution`  the speaker of each sentence, carried over
   to «وتابع:» and kept for the whole quotation;
3. cue lexicons (``data/lexicon/cues.json``) give each clause an event type, with
   negation (dropped), purpose (a planned attack is not an attack) and denial
   (kept, marked ``denied``);
4. actors (``data/lexicon/actors.json``), «القاعدة» the group told from a base;
5. the geoparser's Mentions give places, their roles (origin, destination, via,
   location) and the geometry: a line for a movement or a route, a point for a
   base, the mention's area for a presence;
6. :func:`geo.dates.resolve_date` the date and its precision.
"""

from __future__ import annotations

import hashlib
import re
import sys
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.attribution import SourceContext, Statement, find_article_outlet, find_attribution
from geo.dates import find_dates, find_report_date, resolve_date
from geo.errors import InputError
from geo.event_geometry import ROUTE_TYPES as _ROUTE_TYPES
from geo.event_geometry import Loc as _Loc
from geo.event_geometry import event_geometry
from geo.event_output import event_properties, events_to_geojson, main
from geo.event_scan import Scan as _Scan
from geo.event_scan import is_group as _is_group
from geo.event_scan import scan_report
from geo.event_scan import to_norm as _to_norm
from geo.event_scan import words_before as _words_before
from geo.lexicon import Lexicon, load_lexicon
from geo.models import Article, Attribution, Event, Mention, PlaceRole
from geo.normalize import original_span
from geo.sentences import Span, split_clauses, split_connectives, split_sentences

__all__ = ["extract_events", "events_to_geojson", "event_properties", "main", "split_sentences"]

_WORD = re.compile(r"\w+")
_PLACE_TYPES = frozenset({"movement", "base", "presence", "attack"})
_FROM = frozenset({"من", "منها", "منه"})
_TO = frozenset({"الي", "نحو", "باتجاه", "صوب", "حتي", "داخل", "لداخل", "ل"})
_VIA = frozenset({"عبر", "مرورا", "طول", "طريق", "خلال"})
_CITY_KINDS = frozenset({"city", "town", "village", "oasis", "neighbourhood"})
_LINE_KINDS = frozenset({"road", "infrastructure", "reservoir", "wellfield"})
# «قيل إنه قتل»: hearsay with no one behind it.
_HEARSAY = re.compile(r"(?<!\w)[وف]?(?:قيل|يقال)(?!\w)")
_ABSENCE = frozenset({"غياب", "لغياب", "انعدام"})
_READY = frozenset({"مستعدون", "مستعد", "مستعده"})
_SIGHT = ("را", "شاهد", "لاحظ")  # sight verbs: «رأى أن» is an opinion
# A piece that starts «بعد ...», «منذ ...» (not «بعد أن» + a verb) tells the background of the event before.
_BACKGROUND = re.compile(r"(?:بعد|قبل|منذ|عقب|اثر)\s+(?!ان\s)")
_FAMILY = {"attack": "attack", "movement": "route", "smuggling_route": "route", "route": "route", "smugglers": "route",
           "convoy": "route", "presence": "presence", "deploy": "presence", "base": "base", "other": "other"}
_QUOTE_TRIM = " \t\n،,؛;:.«»\"'()-"

@dataclass(slots=True)
class _Draft:
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


def _deploys(scan: _Scan, hit, sentence_end: int) -> bool:
    """«نشر» deploys when troops, vehicles or a number follow it; else it publishes («نشرت الخميس»)."""
    if hit.suffix:  # «بيان نشره», «نشرته»: something published
        return False
    objects = scan.lex.deploy_objects
    after = _WORD.findall(scan.norm, hit.end, min(sentence_end, hit.end + 70))[:7]
    return any(w in objects or (w[:1] in "وب" and w[1:] in objects)
               or (w.isdigit() and not (len(w) == 4 and w[:2] in ("19", "20"))) for w in after)


def _clause_words(scan: _Scan, cs: int, ce: int) -> set[str]:
    """The clause's words, with one proclitic و ف ب ل also taken off."""
    words = _WORD.findall(scan.norm, cs, ce)
    return set(words) | {w[1:] for w in words if w[:1] in "وفبل" and len(w) > 3}


def _by_force(scan: _Scan, cs: int, ce: int) -> bool:
    """A patrol, a convoy or a state force moves it: an escort or a supply run, not smuggling."""
    if _clause_words(scan, cs, ce) & scan.lex.force_words:
        return True
    info = scan.lex.actor_info
    return any(info[h.key].kind in ("state force", "militia", "foreign force")
               for h in scan.in_range(scan.actor_starts, scan.actors, cs, ce))


def _smuggled(scan: _Scan, cs: int, ce: int, sentence: tuple[int, int], cue) -> bool:
    """Whether a movement in ``norm[cs:ce]`` carries contraband.

    Contraband named in the clause; or named earlier in the sentence when the cue
    points back to it («تنقلها», «في طريقها»); arms and ammunition only beside a
    smuggling word; lorries or boats with no force aboard in a report about smuggling.
    """
    lex = scan.lex
    if _by_force(scan, cs, ce):
        return False
    cue_word = scan.norm[cue.start:cue.end + len(cue.suffix)]
    lookback = cue_word.endswith(("ها", "هم")) or cue.suffix in ("ه", "هم", "ها")
    goods = scan.in_range(scan.goods_starts, scan.goods, sentence[0] if lookback else cs, ce)
    if any(h.key == "contraband" for h in goods):
        return True
    if any(h.key in ("smugglers", "smuggling_route") for h in scan.in_range(scan.cue_starts, scan.cues, cs, ce)):
        return True
    if goods and (any(h.key == "smuggling_route" for h in scan.in_range(scan.cue_starts, scan.cues, *sentence))
                  or any(h.key == "smugglers" for h in scan.in_range(scan.actor_starts, scan.actors, *sentence))):
        return True
    return scan.smuggling_report and bool(_clause_words(scan, cs, ce) & lex.carriers) and \
        not any(lex.actor_info[h.key].kind != "smuggling network"
                for h in scan.in_range(scan.actor_starts, scan.actors, cs, ce))


def _clause_type(scan: _Scan, cs: int, ce: int, has_place: bool, sentence: tuple[int, int]) -> tuple[str | None, bool]:
    """The event type a clause's cues give, and whether it is a negated presence (a denial)."""
    lex, norm = scan.lex, scan.norm
    kinds: list[str] = []
    negated_presence = False
    hits = scan.in_range(scan.cue_starts, scan.cues, cs, ce)
    if not hits:
        return None, False
    has_movement = len(hits) > 1 and any(h.key == "movement" for h in hits)
    for hit in hits:
        key = hit.key
        word_start = hit.start - len(hit.prefix)
        before = _words_before(norm, word_start, cs, 6)
        if not lex.negation_forms.isdisjoint(before) and "ان" not in before[-2:]:
            # «لا وجود لقواتنا» denies a presence; «لا تتحرك» is no event at all.
            if key == "presence" and _ABSENCE.isdisjoint(before):
                negated_presence = True
                kinds.append("presence")
            continue
        if any(norm.startswith(f, hit.end + len(hit.suffix) + 1) for f in lex.not_after.get(key, ())):
            continue
        if key == "attack" and (hit.prefix in ("ل", "لل", "ول", "فل") and lex.exposure.isdisjoint(before[-5:])
                                or not lex.purpose.isdisjoint(before[-4:])
                                or not lex.temporal.isdisjoint(before[-3:])
                                or (has_movement and before and before[-1] in _FROM)):
            # «لشن هجمات» is a plan, «بعد الهجوم» a time, «الفارين من المعارك» the reason they left.
            continue
        if key == "presence" and norm.startswith(_SIGHT, hit.start) and \
                _WORD.findall(norm, hit.end + len(hit.suffix), hit.end + len(hit.suffix) + 8)[:1] \
                in (["ان"], ["انه"], ["انها"], ["انهم"], ["بان"]):
            continue  # «رأى أن»: an opinion, not a sighting
        if before and before[-1] in lex.not_before.get(key, ()):
            continue  # «مكافحة التهريب», «صراع المهربين»: a topic, not an event
        if key == "other" and not (lex.purpose.isdisjoint(before[-3:]) and _READY.isdisjoint(before[-3:])):
            continue  # «مستعدون للتنسيق»: an offer, not an event
        if key == "attack" and before and before[-1] in lex.attack_not_before:
            continue  # «وقف إطلاق النار»: a ceasefire
        if key == "base" and has_movement and any(w in _FROM or w in _TO or w == "في" for w in before[-2:]):
            # «انطلقت من مقر الكتيبة», «إلى المعسكر»: the base is where a movement starts or ends.
            continue
        if key == "deploy":
            if not _deploys(scan, hit, sentence[1]):
                continue
            key = "presence"
        kinds.append(key)
    if not kinds:
        return None, False
    ranked = sorted(set(kinds), key=lex.priority.index)
    if not has_place:
        # A place-bound cue with no place nearby («وشن هجمات») yields to a placeless one.
        placeless = [k for k in ranked if k not in _PLACE_TYPES and k not in ("route", "convoy", "smugglers")]
        if placeless:
            return placeless[0], negated_presence
    if ranked[0] == "smugglers":
        # Smugglers named: an event when they travel, are placed, or are dealt with («يتعاملون مع مهربي البشر»).
        words = _clause_words(scan, cs, ce)
        dealing = any(w.startswith(lex.smuggler_dealings) for w in words)
        own_place = bool(scan.in_range(scan.loc_starts, scan.locs, cs, ce))
        if not (dealing or own_place or len(ranked) > 1):
            return None, False
        ranked = ["smuggling_route"]
    ranked = [k for k in ranked if k != "smugglers"] or ranked
    kind = ranked[0]
    if kind in ("route", "convoy"):
        # A path word («شبكة الطرق الوعرة», «مسار») or a convoy with no verb of its own is a way travelled.
        kind = "movement"
        if _smuggled(scan, cs, ce, sentence, next(h for h in hits if h.key in ("route", "convoy"))):
            return "smuggling_route", False
        return "route", False
    cue = next((h for h in hits if h.key in ("movement", "route", "convoy")), None)
    if kind == "movement" and cue is not None and _smuggled(scan, cs, ce, sentence, cue):
        # Drugs, fuel or migrants on the move: a smuggling route, not a troop movement.
        kind = "smuggling_route"
    return kind, negated_presence and kind == "presence"


def _actors_in(scan: _Scan, cs: int, ce: int, skip: tuple[int, int]) -> list[str]:
    """Actor ids named in a clause, «التنظيم» resolved to the latest jihadist group."""
    out = [h.key for h in scan.in_range(scan.actor_starts, scan.actors, cs, ce)
           if not skip[0] <= h.start < skip[1]]
    for pos in scan.in_range(scan.anaphora_starts, scan.anaphora_starts, cs, ce):
        if not skip[0] <= pos < skip[1]:
            group = scan.last_group(pos)
            if group:
                out.append(group)
    return list(dict.fromkeys(out))


def _anaphora_locs(scan: _Scan, cs: int, ce: int) -> list[_Loc]:
    """«المدينة», «الأنابيب», «المنطقة»: the latest place of that kind before the clause."""
    for pos, kind in scan.in_range(scan.place_anaphora_starts, scan.place_anaphora, cs, ce):
        for loc in reversed(scan.locs[:bisect_left(scan.loc_starts, pos)]):
            if loc.mention.place is None:
                continue
            pk = loc.mention.place.kind
            if kind == "any" or (kind == "city" and pk in _CITY_KINDS) or (kind == "line" and pk in _LINE_KINDS):
                return [loc]
    return []


def _coordinated(scan: _Scan, locs: list[_Loc]) -> list[_Loc]:
    """The first place and those joined to it by «و» or a comma («في سبها وأوباري»)."""
    kept = [locs[0]]
    for loc in locs[1:]:
        gap = scan.norm[kept[-1].end:loc.start].strip()
        if gap not in ("", "و", "،", ",", "او"):
            break
        kept.append(loc)
    return kept


def _roles(scan: _Scan, draft: _Draft) -> dict[int, str]:
    """Each place's role in the event, from the words just before it."""
    roles: dict[int, str] = {}
    floor = draft.start
    for i, loc in enumerate(draft.locs):
        if i and scan.norm[draft.locs[i - 1].end:loc.start].strip() in ("و", "،", ",", "او"):
            roles[i] = roles[i - 1]  # «بين غدامس ودرج وسيناون», «نحو سبها والجفرة»: one list, one role
            floor = max(floor, loc.end)
            continue
        before = _words_before(scan.norm, loc.start, floor, 5)
        q = loc.mention.qualifier
        role = "location"
        if draft.type in _ROUTE_TYPES:
            if q == "along" or any(w in _VIA for w in before[-3:]):
                role = "via"
            elif any(w in _FROM for w in before):
                role = "origin"
            elif any(w in _TO for w in before[-3:]) or scan.norm.startswith("داخل", loc.start):
                role = "destination"
            elif q == "between" or before[-1:] in (["في"], ["بين"]) or scan.norm.startswith(("في ", "بين "), loc.start):
                role = "location"  # «تتحرك بين غدامس ودرج», «تحركات في المنطقة»: moving about in one area
            else:
                role = "via"
        roles[i] = role
        floor = max(floor, loc.end)
    return roles


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
                if family is not None and f != family and cut > a and (
                        (h.prefix.startswith("و") and h.key in ("attack", "movement", "smuggling_route"))
                        or (h.prefix.startswith("ل") and h.key == "smuggling_route")):
                    out.append((a, cut, k > 0 or a > cs))
                    a = cut
                family = f
            out.append((a, b, k > 0 or a > cs))
    return out


def _drafts(scan: _Scan, article: Article) -> list[_Draft]:
    """Walk the sentences: attribution, clauses, types, actors and places."""
    lex, norm, text = scan.lex, scan.norm, scan.text
    ctx = SourceContext(text, norm, scan.offsets, lex, actor_hits=scan.actors, actor_starts=scan.actor_starts,
                        words=scan.words)
    ctx.article_outlet = find_article_outlet(ctx)
    ctx.publisher = article.outlet
    voice = Attribution(speaker="", source_type="outlet", cited_outlet=ctx.article_outlet)
    spans = split_sentences(text)
    drafts: list[_Draft] = []
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
    return drafts


def _part_drafts(scan: _Scan, ctx: SourceContext, voice: Attribution, si: int, paragraph: int,
                 ns: int, ne: int) -> list[_Draft]:
    """The drafts of one sentence (or one aside of it)."""
    lex, norm = scan.lex, scan.norm
    statement = find_attribution(ctx, ns, ne)
    if statement is not None and not statement.hedged:
        ctx.last = statement
    attribution = statement.attribution if statement else voice
    content = statement.content_start if statement else ns
    skip = (statement.speaker_start, statement.speaker_end) if statement else (0, 0)
    pieces = _pieces(scan, content, ne)
    denied = _denied_clauses(scan, [(a, b) for a, b, _ in pieces], ns, ne)
    sentence_has_place = any(not skip[0] <= loc.start < skip[1]
                             for loc in scan.in_range(scan.loc_starts, scan.locs, ns, ne))
    hedge = _HEARSAY.search(norm, content, ne)
    hedge_from = hedge.start() if hedge else None
    out: list[_Draft] = []
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
        if kind is None:
            if prev is not None and (joined or (locs and not prev.locs)):
                # A piece with no event of its own tells where or when the one before happened.
                prev.end = ce
                if not prev.locs:
                    prev.locs.extend(locs)
            if actors:
                subject, subject_from = actors, cs
            continue
        if kind in ("movement", "route") and _clause_words(scan, cs, ce) & lex.casualty_words:
            continue  # «نقل الجرحى إلى مستشفى»: no troop movement
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
        if joined and prev is not None and _FAMILY[kind] == _FAMILY[prev.type] and ci - 1 not in denied:
            # «تمر عبر بورسعيد قبل وصولها إلى ...»: the same event told on.
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
        draft = _Draft(kind, start, ce, si, paragraph, statement, attr, actors, locs,
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
    return out


def _complete(scan: _Scan, drafts: list[_Draft]) -> list[_Draft]:
    """Fill places and actors from context, join origins to destinations, drop what cannot stand."""
    lex = scan.lex
    previous: _Draft | None = None
    for i, d in enumerate(drafts):
        same_statement = previous is not None and previous.paragraph == d.paragraph and \
            previous.attribution == d.attribution
        if not d.locs:
            if previous is not None and previous.sentence == d.sentence and previous.locs and d.coordinated:
                d.locs = list(previous.locs)
                d.inherited = True
            else:
                # «قطعوا المياه في بعض الأنابيب، لاستخدامها في التنقل»: the place word may sit
                # earlier in the sentence than the clause with the cue.
                d.locs = _anaphora_locs(scan, d.start, d.end) or _anaphora_locs(scan, d.sentence_start, d.start)
                d.inherited = bool(d.locs)
        if not d.locs and d.type in _PLACE_TYPES:
            # «شهدت مدينة الزاوية ... اشتباكات»: the scene named earlier in the sentence.
            skip = (d.statement.speaker_start, d.statement.speaker_end) if d.statement else (0, 0)
            earlier = [loc for loc in scan.in_range(scan.loc_starts, scan.locs, d.sentence_start, d.start)
                       if not skip[0] <= loc.start < skip[1]]
            d.locs = earlier[-1:]
            d.inherited = bool(d.locs)
        if not any(_is_group(lex, a) for a in d.actors):
            if d.type == "base" and d.statement is not None and d.statement.org_actors:
                d.actors = list(d.statement.org_actors) + d.actors
            elif previous is not None and (previous.sentence == d.sentence or same_statement):
                carried = [a for a in previous.actors if _is_group(lex, a)]
                d.actors = list(dict.fromkeys(carried + d.actors))
        if not d.locs and d.type in ("other", "smuggling_route") and same_statement and previous.locs:
            d.locs = [loc for loc in previous.locs if loc.mention.precision == 3][:1] or previous.locs[:1]
            d.inherited = bool(d.locs)
        if d.type not in _ROUTE_TYPES and len(d.locs) > 1:
            d.locs = _coordinated(scan, d.locs)
        d.roles = _roles(scan, d)
        if d.type == "movement" and not d.weak and d.roles and all(r == "location" for r in d.roles.values()):
            # Moving about inside one area, with no origin, way or destination, is being there.
            d.type = "presence"
        if d.type in _ROUTE_TYPES and "origin" not in d.roles.values() and "destination" in d.roles.values() \
                and previous is not None and previous.sentence == d.sentence and previous.locs \
                and previous.type != "other":
            d.locs = [previous.locs[0], *d.locs]
            d.roles = {0: "origin"} | {k + 1: r for k, r in d.roles.items()}
        previous = d
    # An origin with no destination: the place the same sentence (or the next one, same speaker)
    # puts them in is where they went («شاهدوا ... داخل المدينة، عقب فرارهم من سرت»).
    for i, d in enumerate(drafts):
        if d.type != "movement" or "destination" in d.roles.values() or "origin" not in d.roles.values():
            continue
        origins = [loc for j, loc in enumerate(d.locs) if d.roles[j] == "origin"]
        others = [o for o in drafts if o is not d and o.locs and not o.absorbed and o.type != "other"
                  and (o.sentence == d.sentence or (o.sentence == d.sentence + 1 and o.paragraph == d.paragraph
                                                    and o.attribution == d.attribution))]
        others.sort(key=lambda o: (o.type != "presence", o.sentence != d.sentence, abs(o.start - d.start)))
        if not others:
            continue
        target = others[0]
        dest = next((loc for loc in target.locs if loc not in origins), None)
        if dest is None:
            continue
        d.locs = origins + [dest]
        d.roles = {k: "origin" for k in range(len(origins))} | {len(origins): "destination"}
        if target.type == "presence" and target.sentence == d.sentence:
            # Seen there after fleeing: both stand (where they are now, and the way they came).
            d.actors = list(dict.fromkeys(target.actors + d.actors))
    kept = [d for d in drafts if not d.absorbed and (d.locs or d.type == "other")]
    kept = [d for d in kept if d.type not in _PLACE_TYPES or d.locs]
    # Several statements of one cooperation in a paragraph are one event.
    merged: list[_Draft] = []
    for d in kept:
        last = merged[-1] if merged else None
        if last is not None and d.type == "other" and last.type == "other" and last.paragraph == d.paragraph \
                and last.attribution == d.attribution:
            last.end = max(last.end, d.end)
            last.actors = list(dict.fromkeys(last.actors + d.actors))
            if not last.locs:
                last.locs, last.roles = d.locs, d.roles
            continue
        merged.append(d)
    return merged


def _confidence(d: _Draft) -> float:
    score = 0.55
    if any(True for _ in d.actors):
        score += 0.15
    precisions = [loc.mention.precision or 3 for loc in d.locs]
    if precisions and min(precisions) <= 2:
        score += 0.1
    if d.inherited:
        score -= 0.15
    if d.hedged or d.attribution.source_type == "anonymous":
        score -= 0.1
    if d.type == "other":
        score -= 0.1
    return round(min(0.95, max(0.1, score)), 2)


def extract_events(article: Article, *, mentions: Sequence[Mention] | None = None, gazetteer=None,
                   lexicon: Lexicon | None = None) -> list[Event]:
    """Turn one report into the events it reports.

    Parameters
    ----------
    article : Article
        The report; ``published``, ``outlet`` and ``url`` feed the dates and the attribution.
    mentions : sequence of Mention, optional
        The places in ``article.text``; found with :func:`geo.geoparse.find_places` when None.
    gazetteer : Gazetteer, optional
        Passed to the geoparser when ``mentions`` is None.
    lexicon : Lexicon, optional
        The cue, actor and attribution lists (``data/lexicon`` by default).

    Returns
    -------
    list of Event
        In text order; empty for an empty text. Denied claims are kept with ``denied=True``.

    Raises
    ------
    InputError
        When ``article`` is not an Article.

    Examples
    --------
    >>> events = extract_events(Article(id="a1", text="قال أحد السكان إن عناصر داعش شوهدوا في سرت."))
    >>> events[0].type, events[0].attribution.source_type
    ('presence', 'witnesses/residents')
    """
    if not isinstance(article, Article):
        raise InputError(f"extract_events expects an Article, got {type(article).__name__}")
    text = article.text
    if not text or not text.strip():
        return []
    lex = lexicon or load_lexicon()
    if mentions is None:
        from geo.geoparse import find_places
        mentions = find_places(text, gazetteer=gazetteer)
    scan = scan_report(text, mentions, lex)
    drafts = _complete(scan, _drafts(scan, article))
    dates = find_dates(scan.norm, published=article.published)
    report_date = find_report_date(scan.norm, dates)
    events: list[Event] = []
    seen: set[str] = set()
    for d in drafts:
        qs, qe = original_span(text, scan.offsets, d.start, d.end)
        while qs < qe and text[qs] in _QUOTE_TRIM:
            qs += 1
        while qe > qs and text[qe - 1] in _QUOTE_TRIM:
            qe -= 1
        event_id = hashlib.sha256(f"{article.id}:{qs}:{qe}:{d.type}".encode()).hexdigest()[:16]
        if event_id in seen:
            continue
        seen.add(event_id)
        geometry, precision = event_geometry(d.type, d.locs, d.roles)
        date, date_precision = resolve_date(dates, d.start, d.end, published=article.published,
                                            report_date=report_date)
        if date is None:
            date_precision = "reported"
        places = tuple(
            PlaceRole(role=d.roles.get(i, "location"),
                      place_id=loc.mention.place.id if loc.mention.place else None,
                      name=text[loc.mention.start:loc.mention.end], precision=loc.mention.precision,
                      start=loc.mention.phrase_start if loc.mention.phrase_start is not None else loc.mention.start,
                      end=loc.mention.phrase_end if loc.mention.phrase_end is not None else loc.mention.end,
                      qualifier=loc.mention.qualifier)
            for i, loc in enumerate(d.locs))
        a = d.attribution
        attribution = Attribution(a.speaker, a.speaker_role, a.source_type, a.cited_outlet, article.outlet,
                                  article.url)
        events.append(Event(
            id=event_id, article_id=article.id, type=d.type, geometry=geometry, geo_precision=precision,
            event_date=date, date_precision=date_precision, attribution=attribution,
            quote=text[qs:qe], quote_start=qs, quote_end=qe, actors=tuple(d.actors), places=places,
            denied=d.denied, confidence=_confidence(d),
            note="place taken from context" if d.inherited else ""))
    return events


if __name__ == "__main__":
    sys.exit(main())
