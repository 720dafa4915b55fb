"""Sources: the outlets and speakers behind the filtered events, and what each claimed."""

import streamlit as st

import ui
from geo import filters as gf


def main() -> None:
    ctx = ui.context()
    st.title("Sources")
    events = ui.all_events(ctx)
    sources = gf.source_table(events)
    st.caption(f"{len(sources)} sources (outlet × speaker) for {len(events)} events. "
               "Pick one to read its claims.")
    picked = st.dataframe(
        sources, key="sources_table", on_select="rerun", selection_mode="single-row",
        hide_index=True, width="stretch",
        column_config={
            "publisher": "Outlet", "cited_outlet": "Cites", "speaker": "Speaker",
            "speaker_role": "Role", "source_type": "Source type",
            "events": st.column_config.NumberColumn("Claims", format="%d"),
            "denied": st.column_config.NumberColumn("Denied", format="%d"),
            "first": st.column_config.DateColumn("First", format="YYYY-MM-DD"),
            "last": st.column_config.DateColumn("Last", format="YYYY-MM-DD"),
        },
    )
    rows = picked.selection.rows
    if not rows:
        return
    source = sources.iloc[rows[0]].to_dict()
    claims = gf.claims_of(events, source)
    st.subheader(f"{len(claims)} claims")
    for i, claim in enumerate(claims.itertuples()):
        with st.container(border=True):
            st.container(key=f"rtl_claim_{i}").markdown(ui.plain(claim.quote))
            st.caption(f"{claim.event_date} · {ui.plain(claim.type)} · {ui.plain(claim.places)}"
                       + (" · denied" if claim.denied else ""))


main()
