"""Marsad: Arabic reports about armed groups and smuggling in Libya and the Sahel, on a map.

The entry point: page config, the shared sidebar filters (kept in the URL), the store, and
the pages (Map, Events, Sources; Add reports, Report, Review, Gazetteer for the analyst's
loop). Run with ``streamlit run app.py``. With a login configured (docs/serving.md), a user
gets the pages their role allows, and a signed-out user only a sign-in button.
"""

import streamlit as st

import auth
import ui

st.set_page_config(page_title="Marsad · مرصد", page_icon="🛰️", layout="wide")

# Each page, and the action (auth.ACTIONS) a role needs to see it.
PAGES = [
    (st.Page("pages/map.py", title="Map", icon="🗺️", default=True, url_path="map"), "read"),
    (st.Page("pages/events.py", title="Events", icon="📋", url_path="events"), "read"),
    (st.Page("pages/sources.py", title="Sources", icon="🗣️", url_path="sources"), "read"),
    (st.Page("pages/report.py", title="Report", icon=":material/article:", url_path="report"), "read"),
    (st.Page("pages/review.py", title="Review", icon=":material/rate_review:", url_path="review"), "review"),
    (st.Page("pages/add.py", title="Add reports", icon=":material/note_add:", url_path="add"), "add"),
    (st.Page("pages/gazetteer.py", title="Gazetteer", icon=":material/edit_location_alt:",
             url_path="gazetteer"), "gazetteer"),
]
role = ui.role()
allowed = [page for page, action in PAGES if auth.may(role, action)]
page = st.navigation(allowed or [st.Page(ui.sign_in, title="Sign in", url_path="sign-in")])
if allowed:
    ui.app_context()
page.run()
