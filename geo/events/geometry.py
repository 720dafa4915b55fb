"""Where an event goes on the map: the geometry of its places and their roles.

A movement or a smuggling route is a line from its origin through its via places
to its destination (along a road or the Great Man-Made River when a via place is
a line), a base is a point, a presence is the mention's own shape (a sector, a
buffer, a region). Precision is the worst of the places used (ACLED's 1-3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, substring

from geo.models import Mention

ROUTE_TYPES = frozenset({"movement", "smuggling_route"})

@dataclass(frozen=True, slots=True)
class Loc:
    """A Mention with its phrase as a normalized span."""

    start: int
    end: int
    mention: Mention



def centre(loc: Loc, toward: Point | None = None) -> Point | None:
    """The point a line starts or ends at: the place's point, or for a region or a
    continent («إلى أوروبا») the point of it nearest to the other end."""
    geom = _geometry_of(loc)
    if geom is None:
        return None
    if isinstance(geom, Point):
        return geom
    if toward is not None and loc.mention.precision == 3 and loc.mention.qualifier == "none":
        return nearest_points(geom, toward)[0]
    return geom.centroid


def _geometry_of(loc: Loc) -> BaseGeometry | None:
    m = loc.mention
    if m.geometry is not None:
        return m.geometry
    return m.place.geometry if m.place is not None else None


def _line_of(loc: Loc) -> LineString | None:
    """The line a «along the GMMR / the road» place follows, if it is one."""
    place = loc.mention.place
    if place is None:
        return None
    g = place.geometry
    if isinstance(g, LineString):
        return g
    if isinstance(g, MultiLineString):
        return max(g.geoms, key=lambda p: p.length)
    return None


def event_geometry(kind: str, locs: list[Loc], roles: dict[int, str]) -> tuple[BaseGeometry | None, int | None]:
    """A line for a movement or route, a point for a base, the mention's shape otherwise."""
    if not locs:
        return None, None
    precisions = [loc.mention.precision for loc in locs if loc.mention.precision]
    worst = max(precisions) if precisions else None
    if kind in ROUTE_TYPES:
        by_role = {"origin": [], "via": [], "destination": [], "location": []}
        for i, loc in enumerate(locs):
            by_role[roles.get(i, "location")].append(loc)
        ends = by_role["origin"][:1] + by_role["destination"][:1]
        lines = [ln for ln in (_line_of(loc) for loc in by_role["via"]) if ln is not None]
        if lines and len(ends) == 2:
            a, b = centre(ends[0]), centre(ends[1])
            line = lines[0]
            d1, d2 = line.project(a), line.project(b)
            part = substring(line, min(d1, d2), max(d1, d2))
            coords = list(part.coords) if isinstance(part, LineString) else []
            if d1 > d2:
                coords.reverse()
            return LineString([a.coords[0], *coords, b.coords[0]]), worst
        if lines and not ends:
            return lines[0], worst
        seq = by_role["origin"][:1] + [v for v in by_role["via"] if _line_of(v) is None] + by_role["destination"][:1]
        points = [p for p in (centre(loc) for loc in seq) if p is not None]
        if len(points) >= 2:
            # A region at either end is met at its side facing the other end.
            points[-1] = centre(seq[-1], points[-2]) or points[-1]
            points[0] = centre(seq[0], points[1]) or points[0]
        distinct = [p for i, p in enumerate(points) if i == 0 or not p.equals(points[i - 1])]
        if len(distinct) >= 2:
            return LineString([p.coords[0] for p in distinct]), worst
        if seq:
            return _geometry_of(seq[0]), seq[0].mention.precision
        return _geometry_of(locs[0]), locs[0].mention.precision
    best = min(locs, key=lambda loc: loc.mention.precision or 3)
    geom = _geometry_of(best)
    if kind == "base" and geom is not None and not isinstance(geom, Point):
        anchor = best.mention.anchor or best.mention.place
        geom = anchor.geometry if anchor is not None and isinstance(anchor.geometry, Point) else geom.centroid
    return geom, best.mention.precision



def geometry_of_places(kind: str, places: list[tuple[str, object]]) -> BaseGeometry | None:
    """An event's geometry from (role, Place) pairs an analyst chose: for a movement or a
    route with two places or more, the line origin → via → destination; otherwise the
    first place's own shape (a base is its point)."""
    if not places:
        return None
    if kind in ROUTE_TYPES:
        order = {"origin": 0, "via": 1, "location": 1, "destination": 2}
        ordered = [p for _, p in sorted(places, key=lambda rp: order.get(rp[0], 1))]
        if len(ordered) >= 2:
            return LineString([(p.lon, p.lat) for p in ordered])
    place = places[0][1]
    return Point(place.lon, place.lat) if kind == "base" else place.geometry


def event_points(kinds, geometries) -> np.ndarray:
    """Where a map, a table row or a count puts each event: a movement's destination (its line's
    end), a route's midpoint, else the point itself or one inside the area. An array of Points
    (shapely's vectorised functions), None where an event has no shape."""
    def array(values) -> np.ndarray:
        return values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else np.asarray(list(values), dtype=object)
    geoms, kinds = array(geometries), array(kinds)
    out = np.full(len(geoms), None, dtype=object)
    if not len(geoms):
        return out
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(np.where(shapely.is_missing(geoms), None, geoms)))
    types = shapely.get_type_id(geoms)
    is_line = present & ((types == 1) | (types == 5))            # LineString, MultiLineString
    movement = is_line & (kinds == "movement")
    route = is_line & (kinds == "smuggling_route")
    if movement.any():
        lines = geoms[movement]
        multi = shapely.get_type_id(lines) == 5
        lines[multi] = shapely.get_geometry(lines[multi], -1)     # a multi-line's last part
        out[movement] = shapely.get_point(lines, -1)
    if route.any():
        out[route] = shapely.line_interpolate_point(geoms[route], 0.5, normalized=True)
    rest = present & ~movement & ~route
    if rest.any():
        points = types[rest] == 0
        chosen = geoms[rest].copy()
        chosen[~points] = shapely.point_on_surface(chosen[~points])
        out[rest] = chosen
    return out
