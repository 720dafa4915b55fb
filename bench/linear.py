"""Is analysis linear in the text? One long report against the same text as short reports.

    .venv/bin/python bench/linear.py [--chars 1000] [--pieces 28] [--rounds 3]

The text is the corpus's reporting (data/corpus/items, one after another), cut at paragraph or
sentence ends into pieces of about ``--chars`` characters. In the same run, ``find_places`` then
``extract_events`` on:

- the baseline: each of the ``--pieces`` pieces as its own report;
- one report of all of them joined by blank lines (about 28,000 characters).

Each is timed in CPU seconds, the best of ``--rounds``, and the ratio long / short is printed:
a geoparser or extractor whose cost grows faster than the text shows a ratio well above 1
(the target is within 1.5).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_END = re.compile(r"\n\s*\n|(?<=[.!؟?])\s")


def pieces(chars: int, count: int) -> list[str]:
    """``count`` pieces of reporting, each cut at the first paragraph or sentence end past ``chars``."""
    stream = "\n\n".join(json.loads(p.read_text(encoding="utf-8"))["text"].strip()
                         for p in sorted((ROOT / "data" / "corpus" / "items").glob("*.json")))
    out: list[str] = []
    start = 0
    while len(out) < count:
        end = next((m.end() for m in _END.finditer(stream, start + chars)), None)
        if end is None:
            break
        out.append(stream[start:end].strip())
        start = end
    if len(out) == count:
        return out
    raise SystemExit(f"the corpus holds fewer than {count} pieces of {chars} characters")


def cpu_seconds(reports: list[str], gazetteer, rounds: int, *, extract: bool = True) -> float:
    """Best of ``rounds``: the CPU time to geoparse (and extract) every report."""
    from geo.events.extract import extract_events
    from geo.places.geoparse import find_places
    from geo.text.reports import make_article

    articles = [make_article(text) for text in reports]
    best = float("inf")
    for _ in range(rounds):
        t = time.process_time()
        for article in articles:
            mentions = find_places(article.text, gazetteer=gazetteer)
            if extract:
                extract_events(article, mentions=mentions)
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chars", type=int, default=1000)
    ap.add_argument("--pieces", type=int, default=28)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from geo.places.gazetteer import load_gazetteer
    from geo.places.geoparse import get_parser

    gazetteer = load_gazetteer()
    get_parser(gazetteer)
    short = pieces(args.chars, args.pieces)
    long = "\n\n".join(short)
    cpu_seconds(short[:2], gazetteer, 1)   # warm the lexicons and caches
    mean = sum(map(len, short)) / len(short)
    print(f"{len(short)} reports of ~{mean:.0f} chars against one report of {len(long)} chars, "
          f"CPU ms (best of {args.rounds}):")
    for label, extract in (("geoparse", False), ("geoparse + extraction", True)):
        short_s = cpu_seconds(short, gazetteer, args.rounds, extract=extract)
        long_s = cpu_seconds([long], gazetteer, args.rounds, extract=extract)
        print(f"  {label:<22} short {short_s * 1000:7.1f}  long {long_s * 1000:7.1f}  "
              f"ratio long / short {long_s / short_s:.2f}")
    print("target: geoparse + extraction ratio <= 1.5")

if __name__ == "__main__":
    main()
