"""Where articles, mentions and events live: a GeoPackage file or a PostGIS database.

``open_store`` picks the backend from a URL or a path; ``EventStore`` is the contract both keep.
"""

from geo.store.base import EventStore, open_store
from geo.store.gpkg import GeoPackageStore
from geo.store.postgis import PostGISStore
from geo.store.schema import CRS, SCHEMA_VERSION, StoreStats

__all__ = ["CRS", "SCHEMA_VERSION", "EventStore", "GeoPackageStore", "PostGISStore", "StoreStats", "open_store"]
