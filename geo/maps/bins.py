"""The map of a large selection: events counted per hexagon instead of drawn one by one.

Above ``AGGREGATE_ABOVE`` matching events a map of every event is tens of megabytes sent
in one websocket message and seconds of drawing, and past ~265,000 Streamlit refuses the
message. ``hex_layer`` draws ``geo.store.summary.hex_bins``'s counts instead: one hexagon
per cell that has events, shaded by how many, its tooltip giving the count per type. Only the
centres and counts go to the page (the browser draws the hexagons), so the map stays a few
hundred kilobytes whatever the store's size.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

from geo.maps.aggregates import SHADES
from geo.maps.layers import _SafeElement, _script_json
from geo.store.summary import hex_corners

#: Above this many matching events the map shows hexagons, not events.
AGGREGATE_ABOVE = 20_000


def hex_cells_table(bins: pd.DataFrame) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """(the types, one row per hexagon: lon, lat, total, shade step; the count of each type per
    hexagon), in one vectorised pass over ``hex_bins``'s rows. Shade steps are logarithmic: a few
    busy towns would otherwise leave every other hexagon the lightest shade."""
    types = tuple(sorted(bins["type"].astype(str).unique()))
    if bins.empty:
        return types, np.empty((0, 4)), np.empty((0, 0), dtype=int)
    table = bins.pivot_table(index=["lon", "lat"], columns="type", values="events", aggfunc="sum",
                             fill_value=0).reindex(columns=list(types), fill_value=0)
    counts = table.to_numpy(dtype=int)
    totals = counts.sum(axis=1)
    top = np.log1p(totals.max())
    steps = 1 + np.floor(np.log1p(totals) / top * (len(SHADES) - 2)).astype(int) if top > 0 else np.ones_like(totals)
    lon = table.index.get_level_values("lon").to_numpy()
    lat = table.index.get_level_values("lat").to_numpy()
    return types, np.column_stack([lon, lat, totals, np.minimum(steps, len(SHADES) - 1)]), counts


class _HexLayer(_SafeElement, Layer):
    """The hexagons, drawn in the browser from their centres and counts (a few bytes a cell,
    not a GeoJSON polygon and an HTML label each); the tooltip is built with text nodes."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (d) {
          var group = L.featureGroup();
          d.cells.forEach(function (c, k) {
            var corners = d.corners.map(function (o) { return [c[1] + o[1], c[0] + o[0]]; });
            var poly = L.polygon(corners, {fillColor: d.shades[c[3]], fillOpacity: 0.6, color: "#555",
                                           weight: 0.3});
            poly.bindTooltip(function () {
              var div = document.createElement("div"), b = document.createElement("b");
              b.textContent = c[2].toLocaleString("en") + " events";
              div.appendChild(b);
              d.types.forEach(function (t, i) {
                if (d.counts[k][i]) {
                  div.appendChild(document.createElement("br"));
                  div.appendChild(document.createTextNode(t + ": " + d.counts[k][i].toLocaleString("en")));
                }
              });
              return div;
            }, {sticky: true});
            group.addLayer(poly);
          });
          return group;
        })({{ this.data }});
        {% endmacro %}
    """)

    def __init__(self, bins: pd.DataFrame, cell_km: float) -> None:
        total = int(bins["events"].sum()) if not bins.empty else 0
        super().__init__(name=f"Events per hexagon ({total:,})", overlay=True, control=True, show=True)
        self._name = "MarsadHexagons"
        types, cells, counts = hex_cells_table(bins)
        # the six corners' offsets in degrees, the same for every hexagon of the grid
        corners = [(round(x, 5), round(y, 5)) for x, y in hex_corners(0.0, 0.0, cell_km)[:-1]]
        self.data = _script_json({
            "types": list(types), "shades": list(SHADES), "corners": corners,
            "cells": [[round(float(lon), 4), round(float(lat), 4), int(n), int(step)]
                      for lon, lat, n, step in cells],
            "counts": counts.tolist()})


class _Aggregated(MacroElement):
    """Says on the page how many events the hexagons stand for (``window.marsadAggregated``),
    the figure the sidebar's count gives; benches and browser tests compare the two."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.marsadAggregated = {{ this.total }};
        {% endmacro %}
    """)

    def __init__(self, total: int) -> None:
        super().__init__()
        self._name = "MarsadAggregated"
        self.total = json.dumps(int(total))


class _BinsLegend(MacroElement):
    """What the hexagons mean and how to see single events, bottom left."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
          var c = L.control({position: "bottomleft"});
          c.onAdd = function () {
            var d = L.DomUtil.create("div", "marsad-legend");
            d.style.cssText = "background:#fff;padding:6px 8px;font:12px system-ui;max-width:230px;border-radius:4px";
            d.innerHTML = {{ this.html }};
            return d;
          };
          c.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, total: int, cell_km: float) -> None:
        super().__init__()
        self._name = "MarsadBinsLegend"
        swatches = "".join(f'<span style="display:inline-block;width:14px;height:10px;background:{c}"></span>'
                           for c in SHADES[1:])
        text = (f"<b>{total:,} events</b>, counted per hexagon ({cell_km * 2:.0f} km across), "
                f"darker where there are more: {swatches}<br>"
                f"Filters that keep at most {AGGREGATE_ABOVE:,} events show each event.")
        # the text is built from numbers and constants only; <script>-safe as JSON
        self.html = json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")


def hex_layer(bins: pd.DataFrame, *, cell_km: float) -> list:
    """The elements to add to a map: the hexagon layer, its legend, the aggregated count."""
    total = int(bins["events"].sum()) if not bins.empty else 0
    return [_HexLayer(bins, cell_km), _BinsLegend(total, cell_km), _Aggregated(total)]
