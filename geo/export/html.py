"""The standalone offline HTML page: the map, its title, legend, filters, date and sources.

The same page is what the PNG snapshot photographs. Article text never passes through
branca's Jinja: it goes in as escaped text or as script-safe JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.export.rows import (
    DEFAULT_TITLE,
    _atomic,
    _check_frame,
    _link,
    _rows,
    display_text,
)

_MAX_SOURCES = 40


_MAX_URLS_PER_SOURCE = 2


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
    if getattr(filters, "size_by", None):
        lines.append(("circles sized by", _size_label(filters.size_by)))
    return lines


def _size_label(size_by: str) -> str:
    from geo.maps.build import SIZE_BY

    return SIZE_BY[size_by][0] if size_by in SIZE_BY else str(size_by)


def _size_by(filters: Any) -> str | None:
    """What the dashboard sized its circles by, so the export draws the same map."""
    return getattr(filters, "size_by", None) if not isinstance(filters, Mapping) else None


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


def _legend_block(frame: gpd.GeoDataFrame | None = None, size_by: str | None = None) -> str:
    """The map module's legend (fixed markup from its style table, no article text), with what
    the sized circles mean when the map has them."""
    from geo.maps.build import size_key
    from geo.maps.style import legend_html

    return legend_html(size_key(frame, size_by) if size_by and frame is not None else None)


_CIRCLE_COLOR = "#444444"


def _circle_legend(filters: Any, place: Any) -> str:
    """The legend's line for the place filter's circle, when there is one."""
    focus = _focus(filters, place)
    if focus is None:
        return ""
    name = getattr(place, "name_en", "") or getattr(place, "name_ar", "")
    return (f'<p class="mx-circle"><svg width="22" height="14"><circle cx="11" cy="7" r="6" fill="none" '
            f'stroke="{_CIRCLE_COLOR}" stroke-width="1.5" stroke-dasharray="3 2"/></svg>'
            f'<bdi>{display_text(f"within {focus[2]:g} km of {name}")}</bdi></p>')


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
<h2>Legend</h2>{_legend_block(frame, _size_by(filters))}{_circle_legend(filters, place)}
<h2>Filters</h2>{filters_html}
</aside>
<footer class="mx-foot"><div>Exported {when} by Marsad. Reports as published; places and dates
as read by the geoparser (precision 1 = the named place, 2 = near it, 3 = a region).</div>
<div><b>Sources</b> ({n_urls} reports, {n_outlets} outlets):</div><ul class="mx-sources">{"".join(items) or "<li>none</li>"}</ul></footer>
"""


def _view(frame: gpd.GeoDataFrame, focus: tuple[float, float, float] | None = None
          ) -> tuple[tuple[float, float], int, list | None]:
    """(center, zoom, bounds) for the snapshot: ``geo.maps.build.fit_view``."""
    from geo.maps.build import fit_view

    return fit_view(frame, focus)


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

    from geo.maps.build import build_event_map
    from geo.maps.layers import RawText
    from geo.maps.offline import standalone_html

    frame = _check_frame(frame)
    exported_at = exported_at or dt.datetime.now(dt.timezone.utc)
    focus = _focus(filters, place)
    center, zoom, bounds = _view(frame, focus)
    m = build_event_map(frame, center=center, zoom=zoom, basemap="offline", size_by=_size_by(filters))
    if focus is not None:   # the place filter's circle, as the dashboard draws it
        import folium
        folium.Circle(focus[:2], radius=focus[2] * 1000, color=_CIRCLE_COLOR, weight=2,
                      dash_array="6 4", fill=False, interactive=False).add_to(m)
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
