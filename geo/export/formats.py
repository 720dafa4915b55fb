"""The data formats: GeoJSON, KML, CSV (ACLED-like columns) and GeoPackage.

The text is kept exactly and only the file syntax is escaped, plus the CSV formula guard
(spreadsheets execute cells) and escaped HTML in KML balloons.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.events.count_text import counts_by_kind, counts_text
from geo.events.geometry import event_points
from geo.export.rows import (
    _BIDI_CONTROLS,
    DEFAULT_TITLE,
    _actors,
    _atomic,
    _check_frame,
    _link,
    _main_place,
    _place_chain,
    _places,
    _rows,
    counts_of,
    display_text,
    places_text,
)
from geo.models import COUNT_KINDS, EVENT_TYPES
from geo.store.frames import EVENT_COLUMNS
from geo.text.lexicon import actor_label

# A spreadsheet evaluates a cell that starts with one of these (OWASP's CSV injection list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# ACLED's time_precision: 1 = the day is known, 2 = the week (or a few days), 3 = only the month.
# "reported" means the publication date stood in for the event date: about a week of doubt.
_TIME_PRECISION = {"day": 1, "week": 2, "reported": 2, "month": 3, "year": 3}


CSV_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type",
    "actor1", "actor2", "assoc_actors", "country", "admin1", "location", "places",
    "latitude", "longitude", "geo_precision", "source", "source_type", "notes",
    "source_url", "quote", "denied", "modality", "sub_event_type", "speaker", "speaker_role",
    "publisher", "cited_outlet", "confidence", "review", "article_id", "geometry_wkt",
    # ACLED's fatalities (the number killed; 0 when the text says none; empty when it does not
    # say), then every count the claim gives, as the text gives it («~700», «20–99 (vague)»)
    "fatalities", *COUNT_KINDS,
)


_CSV_NUMERIC = frozenset({"year", "time_precision", "latitude", "longitude", "geo_precision",
                          "confidence", "fatalities"})


# Escaped as \uXXXX, which every JSON reader turns back into the same character: the file
# never holds a literal tag or a bidi override, so pasting it into a page or a terminal is safe.
_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&`" + _BIDI_CONTROLS}


def _json_safe(text: str) -> str:
    return text.translate(_JSON_ESCAPES)


def _properties(row: dict[str, Any]) -> dict[str, Any]:
    props = {c: row[c] for c in EVENT_COLUMNS}
    props["event_date"] = row["event_date"].isoformat() if row["event_date"] else None
    props.update(_readable(row))
    return props


def _readable(row: dict[str, Any]) -> dict[str, str]:
    """Actors, places and counts as a reader writes them, beside the exact JSON columns."""
    return {"actor_names": "; ".join(actor_label(a) for a in _actors(row["actors"])),
            "place_names": places_text(_places(row["places"])),
            "count_names": counts_text(counts_of(row.get("counts")))}


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
        from geo.maps.style import EVENT_STYLE
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
    counted = counts_text(counts_of(row.get("counts")))
    if counted:
        lines.append(f'<p>counts: <bdi>{display_text(counted)}</bdi></p>')
    lines.append(f'<p>source: <bdi>{display_text(_source_line(row))}</bdi></p>')
    if row["url"]:
        lines.append(f"<p>{_link(row['url'])}</p>")
    if row["denied"]:
        lines.append("<p><b>denied by the source</b></p>")
    elif row.get("modality") in ("planned", "attempted", "alleged"):
        lines.append(f"<p><b>{display_text(row['modality'])}</b></p>")
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


def _csv_row(row: dict[str, Any], gazetteer: Any, point: Any) -> dict[str, Any]:
    """One CSV row; ``point`` is where the event is (``geo.events.geometry.event_points``)."""
    actors = [actor_label(a) for a in _actors(row["actors"])]
    places = _places(row["places"])
    main = _main_place(places)
    country, admin1 = _place_admin(main, gazetteer)
    date = row["event_date"]
    notes = f"{row['type']}: {_place_chain(places) or 'unplaced'}"
    if actors:
        notes += f"; actors: {', '.join(actors)}"
    notes += f"; source: {_source_line(row)}"
    if row["denied"]:
        notes += "; denied by the source"
    elif row.get("modality") in ("planned", "attempted", "alleged"):
        notes += f"; {row['modality']}"
    sources = dict.fromkeys(s for s in (row["publisher"], row["cited_outlet"], row["speaker"]) if s)
    by_kind = counts_by_kind(counts_of(row.get("counts")))
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
        # a route is where it runs: its chain of places; anything else: its main place
        "location": _place_chain(places) if row["type"] == "smuggling_route"
        else str(main.get("name") or "") if main else "",
        "places": places_text(places),
        "latitude": f"{point.y:.5f}" if point is not None else "",
        "longitude": f"{point.x:.5f}" if point is not None else "",
        "geo_precision": "" if row["geo_precision"] is None else row["geo_precision"],
        "source": "; ".join(sources),
        "source_type": row["source_type"],
        "notes": notes,
        "source_url": row["url"],
        "quote": row["quote"],
        "denied": "yes" if row["denied"] else "no",
        "modality": row.get("modality") or "",
        "sub_event_type": row.get("sub_type") or "",
        "speaker": row["speaker"],
        "speaker_role": row["speaker_role"],
        "publisher": row["publisher"],
        "cited_outlet": row["cited_outlet"],
        "confidence": "" if row["confidence"] is None else f"{row['confidence']:.2f}",
        "review": row["review"],
        "article_id": row["article_id"],
        "geometry_wkt": row["geometry"].wkt if row["geometry"] is not None else "",
        "fatalities": "" if row.get("fatalities") is None else int(row["fatalities"]),
        **{kind: by_kind.get(kind, "") for kind in COUNT_KINDS},
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
            points = event_points(frame["type"], frame.geometry)
            for row, point in zip(_rows(frame), points):
                cells = _csv_row(row, gazetteer, point)
                writer.writerow({k: v if k in _CSV_NUMERIC else guard_formula(str(v))
                                 for k, v in cells.items()})
    return Path(path)


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
    rows = [{**row, **_readable(row)} for row in _rows(frame)]
    out = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "actor_names", "place_names", "geometry"]),
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
