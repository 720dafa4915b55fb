"""The gazetteer build: name cleaning, wrong-name removal, curated CSV checks, and the built file."""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from geo.errors import InputError
from geo.models import Place

ROOT = Path(__file__).resolve().parents[3]
BUILT = ROOT / "data" / "gazetteer.geojson"


@cache
def _build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@cache
def _built() -> dict:
    return json.loads(BUILT.read_text(encoding="utf-8"))


@cache
def _features_by_id() -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in _built()["features"]}


# --------------------------------------------------------------------------- cleaning

@pytest.mark.parametrize(("raw", "expected_text", "expected_reason"), [
    ("بني وليد", "بني وليد", None),
    ("طَرَابُلُس", "طرابلس", None),
    ("الزنتان\u200e", "الزنتان", None),
    ("ڨفصة", "ڨفصة", None),
    ("اسکندریه", None, "keheh"),
    ("دمیاط", None, "Farsi yeh"),
    ("مصراتہ", None, "heh goal"),
    ("سبھا", None, "doachashmee"),
    ("ترىپولى", None, "peh"),
    ("گوز بیڈا", None, "gaf"),
    ("ابےچے", None, "yeh barree"),
    ("تەرابلوس", None, "Kurdish"),
    ("بنی\u200cولید", None, "Persian"),
    ("مونګو", None, "non-Arabic character"),
    ("msratہ", None, "mixed Latin/Arabic"),
    ("Luxor- الأقصر", None, "mixed Latin/Arabic"),
    ("ادرار، الجزائر", None, "qualified"),
    ("الجزائر (مدينة)", None, "qualified"),
    ("Bani Walid", "Bani Walid", None),
    ("ad-Dār al-Bayḍāʼ", "ad-Dār al-Bayḍāʼ", None),
    ("albrdyt", None, "lower-case"),
    ("SEB", None, "code"),
    ("goዝ beyida", None, "non-Latin"),
], ids=[
    "arabic-plain", "harakat-stripped", "bidi-mark-stripped", "maghrebi-gaf-kept",
    "persian-keheh", "farsi-yeh", "urdu-heh-goal", "urdu-heh-doachashmee", "persian-peh",
    "persian-gaf", "urdu-yeh-barree", "kurdish-ae", "persian-zwnj", "pashto-kaf",
    "mixed-script-junk", "mixed-script-pair", "arabic-comma-qualifier", "bracket-qualifier",
    "latin-plain", "latin-modifier-apostrophe", "latin-lowercase-transliteration", "latin-iata-code",
    "latin-with-ethiopic",
])
def test_clean_name(raw, expected_text, expected_reason):
    clean = _build_module().clean_name(raw)
    if expected_reason is None:
        assert clean.reason is None
        assert clean.text == expected_text
    else:
        assert clean.reason is not None and expected_reason in clean.reason


def test_clean_name_leaves_other_scripts_out():
    clean = _build_module().clean_name("ⵍⴱⵔⴷⵢⴰ")
    assert clean.script == "other" and clean.reason is None


@pytest.mark.parametrize(("names", "expected"), [
    (["ترابلس", "طرابلس", "طَرَابُلُس"], "طرابلس"),
    (["بنغازى", "بنغازي"], "بنغازي"),
    (["قصر بني وليد", "بني وليد"], "بني وليد"),
    (["بردية", "البردية"], "البردية"),
    (["مصراته", "مصراتة"], "مصراتة"),
    ([], ""),
], ids=["most-votes", "final-yeh-over-maksura", "no-prefix-word", "article-form", "teh-marbuta", "none"])
def test_pick_name_ar(names, expected):
    assert _build_module().pick_name_ar(names) == expected


# --------------------------------------------------------------------------- wrong names

def _entry(gid: str, name_ar: str, lat: float, lon: float, aliases=()):
    b = _build_module()
    return b.Entry(id=gid, name_ar=name_ar, name_en=gid, kind="town", geometry=Point(lon, lat),
                   aliases=list(aliases), country="LY")


def test_alias_that_is_a_far_place_main_name_is_dropped():
    b = _build_module()
    entries = {
        "gn:1": _entry("gn:1", "بني وليد", 31.76, 13.98, ["قصر الأخيار", "قصر بني وليد"]),
        "gn:2": _entry("gn:2", "قصر الأخيار", 32.73, 21.50),
    }
    dropped = []
    assert b.drop_wrong_names(entries, dropped) == 1
    assert entries["gn:1"].aliases == ["قصر بني وليد"]
    assert dropped[0].name == "قصر الأخيار" and "gn:2" in dropped[0].reason


def test_alias_shared_with_a_near_place_is_kept():
    b = _build_module()
    entries = {
        "gn:1": _entry("gn:1", "الزاوية", 32.76, 12.73, ["الحرشة"]),
        "gn:2": _entry("gn:2", "الحرشة", 32.80, 12.60),
    }
    assert b.drop_wrong_names(entries, []) == 0
    assert entries["gn:1"].aliases == ["الحرشة"]


def test_weekday_alias_is_dropped():
    b = _build_module()
    entries = {"gn:2491911": _entry("gn:2491911", "خميس مليانة", 36.26, 2.22, ["الخميس", "خميس"])}
    dropped = []
    b.drop_wrong_names(entries, dropped)
    assert entries["gn:2491911"].aliases == ["خميس"]
    assert dropped[0].name == "الخميس"


def test_known_wrong_name_moves_to_its_owner():
    b = _build_module()
    entries = {
        "gn:2218840": _entry("gn:2218840", "بني وليد", 31.76, 13.98, ["قصر ليبيا"]),
        "gn:83861": _entry("gn:83861", "", 32.59, 21.45),
    }
    dropped = []
    b.drop_wrong_names(entries, dropped)
    assert entries["gn:2218840"].aliases == []
    assert entries["gn:83861"].name_ar == "قصر ليبيا"
    assert "moved to gn:83861" in dropped[0].reason


# --------------------------------------------------------------------------- curated CSVs

HEADER = "id,name_ar,name_en,aliases_ar,aliases_en,kind,country,admin1,lat,lon,wkt,population,same_as,source\n"
GOOD = "ly:village-test,قرية,Test,,,village,LY,,30.1,15.2,,,,test\n"


@pytest.mark.parametrize(("row", "column", "value"), [
    ("ly:village-x,قرية,X,,,hamlet,LY,,30,15,,,,s\n", "kind", "hamlet"),
    ("ly:village-x,قرية,X,,,village,LY,,95,15,,,,s\n", "lat/lon", "95"),
    ("ly:village-x,قرية,X,,,village,LY,,thirty,15,,,,s\n", "lat/lon", "thirty"),
    ("ly:road-x,طريق,X,,,road,LY,,30,15,LINESTRING (15 30,,,,s\n", "wkt", "LINESTRING (15 30"),
    ("ly:village-test,قرية,X,,,village,LY,,30,15,,,,s\n", "id", "ly:village-test"),
    ("ly:village-x,قرية,X,,,village,LY,,30,15,,,2210554,s\n", "same_as", "2210554"),
    ("ly:village-x,,X,,,village,LY,,30,15,,,,s\n", "name_ar", ""),
], ids=["bad-kind", "lat-out-of-range", "lat-not-a-number", "broken-wkt", "duplicate-id", "same-as-format", "no-arabic-name"])
def test_bad_curated_row_names_file_line_and_value(tmp_path, row, column, value):
    (tmp_path / "test.csv").write_text(HEADER + GOOD + row, encoding="utf-8")
    with pytest.raises(InputError) as info:
        _build_module().read_curated(tmp_path)
    message = str(info.value)
    assert "test.csv line 3" in message and column in message and value in message


def test_curated_same_as_row_corrects_its_geonames_entry(tmp_path):
    b = _build_module()
    (tmp_path / "s.csv").write_text(
        HEADER + "ly:town-kufra,الكفرة,Kufra,الجوف|كفرة,Al Kufrah,oasis,LY,Al Kufrah,24.18,23.29,,,gn:88962,test\n",
        encoding="utf-8")
    rows = b.read_curated(tmp_path)
    entries = {"gn:88962": _entry("gn:88962", "الجوف", 24.2, 23.3, ["Al Gawf"])}
    assert b.merge_curated(entries, rows, {}, {}, []) == 1
    merged = entries["gn:88962"]
    assert (merged.name_ar, merged.name_en, merged.kind) == ("الكفرة", "Kufra", "oasis")
    assert "الجوف" in merged.aliases and "كفرة" in merged.aliases and "Al Gawf" in merged.aliases
    assert (merged.geometry.y, merged.geometry.x) == (24.18, 23.29)
    assert "s.csv:ly:town-kufra" in merged.source_ref


# --------------------------------------------------------------------------- the built file

def test_built_ids_are_unique():
    ids = [f["properties"]["id"] for f in _built()["features"]]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)


def test_built_properties_are_exactly_the_documented_ones():
    expected = {"id", "name_ar", "name_en", "aliases", "kind", "country", "admin1", "population", "source", "source_ref"}
    assert all(set(f["properties"]) == expected for f in _built()["features"])


def test_every_built_feature_is_a_valid_place():
    for f in _built()["features"]:
        p = f["properties"]
        geometry = shape(f["geometry"])
        assert geometry.is_valid, p["id"]
        Place(id=p["id"], name_ar=p["name_ar"], name_en=p["name_en"], kind=p["kind"], geometry=geometry,
              aliases=tuple(p["aliases"]), country=p["country"], admin1=p["admin1"], population=p["population"])


def test_built_arabic_names_have_no_persian_letters():
    letters = set(_build_module().PERSIAN_URDU_LETTERS)
    for f in _built()["features"]:
        p = f["properties"]
        for name in (p["name_ar"], *p["aliases"]):
            assert not letters & set(name), (p["id"], name)


def test_libya_polygon_contains_tripoli():
    libya = shape(_features_by_id()["cc:LY"]["geometry"])
    tripoli = _features_by_id()["gn:2210247"]
    assert tripoli["properties"]["name_ar"] == "طرابلس"
    assert libya.contains(shape(tripoli["geometry"]))


def test_bani_walid_has_no_qasr_libya_alias():
    bani_walid = _features_by_id()["gn:2218840"]["properties"]
    assert bani_walid["name_ar"] == "بني وليد"
    assert "قصر ليبيا" not in bani_walid["aliases"]


def test_kufra_district_has_arabic_name_and_area_but_not_the_bare_town_name():
    kufra = _features_by_id()["ly:district-kufra"]
    assert kufra["properties"]["name_ar"] == "شعبية الكفرة"
    assert "الكفرة" not in kufra["properties"]["aliases"]
    assert shape(kufra["geometry"]).contains(Point(23.29, 24.18))


def test_libya_has_22_districts_that_tile_the_country():
    features = [f for f in _built()["features"] if f["properties"]["kind"] == "district"]
    assert len(features) == 22
    libya = shape(_features_by_id()["cc:LY"]["geometry"])
    covered = sum(shape(f["geometry"]).area for f in features)
    assert covered == pytest.approx(libya.area, rel=0.02)


def test_sahel_region_holds_niamey_but_not_tripoli():
    sahel = shape(_features_by_id()["ct:sahel"]["geometry"])
    assert sahel.contains(Point(2.11, 13.51))
    assert not sahel.contains(Point(13.19, 32.89))


def test_the_shipped_file_is_what_the_curated_rows_build():
    """A curated row edited without `python scripts/build_gazetteer.py` (and the built file
    committed) would leave the parser on an old gazetteer in every clean clone."""
    collection, _, _ = _build_module().build()

    def by_id(features):
        return {f["properties"]["id"]: f["properties"] for f in features}

    assert by_id(collection["features"]) == by_id(_built()["features"])
