"""Extraction is linear in the text: a report ten times longer costs about ten times more, not a
hundred (disambiguation used to compare every mention with every other named place)."""

from __future__ import annotations

import time

from geo.ingest import analyse, make_article
from geo.places.gazetteer import load_gazetteer
from hostile_corpus import report

# our own sentences: places to disambiguate, cues for every clause type, attribution
PARAGRAPH = "\n".join(
    report(n) + " وقال متحدث عسكري لقناة محلية إن هجوماً استهدف نقطة تفتيش قرب سرت، وأضاف أن قوة انسحبت نحو الجفرة."
    for n in range(40))


def _seconds(chars: int, gazetteer) -> float:
    text = "\n\n".join([PARAGRAPH] * (chars // len(PARAGRAPH) + 1))[:chars]
    article = make_article(text)
    # CPU seconds of this process: what the text costs, whatever else the shared machine runs
    start = time.process_time()
    analyse(article, gazetteer=gazetteer)
    return time.process_time() - start


def test_a_5_mb_report_costs_about_ten_times_a_half_megabyte_one():
    gazetteer = load_gazetteer()
    _seconds(20_000, gazetteer)   # warm: the matcher and the lexicons are built once
    small = min(_seconds(500_000, gazetteer) for _ in range(2))
    large = _seconds(5_000_000, gazetteer)
    # linear is 10x; the quadratic disambiguation it replaces was ~100x. 18x leaves room for a
    # shared machine's noise and the garbage collector on the larger heap.
    assert large < 18 * small, (small, large)
