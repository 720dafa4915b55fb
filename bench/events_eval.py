"""Event type F1 and source accuracy of geo.events.extract on the annotated sample corpus.

    .venv/bin/python bench/events_eval.py [--samples data/samples] [--verbose]

A predicted event matches a gold event when their quote spans overlap; pairs
are taken greedily by overlap. Type F1 counts a match with the same type as a
true positive. Source accuracy is over matched gold events: the source_type
is the same (and, as a second figure, the speaker too, compared normalized).
Also prints the extraction speed on the samples and on the seed report
(../shared/seeds, when present): CPU time, geoparsing excluded, best of 5 rounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.events.extract import extract_events  # noqa: E402
from geo.places.geoparse import find_places  # noqa: E402
from geo.models import Article  # noqa: E402
from geo.text.normalize import normalize  # noqa: E402


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _speaker_match(gold: str, pred: str) -> bool:
    g, p = normalize(gold).replace("«", "").replace("»", ""), normalize(pred)
    return bool(g) and bool(p) and (g in p or p in g) or (not g and not p)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", default="data/samples")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    root = Path(args.samples)
    gold_all = json.loads((root.parent / "eval" / "samples_annotations.json").read_text(encoding="utf-8"))["reports"]
    tp = n_pred = n_gold = matched = source_ok = speaker_ok = 0
    by_type: Counter = Counter()
    confusion: Counter = Counter()
    articles = []
    for report in gold_all:
        doc = json.loads((root / report["file"]).read_text(encoding="utf-8"))
        article = Article(id=doc["id"], text=doc["text"], outlet=doc.get("outlet", ""), url=doc.get("url", ""),
                          published=dt.date.fromisoformat(doc["published"]) if doc.get("published") else None)
        mentions = find_places(article.text)
        articles.append((article, mentions))
        pred = extract_events(article, mentions=mentions)
        gold = report["events"]
        n_pred += len(pred)
        n_gold += len(gold)
        pairs = sorted(((_overlap((g["quote_start"], g["quote_end"]), (p.quote_start, p.quote_end)), gi, pi)
                        for gi, g in enumerate(gold) for pi, p in enumerate(pred)), reverse=True)
        used_g, used_p = set(), set()
        for ov, gi, pi in pairs:
            if ov <= 0 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, p = gold[gi], pred[pi]
            matched += 1
            confusion[(g["type"], p.type)] += 1
            if g["type"] == p.type:
                tp += 1
                by_type[g["type"]] += 1
            ok = g["source_type"] == p.attribution.source_type
            source_ok += ok
            speaker_ok += ok and _speaker_match(g["speaker"], p.attribution.speaker)
            if args.verbose and (g["type"] != p.type or not ok):
                print(f"{report['id']}: gold {g['type']}/{g['source_type']}/{g['speaker']!r} "
                      f"pred {p.type}/{p.attribution.source_type}/{p.attribution.speaker!r}\n   {g['quote'][:90]}")
        if args.verbose:
            for gi, g in enumerate(gold):
                if gi not in used_g:
                    print(f"{report['id']}: MISSED {g['type']}/{g['source_type']} {g['quote'][:90]}")
            for pi, p in enumerate(pred):
                if pi not in used_p:
                    print(f"{report['id']}: EXTRA {p.type}/{p.attribution.source_type} {p.quote[:90]}")
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"reports {len(gold_all)}  gold events {n_gold}  predicted {n_pred}  matched {matched}")
    print(f"event type: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"source_type right on {source_ok}/{matched} matched = {source_ok / max(1, matched):.3f}; "
          f"with the speaker too {speaker_ok / max(1, matched):.3f}; over all gold {source_ok / max(1, n_gold):.3f}")
    wrong = {k: v for k, v in confusion.items() if k[0] != k[1]}
    if wrong:
        print("type confusions (gold, predicted):", dict(sorted(wrong.items(), key=lambda kv: -kv[1])))
    start = time.process_time()
    rounds = 20
    for _ in range(rounds):
        for article, mentions in articles:
            extract_events(article, mentions=mentions)
    spent = time.process_time() - start
    print(f"extraction alone: {rounds * len(articles) / spent:.0f} reports/s "
          f"({spent / (rounds * len(articles)) * 1e3:.2f} ms/report, CPU time)")
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_d5b969f8fb028db7.txt"
    if seed.exists():
        article = Article(id="seed", text=seed.read_text(encoding="utf-8"), published=dt.date(2017, 2, 4))
        mentions = find_places(article.text)
        best = min(_cpu_ms(lambda: extract_events(article, mentions=mentions), 100) for _ in range(5))
        print(f"seed report: {len(extract_events(article, mentions=mentions))} events, "
              f"extraction {best:.2f} ms (CPU time, best of 5 x 100)")
    return 0


def _cpu_ms(call, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        call()
    return (time.process_time() - start) / n * 1e3


if __name__ == "__main__":
    sys.exit(main())
