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
