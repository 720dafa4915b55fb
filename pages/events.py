"""Events: the filtered events as a table; pick one to read its source and quote."""

import streamlit as st

import ui


def main() -> None:
    ctx = ui.context()
    st.title("Events")
    total = ctx.aggregate.total if ctx.aggregate else len(ctx.events)
    st.caption(f"{total:,} events match the filters in the sidebar. "
               "Pick a row to read its source and quote; the map centres on it.")
    ui.events_table(ctx, key="events_table", height=420)
    if ctx.filters.event_id and st.button("Show on the map", icon="🗺️"):
        st.switch_page("pages/map.py")
    ui.event_details(ctx)


main()
