"""Reports -> events: clause types, drafts, attribution, geometry and the GeoJSON output.

``extract_events`` is the entry point; ``python -m geo.events`` the command line.
"""

from geo.events.extract import extract_events
from geo.events.output import event_properties, events_to_geojson

__all__ = ["extract_events", "event_properties", "events_to_geojson"]
