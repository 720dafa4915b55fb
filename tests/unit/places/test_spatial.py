import pytest
from shapely.geometry import LineString, Point, box

from geo.places import spatial
from geo.errors import InputError
from geo.models import to_point


def test_to_point_puts_lon_first():
    p = to_point(31.75, 13.99)
    assert (p.x, p.y) == (13.99, 31.75)


@pytest.mark.parametrize("lat, lon", [(91, 0), (0, 181), (-90.5, 0)], ids=["lat", "lon", "south"])
def test_to_point_rejects_out_of_range(lat, lon):
    with pytest.raises(InputError, match="must be in"):
        to_point(lat, lon)


def test_distance_tripoli_benghazi():
    # about 645 km as the crow flies
    assert spatial.distance_km(32.887, 13.187, 32.115, 20.069) == pytest.approx(645, abs=10)


@pytest.mark.parametrize("bearing, dlat_sign, dlon_sign", [
    (0, 1, 0), (90, 0, 1), (180, -1, 0), (270, 0, -1)], ids=["n", "e", "s", "w"])
def test_offset_point_direction(bearing, dlat_sign, dlon_sign):
    lat, lon = spatial.offset_point(31.75, 14.0, bearing, 100)
    assert spatial.distance_km(31.75, 14.0, lat, lon) == pytest.approx(100, rel=0.01)
    if dlat_sign:
        assert (lat - 31.75) * dlat_sign > 0.5
    if dlon_sign:
        assert (lon - 14.0) * dlon_sign > 0.5


def test_circle_radius():
    c = spatial.circle(31.75, 14.0, 25)
    minx, miny, maxx, maxy = c.bounds
    assert spatial.distance_km(31.75, 14.0, maxy, 14.0) == pytest.approx(25, rel=0.02)
    assert spatial.distance_km(31.75, 14.0, 31.75, maxx) == pytest.approx(25, rel=0.02)
    assert c.contains(Point(14.0, 31.75))


def test_sector_lies_beyond_anchor():
    s = spatial.sector(31.75, 14.0, 180, inner_km=5, outer_km=100)
    assert not s.contains(Point(14.0, 31.75))
    assert s.bounds[3] < 31.75  # wholly south
    assert s.contains(Point(14.0, 31.2))


def test_sector_rejects_inverted_radii():
    with pytest.raises(InputError, match="outer_km"):
        spatial.sector(31.0, 14.0, 0, inner_km=50, outer_km=10)


def test_part_of_south():
    area = box(10, 20, 20, 30)
    south = spatial.part_of(area, "south")
    assert south.bounds == pytest.approx((10, 20, 20, 25))
    sw = spatial.part_of(area, "south_west")
    assert sw.bounds == pytest.approx((10, 20, 15, 25))


def test_side_of_line_excludes_line():
    wadi = LineString([(13.0, 31.0), (14.0, 31.0)])
    south = spatial.side_of(wadi, 180, reach_km=50)
    assert south.bounds[3] <= 31.0 + 1e-6
    assert south.bounds[1] == pytest.approx(31.0 - 50 / 110.574, abs=0.02)


def test_buffer_km_negative_refused():
    with pytest.raises(InputError):
        spatial.buffer_km(Point(13, 31), -1)
