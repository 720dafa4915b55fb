"""Review: the events that need a look, least confident first; confirm, reject or correct them.

Every change is written with an audit row (who, when, field, before → after, note); the
analyst's word survives re-ingest and re-extraction.
"""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import ui
from geo import filters as gf
from geo.errors import GeoError
from geo.events.geometry import geometry_of_places
from geo.maps.build import build_event_map
from geo.events.count_text import parse_counts
from geo.models import COUNT_KINDS, COUNT_QUALIFIERS, DATE_PRECISIONS, EVENT_TYPES, MODALITIES, SOURCE_TYPES
from geo.store import CRS
from geo.text.lexicon import actor_label

ALL_STATES = ["auto", "confirmed", "rejected"]
ROLES = ("location", "origin", "via", "destination")


def _queue(ctx: ui.Context) -> str | None:
    """The queue table; returns the event picked in it (or the one selected elsewhere)."""
    only_new = st.toggle("Only events nobody has reviewed yet", value=True, key="queue_only_new")
    events = ctx.events[ctx.events["review"].fillna("auto") == "auto"] if only_new else ctx.events
    table = gf.event_table(events)
    table.insert(1, "confidence", events.set_index("id").loc[table.index, "confidence"].round(2))
    table = table.sort_values(["confidence", "event_date"], ascending=[True, False], na_position="last")
    st.caption(f"{len(table)} events in the queue (the sidebar's filters apply), least confident first.")
    picked = st.dataframe(table, key="review_queue", on_select="rerun", selection_mode="single-row",
                          hide_index=True, height=280, width="stretch",
                          column_config={**ui.table_config(), "confidence": st.column_config.NumberColumn(
                              "Confidence", format="%.2f"), "review": "Review"})
    rows = picked.selection.rows
    if rows and rows[0] < len(table):
        chosen = table.index[rows[0]]
        if chosen != st.session_state.get("review_event_from_table"):
            st.session_state["review_event_from_table"] = chosen
            st.session_state["review_event"] = chosen
    elif ctx.filters.event_id:
        st.session_state["review_event"] = ctx.filters.event_id
    return st.session_state.get("review_event")


def _place_rows(row: pd.Series, gazetteer, key: str) -> list[dict] | None:
    """The place editor: one line per place (role, name search, the place); None when unchanged."""
    current = json.loads(row["places"] or "[]")
    clicked = st.session_state.get(f"{key}_clicked")
    out, changed = [], False
    for i, place in enumerate([*current, {}]):
        c_role, c_query, c_place = st.columns([1, 2, 3])
        role = c_role.selectbox("Role", ROLES, index=ROLES.index(place.get("role", "location"))
                                if place.get("role", "location") in ROLES else 0, key=f"{key}_role_{i}")
        query = c_query.text_input("Search the gazetteer", key=f"{key}_q_{i}",
                                   placeholder="add a place…" if not place else "another place…")
        ids = [place["place_id"]] if place.get("place_id") else []
        if query.strip():
            ids += [p.id for p in gazetteer.search(query, limit=15) if p.id not in ids]
        if clicked and clicked not in ids:
            ids.append(clicked)
        options = ["(none)", *ids]
        label = {"(none)": "(remove)" if place else "(none)"}
        chosen = c_place.selectbox("Place", options, index=1 if place.get("place_id") else 0,
                                   format_func=lambda v: label.get(v) or gf.place_label(gazetteer.get(v))
                                   if gazetteer.get(v) else v, key=f"{key}_p_{i}")
        if chosen == "(none)":
            changed |= bool(place)
            continue
        if chosen != place.get("place_id") or role != place.get("role"):
            changed = True
            p = gazetteer.get(chosen)
            place = {"role": role, "place_id": chosen, "name": p.name_ar or p.name_en if p else chosen,
                     "precision": 1, "qualifier": "none"}
        out.append(place)
    return out if changed else None


_COUNT_FIELDS = ("kind", "low", "high", "qualifier", "unit")


def _count_rows(row: pd.Series, key: str) -> list[dict] | None:
    """The counts editor: one line per count (what, how many, up to, how sure, unit) and an empty
    one to add a count; None when nothing changed."""
    current = parse_counts(row.get("counts"))
    out, changed = [], False
    for i, count in enumerate([*current, {}]):
        c_kind, c_low, c_high, c_qual, c_unit = st.columns([2, 1, 1, 2, 1])
        kinds = ["(remove)" if count else "(none)", *COUNT_KINDS]
        kind = c_kind.selectbox("Count of", kinds, index=kinds.index(count["kind"]) if count.get("kind") in kinds else 0,
                                key=f"{key}_ck_{i}")
        # floats throughout: a count may be 2.5 tonnes, and the widget wants one numeric type
        low = c_low.number_input("How many", min_value=0.0, value=float(count.get("low", 0)), step=1.0,
                                 format="%g", key=f"{key}_cl_{i}")
        high = c_high.number_input("Up to", min_value=0.0, step=1.0, format="%g", key=f"{key}_ch_{i}",
                                   value=None if count.get("high") is None else float(count["high"]),
                                   placeholder="—", help="Empty: no upper bound («at least», «more than»).")
        qualifiers = list(COUNT_QUALIFIERS)
        qualifier = c_qual.selectbox("How sure", qualifiers, key=f"{key}_cq_{i}",
                                     index=qualifiers.index(count.get("qualifier", "exact"))
                                     if count.get("qualifier", "exact") in qualifiers else 0)
        unit = c_unit.text_input("Unit", value=count.get("unit") or "", key=f"{key}_cu_{i}",
                                 placeholder="kg, pieces…")
        if kind in ("(none)", "(remove)"):
            changed |= bool(count)
            continue
        new = {"kind": kind, "low": low, "high": high, "qualifier": qualifier, "unit": unit.strip(),
               "item": count.get("item", ""), "start": count.get("start", 0), "end": count.get("end", 0)}
        stored = {**count, "unit": count.get("unit") or ""}     # an old count may hold no unit
        if any(new[f] != stored.get(f) for f in _COUNT_FIELDS):
            changed = True
        out.append(new)
    return out if changed else None


def _click_map(row: pd.Series, gazetteer, key: str) -> None:
    """The event on a small offline map: a click offers the nearest gazetteer place in the lists."""
    geometry = row.geometry
    located = geometry is not None and not geometry.is_empty
    centre = (geometry.centroid.y, geometry.centroid.x) if located else (27.0, 17.0)
    m = build_event_map(gpd.GeoDataFrame([row], geometry="geometry", crs=CRS), center=centre, zoom=7,
                        asset_base=ui.asset_base(), reference_layers=False)
    value = st_folium(m, key=f"{key}_map", height=300, use_container_width=True,
                      returned_objects=["last_clicked"])
    click = (value or {}).get("last_clicked")
    if click:
        place, km = gazetteer.nearest(click["lat"], click["lng"])[0]
        st.session_state[f"{key}_clicked"] = place.id
        st.caption(f"Clicked near {gf.place_label(place)} ({km:.0f} km): it is offered in the place lists.")


def _correction(ctx: ui.Context, row: pd.Series, who: str) -> None:
    gazetteer = ui.working_gazetteer(ctx)
    key = f"fix_{row['id']}"
    st.markdown("**Correct the event**")
    a, b, c = st.columns(3)
    etype = a.selectbox("Type", EVENT_TYPES, index=EVENT_TYPES.index(row["type"]), key=f"{key}_type")
    modalities = sorted(MODALITIES)
    modality = b.selectbox("Held as", modalities, index=modalities.index(row["modality"] or "asserted"),
                           key=f"{key}_modality")
    sub_type = c.text_input("Sub-type (ACLED)", value=row["sub_type"] or "", key=f"{key}_sub")
    actors_now = json.loads(row["actors"] or "[]")
    actors = st.multiselect("Actors", list(dict.fromkeys([*actors_now, *ctx.options.actors])), default=actors_now,
                            format_func=actor_label, accept_new_options=True, key=f"{key}_actors")
    a, b, c = st.columns(3)
    date_now = row["event_date"].date() if pd.notna(row["event_date"]) else None
    date = a.date_input("Date", value=date_now, min_value=dt.date(1990, 1, 1), max_value=dt.date.today(),
                        format="YYYY-MM-DD", key=f"{key}_date")
    precisions = sorted(DATE_PRECISIONS)
    date_precision = b.selectbox("Date precision", precisions, index=precisions.index(row["date_precision"]),
                                 key=f"{key}_dprec")
    geo_precision = c.selectbox("Place precision", (1, 2, 3), format_func=ui.PRECISION_LABELS.get,
                                index=(int(row["geo_precision"]) - 1) if pd.notna(row["geo_precision"]) else 0,
                                key=f"{key}_gprec")
    st.markdown("Places (search by name, or click the map below)")
    places = _place_rows(row, gazetteer, key)
    _click_map(row, gazetteer, key)
    st.markdown("Counts (killed, wounded, fighters, vehicles, goods seized…: the fatalities follow the killed)")
    counts = _count_rows(row, key)
    a, b = st.columns(2)
    speaker = a.text_input("Speaker", value=row["speaker"] or "", key=f"{key}_speaker")
    role = b.text_input("Speaker's role", value=row["speaker_role"] or "", key=f"{key}_role")
    types = sorted(SOURCE_TYPES)
    source_type = a.selectbox("Source type", types, index=types.index(row["source_type"])
                              if row["source_type"] in types else 0, key=f"{key}_stype")
    cited = b.text_input("Outlet quoted", value=row["cited_outlet"] or "", key=f"{key}_cited")
    publisher = a.text_input("Publisher", value=row["publisher"] or "", key=f"{key}_pub")
    note = b.text_input("Note (why)", key=f"{key}_note")
    if not st.button("Save the correction", type="primary", icon=":material/save:", key=f"{key}_save",
                     disabled=not who):
        return
    wanted = {"type": etype, "modality": modality, "sub_type": sub_type, "actors": actors,
              "event_date": date, "date_precision": date_precision, "geo_precision": geo_precision,
              "speaker": speaker, "speaker_role": role, "source_type": source_type,
              "cited_outlet": cited, "publisher": publisher}
    if counts is not None:
        wanted["counts"] = counts
    if places is not None:
        wanted["places"] = places
        chosen = [(p["role"], gazetteer.get(p["place_id"])) for p in places if gazetteer.get(p["place_id"])]
        wanted["geometry"] = geometry_of_places(etype, chosen)
    _save(ctx, row["id"], wanted, who, note)


def _save(ctx: ui.Context, event_id: str, changes: dict, who: str, note: str) -> None:
    try:
        changed = ctx.store.edit_event(event_id, changes, who=who, note=note)
    except GeoError as exc:
        st.error(f"Not saved: {exc}")
        return
    st.session_state["review_saved"] = ", ".join(changed) or "nothing (the values were already stored)"
    st.rerun()


def _event(ctx: ui.Context, event_id: str, who: str) -> None:
    rows = ctx.store.read(ids=[event_id], review=ALL_STATES, include_repeats=True)
    if rows.empty:
        st.caption("Pick an event in the queue.")
        return
    row = rows.iloc[0]
    st.subheader(f"{row['type']} · {row['review']}")
    with st.container(key="rtl_review_quote", border=True):
        st.markdown(ui.plain(row["quote"]))
    if saved := st.session_state.pop("review_saved", None):
        st.success(f"Saved: {saved}.")
    if not who:
        st.warning("Type your name in the sidebar («Your name») to review: every edit records who made it.")
    note = st.text_input("Note for a confirm or reject", key=f"quick_note_{event_id}")
    a, b, c = st.columns(3)
    if a.button("Confirm", icon=":material/check:", key="review_confirm", disabled=not who, width="stretch"):
        _save(ctx, event_id, {"review": "confirmed"}, who, note)
    if b.button("Reject", icon=":material/close:", key="review_reject", disabled=not who, width="stretch"):
        _save(ctx, event_id, {"review": "rejected"}, who, note)
    if c.button("Read the report", icon=":material/article:", key="review_report", width="stretch"):
        ui.open_report(row["article_id"], event_id)
    _correction(ctx, row, who)
    history = ctx.store.audit(target_id=event_id)
    if not history.empty:
        st.markdown("**History of this event**")
        st.dataframe(history[["at", "who", "field", "old_value", "new_value", "note"]], hide_index=True,
                     width="stretch", key="event_history")


def _audit_log(ctx: ui.Context) -> None:
    log = ctx.store.audit()
    with st.expander(f"Audit log: {len(log)} edits", expanded=False):
        st.dataframe(log, hide_index=True, width="stretch", key="audit_table")
        st.download_button("Download the audit log (CSV)", log.to_csv(index=False).encode("utf-8"),
                           file_name="marsad-audit.csv", mime="text/csv", icon=":material/download:",
                           key="audit_csv", disabled=log.empty)


def main() -> None:
    ctx = ui.context()
    ui.refuse_unless("review")
    st.title("Review")
    who = ui.analyst()
    event_id = _queue(ctx)
    if event_id:
        _event(ctx, event_id, who)
    _audit_log(ctx)


main()
