"""The one non-page module that imports streamlit: cached loaders, the shared sidebar, renderers.

``context()`` is what every page starts with: the store (with the sample reports
ingested when this start created it), the gazetteer, the filters read from the sidebar (and
kept in the URL's query parameters) and the matching events. ``app.py`` builds it
once per run before the page runs; a page run on its own (AppTest) builds it itself.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

import auth
from geo import filters as gf
from geo.maps.style import modality_label
from geo.errors import GeoError
from geo.models import Place
from geo.store import open_store

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent
SAMPLES_DIR = ROOT / "data" / "samples"
STATIC_DIR = ROOT / "static"
# Streamlit serves ROOT/static at /app/static when enableStaticServing is on.
STATIC_URL = "/app/static"
PRECISION_LABELS = {1: "1 · the named place", 2: "2 · near / part of a place", 3: "3 · a region"}
_CTX = "marsad_context"
_SELECTED = "selected_event"
_FRESH = "marsad_context_fresh"

PAGE_CSS = """<style>
.block-container { padding-top: 2.5rem; }
[class*="st-key-rtl"] { direction: rtl; text-align: right; }
/* Streamlit's element containers set text-align: left; inside an RTL block they follow it. */
[class*="st-key-rtl"] :is(.stElementContainer, .stMarkdown, p, li) { text-align: right; }
[class*="st-key-arabic"] textarea { direction: rtl; text-align: right; }   /* an Arabic input box */
[class*="st-key-rtl"] p { font-size: 1.05rem; line-height: 1.7; }
</style>"""


@dataclass(frozen=True)
class Context:
    """What a page needs: the store, the gazetteer, the filters and the matching events."""

    store_path: str
    store: object
    gazetteer: object
    filters: gf.Filters
    options: gf.FilterOptions
    place: Place | None
    events: gpd.GeoDataFrame
    # the store's change_key when the events were read: what shared caches of them are keyed on
    store_key: tuple = ()
    # above AGGREGATE_ABOVE matching events: the map's hexagons and the counts; ``events`` is
    # then one page of them (the table's), not all
    aggregate: Aggregate | None = None


@dataclass(frozen=True, eq=False)
class Aggregate:
    """A selection too large to draw or hold: its counts per hexagon, its size, the table's page."""

    bins: pd.DataFrame
    located: int
    total: int
    page: int
    pages: int
    positions: np.ndarray = field(repr=False, default=None)   # the selection in the event index
    cell_km: float = 20.0


PAGE_SIZE = 500


def shown_count(ctx: Context) -> int:
    """How many matching events have a place on the map (the sidebar's count)."""
    if ctx.aggregate is not None:
        return ctx.aggregate.located
    return int((ctx.events.geometry.notna() & ~ctx.events.geometry.is_empty).sum())


def all_events(ctx: Context) -> gpd.GeoDataFrame:
    """Every matching event, read when a page needs them all (the sources, an export)."""
    if ctx.aggregate is None:
        return ctx.events
    return filtered_events(ctx.store_path, ctx.store, ctx.gazetteer, ctx.filters, ctx.place, key=ctx.store_key)


def store_path() -> str:
    """The store the app opens: MARSAD_DB, else var/marsad.gpkg in the repository."""
    return os.environ.get("MARSAD_DB") or str(ROOT / "var" / "marsad.gpkg")


def shown_store(path: str) -> str:
    """The store's path or URL as the sidebar shows it: never a password."""
    parts = urlsplit(path)
    if not parts.password:
        return path
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@st.cache_resource(show_spinner="Loading the gazetteer…")
def load_gazetteer():
    from geo.places.gazetteer import load_gazetteer as load
    return load()


# Stores this process created (a GeoPackage path with no file yet): only these get the samples.
_NEW_STORES: set[str] = set()


@st.cache_resource(show_spinner="Opening the event store…")
def open_event_store(path: str):
    """Open the store once per process (a GeoPackage file is created when missing)."""
    if "://" not in path:
        if not Path(path).exists():
            _NEW_STORES.add(path)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open_store(path)


def report_texts(path: str, store) -> dict[str, str]:
    """Article id -> normalized text for the text search, read again when the store grows."""
    return _report_texts(path, store.stats().articles, store)


@st.cache_data(show_spinner="Reading the reports for the search…", max_entries=2)
def _report_texts(path: str, n_articles: int, _store) -> dict[str, str]:
    return gf.normalized_texts(_store.articles(with_text=True))


def samples_wanted(path: str, environ=None) -> bool:
    """Whether this start loads the sample reports: into a store this process has just created,
    or when ``MARSAD_SAMPLES=1`` asks; never into a store that already existed otherwise."""
    environ = os.environ if environ is None else environ
    return path in _NEW_STORES or environ.get("MARSAD_SAMPLES") == "1"


def load_samples(store, *, first_start: bool = True) -> int:
    """Ingest data/samples/ into ``store`` with a progress bar; returns the articles added.

    Not cached, so the progress bar is not replayed; re-ingesting a report is a no-op (its id
    is the hash of its text), so two first sessions cannot double it.
    """
    paths = sorted(SAMPLES_DIR.glob("*.json")) if SAMPLES_DIR.is_dir() else []
    from geo.ingest import ingest_paths
    gazetteer = load_gazetteer()
    what = "First start: " if first_start else ""
    bar = st.progress(0.0, text=f"{what}reading the sample reports into the store…")
    added = 0
    for done, path in enumerate(paths, 1):
        summary = ingest_paths([path], store=store, progress=False, gazetteer=gazetteer)
        added += summary.articles_new
        logger.info("sample %s: %s", path.name, summary.render().replace("\n", "; "))
        bar.progress(done / len(paths), text=f"{what}sample report {done} of {len(paths)}")
    bar.empty()
    return added


def ensure_sample_store(store, path: str) -> int:
    """First start on a new store (or ``MARSAD_SAMPLES=1``): the samples go in; returns articles added."""
    if not samples_wanted(path) or not SAMPLES_DIR.is_dir():
        return 0
    _NEW_STORES.discard(path)
    return load_samples(store)


@st.cache_resource(show_spinner=False)
def asset_base() -> str:
    """Copy Leaflet & co. under static/vendor once; the URL the map loads them from."""
    from geo.maps.offline import install_assets
    vendor = install_assets(STATIC_DIR)
    return f"{STATIC_URL}/{Path(vendor).relative_to(STATIC_DIR).as_posix()}"


def _init_from_url(gazetteer, options: gf.FilterOptions) -> None:
    """On a session's first run, put the URL's filter values into the widgets' state."""
    f, notes = gf.read_query({k: st.query_params.get_all(k) for k in st.query_params})
    place = gazetteer.get(f.place_id) if f.place_id else None
    if f.place_id and place is None:
        notes.append(f"The place in the link ({f.place_id}) is not in the gazetteer; no place filter is used.")
    dates = gf.clamp_dates(f, options)
    if dates and ((f.since and f.since > options.last_date) or (f.until and f.until < options.first_date)):
        notes.append(f"The link's dates fall after the last event or before the first; the whole span "
                     f"({options.first_date} to {options.last_date}) is shown.")
    state = st.session_state
    state["link_notes"] = notes
    state["f_place_query"] = (place.name_ar or place.name_en) if place else ""
    state["f_place"] = place.id if place else None
    state["f_radius"] = int(f.radius_km)
    state["f_dates"] = dates
    state["f_types"] = [t for t in f.event_types if t in options.event_types]
    state["f_actors"] = [a for a in f.actors if a in options.actors]
    state["f_outlets"] = [o for o in f.outlets if o in options.outlets]
    state["f_speakers"] = [s for s in f.speakers if s in options.speakers]
    state["f_precision"] = list(f.precision)
    state["f_denied"] = f.include_denied
    state["f_review"] = list(f.review)
    state["f_regional"] = f.include_regional
    state["f_text"] = f.text
    state["f_size"] = f.size_by
    state[_SELECTED] = f.event_id


def _save(name: str) -> None:
    st.session_state[name] = st.session_state[f"_w_{name}"]


def _bound(name: str) -> dict:
    """Widget kwargs that keep the value under ``name``, a key Streamlit never cleans up.

    Widget state can be dropped when a page switch interrupts a run; the plain
    key survives, and is copied back into the widget at every run.
    """
    st.session_state[f"_w_{name}"] = st.session_state[name]
    return {"key": f"_w_{name}", "on_change": _save, "args": (name,)}


def _set_date(key: str, end: int) -> None:
    """A date box's on_change: move that end of the date range (the slider follows)."""
    value = st.session_state[key]
    if value is None:
        return
    span = list(st.session_state["f_dates"])
    span[end] = value
    st.session_state["f_dates"] = (min(span), max(span))


def _place_picker(gazetteer) -> Place | None:
    """Type a name in Arabic or Latin script, pick one of the gazetteer's matches."""
    state = st.session_state
    query = st.text_input("Place (Arabic or Latin)", placeholder="بني وليد / Bani Walid",
                          **_bound("f_place_query"))
    # The matches of what is typed now: a new name replaces the old place (its best match first).
    found = gazetteer.search(query) if query.strip() else []
    ids = [p.id for p in found]
    if state["f_place"] not in ids:
        state["f_place"] = ids[0] if ids else None
    if query.strip() and not ids:
        st.caption(f":orange[No place matches «{plain(query.strip())}»: no place filter is used.]")
    place_id = st.selectbox("Matching places", ids, placeholder="any place",
                            format_func=lambda i: gf.place_label(gazetteer.get(i)),
                            disabled=not ids, **_bound("f_place"))
    st.slider("Radius (km)", 5, 500, step=5, disabled=not place_id, **_bound("f_radius"))
    st.checkbox("Include regional claims", disabled=not place_id, **_bound("f_regional"),
                help="Claims about a whole region around the place (precision 3, or an area much "
                     "larger than the circle). Without them, an event is kept when its shape or one "
                     "of its named places lies inside the circle.")
    return gazetteer.get(place_id) if place_id else None


def _sidebar(gazetteer, options: gf.FilterOptions) -> tuple[gf.Filters, Place | None]:
    """The filter widgets; returns the filters they describe and the chosen place."""
    state = st.session_state
    st.text_input("Search the text", placeholder="words of a quote or report", **_bound("f_text"),
                  help="Every word must be in the claim's quote or its report; spelling variants "
                       "(أ/ا، ى/ي، ة/ه) find each other.")
    place = _place_picker(gazetteer)
    dates = None
    if options.first_date and options.last_date and options.first_date < options.last_date:
        since, until = state["f_dates"] or (None, None)
        state["f_dates"] = gf.clamp_dates(gf.Filters(since=since, until=until), options)
        dates = st.slider("Dates", options.first_date, options.last_date, format="YYYY-MM-DD",
                          **_bound("f_dates"))
        first, last = st.columns(2)
        state["_w_f_from"], state["_w_f_to"] = state["f_dates"]
        for column, label, key, end in ((first, "From", "_w_f_from", 0), (last, "To", "_w_f_to", 1)):
            column.date_input(label, min_value=options.first_date, max_value=options.last_date,
                              format="YYYY-MM-DD", key=key, on_change=_set_date, args=(key, end))
    st.multiselect("Event type", options.event_types, **_bound("f_types"))
    st.multiselect("Actor", options.actors, **_bound("f_actors"))
    st.multiselect("Outlet", options.outlets, **_bound("f_outlets"))
    st.multiselect("Speaker", options.speakers, **_bound("f_speakers"))
    st.multiselect("Precision", (1, 2, 3), format_func=PRECISION_LABELS.get,
                   **_bound("f_precision"))
    st.multiselect("Review state", gf.REVIEW_STATES, placeholder="auto and confirmed (rejected hidden)",
                   **_bound("f_review"))
    st.toggle("Show denied claims", **_bound("f_denied"))
    filters = gf.Filters(
        review=tuple(state["f_review"]), include_regional=bool(state["f_regional"]),
        text=state["f_text"].strip(),
        place_id=place.id if place else None, radius_km=float(state["f_radius"]),
        event_types=tuple(state["f_types"]), actors=tuple(state["f_actors"]),
        outlets=tuple(state["f_outlets"]), speakers=tuple(state["f_speakers"]),
        precision=tuple(sorted(state["f_precision"])), include_denied=state["f_denied"],
        event_id=state.get(_SELECTED), size_by=state.get("f_size"))
    return gf.with_dates(filters, dates, options), place


# A page's own URL parameters (the report it shows), kept when the filters are written.
PAGE_KEYS = ("article",)


def _sync_url(filters: gf.Filters) -> None:
    """Write the filters into the URL, so a copied link reproduces this view."""
    query = gf.filters_to_query(filters)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    query.update({k: current[k] for k in PAGE_KEYS if current.get(k)})
    wanted = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    if current != wanted:
        st.query_params.from_dict(query)


def build_context() -> Context:
    """Open the store, draw the sidebar, read the matching events (once per run)."""
    if role() is None:   # signed out or refused: a page run on its own shows no data either
        sign_in()
        st.stop()
    path = store_path()
    store = open_event_store(path)
    ensure_sample_store(store, path)
    gazetteer = load_gazetteer()
    key = store.change_key()
    options = filter_options(path, key, store)
    if "f_denied" not in st.session_state:
        _init_from_url(gazetteer, options)
    st.html(PAGE_CSS)
    with st.sidebar:
        count_slot = st.empty()
        filters, place = _sidebar(gazetteer, options)
        _who_box()
        if read_only():
            st.caption(":material/lock: Read-only store: browse and export; changes cannot be saved.")
        if may("store"):
            st.caption(f"Store: `{shown_store(path)}`")
    notes = st.session_state.get("link_notes") or []
    if notes and st.session_state.setdefault("link_filters", filters) == filters:
        for note in notes:   # shown until the analyst changes a filter
            st.warning(note, icon=":material/link:")
    aggregate = _aggregate(path, key, store, filters) if place is None and not filters.text else None
    if aggregate is None:
        events = filtered_events(path, store, gazetteer, filters, place, key=key)
        located, total = int((events.geometry.notna() & ~events.geometry.is_empty).sum()), len(events)
    else:
        events = _page(path, key, repr(_read_query(filters)), aggregate.page, store,
                       event_index(path, key, store), aggregate.positions)
        located, total = aggregate.located, aggregate.total
    if filters.event_id and filters.event_id not in set(events["id"]):
        filters = replace(filters, event_id=None)
    count_slot.metric("Matching events", located,
                      help=None if located == total else
                      f"{total - located} more match but have no place to draw (see the table)")
    _sync_url(filters)
    ctx = Context(path, store, gazetteer, filters, options, place, events, key, aggregate)
    st.session_state[_CTX] = ctx
    freeze_long_lived()
    return ctx


# --- the process's long-lived heap ------------------------------------------------------------
# Streamlit ends every script run with a full cycle collection (runner.postScriptGC), which walks
# every object the process holds: the imported libraries, the gazetteer, the shared caches. On
# the samples that is ~0.1 s of CPU a run, a quarter of what a session costs the server, and none
# of those objects is ever garbage. Once a run has imported more modules (the first runs of each
# page) the heap is collected and what survives is moved out of the collector's sight
# (gc.freeze); later collections walk only what the runs since have made. Objects alive at a
# freeze are still freed by their reference counts; only a reference cycle among them would stay.
_HEAP_LOCK = threading.Lock()
_FROZEN_AT_MODULES = 0


def freeze_long_lived() -> bool:
    """Freeze the heap when modules were imported since the last freeze; whether it froze."""
    global _FROZEN_AT_MODULES
    if len(sys.modules) <= _FROZEN_AT_MODULES:
        return False
    with _HEAP_LOCK:
        if len(sys.modules) <= _FROZEN_AT_MODULES:
            return False
        gc.collect()
        gc.freeze()
        _FROZEN_AT_MODULES = len(sys.modules)
    return True


# --- what every session shares ----------------------------------------------------------------
# Sessions that look at the same filters over the same store read the same rows: each read is
# made once per store state and filter set, for every session, keyed on the store's change_key
# (which any write, correction or deletion moves, whichever process made it). st.cache_data
# hands each caller its own copy, so a page that changes its frame changes no other session's.

def filter_options(path: str, key: tuple, store) -> gf.FilterOptions:
    """The widgets' choices (dates, actors, outlets, speakers), from the whole store."""
    return _filter_options(path, key, store)


@st.cache_data(show_spinner=False, max_entries=8)
def _filter_options(path: str, key: tuple, _store) -> gf.FilterOptions:
    from geo.store.summary import option_values
    return gf.FilterOptions(**option_values(_store))


@st.cache_resource(show_spinner="Indexing the events…", max_entries=2)
def event_index(path: str, key: tuple, _store):
    """The store's ``geo.store.summary.EventIndex`` for this state, shared by every session."""
    from geo.store.summary import event_index as build
    return build(_store)


def _read_query(filters: gf.Filters) -> gf.Filters:
    # the selected event, the words searched and the circles' size do not change the store's read
    return replace(filters, event_id=None, text="", size_by=None)


def _aggregate(path: str, key: tuple, store, filters: gf.Filters) -> Aggregate | None:
    """The counts of a selection above AGGREGATE_ABOVE events (None at or below it), from the
    event index: a few vectorised comparisons and one pass to bin, whatever the store's size."""
    from geo.maps.bins import AGGREGATE_ABOVE

    query = _read_query(filters)
    positions = _selection(path, key, repr(query), store, query)
    if len(positions) <= AGGREGATE_ABOVE:
        return None
    bins, located = _binned(path, key, repr(query), store, positions)
    pages = -(-len(positions) // PAGE_SIZE)
    state = st.session_state
    state["table_page"] = min(max(1, int(state.get("table_page") or 1)), pages)
    return Aggregate(bins, located, len(positions), state["table_page"] - 1, pages, positions)


# Shared, never copied: the arrays and frames below are only read.
@st.cache_resource(show_spinner=False, max_entries=32)
def _selection(path: str, key: tuple, query: str, _store, _filters: gf.Filters):
    """The event index's positions the filters keep (``query`` is their repr)."""
    from geo.store.summary import select
    return select(_store, event_index(path, key, _store), **gf.read_kwargs(_filters))


@st.cache_resource(show_spinner=False, max_entries=16)
def _binned(path: str, key: tuple, query: str, _store, _positions) -> tuple[pd.DataFrame, int]:
    """The selection's hexagon bins and how many of its events have a place."""
    from geo.store.summary import hex_bins, located
    index = event_index(path, key, _store)
    return hex_bins(index, _positions), len(located(index, _positions))


@st.cache_data(show_spinner=False, max_entries=16)
def _page(path: str, key: tuple, query: str, page: int, _store, _index, _positions) -> gpd.GeoDataFrame:
    """One page of the table, newest first, read from the store (``query`` is the filters' repr)."""
    from geo.store.summary import read_page
    return read_page(_store, _index, _positions, page=page, size=PAGE_SIZE)


def filtered_events(path: str, store, gazetteer, filters: gf.Filters, place: Place | None,
                    *, key: tuple | None = None):
    """The events the filters keep: the store's read, then the place's circle and the text search."""
    # the selected event, the words searched and the circles' size do not change the store's read
    query = replace(filters, event_id=None, text="", size_by=None)
    try:
        events = _matching(path, store.change_key() if key is None else key, repr(query),
                           place.id if place else None, store, gazetteer, query, place)
    except GeoError as exc:
        st.error(f"Could not read the store: {exc}")
        events = store.read().iloc[0:0]
    if filters.text:
        events = gf.search_text(events, filters.text, report_texts(path, store))
    return events


@st.cache_data(show_spinner=False, max_entries=64)
def _matching(path: str, key: tuple, query: str, place_id: str | None, _store, _gazetteer,
              _filters: gf.Filters, _place: Place | None) -> gpd.GeoDataFrame:
    """``gf.matching`` once per store state, filter set (``query``, its repr) and place."""
    from geo.ingest import store_gazetteer
    return gf.matching(_store, _filters, _place, store_gazetteer(_store, _gazetteer) if _place else None)


def _shared_key(ctx: Context) -> tuple | None:
    """What every session's caches of the context's events are keyed on: the store's state, the
    filters that chose them (the selected event and the circles' size aside), the place, and the
    row count (a read that failed has no rows, and must not be kept for the key). None under a text
    search, whose rows are not a function of it."""
    if ctx.filters.text:
        return None
    query = replace(ctx.filters, event_id=None, size_by=None)
    rows = ctx.aggregate.total if ctx.aggregate is not None else len(ctx.events)
    return ctx.store_path, ctx.store_key, repr(query), ctx.place.id if ctx.place else None, rows


def district_counts(ctx: Context) -> tuple[gpd.GeoDataFrame, int]:
    """``area_counts`` of the context's events (the map's district layer and table), shared."""
    from geo.maps.aggregates import area_counts
    if ctx.aggregate is not None:
        from geo.maps.aggregates import bin_area_counts
        return bin_area_counts(ctx.aggregate.bins)
    key = _shared_key(ctx)
    return area_counts(ctx.events) if key is None else _district_counts(*key, ctx.events)


@st.cache_data(show_spinner=False, max_entries=64)
def _district_counts(path: str, key: tuple, query: str, place_id: str | None, rows: int,
                     _events: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    from geo.maps.aggregates import area_counts
    return area_counts(_events)


def event_map(ctx: Context, *, basemap: str, size_by: str | None, areas: gpd.GeoDataFrame):
    """The map page's folium map, built once per store state, filter set and view options for
    every session. Each caller gets its own copy (st_folium adds the session's selection to the
    map it draws), already rendered: ``st_folium(m, render=False)`` need not render it again."""
    key = _shared_key(ctx)
    if key is None:
        return _built_map(ctx, basemap, size_by, areas)
    return _event_map(*key, basemap, size_by, ctx, areas)


@st.cache_data(show_spinner=False, max_entries=8)
def _event_map(path: str, key: tuple, query: str, place_id: str | None, rows: int, basemap: str,
               size_by: str | None, _ctx: Context, _areas: gpd.GeoDataFrame):
    return _built_map(_ctx, basemap, size_by, _areas)


def _built_map(ctx: Context, basemap: str, size_by: str | None, areas: gpd.GeoDataFrame):
    from geo.maps.build import build_event_map
    agg = ctx.aggregate
    m = build_event_map(ctx.events, basemap=basemap, asset_base=asset_base(), areas=areas,
                        size_by=size_by, bins=agg.bins if agg else None, **map_view(ctx))
    m.get_root().render()
    return m


def _on_brush() -> None:
    """The timeline's on_select, run before the script: the brushed weeks become the dates, so
    the sidebar, the map and the link all read them in the run that follows."""
    from geo.maps.timeline import brush_dates

    ctx: Context | None = st.session_state.get(_CTX)
    span = brush_dates((st.session_state.get("timeline") or {}).get("selection") or {})
    if ctx is not None and span is not None:
        st.session_state["f_dates"] = gf.clamp_dates(gf.Filters(since=span[0], until=span[1]), ctx.options)


def timeline(ctx: Context) -> None:
    """Events per week by type, under the map, for every date; brushing a span sets the dates."""
    from geo.maps.timeline import BRUSH, timeline_chart, weekly_counts

    undated = replace(ctx.filters, since=None, until=None)
    if ctx.place is None and not ctx.filters.text:
        # every date the other filters keep, counted from the event index (no read at all)
        from geo.store.summary import weekly_counts as index_weeks
        query = _read_query(undated)
        counts = index_weeks(event_index(ctx.store_path, ctx.store_key, ctx.store),
                             _selection(ctx.store_path, ctx.store_key, repr(query), ctx.store, query))
    else:
        # every date the other filters keep: the page's own events when no date is set, else read again
        frame = ctx.events if undated == ctx.filters else \
            filtered_events(ctx.store_path, ctx.store, ctx.gazetteer, undated, ctx.place)
        counts = weekly_counts(frame)
    if counts.empty:
        st.caption("No dated events to draw on a timeline.")
        return
    st.altair_chart(timeline_chart(counts), on_select=_on_brush, selection_mode=[BRUSH],
                    key="timeline", width="stretch")
    note, window, play = st.columns([5, 2, 1], vertical_alignment="bottom")
    note.caption("Drag across the weeks to set the dates; the sidebar's slider and boxes show them. "
                 "Play steps a window of weeks through the whole span, the map following.")
    window.number_input("Window (weeks)", 1, 104, 8, key="play_weeks")
    playing = st.session_state.get("playing", False)
    if play.button("Stop" if playing else "Play", icon=":material/stop:" if playing else ":material/play_arrow:",
                   key="play_button", width="stretch"):
        st.session_state["playing"] = not playing
        st.session_state["play_from"] = ctx.options.first_date
        st.session_state["play_at"] = 0.0
        st.rerun()
    if st.session_state.get("playing"):
        _playback(ctx.options)


PLAY_SECONDS = 2.0


@st.fragment(run_every=PLAY_SECONDS)
def _playback(options: gf.FilterOptions) -> None:
    """While playing, every PLAY_SECONDS: the date window moves one week on and the app reruns.

    The fragment also runs inside each full run; it moves the window only when its interval has
    passed, so a full run never chains into the next step at once.
    """
    state = st.session_state
    if not state.get("playing") or options.first_date is None:
        return
    start = state.get("play_from") or options.first_date
    weeks = int(state.get("play_weeks") or 8)
    end = min(start + dt.timedelta(days=7 * weeks - 1), options.last_date)
    st.caption(f"Playing: {start} to {end}")
    now = time.monotonic()
    if now - state.get("play_at", 0.0) < PLAY_SECONDS * 0.9:
        return
    state["play_at"] = now
    if start > options.last_date:
        state["playing"] = False
    else:
        state["f_dates"] = (start, end)
        state["play_from"] = start + dt.timedelta(days=7)
    st.rerun(scope="app")


SIZE_LABELS = {None: "none", "fatalities": "fatalities", "fighters": "force size"}


def size_control(column) -> str | None:
    """The map's «Size by» box; its value is kept with the filters (and the link's ``size=``)."""
    st.session_state.setdefault("f_size", None)
    return column.selectbox("Size by", list(SIZE_LABELS), format_func=SIZE_LABELS.get,
                            help="Circles over the events whose claim states the number, their area in "
                                 "proportion to it: fatalities for attacks, force size (fighters) for "
                                 "presence, movements and bases. The legend gives the scale.",
                            **_bound("f_size"))


def district_fatalities(ctx: Context) -> None:
    """Fatalities per district and month, saying how many attacks state a number at all."""
    from geo.maps.aggregates import fatalities_html, fatalities_table

    if ctx.aggregate is not None:
        from geo.maps.bins import AGGREGATE_ABOVE
        st.caption(f"Fatalities per district and month are tabled for at most {AGGREGATE_ABOVE:,} matching "
                   "events: narrow the filters (dates, types, actors) to see them.")
        return
    key = _shared_key(ctx)
    got = fatalities_table(ctx.events) if key is None else _fatalities(*key, ctx.events)
    total = got.table["total"].iloc[-1] if not got.table.empty else None
    with st.expander(f"Fatalities per district and month: {0 if pd.isna(total) else int(total)} stated; "
                     f"{got.stated} of {got.attacks} attacks give a number", expanded=False):
        st.caption(got.summary())
        if got.table.empty:
            st.caption("No event in this selection lies in a district or country.")
            return
        with st.container(key="fatalities_table"):
            st.html(f"<style>{FATALITIES_CSS}</style><div class='marsad-scroll'>{fatalities_html(got)}</div>")


@st.cache_data(show_spinner=False, max_entries=64)
def _fatalities(path: str, key: tuple, query: str, place_id: str | None, rows: int,
                _events: gpd.GeoDataFrame):
    from geo.maps.aggregates import fatalities_table
    return fatalities_table(_events)


FATALITIES_CSS = """
.marsad-scroll { overflow-x: auto; max-height: 28rem; }
.marsad-fatalities { border-collapse: collapse; font-size: .9rem; white-space: nowrap; }
.marsad-fatalities th, .marsad-fatalities td { border-bottom: 1px solid #e3e3e3; padding: 3px 10px; text-align: right; }
.marsad-fatalities th { background: #f6f6f6; position: sticky; top: 0; }
.marsad-fatalities td:nth-child(2), .marsad-fatalities th:nth-child(2) { text-align: left; }
.marsad-fatalities td[dir=rtl] { font-size: 1rem; }
.marsad-fatalities tr.marsad-total td { font-weight: 600; border-top: 2px solid #999; }
"""


def area_table(areas, outside: int) -> None:
    """Events per district (Libya), per first-level region of its neighbours, per other country, busiest first."""
    total = int(areas["events"].sum()) if not areas.empty else 0
    with st.expander(f"Events per district: {total} events in {len(areas)} areas"
                     + (f" ({outside} outside every area)" if outside else ""), expanded=False):
        st.caption("Libya's 22 districts, its six neighbours' governorates, wilayas and states, and "
                   "further countries as a whole; an event counts "
                   "once, where it ends (a movement) or at its middle (a route). The map's layer "
                   "control draws the same counts («Events per district»).")
        columns = [c for c in ("name_ar", "name_en", "level", "events", "movement", "smuggling_route",
                               "base", "presence", "attack", "other") if c in areas.columns]
        st.dataframe(pd.DataFrame(areas[columns]), hide_index=True, width="stretch", key="area_table",
                     column_config={"name_ar": "District / region / country", "name_en": " ", "level": "Level",
                                    "events": st.column_config.NumberColumn("Events", format="%d")})


def context() -> Context:
    """The context app.py built for this run, or a fresh one when a page runs alone."""
    if st.session_state.pop(_FRESH, False):
        return st.session_state[_CTX]
    global _LEGACY_FIRST_RUN
    if _LEGACY_FIRST_RUN:
        _LEGACY_FIRST_RUN = False
        st.rerun()   # run again through app.py, now that the legacy mode is off (see below)
    return build_context()


# Streamlit (1.67) treats a folder named pages/ beside the entry point as the old multipage
# mode until a run reaches st.navigation: a link to a page (/review?event=…) opened first after
# the server starts runs that page's script alone — no app.py, no wide layout, file names for
# navigation — and keeps the whole server in that mode until someone opens the root. Every page
# imports this module, so the mode is turned off here, and the page that started in it reruns
# once through app.py (its widgets would otherwise lose their values on the next run).
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402

_LEGACY_FIRST_RUN = bool(PagesManager.uses_pages_directory) and st.runtime.exists()
PagesManager.uses_pages_directory = False


def app_context() -> Context:
    """app.py's call: build the context and hand it to the page that runs next."""
    ctx = build_context()
    st.session_state[_FRESH] = True
    return ctx


# --- selection shared by the map and the tables -------------------------------------------

def select_event(event_id: str | None, *, fly: bool = True) -> None:
    """Select an event everywhere; ``fly`` moves the map to it (not when it was clicked there)."""
    st.session_state[_SELECTED] = event_id
    st.session_state["fly_to_selected"] = fly


def map_focus(ctx: Context) -> dict:
    """st_folium's ``center``/``zoom`` for the selected event: they pan without a rebuild."""
    point = gf.event_point(ctx.events, ctx.filters.event_id)
    if point is None or not st.session_state.get("fly_to_selected", True):
        return {"center": None, "zoom": None}
    return {"center": point, "zoom": 8}


def table_rows_for(ctx: Context, event_id: str | None) -> list[int]:
    """The table position of an event, to select its row."""
    index = list(gf.event_table(ctx.events).index)
    return [index.index(event_id)] if event_id in index else []


def on_map_click() -> None:
    """st_folium's on_change: the clicked feature becomes the selected event and table row."""
    ctx: Context | None = st.session_state.get(_CTX)
    value = st.session_state.get("events_map") or {}
    if ctx is None:
        return
    drawing = value.get("last_active_drawing") or {}
    clicked = value.get("last_object_clicked") or {}
    event_id = gf.clicked_event(ctx.events, properties=drawing.get("properties"),
                                lat=clicked.get("lat"), lon=clicked.get("lng"))
    if event_id:
        select_event(event_id, fly=False)


def on_table_select(key: str) -> None:
    """A table's on_select: the chosen row becomes the selected event."""
    ctx: Context | None = st.session_state.get(_CTX)
    rows = st.session_state[key]["selection"]["rows"]
    if ctx is not None:
        index = list(gf.event_table(ctx.events).index)
        select_event(index[rows[0]] if rows and rows[0] < len(index) else None)


# --- renderers ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Article text made inert for st.markdown: no links, images, HTML or formatting."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or ""))


def table_config() -> dict:
    """Column names and widths (px): the whole row fits a 1440 px screen with the sidebar open."""
    return {
        "id": None,
        "event_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width=92),
        "type": st.column_config.TextColumn("Type", width=104),
        "places": st.column_config.TextColumn("Places", width=160),
        "actors": st.column_config.TextColumn("Actors", width=150),
        "source": st.column_config.TextColumn("Source", width=170),
        "modality": st.column_config.TextColumn("Held as", width=76),
        "quote": st.column_config.TextColumn("Quote", width=180),
    }


def events_table(ctx: Context, *, key: str, height: int | str = "auto") -> None:
    """The filtered events as a table; picking a row selects the event everywhere. A large
    selection is paged: PAGE_SIZE events at a time, newest first, each page read from the store."""
    if ctx.aggregate is not None:
        agg = ctx.aggregate
        note, pick = st.columns([4, 1], vertical_alignment="bottom")
        first = agg.page * PAGE_SIZE
        note.caption(f"Events {first + 1:,}–{first + len(ctx.events):,} of {agg.total:,}, newest first "
                     f"(page {agg.page + 1:,} of {agg.pages:,}).")
        pick.number_input("Page", 1, agg.pages, **_bound("table_page"))
    table = gf.event_table(ctx.events)
    if key not in st.session_state or st.session_state.get(f"{key}_for") != ctx.filters.event_id:
        st.session_state[key] = {"selection": {"rows": table_rows_for(ctx, ctx.filters.event_id)}}
        st.session_state[f"{key}_for"] = ctx.filters.event_id
    st.dataframe(table, key=key, on_select=lambda: on_table_select(key),
                 selection_mode="single-row", hide_index=True, column_config=table_config(),
                 height=height, width="stretch")


def event_details(ctx: Context) -> None:
    """The selected event's source and quote, Arabic right to left."""
    rows = ctx.events[ctx.events["id"] == ctx.filters.event_id]
    if rows.empty:
        st.caption("Pick a row in the table to see its source and quote." if ctx.aggregate is not None else
                   "Click a feature on the map or a row in the table to see its source and quote.")
        return
    row = rows.iloc[0]
    date = row["event_date"].date().isoformat() if pd.notna(row["event_date"]) else "date unknown"
    st.markdown(f"**{plain(row['type'])}** · {date} · precision {plain(row['geo_precision'])}"
                + (f" · :red[{plain(label)}]" if (label := modality_label(row.get("modality"), row["denied"])) else ""))
    with st.container(key="rtl_event_source"):
        who = " — ".join(plain(v) for v in (row["speaker"], row["speaker_role"]) if v)
        via = " / ".join(plain(v) for v in (row["cited_outlet"], row["publisher"]) if v)
        st.markdown(f"**{who or plain(row['source_type'])}** · {via}")
    with st.container(key="rtl_event_quote", border=True):
        st.markdown(plain(row["quote"]))
    if row["url"]:
        st.caption(f"Source: {plain(row['url'])}")
    if row.get("review", "auto") != "auto" or row.get("note"):
        st.caption(f"Review: {plain(row.get('review'))}" + (f" · {plain(row['note'])}" if row.get("note") else "")
                   + " (its history is on the Review page)")
    report, review = st.columns(2)
    if report.button("Read the report", icon=":material/article:", key="details_report", width="stretch"):
        open_report(row["article_id"], row["id"])
    if may("review") and review.button("Review this event", icon=":material/rate_review:",
                                       key="details_review", width="stretch"):
        select_event(row["id"])
        st.switch_page("pages/review.py")


def open_report(article_id: str, event_id: str | None = None) -> None:
    """Go to the report view of an article, with one of its events selected."""
    select_event(event_id)
    st.switch_page("pages/report.py", query_params={"article": article_id})


def analyst() -> str:
    """Who the audit log names: the signed-in user, else the name typed in the sidebar ('' for none)."""
    if login_configured():
        return identity()
    return (st.session_state.get("analyst") or "").strip()


# --- who is signed in, and what they may do (a team's server) -------------------------------

def login_configured() -> bool:
    """True when the secrets hold an ``[auth]`` section: then nobody sees data before signing in."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def identity() -> str:
    """The signed-in user's e-mail address (else name, else subject); '' when signed out."""
    if not (login_configured() and st.user.is_logged_in):
        return ""
    return str(next((v for k in ("email", "name", "sub") if (v := st.user.get(k))), ""))


def role() -> str | None:
    """The user's role (``auth.ROLES``), or None: signed out, or not on this server's list.

    Without a login the person at the machine may do everything (``auth.LOCAL``).
    """
    if not login_configured():
        return auth.LOCAL
    if not st.user.is_logged_in:
        return None
    try:
        access = auth.Access.from_config(st.secrets.get("marsad"))
    except ValueError:
        logger.exception("the secrets' [marsad] roles cannot be read; every user is refused")
        return None
    return access.role_of(st.user.get("email"))


_WRITES = frozenset({"review", "add", "gazetteer", "delete"})


def read_only() -> bool:
    """Whether the store cannot be written (a GeoPackage on read-only media)."""
    return bool(getattr(open_event_store(store_path()), "read_only", False))


def may(action: str) -> bool:
    """Whether the user may do an action (``auth.ACTIONS``: review, add, gazetteer, delete, store);
    nobody writes to a read-only store."""
    return auth.may(role(), action) and not (action in _WRITES and read_only())


def sign_in() -> None:
    """All a signed-out or refused user sees: a sign-in (or sign-out) button and no data."""
    st.title("Marsad · مرصد")
    if st.user.is_logged_in:
        st.warning(f"{plain(identity())} may not use this server: ask its admin to add the address.",
                   icon=":material/block:")
        st.button("Sign out", on_click=st.logout, icon=":material/logout:", key="sign_out_refused")
    else:
        st.caption("Sign in to see the events.")
        st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:", key="sign_in")


def refuse_unless(action: str) -> None:
    """A page's first line: stop with a short message when the user's role may not do ``action``."""
    if not may(action):
        if auth.may(role(), action):   # the role may, the store may not
            st.error("The store is read-only (its file or folder cannot be written): browse and export "
                     "only.", icon=":material/lock:")
        else:
            st.error(f"Your role ({role()}) may not use this page.", icon=":material/block:")
        st.stop()


def _who_box() -> None:
    """The sidebar's identity: the signed-in user and a sign-out button, else a name to type."""
    if login_configured():
        st.caption(f"Signed in as {plain(identity())} · {role()}")
        st.button("Sign out", on_click=st.logout, icon=":material/logout:", key="sign_out")
        return
    st.session_state.setdefault("analyst", "")
    st.text_input("Your name (for the audit log)", placeholder="who reviews", **_bound("analyst"))


def working_gazetteer(ctx: Context):
    """The shipped gazetteer with the places and aliases analysts added to this store."""
    from geo.ingest import store_gazetteer
    return store_gazetteer(ctx.store, ctx.gazetteer)

def map_view(ctx: Context) -> dict:
    """The first view: the place filter's circle when there is one, else the events themselves."""
    from geo.maps.build import fit_view

    focus = (ctx.place.lat, ctx.place.lon, ctx.filters.radius_km) if ctx.place is not None else None
    if ctx.aggregate is not None and not ctx.aggregate.bins.empty:
        bins = ctx.aggregate.bins
        south, west, north, east = bins["lat"].min(), bins["lon"].min(), bins["lat"].max(), bins["lon"].max()
        return {"center": ((south + north) / 2, (west + east) / 2), "zoom": 5,
                "bounds": [[south, west], [north, east]]}
    center, zoom, bounds = fit_view(ctx.events, focus)
    return {"center": center, "zoom": zoom, "bounds": bounds}


def selection_layer(ctx: Context):
    """The place filter's circle and a ring around the selected event, added without a rebuild."""
    import folium
    from shapely.geometry import Point, mapping

    group = folium.FeatureGroup(name="Selected event", control=False)
    if ctx.place is not None:
        folium.Circle((ctx.place.lat, ctx.place.lon), radius=ctx.filters.radius_km * 1000,
                      color="#444", weight=1.5, dash_array="6 4", fill=False,
                      interactive=False).add_to(group)
    rows = ctx.events[ctx.events["id"] == ctx.filters.event_id]
    geometry = rows.geometry.iloc[0] if not rows.empty else None
    if geometry is None or geometry.is_empty:
        return group
    style = {"color": "#ffb000", "weight": 5, "opacity": 0.9, "fillOpacity": 0.05}
    if isinstance(geometry, Point):
        folium.CircleMarker((geometry.y, geometry.x), radius=16, fill=False, interactive=False,
                            **{k: v for k, v in style.items() if k != "fillOpacity"}).add_to(group)
    else:
        folium.GeoJson(mapping(geometry), style_function=lambda _: style,
                       interactive=False).add_to(group)
    return group


# --- EXPORT ------------------------------------------------------------------------------
# The writers live in geo/export (``export(frame, path, fmt=...)``); the bytes are made
# only when a button is clicked, so a rerun never renders a PNG.
EXPORTS = {
    "png": ("PNG snapshot", "image/png"),
    "html": ("Offline HTML", "text/html"),
    "geojson": ("GeoJSON", "application/geo+json"),
    "kml": ("KML", "application/vnd.google-earth.kml+xml"),
    "csv": ("CSV", "text/csv"),
    "gpkg": ("GeoPackage", "application/geopackage+sqlite3"),
}


@st.cache_resource(show_spinner=False)
def png_renderer():
    """The process's one Chromium for PNG exports: every session's PNGs wait in its short queue."""
    from geo.export.png import PngRenderer
    return PngRenderer(max_waiting=PNG_WAITING)


# PNGs that may wait behind the one being drawn (a few seconds each); more are told to retry.
PNG_WAITING = 4


def _deferred(ctx: Context, fmt: str):
    """A no-argument callable that writes one export to a temporary file, returns its bytes."""
    def make() -> bytes:
        import tempfile
        from geo.export.cli import export
        with tempfile.TemporaryDirectory(prefix="marsad-export-") as tmp:
            path = export(all_events(ctx), Path(tmp) / f"marsad.{fmt}", fmt=fmt, filters=ctx.filters,
                          place=ctx.place, gazetteer=ctx.gazetteer,
                          renderer=png_renderer() if fmt == "png" else None)
            return Path(path).read_bytes()
    return make


def export_buttons(ctx: Context) -> None:
    """Download buttons for the filtered events, one per format geo.export writes."""
    from geo.export.png import CHROMIUM
    from geo.export.cli import FORMATS
    formats = [f for f in EXPORTS if f in FORMATS]
    # The PNG is drawn by Debian's chromium; without it the button says why instead of failing.
    no_browser = not Path(CHROMIUM).is_file()
    stem = f"marsad-{ctx.aggregate.total if ctx.aggregate else len(ctx.events)}-events"
    for column, fmt in zip(st.columns(len(formats)), formats):
        label, mime = EXPORTS[fmt]
        if fmt == "png":
            with column:
                _png_export(ctx, stem, disabled=ctx.events.empty or no_browser,
                            help=f"needs Chromium at {CHROMIUM}" if no_browser else None)
            continue
        column.download_button(label, _deferred(ctx, fmt), file_name=f"{stem}.{fmt}", mime=mime,
                               on_click="ignore", icon=":material/download:", key=f"export_{fmt}",
                               disabled=ctx.events.empty, width="stretch")


@st.fragment
def _png_export(ctx: Context, stem: str, *, disabled: bool, help: str | None) -> None:
    """The PNG: drawn when asked (in this fragment, with a spinner), then offered for download.

    Not a deferred download like the others: a full renderer queue must reach the user as a
    sentence, and a deferred download's failure shows only a generic line.
    """
    from geo.errors import BusyError
    label, mime = EXPORTS["png"]
    if not st.button(label, key="export_png", icon=":material/image:", disabled=disabled, help=help,
                     width="stretch"):
        return
    try:
        with st.spinner("Drawing the PNG…"):
            data = _deferred(ctx, "png")()
    except BusyError as exc:
        st.warning(str(exc), icon=":material/hourglass_top:")
        return
    except GeoError as exc:
        logger.warning("PNG export failed: %s", exc)
        st.error(f"The PNG could not be drawn: {exc}")
        return
    st.download_button("Save the PNG", data, file_name=f"{stem}.png", mime=mime, on_click="ignore",
                       icon=":material/download:", key="export_png_save", width="stretch")
