"""Marsad: Arabic reports about armed groups and smuggling in Libya and the Sahel, on a map.

The entry point: page config, the shared sidebar filters (kept in the URL), the store, and
the pages (Map, Events, Sources; Add reports, Report, Review, Gazetteer for the analyst's
loop). Run with ``streamlit run app.py``.
"""

import streamlit as st

import ui

st.set_page_config(page_title="Marsad · مرصد", page_icon="🛰️", layout="wide")

pages = [
    st.Page("pages/map.py", title="Map", icon="🗺️", default=True, url_path="map"),
    st.Page("pages/events.py", title="Events", icon="📋", url_path="events"),
    st.Page("pages/sources.py", title="Sources", icon="🗣️", url_path="sources"),
    st.Page("pages/report.py", title="Report", icon=":material/article:", url_path="report"),
    st.Page("pages/review.py", title="Review", icon=":material/rate_review:", url_path="review"),
    st.Page("pages/add.py", title="Add reports", icon=":material/note_add:", url_path="add"),
    st.Page("pages/gazetteer.py", title="Gazetteer", icon=":material/edit_location_alt:", url_path="gazetteer"),
]
page = st.navigation(pages)
ui.app_context()
page.run()
