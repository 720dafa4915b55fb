"""The event map: a GeoDataFrame of events (the geo.frames shape) -> folium.Map.

One layer per event type, each drawn by a small Leaflet library
(``geo/map_layers.js``) from compact data: points on a canvas (clustered when
there are many), movements as lines with arrowheads, smuggling routes dashed,
presence as areas whose opacity says the precision. Building one folium object
per event takes seconds per ten thousand events; this stays near linear and
small. Popups are built in the browser with ``textContent`` from escaped data,
never from HTML strings, and ``event_popup_html`` renders the same record as
escaped HTML for Python callers (exports, tests).

Reference layers come from files shipped under ``data/``: the offline basemap
(Natural Earth countries), Libya's districts and the Great Man-Made River from
the gazetteer. A missing file leaves its layer out with a warning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import html
import json
import logging
import math
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geo.errors import InputError
from geo.models import EVENT_TYPES

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES_PATH = ROOT / "data" / "basemap" / "countries.geojson"
DISTRICTS_PATH = ROOT / "data" / "basemap" / "districts.geojson"
GAZETTEER_PATH = ROOT / "data" / "gazetteer.geojson"
_LIBRARY_PATH = Path(__file__).with_name("map_layers.js")

#: The middle of Libya's bounding box, (lat, lon).
LIBYA_CENTER = (26.4, 17.3)

#: Colour and symbol per event type: the map, its legend and the exports share them.
#: ``symbol`` is one of circle, square, triangle, diamond (points), arrow, dashed (lines),
#: area (polygons); a type's events that are points use ``point``.
EVENT_STYLE: dict[str, dict] = {
    "movement": {"label": "Movement", "color": "#1f5fa8", "symbol": "arrow", "point": "triangle"},
    "smuggling_route": {"label": "Smuggling route", "color": "#7b2d8e", "symbol": "dashed",
                        "point": "diamond", "dash": "8 6"},
    "base": {"label": "Base", "color": "#222222", "symbol": "square", "point": "square"},
    "presence": {"label": "Presence", "color": "#e0700b", "symbol": "area", "point": "circle"},
    "attack": {"label": "Attack", "color": "#d0191c", "symbol": "circle", "point": "circle"},
    "other": {"label": "Other", "color": "#6f7b80", "symbol": "diamond", "point": "diamond"},
}
#: Fill opacity of a presence area by its geo precision (1 = the named place itself).
PRECISION_OPACITY = {1: 0.45, 2: 0.28, 3: 0.14}
DATE_PRECISION_LABELS = {"day": "day", "week": "week", "month": "month", "year": "year",
                         "reported": "publication date"}
#: Above this many points a type's layer is clustered.
CLUSTER_MIN_POINTS = 200
#: Quotes longer than this are cut in the map's popups (the details panel shows them whole).
QUOTE_MAX_CHARS = 600
_FIELD_MAX_CHARS = 300
_BASEMAPS = ("offline", "osm", "satellite")
_TILES = {
    "osm": ("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "&copy; OpenStreetMap contributors"),
    "satellite": ("Satellite (online)",
                  "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/"
                  "tile/{z}/{y}/{x}", "Imagery &copy; Esri"),
}
_MARKERCLUSTER_CDN = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.4.1/"
# Bidi overrides/isolates and marks can reorder what an analyst reads (a quote that
# displays differently from what it says); other C0 controls have no business in a popup.
_UNSAFE_CHARS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
                           "\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Inside <script>, these would end the block or an HTML comment; \u2028/9 end JS lines.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


# --- text cleaning and popup records -----------------------------------------------------

def _clean(value: object, limit: int = _FIELD_MAX_CHARS) -> str:
    """Article text for display: no bidi controls, trimmed, capped (escaping comes later)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    text = _UNSAFE_CHARS.sub("", str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_list(value: object) -> list:
    """A JSON-text column value (actors, places) as a list; junk becomes []."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        logger.warning("ignoring a column value that is not JSON: %.60r", value)
        return []
    return parsed if isinstance(parsed, list) else []


def _int_or_none(value: object) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number


def _date_text(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "date unknown"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _clean(value, 40) or "date unknown"


def _quote_segments(quote: object, quote_start: object, places: list) -> list[str]:
    """The quote as alternating plain and highlighted pieces: [plain, mark, plain, ...].

    Place spans are offsets in the article; the quote starts at ``quote_start``.
    Splitting happens before cleaning, so dropping control characters cannot
    shift a highlight.
    """
    if not isinstance(quote, str) or not quote:
        return []
    base = _int_or_none(quote_start) or 0
    size = len(quote)
    spans = []
    for p in places:
        if isinstance(p, Mapping):
            start, end = _int_or_none(p.get("start")), _int_or_none(p.get("end"))
            if start is not None and end is not None and start - base < size and end > base:
                spans.append((max(start - base, 0), min(end - base, size)))
    pieces, cursor = [], 0
    for s, e in sorted(spans):
        if e <= cursor:
            continue
        s = max(s, cursor)
        pieces += [quote[cursor:s], quote[s:e]]
        cursor = e
    pieces.append(quote[cursor:])
    if _UNSAFE_CHARS.search(quote):
        pieces = [_UNSAFE_CHARS.sub("", piece) for piece in pieces]
    if size > QUOTE_MAX_CHARS and sum(map(len, pieces)) > QUOTE_MAX_CHARS:
        out, used = [], 0
        for i, piece in enumerate(pieces):
            if used + len(piece) > QUOTE_MAX_CHARS:
                out.append(piece[: QUOTE_MAX_CHARS - used] + "…")
                if i % 2:
                    out.append("")
                break
            out.append(piece)
            used += len(piece)
        pieces = out
    return pieces if any(pieces) else []


def _place_entries(places: list) -> list[list]:
    """[name, role, precision] per place, cleaned for display."""
    entries = []
    for p in places:
        if isinstance(p, Mapping):
            precision = _int_or_none(p.get("precision"))
            entries.append([_clean(p.get("name")) or "unnamed place", _clean(p.get("role"), 40),
                            str(precision) if precision else "unknown"])
    return entries


def _popup_record(row: Mapping, places: list | None = None, actors: list | None = None) -> list:
    """One event's popup content as a list (the layout geo/map_layers.js reads)."""
    places = _json_list(row.get("places")) if places is None else places
    actors = _json_list(row.get("actors")) if actors is None else actors
    event_type = str(row.get("type") or "other")
    date_precision = str(row.get("date_precision") or "")
    return [
        str(row.get("id") or ""),
        EVENT_STYLE.get(event_type, EVENT_STYLE["other"])["label"],
        [c for c in (_clean(a) for a in actors) if c],
        _date_text(row.get("event_date")),
        DATE_PRECISION_LABELS.get(date_precision, _clean(date_precision, 40) or "unknown"),
        _place_entries(places),
        _clean(row.get("speaker")),
        _clean(row.get("speaker_role")),
        _clean(row.get("source_type")) or "outlet",
        _clean(row.get("cited_outlet")),
        _clean(row.get("publisher")),
        _clean(row.get("url"), 2000),
        _quote_segments(row.get("quote"), row.get("quote_start"), places),
        bool(row.get("denied")) and not pd.isna(row.get("denied")),
    ]


def _is_link(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and not re.search(r"\s", url)


def _render_record(rec: list) -> str:
    """The popup record as escaped HTML (the same structure the browser builds)."""
    e = html.escape
    head = f'<span class="mp-type">{e(rec[1])}</span>'
    if rec[13]:
        head += ' · <span class="mp-denied">denied</span>'
    rows = [f'<div class="mp-row">{head}</div>']

    def row(label: str, value_html: str) -> None:
        rows.append(f'<div class="mp-row"><span class="mp-label">{label}: </span>{value_html}</div>')

    if rec[2]:
        row("Actors", ", ".join(f"<bdi>{e(a)}</bdi>" for a in rec[2]))
    row("Date", f'<bdi class="mp-value">{e(rec[3])} ({e(rec[4])})</bdi>')
    if rec[5]:
        row("Places", "; ".join(f"<bdi>{e(n)}</bdi> ({e(r)}, precision {e(p)})"
                                for n, r, p in rec[5]))
    who = ", ".join(v for v in (rec[6], rec[7]) if v)
    source = f"<bdi>{e(who)}</bdi>" if who else f"<span>{e(rec[8])}</span>"
    if rec[9]:
        source += f" to <bdi>{e(rec[9])}</bdi>"
    if rec[10]:
        source += f", published by <bdi>{e(rec[10])}</bdi>"
    row("Source", source)
    if rec[11]:
        url = e(rec[11])
        row("Link", f'<a href="{url}" target="_blank" rel="noopener noreferrer">{url}</a>'
            if _is_link(rec[11]) else f"<bdi>{url}</bdi>")
    if rec[12]:
        quote = "".join(f"<mark>{e(t)}</mark>" if i % 2 else e(t)
                        for i, t in enumerate(rec[12]) if t)
        rows.append(f'<blockquote class="mp-quote" dir="rtl" lang="ar">{quote}</blockquote>')
    return (f'<div class="marsad-popup" data-event-id="{e(rec[0])}">'
            + "".join(rows) + "</div>")


def event_popup_html(row: Mapping) -> str:
    """The popup of one event as escaped HTML.

    Every value from the article is escaped; bidi control characters are
    dropped; the quote sits in a ``dir="rtl"`` block with the place names
    wrapped in ``<mark>``; the source link is a link only for http(s) URLs.

    Parameters
    ----------
    row : Mapping
        One row of an events frame (``geo.frames.EVENT_COLUMNS``), e.g. ``frame.iloc[0]``.

    Returns
    -------
    str
        An HTML fragment, ``<div class="marsad-popup" ...>...</div>``.

    Examples
    --------
    >>> row = {"id": "e1", "type": "attack", "quote": "هجوم قرب بني وليد", "quote_start": 10,
    ...        "places": '[{"name": "بني وليد", "start": 19, "end": 27, "role": "location",
    ...                    "precision": 2}]'}
    >>> "<mark>بني وليد</mark>" in event_popup_html(row)
    True
    """
    return _render_record(_popup_record(row))


def popup_text(row: Mapping) -> str:
    """The popup's visible text (tags stripped), for golden summaries and exports."""
    # Block elements end a line; inline ones (bdi, mark, span, a) join their neighbours.
    fragment = re.sub(r"</div>|<blockquote[^>]*>", " ", event_popup_html(row))
    fragment = re.sub(r"<[^>]+>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(fragment)).strip()


# --- legend ----------------------------------------------------------------------------

def _symbol_svg(style: Mapping, size: int = 18) -> str:
    c, h = style["color"], size / 2
    symbol = style["symbol"]
    if symbol == "arrow":
        body = (f'<line x1="2" y1="{h}" x2="{size - 3}" y2="{h}" stroke="{c}" stroke-width="2.5"/>'
                f'<polyline points="{size - 8},{h - 5} {size - 3},{h} {size - 8},{h + 5}" '
                f'fill="none" stroke="{c}" stroke-width="2.5"/>')
    elif symbol == "dashed":
        body = (f'<line x1="1" y1="{h}" x2="{size - 1}" y2="{h}" stroke="{c}" '
                f'stroke-width="2.5" stroke-dasharray="4 3"/>')
    elif symbol == "area":
        body = (f'<rect x="1" y="3" width="{size - 2}" height="{size - 6}" fill="{c}" '
                f'fill-opacity="0.35" stroke="{c}"/>')
    elif symbol == "square":
        body = f'<rect x="4" y="4" width="{size - 8}" height="{size - 8}" fill="{c}" stroke="#fff"/>'
    elif symbol == "diamond":
        body = (f'<polygon points="{h},2 {size - 2},{h} {h},{size - 2} 2,{h}" fill="{c}" '
                f'stroke="#fff"/>')
    else:
        body = f'<circle cx="{h}" cy="{h}" r="{h - 3}" fill="{c}" stroke="#fff"/>'
    return f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}">{body}</svg>'


def _layer_label(event_type: str, count: int) -> str:
    style = EVENT_STYLE[event_type]
    return (f'<span class="marsad-key">{_symbol_svg(style, 14)}'
            f"{html.escape(style['label'])} ({count:,})</span>")


def legend_html() -> str:
    """The legend: one symbol per event type and what a presence area's shade means.

    Returns
    -------
    str
        An HTML fragment built from ``EVENT_STYLE`` (no article text).

    Examples
    --------
    >>> "Smuggling route" in legend_html()
    True
    """
    rows = [f"<div>{_symbol_svg(style)}{html.escape(style['label'])}</div>"
            for style in EVENT_STYLE.values()]
    shade = EVENT_STYLE["presence"]["color"]
    swatches = "".join(
        f'<span title="precision {p}" style="display:inline-block;width:14px;height:10px;'
        f'margin-left:2px;background:{shade};opacity:{o}"></span>'
        for p, o in PRECISION_OPACITY.items())
    rows.append(f"<div>Area shade: precision 1 · 2 · 3 {swatches}</div>")
    return "<div><b>Events</b></div>" + "".join(rows)


# --- reference data (lazy, cached, with a path argument) ---------------------------------

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


# --- folium elements -----------------------------------------------------------------------

def _json_loads(text: str) -> object:
    """json.loads, through orjson when installed (several times faster on 100,000 events)."""
    try:
        import orjson
    except ImportError:
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ValueError(str(exc)) from exc


def _json_dumps(value: object) -> str:
    try:
        import orjson
    except ImportError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return orjson.dumps(value).decode("utf-8")


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic GC while building: the 100,000-event build allocates millions of
    small acyclic lists and dicts, and collections triggered by them cost a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> block."""
    text = _json_dumps(value)
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text


class RawText(Element):
    """Text put into the page as is.

    branca's MacroElement.render wraps each rendered macro in ``Element(text)``,
    which compiles the text as a Jinja template: article text holding
    ``{{ ... }}`` would be evaluated on the server, and 100,000 events' data
    would be tokenized for nothing. Our elements hand their script over raw.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _SafeElement(MacroElement):
    """A MacroElement whose script reaches the figure without a second Jinja pass."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for name, url in getattr(self, "default_js", ()):
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", ()):
            figure.header.add_child(CssLink(url), name=name)
        if isinstance(self, Layer) and self.show:
            self.add_child(ElementAddToElement(self.get_name(), self._parent.get_name()),
                           name=self.get_name() + "_add")
        html_macro = self._template.module.__dict__.get("html")
        if html_macro is not None:
            figure.html.add_child(RawText(html_macro(self, kwargs)), name=self.get_name())
        script = self._template.module.__dict__["script"]
        figure.script.add_child(RawText(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _Library(_SafeElement):
    """Defines ``window.marsad`` (geo/map_layers.js) inside the map's own script.

    Inline rather than a <script src>: streamlit-folium re-inserts the header
    with innerHTML (inline header scripts would not run) and the map's script
    always runs.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.code }}
        marsad.setup({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "MarsadLibrary"
        self.code = _library_code()


@functools.cache
def _library_code() -> str:
    return _LIBRARY_PATH.read_text(encoding="utf-8")


class _EventLayer(_SafeElement, JSCSSMixin, Layer):
    """One event type's events, drawn by ``marsad.eventLayer`` from compact data."""

    # The data sits in the page body as inert JSON, not in the script: streamlit-folium
    # runs regular expressions over the script (a second per 100,000 events) and V8
    # parses JSON text faster than a literal. The element id has no underscore, so
    # streamlit-folium's renaming of folium variables leaves it alone.
    # The popups' data has a block of its own, left unparsed until a popup opens.
    _template = Template("""
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.data_id }}">{{ this.payload }}</script>
        <script type="application/json" id="{{ this.data_id }}-p">{{ this.popups }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = marsad.eventLayer({{ this._parent.get_name() }},
            JSON.parse(document.getElementById("{{ this.data_id }}").textContent),
            "{{ this.data_id }}-p");
        {% endmacro %}
    """)

    def __init__(self, name: str, payload: str, popups: str, *, clustered: bool,
                 rows: pd.DataFrame | None = None) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "MarsadEventLayer"
        self.payload = payload
        self.popups = popups
        self.rows = rows
        # From the content, not random: streamlit-folium keys its component on the script,
        # so the same data keeps the map (and its view) across reruns, new data replaces it.
        digest = hashlib.blake2b(payload.encode("utf-8"), digest_size=8)
        digest.update(popups.encode("utf-8"))
        self.data_id = f"marsad-data-{digest.hexdigest()}"
        if clustered:
            self.default_js = [("markerclusterjs", _MARKERCLUSTER_CDN + "leaflet.markercluster.js")]
            self.default_css = [
                ("markerclustercss", _MARKERCLUSTER_CDN + "MarkerCluster.css"),
                ("markerclusterdefaultcss", _MARKERCLUSTER_CDN + "MarkerCluster.Default.css"),
            ]


class _ReferenceLayer(_SafeElement, Layer):
    """A reference GeoJSON (basemap, districts, GMMR): drawn on its own pane, not clickable."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = marsad.referenceLayer({{ this._parent.get_name() }},
            {{ this.data }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, name: str, data: dict, *, style: dict, pane: str, overlay: bool = True,
                 show: bool = True) -> None:
        super().__init__(name=name, overlay=overlay, control=True, show=show)
        self._name = "MarsadReferenceLayer"
        self.data = _script_json(data)
        self.options = _script_json({"style": style, "pane": pane})


class _Strings(_SafeElement):
    """The map's string table (outlets, speakers, dates, place names), sent once."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        marsad.strings({{ this._parent.get_name() }}, {{ this.strings }});
        {% endmacro %}
    """)

    def __init__(self, strings: list[str]) -> None:
        super().__init__()
        self._name = "MarsadStrings"
        self.strings = _script_json(strings)


class _Legend(_SafeElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        marsad.legend({{ this._parent.get_name() }}, {{ this.html }}, "bottomleft");
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "MarsadLegend"
        self.html = _script_json(legend_html())


class _Ready(_SafeElement):
    """Marks the moment every layer is added and drawn (``window.marsadDrawn``), for benches."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        marsad.ready({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "MarsadReady"


# --- building -------------------------------------------------------------------------------

def _check_frame(events: object) -> gpd.GeoDataFrame:
    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError(f"events must be a GeoDataFrame (geo.frames shape), got {type(events)!r}")
    missing = [c for c in ("id", "type") if c not in events.columns]
    if missing:
        raise InputError(f"events frame lacks columns {missing!r}; expected geo.frames.EVENT_COLUMNS")
    return events


#: Coordinates go to the page as integers in steps of 1e-5 degree (about a metre).
_SCALE = 100_000
# Geometry kinds in the page: 0 point, 1 line, 2 polygon without holes, 3 anything else
# (multi-part, holes), which goes as GeoJSON under "x".
_POINT, _LINE, _POLYGON, _OTHER = 0, 1, 2, 3


def _geometry_columns(geoms: np.ndarray) -> dict[str, list]:
    """A layer's geometries as columns: kind (``k``), coordinate count (``n``), coordinates.

    The coordinates (``c``) are quantised to integers and each (x, y) is sent as the
    step from the one before: about a third of GeoJSON's text, parsed into one flat
    array instead of two small arrays per vertex. Multi-part geometries and polygons
    with holes (rare) go as GeoJSON in ``x``, as [index, geometry] pairs.
    """
    type_ids = shapely.get_type_id(geoms)
    holes = np.zeros(len(geoms), dtype=bool)
    polygons = type_ids == 3
    if polygons.any():
        holes[polygons] = shapely.get_num_interior_rings(geoms[polygons]) > 0
    kinds = np.full(len(geoms), _OTHER, dtype=np.int64)
    kinds[type_ids == 0] = _POINT
    kinds[type_ids == 1] = _LINE
    kinds[polygons & ~holes] = _POLYGON
    simple = kinds != _OTHER
    counts = np.zeros(len(geoms), dtype=np.int64)
    counts[simple] = shapely.get_num_coordinates(geoms[simple])
    xy = np.round(shapely.get_coordinates(geoms[simple]) * _SCALE).astype(np.int64)
    steps = np.diff(xy, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    extra = [[int(i), _json_loads(shapely.to_geojson(
                 shapely.transform(geoms[i], lambda c: np.round(c, 5))))]
             for i in np.flatnonzero(~simple)]
    return {"k": kinds.tolist(), "n": counts.tolist(), "c": steps.ravel().tolist(), "x": extra}


def _decode_geometries(spec: Mapping) -> list[dict]:
    """GeoJSON geometries back from a layer's columns (what the browser draws), for tests."""
    steps = np.asarray(spec["c"], dtype=np.int64).reshape(-1, 2)
    coords = (np.cumsum(steps, axis=0) / _SCALE).tolist()
    extra = dict((i, g) for i, g in spec["x"])
    out, cursor = [], 0
    for i, (kind, count) in enumerate(zip(spec["k"], spec["n"])):
        part = coords[cursor:cursor + count]
        cursor += count
        if kind == _POINT:
            out.append({"type": "Point", "coordinates": part[0]})
        elif kind == _LINE:
            out.append({"type": "LineString", "coordinates": part})
        elif kind == _POLYGON:
            out.append({"type": "Polygon", "coordinates": [part]})
        else:
            out.append(extra[i])
    return out


def _column(frame: pd.DataFrame, name: str) -> list:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def _parsed_lists(values: list) -> list[list]:
    """A JSON-text column (actors, places) parsed: one C call when every value is well formed."""
    if all(type(v) is str for v in values):
        try:
            parsed = _json_loads("[" + ",".join(values) + "]")
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and len(parsed) == len(values):
            return [p if isinstance(p, list) else [] for p in parsed]
    return [_json_list(v) for v in values]


class _StringTable:
    """Each distinct string once per map; columns carry its index (dates, outlets repeat)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self._raw: dict = {}

    def column(self, series: pd.Series, limit: int = _FIELD_MAX_CHARS,
               default: str = "") -> np.ndarray:
        """Codes for a whole column: factorized in C, each distinct value cleaned once."""
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        mapped = [self.code_raw(u, limit) for u in uniques]
        empty = self.code_raw(default, limit)
        remap = np.array([*mapped, empty], dtype=np.int64)  # code -1 (missing) -> default
        out = remap[codes]
        if default:
            out[out == self.code_raw("", limit)] = empty
        return out

    def code_raw(self, value: object, limit: int = _FIELD_MAX_CHARS) -> int:
        """The index of an uncleaned value, cleaned once per distinct value."""
        if isinstance(value, str):
            key = value
        elif value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            key = ""
        else:
            key = str(value)
        try:
            return self._raw[key]
        except KeyError:
            code = self.index.setdefault(_clean(key, limit), len(self.index))
            self._raw[key] = code
            return code

    def strings(self) -> list[str]:
        return list(self.index)


def _encode_places(places: list[list], quote_starts: list[int], table: _StringTable) -> list[list]:
    """Per event, a flat list of (name, role, precision, start, end) with spans relative to the quote."""
    out = []
    code = table.code_raw
    for entries, base in zip(places, quote_starts):
        flat: list = []
        for p in entries:
            if not isinstance(p, dict):
                continue
            start, end, precision = p.get("start"), p.get("end"), p.get("precision")
            # The store writes ints; anything else goes through the slow, forgiving path.
            if type(start) is not int:
                start = _int_or_none(start)
            if type(end) is not int:
                end = _int_or_none(end)
            if type(precision) is not int:
                precision = _int_or_none(precision)
            flat += [code(p.get("name")), code(p.get("role"), 40), precision or 0,
                     None if start is None else start - base, None if end is None else end - base]
        out.append(flat)
    return out


def _date_column(frame: pd.DataFrame) -> list[str]:
    if "event_date" not in frame.columns:
        return ["date unknown"] * len(frame)
    dates = pd.to_datetime(frame["event_date"], errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    days = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(str)
    return ["date unknown" if d == "NaT" else d for d in days.tolist()]


_POPUP_COLUMNS = ("id", "type", "actors", "places", "geo_precision", "event_date",
                  "date_precision", "speaker", "speaker_role", "source_type", "cited_outlet",
                  "publisher", "url", "quote", "quote_start", "denied")


def _columns(frame: pd.DataFrame, table: _StringTable) -> dict[str, list]:
    """Every column the layers send, for the whole frame (layers take slices).

    Repeating text becomes codes into ``table``; quotes, ids and geometry stay inline.
    """
    n = len(frame)

    def series(name: str) -> pd.Series:
        return frame[name] if name in frame.columns else pd.Series([None] * n, index=frame.index)

    cols: dict[str, list] = {}
    for key, name in (("sp", "speaker"), ("sr", "speaker_role"), ("co", "cited_outlet"),
                      ("pu", "publisher")):
        cols[key] = table.column(series(name)).tolist()
    cols["st"] = table.column(series("source_type"), default="outlet").tolist()
    cols["u"] = table.column(series("url"), limit=2000).tolist()
    dates = pd.Series(_date_column(frame), index=frame.index)
    cols["d"] = table.column(dates).tolist()
    raw = series("date_precision")
    labels = raw.map(DATE_PRECISION_LABELS)
    missing = labels.isna()
    if missing.any():
        labels = labels.astype(object)
        labels[missing] = raw[missing].map(lambda v: _clean(v, 40) or "unknown")
    cols["dp"] = table.column(labels).tolist()
    cols["id"] = [str(v) if v is not None else "" for v in _column(frame, "id")]
    cols["p"] = [_int_or_none(v) or 0 for v in _column(frame, "geo_precision")]
    cols["q"] = [v if isinstance(v, str) else "" for v in _column(frame, "quote")]
    quote_starts = [_int_or_none(v) or 0 for v in _column(frame, "quote_start")]
    cols["de"] = [bool(v) and not pd.isna(v) for v in _column(frame, "denied")]
    code = table.code_raw
    cols["ac"] = [[code(a) for a in actors] for actors in _parsed_lists(_column(frame, "actors"))]
    cols["pl"] = _encode_places(_parsed_lists(_column(frame, "places")), quote_starts, table)
    return cols


#: What drawing needs; every other column is read only when a popup opens.
_DRAW_KEYS = ("id", "p")


def _payload(event_type: str, cols: dict[str, list], geoms: np.ndarray) -> tuple[str, str, bool]:
    """The data one event layer draws, and its popups' data, as JSON safe inside <script>.

    The browser parses the first at load and the second at the layer's first
    popup. Returns (draw data, popup data, whether the layer clusters its points).
    """
    style = EVENT_STYLE.get(event_type, EVENT_STYLE["other"])
    geometry = _geometry_columns(geoms)
    clustered = geometry["k"].count(_POINT) > CLUSTER_MIN_POINTS
    spec_style = {
        "color": style["color"], "shape": style["point"],
        "radius": 6 if style["point"] != "circle" else 5, "stroke": "#ffffff",
        "weight": 3 if event_type == "movement" else 2.5,
        "arrow": style["symbol"] == "arrow", "dash": style.get("dash"),
    }
    spec = {"type": event_type, "label": style["label"], "style": spec_style,
            "cluster": clustered,
            "opacity": {str(k): v for k, v in PRECISION_OPACITY.items()} | {"0": 0.2},
            **{k: cols[k] for k in _DRAW_KEYS}, **geometry}
    popups = {k: v for k, v in cols.items() if k not in _DRAW_KEYS}
    return _script_json(spec), _script_json(popups), clustered


def _tile_layer(basemap: str, *, show: bool) -> folium.TileLayer:
    name, url, attribution = _TILES[basemap]
    return folium.TileLayer(url, name=name, attr=attribution, max_zoom=18, overlay=False,
                            control=True, show=show)


def build_event_map(
    events: gpd.GeoDataFrame,
    *,
    center: tuple[float, float] = LIBYA_CENTER,
    zoom: int = 6,
    basemap: str = "offline",
    reference_layers: bool = True,
    asset_base: str | None = None,
) -> folium.Map:
    """Build the event map: one layer per event type, reference layers, a legend.

    Pure: reads the shipped reference files (cached) but writes nothing.

    Parameters
    ----------
    events : GeoDataFrame
        Events in the ``geo.frames`` shape (``EVENT_COLUMNS`` plus geometry,
        EPSG:4326). Rows without a geometry are left off the map.
    center : tuple of float
        (lat, lon) of the initial view.
    zoom : int
        Initial zoom.
    basemap : {"offline", "osm", "satellite"}
        The base layer shown first. "offline" (Natural Earth, shipped under
        data/) makes no request; the online ones add their tiles and keep the
        offline basemap as an alternative in the layer control.
    reference_layers : bool
        Add Libya's districts and the Great Man-Made River (when their files exist).
    asset_base : str, optional
        URL of the folder ``geo.offline.install_assets`` filled; when given, every
        JS/CSS file is loaded from there instead of a CDN.

    Returns
    -------
    folium.Map
        Each event's feature carries ``properties.id`` (st_folium's
        ``last_active_drawing``) so a click maps back to its row. The selected
        event's ring is not part of it: the app adds it through st_folium's
        ``feature_group_to_add`` (``ui.selection_layer``), so selecting an event
        never rebuilds the map.

    Raises
    ------
    InputError
        When ``events`` is not an events GeoDataFrame or ``basemap`` is unknown.

    Examples
    --------
    >>> m = build_event_map(store.read(event_types=["attack"]), basemap="offline")  # doctest: +SKIP
    >>> m.location  # doctest: +SKIP
    [26.4, 17.3]
    """
    frame = _check_frame(events)
    if basemap not in _BASEMAPS:
        raise InputError(f"basemap must be one of {_BASEMAPS!r}, got {basemap!r}")
    with _gc_paused():
        return _build(frame, center=center, zoom=zoom, basemap=basemap,
                      reference_layers=reference_layers, asset_base=asset_base)


def _build(frame: gpd.GeoDataFrame, *, center, zoom, basemap, reference_layers,
           asset_base) -> folium.Map:
    lat, lon = center
    m = folium.Map(location=[lat, lon], zoom_start=zoom, tiles=None, prefer_canvas=True,
                   control_scale=True)
    # With tiles=None Leaflet has no maxZoom, which MarkerCluster needs.
    m.options["max_zoom"] = 18
    m.options["min_zoom"] = 2
    _Library().add_to(m)

    countries = load_countries()
    if countries is not None:
        _ReferenceLayer("Offline basemap (Natural Earth)", countries, overlay=False,
                        show=basemap == "offline", pane="marsad-basemap",
                        style={"color": "#8c8c8c", "weight": 0.8, "fillColor": "#f4f1ea",
                               "fillOpacity": 1}).add_to(m)
    if basemap != "offline":
        _tile_layer(basemap, show=True).add_to(m)
    if reference_layers:
        districts = load_districts()
        if districts is not None:
            _ReferenceLayer("Libya districts", districts, pane="marsad-reference", show=True,
                            style={"color": "#6b6b6b", "weight": 0.7, "dashArray": "3 3",
                                   "fill": False}).add_to(m)
        gmmr = load_gmmr()
        if gmmr is not None:
            _ReferenceLayer("Great Man-Made River", gmmr, pane="marsad-reference", show=True,
                            style={"color": "#1b9fd6", "weight": 2.5, "opacity": 0.8}).add_to(m)

    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if len(located) < len(frame):
        logger.info("%d events without a geometry are not on the map", len(frame) - len(located))
    # Areas first, points last: on the shared events canvas later layers draw on top and
    # win a click where features overlap.
    draw_order = ("presence", "smuggling_route", "movement", "base", "attack", "other")
    types = located["type"].astype(str).where(located["type"].isin(EVENT_TYPES), "other")
    rank = types.map({t: i for i, t in enumerate(draw_order)}).to_numpy()
    order = np.argsort(rank, kind="stable")
    # One reorder and one pass per column; each layer then takes a contiguous slice.
    needed = [c for c in _POPUP_COLUMNS if c in located.columns]
    rows = pd.DataFrame(located[needed]).iloc[order]
    geoms = located.geometry.to_numpy()[order]
    table = _StringTable()
    cols = _columns(rows, table)
    _Strings(list(table.index)).add_to(m)
    bounds = np.searchsorted(rank[order], np.arange(len(draw_order) + 1))
    for i, event_type in enumerate(draw_order):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        if lo == hi:
            continue
        payload, popups, clustered = _payload(
            event_type, {k: v[lo:hi] for k, v in cols.items()}, geoms[lo:hi])
        _EventLayer(_layer_label(event_type, hi - lo), payload, popups, clustered=clustered,
                    rows=rows.iloc[lo:hi]).add_to(m)

    _Legend().add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    _Ready().add_to(m)
    if asset_base is not None:
        from geo.offline import use_local_assets
        use_local_assets(m, asset_base)
    return m


def map_summary(m: folium.Map) -> dict:
    """What a map shows, for golden tests: layers, features (id, coordinates, popup text).

    Never the raw HTML: folium's element ids are random.
    """
    layers, features = [], []
    for child in m._children.values():
        if isinstance(child, _EventLayer):
            spec = json.loads(child.payload)
            layers.append({"type": spec["type"], "count": len(spec["id"]),
                           "clustered": spec["cluster"]})
            rows = child.rows.to_dict("records") if child.rows is not None else [{}] * len(spec["id"])
            geometries = _decode_geometries(spec)
            for event_id, geom, precision, row in zip(spec["id"], geometries, spec["p"], rows):
                features.append({"id": event_id, "type": spec["type"], "geometry": geom["type"],
                                 "coordinates": geom["coordinates"], "precision": precision,
                                 "popup": popup_text(row) if row else ""})
        elif isinstance(child, _ReferenceLayer):
            layers.append({"reference": child.layer_name, "overlay": child.overlay,
                           "show": child.show})
        elif isinstance(child, folium.TileLayer):
            layers.append({"tiles": child.tile_name, "show": child.show})
    return {"center": list(m.location), "layers": layers, "features": features}
