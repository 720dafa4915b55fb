"""An analyst's place correction gives the event a new shape."""

from shapely.geometry import LineString, Point, Polygon

from geo.events.geometry import geometry_of_places
from geo.models import Place

SABHA = Place("t:sabha", "سبها", "Sabha", "city", Point(14.43, 27.04))
UBARI = Place("t:ubari", "أوباري", "Ubari", "town", Point(12.78, 26.59))
AREA = Place("t:area", "منطقة", "Area", "region", Polygon([(13, 26), (14, 26), (14, 27), (13, 27)]))


def test_a_route_runs_from_origin_to_destination_whatever_the_order_given():
    line = geometry_of_places("movement", [("destination", UBARI), ("origin", SABHA)])
    assert line.equals(LineString([(14.43, 27.04), (12.78, 26.59)]))


def test_a_presence_takes_the_place_shape_and_a_base_its_point():
    assert geometry_of_places("presence", [("location", AREA)]).equals(AREA.geometry)
    assert isinstance(geometry_of_places("base", [("location", AREA)]), Point)
    assert geometry_of_places("movement", [("destination", UBARI)]).equals(UBARI.geometry)
    assert geometry_of_places("attack", []) is None


def test_event_points_put_each_event_where_the_map_says_it_is():
    from shapely.geometry import MultiLineString
    from shapely.geometry import Point as P

    from geo.events.geometry import event_points
    cases = [("movement", LineString([(14.43, 27.04), (12.78, 26.59)]), P(12.78, 26.59)),      # its end
             ("movement", MultiLineString([[(10, 20), (11, 21)], [(12, 22), (13, 23)]]), P(13, 23)),
             ("smuggling_route", LineString([(10, 20), (14, 20)]), P(12, 20)),                  # its middle
             ("presence", AREA.geometry, AREA.geometry.representative_point()),
             ("attack", P(14.0, 27.0), P(14.0, 27.0)), ("other", None, None),
             ("base", LineString([(10, 20), (12, 20)]), LineString([(10, 20), (12, 20)]).representative_point())]
    got = event_points([k for k, _, _ in cases], [g for _, g, _ in cases])
    for (kind, _, expected), point in zip(cases, got):
        assert (point is None and expected is None) or point.equals(expected), (kind, point, expected)
    assert len(event_points([], [])) == 0
