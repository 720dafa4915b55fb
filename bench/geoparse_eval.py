"""Geoparser audit: place-name precision, recall and the share within 25 km of the truth.

    .venv/bin/python bench/geoparse_eval.py [--show-errors] [--corpus samples|golden|seed ...]
                                            [--lexicon OTHER_LEXICON.json]

``--lexicon`` scores the parser with another lexicon file (e.g. an older one from
``git show REV:data/geoparse/lexicon.json``), so a lexicon change can be measured
before and after on the same gazetteer and code.

Three corpora, each scored on its own and together:

- ``samples``: the fictional reports in data/samples/*.json, against the gold places in
  data/eval/samples_annotations.json (their true coordinates: the gold name looked up in the
  shipped gazetteer by Arabic name, country and English name; a few places the gazetteer
  lacks have their coordinates in ``TRUTH_FALLBACK`` below);
- ``golden``: tests/golden/cases/*.json, against their expected places (truth = the
  expected ids; a case expecting ``"id": null`` counts for precision/recall only);
- ``seed``: the seed report (../shared/seeds, never copied into the repo), against the
  place names it must give, located by name in the text.

A found mention is a true positive when its span overlaps a gold place-name span
(exact spans are counted as well). Precision = true positives / found, recall = true
positives / gold. "Within 25 km" is over the true positives whose gold place has known
coordinates: the chosen place (for a relative phrase, the named anchor itself, not the sector
or buffer around it) lies within 25 km of the true place's geometry (point, line or area); an unresolved mention (place None) counts
as not within. Distances are between the nearest points of the two geometries, so the
right country or line is 0 km and a neighbouring country is "near" only along its border.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shapely.geometry import Point  # noqa: E402
from shapely.geometry.base import BaseGeometry  # noqa: E402
from shapely.ops import nearest_points  # noqa: E402

from geo.places import spatial  # noqa: E402
from geo.places.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from geo.places.geoparse import LEXICON_PATH, Geoparser  # noqa: E402
from geo.text.normalize import normalize  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
GOLDEN = ROOT / "tests" / "golden" / "cases"
SEED_DIR = ROOT.parent / "shared" / "seeds"

# Gold places the gazetteer lacks, (name_en, country) -> (lat, lon); coordinates
# from GeoNames / Wikipedia, rounded to two decimals (good enough for a 25 km test).
TRUTH_FALLBACK = {
    ("Tripoli (Lebanon)", "LB"): (34.44, 35.85),
    ("Beqaa", "LB"): (33.85, 35.90),
    ("Akkar", "LB"): (34.53, 36.08),
    ("Madama", "NE"): (21.97, 13.65),
    ("Tummo", "LY"): (22.60, 14.25),
    ("Ras Lanuf", "LY"): (30.50, 18.53),
    ("Ras Ajdir", "LY"): (33.15, 11.56),
    ("Great Man-Made River", "LY"): (29.50, 17.00),
    ("Fezzan", "LY"): (26.00, 14.00),
    ("Darfur", "SD"): (13.50, 24.00),
    ("Sharara oil field", "LY"): (26.55, 12.22),
    ("Mitiga airport", "LY"): (32.89, 13.28),
    ("Tamanhint air base", "LY"): (27.24, 14.66),
    ("Jufra air base", "LY"): (29.20, 16.00),
    ("Brak air base", "LY"): (27.65, 14.26),
    ("Ghardabiya air base", "LY"): (31.06, 16.60),
    ("Zueitina", "LY"): (30.85, 20.07),
    ("Es Sider", "LY"): (30.63, 18.35),
    ("Mellitah", "LY"): (32.87, 12.23),
    ("Oil Crescent", "LY"): (30.50, 19.00),
    ("Salvador Pass", "LY"): (23.40, 11.80),
    ("Isayen border crossing", "LY"): (24.95, 10.02),
    ("Kouri Bougoudi", "TD"): (21.60, 17.40),
    ("Port Said", "EG"): (31.26, 32.30),
    ("Marsa Matruh", "EG"): (31.35, 27.24),
    ("Geneva", "CH"): (46.20, 6.15),
    ("Lampedusa", "IT"): (35.51, 12.60),
    ("Mediterranean Sea", ""): (34.50, 18.00),
}
# Words a gold name may carry that the gazetteer names leave out (مطار تمنهنت -> تمنهنت).
_CUE_PREFIXES = ("مطار", "حقل", "قاعده", "منفذ", "معبر", "ممر", "ميناء", "جبل", "وادي")
_CUE_SUFFIXES = ("الجويه", "النفطي")

# The seed report: the place names it must give (Arabic as written there).
SEED_NAMES = ("ليبيا", "بني وليد", "سرت", "النهر الصناعي", "العراق", "سورية", "أوروبا")


@dataclass
class Gold:
    start: int
    end: int
    label: str
    truth: BaseGeometry | None   # the true place's geometry, or None when unknown


@dataclass
class Doc:
    corpus: str
    name: str
    text: str
    gold: list[Gold]


@dataclass
class Score:
    found: int = 0
    gold: int = 0
    tp_found: int = 0          # found mentions that overlap a gold span
    tp_gold: int = 0           # gold spans overlapped by a found mention
    exact: int = 0             # found spans equal to a gold span
    located: int = 0           # true positives whose truth has coordinates
    within: int = 0            # ... and whose chosen place is within 25 km
    false_pos: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    far: list = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("found", "gold", "tp_found", "tp_gold", "exact", "located", "within"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.false_pos += other.false_pos
        self.misses += other.misses
        self.far += other.far

    def line(self, label: str) -> str:
        p = self.tp_found / self.found if self.found else 1.0
        r = self.tp_gold / self.gold if self.gold else 1.0
        w = self.within / self.located if self.located else 1.0
        return (f"{label:<8} found {self.found:4d}  gold {self.gold:4d}  precision {p:.3f}  recall {r:.3f}"
                f"  exact spans {self.exact:4d}  within 25 km {self.within}/{self.located} = {w:.3f}")


def _truth_for_sample(gz: Gazetteer, place: dict) -> BaseGeometry | None:
    """The gold place's geometry: gazetteer by Arabic name and country, else the fallback table."""
    index = gz.name_index()
    name = normalize(place["place"]).strip()
    keys = [name]
    words = name.split()
    if len(words) > 1 and words[0] in _CUE_PREFIXES:
        words = words[1:]
    if len(words) > 1 and words[-1] in _CUE_SUFFIXES:
        words = words[:-1]
    keys.append(" ".join(words))
    keys.append(normalize(place["name_en"]).strip())
    for key in keys:
        places = [gz.get(i) for i in index.get(key, [])]
        places = [p for p in places if p is not None and p.country == place["country"]]
        if places:
            en = normalize(place["name_en"])
            places.sort(key=lambda p: (normalize(p.name_en) != en, p.kind != place["kind"],
                                       p.kind == "district"))
            return places[0].geometry
    fallback = TRUTH_FALLBACK.get((place["name_en"], place["country"]))
    return Point(fallback[1], fallback[0]) if fallback else None


def load_samples(gz: Gazetteer) -> list[Doc]:
    annotations = json.loads((SAMPLES.parent / "eval" / "samples_annotations.json").read_text(encoding="utf-8"))
    docs = []
    for report in annotations["reports"]:
        text = json.loads((SAMPLES / report["file"]).read_text(encoding="utf-8"))["text"]
        gold = [Gold(p["name_start"], p["name_end"], f"{p['place']} ({p['name_en']}, {p['country']})",
                     _truth_for_sample(gz, p)) for p in report["places"]]
        docs.append(Doc("samples", report["id"], text, gold))
    return docs


def load_golden(gz: Gazetteer) -> list[Doc]:
    docs = []
    for path in sorted(GOLDEN.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        gold = []
        for p in case["expected_places"]:
            place = gz.get(p["id"]) if p["id"] else None
            gold.append(Gold(p["start"], p["end"], f"{p['surface']} ({p['id']})",
                             place.geometry if place else None))
        docs.append(Doc("golden", case["id"], case["text"], gold))
    return docs


def load_seed(gz: Gazetteer) -> list[Doc]:
    docs = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        gold = []
        for name in SEED_NAMES:
            place = gz.search(name)[0] if gz.search(name) else None
            pattern = rf"(?<![\w])(?:[وفبلك]{{0,2}})({re.escape(name)})(?![\w])"
            for m in re.finditer(pattern, text):
                gold.append(Gold(m.start(1), m.end(1), name, place.geometry if place else None))
        gold.sort(key=lambda g: g.start)
        docs.append(Doc("seed", path.stem, text, gold))
    return docs


def _km_apart(a: BaseGeometry, b: BaseGeometry) -> float:
    """Great-circle km between the nearest points of two geometries (0 when they touch)."""
    if a.intersects(b):
        return 0.0
    pa, pb = nearest_points(a, b)
    return spatial.distance_km(pa.y, pa.x, pb.y, pb.x)


def score(doc: Doc, parser: Geoparser) -> Score:
    s = Score(gold=len(doc.gold))
    mentions = parser.parse(doc.text)
    s.found = len(mentions)
    hit_gold: set[int] = set()
    for m in mentions:
        overlapping = [i for i, g in enumerate(doc.gold) if m.start < g.end and g.start < m.end]
        where = f"{doc.corpus}/{doc.name} @{m.start}"
        if not overlapping:
            context = doc.text[max(0, m.start - 25):m.end + 15].replace("\n", " ")
            chosen = m.place.id if m.place else None
            s.false_pos.append(f"{where}: {m.surface!r} -> {chosen}  «{context}»")
            continue
        s.tp_found += 1
        g = doc.gold[overlapping[0]]
        hit_gold.update(overlapping)
        if (m.start, m.end) == (g.start, g.end):
            s.exact += 1
        if g.truth is None:
            continue
        s.located += 1
        place = m.place
        if place is None:
            s.far.append(f"{where}: {m.surface!r} unresolved, truth {g.label}")
            continue
        km = _km_apart(place.geometry, g.truth)
        if km <= 25.0:
            s.within += 1
        else:
            s.far.append(f"{where}: {m.surface!r} -> {place.id} {place.name_en} is {km:.0f} km from {g.label}")
    s.tp_gold = len(hit_gold)
    for i, g in enumerate(doc.gold):
        if i not in hit_gold:
            context = doc.text[max(0, g.start - 25):g.end + 15].replace("\n", " ")
            s.misses.append(f"{doc.corpus}/{doc.name} @{g.start}: {g.label}  «{context}»")
    return s


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", nargs="*", choices=("samples", "golden", "seed"),
                    default=["samples", "golden", "seed"])
    ap.add_argument("--show-errors", action="store_true",
                    help="list false positives, misses and places more than 25 km off")
    ap.add_argument("--lexicon", type=Path, default=LEXICON_PATH,
                    help="the geoparse lexicon to score (default: data/geoparse/lexicon.json)")
    args = ap.parse_args(argv)
    gz = load_gazetteer()
    parser = Geoparser(gz, lexicon_path=args.lexicon.resolve())
    loaders = {"samples": load_samples, "golden": load_golden, "seed": load_seed}
    total = Score()
    lines = []
    for corpus in args.corpus:
        docs = loaders[corpus](gz)
        sub = Score()
        for doc in docs:
            sub.add(score(doc, parser))
        lines.append(sub.line(corpus))
        total.add(sub)
    print(f"gazetteer: {len(gz)} places; lexicon: {args.lexicon}")
    for line in lines:
        print(line)
    print(total.line("all"))
    if args.show_errors:
        for title, items in (("false positives", total.false_pos), ("misses", total.misses),
                             ("more than 25 km off", total.far)):
            print(f"\n{title} ({len(items)}):")
            for item in items:
                print("  " + item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
