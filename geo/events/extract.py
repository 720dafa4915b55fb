"""Article -> events: what happened or is present, where, who, when, and who says so.

The stages, each a small typed step:

1. :func:`geo.text.sentences.split_sentences`  sentences (quotes in «» stay whole) and clauses;
2. :func:`geo.events.attribution.find_attribution`  the speaker of each sentence, carried over
   to «وتابع:» and kept for the whole quotation;
3. cue lexicons (``data/lexicon/cues.json``) give each clause an event type, with
   negation (dropped), purpose (a planned attack is not an attack) and denial
   (kept, marked ``denied``);
4. actors (``data/lexicon/actors.json``), «القاعدة» the group told from a base;
5. the geoparser's Mentions give places, their roles (origin, destination, via,
   location) and the geometry: a line for a movement or a route, a point for a
   base, the mention's area for a presence;
6. :func:`geo.text.dates.resolve_date` the date and its precision.
"""

from __future__ import annotations

import dataclasses

import hashlib
import re
from bisect import bisect_left
from collections.abc import Sequence

from geo.text.dates import find_dates, find_report_date, resolve_date
from geo.errors import InputError
from geo.events.drafts import Draft as _Draft
from geo.events.drafts import drafts_of
from geo.events.geometry import ROUTE_TYPES as _ROUTE_TYPES
from geo.events.geometry import Loc as _Loc
from geo.events.geometry import event_geometry
from geo.events.modality import counts_overlap, link_repeats, modality_of, sub_type_of
from geo.events.owners import with_counts
from geo.events.scan import Scan as _Scan
from geo.events.scan import is_group as _is_group
from geo.events.scan import scan_report
from geo.events.scan import words_before as _words_before
from geo.events.clauses import FROM_WORDS as _FROM
from geo.events.clauses import PLACE_TYPES as _PLACE_TYPES
from geo.events.clauses import TO_WORDS as _TO
from geo.events.clauses import deports
from geo.text.lexicon import Lexicon, load_lexicon, outlet_name
from geo.models import Article, Attribution, Event, Mention, PlaceRole
from geo.text.normalize import normalize, original_span

_VIA = frozenset({"عبر", "مرورا", "طول", "طريق", "خلال"})
_ACROSS = re.compile(r"(?<!\w)[وف]?(?:عبر|تعبر|يعبر|يعبرون|عبروا|عبور|تجتاز|يجتاز|اجتاز|اجتازوا|يتسلل|تتسلل|تسلل|تسللوا)"
                     r"(?:\s+\S+){0,1}\s+(?:ال)?حدود(?!\w)")    # normalized
# entering a place names it as the object, with no «إلى»: «دخلت القوات مدينة سبها», «من دخول سرت» (normalized)
_ENTERING = frozenset(normalize(w) for w in (
    "دخل دخلت دخلوا يدخل يدخلون دخول بدخول لدخول ودخلت ودخلوا ودخل اقتحم اقتحمت اقتحموا اقتحام باقتحام "
    "لاقتحام بلغ بلغت بلغوا بلوغ لبلوغ").split())
_CITY_KINDS = frozenset({"city", "town", "village", "oasis", "neighbourhood"})
_LINE_KINDS = frozenset({"road", "infrastructure", "reservoir", "wellfield"})
_SCENE = 200   # characters before a sentence in which its scene is named
_QUOTE_TRIM = " \t\n،,؛;:.«»\"'()-"


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
            # the nearest of «من» and «إلى» is the place's: «عدد من المسلحين إلى سبها» goes to سبها
            came = max((k for k, w in enumerate(before) if w in _FROM), default=-1)
            went = max((k for k, w in enumerate(before) if w in _TO and k >= len(before) - 3), default=-1)
            entered = max((k for k, w in enumerate(before) if w in _ENTERING), default=-1)
            if q == "along" or any(w in _VIA for w in before[-3:]):
                role = "via"
            elif entered > max(came, went) and "في" not in before[entered:] and "origin" not in roles.values():
                role = "destination"    # (on a journey from somewhere, a land entered is a way through)
            elif came > went and not ("في" in before[came:] and scan.in_range(
                    scan.goods_starts, scan.goods, max(floor, loc.start - 40), loc.start)):
                role = "origin"     # (not «ضبط طنين من الحشيش في ميناء مصراتة»: where, after the goods)
            elif went >= 0 or scan.norm.startswith("داخل", loc.start):
                role = "destination"
            elif q == "between" or before[-1:] in (["في"], ["بين"]) or scan.norm.startswith(("في ", "بين "), loc.start):
                role = "location"  # «تتحرك بين غدامس ودرج», «تحركات في المنطقة»: moving about in one area
            else:
                role = "via"
        roles[i] = role
        floor = max(floor, loc.end)
    return roles


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
        if not d.locs and d.type in ("attack", "presence", "base"):
            # «شهدت مدينة الزاوية ... اشتباكات»: the scene named earlier in the sentence.
            skip = (d.statement.speaker_start, d.statement.speaker_end) if d.statement else (0, 0)
            # (up to the draft's end: its start may have moved back to the subject, over a place
            # told in an aside between them, «تخوض وحدات، دفع بها إلى تيبستي، معارك ...»)
            earlier = [loc for loc in scan.in_range(scan.loc_starts, scan.locs, d.sentence_start, d.end)
                       if not skip[0] <= loc.start < skip[1]]
            d.locs = earlier[-1:]
            d.inherited = bool(d.locs)
        if not d.locs and d.type == "attack" and not any(o.type == "attack" and o.locs for o in drafts[:i]):
            # «تشهد مدينة سبها توترا. وشن مسلحون هجوما على الشرطة»: the report's first attack, told
            # with no place of its own, is at the scene named just before (a later placeless one
            # is most often the same attack told on, its toll, and stays dropped).
            scene = [loc for loc in scan.in_range(scan.loc_starts, scan.locs, max(0, d.sentence_start - _SCENE),
                                                  d.sentence_start) if loc.mention.place is not None]
            d.locs = ([loc for loc in scene if loc.mention.precision < 3] or scene)[-1:]
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
            if any(deports(scan, h) for h in scan.in_range(scan.cue_starts, scan.cues, d.start, d.end)):
                # «رحّل جهاز الهجرة في الكفرة 40 مهاجرا»: people sent away from where the state holds them
                d.roles = dict.fromkeys(d.roles, "origin")
            elif not _ACROSS.search(scan.norm, d.start, d.end):
                # Moving about inside one area, with no origin, way or destination, is being there;
                # crossing a border is a movement wherever its places stand («تعبر الحدود ذهابا وإيابا»).
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
        if last is not None and _continues(last, d):
            # «ضبطت في سرت حاوية ...، كانت معدة للشحن نحو الكفرة»: one route told across a comma.
            d.start = min(d.start, last.start)
            d.actors = list(dict.fromkeys(last.actors + d.actors))
            d.denied = d.denied or last.denied
            merged[-1] = d
            continue
        if last is not None and d.type == "other" and last.type == "other" and last.paragraph == d.paragraph \
                and last.attribution == d.attribution:
            last.end = max(last.end, d.end)
            last.actors = list(dict.fromkeys(last.actors + d.actors))
            if not last.locs:
                last.locs, last.roles = d.locs, d.roles
            continue
        merged.append(d)
    return merged


def _continues(first: _Draft, then: _Draft) -> bool:
    """True when ``then`` carries on ``first``'s route in the same sentence: same type, and
    every place of the first is among the second's (which adds where it goes)."""
    if first.type != then.type or first.type not in _ROUTE_TYPES or first.sentence != then.sentence:
        return False
    if first.attribution != then.attribution or len(then.locs) <= len(first.locs):
        return False
    ids = {id(loc.mention) for loc in then.locs}
    return all(id(loc.mention) in ids for loc in first.locs)


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
        The places in ``article.text``; found with :func:`geo.places.geoparse.find_places` when None.
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
        from geo.places.geoparse import find_places
        mentions = find_places(text, gazetteer=gazetteer)
    scan = scan_report(text, mentions, lex)
    drafts = _complete(scan, drafts_of(scan, article))
    dates = find_dates(scan.norm, published=article.published)
    report_date = find_report_date(scan.norm, dates)
    later = _dated_by_name(scan.norm, dates)
    attack_starts = [d.start for d in drafts if d.type == "attack"]
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
        if d.type == "attack" and date_precision == "reported":
            # «... هاجم مسلحون مركزا للشرطة. وانطلق الهجوم بعد ظهر أمس»: the date told after it,
            # by the attack's name, before another attack is told
            told = next((m for m in later if m.start > d.end
                         and not any(d.end <= a < m.start for a in attack_starts)), None)
            if told is not None:
                date, date_precision = told.date, told.precision
        if date is None and date_precision != "year":
            date_precision = "reported"     # no publication date either; a past span keeps "year"
        places = tuple(
            PlaceRole(role=d.roles.get(i, "location"),
                      place_id=loc.mention.place.id if loc.mention.place else None,
                      name=text[loc.mention.start:loc.mention.end], precision=loc.mention.precision,
                      start=loc.mention.phrase_start if loc.mention.phrase_start is not None else loc.mention.start,
                      end=loc.mention.phrase_end if loc.mention.phrase_end is not None else loc.mention.end,
                      qualifier=loc.mention.qualifier)
            for i, loc in enumerate(d.locs))
        a = d.attribution
        cited = outlet_name(a.cited_outlet, lex) if a.cited_outlet else ""
        speaker = cited if a.source_type == "outlet" and a.speaker == a.cited_outlet and a.speaker else a.speaker
        attribution = Attribution(speaker, a.speaker_role, a.source_type, cited, article.outlet, article.url)
        events.append(Event(
            id=event_id, article_id=article.id, type=d.type, geometry=geometry, geo_precision=precision,
            event_date=date, date_precision=date_precision, attribution=attribution,
            quote=text[qs:qe], quote_start=qs, quote_end=qe, actors=tuple(d.actors), places=places,
            denied=d.denied, confidence=_confidence(d),
            note="place taken from context" if d.inherited else "",
            modality=modality_of(scan, d.start, d.end, sentence_start=d.sentence_start,
                                 denied=d.denied, attribution=attribution,
                                 said=d.statement.modality if d.statement else ""),
            sub_type=sub_type_of(scan, d.type, d.start, d.end)))
    return _from_repeats(link_repeats(with_counts(text, events, normalized=(scan.norm, scan.offsets))))


# an attack named again («الهجوم», «الاشتباكات») and its date a few words on: «وقع الهجوم ليل
# الجمعة», «انطلق الهجوم بعد ظهر أمس الأربعاء» (normalized); «بعد الهجوم بيومين» dates
# something else
_ATTACK_NAMED = re.compile(r"(?<!بعد )(?<!قبل )(?<!منذ )(?<!عقب )(?<!اثر )(?<!\w)(?:ال|وال)(?:هجوم|هجمات|هجومين|اشتباكات|اشتباك|"
                           r"معارك|قتال|مواجهات|مواجهه|غاره|غارات|كمين|تفجير|اعتداء|قصف)(?!\w)((?:\s+\S+){0,5}?)\s*$")


def _dated_by_name(norm: str, dates: list) -> list:
    """The day-, week- or month-precise dates the report gives an attack it names again."""
    out = []
    for m in dates:
        if m.date is None or m.precision not in ("day", "week", "month"):
            continue
        named = _ATTACK_NAMED.search(norm, max(0, m.start - 60), m.start)
        if named and not any(ch in "\n.؟!" for ch in norm[named.start():m.start]):
            out.append(m)
    return out


def _own_voice(a) -> bool:
    """The outlet speaking for itself: no speaker, no other outlet cited."""
    return a.source_type == "outlet" and not a.speaker and not a.speaker_role


_TOLLS = frozenset({"killed", "wounded"})


def _from_repeats(events: list[Event]) -> list[Event]:
    """A claim told twice keeps on the telling the map shows every kind of count a repeat adds
    («مقتل 18» in the headline, «بينهم 5 أطفال» in the body), the date a repeat gives when the
    text gives it none («قتل ... في مالي أمس» as the lead of the body's attack at Timbuktu), and
    a repeat's source when it is told in the outlet's own voice."""
    first = {e.id: i for i, e in enumerate(events) if not e.same_as}
    for e in events:
        if e.same_as not in first:
            continue
        i = first[e.same_as]
        shown = events[i]
        if e.counts:
            # a kind the shown telling lacks, and a toll no shown toll could be («مقتل خمسة عشر
            # من عناصر التنظيم» in the lead, «وقتل ثلاثة من مقاتلي المجلس» in the body)
            extra = tuple(c for c in e.counts if not any(
                s.kind == c.kind and (c.kind not in _TOLLS or counts_overlap(s, c)) for s in shown.counts))
            if extra:
                shown = dataclasses.replace(shown, counts=shown.counts + extra)
        if shown.date_precision == "reported" and e.event_date and e.date_precision != "reported":
            shown = dataclasses.replace(shown, event_date=e.event_date, date_precision=e.date_precision)
        if _own_voice(shown.attribution) and not _own_voice(e.attribution):
            # «... وفق ما أفادت به مصادر متطابقة» in the lead, the body in the outlet's voice: the
            # claim rests on the lead's sources
            shown = dataclasses.replace(shown, attribution=e.attribution, modality=(
                "reported" if shown.modality == "asserted" else shown.modality))
        events[i] = shown
    return events
