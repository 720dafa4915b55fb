"""The gazetteer (rows of Place) and an offline geopy geocoder over it.

The shipped file, ``data/gazetteer.geojson``, is built by
``scripts/build_gazetteer.py``; see ``data/gazetteer/README.md`` for its sources.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderQueryError, GeocoderUnavailable
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from shapely.geometry import shape

from geo.errors import InputError
from geo.models import Place
from geo.text.normalize import normalize

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "gazetteer.geojson"

# Larger places win ties; a named point is more specific than an area.
_KIND_RANK = {
    "country": 9, "city": 8, "region": 6, "district": 5, "town": 7, "oasis": 6,
    "oilfield": 6, "oil_terminal": 6, "airport": 6, "base": 6, "port": 6,
    "border_crossing": 6, "infrastructure": 6, "continent": 7, "village": 5,
}


class Gazetteer:
    """Places by id and by name.

    Parameters
    ----------
    places : iterable of Place
        Every id must be unique.

    Examples
    --------
    >>> gz = load_gazetteer()
    >>> gz.search("بني وليد")[0].name_en
    'Bani Walid'
    """

    def __init__(self, places: Iterable[Place]):
        self.places: tuple[Place, ...] = tuple(places)
        self._by_id: dict[str, Place] = {}
        for place in self.places:
            if place.id in self._by_id:
                raise InputError(f"duplicate place id {place.id!r} in the gazetteer")
            self._by_id[place.id] = place
        self._names: dict[str, list[str]] | None = None
        self._points: tuple[np.ndarray, np.ndarray, list[Place]] | None = None

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._by_id

    def get(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        return self._by_id.get(place_id)

    def names(self) -> Iterator[tuple[str, str]]:
        """Every (name, place id) pair: Arabic and Latin names and all aliases, unnormalized."""
        for place in self.places:
            for name in (place.name_ar, place.name_en, *place.aliases):
                if name:
                    yield name, place.id

    def name_index(self) -> dict[str, list[str]]:
        """Normalized name -> place ids, built once."""
        if self._names is None:
            index: dict[str, list[str]] = {}
            for name, place_id in self.names():
                ids = index.setdefault(normalize(name).strip(), [])
                if place_id not in ids:
                    ids.append(place_id)
            index.pop("", None)
            self._names = index
        return self._names

    def search(self, query: str, *, limit: int = 20, country: str | None = None) -> list[Place]:
        """Places whose name equals, starts with, or contains ``query`` (Arabic or Latin).

        Exact matches come first, then prefixes, then substrings; within each, the
        more important place (by kind, then population) first.
        """
        if not isinstance(query, str) or not query.strip():
            raise InputError(f"a gazetteer search needs a non-empty string, got {query!r}")
        q = normalize(query).strip()
        tiers: list[dict[str, Place]] = [{}, {}, {}]
        for name, ids in self.name_index().items():
            if name == q:
                tier = 0
            elif name.startswith(q):
                tier = 1
            elif q in name:
                tier = 2
            else:
                continue
            for place_id in ids:
                place = self._by_id[place_id]
                if country and place.country != country:
                    continue
                tiers[tier].setdefault(place_id, place)
        out: list[Place] = []
        seen: set[str] = set()
        for tier in tiers:
            for place in sorted(tier.values(), key=importance, reverse=True):
                if place.id not in seen:
                    seen.add(place.id)
                    out.append(place)
        return out[:limit]

    def with_additions(self, additions: Iterable[dict]) -> Gazetteer:
        """This gazetteer with the analysts' places and aliases (``EventStore.user_places()``).

        A record naming a place already here (no geometry of its own) adds its aliases to it;
        any other record is a new place. The shipped file is never changed.
        """
        places = dict(self._by_id)
        for record in additions:
            place_id, aliases = record["place_id"], tuple(record.get("aliases") or ())
            known = places.get(place_id)
            if known is not None and record.get("geometry") is None:
                places[place_id] = replace(known, aliases=tuple(dict.fromkeys((*known.aliases, *aliases))))
            elif record.get("geometry") is not None:
                places[place_id] = Place(
                    id=place_id, name_ar=record.get("name_ar") or "", name_en=record.get("name_en") or "",
                    kind=record.get("kind") or "village", geometry=record["geometry"], aliases=aliases,
                    country=record.get("country") or "", source=f"added by {record.get('added_by') or 'an analyst'}")
            else:
                logger.warning("an alias for %r, a place this gazetteer lacks, was left out", place_id)
        return Gazetteer(places.values())

    def nearest(self, lat: float, lon: float, *, limit: int = 1) -> list[tuple[Place, float]]:
        """The ``limit`` places whose representative point is nearest, with distances in km."""
        if self._points is None:
            located = [p for p in self.places if p.kind not in ("country", "continent", "region")]
            self._points = (
                np.radians([p.lat for p in located]),
                np.radians([p.lon for p in located]),
                located,
            )
        lats, lons, located = self._points
        if not located:
            return []
        p1, l1 = math.radians(lat), math.radians(lon)
        a = np.sin((lats - p1) / 2) ** 2 + math.cos(p1) * np.cos(lats) * np.sin((lons - l1) / 2) ** 2
        dist = 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
        order = np.argsort(dist)[:limit]
        return [(located[i], float(dist[i])) for i in order]


def importance(place: Place) -> tuple[int, int]:
    """Sort key: kind rank, then population."""
    return _KIND_RANK.get(place.kind, 4), place.population


def place_from_feature(feature: dict) -> Place:
    """One GeoJSON Feature of the built gazetteer as a Place."""
    p = feature["properties"]
    return Place(
        id=p["id"],
        name_ar=p.get("name_ar") or "",
        name_en=p.get("name_en") or "",
        kind=p["kind"],
        geometry=shape(feature["geometry"]),
        aliases=tuple(p.get("aliases") or ()),
        country=p.get("country") or "",
        admin1=p.get("admin1") or "",
        population=int(p.get("population") or 0),
        source=p.get("source") or "",
        source_ref=str(p.get("source_ref") or ""),
    )


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> Gazetteer:
    """Parse the built file; cached per path and modification time."""
    with path.open(encoding="utf-8") as f:
        collection = json.load(f)
    return Gazetteer(place_from_feature(feature) for feature in collection["features"])


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Load the built gazetteer (``data/gazetteer.geojson`` by default).

    Raises
    ------
    InputError
        When the file is missing or is not a gazetteer.
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    if not path.is_file():
        raise InputError(f"no gazetteer file at {str(path)!r}; build it with scripts/build_gazetteer.py")
    try:
        return _load(path.resolve(), path.stat().st_mtime)
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(f"{str(path)!r} is not a gazetteer GeoJSON file: {exc}") from exc


class _OfflineAdapter(BaseSyncAdapter):
    """A geopy adapter that refuses every HTTP request: the geocoder is offline."""

    def __init__(self, *, proxies=None, ssl_context=None):
        super().__init__(proxies=proxies, ssl_context=ssl_context)

    def get_json(self, url, *, timeout, headers):
        raise GeocoderUnavailable(f"GazetteerGeocoder is offline; refused to fetch {url!r}")

    def get_text(self, url, *, timeout, headers):
        raise GeocoderUnavailable(f"GazetteerGeocoder is offline; refused to fetch {url!r}")


class GazetteerGeocoder(Geocoder):
    """A geopy geocoder over the offline gazetteer.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to :func:`load_gazetteer`.
    fallback : callable, optional
        An online geocode function used only when the gazetteer has no answer,
        e.g. :func:`online_fallback`. Off by default; never used by tests.

    Examples
    --------
    >>> GazetteerGeocoder().geocode("سرت").raw["id"]
    'gn:2210554'
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, fallback=None):
        super().__init__(adapter_factory=_OfflineAdapter)
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.fallback = fallback

    def geocode(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL, admin1=None, country=None):
        """Places named ``query``: a Location, a list of them, or None (never [])."""
        if not isinstance(query, str) or not query.strip():
            raise GeocoderQueryError(f"geocode needs a non-empty string query, got {query!r}")
        places = self.gazetteer.search(query, limit=50, country=country)
        q = normalize(query).strip()
        exact = [p for p in places if q in {normalize(n).strip() for n in (p.name_ar, p.name_en, *p.aliases)}]
        places = exact or places
        if admin1:
            places = [p for p in places if p.admin1.casefold() == admin1.casefold()]
        if not places:
            if self.fallback is not None:
                return self.fallback(query, exactly_one=exactly_one)
            return None
        locations = [_location(p) for p in places]
        return locations[0] if exactly_one else locations

    def reverse(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL, limit=5):
        """The nearest gazetteer places to ``(lat, lon)``; ``raw['distance_km']`` says how far."""
        try:
            lat, lon = (float(v) for v in query)
        except (TypeError, ValueError) as exc:
            raise GeocoderQueryError(f"reverse needs a (lat, lon) pair, got {query!r}") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GeocoderQueryError(f"reverse needs lat in [-90, 90] and lon in [-180, 180], got {query!r}")
        found = self.gazetteer.nearest(lat, lon, limit=1 if exactly_one else limit)
        if not found:
            return None
        locations = [_location(p, distance=d) for p, d in found]
        return locations[0] if exactly_one else locations


def _location(place: Place, *, distance: float | None = None) -> Location:
    """A geopy Location whose raw is the gazetteer row."""
    raw = {
        "id": place.id, "name_ar": place.name_ar, "name_en": place.name_en, "kind": place.kind,
        "country": place.country, "admin1": place.admin1, "population": place.population,
        "source": place.source, "geometry": place.geometry.wkt,
    }
    if distance is not None:
        raw["distance_km"] = round(distance, 3)
    name = place.name_ar or place.name_en
    return Location(name, (place.lat, place.lon), raw)


def online_fallback(user_agent: str, *, min_delay_seconds: float = 1.0):
    """An opt-in Nominatim fallback behind geopy's RateLimiter, with a small in-memory cache.

    Only for a browser/server with internet; the app never turns it on by default.
    """
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    limited = RateLimiter(Nominatim(user_agent=user_agent).geocode, min_delay_seconds=min_delay_seconds)
    cache: dict[tuple[str, bool], object] = {}

    def geocode(query: str, *, exactly_one: bool = True):
        key = (query, exactly_one)
        if key not in cache:
            logger.warning("gazetteer has no %r; asking the online geocoder", query)
            cache[key] = limited(query, exactly_one=exactly_one) or None
        return cache[key]

    return geocode
