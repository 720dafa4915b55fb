"""Marsad's domain package: Arabic geoparsing, events, storage, maps, export.

Pure functions and small classes; no streamlit, no work at import time.
"""
