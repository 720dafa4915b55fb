"""Reference layers shipped under ``data/``: the offline basemap (Natural Earth countries),
Libya's districts and the Great Man-Made River from the gazetteer. A missing file leaves its
layer out with a warning; files are read lazily and cached until they change.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

logger = logging.getLogger(__name__)


ROOT = Path(__file__).resolve().parents[2]


COUNTRIES_PATH = ROOT / "data" / "basemap" / "countries.geojson"


DISTRICTS_PATH = ROOT / "data" / "basemap" / "districts.geojson"
REGIONS_PATH = ROOT / "data" / "basemap" / "regions.geojson"


GAZETTEER_PATH = ROOT / "data" / "gazetteer.geojson"


@functools.lru_cache(maxsize=8)
def _read_json(path: str, mtime: float) -> dict | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        logger.warning("reference layer %s not loaded: %s", path, exc)
        return None


def _load_geojson(path: Path | str) -> dict | None:
    """A GeoJSON file (cached until it changes), or None with a warning when missing."""
    p = Path(path)
    try:
        mtime = p.stat().st_mtime
    except OSError:
        logger.warning("reference layer %s is missing; it is left out of the map", p)
        return None
    return _read_json(str(p), mtime)


def load_countries(path: Path | str | None = None) -> dict | None:
    """The offline basemap's countries (Natural Earth), or None when the file is missing."""
    return _load_geojson(path or COUNTRIES_PATH)


def load_districts(path: Path | str | None = None) -> dict | None:
    """Libya's districts (shabiyat), or None when the file is missing."""
    return _load_geojson(path or DISTRICTS_PATH)


def load_regions(path: Path | str | None = None) -> dict | None:
    """The first-level regions of Libya's neighbours (governorates, wilayas, states), or None
    when the file is missing."""
    return _load_geojson(path or REGIONS_PATH)


def load_gmmr(path: Path | str | None = None) -> dict | None:
    """The Great Man-Made River's lines from the gazetteer, or None when there are none.

    Parameters
    ----------
    path : Path or str, optional
        The gazetteer GeoJSON (default ``data/gazetteer.geojson``); its features
        with kind ``infrastructure`` and an id starting ``ly:gmmr`` are the
        river's pipelines.

    Returns
    -------
    dict or None
        A FeatureCollection of LineStrings, without properties.

    Examples
    --------
    >>> load_gmmr()["features"][0]["geometry"]["type"]  # doctest: +SKIP
    'LineString'
    """
    path = path or GAZETTEER_PATH
    data = _load_geojson(path)
    if data is None:
        return None
    features = [
        {"type": "Feature", "geometry": f.get("geometry"), "properties": {}}
        for f in data.get("features", [])
        if (f.get("properties") or {}).get("kind") == "infrastructure"
        and str((f.get("properties") or {}).get("id", "")).startswith("ly:gmmr")
        and (f.get("geometry") or {}).get("type") in ("LineString", "MultiLineString")
    ]
    if not features:
        logger.warning("no Great Man-Made River lines (ly:gmmr*) in %s; layer left out", path)
        return None
    return {"type": "FeatureCollection", "features": features}


# The region the labels cover (west, south, east, north): Libya, its neighbours, the Sahel.
LABEL_BOUNDS = (-18.0, 4.0, 40.0, 40.0)


@functools.lru_cache(maxsize=2)
def place_labels(limit: int = 1500) -> tuple[tuple, ...]:
    """Names for the basemap from the shipped gazetteer, the zooms each shows at.

    Each item is (lat, lon, arabic, latin, min_zoom, max_zoom, is_country): countries from zoom 3
    to 6; cities of 300,000 people (Libya's of 50,000) from 5, of 100,000 from 6, of 20,000 from 7;
    other towns from 8; villages and oases of Libya from 9. At most ``limit``, most important first.
    """
    from geo.places.gazetteer import importance, load_gazetteer

    west, south, east, north = LABEL_BOUNDS
    out = []
    for place in sorted(load_gazetteer(), key=importance, reverse=True):
        if not (south <= place.lat <= north and west <= place.lon <= east):
            continue
        if place.kind == "country":
            zooms = (3, 6)
        elif place.kind in ("city", "town") and (place.population >= 300_000 or
                                                 (place.country == "LY" and place.population >= 50_000)):
            zooms = (5, 18)
        elif place.kind in ("city", "town") and place.population >= 100_000:
            zooms = (6, 18)
        elif place.kind in ("city", "town") and place.population >= 20_000:
            zooms = (7, 18)
        elif place.kind in ("city", "town"):
            zooms = (8, 18)
        elif place.kind in ("village", "oasis") and place.country == "LY":
            zooms = (9, 18)
        else:
            continue
        out.append((round(place.lat, 4), round(place.lon, 4), place.name_ar, place.name_en, *zooms,
                    place.kind == "country"))
    return tuple(out[:limit])
