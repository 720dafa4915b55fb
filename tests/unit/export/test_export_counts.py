"""Counts in every export: ACLED's fatalities in the CSV, each kind as a column of its own, and
readable counts in GeoJSON, KML and the popups."""

from __future__ import annotations

import csv
import dataclasses
import json

import pytest

from tests.conftest import store_corpus_items
from geo.export import formats
from geo.models import Count
from geo.store.frames import events_to_frame


@pytest.fixture
def frame():
    events = [e for _, _, events in store_corpus_items() for e in events]
    events[0] = dataclasses.replace(events[0], counts=(
        Count("killed", 18, 18), Count("missing", 20, 99, "vague"), Count("fighters", 700, 700, "about")))
    events[1] = dataclasses.replace(events[1], counts=(Count("killed", 0, 0, "none"),))
    events[2] = dataclasses.replace(events[2], counts=(
        Count("seized", 3, 3, unit="tonnes", item="الحشيش"), Count("wounded", 12, None, "at least")))
    return events_to_frame(events), [e.id for e in events]


def test_csv_has_acled_fatalities_and_a_column_per_count_kind(frame, tmp_path):
    data, ids = frame
    path = formats.to_csv(data, tmp_path / "e.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = {r["event_id_cnty"]: r for r in csv.DictReader(f)}
    first, second, third, fourth = (rows[i] for i in ids[:4])
    assert (first["fatalities"], first["killed"], first["missing"], first["fighters"]) == (
        "18", "18", "20–99 (vague)", "~700")
    assert (second["fatalities"], second["killed"]) == ("0", "0 (none)")   # the text says none
    assert (third["fatalities"], third["seized"], third["wounded"]) == ("", "3 tonnes of الحشيش", "≥12")
    assert fourth["fatalities"] == "" and fourth["killed"] == ""            # the text does not say


def test_geojson_and_kml_carry_the_counts(frame, tmp_path):
    data, ids = frame
    geojson = json.loads(formats.to_geojson(data, tmp_path / "e.geojson").read_text(encoding="utf-8"))
    props = {f["id"]: f["properties"] for f in geojson["features"]}[ids[0]]
    assert props["fatalities"] == 18
    assert props["count_names"] == "killed 18 · missing 20–99 (vague) · fighters ~700"
    assert json.loads(props["counts"])[0] == {"kind": "killed", "low": 18, "high": 18, "qualifier": "exact",
                                              "unit": "", "item": "", "start": 0, "end": 0}
    kml = formats.to_kml(data, tmp_path / "e.kml").read_text(encoding="utf-8")
    # the balloon is HTML inside the KML's text, so its tags are escaped once more
    assert "counts: &lt;bdi&gt;killed 18 · missing 20–99 (vague) · fighters ~700&lt;/bdi&gt;" in kml
