"""Gazetteer: search places, see one on the map, add an alias or a new place, read reports again.

Edits live in the store (never in the shipped file) and are used at the next extraction.
"""

from __future__ import annotations

import hashlib
import re

import folium
import pandas as pd
import streamlit as st
from shapely.geometry import LineString, Point, Polygon
from streamlit_folium import st_folium

import ui
from geo import filters as gf
from geo.analyst import articles_naming, reread
from geo.errors import GeoError
from geo.maps.build import build_event_map
from geo.models import PLACE_KINDS, Place

SHAPES = {"point": "a point", "line": "a line (a road, a pipeline)", "area": "an area (a wadi, a district)"}


def _map(ctx: ui.Context, shapes: list, *, key: str, centre=(27.0, 17.0), zoom=5):
    m = build_event_map(ctx.events.iloc[0:0], center=centre, zoom=zoom, asset_base=ui.asset_base(),
                        reference_layers=True, legend=False)
    for shape in shapes:
        if shape is None or shape.is_empty:
            continue
        if isinstance(shape, Point):
            folium.CircleMarker((shape.y, shape.x), radius=9, color="#ffb000", weight=4, fill=False).add_to(m)
        else:
            folium.GeoJson(shape.__geo_interface__,
                           style_function=lambda _: {"color": "#ffb000", "weight": 4, "fillOpacity": 0.15}).add_to(m)
    return st_folium(m, key=key, height=380, use_container_width=True, returned_objects=["last_clicked"])


def _search(gazetteer, added: set[str]) -> Place | None:
    query = st.text_input("Search a place (Arabic or Latin)", key="gz_query", placeholder="بني وليد / Bani Walid")
    if not query.strip():
        return None
    found = gazetteer.search(query, limit=30)
    if not found:
        st.warning(f"No place in the gazetteer matches «{ui.plain(query)}». Add it below.")
        return None
    table = pd.DataFrame([{"name (Arabic)": p.name_ar, "name (Latin)": p.name_en, "kind": p.kind,
                           "country": p.country, "aliases": "، ".join(p.aliases[:6]),
                           "added here": "yes" if p.id in added else "", "id": p.id} for p in found])
    picked = st.dataframe(table, key="gz_results", on_select="rerun", selection_mode="single-row",
                          hide_index=True, width="stretch", height=230)
    rows = picked.selection.rows
    return found[rows[0]] if rows else found[0]


def _reread(ctx: ui.Context, names: list[str]) -> None:
    ids = articles_naming(ctx.store, names)
    st.caption(f"{len(ids)} stored report{'s' * (len(ids) != 1)} name{'s' * (len(ids) == 1)} it.")
    if not ids or not st.button("Re-read the reports that mention it", icon=":material/refresh:",
                                key=f"gz_reread_{'|'.join(names)}"):
        return
    bar = st.progress(0.0, text="Reading again…")
    written = reread(ctx.store, ids, gazetteer=ctx.gazetteer,
                     progress=lambda done, total: bar.progress(done / total, text=f"{done} of {total} reports"))
    st.session_state["gz_message"] = (f"{len(ids)} reports read again: {written} events written; "
                                      "events an analyst reviewed were kept as they were.")
    st.rerun()


def _alias(ctx: ui.Context, place: Place) -> None:
    with st.form("gz_alias", clear_on_submit=True):
        alias = st.text_input(f"Add another name for {gf.place_label(place)}", placeholder="a spelling the reports use")
        note = st.text_input("Note (where this spelling comes from)")
        go = st.form_submit_button("Add the alias", icon=":material/add:", disabled=not ui.analyst())
    if go:
        try:
            ctx.store.save_place(place.id, aliases=[alias], who=ui.analyst(), note=note)
        except GeoError as exc:
            st.error(f"Not saved: {exc}")
        else:
            st.session_state["gz_message"] = f"Alias «{alias.strip()}» added to {place.name_en or place.name_ar}."
            st.rerun()


def _vertices(key: str) -> list[tuple[float, float]]:
    return st.session_state.setdefault(key, [])


def _new_place(ctx: ui.Context) -> None:
    st.subheader("Add a new place")
    a, b, c, d = st.columns([3, 3, 2, 1])
    name_ar = a.text_input("Arabic name", key="gz_new_ar")
    name_en = b.text_input("Latin name", key="gz_new_en")
    kinds = sorted(PLACE_KINDS)
    kind = c.selectbox("Kind", kinds, index=kinds.index("village"), key="gz_new_kind")
    country = d.text_input("Country", value="LY", max_chars=2, key="gz_new_cc")
    shape_kind = st.radio("Shape", list(SHAPES), format_func=SHAPES.get, horizontal=True, key="gz_new_shape")
    points = _vertices("gz_new_points")
    st.caption("Click the map to place it (each click adds a vertex for a line or an area), "
               "or type «lat, lon» pairs below, one per line.")
    typed = st.text_area("Coordinates (lat, lon)", key="gz_new_typed", height=80)
    coords = _parse_coords(typed) if typed.strip() else list(points)
    shape = _shape(shape_kind, coords)
    value = _map(ctx, [shape], key="gz_new_map", centre=coords[-1] if coords else (27.0, 17.0),
                 zoom=7 if coords else 5)
    click = (value or {}).get("last_clicked")
    if click and (click["lat"], click["lng"]) != st.session_state.get("gz_last_click"):
        st.session_state["gz_last_click"] = (click["lat"], click["lng"])
        if shape_kind == "point":
            points.clear()
        points.append((round(click["lat"], 5), round(click["lng"], 5)))
        st.rerun()
    left, right = st.columns(2)
    if right.button("Clear the clicked points", key="gz_clear"):
        points.clear()
        st.rerun()
    note = st.text_input("Source of the coordinates (GeoNames id, a map, a report)", key="gz_new_note")
    if not left.button("Add the place", type="primary", icon=":material/add_location:", key="gz_add",
                       disabled=not ui.analyst()):
        return
    if shape is None:
        st.error(f"Give {SHAPES[shape_kind]}: click the map or type coordinates "
                 f"({'one point' if shape_kind == 'point' else 'two points' if shape_kind == 'line' else 'three points'} at least).")
        return
    slug = re.sub(r"[^a-z0-9]+", "-", (name_en or "").lower()).strip("-") or hashlib.sha256(name_ar.encode()).hexdigest()[:10]
    try:
        place = Place(f"user:{slug}", name_ar.strip(), name_en.strip(), kind, shape, country=country.upper())
        if not (name_ar.strip() or name_en.strip()):
            raise GeoError("a place needs a name, Arabic or Latin")
        ctx.store.save_place(place.id, new=place, who=ui.analyst(), note=note)
    except GeoError as exc:
        st.error(f"Not saved: {exc}")
        return
    points.clear()
    st.session_state["gz_message"] = f"Place «{place.name_ar or place.name_en}» added ({place.id})."
    st.session_state["gz_query"] = place.name_ar or place.name_en
    st.rerun()


def _parse_coords(text: str) -> list[tuple[float, float]]:
    out = []
    for line in text.splitlines():
        numbers = re.findall(r"-?\d+(?:\.\d+)?", line)
        if len(numbers) == 2:
            lat, lon = float(numbers[0]), float(numbers[1])
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                out.append((lat, lon))
    return out


def _shape(kind: str, coords: list[tuple[float, float]]):
    xy = [(lon, lat) for lat, lon in coords]
    if kind == "point" and xy:
        return Point(xy[-1])
    if kind == "line" and len(xy) >= 2:
        return LineString(xy)
    if kind == "area" and len(xy) >= 3:
        return Polygon(xy)
    return None


def main() -> None:
    ctx = ui.context()
    ui.refuse_unless("gazetteer")
    st.title("Gazetteer")
    gazetteer = ui.working_gazetteer(ctx)
    added = {p["place_id"] for p in ctx.store.user_places()}
    st.caption(f"{len(gazetteer)} places; {len(added)} added or extended in this store. "
               "Additions are used at the next extraction; the shipped file is never changed.")
    if message := st.session_state.pop("gz_message", None):
        st.success(message)
    if not ui.analyst():
        st.warning("Type your name in the sidebar («Your name») to add places: every edit records who made it.")
    place = _search(gazetteer, added)
    if place is not None:
        st.markdown(f"**{ui.plain(gf.place_label(place))}** · {place.kind} · {place.country} · "
                    f"{place.lat:.4f}, {place.lon:.4f} · source: {ui.plain(place.source or 'unknown')}")
        _map(ctx, [place.geometry], key="gz_place_map", centre=(place.lat, place.lon), zoom=8)
        _alias(ctx, place)
        _reread(ctx, [n for n in (place.name_ar, place.name_en, *place.aliases) if n])
    st.divider()
    _new_place(ctx)


main()
