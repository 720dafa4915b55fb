"""Size by a claim's number: circles whose area follows fatalities or force size."""

import dataclasses
import math

import pytest
from shapely.geometry import Point

from geo.errors import InputError
from geo.maps.build import build_event_map, size_key, size_radius, sized_values
from geo.maps.style import legend_html
from geo.models import Count
from geo.store.frames import events_to_frame
from tests.conftest import store_corpus_items


def _frame():
    events = [e for _, _, evs in store_corpus_items() for e in evs]
    attack = dataclasses.replace(events[0], type="attack", geometry=Point(14.43, 27.04),
                                 counts=(Count("killed", 18, 18),))
    small = dataclasses.replace(events[1], type="attack", geometry=Point(13.0, 32.8),
                                counts=(Count("killed", 2, 2), Count("killed", 0, 0, "none")))
    force = dataclasses.replace(events[2], type="presence", geometry=Point(16.6, 31.2),
                                counts=(Count("fighters", 700, 700, "about"),))
    return events_to_frame([attack, small, force, *events[3:]])


def test_values_follow_the_claims_and_only_the_sized_types():
    frame = _frame()
    fatal = sized_values(frame, "fatalities")
    assert fatal[:3].tolist()[:2] == [18.0, 2.0] and math.isnan(fatal[2])   # a presence is not sized by deaths
    force = sized_values(frame, "fighters")
    assert math.isnan(force[0]) and force[2] == 700.0


def test_circle_area_is_proportional_and_the_largest_is_40_px():
    assert size_radius(18, 18) == 40
    assert size_radius(4.5, 18) == pytest.approx(20)   # a quarter of the value, a quarter of the area
    assert size_radius(0, 18) == 3


def test_the_map_draws_the_circles_as_a_layer_of_their_own():
    html = build_event_map(_frame(), size_by="fatalities").get_root().render()
    assert "Sized by fatalities (largest 18)" in html
    assert html.count("L.circleMarker(") >= 2 and '"radius": 40.0' in html
    assert html.count('"interactive": false') >= 2          # the event under a circle keeps its click
    plain = build_event_map(_frame()).get_root().render()
    assert "Sized by" not in plain
    with pytest.raises(InputError, match="size_by"):
        build_event_map(_frame(), size_by="tonnes")


def test_the_size_key_gives_reference_circles_and_counts_what_has_no_number():
    frame = _frame()
    key = size_key(frame, "fatalities")
    attacks = int((frame["type"] == "attack").sum())
    assert key.steps == ((18.0, 40.0), (9.0, size_radius(9, 18)), (1.0, size_radius(1, 18)))
    assert key.sized == 2 and key.unsized == attacks - 2
    assert size_key(frame.iloc[0:0], "fatalities") is None


def test_the_legend_says_what_the_circles_mean_only_when_the_map_is_sized():
    frame = _frame()
    html = build_event_map(frame, size_by="fatalities").get_root().render()
    assert "Circle area: fatalities" in html and "give no number: no circle" in html
    assert "Circle area" not in build_event_map(frame).get_root().render()
    assert "Circle area: force size (fighters)" in legend_html(size_key(frame, "fighters"))
