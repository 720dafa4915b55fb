"""Accuracy on real reporting, by the rules of shared/eval/score.py.

    .venv/bin/python bench/truth.py                  dev, held-out and the old samples
    .venv/bin/python bench/truth.py --part dev       one part (dev, heldout, samples)
    .venv/bin/python bench/truth.py --errors dev     also list every miss and false place (dev only)

The corpus is data/corpus/items (see its README for the split). Predictions come from the
command lines a user and the scorer run, ``python -m geo.geoparse --jsonl`` and
``python -m geo.events --jsonl``, fed ``{"id", "text", "published", "outlet", "url"}`` lines;
they are written under bench/out/truth/ and scored with score.py's own functions. Beside
score.py's figures this prints:

- gazetteer coverage: the share of gold toponyms whose place the gazetteer holds (a place of
  that name, clitics off, within the distance score.py accepts for it);
- modality and event dates: each gold event paired as score.py pairs sources (an unused
  prediction of its type sharing most places); right when the modality is the same, and when
  the predicted date falls inside the gold date's period. An unpaired gold event is wrong.
- counts (issue 14): on the same pairs, a gold count is right when the prediction has a count
  of its kind (and unit, for seizures) whose value lies inside the gold's stated range;
  fatalities are right on an attack whose gold states them when the predicted total killed lies
  inside the gold total's range.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"
OUT = ROOT / "bench" / "out" / "truth"
sys.path.insert(0, str(ROOT))


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


score = _module("score", SCORE_PY)
corpus = _module("corpus", ROOT / "scripts" / "corpus.py")


# --------------------------------------------------------------------------- gold

def corpus_items(part: str, folder: Path | None = None) -> list[dict]:
    """The corpus items of one part (dev or heldout), in id order, from ``folder`` (the corpus's
    own by default; another, e.g. a copy of the items as a round began, compares like with like)."""
    items = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder or corpus.ITEMS).glob("*.json"))]
    return [it for it in items if corpus.part(it["id"]) == part]


_SOURCE_TYPES = {"named official": "named_official", "named person": "named_person",
                 "unnamed official": "unnamed_official", "outlet": "outlet",
                 "witnesses/residents": "witnesses_residents", "anonymous": "anonymous_source",
                 "organisation": "organization_statement", "statement": "organization_statement"}


def sample_items() -> list[dict]:
    """The 24 fictional samples, their gold (data/eval) in score.py's shape.

    The sample gold names places without coordinates: each gets the gazetteer place of its
    name and country, so on the samples "resolved" measures disambiguation, not the gazetteer.
    """
    from geo.places.gazetteer import load_gazetteer

    gz = load_gazetteer()
    gold = json.loads((ROOT / "data" / "eval" / "samples_annotations.json").read_text(encoding="utf-8"))
    items = []
    for rep in gold["reports"]:
        doc = json.loads((ROOT / "data" / "samples" / rep["file"]).read_text(encoding="utf-8"))
        text = doc["text"]
        toponyms: dict[str, dict] = {}
        for p in rep["places"]:
            found = [pl for pl in gz.search(p["place"], limit=5, country=p.get("country"))
                     if pl.name_en == p.get("name_en")] or gz.search(p["place"], limit=1, country=p.get("country"))
            if not found:
                continue
            t = toponyms.setdefault(p["surface"], {
                "surface": p["surface"], "canonical_ar": p["place"], "canonical_en": p.get("name_en"),
                "lat": found[0].lat, "lon": found[0].lon, "feature_type": _feature_type(p.get("kind", "")),
                "tolerance_km": 300 if p.get("kind") == "country" else 50 if p.get("kind") in ("region", "wadi") else 10,
                "gold_confidence": "high", "offsets": []})
            t["offsets"].append(p["start"])
        events = []
        for e in rep["events"]:
            if e["type"] not in corpus.EVENT_TYPES:
                continue
            places = [p["place"] for role in ("origin", "destination", "via", "location") for p in e.get(role, [])]
            stype = _SOURCE_TYPES.get(e.get("source_type") or "", "none")
            accept = [x for x in (e.get("speaker"), e.get("cited_outlet")) if x]
            events.append({"type": e["type"], "places": places, "quote": e.get("quote"),
                           "modality": "denied" if e.get("denied") else ("reported" if accept else "asserted"),
                           "date": e.get("event_date"), "date_precision": e.get("date_precision"),
                           "source": {"type": stype if accept else "none", "accept": accept}})
        items.append({"id": rep["id"], "text": text, "source_date": doc.get("published"),
                      "source_outlet": doc.get("outlet"), "source_url": doc.get("url"),
                      "toponyms": list(toponyms.values()),
                      "traps": [{"surface": n["surface"], "category": n.get("kind"), "offsets": [n["start"]]}
                                for n in rep.get("non_places", [])],
                      "events": events})
    return items


def _feature_type(kind: str) -> str:
    return {"wadi": "wadi", "region": "region", "country": "country", "city": "city"}.get(kind, "town")


# --------------------------------------------------------------------------- predictions

def _run(module: str, items: list[dict], path: Path) -> dict[str, list]:
    """Feed the items to ``python -m module --jsonl``; keep its output in ``path``."""
    lines = "".join(json.dumps({"id": it["id"], "text": it["text"], "published": it.get("source_date"),
                                "outlet": it.get("source_outlet") or "", "url": it.get("source_url") or ""},
                               ensure_ascii=False) + "\n" for it in items)
    run = subprocess.run([sys.executable, "-m", module, "--jsonl"], input=lines, capture_output=True,
                         text=True, cwd=ROOT, check=False)
    if run.returncode not in (0, 1):
        raise SystemExit(f"{module} failed: {run.stderr[-2000:]}")
    path.write_text(run.stdout, encoding="utf-8")
    out = {}
    for line in run.stdout.splitlines():
        row = json.loads(line)
        out[row["id"]] = row.get("mentions", row.get("events", []))
    return out


# --------------------------------------------------------------------------- extra figures

def _limit_km(t: dict) -> float:
    """The distance score.py accepts for a gold toponym."""
    lim = max(25, t.get("tolerance_km", 25)) if t.get("feature_type") in score.BROAD else 25
    if t.get("feature_type") == "country":
        lim = max(lim, 800)
    if t.get("qualifier"):
        lim = max(lim, 100)
    return lim


def _bare_forms(surface: str) -> list[str]:
    """The surface and what it is without its proclitics (وبني وليد -> بني وليد, للكفرة -> الكفرة)."""
    forms = [surface]
    s = surface
    for _ in range(2):
        if len(s) > 3 and s[0] in "وف":
            s = s[1:]
            forms.append(s)
    for pre, rep in (("لل", "ال"), ("بال", "ال"), ("كال", "ال"), ("ب", ""), ("ل", ""), ("ك", "")):
        if s.startswith(pre) and len(s) - len(pre) >= 3:
            forms.append(rep + s[len(pre):])
    return forms


def coverage(items: list[dict], gz) -> tuple[int, int, list[str]]:
    """Gold toponyms whose place the gazetteer holds: (covered, total, the missing surfaces)."""
    covered, total, missing = 0, 0, []
    for it in items:
        for t in it["toponyms"]:
            total += 1
            names = {t.get("canonical_ar") or "", *_bare_forms(t["surface"])} - {""}
            ok = False
            for name in names:
                for place in gz.search(name, limit=50):
                    if place.lat is None or score.km(place.lat, place.lon, t["lat"], t["lon"]) > _limit_km(t):
                        continue
                    from geo.text.normalize import normalize
                    if any(normalize(n).strip() == normalize(name).strip()
                           for n in (place.name_ar, place.name_en, *place.aliases) if n):
                        ok = True
                        break
                if ok:
                    break
            covered += ok
            if not ok:
                missing.append(f"{it['id']}: {t['surface']} ({t.get('canonical_en')})")
    return covered, total, missing


def _predicted_modality(e: dict) -> str:
    if e.get("modality"):
        return e["modality"]
    if e.get("denied"):
        return "denied"
    return "reported" if (e.get("speaker") or e.get("cited_outlet")) else "asserted"


def _date_right(gold: dict, pred: dict, published: str | None) -> bool:
    """The predicted date inside the gold date's period (a week either side for week)."""
    g, gp, d = gold.get("date"), gold.get("date_precision"), pred.get("event_date")
    if not d and pred.get("date_precision") == "reported":
        d = published      # "reported": the publication date stands for the event's
    if gp == "reported":
        if not published:
            # an undated page: the text gives the event no date, and the prediction must not invent one
            return not pred.get("event_date")
        return bool(d) and d[:10] == published[:10]
    if not g or not d:
        return False
    if gp == "year":
        return d[:4] == g[:4]
    if gp == "month":
        return d[:7] == g[:7]
    if gp == "week":
        if len(d) < 10 or len(g) < 10:
            return False     # a week needs a day on both sides
        return abs((dt.date.fromisoformat(d[:10]) - dt.date.fromisoformat(g[:10])).days) <= 7
    return d[:10] == g[:10]


def _fits(pred: dict, gold: dict) -> bool:
    """A predicted count is right for a gold one: same kind (and unit), value inside the gold range."""
    if pred.get("kind") != gold["kind"] or (gold["kind"] == "seized" and pred.get("unit") != gold.get("unit")):
        return False
    high = gold.get("high")
    return gold["low"] <= pred["low"] and (high is None or pred["low"] <= high)


def _fatal(counts: list[dict]) -> tuple[float, float] | None:
    """(low, high) of the killed counts' total; None when no count is of the killed."""
    killed = [c for c in counts if c.get("kind") == "killed"]
    if not killed:
        return None
    highs = [c.get("high") for c in killed]
    return sum(c["low"] for c in killed), (None if None in highs else sum(highs))


def _count_figures(gold: dict, pred: dict | None, tally: dict) -> None:
    """Counts of one gold event against its paired prediction (None: unpaired, all wrong);
    each gold count missed goes to ``tally["missed"]`` with the pair, for --errors."""
    wanted = gold.get("counts") or []
    got = list((pred or {}).get("counts") or [])
    tally["gold"] += len(wanted)
    for g in wanted:
        hit = next((i for i, c in enumerate(got) if _fits(c, g)), None)
        if hit is not None:
            tally["right"] += 1
            got.pop(hit)
        else:
            tally["missed"].append((gold, g, pred))
    if pred is not None:
        tally["predicted"] += len(pred.get("counts") or [])
        tally["false"] += len(got)
    stated = _fatal(wanted)
    if gold["type"] == "attack" and stated is not None:
        tally["fatal"] += 1
        said = pred.get("fatalities") if pred else None
        tally["fatal_right"] += said is not None and stated[0] <= said and (stated[1] is None or said <= stated[1])


def modality_and_dates(items: list[dict], pred_by_id: dict[str, list]) -> dict:
    """Each gold event paired like score.py's sources; modality and date right over all gold,
    and the counts each claim gives (when the gold has them)."""
    mod_ok = date_ok = n_date = n = 0
    tally = dict.fromkeys(("gold", "right", "predicted", "false", "fatal", "fatal_right"), 0)
    tally["missed"] = []
    for it in items:
        pred, used = pred_by_id.get(it["id"], []), set()
        for g in it.get("events", []):
            n += 1
            gp = set(g.get("places", []) + g.get("origin", []) + g.get("destination", []) + g.get("via", []))
            best, best_k = None, -1
            for i, e in enumerate(pred):
                if i in used or e.get("type") != g["type"]:
                    continue
                blob = json.dumps(e.get("places", []), ensure_ascii=False) + (e.get("quote") or "")
                k = sum(p in blob for p in gp)
                if k > best_k:
                    best, best_k = i, k
            has_date = g.get("date") is not None or g.get("date_precision") == "reported"
            n_date += has_date
            _count_figures({**g, "item": it["id"]}, pred[best] if best is not None else None, tally)
            if best is None:
                continue
            used.add(best)
            e = pred[best]
            mod_ok += _predicted_modality(e) == g.get("modality")
            date_ok += has_date and _date_right(g, e, it.get("source_date"))
    return {"modality": mod_ok / n if n else 0.0, "dates": date_ok / n_date if n_date else 0.0,
            "n_events": n, "n_dated": n_date, "counts": tally}


# --------------------------------------------------------------------------- report

def evaluate(part: str, items: list[dict], gz, *, errors: bool = False) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    places = _run("geo.geoparse", items, OUT / f"{part}_places.jsonl")
    events = _run("geo.events", items, OUT / f"{part}_events.jsonl")
    pred = {k: [m for m in v if m.get("place_id", True) and m.get("lat") is not None] for k, v in places.items()}
    p = score.score_places(items, pred)
    e = score.score_events(items, events)
    c, total, missing = coverage(items, gz)
    md = modality_and_dates(items, events)
    print(f"{part}: {len(items)} reports, {sum(len(i['toponyms']) for i in items)} gold toponyms, "
          f"{md['n_events']} gold events")
    print("  places: P={P:.3f} R={R:.3f} resolved={acc:.3f} (of detected {acc_det:.3f}) "
          "median_err={med:.1f} km traps={traps} homonyms_wrong={homs}".format(**p))
    print(f"  gazetteer coverage: {c}/{total} = {c / total if total else 0:.3f}")
    print("  events: type P={P:.3f} R={R:.3f} F1={F1:.3f} strict={strict:.3f} source={src:.3f}".format(**e))
    print(f"  modality right: {md['modality']:.3f}   dates right: {md['dates']:.3f} (of {md['n_dated']} dated)")
    t = md["counts"]
    if t["gold"]:
        print(f"  counts right: {t['right'] / t['gold']:.3f} of {t['gold']} gold counts "
              f"(precision {1 - t['false'] / t['predicted'] if t['predicted'] else 0:.3f} of {t['predicted']} "
              f"predicted on paired events); fatalities right on {t['fatal_right']}/{t['fatal']} attacks "
              f"that state them = {t['fatal_right'] / t['fatal'] if t['fatal'] else 0:.3f}")
        print("  counts missed, by kind:", _miss_breakdown(t["missed"]))
    if errors:
        _print_errors(items, pred)
        print("  not in the gazetteer:", *missing, sep="\n    ")
        print("  counts missed:")
        for gold, g, e in t["missed"]:
            said = "unpaired" if e is None else [(c["kind"], c["low"], c.get("high")) for c in e.get("counts") or []]
            print(f"    {gold['item']} {gold['type']} gold {g['kind']} {g['low']}-{g.get('high')} "
                  f"{g.get('unit') or ''} got {said} … {(e or {}).get('quote', '')[:90]!r}")
    return {"places": p, "events": e, "coverage": c / total if total else 0.0, **md}


def _miss_breakdown(missed: list) -> str:
    """How the missed gold counts fall, by kind: with no predicted event of their type
    (unpaired), paired with an event that gives no count of the kind (none), or with a value
    outside the gold range (value). Figures only: safe to print for the held-out part."""
    tally: dict[str, list[int]] = {}
    for _, g, e in missed:
        row = tally.setdefault(g["kind"], [0, 0, 0])
        kinds = {c["kind"] for c in (e or {}).get("counts") or []}
        row[0 if e is None else 1 if g["kind"] not in kinds else 2] += 1
    return ", ".join(f"{k} {sum(r)} ({r[0]} unpaired, {r[1]} none, {r[2]} value)"
                     for k, r in sorted(tally.items(), key=lambda kv: -sum(kv[1])))


def _print_errors(items: list[dict], pred: dict[str, list]) -> None:
    """Every missed gold toponym and every false place, with a few words around it."""
    for it in items:
        text, ms = it["text"], pred.get(it["id"], [])
        gold = [(o, o + len(t["surface"]), t) for t in it["toponyms"] for o in t.get("offsets", [])]
        ignore = [s for w in it.get("ignore_surfaces", []) for s in score.spans(text, w if isinstance(w, str) else w.get("surface", ""))]
        for a, b, t in gold:
            hits = [m for m in ms if m["start"] < b and a < m["end"]]
            if not hits:
                print(f"    MISS {it['id']} «{t['surface']}» … {text[max(0, a - 25):b + 15]!r}")
            else:
                d = min(score.km(m["lat"], m["lon"], t["lat"], t["lon"]) for m in hits)
                if d > _limit_km(t):
                    print(f"    FAR  {it['id']} «{t['surface']}» {d:.0f} km ({hits[0].get('name_en')})")
        for m in ms:
            span = (m["start"], m["end"])
            if any(score.overlaps(span, (a, b)) for a, b, _ in gold) or any(score.overlaps(span, s) for s in ignore):
                continue
            print(f"    FALSE {it['id']} «{text[m['start']:m['end']]}» -> {m.get('name_en')} … "
                  f"{text[max(0, m['start'] - 25):m['end'] + 15]!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=("dev", "heldout", "samples"), action="append")
    ap.add_argument("--errors", choices=("dev", "samples"), help="list the place errors of that part")
    ap.add_argument("--items", type=Path, help="read the corpus items from this folder (default: the corpus's)")
    a = ap.parse_args(argv)
    from geo.places.gazetteer import load_gazetteer

    gz = load_gazetteer()
    for part in a.part or ["dev", "heldout", "samples"]:
        items = sample_items() if part == "samples" else corpus_items(part, a.items)
        if not items:
            print(f"{part}: no items")
            continue
        evaluate(part, items, gz, errors=a.errors == part)
    return 0


if __name__ == "__main__":
    sys.exit(main())
