"""Small geometry helpers in kilometres around WGS84 shapes.

Buffers, sectors and circles are computed in a local equirectangular plane
(km east, km north of a reference latitude). Over the few hundred kilometres a
report talks about, its error stays well under the uncertainty it draws, and it
costs microseconds where a projection per shape would cost milliseconds.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON_EQUATOR = 111.320

BEARINGS = {
    "north": 0.0, "north_east": 45.0, "east": 90.0, "south_east": 135.0,
    "south": 180.0, "south_west": 225.0, "west": 270.0, "north_west": 315.0,
}


def _km_per_deg_lon(lat: float) -> float:
    """Kilometres in one degree of longitude at ``lat``."""
    return _KM_PER_DEG_LON_EQUATOR * max(math.cos(math.radians(lat)), 0.01)


def _to_km(geometry: BaseGeometry, ref_lat: float, ref_lon: float) -> BaseGeometry:
    """WGS84 shape to the local km plane around (ref_lat, ref_lon)."""
    kx = _km_per_deg_lon(ref_lat)

    def fwd(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(((coords[:, 0] - ref_lon) * kx, (coords[:, 1] - ref_lat) * _KM_PER_DEG_LAT))

    return shapely.transform(geometry, fwd)


def _from_km(geometry: BaseGeometry, ref_lat: float, ref_lon: float) -> BaseGeometry:
    """Local km plane back to WGS84 (lon, lat)."""
    kx = _km_per_deg_lon(ref_lat)

    def inv(coords: np.ndarray) -> np.ndarray:
        lon = np.clip(coords[:, 0] / kx + ref_lon, -180.0, 180.0)
        lat = np.clip(coords[:, 1] / _KM_PER_DEG_LAT + ref_lat, -90.0, 90.0)
        return np.column_stack((lon, lat))

    return shapely.transform(geometry, inv)


def _check_km(name: str, km: float) -> None:
    """Raise InputError for a negative or non-finite distance."""
    if not (isinstance(km, (int, float)) and math.isfinite(km) and km >= 0):
        raise InputError(f"{name} must be a distance in km >= 0, got {km!r}")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def offset_point(lat: float, lon: float, bearing_deg: float, distance: float) -> tuple[float, float]:
    """The (lat, lon) reached from (lat, lon) going ``distance`` km at ``bearing_deg``."""
    _check_km("distance", distance)
    d = distance / EARTH_RADIUS_KM
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


def circle(lat: float, lon: float, radius_km: float, *, segments: int = 16) -> Polygon:
    """A circle of ``radius_km`` around (lat, lon) as a WGS84 polygon.

    Examples
    --------
    >>> c = circle(31.76, 13.98, 25)   # 25 km around بني وليد
    >>> round(c.bounds[1], 2)
    31.53
    """
    _check_km("radius_km", radius_km)
    shape = Point(0.0, 0.0).buffer(max(radius_km, 1e-6), quad_segs=segments)
    return _from_km(shape, lat, lon)


def buffer_km(geometry: BaseGeometry, km: float) -> BaseGeometry:
    """``geometry`` grown by ``km`` kilometres on every side."""
    _check_km("km", km)
    ref = geometry.centroid
    local = _to_km(geometry, ref.y, ref.x).buffer(km, quad_segs=8)
    return _from_km(local, ref.y, ref.x)


def sector(lat: float, lon: float, bearing_deg: float, *, inner_km: float, outer_km: float,
           half_angle: float = 45.0) -> Polygon:
    """A wedge from (lat, lon) towards ``bearing_deg``, between two radii.

    The honest shape of «جنوب بني وليد»: somewhere south of the town, not the town.
    """
    _check_km("inner_km", inner_km)
    _check_km("outer_km", outer_km)
    if outer_km <= inner_km:
        raise InputError(f"outer_km must exceed inner_km, got {outer_km!r} <= {inner_km!r}")
    angles = np.radians(np.linspace(bearing_deg - half_angle, bearing_deg + half_angle, 13))
    outer = np.column_stack((np.sin(angles) * outer_km, np.cos(angles) * outer_km))
    inner = np.column_stack((np.sin(angles) * inner_km, np.cos(angles) * inner_km))[::-1]
    return _from_km(Polygon(np.vstack((outer, inner))), lat, lon)


def side_of(geometry: BaseGeometry, bearing_deg: float, *, reach_km: float) -> BaseGeometry:
    """The band beyond an extended shape (a wadi, a region) towards ``bearing_deg``.

    The shape is grown by ``reach_km``, cut by the half-plane beyond its centroid
    in that direction, and the shape itself is taken out.
    """
    ref = geometry.centroid
    local = _to_km(geometry, ref.y, ref.x)
    grown = local.buffer(reach_km, quad_segs=8)
    b = math.radians(bearing_deg)
    ux, uy = math.sin(b), math.cos(b)
    big = 10 * (reach_km + max(local.bounds[2] - local.bounds[0], local.bounds[3] - local.bounds[1]))
    half = Polygon([(-uy * big, ux * big), (uy * big, -ux * big),
                    (uy * big + ux * big, -ux * big + uy * big), (-uy * big + ux * big, ux * big + uy * big)])
    return _from_km(grown.intersection(half).difference(local), ref.y, ref.x)


def part_of(area: BaseGeometry, direction: str, *, share: float = 0.5) -> BaseGeometry:
    """The ``direction`` part of an area (the south of Libya): a ``share`` of its extent.

    ``direction`` is one of the keys of ``BEARINGS`` (north_west etc. combine two cuts).
    """
    if direction not in BEARINGS:
        raise InputError(f"direction must be one of {sorted(BEARINGS)}, got {direction!r}")
    minx, miny, maxx, maxy = area.bounds
    w, h = (maxx - minx) * share, (maxy - miny) * share
    cut = box(minx, miny, maxx, maxy)
    if "south" in direction:
        cut = cut.intersection(box(minx, miny, maxx, miny + h))
    if "north" in direction:
        cut = cut.intersection(box(minx, maxy - h, maxx, maxy))
    if "west" in direction:
        cut = cut.intersection(box(minx, miny, minx + w, maxy))
    if "east" in direction:
        cut = cut.intersection(box(maxx - w, miny, maxx, maxy))
    return area.intersection(cut)


def corridor(a: BaseGeometry, b: BaseGeometry, *, width_km: float) -> BaseGeometry:
    """A band ``width_km`` either side of the segment joining two shapes' centres («بين X و Y»)."""
    line = LineString([a.centroid, b.centroid]) if not a.centroid.equals(b.centroid) else a.centroid
    return buffer_km(line, width_km)
