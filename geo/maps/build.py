"""The event map: a GeoDataFrame of events (the geo.store.frames shape) -> folium.Map.

One layer per event type drawn by ``geo.maps.layers`` (points on a canvas, clustered when
there are many; movements as lines with arrowheads; smuggling routes dashed; presence as areas
whose opacity says the precision), the reference layers of ``geo.maps.reference``, the legend
and the basemap choice.
"""

from __future__ import annotations

import json
import logging
import math

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import InputError
from geo.maps.layers import (
    _POPUP_COLUMNS,
    _columns,
    _decode_geometries,
    _EventLayer,
    _Labels,
    _Legend,
    _Library,
    _payload,
    _Ready,
    _ReferenceLayer,
    _Strings,
    _StringTable,
)
from geo.maps.reference import load_countries, load_districts, load_gmmr, place_labels
from geo.maps.style import SizeKey, _layer_label, popup_text
from geo.models import EVENT_TYPES
from geo.store.gpkg_query import collector_paused

logger = logging.getLogger(__name__)


#: The middle of Libya's bounding box, (lat, lon).
LIBYA_CENTER = (26.4, 17.3)


_BASEMAPS = ("offline", "osm", "satellite")


_TILES = {
    "osm": ("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "&copy; OpenStreetMap contributors"),
    "satellite": ("Satellite (online)",
                  "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/"
                  "tile/{z}/{y}/{x}", "Imagery &copy; Esri"),
}




def _check_frame(events: object) -> gpd.GeoDataFrame:
    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError(f"events must be a GeoDataFrame (geo.store.frames shape), got {type(events)!r}")
    missing = [c for c in ("id", "type") if c not in events.columns]
    if missing:
        raise InputError(f"events frame lacks columns {missing!r}; expected geo.store.frames.EVENT_COLUMNS")
    return events


def _tile_layer(basemap: str, *, show: bool) -> folium.TileLayer:
    name, url, attribution = _TILES[basemap]
    return folium.TileLayer(url, name=name, attr=attribution, max_zoom=18, overlay=False,
                            control=True, show=show)


_LIBYA_VIEW = ((27.0, 17.0), 5)
# Shapes wider than this (a continent, a far country named in passing) are left out of the fit,
# or they would shrink Libya to a dot.
_FIT_MAX_SPAN_DEG = 25.0


def fit_view(frame: gpd.GeoDataFrame, focus: tuple[float, float, float] | None = None
             ) -> tuple[tuple[float, float], int, list | None]:
    """(center, zoom, [[south, west], [north, east]]) that shows the events, or a place's circle.

    With ``focus`` (lat, lon, radius_km), the circle; else the located events, leaving out
    shapes wider than ``_FIT_MAX_SPAN_DEG``; Libya (and no bounds) when nothing is located.
    """
    if focus is not None:
        from geo.places.spatial import circle
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


def build_event_map(
    events: gpd.GeoDataFrame,
    *,
    center: tuple[float, float] = LIBYA_CENTER,
    zoom: int = 6,
    basemap: str = "offline",
    reference_layers: bool = True,
    asset_base: str | None = None,
    legend: bool = True,
    bounds: list | None = None,
    areas: gpd.GeoDataFrame | None = None,
    size_by: str | None = None,
    bins=None,
    cell_km: float = 20.0,
) -> folium.Map:
    """Build the event map: one layer per event type, reference layers, a legend.

    Pure: reads the shipped reference files (cached) but writes nothing.

    Parameters
    ----------
    events : GeoDataFrame
        Events in the ``geo.store.frames`` shape (``EVENT_COLUMNS`` plus geometry,
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
        URL of the folder ``geo.maps.offline.install_assets`` filled; when given, every
        JS/CSS file is loaded from there instead of a CDN.
    legend : bool, default True
        False leaves the event legend out (a map of places, not events).
    bounds : [[south, west], [north, east]], optional
        Fit the first view to these bounds (``fit_view``) rather than ``center``/``zoom``.
    areas : GeoDataFrame, optional
        ``geo.maps.aggregates.area_counts``'s table: drawn as the layer «Events per district»
        (a choropleth, off until ticked in the layer control).
    size_by : {"fatalities", "fighters"}, optional
        Adds a circle over each attack and presence whose claim gives that number, its area
        in proportion to it (``SIZE_BY``), as the layer «Sized by …»; the legend says what the
        circles mean and how many events give no number (``size_key``).
    bins : DataFrame, optional
        ``geo.store.summary.hex_bins``'s counts, hexagons of ``cell_km``: drawn instead of
        the events (``geo.maps.bins``) when a selection is too large to draw one by one;
        ``events`` is then only what the page lists (it is not drawn).

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
    with collector_paused():
        if size_by is not None and size_by not in SIZE_BY:
            raise InputError(f"size_by must be one of {sorted(SIZE_BY)!r}, got {size_by!r}")
        m = _build(frame if bins is None else frame.iloc[0:0], center=center, zoom=zoom, basemap=basemap,
                   reference_layers=reference_layers, asset_base=asset_base,
                   legend=legend and bins is None, areas=areas, size_by=size_by,
                   bins=bins, cell_km=cell_km)
    if bounds:
        m.fit_bounds(bounds, padding=(20, 20), max_zoom=11)
    return m


#: What a symbol can be sized by: the label, and the event types it applies to.
SIZE_BY = {"fatalities": ("fatalities", ("attack",)), "fighters": ("force size (fighters)", ("presence", "movement", "base"))}
_MAX_RADIUS = 40


def sized_values(frame: gpd.GeoDataFrame, size_by: str) -> np.ndarray:
    """Each event's number for ``size_by`` (NaN where its claim gives none or its type is not sized):
    fatalities as stored; force size as the sum of its fighters counts' low ends."""
    _, types = SIZE_BY[size_by]
    if size_by == "fatalities":
        values = pd.to_numeric(frame.get("fatalities", pd.Series(np.nan, index=frame.index)), errors="coerce")
    else:
        from geo.events.count_text import parse_counts
        values = pd.Series([sum(c["low"] for c in parse_counts(v) if c["kind"] == "fighters") or np.nan
                            for v in frame.get("counts", pd.Series("[]", index=frame.index)).tolist()],
                           index=frame.index, dtype=float)
    return values.where(frame["type"].isin(types)).to_numpy(dtype=float)


def size_radius(value: float, largest: float) -> float:
    """A circle's radius in pixels: its area in proportion to the value, the largest 40 px."""
    return max(3.0, _MAX_RADIUS * math.sqrt(value / largest)) if largest > 0 and value > 0 else 3.0


def size_key(frame: gpd.GeoDataFrame, size_by: str) -> SizeKey | None:
    """What ``size_by``'s circles over ``frame`` mean, for the legend: reference circles at the
    largest value, about half of it and 1, and how many events of the sized types have no number.
    None when no event has one (no circle is drawn)."""
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    label, types = SIZE_BY[size_by]
    values = sized_values(frame, size_by)
    stated = ~np.isnan(values)
    if not stated.any():
        return None
    largest = float(np.nanmax(values))
    steps = sorted({largest, float(max(1, round(largest / 2))), 1.0} if largest >= 1 else {largest}, reverse=True)
    return SizeKey(label, types, tuple((v, size_radius(v, largest)) for v in steps),
                   sized=int(stated.sum()), unsized=int(frame["type"].isin(types).sum() - stated.sum()))


def _sized_layer(frame: gpd.GeoDataFrame, size_by: str) -> folium.FeatureGroup | None:
    """Proportional circles at each sized event's main point (not clickable: the event is)."""
    from geo.events.geometry import event_points
    from geo.maps.style import EVENT_STYLE

    values = sized_values(frame, size_by)
    keep = ~np.isnan(values)
    if not keep.any():
        return None
    points = event_points(frame["type"], frame.geometry)
    largest = float(np.nanmax(values))
    label, _ = SIZE_BY[size_by]
    group = folium.FeatureGroup(name=f"Sized by {label} (largest {largest:g})", show=True)
    for value, point, event_type in zip(values, points, frame["type"].tolist()):
        if np.isnan(value) or point is None:
            continue
        color = EVENT_STYLE.get(event_type, EVENT_STYLE["other"])["color"]
        circle = folium.CircleMarker([point.y, point.x], radius=size_radius(value, largest), color=color,
                                     weight=1.5, fill=True, fill_color=color, fill_opacity=0.18)
        # folium's path options drop «interactive»: set it, so a circle never takes the event's click
        circle.options["interactive"] = False
        circle.add_to(group)
    return group


def _build(frame: gpd.GeoDataFrame, *, center, zoom, basemap, reference_layers,
           asset_base, legend=True, areas=None, size_by=None, bins=None, cell_km=20.0) -> folium.Map:
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

    labels = place_labels()
    if labels:
        _Labels([list(label) for label in labels], show=basemap == "offline").add_to(m)
    if areas is not None and not areas.empty:
        _area_layer(areas).add_to(m)
    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if size_by is not None and len(located):
        sized = _sized_layer(located, size_by)
        if sized is not None:
            sized.add_to(m)
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

    if bins is not None:
        from geo.maps.bins import hex_layer
        for element in hex_layer(bins, cell_km=cell_km):
            element.add_to(m)
    if legend:
        _Legend(size_key(located, size_by) if size_by is not None else None).add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    _Ready().add_to(m)
    if asset_base is not None:
        from geo.maps.offline import use_local_assets
        use_local_assets(m, asset_base)
    return m


def _area_style(feature: dict) -> dict:
    # a module function, not a lambda: the app caches built maps, and a cached value is pickled
    return {"fillColor": feature["properties"]["fill"], "fillOpacity": 0.75, "color": "#555", "weight": 0.8}


def _area_layer(areas: gpd.GeoDataFrame) -> folium.GeoJson:
    """Events per district (and per first-level region of the neighbours) as a choropleth, off by default."""
    from geo.maps.aggregates import shade, simplified

    busiest = int(areas["events"].max())
    data = simplified(areas)[["unit", "name_ar", "name_en", "events", "geometry"]]
    data["fill"] = [shade(int(n), busiest) for n in data["events"]]
    return folium.GeoJson(
        data.to_json(), name="Events per district", show=False, control=True,
        style_function=_area_style,
        tooltip=folium.GeoJsonTooltip(["name_ar", "name_en", "events"], aliases=["", "", "events"]),
    )


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
