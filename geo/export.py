"""Exports of the filtered events: PNG snapshot, offline HTML, GeoJSON, KML, CSV, GeoPackage.

Every writer takes the event frame ``EventStore.read()`` returns (``geo.frames.EVENT_COLUMNS``
plus ``geometry``, EPSG:4326) and a path, and writes the whole file or nothing:
the output goes to a temporary file next to ``path`` that replaces it at the end.

Article text is untrusted. Where a format is shown as HTML (the HTML page, the PNG
made from it, a KML balloon) every value is HTML-escaped and bidi override
characters are made visible; where a format is data (GeoJSON, KML extended
data, CSV, GeoPackage) the text is kept exactly, and only the file syntax is
escaped (plus the CSV formula guard, because spreadsheets execute cells).

The command line (``python -m geo.export --help``) reads the store with the
same filters as the dashboard and writes one format.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import csv
import datetime as dt
import difflib
import html
import json
import logging
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import (GeometryCollection, LineString, MultiLineString, MultiPoint,
                              MultiPolygon, Point, Polygon)
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoError, InputError
from geo.frames import EVENT_COLUMNS
from geo.ingest import DEFAULT_DB, resolve_db
from geo.models import EVENT_TYPES

logger = logging.getLogger(__name__)

FORMATS = ("png", "html", "geojson", "kml", "csv", "gpkg")
DEFAULT_TITLE = "Marsad — مرصد"
PNG_TIMEOUT_S = 60.0

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
)

# Explicit direction controls (embeddings, overrides, isolates). Shown as HTML they can
# reorder the text around them («Trojan Source»); LRM/RLM/ALM are ordinary marks and stay.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# A spreadsheet evaluates a cell that starts with one of these (OWASP's CSV injection list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ACLED's time_precision: 1 = the day is known, 2 = the week (or a few days), 3 = only the month.
# "reported" means the publication date stood in for the event date: about a week of doubt.
_TIME_PRECISION = {"day": 1, "week": 2, "reported": 2, "month": 3, "year": 3}
_ROLE_ORDER = ("location", "destination", "origin", "via")

CSV_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type",
    "actor1", "actor2", "assoc_actors", "country", "admin1", "location",
    "latitude", "longitude", "geo_precision", "source", "source_type", "notes",
    "source_url", "quote", "denied", "speaker", "speaker_role", "publisher",
    "cited_outlet", "confidence", "review", "article_id", "geometry_wkt",
)
_CSV_NUMERIC = frozenset({"year", "time_precision", "latitude", "longitude", "geo_precision",
                          "confidence"})


# --------------------------------------------------------------------------- frame helpers

def _check_frame(frame: Any) -> gpd.GeoDataFrame:
    """The frame itself when it has the event columns and a geometry; InputError otherwise."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"an export needs the GeoDataFrame EventStore.read() returns, "
                         f"got {type(frame).__name__!r}")
    missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"the event frame lacks the columns {missing!r}")
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def _missing(value: Any) -> bool:
    """True for None, NaN and NaT."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    """A cell as a string ('' for missing values)."""
    return "" if _missing(value) else str(value)


def _int(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _date(value: Any) -> dt.date | None:
    """A cell as a date (the store gives Timestamps, tests may give dates or strings)."""
    if _missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _json_list(value: Any) -> list:
    """A JSON list column as a list ([] when empty or broken, with a warning)."""
    if isinstance(value, list):
        return value
    text = _text(value)
    if not text:
        return []
    try:
        out = json.loads(text)
    except json.JSONDecodeError:
        logger.warning("ignoring a list column that is not JSON: %r", text[:80])
        return []
    return out if isinstance(out, list) else []


def _actors(value: Any) -> list[str]:
    return [str(a) for a in _json_list(value) if str(a).strip()]


def _places(value: Any) -> list[dict]:
    return [p for p in _json_list(value) if isinstance(p, dict)]


def _main_place(places: list[dict]) -> dict | None:
    """The place that best says where the event is: location, then destination, origin, via."""
    for role in _ROLE_ORDER:
        for place in places:
            if place.get("role") == role:
                return place
    return places[0] if places else None


def _place_chain(places: list[dict]) -> str:
    """Place names in order, «origin → destination»."""
    names = [str(p.get("name") or "") for p in places]
    return " → ".join(dict.fromkeys(n for n in names if n))


def _geometry(value: Any) -> BaseGeometry | None:
    if value is None or not isinstance(value, BaseGeometry) or value.is_empty:
        return None
    return value


def _lat_lon(geometry: BaseGeometry | None) -> tuple[float, float] | None:
    """A point for the row: the point itself, else one on the line or in the area."""
    if geometry is None:
        return None
    point = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return point.y, point.x


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "event_date": _date, "geo_precision": _int, "quote_start": _int, "quote_end": _int,
    "confidence": lambda v: None if _missing(v) else float(v),
    "denied": lambda v: False if _missing(v) else bool(v),
}


def _rows(frame: gpd.GeoDataFrame) -> Iterator[dict[str, Any]]:
    """Each event as plain Python values: text, int/float/bool or None, dates as ``date``."""
    columns = {c: [_CONVERT.get(c, _text)(v) for v in frame[c].tolist()] for c in EVENT_COLUMNS}
    geometries = [_geometry(g) for g in frame.geometry.tolist()]
    for i, geometry in enumerate(geometries):
        row = {c: values[i] for c, values in columns.items()}
        row["geometry"] = geometry
        yield row


@contextmanager
def _atomic(path: str | Path, *, suffix: str) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path``."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"the export path {str(target)!r} is a folder, not a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(0o644)   # mkstemp makes the file private; an export is meant to be shared
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- GeoJSON

# Escaped as \uXXXX, which every JSON reader turns back into the same character: the file
# never holds a literal tag or a bidi override, so pasting it into a page or a terminal is safe.
_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&`" + _BIDI_CONTROLS}


def _json_safe(text: str) -> str:
    return text.translate(_JSON_ESCAPES)


def _properties(row: dict[str, Any]) -> dict[str, Any]:
    props = {c: row[c] for c in EVENT_COLUMNS}
    props["event_date"] = row["event_date"].isoformat() if row["event_date"] else None
    return props


def to_geojson(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write the events as an RFC 7946 GeoJSON FeatureCollection.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    path : str or Path
        The file to write (replaced if it exists).

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    Properties are the ``EVENT_COLUMNS`` (``actors`` and ``places`` stay JSON text,
    as in the store); an event without a geometry has ``"geometry": null``.
    ``<``, ``>``, ``&``, backticks and bidi controls are written as ``\\uXXXX``
    escapes, which decode to the same text.

    Examples
    --------
    >>> to_geojson(store.read(event_types=["base"]), "قواعد.geojson")  # doctest: +SKIP
    """
    frame = _check_frame(frame)
    features = [
        {"type": "Feature", "id": row["id"],
         "geometry": None if row["geometry"] is None else row["geometry"].__geo_interface__,
         "properties": _properties(row)}
        for row in _rows(frame)
    ]
    # No indent: json's C encoder only runs without one (10x faster at 10,000 events).
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    with _atomic(path, suffix=".geojson") as tmp:
        tmp.write_text(_json_safe(text), encoding="utf-8")
    return Path(path)


# --------------------------------------------------------------------------- display text

def display_text(value: Any) -> str:
    """Untrusted text ready to put in HTML: escaped, bidi controls shown as ``[U+202E]``.

    Examples
    --------
    >>> display_text("<b>بني وليد</b>\\u202e")
    '&lt;b&gt;بني وليد&lt;/b&gt;[U+202E]'
    """
    text = html.escape(_text(value), quote=True)
    for ch in _BIDI_CONTROLS:
        text = text.replace(ch, f"[U+{ord(ch):04X}]")
    return text


def _safe_url(url: str) -> str | None:
    """The URL when it is http(s) and can be a link; None otherwise (shown as text only)."""
    url = url.strip()
    if url.lower().startswith(("http://", "https://")) and not any(
            ch in url for ch in _BIDI_CONTROLS + "\"'<> \n\r\t`"):
        return url
    return None


def _link(url: str) -> str:
    """An escaped link for an http(s) URL; any other value as plain escaped text."""
    safe = _safe_url(url)
    if safe is None:
        return f"<bdi>{display_text(url)}</bdi>"
    return (f'<a href="{html.escape(safe, quote=True)}" rel="noopener noreferrer nofollow" '
            f'target="_blank" dir="ltr">{display_text(safe.split("://", 1)[1])}</a>')


# --------------------------------------------------------------------------- KML

_KML_NS = "http://www.opengis.net/kml/2.2"


def _kml_color(hex_color: str, alpha: int) -> str:
    """'#rrggbb' as KML's aabbggrr."""
    h = hex_color.lstrip("#")
    if len(h) != 6:
        h = "888888"
    return f"{alpha:02x}{h[4:6]}{h[2:4]}{h[0:2]}"


def _type_colors() -> dict[str, str]:
    """The map's colour for each event type (grey when the map module does not say)."""
    colors = {t: "#777777" for t in EVENT_TYPES}
    try:
        from geo.maps import EVENT_STYLE
    except ImportError:   # the map module is optional for the data exports
        return colors
    for event_type, style in EVENT_STYLE.items():
        color = style.get("color") if isinstance(style, Mapping) else getattr(style, "color", None)
        if isinstance(color, str) and color.startswith("#"):
            colors[event_type] = color
    return colors


def _coords(points: Sequence) -> str:
    return " ".join(f"{x:.6f},{y:.6f}" for x, y, *_ in points)


def _kml_geometry(parent, geometry: BaseGeometry) -> None:
    """Append the KML for a shapely geometry (x = lon) to ``parent``."""
    if isinstance(geometry, Point):
        _sub(_sub(parent, "Point"), "coordinates", _coords(geometry.coords))
    elif isinstance(geometry, LineString):
        line = _sub(parent, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "coordinates", _coords(geometry.coords))
    elif isinstance(geometry, Polygon):
        poly = _sub(parent, "Polygon")
        _sub(_sub(_sub(poly, "outerBoundaryIs"), "LinearRing"), "coordinates",
             _coords(geometry.exterior.coords))
        for interior in geometry.interiors:
            _sub(_sub(_sub(poly, "innerBoundaryIs"), "LinearRing"), "coordinates",
                 _coords(interior.coords))
    elif isinstance(geometry, (MultiPoint, MultiLineString, MultiPolygon, GeometryCollection)):
        multi = _sub(parent, "MultiGeometry")
        for part in geometry.geoms:
            _kml_geometry(multi, part)
    else:
        raise InputError(f"cannot write a {geometry.geom_type!r} geometry to KML")


def _sub(parent, tag: str, text: str | None = None, **attrs: str):
    """A KML child element; lxml escapes the text and attributes when it serializes."""
    from lxml import etree

    element = etree.SubElement(parent, f"{{{_KML_NS}}}{tag}", attrs)
    if text is not None:
        element.text = _xml_text(text)
    return element


# XML 1.0 cannot hold most C0 controls even escaped; a report with one must still export.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _event_name(row: dict[str, Any]) -> str:
    places = _place_chain(_places(row["places"]))
    date = row["event_date"].isoformat() if row["event_date"] else "no date"
    return f"{row['type']}: {places or 'unplaced'} ({date})"


def _source_line(row: dict[str, Any]) -> str:
    """Who said it, as one line of text (not HTML)."""
    parts = []
    if row["speaker"]:
        parts.append(row["speaker"] + (f" ({row['speaker_role']})" if row["speaker_role"] else ""))
    if row["cited_outlet"]:
        parts.append(f"via {row['cited_outlet']}")
    if row["publisher"]:
        parts.append(f"published by {row['publisher']}")
    return "; ".join(parts) or row["source_type"]


def _description_html(row: dict[str, Any]) -> str:
    """The balloon HTML of one event: every value escaped, each in its own direction."""
    lines = [
        f'<p dir="auto"><b>{display_text(row["type"])}</b> — '
        f'<bdi>{display_text(_place_chain(_places(row["places"])))}</bdi></p>',
    ]
    if row["quote"]:
        lines.append(f'<p dir="auto">«<bdi>{display_text(row["quote"])}</bdi>»</p>')
    actors = _actors(row["actors"])
    if actors:
        lines.append("<p>actors: " + "، ".join(f"<bdi>{display_text(a)}</bdi>" for a in actors)
                     + "</p>")
    lines.append(f'<p>source: <bdi>{display_text(_source_line(row))}</bdi></p>')
    if row["url"]:
        lines.append(f"<p>{_link(row['url'])}</p>")
    if row["denied"]:
        lines.append("<p><b>denied by the source</b></p>")
    return "".join(lines)


def to_kml(frame: gpd.GeoDataFrame, path: str | Path, *, name: str = DEFAULT_TITLE) -> Path:
    """Write the events as KML 2.2 (Google Earth, QGIS), one Placemark per event.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    path : str or Path
        The file to write (replaced if it exists).
    name : str
        The document's name.

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    The XML serializer escapes every value. The ``description`` is HTML (Google
    Earth renders it), so the event text in it is HTML-escaped first, and the
    balloon shows only the description, never the raw ``ExtendedData``, which
    holds every column exactly.

    Examples
    --------
    >>> to_kml(store.read(near=(31.76, 13.99, 50)), "حول_بني_وليد.kml")  # doctest: +SKIP
    """
    from lxml import etree

    frame = _check_frame(frame)
    kml = etree.Element(f"{{{_KML_NS}}}kml", nsmap={None: _KML_NS})
    doc = _sub(kml, "Document")
    _sub(doc, "name", name)
    for event_type, color in _type_colors().items():
        style = _sub(doc, "Style", id=f"type-{event_type}")
        _sub(_sub(style, "IconStyle"), "color", _kml_color(color, 0xff))
        line = _sub(style, "LineStyle")
        _sub(line, "color", _kml_color(color, 0xff))
        _sub(line, "width", "3")
        _sub(_sub(style, "PolyStyle"), "color", _kml_color(color, 0x55))
        # Only the escaped description in the balloon: Google Earth's default balloon
        # would paste the ExtendedData values into HTML unescaped.
        _sub(_sub(style, "BalloonStyle"), "text", "$[description]")
    for row in _rows(frame):
        mark = _sub(doc, "Placemark", id=_xml_text(f"event-{row['id']}"))
        _sub(mark, "name", _event_name(row))
        _sub(mark, "description", _description_html(row))
        if row["event_date"]:
            _sub(_sub(mark, "TimeStamp"), "when", row["event_date"].isoformat())
        _sub(mark, "styleUrl", f"#type-{row['type']}")
        data = _sub(mark, "ExtendedData")
        for column, value in _properties(row).items():
            _sub(_sub(data, "Data", name=column), "value", "" if value is None else str(value))
        if row["geometry"] is not None:
            _kml_geometry(mark, row["geometry"])
    with _atomic(path, suffix=".kml") as tmp:
        etree.ElementTree(kml).write(str(tmp), encoding="utf-8", xml_declaration=True,
                                     pretty_print=True)
    return Path(path)


# --------------------------------------------------------------------------- CSV

def guard_formula(text: str) -> str:
    """Prefix an apostrophe when a spreadsheet would read ``text`` as a formula.

    Examples
    --------
    >>> guard_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> guard_formula("قافلة من سبها")
    'قافلة من سبها'
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _place_admin(place: dict | None, gazetteer: Any) -> tuple[str, str]:
    """(country, admin1) of a place from the gazetteer, ('', '') when unknown."""
    if place is None or gazetteer is None or not place.get("place_id"):
        return "", ""
    entry = gazetteer.get(str(place["place_id"]))
    if entry is None:
        return "", ""
    return entry.country, entry.admin1


def _csv_row(row: dict[str, Any], gazetteer: Any) -> dict[str, Any]:
    actors = _actors(row["actors"])
    places = _places(row["places"])
    main = _main_place(places)
    country, admin1 = _place_admin(main, gazetteer)
    point = _lat_lon(row["geometry"])
    date = row["event_date"]
    notes = f"{row['type']}: {_place_chain(places) or 'unplaced'}"
    if actors:
        notes += f"; actors: {', '.join(actors)}"
    notes += f"; source: {_source_line(row)}"
    if row["denied"]:
        notes += "; denied by the source"
    sources = dict.fromkeys(s for s in (row["publisher"], row["cited_outlet"], row["speaker"]) if s)
    return {
        "event_id_cnty": row["id"],
        "event_date": date.isoformat() if date else "",
        "year": date.year if date else "",
        "time_precision": _TIME_PRECISION.get(row["date_precision"], ""),
        "event_type": row["type"],
        "actor1": actors[0] if actors else "",
        "actor2": actors[1] if len(actors) > 1 else "",
        "assoc_actors": "; ".join(actors[2:]),
        "country": country,
        "admin1": admin1,
        "location": str(main.get("name") or "") if main else "",
        "latitude": f"{point[0]:.5f}" if point else "",
        "longitude": f"{point[1]:.5f}" if point else "",
        "geo_precision": "" if row["geo_precision"] is None else row["geo_precision"],
        "source": "; ".join(sources),
        "source_type": row["source_type"],
        "notes": notes,
        "source_url": row["url"],
        "quote": row["quote"],
        "denied": "yes" if row["denied"] else "no",
        "speaker": row["speaker"],
        "speaker_role": row["speaker_role"],
        "publisher": row["publisher"],
        "cited_outlet": row["cited_outlet"],
        "confidence": "" if row["confidence"] is None else f"{row['confidence']:.2f}",
        "review": row["review"],
        "article_id": row["article_id"],
        "geometry_wkt": row["geometry"].wkt if row["geometry"] is not None else "",
    }


def to_csv(frame: gpd.GeoDataFrame, path: str | Path, *, gazetteer: Any = None) -> Path:
    """Write the events as an ACLED-like CSV table, one row per event.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    path : str or Path
        The file to write (replaced if it exists).
    gazetteer : Gazetteer, optional
        Fills ``country`` and ``admin1`` from the event's main place.

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    Columns are ``CSV_COLUMNS``: ACLED's names where they fit (``time_precision``
    1 day, 2 week, 3 month or year; ``geo_precision`` 1-3), then the source URL,
    the quote, the denial and the full geometry as WKT. UTF-8 with a byte-order
    mark so Excel reads the Arabic. A text cell that starts with ``= + - @``, a
    tab or a carriage return gets a leading apostrophe so no spreadsheet runs it.

    Examples
    --------
    >>> to_csv(store.read(since="2024-01-01"), "أحداث_2024.csv")  # doctest: +SKIP
    """
    frame = _check_frame(frame)
    with _atomic(path, suffix=".csv") as tmp:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for row in _rows(frame):
                cells = _csv_row(row, gazetteer)
                writer.writerow({k: v if k in _CSV_NUMERIC else guard_formula(str(v))
                                 for k, v in cells.items()})
    return Path(path)


# --------------------------------------------------------------------------- GeoPackage

def to_gpkg(frame: gpd.GeoDataFrame, path: str | Path, *, layer: str = "events") -> Path:
    """Write the events as a GeoPackage layer that QGIS opens directly.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    path : str or Path
        The file to write (replaced if it exists: an export is a new file).
    layer : str
        The layer name.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> to_gpkg(store.read(event_types=["smuggling_route"]), "طرق_التهريب.gpkg")  # doctest: +SKIP
    """
    frame = _check_frame(frame)
    out = gpd.GeoDataFrame(
        pd.DataFrame(list(_rows(frame)), columns=[*EVENT_COLUMNS, "geometry"]),
        geometry="geometry", crs="EPSG:4326")
    out["event_date"] = pd.to_datetime(out["event_date"])
    for column in ("geo_precision", "quote_start", "quote_end"):
        out[column] = out[column].astype("Int64")
    out["denied"] = out["denied"].astype(bool)
    out["confidence"] = out["confidence"].astype(float)
    with _atomic(path, suffix=".gpkg") as tmp:
        tmp.unlink()   # GDAL refuses to create a GeoPackage over an empty file
        out.to_file(tmp, driver="GPKG", layer=layer, engine="pyogrio")
    return Path(path)


# --------------------------------------------------------------------------- the page (HTML, PNG)

_LIBYA_VIEW = ((27.0, 17.0), 5)
_MAX_SOURCES = 40
_MAX_URLS_PER_SOURCE = 2
_FIT_MAX_SPAN_DEG = 25.0

_PAGE_CSS = """
html, body { height: 100%; margin: 0; padding: 0; }
body {
  display: grid; grid-template-columns: minmax(0, 1fr) 300px;
  grid-template-rows: auto minmax(0, 1fr) auto;
  grid-template-areas: "title title" "map side" "foot foot";
  font-family: "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", sans-serif;
  color: #1d232a; background: #fff; overflow: hidden;
}
body > .folium-map {
  grid-area: map; position: relative !important; width: auto !important;
  height: auto !important; left: 0 !important; top: 0 !important; min-height: 0;
}
.mx-title { grid-area: title; margin: 0; padding: 10px 16px; font-size: 22px;
  background: #1d2b36; color: #fff; display: flex; justify-content: space-between;
  align-items: baseline; gap: 16px; }
.mx-title > span { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  overflow: hidden; overflow-wrap: anywhere; }
.mx-title small { font-size: 14px; font-weight: normal; opacity: .85; white-space: nowrap; }
.mx-side { grid-area: side; overflow: hidden; padding: 10px 14px; border-inline-start: 1px solid #ccd;
  font-size: 13px; line-height: 1.45; background: #f7f8fa; }
.mx-side h2 { font-size: 14px; margin: 10px 0 4px; text-transform: uppercase; letter-spacing: .04em;
  color: #445; }
.mx-side ul { margin: 0; padding-inline-start: 18px; }
.mx-side dl { margin: 0; }
.mx-side svg { vertical-align: middle; margin-inline-end: 6px; }
.mx-side dt { font-weight: bold; margin-top: 4px; }
.mx-side dd { margin: 0 0 2px 10px; overflow-wrap: anywhere; }
.mx-foot { grid-area: foot; padding: 6px 16px 8px; font-size: 12px; line-height: 1.4;
  border-top: 1px solid #ccd; background: #fff; max-height: 24vh; overflow: auto; }
.mx-foot .mx-sources { margin: 2px 0 0; padding: 0; list-style: none; columns: 2; column-gap: 24px; }
.mx-foot .mx-sources li { break-inside: avoid; overflow-wrap: anywhere; }
.mx-foot a { color: #1f5fa8; }
.folium-map .marsad-legend { display: none; }
"""

# Added to the map last, so it runs after every layer (and the map module's own ready mark):
# two frames later Leaflet's canvas renderers have drawn what was added.
_READY_TEMPLATE = """
{% macro script(this, kwargs) %}
{% if this.bounds %}
{{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }},
    {padding: [30, 30], maxZoom: 11, animate: false});
{% endif %}
requestAnimationFrame(function () {
  requestAnimationFrame(function () { window.marsadExportReady = true; });
});
{% endmacro %}
"""
# A snapshot has no use for buttons; the page's side panel already holds the legend.
_SNAPSHOT_CSS = (".leaflet-control-zoom, .leaflet-control-layers { display: none !important; }"
                 ".mx-foot { overflow: hidden; }")


def _filter_lines(filters: Any, place: Any = None) -> list[tuple[str, str]]:
    """(label, value) lines that say which filters made this selection."""
    if filters is None:
        return []
    if isinstance(filters, Mapping):
        return [(str(k), ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v))
                for k, v in filters.items() if v not in (None, "", (), [])]
    lines: list[tuple[str, str]] = []
    if getattr(filters, "place_id", None):
        en, ar = getattr(place, "name_en", ""), getattr(place, "name_ar", "")
        name = (f"{en} ({ar})" if en and ar else en or ar) or filters.place_id
        lines.append(("place", f"{name}, within {filters.radius_km:g} km"))
    if filters.since or filters.until:
        lines.append(("dates", f"{filters.since or '…'} → {filters.until or '…'}"))
    for label, name in (("event types", "event_types"), ("actors", "actors"),
                        ("outlets", "outlets"), ("speakers", "speakers")):
        values = getattr(filters, name, ())
        if values:
            lines.append((label, " · ".join(map(str, values))))
    if getattr(filters, "precision", ()):
        lines.append(("precision", ", ".join(map(str, filters.precision))))
    if not getattr(filters, "include_denied", True):
        lines.append(("denied claims", "hidden"))
    return lines


def _sources(frame: gpd.GeoDataFrame) -> list[tuple[str, list[str]]]:
    """(publisher or outlet, its URLs) for the footer, most events first."""
    found: dict[str, dict[str, None]] = {}
    counts: dict[str, int] = {}
    for row in _rows(frame):
        names = [n for n in (row["publisher"], row["cited_outlet"]) if n] or ["(no outlet named)"]
        label = " / ".join(dict.fromkeys(names))
        found.setdefault(label, {})
        counts[label] = counts.get(label, 0) + 1
        if row["url"]:
            found[label][row["url"]] = None
    order = sorted(found, key=lambda k: (-counts[k], k))
    return [(label, list(found[label])) for label in order]


def _legend_block() -> str:
    """The map module's legend (fixed markup from its style table, no article text)."""
    from geo.maps import legend_html

    return legend_html()


def _page_html(frame: gpd.GeoDataFrame, *, title: str, filters: Any, place: Any,
               exported_at: dt.datetime) -> str:
    """Title bar, side panel (legend, filters) and footer (date, sources); all text escaped."""
    lines = _filter_lines(filters, place)
    filters_html = ("<dl>" + "".join(
        f'<dt>{display_text(k)}</dt><dd dir="auto"><bdi>{display_text(v)}</bdi></dd>'
        for k, v in lines) + "</dl>") if lines else "<p>none: every stored event</p>"
    sources = _sources(frame)
    n_urls = len({u for _, urls in sources for u in urls})
    n_outlets = len({n for column in ("publisher", "cited_outlet")
                     for n in frame[column].dropna() if str(n).strip()})
    items = []
    for label, urls in sources[:_MAX_SOURCES]:
        links = ", ".join(_link(u) for u in urls[:_MAX_URLS_PER_SOURCE])
        more = len(urls) - _MAX_URLS_PER_SOURCE
        extra = f" (+{more})" if more > 0 else ""
        items.append(f'<li><bdi dir="auto">{display_text(label)}</bdi>'
                     f'{" — " + links if links else ""}{extra}</li>')
    if len(sources) > _MAX_SOURCES:
        items.append(f"<li>… and {len(sources) - _MAX_SOURCES} more</li>")
    n = len(frame)
    located = int((~(frame.geometry.isna() | frame.geometry.is_empty)).sum()) if n else 0
    when = exported_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"""
<header class="mx-title"><span dir="auto">{display_text(title)}</span>
<small>{n} events, {located} on the map</small></header>
<aside class="mx-side">
<h2>Legend</h2>{_legend_block()}
<h2>Filters</h2>{filters_html}
</aside>
<footer class="mx-foot"><div>Exported {when} by Marsad. Reports as published; places and dates
as read by the geoparser (precision 1 = the named place, 2 = near it, 3 = a region).</div>
<div><b>Sources</b> ({n_urls} reports, {n_outlets} outlets):</div><ul class="mx-sources">{"".join(items) or "<li>none</li>"}</ul></footer>
"""


def _view(frame: gpd.GeoDataFrame, focus: tuple[float, float, float] | None = None
          ) -> tuple[tuple[float, float], int, list | None]:
    """(center, zoom, bounds) for the snapshot.

    The circle of a place filter when there is one; else the located events,
    leaving out shapes wider than ``_FIT_MAX_SPAN_DEG`` (a continent or a far
    country named in passing would shrink Libya to a dot); Libya when nothing is located.
    """
    if focus is not None:
        from geo.spatial import circle
        minx, miny, maxx, maxy = circle(*focus).bounds
    else:
        geoms = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)] \
            if len(frame) else gpd.GeoSeries([])
        if geoms.empty:
            center, zoom = _LIBYA_VIEW
            return center, zoom, None
        b = geoms.bounds
        small = geoms[((b.maxx - b.minx) <= _FIT_MAX_SPAN_DEG) & ((b.maxy - b.miny) <= _FIT_MAX_SPAN_DEG)]
        minx, miny, maxx, maxy = (small if not small.empty else geoms).total_bounds
    span = max(maxx - minx, maxy - miny, 0.05)
    zoom = int(max(3, min(11, math.floor(math.log2(360 / span)))))
    return ((miny + maxy) / 2, (minx + maxx) / 2), zoom, [[miny, minx], [maxy, maxx]]


def _focus(filters: Any, place: Any) -> tuple[float, float, float] | None:
    """(lat, lon, radius_km) of a place filter, when the place is known."""
    if place is None or not getattr(filters, "place_id", None):
        return None
    return place.lat, place.lon, float(filters.radius_km)


def page_html(frame: gpd.GeoDataFrame, *, title: str = DEFAULT_TITLE, filters: Any = None,
              place: Any = None, exported_at: dt.datetime | None = None) -> str:
    """The export page as one offline HTML document: title, map, legend, filters, footer.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    title : str
        Shown in the title bar (escaped).
    filters : geo.filters.Filters or mapping, optional
        What made this selection; a mapping is shown as label -> value.
    place : geo.models.Place, optional
        The place ``filters.place_id`` names, for its name.
    exported_at : datetime, optional
        The date shown in the footer (now, UTC, by default).

    Returns
    -------
    str
        A complete HTML document with every script and stylesheet inlined.

    Examples
    --------
    >>> text = page_html(frame, title="تحركات جنوب بني وليد")  # doctest: +SKIP
    """
    from branca.element import MacroElement
    from folium.template import Template

    from geo.maps import RawText, build_event_map
    from geo.offline import standalone_html

    frame = _check_frame(frame)
    exported_at = exported_at or dt.datetime.now(dt.timezone.utc)
    center, zoom, bounds = _view(frame, _focus(filters, place))
    m = build_event_map(frame, center=center, zoom=zoom, basemap="offline")
    root = m.get_root()
    # RawText, not Element: an Element's text is compiled as a Jinja template, so a
    # title, outlet or filter holding «{{ ... }}» would be evaluated on our side.
    root.header.add_child(RawText(f"<title>{display_text(title)}</title><style>{_PAGE_CSS}</style>"),
                          name="marsad_export_head")
    root.html.add_child(RawText(_page_html(frame, title=title, filters=filters, place=place,
                                           exported_at=exported_at)), name="marsad_export_page")
    ready = MacroElement()
    ready._name = "MarsadExportReady"
    ready._template = Template(_READY_TEMPLATE)
    # Without animation: a zoom animation would still be running when the flag is set.
    ready.bounds = [[float(v) for v in corner] for corner in bounds] if bounds else None
    ready.add_to(m)
    return standalone_html(m)


def to_html(frame: gpd.GeoDataFrame, path: str | Path, *, title: str = DEFAULT_TITLE,
            filters: Any = None, place: Any = None,
            exported_at: dt.datetime | None = None) -> Path:
    """Write the export page as a standalone HTML file that works offline.

    Parameters are those of ``page_html``; ``path`` is replaced if it exists.

    Examples
    --------
    >>> to_html(frame, "خريطة.html", title="قواعد في الجنوب")  # doctest: +SKIP
    """
    text = page_html(frame, title=title, filters=filters, place=place, exported_at=exported_at)
    with _atomic(path, suffix=".html") as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _check_size(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 200 <= value <= 8000:
        raise InputError(f"{name} must be a whole number of pixels in [200, 8000], got {value!r}")
    return value


def render_png(html_path: str | Path, png_path: str | Path, *, width: int, height: int,
               timeout_s: float = PNG_TIMEOUT_S) -> dict[str, Any]:
    """Screenshot an HTML file in headless Chromium at exactly ``width`` x ``height``.

    The page may load nothing but ``file:`` and ``data:`` URLs, dialogs are
    dismissed (and counted), and the shot waits until the page says it is
    ready (``window.marsadExportReady``, set two frames after the last layer is added).

    Returns
    -------
    dict
        ``blocked`` (URLs refused), ``dialogs`` (messages dismissed), ``seconds``.

    Raises
    ------
    GeoError
        When Chromium is missing or the page does not become ready in time.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise GeoError(f"PNG export needs Chromium at {CHROMIUM!r} (apt-get install chromium)")
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        # Playwright's sync API refuses to run on a thread with a running event loop.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(render_png, html_path, png_path, width=width, height=height,
                               timeout_s=timeout_s).result()
    started = time.perf_counter()
    blocked: list[str] = []
    dialogs: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    def dialog(d) -> None:
        dialogs.append(d.message)
        d.dismiss()

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
            try:
                context = browser.new_context(viewport={"width": width, "height": height},
                                              device_scale_factor=1, java_script_enabled=True)
                page = context.new_page()
                page.route("**/*", route)
                page.on("dialog", dialog)
                page.goto(Path(html_path).resolve().as_uri(), wait_until="load",
                          timeout=timeout_s * 1000)
                page.wait_for_function("window.marsadExportReady === true",
                                       timeout=timeout_s * 1000)
                page.add_style_tag(content=_SNAPSHOT_CSS)
                page.evaluate("document.fonts.ready.then(() => true)")
                page.screenshot(path=str(png_path), type="png", full_page=False)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise GeoError(f"Chromium could not render {str(html_path)!r}: {exc}") from exc
    if blocked:
        logger.warning("the export page asked for %d outside URLs (refused): %s",
                       len(blocked), blocked[:3])
    return {"blocked": blocked, "dialogs": dialogs, "seconds": time.perf_counter() - started}


def to_png(frame: gpd.GeoDataFrame, path: str | Path, *, width: int = 1600, height: int = 1000,
           title: str = DEFAULT_TITLE, filters: Any = None, place: Any = None,
           exported_at: dt.datetime | None = None) -> Path:
    """Write a PNG snapshot of the export page, rendered by headless Chromium.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    path : str or Path
        The PNG to write (replaced if it exists).
    width, height : int
        The image size in pixels (200-8000 each); the page is laid out at this size.
    title, filters, place, exported_at
        As for ``page_html``.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        For a size outside [200, 8000].
    GeoError
        When Chromium is missing or cannot render the page.

    Examples
    --------
    >>> to_png(store.read(near=(31.76, 13.99, 100)), "بني_وليد.png", width=1200, height=800)  # doctest: +SKIP
    """
    width, height = _check_size("width", width), _check_size("height", height)
    frame = _check_frame(frame)
    text = page_html(frame, title=title, filters=filters, place=place, exported_at=exported_at)
    with tempfile.TemporaryDirectory(prefix="marsad-png-") as folder:
        page = Path(folder) / "page.html"
        page.write_text(text, encoding="utf-8")
        with _atomic(path, suffix=".png") as tmp:
            report = render_png(page, tmp, width=width, height=height)
    if report["dialogs"]:
        logger.warning("the export page opened %d dialogs (dismissed)", len(report["dialogs"]))
    logger.info("PNG %dx%d of %d events in %.1f s", width, height, len(frame), report["seconds"])
    return Path(path)


# --------------------------------------------------------------------------- dispatch

def export(frame: gpd.GeoDataFrame, path: str | Path, *, fmt: str, title: str = DEFAULT_TITLE,
           filters: Any = None, place: Any = None, gazetteer: Any = None,
           width: int = 1600, height: int = 1000) -> Path:
    """Write ``frame`` to ``path`` in one of ``FORMATS``.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    path : str or Path
        The file to write.
    fmt : {'png', 'html', 'geojson', 'kml', 'csv', 'gpkg'}
    title, filters, place
        Shown on the PNG and HTML pages (``title`` also names the KML document).
    gazetteer : Gazetteer, optional
        Fills the CSV's country and admin1.
    width, height : int
        The PNG's size.

    Returns
    -------
    Path

    Raises
    ------
    InputError
        For an unknown format (quoted) or a bad frame.

    Examples
    --------
    >>> export(store.read(event_types=["movement"]), "تحركات.kml", fmt="kml")  # doctest: +SKIP
    """
    writers: dict[str, Callable[[], Path]] = {
        "png": lambda: to_png(frame, path, width=width, height=height, title=title,
                              filters=filters, place=place),
        "html": lambda: to_html(frame, path, title=title, filters=filters, place=place),
        "geojson": lambda: to_geojson(frame, path),
        "kml": lambda: to_kml(frame, path, name=title),
        "csv": lambda: to_csv(frame, path, gazetteer=gazetteer),
        "gpkg": lambda: to_gpkg(frame, path),
    }
    key = fmt.lower().lstrip(".") if isinstance(fmt, str) else fmt
    if key not in writers:
        raise InputError(f"export format must be one of {list(FORMATS)}, got {fmt!r}")
    return writers[key]()


# --------------------------------------------------------------------------- command line

def _date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _radius_arg(value: str) -> float:
    try:
        radius = float(value)
    except ValueError:
        radius = float("nan")
    if not 0 < radius <= 1000:
        raise argparse.ArgumentTypeError(f"expected kilometres in (0, 1000], got {value!r}")
    return radius


def _size_arg(value: str) -> int:
    try:
        return _check_size("the size", int(value))
    except (ValueError, InputError):
        raise argparse.ArgumentTypeError(f"expected pixels in [200, 8000], got {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.export",
        description="Export the stored events that pass the filters as PNG, offline HTML, "
                    "GeoJSON, KML, CSV or GeoPackage.")
    parser.add_argument("--db", help=f"GeoPackage path or postgresql:// URL "
                                     f"(default: $MARSAD_DB, else {DEFAULT_DB})")
    parser.add_argument("--place", metavar="NAME", help="a gazetteer place, Arabic or Latin")
    parser.add_argument("--radius-km", type=_radius_arg, metavar="N",
                        help="with --place: keep events within N km (default 50)")
    parser.add_argument("--since", type=_date_arg, metavar="YYYY-MM-DD")
    parser.add_argument("--until", type=_date_arg, metavar="YYYY-MM-DD")
    parser.add_argument("--type", dest="types", nargs="+", action="extend", choices=EVENT_TYPES,
                        metavar="T", help=f"event types: {', '.join(EVENT_TYPES)}")
    parser.add_argument("--hide-denied", action="store_true", help="leave out denied claims")
    parser.add_argument("--format", dest="fmt", required=True, choices=FORMATS)
    parser.add_argument("--out", required=True, metavar="FILE")
    parser.add_argument("--title", default=DEFAULT_TITLE, help="title of the PNG/HTML page")
    parser.add_argument("--width", type=_size_arg, default=1600, help="PNG width in pixels")
    parser.add_argument("--height", type=_size_arg, default=1000, help="PNG height in pixels")
    parser.add_argument("--gazetteer", help="a gazetteer GeoJSON file (default: the shipped one)")
    return parser


def _find_place(gazetteer: Any, name: str) -> Any:
    """The best gazetteer match for ``name``; InputError naming near matches when none."""
    from geo.normalize import normalize

    found = gazetteer.search(name, limit=1)
    if found:
        return found[0]
    names: dict[str, str] = {}
    for original, place_id in gazetteer.names():
        names.setdefault(normalize(original).strip(), place_id)
    close = difflib.get_close_matches(normalize(name).strip(), list(names), n=20, cutoff=0.6)
    places = [gazetteer.get(i) for i in dict.fromkeys(names[c] for c in close)][:5]
    labels = [" / ".join(n for n in (p.name_en, p.name_ar) if n) + f" ({p.kind}, {p.country})"
              for p in places if p is not None]
    hint = f"; did you mean {'; '.join(labels)}?" if labels else ""
    raise InputError(f"no place named {name!r} in the gazetteer{hint}")


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """The command line: read the filtered events, write one file, print what was written.

    Exit status 0 when the file is written, 2 for bad arguments (an unknown place,
    a bad date, ``--since`` after ``--until``, a missing store), 1 when reading or
    writing fails.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    environ = os.environ if environ is None else environ
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.since and args.until and args.since > args.until:
        parser.error(f"--since {args.since} is after --until {args.until}")
    if args.radius_km is not None and not args.place:
        parser.error("--radius-km needs --place")

    from geo.filters import DEFAULT_RADIUS_KM, Filters, read_kwargs
    from geo.store import open_store

    db = resolve_db(args.db, environ)
    if not db.startswith(("postgres://", "postgresql://", "postgresql+")) and not Path(db).is_file():
        print(f"error: no store at {db!r}; ingest reports first (python -m geo.ingest --db {db} ...) "
              f"or name one with --db or $MARSAD_DB", file=sys.stderr)
        return 2
    gazetteer = place = None
    try:
        if args.place or args.fmt == "csv":
            from geo.gazetteer import load_gazetteer
            gazetteer = load_gazetteer(args.gazetteer)
        if args.place:
            place = _find_place(gazetteer, args.place)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    filters = Filters(place_id=place.id if place else None,
                      radius_km=args.radius_km or DEFAULT_RADIUS_KM,
                      since=args.since, until=args.until, event_types=tuple(args.types or ()),
                      include_denied=not args.hide_denied)
    started = time.perf_counter()
    try:
        store = open_store(db)
        try:
            frame = store.read(**read_kwargs(filters, place))
        finally:
            store.close()
        out = export(frame, args.out, fmt=args.fmt, title=args.title, filters=filters,
                     place=place, gazetteer=gazetteer, width=args.width, height=args.height)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if place is not None:
        print(f"place: {place.name_ar or place.name_en} ({place.id}) at {place.lat:.4f}, "
              f"{place.lon:.4f}, radius {filters.radius_km:g} km", file=sys.stderr)
    print(f"wrote {len(frame)} events to {out} ({args.fmt}, "
          f"{time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
