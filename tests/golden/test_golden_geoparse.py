"""Golden geoparse tests: one case file per sentence, one test per case file.

Each ``cases/*.json`` holds our own Arabic sentence and the place mentions the
geoparser must return on the shipped gazetteer (``data/gazetteer.geojson``):
for every mention the place id (``null`` for a name that is recognised but cannot
be placed), the span of the NAME in the original text (harakat, tatweel and the
article included, proclitics و ف ب ل ك excluded), the qualifier, the ACLED
precision, and the anchor of a relative phrase. Nothing else may be found: a
false positive fails its case. See README.md for the format.

``pytest tests/golden --update-golden`` writes the current output into the case
files instead (text, note and events are kept); review the diff before committing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.places.geoparse import find_places

CASES = Path(__file__).resolve().parent / "cases"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_d5b969f8fb028db7.txt"
FIELDS = ("id", "surface", "start", "end", "qualifier", "precision", "anchor", "second_anchor")


def _case_params():
    """One pytest.param per case file, named by the case's id."""
    params = []
    for path in sorted(CASES.glob("*.json")):
        case_id = json.loads(path.read_text(encoding="utf-8"))["id"]
        params.append(pytest.param(path, id=case_id))
    return params


def mention_record(text: str, m) -> dict:
    """The golden form of one Mention: only what the case files assert."""
    record = {
        "id": m.place.id if m.place is not None else None,
        "surface": text[m.start:m.end],
        "start": m.start,
        "end": m.end,
        "qualifier": m.qualifier,
        "precision": m.precision,
    }
    if m.qualifier != "none":
        record["anchor"] = m.anchor.id if m.anchor is not None else None
    if m.qualifier == "between":
        record["second_anchor"] = m.second_anchor.id if m.second_anchor is not None else None
    return record


def _expected_record(place: dict) -> dict:
    """An expected place with the optional keys filled the way ``mention_record`` fills them."""
    record = {key: place[key] for key in FIELDS if key in place}
    record.setdefault("qualifier", "none")
    return record


def _show(records: list[dict]) -> str:
    return "\n".join("  " + json.dumps(r, ensure_ascii=False) for r in records) or "  (none)"


def _write_case(path: Path, case: dict, actual: list[dict]) -> None:
    """Rewrite one case file with the current output, keeping everything else."""
    updated = {
        "id": case["id"],
        "text": case["text"],
        "expected_places": actual,
        "expected_events": case.get("expected_events"),
        "note": case.get("note", ""),
    }
    path.write_text(json.dumps(updated, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@pytest.mark.parametrize("path", _case_params())
def test_golden_geoparse(path: Path, request):
    case = json.loads(path.read_text(encoding="utf-8"))
    text = case["text"]
    actual = [mention_record(text, m) for m in find_places(text)]
    if request.config.getoption("--update-golden"):
        _write_case(path, case, actual)
        return
    expected = [_expected_record(p) for p in case["expected_places"]]
    # The case file must be consistent with its own text before it can judge the parser.
    for place in expected:
        assert text[place["start"]:place["end"]] == place["surface"], (
            f"{path.name}: span {place['start']}:{place['end']} is "
            f"{text[place['start']:place['end']]!r}, the file says {place['surface']!r}")
    assert actual == expected, (
        f"{case['id']}: {case.get('note', '')}\nexpected:\n{_show(expected)}\nactual:\n{_show(actual)}")


def test_there_are_enough_cases():
    """At least 60 golden sentences; ids are unique and match file names."""
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.json"))]
    assert len(cases) >= 60
    ids = [c["id"] for c in cases]
    assert len(set(ids)) == len(ids)
    assert all(p.stem == c["id"] for p, c in zip(sorted(CASES.glob("*.json")), cases))


# The seed report is read from ../shared/seeds (it is never copied into the repository).
# What the seed report must give, by name: (surface, qualifier, precision) -> occurrences.
SEED_PLACES = {
    ("ليبيا", "none", 3): 3,
    ("ليبيا", "part_of", 3): 2,            # جنوب ليبيا, شرق ليبيا
    ("بني وليد", "south_of", 2): 2,
    ("بني وليد", "near", 2): 1,
    ("بني وليد", "none", 1): 1,
    ("سرت", "none", 1): 2,
    ("النهر الصناعي", "along", 2): 2,      # على طول X, حول X: the pipeline as a line
    ("العراق", "none", 3): 1,
    ("سورية", "none", 3): 1,
    ("أوروبا", "none", 3): 1,
}
# Words in the seed that are not places: people, the group, the operation, the newspaper, a weekday.
SEED_NOT_PLACES = ("البرغثي", "بلمختار", "الظواهري", "الغصري", "الزوي", "القاعدة", "البنيان المرصوص",
                   "ديلي تلغراف", "الخميس", "شهداء الزاوية")


def test_seed_report_on_the_shipped_gazetteer():
    if not SEED.is_file():
        pytest.fail(f"the seed report is missing at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    found = find_places(text)
    assert all(m.place is not None for m in found), [m.surface for m in found if m.place is None]
    got: dict[tuple, int] = {}
    for m in found:
        key = (m.surface, m.qualifier, m.precision)
        got[key] = got.get(key, 0) + 1
    required_names = {surface for surface, _, _ in SEED_PLACES}
    assert {k: n for k, n in got.items() if k[0] in required_names} == SEED_PLACES
    for word in SEED_NOT_PLACES:
        start = text.find(word)
        assert start >= 0, word
        while start >= 0:
            end = start + len(word)
            hits = [m.surface for m in found if m.start < end and start < m.end]
            assert not hits, f"{word!r} at {start} was taken for a place: {hits}"
            start = text.find(word, end)
