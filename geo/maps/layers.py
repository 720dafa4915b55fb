"""The event layers in the page: folium elements around a small Leaflet library
(``layers.js``) and the compact data it draws.

Building one folium object per event takes seconds per ten thousand events; instead each
type's events go to the page as columns (quantised coordinate steps, a string table for the
popups) that ``layers.js`` turns into canvas features. Everything put into a script block is
JSON escaped for ``<script>``; branca's Jinja never sees article text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geo.maps.style import (
    _FIELD_MAX_CHARS,
    DATE_PRECISION_LABELS,
    EVENT_STYLE,
    PRECISION_OPACITY,
    _clean,
    _int_or_none,
    _json_list,
    legend_html,
    modality_label,
)
from geo.events.count_text import counts_text, parse_counts
from geo.text.lexicon import actor_label

_LIBRARY_PATH = Path(__file__).with_name("layers.js")


#: Above this many points a type's layer is clustered.
CLUSTER_MIN_POINTS = 200


# Inside <script>, these would end the block or an HTML comment; \u2028/9 end JS lines.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


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


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> block."""
    text = _json_dumps(value)
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text


_MARKERCLUSTER_CDN = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.4.1/"


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
    """Defines ``window.marsad`` (geo/maps/layers.js) inside the map's own script.

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


class _Labels(_SafeElement, Layer):
    """Place names on the basemap (``geo.maps.reference.place_labels``), shown by zoom."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = marsad.labels({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
    """)

    def __init__(self, data: list, *, name: str = "Place names", show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "MarsadLabels"
        self.data = _script_json(data)


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

    def __init__(self, size=None) -> None:
        super().__init__()
        self._name = "MarsadLegend"
        self.html = _script_json(legend_html(size))


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
                  "publisher", "url", "quote", "quote_start", "denied", "modality", "counts")


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
    cols["de"] = [modality_label(m, d) for m, d in zip(series("modality").tolist(), _column(frame, "denied"))]
    cols["h"] = [1 if label else 0 for label in cols["de"]]   # not held as fact: drawn hollow or dotted
    counted = ["" if v is None or v == "[]" or not isinstance(v, (str, list)) else counts_text(parse_counts(v))
               for v in series("counts").tolist()]   # most claims give no number: no JSON to parse
    cols["n"] = table.column(pd.Series(counted, index=frame.index)).tolist()
    code = table.code_raw
    cols["ac"] = [[code(actor_label(a)) for a in actors] for actors in _parsed_lists(_column(frame, "actors"))]
    cols["pl"] = _encode_places(_parsed_lists(_column(frame, "places")), quote_starts, table)
    return cols


#: What drawing needs; every other column is read only when a popup opens.
_DRAW_KEYS = ("id", "p", "h")


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
