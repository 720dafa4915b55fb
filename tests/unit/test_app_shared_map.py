"""Many analysts on one server: sessions with the same filters share one built map."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import geo.maps.build

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180


@pytest.fixture()
def builds(tmp_path, monkeypatch):
    """A fresh sample store (so no map of it is cached yet); the list of maps built on it."""
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "marsad.gpkg"))
    monkeypatch.chdir(ROOT)
    made = []
    build = geo.maps.build.build_event_map

    def counted(*args, **kwargs):
        made.append(kwargs.get("basemap"))
        return build(*args, **kwargs)

    monkeypatch.setattr(geo.maps.build, "build_event_map", counted)
    return made


def _session() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=TIMEOUT).run()


def _map_features(at: AppTest) -> str:
    return next(c for c in at.get("component_instance") if "folium" in c.proto.component_name).proto.json_args


def test_a_second_session_with_the_same_filters_builds_no_map(builds):
    first = _session()
    assert not first.exception and builds == ["offline"]
    second = _session()
    assert not second.exception and builds == ["offline"]
    assert _map_features(second) == _map_features(first)   # the same map, drawn the same


def test_a_new_filter_set_builds_once_for_every_session(builds):
    first, second = _session(), _session()
    for at in (first, second):
        at.sidebar.multiselect(key="_w_f_types").set_value(["attack"]).run()
        assert not at.exception
    assert builds == ["offline", "offline"]
    second.selectbox(key="basemap").set_value("osm").run()   # a view option is part of the key
    assert builds == ["offline", "offline", "osm"]
