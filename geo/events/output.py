"""Events as flat GeoJSON properties and a FeatureCollection: what the command line prints."""

from __future__ import annotations

import json
from collections.abc import Sequence

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.models import Event


def event_properties(event: Event) -> dict:
    """The GeoJSON properties of one event (lists stay lists, the date is ISO text)."""
    a = event.attribution
    return {
        "id": event.id, "type": event.type, "actors": list(event.actors),
        "places": [{"role": p.role, "place_id": p.place_id, "name": p.name, "precision": p.precision,
                    "start": p.start, "end": p.end, "qualifier": p.qualifier} for p in event.places],
        "geo_precision": event.geo_precision,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "date_precision": event.date_precision, "speaker": a.speaker, "speaker_role": a.speaker_role,
        "source_type": a.source_type, "cited_outlet": a.cited_outlet, "publisher": a.publisher,
        "url": a.url, "quote": event.quote, "quote_start": event.quote_start, "quote_end": event.quote_end,
        "denied": event.denied, "confidence": event.confidence, "modality": event.modality,
        "sub_type": event.sub_type, "counts": [c.as_dict() for c in event.counts],
        "fatalities": event.fatalities,
    }


def claim_properties(events: Sequence[Event]) -> list[dict]:
    """One property dict per claim: events that repeat another (``same_as``) are not listed
    again but added to it under ``also_reported_by`` (their source and quote), in text order."""
    shown = {e.id for e in events if not e.same_as}
    out: dict[str, dict] = {}
    for event in events:
        if event.same_as not in shown:
            out[event.id] = event_properties(event) | {"also_reported_by": [],
                                                       "geometry": geometry_json(event.geometry)}
    for event in events:
        if event.same_as in shown:
            a = event.attribution
            out[event.same_as]["also_reported_by"].append(
                {"speaker": a.speaker, "speaker_role": a.speaker_role, "source_type": a.source_type,
                 "cited_outlet": a.cited_outlet, "quote": event.quote})
    return list(out.values())


def geometry_json(geometry: BaseGeometry | None) -> dict | None:
    """GeoJSON geometry (full precision), or None."""
    return None if geometry is None else json.loads(json.dumps(mapping(geometry)))


def events_to_geojson(events: Sequence[Event]) -> dict:
    """Events as a GeoJSON FeatureCollection (WGS84, lon/lat), one Feature per claim."""
    features = []
    for props in claim_properties(events):
        geometry = props.pop("geometry")
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}
