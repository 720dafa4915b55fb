import json
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point

from geo.places.output import mention_properties

ROOT = Path(__file__).resolve().parents[3]
FIXTURE_GZ = ROOT / "tests" / "fixtures" / "gazetteer_small.geojson"
BANI_WALID = Point(13.99416, 31.75662)


def one(parser, text):
    found = parser.parse(text)
    assert len(found) == 1, [m.surface for m in found]
    return found[0]


def test_plain_name_is_precision_1(small_parser):
    m = one(small_parser, "وصلوا إلى مدينة بني وليد")
    assert (m.place.id, m.qualifier, m.precision) == ("gn:2210554", "none", 1)
    assert m.geometry.equals(BANI_WALID)


def test_south_of_is_a_sector_south_of_the_town(small_parser):
    m = one(small_parser, "يتمركزون في أودية جنوب مدينة بني وليد")
    assert (m.qualifier, m.precision, m.anchor.id) == ("south_of", 2, "gn:2210554")
    assert m.geometry.geom_type == "Polygon"
    assert not m.geometry.contains(BANI_WALID)
    assert m.geometry.bounds[3] < BANI_WALID.y
    assert m.surface == "بني وليد"


def test_near_is_a_buffer_around_the_town(small_parser):
    m = one(small_parser, "قاعدة قرب مدينة بني وليد")
    assert (m.qualifier, m.precision) == ("near", 2)
    assert m.geometry.contains(BANI_WALID)


def test_distance_west_is_an_offset_circle(small_parser):
    m = one(small_parser, "على بعد 260 كم غرب بني وليد")
    assert (m.qualifier, m.direction, m.precision) == ("distance", "west", 2)
    c = m.geometry.centroid
    assert c.x < BANI_WALID.x - 2.5 and abs(c.y - BANI_WALID.y) < 0.2
    assert not m.geometry.contains(BANI_WALID)


def test_between_gives_both_names_one_corridor(small_parser):
    a, b = small_parser.parse("ما بين سبها وأوباري")
    assert a.qualifier == b.qualifier == "between"
    assert a.geometry.equals(b.geometry)
    assert (a.anchor.id, a.second_anchor.id) == ("gn:2212775", "gn:2219235")


def test_along_a_line_is_a_corridor(small_parser):
    m = one(small_parser, "تتحرك على طول النهر الصناعي")
    assert (m.place.id, m.qualifier, m.precision) == ("ly:gmmr-network", "along", 2)
    assert m.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert m.geometry.contains(m.place.geometry.representative_point())


@pytest.mark.parametrize("text, direction", [
    ("في جنوب ليبيا", "south"), ("شرق ليبيا", "east"), ("جنوب غرب ليبيا", "south_west"),
], ids=["south", "east", "south-west"])
def test_part_of_country_is_precision_3(small_parser, text, direction):
    m = one(small_parser, text)
    assert (m.place.id, m.qualifier, m.direction, m.precision) == ("cc:LY", "part_of", direction, 3)
    assert m.geometry.area < 0.75 * m.place.geometry.area
    assert m.place.geometry.buffer(1e-9).contains(m.geometry)
    part, whole = m.geometry.centroid, m.place.geometry.centroid
    if "south" in direction:
        assert part.y < whole.y - 1
    if "east" in direction:
        assert part.x > whole.x + 1
    if "west" in direction:
        assert part.x < whole.x - 1


def test_tripoli_is_libyan_by_default(small_parser):
    assert one(small_parser, "وصلت القافلة إلى طرابلس").place.country == "LY"


def test_tripoli_is_lebanese_when_the_text_says_lebanon(small_parser):
    found = small_parser.parse("انفجار في ميناء طرابلس شمال لبنان")
    assert found[0].place.country == "LB"


@pytest.mark.parametrize("text", [
    "قال مهدي البرغثي", "قال العقيد محمد سرت", "في الخمس سنوات الماضية", "تنظيم «القاعدة»",
], ids=["person", "title-and-name", "common-word", "organisation"])
def test_false_friends_are_refused(small_parser, text):
    assert small_parser.parse(text) == []


def test_common_word_with_cue_is_a_place(small_parser):
    assert one(small_parser, "في مدينة الخمس").place.id == "gn:2215636"


def test_cue_word_chooses_the_kind(small_parser):
    m = one(small_parser, "قرب حقل الشرارة")
    assert m.place.kind == "oilfield"


def test_empty_text_is_empty_result(small_parser):
    assert small_parser.parse("") == [] and small_parser.parse("   \n") == []


def test_seed_report(small_parser):
    seed = (ROOT.parent / "shared" / "seeds" / "000_d5b969f8fb028db7.txt").read_text(encoding="utf-8")
    found = small_parser.parse(seed)
    by = [(m.place.id if m.place else None, m.qualifier) for m in found]
    assert by.count(("gn:2210560", "none")) == 2  # سرت twice
    assert [q for pid, q in by if pid == "gn:2210554"] == ["south_of", "near", "south_of", "none"]
    assert ("cc:LY", "part_of") in by and ("cc:IQ", "none") in by
    assert ("ly:gmmr-network", "along") in by
    for m in found:
        assert seed[m.start:m.end] == m.surface
        assert seed[m.phrase_start:m.phrase_end].endswith(m.surface)
    surfaces = {m.surface for m in found}
    for person in ("البرغثي", "بلمختار", "الظواهري", "الغصري", "الزوي", "القاعدة"):
        assert person not in surfaces


def test_properties_have_the_documented_keys(small_parser):
    m = one(small_parser, "جنوب بني وليد")
    props = mention_properties(m)
    for key in ("surface", "start", "end", "place_id", "name_ar", "name_en", "kind", "qualifier",
                "anchor_place_id", "precision", "confidence", "lat", "lon"):
        assert key in props
    # The coordinates are the named town's own; the sector south of it is the geometry.
    assert (props["lat"], props["lon"]) == (round(m.place.lat, 5), round(m.place.lon, 5))
    assert m.geometry.centroid.y < m.place.lat


@pytest.mark.parametrize("text", ["على بعد 260 كم غرب بني وليد", "قرب بني وليد", "جنوب غرب بني وليد"],
                         ids=["distance", "near", "direction"])
def test_a_relative_phrase_keeps_the_named_place_coordinates(small_parser, text):
    m = one(small_parser, text)
    assert (m.lat, m.lon) == (m.place.lat, m.place.lon)
    assert m.geometry is not None and not m.geometry.equals(m.place.geometry)


def run_cli(*args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "geo.places", *args, "--gazetteer", str(FIXTURE_GZ)],
                          input=stdin, capture_output=True, cwd=ROOT, timeout=60)


def test_cli_file(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("انسحبوا من سرت نحو جنوب بني وليد", encoding="utf-8")
    out = run_cli(str(f))
    assert out.returncode == 0, out.stderr
    fc = json.loads(out.stdout)
    assert [ft["properties"]["place_id"] for ft in fc["features"]] == ["gn:2210560", "gn:2210554"]
    assert fc["features"][1]["geometry"]["type"] == "Polygon"


def test_cli_jsonl():
    lines = b'{"id": "a", "text": "\xd8\xb3\xd8\xb1\xd8\xaa"}\n{"id": "b", "text": ""}\n'
    out = run_cli("--jsonl", stdin=lines)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["mentions"][0]["place_id"] == "gn:2210560" and rows[1]["mentions"] == []


@pytest.mark.parametrize("content, message", [
    (None, "no such file"), (b"\x00\x01\x02binary", "binary"), ("Ελληνικά κείμενα εδώ και εκεί, πολλά λόγια.".encode("iso8859_7") * 5, "not UTF-8"),
], ids=["missing", "binary", "latin1"])
def test_cli_bad_input(tmp_path, content, message):
    f = tmp_path / "bad.txt"
    if content is not None:
        f.write_bytes(content)
    out = run_cli(str(f))
    assert out.returncode == 2
    assert message in out.stderr.decode()


def test_cli_empty_file_is_empty_collection(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("", encoding="utf-8")
    out = run_cli(str(f))
    assert out.returncode == 0 and json.loads(out.stdout)["features"] == []
