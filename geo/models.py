"""The nouns every stage shares: Place, Mention, Article, Event.

Frozen, slotted dataclasses. Geometries are shapely objects in WGS84 with
x = lon, y = lat; ``to_point`` is the one place that turns (lat, lon) into a
shapely point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError

PLACE_KINDS = frozenset({
    "city", "town", "village", "wadi", "oasis", "region", "country", "continent",
    "district", "oilfield", "oil_terminal", "port", "airport", "base",
    "border_crossing", "infrastructure", "road", "mountain", "desert", "lake",
    "sea", "island", "reservoir", "wellfield", "neighbourhood",
})
QUALIFIERS = frozenset({
    "none", "near", "north_of", "south_of", "east_of", "west_of",
    "between", "distance", "along", "part_of",
})
EVENT_TYPES = ("movement", "base", "presence", "smuggling_route", "attack", "other")
PLACE_ROLES = frozenset({"origin", "destination", "via", "location"})
DATE_PRECISIONS = frozenset({"day", "week", "month", "year", "reported"})
REVIEW_STATES = frozenset({"auto", "confirmed", "rejected"})
#: How the report holds a claim: in its own voice (asserted), from a source (reported), as one
#: party's accusation (alleged), seen by witnesses (observed), intended (planned), tried and
#: failed or foiled (attempted), or denied by its source (denied).
MODALITIES = frozenset({"asserted", "reported", "alleged", "observed", "planned", "attempted", "denied"})
SOURCE_TYPES = frozenset({
    "named official", "named person", "unnamed official", "outlet",
    "organisation statement", "witnesses/residents", "anonymous",
})


def to_point(lat: float, lon: float) -> Point:
    """Return the shapely point for (lat, lon): x is the longitude."""
    _check_lat_lon(lat, lon)
    return Point(lon, lat)


def _check_lat_lon(lat: float, lon: float) -> None:
    """Raise InputError when lat or lon is out of range."""
    if not -90.0 <= lat <= 90.0:
        raise InputError(f"lat must be in [-90, 90], got {lat!r}")
    if not -180.0 <= lon <= 180.0:
        raise InputError(f"lon must be in [-180, 180], got {lon!r}")


def _check_choice(name: str, value: str, allowed: frozenset[str]) -> None:
    """Raise InputError when value is not one of allowed."""
    if value not in allowed:
        raise InputError(f"{name} must be one of {sorted(allowed)}, got {value!r}")


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry; ``geometry`` is a Point, LineString or Polygon in WGS84."""

    id: str
    name_ar: str
    name_en: str
    kind: str
    geometry: BaseGeometry
    aliases: tuple[str, ...] = ()
    country: str = ""
    admin1: str = ""
    population: int = 0
    source: str = ""
    source_ref: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise InputError(f"a place needs an id, got {self.id!r}")
        _check_choice("kind", self.kind, PLACE_KINDS)
        if self.geometry.is_empty:
            raise InputError(f"place {self.id!r} has an empty geometry")
        minx, miny, maxx, maxy = self.geometry.bounds
        _check_lat_lon(miny, minx)
        _check_lat_lon(maxy, maxx)

    @property
    def lat(self) -> float:
        return _representative(self.geometry).y

    @property
    def lon(self) -> float:
        return _representative(self.geometry).x


def _representative(geometry: BaseGeometry) -> Point:
    """A point for labels and distances: the point itself, else one on/in the shape."""
    if isinstance(geometry, Point):
        return geometry
    return geometry.representative_point()


@dataclass(frozen=True, slots=True)
class Mention:
    """A place found in a text.

    ``start``/``end`` are offsets of the place name in the ORIGINAL text;
    ``phrase_start``/``phrase_end`` widen that to the whole relative phrase
    («جنوب مدينة بني وليد»). ``place`` is None when a name was recognised but
    could not be placed; ``anchor`` is the place a relative phrase hangs on.
    ``lat``/``lon`` are the named place's own coordinates; ``geometry`` is the area the
    phrase describes (a sector, a buffer, an offset circle, a corridor, a band, or the
    place itself when there is no qualifier), which events and the map draw.
    """

    start: int
    end: int
    surface: str
    place: Place | None
    qualifier: str = "none"
    anchor: Place | None = None
    geometry: BaseGeometry | None = None
    precision: int | None = None
    confidence: float = 0.0
    candidates: tuple[str, ...] = ()
    phrase_start: int | None = None
    phrase_end: int | None = None
    direction: str | None = None
    second_anchor: Place | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise InputError(f"a mention needs 0 <= start < end, got {self.start!r}, {self.end!r}")
        _check_choice("qualifier", self.qualifier, QUALIFIERS)
        if self.precision is not None and self.precision not in (1, 2, 3):
            raise InputError(f"precision must be 1, 2 or 3, got {self.precision!r}")

    @property
    def lat(self) -> float | None:
        """The named place's own latitude: «على بعد 260 كم غرب بني وليد» is at Bani Walid;
        the area the phrase describes is ``geometry``."""
        if self.place is not None:
            return self.place.lat
        return None if self.geometry is None else _representative(self.geometry).y

    @property
    def lon(self) -> float | None:
        """The named place's own longitude (see ``lat``)."""
        if self.place is not None:
            return self.place.lon
        return None if self.geometry is None else _representative(self.geometry).x


@dataclass(frozen=True, slots=True)
class Article:
    """A report as ingested; ``id`` is the sha256 of its normalized text."""

    id: str
    text: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: dt.date | None = None
    language: str = "ar"
    ingested_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class PlaceRole:
    """A place an event names, with the part it plays in the event."""

    role: str
    place_id: str | None
    name: str
    precision: int | None
    start: int
    end: int
    qualifier: str = "none"

    def __post_init__(self) -> None:
        _check_choice("role", self.role, PLACE_ROLES)


COUNT_KINDS = ("killed", "wounded", "missing", "abducted", "arrested", "fighters", "vehicles", "migrants",
               "seized")
COUNT_QUALIFIERS = ("exact", "about", "at least", "more than", "less than", "vague", "range", "none")


@dataclass(frozen=True, slots=True)
class Count:
    """A number a claim gives: its kind, its value as a range (``high`` None: no upper bound), how
    the text hedges it, for seizures the unit and the goods, and where it is in the report.

    «نحو 700 من عناصر داعش» is fighters 700–700 «about»; «العشرات» 20–99 «vague»; «دون وقوع
    إصابات» killed 0–0 «none» (the text says there were none).
    """

    kind: str
    low: int | float
    high: int | float | None
    qualifier: str = "exact"
    unit: str = ""
    item: str = ""
    start: int = 0
    end: int = 0

    def __post_init__(self) -> None:
        _check_choice("count kind", self.kind, COUNT_KINDS)
        _check_choice("count qualifier", self.qualifier, COUNT_QUALIFIERS)
        if self.high is not None and self.high < self.low:
            raise InputError(f"a count's high must not be below its low, got {self.low!r}..{self.high!r}")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "low": self.low, "high": self.high, "qualifier": self.qualifier,
                "unit": self.unit, "item": self.item, "start": self.start, "end": self.end}


def fatalities(counts) -> int | float | None:
    """The number killed among ``counts`` (Count objects or their dicts): the sum of the low
    ends, None when none of them is a killed count."""
    killed = [c.low if isinstance(c, Count) else c["low"] for c in counts
              if (c.kind if isinstance(c, Count) else c["kind"]) == "killed"]
    return sum(killed) if killed else None


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said it, in what capacity, to whom, and who published it."""

    speaker: str = ""
    speaker_role: str = ""
    source_type: str = "outlet"
    cited_outlet: str = ""
    publisher: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        _check_choice("source_type", self.source_type, SOURCE_TYPES)


@dataclass(frozen=True, slots=True)
class Event:
    """One reported fact that belongs on the map.

    ``modality`` says how the report holds it (see ``MODALITIES``; ``denied`` is kept for the
    readers that filter on it and equals ``modality == "denied"``). ``sub_type`` is an
    ACLED-like refinement when the text says it (``air/drone strike``, ``arrest`` ...).
    ``same_as`` is the id of another event of the same report that tells the same claim:
    the map and the counts show the claim once.
    """

    id: str
    article_id: str
    type: str
    geometry: BaseGeometry | None
    geo_precision: int | None
    event_date: dt.date | None
    date_precision: str
    attribution: Attribution
    quote: str
    quote_start: int
    quote_end: int
    actors: tuple[str, ...] = ()
    places: tuple[PlaceRole, ...] = ()
    denied: bool = False
    confidence: float = 0.5
    review: str = "auto"
    note: str = ""
    modality: str = "asserted"
    sub_type: str = ""
    same_as: str = ""
    counts: tuple[Count, ...] = ()
    extras: tuple[tuple[str, str], ...] = field(default=())

    @property
    def fatalities(self) -> int | float | None:
        """ACLED's fatalities: the number killed (the low end of a range, 0 when the text says
        none), None when the text does not say."""
        return fatalities(self.counts)

    def __post_init__(self) -> None:
        _check_choice("type", self.type, frozenset(EVENT_TYPES))
        _check_choice("modality", self.modality, MODALITIES)
        _check_choice("date_precision", self.date_precision, DATE_PRECISIONS)
        _check_choice("review", self.review, REVIEW_STATES)
        if not 0 <= self.quote_start <= self.quote_end:
            raise InputError(
                f"quote span must satisfy 0 <= start <= end, got {self.quote_start!r}, {self.quote_end!r}")
        if self.geo_precision is not None and self.geo_precision not in (1, 2, 3):
            raise InputError(f"geo_precision must be 1, 2 or 3, got {self.geo_precision!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise InputError(f"confidence must be in [0, 1], got {self.confidence!r}")
