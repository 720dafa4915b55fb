"""The one tabular shape of events, shared by the store, the map and the exports.

``EventStore.read()`` returns a GeoDataFrame with exactly ``EVENT_COLUMNS`` plus
``geometry`` (EPSG:4326). Lists (actors, places) travel as JSON text so every
backend (GeoPackage, PostGIS, CSV) holds them the same way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from geo.models import Event

EVENT_COLUMNS = (
    "id", "article_id", "type", "actors", "places", "geo_precision",
    "event_date", "date_precision", "speaker", "speaker_role", "source_type",
    "cited_outlet", "publisher", "url", "quote", "quote_start", "quote_end",
    "denied", "confidence", "review", "note", "modality", "sub_type", "same_as", "counts", "fatalities",
)


def event_record(event: Event) -> dict:
    """One event as a flat row of ``EVENT_COLUMNS`` plus ``geometry``."""
    a = event.attribution
    return {
        "id": event.id,
        "article_id": event.article_id,
        "type": event.type,
        "actors": json.dumps(list(event.actors), ensure_ascii=False),
        "places": json.dumps(
            [
                {"role": p.role, "place_id": p.place_id, "name": p.name,
                 "precision": p.precision, "start": p.start, "end": p.end,
                 "qualifier": p.qualifier}
                for p in event.places
            ],
            ensure_ascii=False,
        ),
        "geo_precision": event.geo_precision,
        "event_date": event.event_date,
        "date_precision": event.date_precision,
        "speaker": a.speaker,
        "speaker_role": a.speaker_role,
        "source_type": a.source_type,
        "cited_outlet": a.cited_outlet,
        "publisher": a.publisher,
        "url": a.url,
        "quote": event.quote,
        "quote_start": event.quote_start,
        "quote_end": event.quote_end,
        "denied": event.denied,
        "confidence": event.confidence,
        "review": event.review,
        "note": event.note,
        "modality": event.modality,
        "sub_type": event.sub_type,
        "same_as": event.same_as,
        "counts": json.dumps([c.as_dict() for c in event.counts], ensure_ascii=False),
        "fatalities": None if event.fatalities is None else int(event.fatalities),
        "geometry": event.geometry,
    }


def events_to_frame(events: Sequence[Event]) -> gpd.GeoDataFrame:
    """Events as a GeoDataFrame in the store's column order, CRS EPSG:4326."""
    rows = [event_record(e) for e in events]
    frame = pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "geometry"])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["fatalities"] = pd.to_numeric(frame["fatalities"]).astype("Int64")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
