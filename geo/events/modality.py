"""How a report holds each claim, what kind of event it is in ACLED's words, and repeats.

- ``modality_of``: denied, attempted, planned, alleged, observed, reported or asserted, from the
  draft's denial and the words of the claim and the few before it (``modality`` in
  ``data/lexicon/cues.json``): «حاولت ... التسلل» is attempted, «يعتزم شن هجوم» planned,
  «اتهم ... بالهجوم» alleged, a witness who «شاهد» observed. Without such words a claim with a
  source is reported and one in the outlet's own voice asserted.
- ``sub_type_of``: the first ``sub_types`` label of the event's type whose word stands in the
  claim (``air/drone strike``, ``arrest``, ``seizure`` ...), or "".
- ``link_repeats``: a claim told twice in one report (the headline and the body, two sources
  saying the same) keeps its first event; the later ones point at it through ``same_as``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from geo.events.scan import Scan
from geo.models import Attribution, Event
from geo.text.normalize import normalize

# a sentence that opens on the story's past («وكانت القوات قد شنت ...», «وسبق أن ...», «يذكر أن ...»):
# the outlet's background, not the speaker before going on (normalized)
BACK_STORY = re.compile(r"\s*(?:و?(?:كان|كانت|كانوا)\s+(?:\S+\s+){0,5}?قد|و?سبق\s+(?:ان|ل|لل)|و?يذكر\s+ان|"
                         r"و?تجدر\s+الاشاره|و?منذ)(?!\w)")
# «ويتسلل آلاف المهاجرين منذ سنوات عبر الحدود»: a state of things for years, the outlet's background
# wherever the sentence says so (normalized)
HABITUAL = re.compile(r"(?<!\w)منذ\s+(?:سنوات|اعوام|عقود|عقد|سنين|زمن\s+طويل)(?!\w)")
# «مكان الهجوم»، «موقع الاعتداء»: the place of an attack already told (normalized)
_PLACE_OF_IT = re.compile(r"(?<!\w)و?(?:مكان|موقع|مسرح)\s+(?:الهجوم|الاعتداء|الكمين|الحادث|الحادثه|الهجمات|الاشتباك|الاشتباكات|التفجير|الغاره)(?!\w)")
# How far before the claim the words that qualify it may stand («قال إنهم يعتزمون ...»).
_LOOK_BACK = 60
_ORDER = ("attempted", "planned", "alleged")
_AT = {"via": "at", "location": "at"}
_WERE = re.compile(r"(?<!\w)(?:كان|كانت|كانوا|كانا)\s+(?:\S+\s+){0,2}$")     # «كانوا يستعدون»: their state then
_WITNESSES = re.compile(r"(?<!\w)(?:و?شهود|شاهد عيان|و?(?:ال)?سكان|و?(?:ال)?أهالي)(?!\w)")


def modality_of(scan: Scan, start: int, end: int, *, sentence_start: int, denied: bool,
                attribution: Attribution, said: str = "") -> str:
    """The modality of the claim at ``scan.norm[start:end]`` (normalized offsets); ``said`` is
    the modality its verb of saying gives («توعد بأن»: planned), when it gives one."""
    if denied:
        return "denied"
    keys = {hit.key[4:] for hit in scan.in_range(scan.claim_starts, scan.claims,
                                                 max(sentence_start, start - _LOOK_BACK), end)
            if hit.key.startswith("mod|") and not _their_plan(scan, hit, start)} | ({said} if said else set())
    for modality in _ORDER:
        if modality in keys:
            return modality
    if attribution.source_type == "witnesses/residents" or ("sighting" in keys and not attribution.speaker) \
            or _WITNESSES.search(attribution.speaker):     # «مراسل الوكالة وشهود عيان»: they saw it too
        return "observed"
    if attribution.source_type == "outlet" and not attribution.speaker and BACK_STORY.match(scan.norm, sentence_start):
        return "asserted"   # «وكانت مواجهات قد نشبت مساء أول أمس»: the outlet's own background
    sourced = attribution.speaker or attribution.cited_outlet or attribution.source_type != "outlet"
    return "reported" if sourced else "asserted"


def _their_plan(scan: Scan, hit, start: int) -> bool:
    """«أوقفت الشرطة 14 شخصا كانوا يستعدون للهجرة»: what those seized had meant to do, told after
    the seizure, is no plan of the claim's; the arrest is done. So is the purpose of a movement told."""
    cut = hit.start - len(hit.prefix)
    if hit.prefix.endswith("ل") or scan.norm.startswith("ل", cut):
        # «وصل مسلحون إلى تيلابيري لتنفيذ هجوم»: why they came; the coming is done
        return any(h.key == "movement" for h in scan.in_range(scan.cue_starts, scan.cues, start, cut))
    return bool(_WERE.search(scan.norm, max(start, cut - 30), cut)) and any(
        h.key in ("seizure", "attack") for h in scan.in_range(scan.cue_starts, scan.cues, start, cut))


def sub_type_of(scan: Scan, event_type: str, start: int, end: int) -> str:
    """The ACLED-like label the claim's own words give, or ""."""
    prefix = f"sub|{event_type}|"
    for hit in scan.in_range(scan.claim_starts, scan.claims, start, end):
        if hit.key.startswith(prefix) and hit.end <= end:
            return hit.key[len(prefix):]
    return ""


def link_repeats(events: Sequence[Event]) -> list[Event]:
    """Point each event that repeats another at it through ``same_as``.

    - Same type, same places, same denial: the later telling points at the first, unless both
      give a death toll and neither toll could be the other's (two incidents at one town), or
      the later names a kind of act its earlier tellings did not (an assault, then air strikes).
    - A telling that names only a country or a region (geo_precision 3) — the lead's «قتل
      ثمانية جنود في مالي» — points at the nearest event of its type and denial, on a date that
      does not differ, whose finer place lies in that area (the body's attack at Kidal): one
      claim, shown where the report places it. Finer events are never merged through it.
    - The same kind of act (sub-type) at a town both tellings name, with other places beside it
      in one of them, on dates and with tolls that do not differ: one claim told twice.
    """
    first: dict[tuple, str] = {}
    kinds: dict[tuple, set[str]] = {}     # the kinds of act a claim's tellings have named
    out = list(events)
    for i, event in enumerate(out):
        # a way through and a place where are one: «ضبط مهرب في صحراء غات», «قرب غات»
        places = tuple(sorted({(_AT.get(p.role, p.role), p.place_id) for p in event.places if p.place_id}))
        if not places:
            continue
        key = (event.type, places, event.denied)
        # another year («يرجع الصراع إلى عام 2012، حين قتل مسلحون ...» beside this week's fighting
        # at the same town) is another incident, not one told twice; so is another kind of act
        # than its tellings so far named (the clashes in the town, then the air strikes on it)
        if key in first and not _tolls_differ(out[first[key]], event) \
                and not _dates_differ(out[first[key]], event, by_year=True) \
                and not (event.sub_type and kinds[key] and event.sub_type not in kinds[key]):
            out[i] = dataclasses.replace(event, same_as=out[first[key]].id)
            kinds[key] |= {event.sub_type} - {""}
        elif key not in first:
            first[key] = i
            kinds[key] = {event.sub_type} - {""}
    for i, event in enumerate(out):
        if event.same_as or event.geo_precision != 3 or not _area(event):
            continue
        finer = [j for j, e in enumerate(out) if j != i and not e.same_as and e.type == event.type
                 and e.denied == event.denied and _finer_inside(e, event)
                 and not _dates_differ(e, event)]
        if finer:
            j = min(finer, key=lambda j: abs(out[j].quote_start - event.quote_start))
            out[i] = dataclasses.replace(event, same_as=out[j].id)
    # «ويقع مكان الهجوم في بلدة تيرا»: where the attack told before took place, not another one
    for i, event in enumerate(out):
        if event.same_as or event.type != "attack" or not _PLACE_OF_IT.search(normalize(event.quote)):
            continue
        told = [j for j in range(i) if not out[j].same_as and out[j].type == "attack" and not out[j].denied]
        if told:
            out[i] = dataclasses.replace(event, same_as=out[told[-1]].id)
    # «غارة قرب مدينة أوباري في جنوب ليبيا» and «الغارة دمرت منزلا في حي ... شرقي أوباري»:
    # one kind of act at one town, told twice with other places beside it
    towns = [{p.place_id for p in e.places if p.place_id and p.precision in (1, 2)} for e in out]
    for i, event in enumerate(out):
        if event.same_as or not event.sub_type:
            continue
        told = [j for j in range(i) if not out[j].same_as and out[j].type == event.type
                and out[j].sub_type == event.sub_type and out[j].denied == event.denied
                and towns[i] & towns[j]
                and not _dates_differ(out[j], event) and not _tolls_differ(out[j], event)]
        if told:
            out[i] = dataclasses.replace(event, same_as=out[told[-1]].id)
    # «17 طناً من الحشيش ... في مستودعات نيامي» and «ضبطت الشرطة شحنة حشيش تزن 17 طناً»: the same
    # number of the same thing at a shared place is one claim told twice
    places = [{p.place_id for p in e.places if p.place_id} for e in out]
    heads = {e.same_as for e in out}
    for i, event in enumerate(out):
        if event.same_as or not event.counts or event.id in heads:
            continue    # (a telling others already repeat stays where the earlier rules put it)
        told = [j for j in range(i) if not out[j].same_as and out[j].type == event.type
                and out[j].denied == event.denied and places[i] & places[j]
                and _same_number(out[j], event) and not _dates_differ(out[j], event)]
        if told:
            out[i] = dataclasses.replace(event, same_as=out[told[-1]].id)
    return out


def _same_number(a: Event, b: Event) -> bool:
    """Both tellings give one number of two or more of the same kind (and unit)."""
    return any(x.kind == y.kind and x.unit == y.unit and (x.low, x.high) == (y.low, y.high) and x.low >= 2
               for x in a.counts for y in b.counts)


def _dates_differ(a: Event, b: Event, *, by_year: bool = False) -> bool:
    """Both events carry a date of their own and the dates (or, ``by_year``, their years) differ;
    a date taken from the publication («reported»: the text gives none) differs from nothing."""
    own = [e.event_date.year if by_year else e.event_date
           for e in (a, b) if e.event_date and e.date_precision != "reported"]
    return len(own) == 2 and own[0] != own[1]


def _tolls_differ(a: Event, b: Event) -> bool:
    """Both tellings give a death toll and no toll of one could be one of the other's («مقتل
    16 اليوم» beside «اشتباكات دامت أياما ... 70 قتيلا»): two incidents at one place."""
    ka = [c for c in a.counts if c.kind == "killed"]
    kb = [c for c in b.counts if c.kind == "killed"]
    return bool(ka and kb) and not any(counts_overlap(x, y) for x in ka for y in kb)


def counts_overlap(x, y) -> bool:
    """Two counts whose ranges share a value."""
    return (x.high is None or y.low <= x.high) and (y.high is None or x.low <= y.high)


def _area(event: Event) -> bool:
    return event.geometry is not None and event.geometry.geom_type in ("Polygon", "MultiPolygon")


def _finer_inside(fine: Event, coarse: Event) -> bool:
    """``fine`` is placed more precisely than ``coarse``, inside ``coarse``'s area."""
    return (fine.geometry is not None and fine.geo_precision in (1, 2)
            and coarse.geometry.covers(fine.geometry.representative_point()))
