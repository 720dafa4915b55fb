"""Derived areas stored once: the polygons many mentions and events share, kept in ``areas``.

A report's relative phrases ("south of Bani Walid", "along the Great Man-Made River",
"east Libya") become polygons of hundreds of vertices, and the same polygon comes
back in every report that uses the phrase and in each of its events: stored in every
row, they were two thirds of a GeoPackage. Both stores keep each such polygon once,
in ``areas``, and a mention or event row holds its id (``area_id``) with a NULL
``geom``; reading puts the area back, so a read returns the same geometry as before.

The id is taken from the polygon's own WKB (64 bits of BLAKE2b), not from the phrase
that made it: the same shape is shared whichever place, qualifier, distance or
gazetteer version produced it, a changed gazetteer polygon gets a new row instead of
silently replacing the old one under the same key, and a writer needs no lookup to
know the id (two processes writing the same area insert the same row).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# shapely's type ids of Polygon and MultiPolygon: the shapes a relative phrase or a region makes
_POLYGONAL = (3, 6)


def area_id(wkb: bytes) -> int:
    """The area's id: the first 64 bits of the BLAKE2b digest of its ISO WKB, as a signed integer
    (SQLite's INTEGER PRIMARY KEY and PostgreSQL's bigint)."""
    return int.from_bytes(hashlib.blake2b(wkb, digest_size=8).digest(), "little", signed=True)


def split_areas(geometries: Sequence[BaseGeometry | None]) -> tuple[list, list, dict[int, BaseGeometry]]:
    """(geometries to keep in their rows, area ids, the areas by id) for a list of geometries.

    A non-empty polygon or multipolygon goes to ``areas``: its row keeps None and its
    area id; any other geometry stays in its row with a None id.
    """
    if not geometries:
        return [], [], {}
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    kinds = shapely.get_type_id(array)
    shared = ((kinds == _POLYGONAL[0]) | (kinds == _POLYGONAL[1])) & ~shapely.is_empty(array)
    if not shared.any():
        return list(geometries), [None] * len(geometries), {}
    kept, ids, areas = list(geometries), [None] * len(geometries), {}
    at = np.flatnonzero(shared)
    for i, wkb in zip(at.tolist(), shapely.to_wkb(array[at], byte_order=1, flavor="iso").tolist()):
        key = area_id(wkb)
        kept[i], ids[i] = None, key
        areas.setdefault(key, geometries[i])
    return kept, ids, areas


def with_areas(wkbs: Sequence[bytes | None], ids: Sequence[int | None],
               area_wkbs: dict[int, bytes]) -> np.ndarray:
    """The geometries of rows that hold WKB or an area id: each area decoded once, and the one
    shapely object shared by every row that names it (shapely geometries are immutable)."""
    out = shapely.from_wkb(np.array(wkbs, dtype=object)) if len(wkbs) else np.array([], dtype=object)
    keys = list(area_wkbs)
    shapes = dict(zip(keys, shapely.from_wkb(np.array([area_wkbs[k] for k in keys], dtype=object)).tolist())) \
        if keys else {}
    for i, key in enumerate(ids):
        if key is not None and key in shapes:
            out[i] = shapes[key]
    return out


def used_ids(ids: Sequence[int | None]) -> list[int]:
    """The distinct area ids rows name, for one fetch of their geometries."""
    return list({key for key in ids if key is not None})
