"""Geoparser throughput: reports per second on one core, beside a bare automaton scan.

    .venv/bin/python bench/geoparse.py [--reports 2000] [--seed ../shared/seeds]

The corpus is seed-sized reports made from the seed report by swapping its place
names for others in the gazetteer (read at bench time, never committed). In the
same run, the baseline is a bare pyahocorasick scan (``automaton.iter``) of the
same normalized text with the same automaton, so the two figures are comparable
on a shared, noisy machine. Start-up (load the gazetteer, build the automaton) and
peak memory are reported too.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SWAPS = ["سبها", "أوباري", "مرزق", "غات", "القطرون", "الكفرة", "تازربو", "أجدابيا", "مصراتة",
         "الزاوية", "زوارة", "غدامس", "هون", "ودان", "براك", "تراغن", "أم الأرانب", "الشويرف"]


def corpus(seed_text: str, n: int) -> list[str]:
    """n reports: the seed with بني وليد / سرت swapped for other towns, and numbers varied."""
    rng = random.Random(7)
    out = []
    for i in range(n):
        a, b = rng.sample(SWAPS, 2)
        out.append(seed_text.replace("بني وليد", a).replace("سرت", b).replace("700", str(100 + i % 900)))
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--seed", default=str(ROOT.parent / "shared" / "seeds"))
    args = ap.parse_args()
    seed_text = next(iter(sorted(Path(args.seed).glob("*.txt")))).read_text(encoding="utf-8")
    texts = corpus(seed_text, args.reports)
    rss0 = rss_mb()

    t0 = time.perf_counter()
    from geo.places.gazetteer import load_gazetteer
    from geo.places.geoparse import Geoparser
    gz = load_gazetteer()
    t1 = time.perf_counter()
    parser = Geoparser(gz)
    parser.parse("تهيئة")  # normalization tables
    t2 = time.perf_counter()
    print(f"start-up: load gazetteer {t1 - t0:.3f} s ({len(gz)} places), "
          f"build automaton + lexicon {t2 - t1:.3f} s, total {t2 - t0:.3f} s")

    from geo.text.normalize import normalize
    automaton = parser.matcher._automaton
    normalized = [normalize(t) for t in texts]

    t = time.perf_counter()
    hits = 0
    for s in normalized:
        for _ in automaton.iter(s):
            hits += 1
    bare = time.perf_counter() - t

    t = time.perf_counter()
    mentions = 0
    for s in texts:
        mentions += len(parser.parse(s))
    full = time.perf_counter() - t

    n = len(texts)
    chars = sum(map(len, texts)) / n
    print(f"corpus: {n} reports, {chars:.0f} characters each on average")
    print(f"baseline bare automaton scan (normalized text): {n / bare:,.0f} reports/s ({hits} raw hits)")
    print(f"geoparse end to end (normalize, match, resolve, qualify): {n / full:,.0f} reports/s "
          f"({mentions / n:.1f} mentions per report), {full / bare:.1f}x the bare scan")
    print(f"peak RSS {rss_mb():.0f} MB (before loading: {rss0:.0f} MB)")


if __name__ == "__main__":
    main()
