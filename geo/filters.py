"""The dashboard's filter state: URL query parameters <-> ``Filters`` <-> store queries.

Pure functions, so the app pages stay thin and the round trip through a link
is unit-tested. Query parameters are user input: a value that does not parse is
dropped with a warning, never raised, so a mangled link still opens a page.

Parameter names (short, because they end up in links people paste):

``place`` place id, ``r`` radius in km, ``from`` / ``to`` ISO dates,
``type`` / ``actor`` / ``outlet`` / ``speaker`` / ``prec`` (repeated),
``denied`` (``0`` hides denied claims), ``event`` the selected event id, ``size`` what the map's
circles are sized by.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.models import EVENT_TYPES, Place
from geo.text.bidi import chain
from geo.text.lexicon import actor_label
from geo.text.normalize import normalize

logger = logging.getLogger(__name__)

DEFAULT_RADIUS_KM = 50.0
MIN_RADIUS_KM = 5.0      # the radius slider's range
MAX_RADIUS_KM = 500.0
_MULTI = {"type": "event_types", "actor": "actors", "outlet": "outlets", "speaker": "speakers",
          "review": "review"}
REVIEW_STATES = ("auto", "confirmed", "rejected")
#: What the map can size its circles by (``geo.maps.build.SIZE_BY``'s keys), as the links name them.
SIZE_CHOICES = ("fatalities", "fighters")


@dataclass(frozen=True, slots=True)
class Filters:
    """What the analyst asked to see; the empty tuple means "no restriction"."""

    place_id: str | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    since: dt.date | None = None
    until: dt.date | None = None
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    precision: tuple[int, ...] = ()
    include_denied: bool = True
    event_id: str | None = None
    review: tuple[str, ...] = ()   # review states shown; () = auto and confirmed (rejected hidden)
    include_regional: bool = False  # with a place: also claims about a whole region around it
    text: str = ""                  # words the quote or its report must hold (Arabic normalized)
    # how the map draws the events, not which: circles sized by this number (``SIZE_CHOICES``)
    size_by: str | None = None


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The choices the widgets offer, taken from what the store holds."""

    first_date: dt.date | None = None
    last_date: dt.date | None = None
    actors: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    event_types: tuple[str, ...] = field(default=EVENT_TYPES)


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    """A query value as a list of non-empty strings (one key may repeat)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value if v]


def _parse_date(value: str) -> dt.date | None:
    """An ISO date, or None (logged) when it does not parse."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        logger.warning("ignoring a date query parameter that is not YYYY-MM-DD: %r", value)
        return None


def filters_from_query(params: Mapping[str, str | Iterable[str]]) -> Filters:
    """Read ``Filters`` from URL query parameters (``read_query`` also says what was wrong).

    Parameters
    ----------
    params : mapping
        Key -> value or list of values (a key may repeat, e.g. ``type=base&type=movement``).

    Returns
    -------
    Filters
        Unknown keys and values that do not parse are ignored.

    Examples
    --------
    >>> filters_from_query({"place": "gn:2210554", "r": "30", "actor": ["قوات الدعم السريع"]}).radius_km
    30.0
    """
    return read_query(params)[0]


def read_query(params: Mapping[str, str | Iterable[str]]) -> tuple[Filters, list[str]]:
    """``Filters`` from URL query parameters, and a sentence for each value left out or mended.

    A radius outside the slider's range is brought to its nearest end, reversed dates are
    swapped; a value that does not parse is left out. The sentences are for the page.
    """
    get = {key: _as_list(value) for key, value in params.items()}
    kwargs: dict = {}
    notes: list[str] = []
    if get.get("place"):
        kwargs["place_id"] = get["place"][-1]
    if get.get("r"):
        raw = get["r"][-1]
        try:
            radius = float(raw)
        except ValueError:
            notes.append(f"The radius in the link ({raw!r}) is not a number; {DEFAULT_RADIUS_KM:g} km is used.")
        else:
            clamped = min(max(radius, MIN_RADIUS_KM), MAX_RADIUS_KM) if radius == radius else DEFAULT_RADIUS_KM
            if clamped != radius:
                notes.append(f"The radius in the link ({raw} km) is outside {MIN_RADIUS_KM:g}-{MAX_RADIUS_KM:g} km; "
                             f"{clamped:g} km is used.")
            kwargs["radius_km"] = clamped
    for key, name in (("from", "since"), ("to", "until")):
        if get.get(key):
            kwargs[name] = _parse_date(get[key][-1])
            if kwargs[name] is None:
                notes.append(f"«{key}={get[key][-1]}» in the link is not a date (YYYY-MM-DD); it is left out.")
    if kwargs.get("since") and kwargs.get("until") and kwargs["since"] > kwargs["until"]:
        kwargs["since"], kwargs["until"] = kwargs["until"], kwargs["since"]
        notes.append(f"The link's dates were reversed; shown from {kwargs['since']} to {kwargs['until']}.")
    for key, name in _MULTI.items():
        values = tuple(dict.fromkeys(get.get(key, ())))
        if key == "type":
            values = tuple(v for v in values if v in EVENT_TYPES)
        elif key == "review":
            values = tuple(v for v in values if v in REVIEW_STATES)
        kwargs[name] = values
    kwargs["precision"] = tuple(sorted({int(v) for v in get.get("prec", ()) if v in ("1", "2", "3")}))
    if get.get("denied"):
        kwargs["include_denied"] = get["denied"][-1] not in ("0", "false", "no")
    if get.get("event"):
        kwargs["event_id"] = get["event"][-1]
    if get.get("regional"):
        kwargs["include_regional"] = get["regional"][-1] in ("1", "true", "yes")
    if get.get("q"):
        kwargs["text"] = get["q"][-1].strip()
    if get.get("size"):
        raw = get["size"][-1]
        if raw in SIZE_CHOICES:
            kwargs["size_by"] = raw
        elif raw != "none":
            notes.append(f"The link's «size={raw}» is not one of none, {', '.join(SIZE_CHOICES)}; "
                         f"the map's circles are not sized.")
    for note in notes:
        logger.warning("link: %s", note)
    return Filters(**kwargs), notes


def filters_to_query(filters: Filters) -> dict[str, str | list[str]]:
    """The query parameters for ``filters``: only what differs from the defaults.

    ``filters_from_query(filters_to_query(f)) == f`` for every valid ``f``.
    """
    out: dict[str, str | list[str]] = {}
    if filters.place_id:
        out["place"] = filters.place_id
        out["r"] = f"{filters.radius_km:g}"
    elif filters.radius_km != DEFAULT_RADIUS_KM:
        out["r"] = f"{filters.radius_km:g}"
    if filters.since:
        out["from"] = filters.since.isoformat()
    if filters.until:
        out["to"] = filters.until.isoformat()
    for key, name in _MULTI.items():
        values = getattr(filters, name)
        if values:
            out[key] = list(values)
    if filters.precision:
        out["prec"] = [str(p) for p in filters.precision]
    if not filters.include_denied:
        out["denied"] = "0"
    if filters.event_id:
        out["event"] = filters.event_id
    if filters.include_regional:
        out["regional"] = "1"
    if filters.text:
        out["q"] = filters.text
    if filters.size_by:
        out["size"] = filters.size_by
    return out


def read_kwargs(filters: Filters, place: Place | None = None) -> dict:
    """Keyword arguments for ``EventStore.read`` that apply ``filters``.

    ``place`` is the gazetteer entry for ``filters.place_id`` (the caller looks
    it up); the circle of ``radius_km`` around its representative point is the
    ``near`` filter. An unknown place means no place filter.
    """
    kwargs: dict = {"include_denied": filters.include_denied}
    if filters.since:
        kwargs["since"] = filters.since
    if filters.until:
        kwargs["until"] = filters.until
    for name in ("event_types", "actors", "outlets", "speakers", "precision", "review"):
        values = getattr(filters, name)
        if values:
            kwargs[name] = list(values)
    if place is not None:
        kwargs["near"] = (place.lat, place.lon, filters.radius_km)
    return kwargs


def matching(store, filters: Filters, place: Place | None, gazetteer=None) -> gpd.GeoDataFrame:
    """The events ``filters`` keep, as the app and the export both read them: the store's read,
    then, with a place, what is about its circle (``near_place``; ``gazetteer`` places the named
    places, the store's additions included)."""
    frame = store.read(**read_kwargs(filters, place))
    if place is not None:
        frame = near_place(frame, place, filters.radius_km, gazetteer,
                           include_regional=filters.include_regional)
    return frame


# An area this many times the circle's is a claim about a region, not about the place.
REGIONAL_AREA_RATIO = 4.0


def near_place(frame: gpd.GeoDataFrame, place: Place, radius_km: float, gazetteer,
               *, include_regional: bool = False) -> gpd.GeoDataFrame:
    """The events that are about the circle of ``radius_km`` around ``place``.

    The store's ``near`` read keeps every event whose shape meets the circle, so a country-wide
    claim passes a 50 km filter. Here an event stays when its shape lies inside the circle or
    one of its named places does (a movement that ends there); a regional claim (precision 3,
    or an area more than ``REGIONAL_AREA_RATIO`` times the circle's) stays only with
    ``include_regional``, which also keeps what merely meets the circle.
    """
    from geo.places.spatial import circle

    if frame.empty:
        return frame
    disc = circle(place.lat, place.lon, radius_km)
    inside = frame.geometry.within(disc).to_numpy(dtype=bool)
    named = np.array([any(_place_inside(p, gazetteer, disc) for p in _json_list(v)) for v in frame["places"]],
                     dtype=bool)
    # Both areas in square degrees at the same latitude: their ratio is what matters.
    areas = np.nan_to_num(shapely.area(frame.geometry.to_numpy()).astype(float))
    regional = (frame["geo_precision"].fillna(0).astype(int).to_numpy() >= 3) | \
        (areas > REGIONAL_AREA_RATIO * disc.area)
    if include_regional:
        keep = inside | named | frame.geometry.intersects(disc).to_numpy(dtype=bool)
    else:
        keep = (inside | named) & ~regional
    return frame[keep].reset_index(drop=True)


def search_text(frame: pd.DataFrame, query: str, report_texts: Mapping[str, str]) -> pd.DataFrame:
    """The events whose quote or report holds every word of ``query``.

    Words and texts are compared in the normalized form the geoparser reads (hamza, alef maqsura,
    ta marbuta and diacritics folded), so «بنى وليد» finds «بني وليد». ``report_texts`` maps an
    article id to its normalized text (``normalized_texts``).
    """
    words = normalize(query or "").split()
    if not words or frame.empty:
        return frame
    keep = []
    for quote, article_id in zip(frame["quote"], frame["article_id"]):
        haystack = normalize(str(quote or "")) + "\n" + report_texts.get(article_id, "")
        keep.append(all(w in haystack for w in words))
    return frame[np.array(keep, dtype=bool)].reset_index(drop=True)


def normalized_texts(articles: pd.DataFrame) -> dict[str, str]:
    """Article id -> normalized text, for ``search_text`` (``EventStore.articles(with_text=True)``)."""
    return {row.id: normalize(row.text or "") for row in articles.itertuples()}


def _place_inside(role: dict, gazetteer, disc) -> bool:
    place = gazetteer.get(role.get("place_id") or "") if isinstance(role, dict) else None
    return place is not None and disc.contains(Point(place.lon, place.lat))


def _json_list(text: object) -> list:
    """A JSON list column value as a list ([] for empty or broken values)."""
    if not isinstance(text, str) or not text:
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        logger.warning("ignoring a list column that is not JSON: %r", text[:80])
        return []
    return value if isinstance(value, list) else []


def _distinct(values: Iterable[object]) -> tuple[str, ...]:
    """Sorted distinct non-empty strings."""
    return tuple(sorted({str(v) for v in values if isinstance(v, str) and v.strip()}))


def filter_options(frame: pd.DataFrame) -> FilterOptions:
    """The widget choices for the events in ``frame`` (a store read without filters)."""
    if frame.empty:
        return FilterOptions()
    dates = pd.to_datetime(frame["event_date"]).dropna()
    actors = [a for value in frame["actors"] for a in _json_list(value)]
    return FilterOptions(
        first_date=dates.min().date() if len(dates) else None,
        last_date=dates.max().date() if len(dates) else None,
        actors=_distinct(actors),
        outlets=_distinct([*frame["publisher"], *frame["cited_outlet"]]),
        speakers=_distinct(frame["speaker"]),
    )


def clamp_dates(filters: Filters, options: FilterOptions) -> tuple[dt.date, dt.date] | None:
    """The (since, until) a date slider can show: the filter's range inside the data's."""
    if options.first_date is None or options.last_date is None:
        return None
    lo, hi = options.first_date, options.last_date
    since = min(max(filters.since or lo, lo), hi)
    until = max(min(filters.until or hi, hi), lo)
    return (since, until) if since <= until else (lo, hi)


def with_dates(filters: Filters, dates: tuple[dt.date, dt.date] | None,
               options: FilterOptions) -> Filters:
    """``filters`` with a slider's date range; the full data range means "no date filter"."""
    if dates is None:
        return replace(filters, since=None, until=None)
    since, until = dates
    return replace(
        filters,
        since=None if since == options.first_date else since,
        until=None if until == options.last_date else until,
    )


def place_label(place: Place) -> str:
    """How a gazetteer entry reads in a picker: Arabic, Latin, kind and country."""
    names = " — ".join(n for n in (place.name_ar, place.name_en) if n)
    return f"{names} ({place.kind}, {place.country})" if place.country else f"{names} ({place.kind})"


def _place_names(text: object) -> str:
    """The places of an event as one line, origin to destination, the arrow the way it reads."""
    return chain(p.get("name", "") for p in _json_list(text) if isinstance(p, dict))


TABLE_COLUMNS = ("id", "event_date", "type", "places", "actors", "source", "modality", "quote")
EXCERPT_CHARS = 70


def _excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """The start of a quote, cut at a word, with an ellipsis when cut."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit] + " …"


def _source(row) -> str:
    """Who said it, and where: «مصدر أمني · الوسط»."""
    who = row.speaker or ""
    where = row.cited_outlet or row.publisher or ""
    return " · ".join(v for v in (who, where) if v) or (row.source_type or "")


def event_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The events as a table to read: one row per event, lists joined, newest first.

    Date, type, places, actors, source, how the claim is held and a quote excerpt: what fits a
    1440 px screen without scrolling sideways (the whole quote is in the event's details).
    The index is the event id, so a table selection maps back to an event.
    """
    table = pd.DataFrame({
        "id": frame["id"].astype(str),
        "event_date": pd.to_datetime(frame["event_date"]).dt.date,
        "type": frame["type"],
        "places": [_place_names(v) for v in frame["places"]],
        "actors": ["، ".join(actor_label(a) for a in _json_list(v)) for v in frame["actors"]],
        "source": [_source(r) for r in frame[["speaker", "cited_outlet", "publisher", "source_type"]].itertuples()],
        # How the report holds the claim; an older frame without the column has only denied.
        "modality": frame["modality"] if "modality" in frame.columns
        else frame["denied"].map(lambda d: "denied" if d else ""),
        "quote": [_excerpt(q) for q in frame["quote"]],
    }, columns=TABLE_COLUMNS)
    table = table.sort_values(["event_date", "id"], ascending=[False, True], na_position="last")
    return table.set_index("id", drop=False)


def event_point(frame: gpd.GeoDataFrame, event_id: str | None) -> tuple[float, float] | None:
    """(lat, lon) to centre the map on an event: its point, or a point on its line or area."""
    if not event_id:
        return None
    rows = frame[frame["id"] == event_id]
    if rows.empty or rows.geometry.iloc[0] is None or rows.geometry.iloc[0].is_empty:
        return None
    geometry = rows.geometry.iloc[0]
    point = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return point.y, point.x


def clicked_event(frame: gpd.GeoDataFrame, *, properties: Mapping | None = None,
                  lat: float | None = None, lon: float | None = None) -> str | None:
    """The id of the event a map click hit.

    The clicked feature's properties carry the id when the map drew a GeoJSON
    feature; otherwise the event whose geometry is nearest the click point wins.
    """
    ids = set(frame["id"].astype(str))
    event_id = str((properties or {}).get("id", ""))
    if event_id in ids:
        return event_id
    if lat is None or lon is None or frame.empty:
        return None
    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if located.empty:
        return None
    # Degrees are fine for picking the nearest of a handful of shapes on screen.
    distances = shapely.distance(located.geometry.to_numpy(), Point(lon, lat))
    return str(located["id"].iloc[int(distances.argmin())])


def source_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Who said what: one row per (publisher, speaker), with counts and date range."""
    columns = ["publisher", "cited_outlet", "speaker", "speaker_role", "source_type"]
    if frame.empty:
        return pd.DataFrame(columns=[*columns, "events", "denied", "first", "last"])
    work = frame[columns].fillna("").copy()
    work["denied"] = frame["denied"].astype(bool)
    work["date"] = pd.to_datetime(frame["event_date"]).dt.date
    grouped = work.groupby(columns, sort=False, dropna=False).agg(
        events=("denied", "size"), denied=("denied", "sum"),
        first=("date", "min"), last=("date", "max"))
    return grouped.reset_index().sort_values(["events", "publisher"], ascending=[False, True],
                                             ignore_index=True)


def claims_of(frame: pd.DataFrame, source: Mapping[str, str]) -> pd.DataFrame:
    """The events one source row of ``source_table`` stands for, newest first."""
    mask = pd.Series(True, index=frame.index)
    for column in ("publisher", "cited_outlet", "speaker", "speaker_role", "source_type"):
        mask &= frame[column].fillna("") == (source.get(column) or "")
    claims = pd.DataFrame(frame[mask]).copy()
    claims["places"] = [_place_names(v) for v in claims["places"]]   # readable, the whole quote kept
    claims["event_date"] = pd.to_datetime(claims["event_date"]).dt.date
    return claims.sort_values(["event_date", "id"], ascending=[False, True], na_position="last")
