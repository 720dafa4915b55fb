"""Map speed: geo.maps.build.build_event_map against the naive MarkerCluster of folium Markers.

For synthetic stores of 1,000, 10,000 and 100,000 events (the geo.store.frames shape,
realistic Arabic quotes and place spans, a mix of points, lines and areas) it
measures, side by side in one run:

- build: ``build_event_map`` (or the naive map) plus rendering it to HTML, in Python; for
  ours, with what the map page adds (district counts and their layer, the fitted first view,
  the timeline's weekly counts and chart);
- size: the HTML, assets not inlined (they load from static/vendor);
- drawn: headless Chromium (Debian's, through Playwright), from navigation start
  until every feature is drawn (our layers set ``window.marsadDrawn`` two frames
  after the last layer is added; for the naive map, the first cluster icon, which
  appears only once its whole script has run);
- filter: a filter change (three of the six types, the later half of the dates):
  the filtered frame, its map built and rendered, and drawn in the browser;
- popup ms: the first popup opened on the filtered map (its layer's popup data is
  parsed then, not at load), through ``marsad.select``.

Targets at 100,000 events: build < 2 s, drawn < 3 s, filter change < 1.5 s.

Usage::

    .venv/bin/python bench/map.py                      # 1k, 10k, 100k, each also naive
    .venv/bin/python bench/map.py --naive-max 10000    # skip the minutes-long naive 100k
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.maps.aggregates import area_counts  # noqa: E402
from geo.maps.build import LIBYA_CENTER, build_event_map, fit_view  # noqa: E402
from geo.maps.timeline import timeline_chart, weekly_counts  # noqa: E402
from geo.maps.offline import install_assets, use_local_assets  # noqa: E402

OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TYPES = ["attack", "base", "presence", "movement", "smuggling_route", "other"]
TYPE_SHARE = [0.35, 0.15, 0.15, 0.2, 0.1, 0.05]
# Our own words; the place names are real towns, the sentences are invented.
TOWNS = ["سبها", "أوباري", "مرزق", "الكفرة", "بني وليد", "سرت", "غات", "القطرون", "الجفرة",
         "زوارة", "صبراتة", "غدامس", "طبرق", "درنة", "مصراتة"]
OPENINGS = ["أفاد مصدر أمني", "قال شهود عيان", "ذكر مسؤول محلي", "أعلنت غرفة العمليات",
            "نقلت وسائل إعلام محلية عن ضابط"]
ACTIONS = ["بأن رتلا مسلحا تحرك من {a} باتجاه {b} فجر اليوم",
           "أن مجموعة مسلحة هاجمت نقطة تفتيش قرب {a} وأصابت عددا من العناصر",
           "أن قوة جديدة تمركزت في معسكر جنوب {a} بعد انسحابها من {b}",
           "أن مهربين نقلوا شحنات وقود عبر الطريق الصحراوي بين {a} و{b}"]
TAILS = ["وفق ما نقلته مصادر متطابقة", "دون أن تصدر الجهات الرسمية أي تعليق",
         "في ظل توتر أمني متصاعد في المنطقة", "بحسب بيان نشر على صفحة رسمية"]


def synthetic_events(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """n events in the geo.store.frames shape, spread over Libya, with quotes ~150 characters long."""
    rng = np.random.default_rng(seed)
    types = rng.choice(TYPES, size=n, p=TYPE_SHARE)
    lats = rng.uniform(20.5, 32.5, n)
    lons = rng.uniform(10.0, 24.5, n)
    days = rng.integers(0, 3 * 365, n)
    rows = []
    base_date = pd.Timestamp("2022-01-01")
    for i in range(n):
        a, b = rng.choice(len(TOWNS), 2, replace=False)
        town_a, town_b = TOWNS[a], TOWNS[b]
        opening = OPENINGS[i % len(OPENINGS)]
        action = ACTIONS[i % len(ACTIONS)].format(a=town_a, b=town_b)
        quote = f"{opening} رقم {i} {action} {TAILS[i % len(TAILS)]}."
        quote_start = 40 + (i % 200)
        sa = quote.index(town_a)
        sb = quote.index(town_b) if town_b in quote else None
        places = [{"role": "origin", "place_id": f"gn:{a}", "name": town_a, "precision": 1,
                   "start": quote_start + sa, "end": quote_start + sa + len(town_a),
                   "qualifier": "none"}]
        if sb is not None:
            places.append({"role": "destination", "place_id": f"gn:{b}", "name": town_b,
                           "precision": 2, "start": quote_start + sb,
                           "end": quote_start + sb + len(town_b), "qualifier": "near"})
        t = types[i]
        lat, lon = float(lats[i]), float(lons[i])
        if t in ("movement", "smuggling_route"):
            steps = rng.normal(0, 0.8, (int(rng.integers(1, 4)), 2)).cumsum(axis=0)
            geom = LineString([(lon, lat)] + [(lon + dx, lat + dy) for dx, dy in steps])
        elif t == "presence" and i % 3:
            geom = Point(lon, lat).buffer(0.2 + (i % 3) * 0.3, quad_segs=4)
        else:
            geom = Point(lon, lat)
        rows.append({
            "id": f"ev{i:06d}", "article_id": f"art{i // 3:06d}", "type": t,
            "actors": json.dumps([f"الكتيبة {i % 97}", "قوات حرس الحدود"][: 1 + i % 2],
                                 ensure_ascii=False),
            "places": json.dumps(places, ensure_ascii=False), "geo_precision": 1 + i % 3,
            "event_date": base_date + pd.Timedelta(days=int(days[i])),
            "date_precision": ["day", "month", "reported"][i % 3],
            "speaker": ["", "العقيد سالم", "مصدر أمني"][i % 3], "speaker_role": "متحدث",
            "source_type": "unnamed official", "cited_outlet": "قناة ليبيا",
            "publisher": ["بوابة الوسط", "عين ليبيا", "ليبيا الأحرار"][i % 3],
            "url": f"https://news.example.ly/a/{i // 3}", "quote": quote,
            "quote_start": quote_start, "quote_end": quote_start + len(quote),
            "denied": i % 29 == 0, "confidence": 0.6, "review": "auto", "note": "", "geometry": geom,
        })
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")


def naive_map(events: gpd.GeoDataFrame):
    """The baseline: a MarkerCluster of folium Markers with escaped HTML popups."""
    import folium
    from folium.plugins import MarkerCluster

    m = folium.Map(location=LIBYA_CENTER, zoom_start=6, tiles=None)
    m.options["max_zoom"] = 18
    cluster = MarkerCluster().add_to(m)
    points = events.geometry.representative_point()
    for (_, row), point in zip(events.iterrows(), points):
        popup = folium.Popup(f"<b>{html.escape(row['type'])}</b><br>{html.escape(row['quote'])}")
        folium.Marker((point.y, point.x), popup=popup).add_to(cluster)
    return m


def filtered(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The filter change: three types, the later half of the dates."""
    middle = events["event_date"].min() + (events["event_date"].max() - events["event_date"].min()) / 2
    keep = events["type"].isin(["attack", "movement", "presence"]) & (events["event_date"] >= middle)
    return events[keep]


def render(kind: str, events: gpd.GeoDataFrame, asset_base: str) -> tuple[str, float]:
    """(HTML, seconds to build and render it)."""
    start = time.perf_counter()
    if kind == "marsad":
        # what the map page builds: the district counts, the fitted first view, the timeline
        areas, _ = area_counts(events)
        center, zoom, bounds = fit_view(events)
        timeline_chart(weekly_counts(events)).to_dict()
        m = build_event_map(events, asset_base=asset_base, areas=areas, center=center, zoom=zoom,
                            bounds=bounds)
    else:
        m = use_local_assets(naive_map(events), asset_base)
    text = m.get_root().render()
    return text, time.perf_counter() - start


DRAWN = {
    "marsad": "window.marsadDrawn !== undefined",
    "naive": "document.querySelector('.marker-cluster, .leaflet-marker-icon') !== null",
}


FIRST_POPUP_MS = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const id = Object.keys(map._marsad.records)[0];
    const start = performance.now();
    marsad.select(map, id);
    return performance.now() - start;
}"""


def drawn_seconds(browser, path: Path, kind: str, timeout_s: float,
                  popup: list | None = None) -> float | None:
    """Seconds from navigation start until the features are drawn; None on timeout.

    With ``popup`` (a list), the milliseconds the first popup takes are appended to it.
    """
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function(DRAWN[kind], polling="raf", timeout=timeout_s * 1000)
        ms = page.evaluate("window.marsadDrawn || performance.now()")
        if popup is not None and kind == "marsad":
            popup.append(page.evaluate(FIRST_POPUP_MS))
    except Exception as exc:  # noqa: BLE001 - a timeout is a result here, reported as such
        print(f"  {kind} {path.name}: {type(exc).__name__}: {str(exc)[:120]}", file=sys.stderr)
        return None
    finally:
        page.close()
    if errors:
        print(f"  {kind} {path.name}: page errors {errors[:3]}", file=sys.stderr)
    return ms / 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--naive-max", type=int, default=100_000,
                        help="largest store to also build naively (100,000 takes minutes)")
    parser.add_argument("--timeout", type=float, default=120.0, help="browser wait, seconds")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    vendor = install_assets(ROOT / "static")
    asset_base = vendor.resolve().as_uri() + "/"
    # The first build reads the reference layers (cached after); the app pays that once.
    render("marsad", synthetic_events(10), asset_base)
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in args.sizes:
            events = synthetic_events(n)
            kinds = ["marsad"] + (["naive"] if n <= args.naive_max else [])
            for kind in kinds:
                text, build_s = render(kind, events, asset_base)
                path = OUT / f"map_{kind}_{n}.html"
                path.write_text(text, encoding="utf-8")
                drawn_s = drawn_seconds(browser, path, kind, args.timeout)
                start = time.perf_counter()
                subset = filtered(events)
                text2, _ = render(kind, subset, asset_base)
                path2 = OUT / f"map_{kind}_{n}_filtered.html"
                path2.write_text(text2, encoding="utf-8")
                python_s = time.perf_counter() - start
                popup_ms: list[float] = []
                drawn2_s = drawn_seconds(browser, path2, kind, args.timeout, popup_ms)
                row = {"events": n, "map": kind, "build_s": round(build_s, 2),
                       "html_mb": round(len(text.encode()) / 1e6, 1),
                       "drawn_s": None if drawn_s is None else round(drawn_s, 2),
                       "filter_events": len(subset), "filter_python_s": round(python_s, 2),
                       "filter_s": None if drawn2_s is None else round(python_s + drawn2_s, 2),
                       "popup_ms": round(popup_ms[0]) if popup_ms else None}
                results.append(row)
                print(json.dumps(row), flush=True)
        browser.close()
    print()
    print(f"{'events':>8} {'map':>7} {'build s':>8} {'HTML MB':>8} {'drawn s':>8} "
          f"{'filter s':>9} {'popup ms':>9}")
    for r in results:
        print(f"{r['events']:>8,} {r['map']:>7} {r['build_s']:>8} {r['html_mb']:>8} "
              f"{r['drawn_s'] if r['drawn_s'] is not None else 'timeout':>8} "
              f"{r['filter_s'] if r['filter_s'] is not None else 'timeout':>9} "
              f"{r['popup_ms'] if r['popup_ms'] is not None else '-':>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
