"""Marsad: Arabic reports about armed groups and smuggling in Libya and the Sahel, on a map.

The entry point: page config, the shared sidebar filters (kept in the URL), the store, and
the pages (Map, Events, Sources). Run with ``streamlit run app.py``.
"""

import streamlit as st

import ui

st.set_page_config(page_title="Marsad · مرصد", page_icon="🛰️", layout="wide")

pages = [
    st.Page("pages/map.py", title="Map", icon="🗺️", default=True, url_path="map"),
    st.Page("pages/events.py", title="Events", icon="📋", url_path="events"),
    st.Page("pages/sources.py", title="Sources", icon="🗣️", url_path="sources"),
]
page = st.navigation(pages)
ui.app_context()
page.run()
