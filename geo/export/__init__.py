"""Exports of the filtered events: PNG snapshot, offline HTML, GeoJSON, KML, CSV, GeoPackage.

``export`` writes any format; each family has its module (``png``, ``html``, ``formats``);
``python -m geo.export`` is the command line.
"""

from geo.export.cli import FORMATS, export
from geo.export.formats import to_csv, to_geojson, to_gpkg, to_kml
from geo.export.html import page_html, to_html
from geo.export.png import to_png

__all__ = ["FORMATS", "export", "page_html", "to_csv", "to_geojson", "to_gpkg", "to_html", "to_kml", "to_png"]
