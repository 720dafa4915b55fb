"""data/corpus: every item is well-formed gold, and the dev / held-out split is fixed by the id."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("corpus", ROOT / "scripts" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
ITEMS = sorted(corpus.ITEMS.glob("*.json"))


def test_the_corpus_is_large_enough_and_varied():
    stats = corpus.stats([json.loads(p.read_text(encoding="utf-8")) for p in ITEMS])
    assert stats["items"] >= 150 and stats["urls"] == stats["items"]
    assert stats["outlets"] >= 40
    assert set(stats["event_types"]) == corpus.EVENT_TYPES
    assert {"denied", "planned", "attempted"} <= set(stats["modalities"])


@pytest.mark.parametrize("path", ITEMS, ids=[p.stem for p in ITEMS])
def test_an_item_is_well_formed_gold(path):
    assert corpus.check(json.loads(path.read_text(encoding="utf-8")), path.name) == []


def test_the_split_depends_on_the_id_alone():
    for item_id in ("r001", "r077", "x-42"):
        held = int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % 3 == 0
        assert corpus.part(item_id) == ("heldout" if held else "dev")


def test_fill_finds_standalone_names_outside_traps_and_furniture():
    text = "الرئيسية | ليبيا | أخبار\nوصلت قوة إلى سبها، وقال آمر المنطقة العسكرية سبها إن سبهاوي عاد."
    item = {"text": text, "furniture_spans": [[0, text.index("\n")]],
            "toponyms": [{"surface": "سبها"}, {"surface": "ليبيا"}],
            "traps": [{"surface": "المنطقة العسكرية سبها"}]}
    corpus.fill_offsets(item)
    assert item["toponyms"][0]["offsets"] == [text.index("سبها")]     # not in the trap, not سبهاوي
    assert item["toponyms"][1]["offsets"] == []                        # only in the menu line
    assert item["traps"][0]["offsets"] == [text.index("المنطقة")]
