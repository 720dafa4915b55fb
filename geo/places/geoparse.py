"""Text -> Mentions: find names, refuse false friends, choose a place, read the qualifier.

The pipeline for one text:

1. ``PlaceMatcher.scan`` finds every gazetteer name (clitic-aware, longest match)
   and every never-a-place phrase (القاعدة the group, ديلي تلغراف ...), which
   blocks any name inside it.
2. False friends are refused: a name after a person's first name or title
   (مهدي البرغثي، العقيد محمد الغصري), and a name that is also a common word
   (الخمس، درج) unless a cue word or a qualifier says it is a place.
3. Disambiguation scores each candidate: the countries the text names (طرابلس is
   Lebanese when the text speaks of لبنان), Libya as the default country,
   distance to the text's unambiguous places, the cue word before the name
   (مطار، حقل، ميناء ...), the kind and the population. When two far-apart
   candidates score alike, the mention keeps a null place rather than a guess.
4. The words before the name give the qualifier and the honest geometry:
   جنوب X a sector beyond X, قرب X a buffer, على بعد N كم غرب X an offset circle,
   بين X و Y a corridor, على طول X a band along a line, جنوب ليبيا the southern
   part of the country. Precision follows ACLED: 1 the named place itself, 2 near /
   a direction from / along / a line, 3 a region or a part of a country.

The words the parser reads live in ``data/geoparse/lexicon.json``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.models import Mention, Place
from geo.places import spatial
from geo.places.false_friends import (
    NOT_DEFINITE,
    after_person_word,
    head_words,
    in_organisation_name,
    in_outlet_name,
)
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.places.lexicon import LEXICON_PATH, load_lexicon, name_forms, word_in
from geo.places.matcher import Match, PlaceMatcher
from geo.places.unknown import unknown_mentions
from geo.text.furniture import furniture_spans, in_spans
from geo.text.normalize import normalize_with_offsets, original_span

POINT_KINDS = frozenset({
    "city", "town", "village", "oasis", "oilfield", "oil_terminal", "port", "airport", "base",
    "border_crossing", "neighbourhood", "reservoir", "wellfield",
})
AREA_KINDS = frozenset({"region", "country", "continent", "district", "desert"})
# How far "near X" and "south of X" reach, by the anchor's kind (km): a city's
# outskirts run further than a village's.
_NEAR_KM = {"city": 25.0, "town": 15.0, "village": 10.0}
_SECTOR_KM = {"city": 100.0, "town": 70.0, "village": 50.0, "wadi": 60.0, "mountain": 80.0}
_ALONG_KM = 15.0
_DEFAULT_COUNTRY = "LY"
_LIST_GAP = re.compile(r" ?(?:، ?)?و? ?")
_THE_COUNTRY = "@country"
_BARE = "@bare:"
_NO_KINDS, _ANY_KIND = frozenset(), frozenset({"__any__"})


class _Qualified(NamedTuple):
    """What the words before a name say about it (a tuple: one is made per name)."""

    qualifier: str = "none"
    phrase_start: int = 0
    direction: str | None = None
    distance_km: float | None = None
    cue_kinds: frozenset[str] = frozenset()


class Geoparser:
    """Finds and resolves the places in Arabic (and Latin) text.

    Parameters
    ----------
    gazetteer : Gazetteer
    lexicon_path : Path, optional
        The qualifier and false-friend lexicon (``data/geoparse/lexicon.json``).

    Examples
    --------
    >>> gp = Geoparser(load_gazetteer())
    >>> [(m.surface, m.qualifier, m.precision) for m in gp.parse("يتمركزون جنوب مدينة بني وليد")]
    [('بني وليد', 'south_of', 2)]
    """

    def __init__(self, gazetteer: Gazetteer, *, lexicon_path: Path = LEXICON_PATH):
        self.gazetteer = gazetteer
        self._lex = load_lexicon(lexicon_path)
        # «البلاد» and a bare «الجنوب» stand for the report's own country: pseudo-ids in the
        # automaton, resolved per report in _own_country.
        extra = [(w, _THE_COUNTRY) for w in self._lex.the_country]
        extra += [(w, _BARE + d) for w, d in self._lex.bare_regions.items()]
        self.matcher = PlaceMatcher.from_names([*gazetteer.names(), *extra], blockers=self._lex.not_places)
        # Relative geometries depend only on (anchor, qualifier, direction, distance): reuse them.
        self._geometries: dict[tuple, BaseGeometry] = {}

    def parse(self, text: str) -> list[Mention]:
        """Every place mention in ``text``, in text order; see the module docstring."""
        if not isinstance(text, str):
            raise InputError(f"geoparse expects text as str, got {type(text).__name__}")
        if not text.strip():
            return []
        normalized, offsets = normalize_with_offsets(text)
        furniture = furniture_spans(text)
        matches = [m for m in self.matcher.scan(normalized)
                   if not m.blocker and not (furniture and in_spans(offsets[m.start], furniture))]
        quals = [self._qualify(normalized, m) for m in matches]
        kept = self._keep_place_names(normalized, matches, quals)
        context = self._context([m for m, _ in kept])
        resolved: list[tuple[Match, _Qualified, Place | None, float]] = []
        for m, q in kept:
            if m.ids[0].startswith("@"):
                own = self._own_country(normalized, m, q, context)
                if own is not None:
                    resolved.append(own)
                continue
            place, confidence = self._choose(m, q, context)
            resolved.append((m, q, place, confidence))
        resolved = _drop_appositions(normalized, resolved)
        pairs = self._between_pairs(normalized, resolved)
        mentions = [self._mention(text, offsets, r, pairs.get(i)) for i, r in enumerate(resolved)]
        unknown = unknown_mentions(text, normalized, offsets, mentions, self._report_country(context),
                                   common_words=self._lex.common_words, names=self.gazetteer.name_index(),
                                   outlet_words=self._lex.outlet_after | self._lex.outlet_after_weak,
                                   furniture=furniture)
        return sorted(mentions + unknown, key=lambda m: m.start) if unknown else mentions

    def _report_country(self, context) -> Place | None:
        """The country the report is about: the one it names most (on a tie Libya, else the one
        named first), else Libya."""
        _, _, counts = context
        # The Counter keeps the order of first naming; a set's order would change from run to run.
        own = max(counts, key=lambda c: (counts[c], c == _DEFAULT_COUNTRY)) if counts else _DEFAULT_COUNTRY
        return self.gazetteer.get(f"cc:{own}")

    # -- false friends -----------------------------------------------------

    def _own_country(self, normalized: str, m: Match, q: _Qualified, context):
        """«جنوب البلاد», «في الجنوب»: that part of the report's own country, or None."""
        country = self._report_country(context)
        if country is None:
            return None
        if m.ids[0] == _THE_COUNTRY:
            if q.qualifier != "direction" or not q.direction:
                return None
            return m, q, country, 0.7
        words = normalized[max(0, m.start - 12):m.start].split()
        clitic = m.start > 0 and normalized[m.start - 1] in "بل"
        if not clitic and not (words and words[-1] in self._lex.bare_after):
            return None
        if re.match(r" من(?:ه|ها|هم)?\b", normalized[m.end:m.end + 6]):
            return None  # «إلى الشرق منه»: east of something, not east Libya
        direction = m.ids[0][len(_BARE):]
        return m, _Qualified("direction", m.start, direction, None, q.cue_kinds), country, 0.6

    def _keep_place_names(self, normalized: str, matches: Sequence[Match],
                          quals: Sequence[_Qualified]) -> list[tuple[Match, _Qualified]]:
        """Refuse false friends; a common word stays a place in a list beside a place."""
        heads = head_words(self._lex, normalized)
        verdicts = [self._is_place_name(normalized, m, q, heads) for m, q in zip(matches, quals)]
        changed = True
        while changed:  # «في سوكنة وهون وودان»: a list is as placed as its members
            changed = False
            for i, verdict in enumerate(verdicts):
                if verdict is not None:
                    continue
                for j in (i - 1, i + 1):
                    if 0 <= j < len(matches) and verdicts[j]:
                        a, b = (matches[j], matches[i]) if j < i else (matches[i], matches[j])
                        if _LIST_GAP.fullmatch(normalized[a.end:b.start]):
                            verdicts[i] = changed = True
                            break
        return [(m, q) for m, q, v in zip(matches, quals, verdicts) if v]

    def _is_place_name(self, normalized: str, m: Match, q: _Qualified, heads=None) -> bool | None:
        """True for a place name, False for a false friend, None for a common word that
        needs a neighbour in a list to count."""
        lex = self._lex
        before = normalized[max(0, m.start - 30):m.start]
        if after_person_word(lex, before):
            return False
        if in_outlet_name(lex, normalized, m) or in_organisation_name(lex, normalized, m, heads):
            return False
        if m.ids[0].startswith("@"):
            return True
        forms = name_forms(m.name)
        if not any(f in lex.common_words for f in forms):
            return True
        if not q.cue_kinds:
            nxt = normalized[m.end:m.end + 24].split()[:1]
            definite = bool(nxt) and nxt[0].startswith("ال") and nxt[0] not in NOT_DEFINITE
            if (definite and not m.name.startswith("ال") and " " not in m.name
                    and normalized[m.end:m.end + 1] == " "):
                # «قرب معسكر الجوية»: a common noun in construct with the next word; only a
                # list of places beside it («الجزائر ومالي والنيجر») makes it a name.
                return None
            if definite and nxt[0].endswith(("ي", "يه")):
                return None     # «قبالة الساحل الشرقي»: a common noun described, not a name
        if q.qualifier != "none":
            return True
        if q.cue_kinds:
            kinds = {p.kind for p in (self.gazetteer.get(i) for i in m.ids) if p is not None}
            if "__any__" in q.cue_kinds or kinds & q.cue_kinds:
                return True
        words = before.split() if before.endswith(" ") else []
        if any(f in lex.name_like for f in forms) and words and words[-1] in lex.place_prepositions:
            return True
        return None

    # -- disambiguation ----------------------------------------------------

    def _context(self, matches: Sequence[Match]) -> tuple[set[str], tuple[dict, Counter, dict], Counter]:
        """Countries the text names (and how often), and the places it names without ambiguity:
        (each anchor place by id, how often it is named, which anchor a match start names)."""
        counts: Counter = Counter()
        by_id: dict[str, Place] = {}
        named: Counter = Counter()
        at: dict[int, str] = {}
        for m in matches:
            places = [self.gazetteer.get(i) for i in m.ids]
            places = [p for p in places if p is not None]
            if len(places) == 1:
                place = places[0]
                if place.kind == "country":
                    counts[place.country] += 1
                elif place.kind not in AREA_KINDS:
                    by_id.setdefault(place.id, place)
                    named[place.id] += 1
                    at[m.start] = place.id
            else:
                # «تونس», «الجزائر», «الكويت»: the country and its capital share the name; either way
                # the text names that country.
                for country in {p.country for p in places if p.kind == "country"}:
                    counts[country] += 1
        return set(counts), (by_id, named, at), counts

    def _choose(self, m: Match, q: _Qualified, context) -> tuple[Place | None, float]:
        """The best candidate and a confidence in [0, 1]; None when it is a coin toss."""
        countries, anchors, _ = context
        ids = list(m.ids)
        head, _, rest = m.name.partition(" ")
        if rest and head in self._lex.cue_kinds and countries - {_DEFAULT_COUNTRY}:
            # «ميناء طرابلس» is a Libyan port by name, but in a report about Lebanon the cue
            # word and the town compete: let the town's other namesakes in.
            named = countries - {_DEFAULT_COUNTRY}
            if not any(self.gazetteer.get(i).country in named for i in ids if self.gazetteer.get(i)):
                ids += [i for i in self.gazetteer.name_index().get(rest, ())
                        if i not in ids and self.gazetteer.get(i).country in named]
            q = _Qualified(q.qualifier, q.phrase_start, q.direction, q.distance_km,
                           q.cue_kinds | self._lex.cue_kinds[head])
        places = [p for p in (self.gazetteer.get(i) for i in ids) if p is not None]
        if not places:
            return None, 0.0
        if len(places) == 1:
            return places[0], 0.9 if places[0].country in countries | {_DEFAULT_COUNTRY} else 0.75
        # Each anchor place once (a long report names Sirte hundreds of times): only the nearest
        # one scores, so repeats would add cost, not evidence. This mention's own occurrence is
        # no anchor for itself, but the same place named elsewhere is.
        places_, count, at = anchors
        own = at.get(m.start)
        others = [a for pid, a in places_.items() if count[pid] > (pid == own)]
        scored = sorted(((self._score(p, q, countries, others), p) for p in places),
                        key=lambda sp: sp[0], reverse=True)
        (best, top), (second, runner) = scored[0], scored[1]
        margin = best - second
        apart = spatial.distance_km(top.lat, top.lon, runner.lat, runner.lon)
        if margin < 0.25 and apart > 50 and top.kind == runner.kind:
            return None, 0.2
        if apart <= 50:
            margin = max(margin, 1.0)  # same place in two sources: no real ambiguity
        return top, round(min(0.95, 0.5 + 0.45 * (1 - math.exp(-margin))), 3)

    @staticmethod
    def _score(place: Place, q: _Qualified, countries: set[str], anchors: list[Place]) -> float:
        """Evidence for one candidate; see the module docstring."""
        score = 0.0
        if place.country in countries:
            score += 4.0
        elif place.country == _DEFAULT_COUNTRY:
            score += 2.0
        if q.cue_kinds and place.kind in q.cue_kinds:
            score += 3.0
        if anchors:
            nearest = min(spatial.distance_km(place.lat, place.lon, a.lat, a.lon) for a in anchors)
            score += 2.0 * math.exp(-nearest / 200.0)
        score += {"country": 1.5, "city": 1.2, "town": 0.9, "region": 0.8, "district": 0.2}.get(place.kind, 0.6)
        score += math.log10(place.population + 1) / 3.0
        if place.source.startswith("curated") or place.id.startswith("ly:"):
            score += 0.3  # checked by us
        return score

    # -- qualifiers and geometry -------------------------------------------

    def _qualify(self, normalized: str, m: Match) -> _Qualified:
        """Read the qualifier from the words that end where the name begins."""
        lex = self._lex
        start = max(0, m.start - 80)
        before = normalized[start:m.start]
        words = before.split() if before.endswith(" ") else []
        cue_word = word_in(words[-1], lex.cue_kinds) if words else None
        cue_kinds = _NO_KINDS
        phrase_start = m.start
        if cue_word is not None:
            cue_kinds = lex.cue_kinds[cue_word] or _ANY_KIND
            phrase_start = start + before.rstrip().rfind(" ") + 1
            words = words[:-1]
        # Only words that can end a qualifier phrase are worth a regex; each reads only as far
        # back as a match of it could start.
        if not words or word_in(words[-1], lex.triggers) is None:
            return _Qualified("none", phrase_start, None, None, cue_kinds)
        for qualifier, pattern, reach, needs in lex.qualifiers:
            found = (None if needs is not None and not needs.search(before)
                     else pattern.search(before, max(0, len(before) - reach - 1) if reach else 0))
            if not found:
                continue
            direction = distance = None
            if "dir1" in pattern.groupindex and found.group("dir1"):
                direction = self._direction(found.group("dir1"), found.group("dir2"))
            if qualifier == "distance":
                distance = float(found.group("num").replace(",", ".")) * lex.units[found.group("unit")]
            return _Qualified("none" if qualifier == "inside" else qualifier, start + found.start(),
                              direction, distance, cue_kinds)
        return _Qualified("none", phrase_start, None, None, cue_kinds)

    def _direction(self, first: str, second: str | None) -> str:
        """«جنوب غرب» -> 'south_west'."""
        parts = [self._lex.directions[w[2:] if w.startswith("ال") and w not in self._lex.directions else w]
                 for w in (first, second) if w]
        if len(parts) == 2 and parts[0] in ("east", "west"):
            parts.reverse()
        return "_".join(dict.fromkeys(parts))

    def _mention(self, text, offsets, resolved, pair) -> Mention:
        """Build one mention, with the geometry its qualifier implies."""
        m, q, place, confidence = resolved
        start, end = original_span(text, offsets, m.start, m.end)
        phrase_start = original_span(text, offsets, q.phrase_start, m.end)[0]
        candidates = m.ids if place is None or place.id in m.ids else (*m.ids, place.id)
        base = dict(start=start, end=end, surface=text[start:end], candidates=candidates,
                    phrase_start=phrase_start, phrase_end=end, confidence=confidence)
        if place is None:
            return Mention(place=None, **base)
        if pair is not None:
            first, second = pair
            key = ("between", first.id, second.id)
            if key not in self._geometries:
                width = max(10.0, 0.15 * spatial.distance_km(first.lat, first.lon, second.lat, second.lon))
                self._geometries[key] = spatial.corridor(first.geometry, second.geometry, width_km=width)
            return Mention(place=place, qualifier="between", anchor=first, second_anchor=second,
                           geometry=self._geometries[key], precision=max(2, _precision(place)), **base)
        qualifier, precision = _qualifier_and_precision(place, q)
        if qualifier == "none":
            return Mention(place=place, geometry=place.geometry, precision=precision, **base)
        key = (place.id, qualifier, q.direction, q.distance_km)
        geometry = self._geometries.get(key)
        if geometry is None:
            if len(self._geometries) > 50_000:
                self._geometries.clear()
            region = self.gazetteer.get(self._lex.country_parts.get((place.id, q.direction or ""), ""))
            geometry = self._geometries[key] = (
                region.geometry if qualifier == "part_of" and region is not None
                else _relative_geometry(place, qualifier, q))
        return Mention(place=place, qualifier=qualifier, anchor=place, geometry=geometry,
                       precision=precision, direction=q.direction, **base)

    def _between_pairs(self, normalized: str, resolved) -> dict[int, tuple[Place, Place]]:
        """For «بين X و Y»: both X and Y map to the pair (X, Y)."""
        pairs: dict[int, tuple[Place, Place]] = {}
        for i in range(len(resolved) - 1):
            (m, q, place, _), (m2, _, place2, _) = resolved[i], resolved[i + 1]
            if q.qualifier != "between" or place is None or place2 is None:
                continue
            if self._lex.between_tail.fullmatch(normalized[m.end:m2.start]):
                pairs[i] = pairs[i + 1] = (place, place2)
        return pairs


def _drop_appositions(normalized: str, resolved: list) -> list:
    """«العاصمة الليبية طرابلس»: a description and the name right after it are one mention, the name."""
    out = list(resolved)
    for i in range(len(out) - 2, -1, -1):
        r, nxt = out[i], out[i + 1]
        if (r[2] is not None and nxt[2] is not None and r[2].id == nxt[2].id
                and not normalized[r[0].end:nxt[0].start].strip(" «»\"")):
            # The name keeps what the words before the description said («شرق العاصمة الليبية طرابلس»).
            q = r[1] if r[1].qualifier != "none" else nxt[1]
            out[i:i + 2] = [(nxt[0], q, nxt[2], max(r[3], nxt[3]))]
    return out


def _qualifier_and_precision(place: Place, q: _Qualified) -> tuple[str, int]:
    """The mention's qualifier and ACLED precision, from the words before it and the anchor's shape."""
    own = _precision(place)
    is_line = place.geometry.geom_type in ("LineString", "MultiLineString")
    if q.qualifier == "direction" and q.direction:
        if place.kind in AREA_KINDS:
            return "part_of", 3
        return f"{q.direction.split('_')[0]}_of", max(2, own)
    if q.qualifier == "near":
        return ("along" if is_line else "near"), max(2, own)
    if q.qualifier == "along":
        return "along", max(2, own)
    if q.qualifier == "distance" and q.distance_km is not None:
        return "distance", max(2, own)
    return "none", own


def _relative_geometry(place: Place, qualifier: str, q: _Qualified) -> BaseGeometry:
    """The honest shape of a relative phrase around its anchor (see the module docstring)."""
    if qualifier == "part_of":
        return spatial.part_of(place.geometry, q.direction)
    if qualifier.endswith("_of"):
        bearing = spatial.BEARINGS[q.direction]
        reach = _SECTOR_KM.get(place.kind, 50.0)
        if place.geometry.geom_type == "Point":
            return spatial.sector(place.lat, place.lon, bearing, inner_km=reach / 20, outer_km=reach)
        return spatial.side_of(place.geometry, bearing, reach_km=reach)
    if qualifier == "near":
        return spatial.buffer_km(place.geometry, _NEAR_KM.get(place.kind, 15.0))
    if qualifier == "along":
        return spatial.buffer_km(place.geometry, _ALONG_KM)
    # distance: an offset circle when a direction is given, else a ring at that distance
    radius = max(10.0, 0.1 * q.distance_km)
    if q.direction:
        lat, lon = spatial.offset_point(place.lat, place.lon, spatial.BEARINGS[q.direction], q.distance_km)
        return spatial.circle(lat, lon, radius)
    outer = spatial.circle(place.lat, place.lon, q.distance_km + radius)
    return outer.difference(spatial.circle(place.lat, place.lon, max(q.distance_km - radius, 0.0)))


def _precision(place: Place) -> int:
    """ACLED precision of a place named by itself."""
    if place.kind in AREA_KINDS or place.kind == "continent":
        return 3
    if place.kind in POINT_KINDS and place.geometry.geom_type == "Point":
        return 1
    return 2


@cache
def _default_parser(path: Path | None) -> Geoparser:
    """One parser per gazetteer file, built on first use."""
    return Geoparser(load_gazetteer(path))


def get_parser(gazetteer: Gazetteer | None = None) -> Geoparser:
    """The parser for ``gazetteer`` (the shipped one by default), built once."""
    if gazetteer is None:
        return _default_parser(None)
    return _parsers_for(gazetteer)


_PARSERS: dict[int, Geoparser] = {}


def _parsers_for(gazetteer: Gazetteer) -> Geoparser:
    """Cache parsers per gazetteer object (Gazetteer is not hashable by value)."""
    parser = _PARSERS.get(id(gazetteer))
    if parser is None or parser.gazetteer is not gazetteer:
        parser = _PARSERS[id(gazetteer)] = Geoparser(gazetteer)
    return parser


def find_places(text: str, *, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every place mention in ``text``, resolved.

    Parameters
    ----------
    text : str
        Arabic or Latin text.
    gazetteer : Gazetteer, optional
        Defaults to the shipped gazetteer.

    Returns
    -------
    list of Mention
        In text order. Empty for empty text. A mention whose name was recognised
        but could not be placed has ``place=None``.

    Examples
    --------
    >>> [m.surface for m in find_places("وصلوا إلى سرت قادمين من بني وليد")]
    ['سرت', 'بني وليد']
    """
    return get_parser(gazetteer).parse(text)
