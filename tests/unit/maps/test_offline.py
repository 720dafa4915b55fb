"""geo.maps.offline: vendored Leaflet/jQuery/MarkerCluster, local URLs, and a self-contained HTML."""

from __future__ import annotations

import re

import folium
import pytest
from folium.plugins import MarkerCluster
from shapely.geometry import Point

from geo.store.frames import events_to_frame
from geo.maps.build import build_event_map
from geo.models import Attribution, Event
from geo.maps.offline import install_assets, standalone_html, use_local_assets

EXPECTED_FILES = [
    "leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/images/layers.png",
    "jquery/jquery.min.js", "leaflet-markercluster/leaflet.markercluster.js",
    "leaflet-markercluster/MarkerCluster.css", "leaflet-markercluster/MarkerCluster.Default.css",
]
# A <script src> or <link href> that leaves the machine (Leaflet's own code holds links as text).
REMOTE = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(?:https?:)?//')


def clustered_frame(n: int = 250):
    events = [Event(id=f"e{i}", article_id="a", type="attack", geometry=Point(10 + i / 50, 27),
                    geo_precision=1, event_date=None, date_precision="reported",
                    attribution=Attribution(), quote="هجوم", quote_start=0, quote_end=4)
              for i in range(n)]
    return events_to_frame(events)


def test_install_assets_copies_the_vendored_files(tmp_path):
    vendor = install_assets(tmp_path)
    assert vendor == tmp_path / "vendor"
    for name in EXPECTED_FILES:
        assert (vendor / name).stat().st_size > 0, name
    assert "L.version" in (vendor / "leaflet/leaflet.js").read_text() or \
        "1.9.3" in (vendor / "leaflet/leaflet.js").read_text()


def test_install_assets_is_idempotent_and_repairs(tmp_path):
    vendor = install_assets(tmp_path)
    js = vendor / "leaflet/leaflet.js"
    stamp = js.stat().st_mtime_ns
    install_assets(tmp_path)
    assert js.stat().st_mtime_ns == stamp                       # already there: not rewritten
    js.write_text("truncated")
    install_assets(tmp_path)
    assert js.stat().st_size > 100_000                           # a damaged copy is replaced
    assert not list(vendor.rglob(".*"))                          # no temporary files left


@pytest.mark.parametrize("base", ["/app/static/vendor", "/app/static/vendor/"],
                         ids=["no-trailing-slash", "trailing-slash"])
def test_use_local_assets_rewrites_map_and_plugins(base):
    m = folium.Map(tiles=None)
    MarkerCluster().add_to(m)
    use_local_assets(m, base)
    rendered = m.get_root().render()
    assert not REMOTE.search(rendered)
    for name in ("leaflet/leaflet.js", "jquery/jquery.min.js",
                 "leaflet-markercluster/leaflet.markercluster.js",
                 "leaflet-markercluster/MarkerCluster.Default.css"):
        assert f'"/app/static/vendor/{name}"' in rendered


def test_use_local_assets_drops_what_the_map_never_uses():
    m = use_local_assets(folium.Map(tiles=None), "/v/")
    names = {name for name, _ in [*m.default_js, *m.default_css]}
    assert names == {"leaflet", "jquery", "leaflet_css"}


def test_use_local_assets_leaves_the_class_defaults_alone():
    use_local_assets(folium.Map(tiles=None), "/v/")
    assert folium.Map.default_js[0][1].startswith("https://")


def test_event_map_with_asset_base_loads_nothing_remote():
    rendered = build_event_map(clustered_frame(), asset_base="/app/static/vendor").get_root().render()
    assert "leaflet.markercluster.js" in rendered
    assert not REMOTE.search(rendered)


def test_standalone_html_inlines_every_asset():
    m = build_event_map(clustered_frame())
    html = standalone_html(m)
    assert not REMOTE.search(html)
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert "L.MarkerClusterGroup" in html                       # the plugin's code is inside
    assert "url(data:image/png;base64," in html                 # leaflet.css images too
    assert "url(images/" not in html


def test_standalone_html_restores_the_map():
    m = build_event_map(clustered_frame(), asset_base="/app/static/vendor/")
    before = {name: url for name, url in m.default_js}
    standalone_html(m)
    assert {name: url for name, url in m.default_js} == before
    assert '"/app/static/vendor/leaflet/leaflet.js"' in m.get_root().render()
