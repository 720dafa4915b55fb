"""Map: the filtered events on an offline map, in step with the events table below it."""

import streamlit as st
from streamlit_folium import st_folium

import ui

BASEMAPS = {"offline": "Offline (Natural Earth)", "osm": "OpenStreetMap (online)",
            "satellite": "Satellite (online)"}
# Only clicks rerun the script: pans and zooms (bounds, zoom, center) stay in the browser.
RETURNED = ["last_object_clicked", "last_active_drawing"]


def main() -> None:
    ctx = ui.context()
    head, sizing, choice = st.columns([3, 1, 1], vertical_alignment="bottom")
    head.markdown(f"### Events on the map: {ctx.aggregate.total if ctx.aggregate else len(ctx.events)}")
    size_by = ui.size_control(sizing)
    basemap = choice.selectbox("Basemap", list(BASEMAPS), format_func=BASEMAPS.get,
                               key="basemap")
    areas, outside = ui.district_counts(ctx)
    # above geo.maps.bins.AGGREGATE_ABOVE events the map counts them per hexagon; built and
    # rendered once per filter set for every session, so st_folium need not render it again
    m = ui.event_map(ctx, basemap=basemap, size_by=size_by, areas=areas)
    st_folium(m, key="events_map", height=560, use_container_width=True, render=False,
              returned_objects=RETURNED, **ui.map_focus(ctx),
              feature_group_to_add=ui.selection_layer(ctx), on_change=ui.on_map_click)
    ui.timeline(ctx)
    ui.area_table(areas, outside)
    ui.district_fatalities(ctx)
    # The details of the selected event under the map, then the table at the page's full width.
    ui.event_details(ctx)
    ui.events_table(ctx, key="map_table")
    # --- EXPORT: the download buttons come from geo.export ----------------------------------
    ui.export_buttons(ctx)


main()
