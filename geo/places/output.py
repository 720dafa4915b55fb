"""Mentions as flat properties and GeoJSON: what the command line prints and events reuse."""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.models import Mention


def mention_properties(m: Mention) -> dict:
    """The flat properties of one mention, as the CLI and the events output give them."""
    place = m.place
    return {
        "surface": m.surface,
        "start": m.start,
        "end": m.end,
        "phrase_start": m.phrase_start,
        "phrase_end": m.phrase_end,
        "place_id": place.id if place else None,
        "name_ar": place.name_ar if place else None,
        "name_en": place.name_en if place else None,
        "kind": place.kind if place else None,
        "qualifier": m.qualifier,
        "direction": m.direction,
        "anchor_place_id": m.anchor.id if m.anchor else None,
        "second_anchor_place_id": m.second_anchor.id if m.second_anchor else None,
        "precision": m.precision,
        "confidence": m.confidence,
        "lat": None if m.lat is None else round(m.lat, 5),
        "lon": None if m.lon is None else round(m.lon, 5),
        "candidates": list(m.candidates),
    }


def geometry_json(geometry: BaseGeometry | None, *, digits: int = 5) -> dict | None:
    """GeoJSON geometry with rounded coordinates, or None."""
    if geometry is None:
        return None
    return mapping(shapely.set_precision(geometry, 10 ** -digits))


def mentions_to_geojson(mentions: Sequence[Mention]) -> dict:
    """A FeatureCollection, one Feature per mention, geometry = the full geometry."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": geometry_json(m.geometry), "properties": mention_properties(m)}
            for m in mentions
        ],
    }
