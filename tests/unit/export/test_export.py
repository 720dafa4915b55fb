"""geo.export: every format round-trips, hostile text stays text, the CLI says what went wrong."""

from __future__ import annotations

import csv
import datetime as dt
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.export import cli, formats, html, png, rows
from geo.errors import InputError
from geo.filters import Filters
from geo.store.frames import EVENT_COLUMNS, events_to_frame
from geo.models import Attribution, Event, PlaceRole
from tests.conftest import store_corpus_items

KML = "{http://www.opengis.net/kml/2.2}"
# Every trick at once: a script tag, an event handler, a template literal, a right-to-left
# override, quotes and an ampersand, around ordinary Arabic.
XSS = ('<script>window.__xss=1</script><img src=x onerror="window.__xss=2;alert(1)">'
       '`${window.__xss=3}`\u202eكذب\u202c "\' & جنوب بني وليد')
TEXT_COLUMNS = ("type", "actors", "places", "date_precision", "speaker", "speaker_role",
                "source_type", "cited_outlet", "publisher", "url", "quote", "review", "note")


@pytest.fixture
def frame() -> gpd.GeoDataFrame:
    """The store contract corpus (six events: line, point, area, no geometry, no date, denied)."""
    return events_to_frame([e for _, _, events in store_corpus_items() for e in events])


def _xss_event(n: int, geometry, *, url: str) -> Event:
    return Event(
        id=f"x{n}{XSS}", article_id=f"a{n}{XSS}", type="movement", geometry=geometry,
        geo_precision=2, event_date=dt.date(2024, 4, n), date_precision="day",
        attribution=Attribution(speaker=XSS, speaker_role=XSS, source_type="named official",
                                cited_outlet=XSS, publisher=XSS, url=url),
        quote=XSS, quote_start=0, quote_end=len(XSS), actors=(XSS, "=cmd|' /C calc'!A0", XSS),
        places=(PlaceRole("origin", f"ly:{XSS}", XSS, 1, 0, 5),
                PlaceRole("destination", None, XSS, 2, 6, 9)),
        note=XSS)


@pytest.fixture
def xss_frame() -> gpd.GeoDataFrame:
    """Three hostile events; the URLs are a javascript: URL, a hostile http URL and the payload."""
    return events_to_frame([
        _xss_event(1, Point(13.99, 31.76), url="javascript:window.__xss=4"),
        _xss_event(2, LineString([(14.43, 27.04), (12.78, 26.59)]),
                   url=f"https://example.org/?q={XSS}"),
        _xss_event(3, Polygon([(13.6, 31.2), (14.4, 31.2), (14.0, 31.6)]), url=XSS),
    ])


class _Tags(HTMLParser):
    """Collects every start tag and attribute an HTML fragment really contains."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(fragment: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(fragment)
    return parser.tags


def _assert_inert_html(fragment: str) -> None:
    """Only our own formatting tags, no handler attributes, links only to http(s)."""
    for tag, attrs in _tags(fragment):
        assert tag in {"p", "b", "bdi", "a", "br", "span"}, (tag, fragment[:200])
        assert not any(name.startswith("on") for name in attrs), attrs
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://")), attrs
            assert "<" not in attrs["href"] and "\u202e" not in attrs["href"]
    assert "\u202e" not in fragment


# --------------------------------------------------------------------------- GeoJSON

def test_geojson_round_trip(frame, tmp_path):
    path = formats.to_geojson(frame, tmp_path / "events.geojson")
    back = gpd.read_file(path)
    assert list(back["id"]) == list(frame["id"])
    assert list(back["quote"]) == list(frame["quote"])
    assert list(back["actors"]) == list(frame["actors"])
    assert back.geometry.geom_type.fillna("none").tolist() == \
        ["LineString", "Point", "Polygon", "LineString", "Point", "none"]
    assert back.crs.to_epsg() == 4326
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["features"][3]["properties"]["event_date"] is None
    assert doc["features"][0]["properties"]["event_date"] == "2024-02-28"
    assert doc["features"][5]["geometry"] is None
    # beside the exact JSON columns, what a reader reads
    assert doc["features"][2]["properties"]["actor_names"] == "داعش; القاعدة"
    assert doc["features"][0]["properties"]["place_names"] == "at بني وليد"


def test_geojson_keeps_hostile_text_exact_but_never_literal(xss_frame, tmp_path):
    path = formats.to_geojson(xss_frame, tmp_path / "x.geojson")
    raw = path.read_text(encoding="utf-8")
    for literal in ("<script", "<img", "`", "\u202e", "&"):
        assert literal not in raw
    doc = json.loads(raw)
    for feature, (_, row) in zip(doc["features"], xss_frame.iterrows()):
        for column in TEXT_COLUMNS + ("id", "article_id"):
            assert feature["properties"][column] == row[column], column
    assert doc["features"][0]["properties"]["quote"] == XSS


# --------------------------------------------------------------------------- KML

def test_kml_round_trip(frame, tmp_path):
    path = formats.to_kml(frame, tmp_path / "events.kml")
    marks = ET.parse(path).getroot().findall(f".//{KML}Placemark")
    assert len(marks) == len(frame)
    data = [{d.get("name"): d.findtext(f"{KML}value") for d in m.iter(f"{KML}Data")} for m in marks]
    assert [d["id"] for d in data] == list(frame["id"])
    assert [d["quote"] for d in data] == list(frame["quote"])
    assert "بني وليد" in marks[1].findtext(f"{KML}name")
    assert marks[0].find(f".//{KML}LineString") is not None
    assert marks[2].find(f".//{KML}Polygon") is not None
    assert marks[5].find(f".//{KML}Point") is None     # no geometry: a placemark without one
    assert marks[0].find(f".//{KML}coordinates").text.startswith("14.428300,27.037700")
    links = [a["href"] for t, a in _tags(marks[0].findtext(f"{KML}description")) if t == "a"]
    assert links == ["https://example.org/1"]
    back = gpd.read_file(path)                          # GDAL reads it too
    assert len(back) == len(frame)


def test_kml_description_is_inert_html(xss_frame, tmp_path):
    path = formats.to_kml(xss_frame, tmp_path / "x.kml")
    root = ET.parse(path).getroot()
    marks = root.findall(f".//{KML}Placemark")
    assert len(marks) == 3
    for mark in marks:
        description = mark.findtext(f"{KML}description")
        assert "&lt;script&gt;" in description          # shown as text by Google Earth
        _assert_inert_html(description)
        values = {d.get("name"): d.findtext(f"{KML}value") for d in mark.iter(f"{KML}Data")}
        assert values["quote"] == XSS and values["speaker"] == XSS    # data kept exact
    links = [a for m in marks for t, a in _tags(m.findtext(f"{KML}description")) if t == "a"]
    assert [a["href"] for a in links] == []   # neither the javascript: nor the hostile URL links
    balloons = {s.findtext(f"{KML}text") for s in root.iter(f"{KML}BalloonStyle")}
    assert balloons == {"$[description]"}


def test_kml_survives_control_characters(frame, tmp_path):
    frame = frame.copy()
    frame.loc[0, "quote"] = "قافلة\x01 \x0b من سبها"
    path = formats.to_kml(frame, tmp_path / "c.kml")
    marks = ET.parse(path).getroot().findall(f".//{KML}Placemark")
    values = {d.get("name"): d.findtext(f"{KML}value") for d in marks[0].iter(f"{KML}Data")}
    assert values["quote"] == "قافلة\ufffd \ufffd من سبها"


# --------------------------------------------------------------------------- CSV

def _read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_round_trip(frame, tmp_path):
    path = formats.to_csv(frame, tmp_path / "events.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")      # Excel needs the BOM for Arabic
    rows = _read_csv(path)
    assert list(rows[0]) == list(formats.CSV_COLUMNS)
    assert [r["event_id_cnty"] for r in rows] == list(frame["id"])
    first = rows[0]
    assert (first["event_date"], first["year"], first["time_precision"]) == ("2024-02-28", "2024", "1")
    assert (first["actor1"], first["location"], first["source_url"]) == \
        ("داعش", "بني وليد", "https://example.org/1")
    assert first["quote"] == frame["quote"][0]
    assert first["source"] == "الوسط; متحدث عسكري"
    assert rows[2]["denied"] == "yes" and rows[2]["actor2"] == "القاعدة"
    assert rows[3]["event_date"] == "" and rows[3]["time_precision"] == "2"     # "reported"
    assert rows[5]["latitude"] == "" and rows[5]["geometry_wkt"] == ""
    assert float(rows[1]["latitude"]) == pytest.approx(31.7566)
    assert float(rows[1]["longitude"]) == pytest.approx(13.9942)
    assert first["places"] == "at بني وليد"


def test_csv_point_is_where_the_map_says_the_event_is(frame, tmp_path):
    """A movement's destination (its line's end), a route's midpoint, else the shape's own point."""
    rows = _read_csv(formats.to_csv(frame, tmp_path / "e.csv"))
    by_id = {r["event_id_cnty"]: r for r in rows}
    line = frame.set_index("id").geometry
    end = line["e1"].coords[-1]                                  # movement e1: Sabha -> Ubari
    assert (float(by_id["e1"]["latitude"]), float(by_id["e1"]["longitude"])) == pytest.approx((end[1], end[0]), abs=1e-4)
    middle = line["e4"].interpolate(0.5, normalized=True)        # smuggling route e4
    assert (float(by_id["e4"]["latitude"]), float(by_id["e4"]["longitude"])) == \
        pytest.approx((middle.y, middle.x), abs=1e-4)
    assert by_id["e4"]["geometry_wkt"].startswith("LINESTRING")


def test_csv_fills_country_from_the_gazetteer(frame, tmp_path):
    class Gazetteer:
        def get(self, place_id):
            return type("P", (), {"country": "LY", "admin1": "Misrata"})() \
                if place_id == "ly:test-bani-walid" else None

    rows = _read_csv(formats.to_csv(frame, tmp_path / "e.csv", gazetteer=Gazetteer()))
    assert (rows[0]["country"], rows[0]["admin1"]) == ("LY", "Misrata")


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"), ("+20", "'+20"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("سبها", "سبها"), ("a=b", "a=b"), ("", ""),
], ids=["equals", "plus", "minus", "at", "tab", "cr", "arabic", "inner-equals", "empty"])
def test_guard_formula(text, expected):
    assert formats.guard_formula(text) == expected


def test_csv_guards_formulas_but_not_numbers(xss_frame, tmp_path):
    west = events_to_frame([_xss_event(4, Point(-3.0, 16.77), url="https://example.org/4")])
    rows = _read_csv(formats.to_csv(west, tmp_path / "w.csv"))
    assert rows[0]["actor2"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["longitude"] == "-3.00000"          # a number stays a number
    assert rows[0]["quote"] == XSS                      # text kept as is otherwise
    rows = _read_csv(formats.to_csv(xss_frame, tmp_path / "x.csv"))
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for k, v in row.items()
                       if k not in formats._CSV_NUMERIC)


@pytest.mark.parametrize(("precision", "code"), [
    ("day", 1), ("week", 2), ("reported", 2), ("month", 3), ("year", 3),
], ids=["day", "week", "reported", "month", "year"])
def test_csv_time_precision_follows_acled(precision, code, tmp_path):
    event = _xss_event(1, Point(13.99, 31.76), url="")
    frame = events_to_frame([Event(**{**{s: getattr(event, s) for s in Event.__slots__},
                                      "date_precision": precision})])
    assert _read_csv(formats.to_csv(frame, tmp_path / "t.csv"))[0]["time_precision"] == str(code)


@pytest.mark.parametrize("modality", ["planned", "attempted", "alleged", "reported"])
def test_csv_says_how_the_claim_is_held(modality, tmp_path):
    event = _xss_event(1, Point(13.99, 31.76), url="")
    frame = events_to_frame([Event(**{**{s: getattr(event, s) for s in Event.__slots__},
                                      "modality": modality, "sub_type": "air/drone strike"})])
    row = _read_csv(formats.to_csv(frame, tmp_path / "m.csv"))[0]
    assert (row["modality"], row["sub_event_type"]) == (modality, "air/drone strike")
    assert (modality in row["notes"]) == (modality != "reported")


# --------------------------------------------------------------------------- GeoPackage

def test_gpkg_round_trip(frame, tmp_path):
    path = tmp_path / "events.gpkg"
    path.write_bytes(b"an older export")                 # replaced, not appended to
    formats.to_gpkg(frame, path)
    back = gpd.read_file(path, layer="events")
    assert list(back.columns) == [*EVENT_COLUMNS, "actor_names", "place_names", "geometry"]
    assert back["actor_names"][2] == "داعش; القاعدة" and back["place_names"][0] == "at بني وليد"
    assert list(back["id"]) == list(frame["id"])
    assert list(back["quote"]) == list(frame["quote"])
    assert list(back["denied"]) == list(frame["denied"])
    assert back.geometry.geom_type.fillna("none").tolist() == \
        ["LineString", "Point", "Polygon", "LineString", "Point", "none"]
    assert back["event_date"].dt.date.tolist()[0] == dt.date(2024, 2, 28)


def test_gpkg_keeps_hostile_text_exact(xss_frame, tmp_path):
    back = gpd.read_file(formats.to_gpkg(xss_frame, tmp_path / "x.gpkg"))
    for column in TEXT_COLUMNS + ("id",):
        assert list(back[column]) == list(xss_frame[column]), column


@pytest.mark.parametrize("fmt", ["geojson", "kml", "csv", "gpkg"])
def test_empty_selection_writes_an_empty_file(fmt, frame, tmp_path):
    path = cli.export(frame.iloc[0:0], tmp_path / f"empty.{fmt}", fmt=fmt)
    if fmt == "csv":
        assert _read_csv(path) == []
    elif fmt == "kml":
        assert ET.parse(path).getroot().findall(f".//{KML}Placemark") == []
    else:
        assert len(gpd.read_file(path)) == 0


# --------------------------------------------------------------------------- page (HTML)

def test_display_text_escapes_and_shows_bidi_controls():
    assert rows.display_text(XSS).count("<") == 0
    assert "[U+202E]" in rows.display_text(XSS) and "\u202e" not in rows.display_text(XSS)
    assert rows.display_text("\u200fسبها") == "\u200fسبها"    # RLM is an ordinary mark
    assert rows.display_text(None) == ""


def test_page_parts_escape_every_field(xss_frame):
    filters = Filters(place_id="ly:x", actors=(XSS,), speakers=(XSS,), event_types=("movement",))
    page = html._page_html(xss_frame, title=XSS, filters=filters, place=None,
                         exported_at=dt.datetime(2024, 8, 1, tzinfo=dt.timezone.utc))
    tags = _tags(page)
    legend = {t for t, _ in _tags(html._legend_block())}     # fixed markup, no article text
    assert {t for t, _ in tags} <= legend | {"header", "span", "small", "aside", "h2", "ul", "li",
                                             "dl", "dt", "dd", "bdi", "footer", "div", "b", "p"}
    assert not {"script", "img", "iframe", "object"} & {t for t, _ in tags}
    assert not any(name.startswith("on") for _, attrs in tags for name in attrs)
    # Neither the javascript: URL nor the ones carrying markup become links.
    assert [a for t, a in tags if t == "a"] == []
    assert "\u202e" not in page
    assert "&lt;script&gt;" in page and "2024-08-01" in page


def test_filter_lines_name_the_place_and_the_choices():
    from geo.models import Place
    place = Place("ly:bw", "بني وليد", "Bani Walid", "town", Point(13.99, 31.76))
    lines = dict(html._filter_lines(
        Filters(place_id="ly:bw", radius_km=30, since=dt.date(2024, 1, 1),
                event_types=("base",), include_denied=False), place))
    assert lines["place"] == "Bani Walid (بني وليد), within 30 km"
    assert lines["dates"] == "2024-01-01 → …"
    assert lines["event types"] == "base"
    assert lines["denied claims"] == "hidden"
    assert html._filter_lines(None) == []
    assert html._filter_lines({"region": "الجنوب", "empty": ""}) == [("region", "الجنوب")]


def test_view_fits_the_place_circle_or_the_events_but_not_a_continent(frame):
    _, _, bounds = html._view(frame, (31.76, 13.99, 100))
    (south, west), (north, east) = bounds
    assert north - south == pytest.approx(1.8, abs=0.1)       # 200 km of latitude
    assert west < 13.99 < east
    russia = events_to_frame([_xss_event(1, Polygon([(30, 41), (180, 41), (180, 82), (30, 82)]),
                                         url="")])
    both = gpd.GeoDataFrame(pd.concat([frame, russia], ignore_index=True), crs="EPSG:4326")
    assert html._view(both)[2] == html._view(frame)[2]
    assert html._view(russia)[2] == [[41.0, 30.0], [82.0, 180.0]]   # nothing else to show
    assert html._view(frame.iloc[0:0]) == ((27.0, 17.0), 5, None)


def test_sources_group_urls_by_outlet(frame):
    sources = dict(html._sources(frame))
    assert sources["الوسط"] == ["https://example.org/1", "https://example.org/3"]
    assert sources["ليبيا الأحرار / ديلي تلغراف"] == ["https://example.org/2"]


# --------------------------------------------------------------------------- dispatch, errors

def test_unknown_format_is_quoted(frame, tmp_path):
    with pytest.raises(InputError, match="'shp'"):
        cli.export(frame, tmp_path / "x.shp", fmt="shp")


@pytest.mark.parametrize("bad", [None, [1, 2], "events"], ids=["none", "list", "str"])
def test_a_frame_is_required(bad, tmp_path):
    with pytest.raises(InputError, match="GeoDataFrame"):
        formats.to_geojson(bad, tmp_path / "x.geojson")


def test_missing_columns_are_named(frame, tmp_path):
    with pytest.raises(InputError, match="quote"):
        formats.to_csv(frame.drop(columns=["quote"]), tmp_path / "x.csv")


def test_a_folder_is_not_a_file(frame, tmp_path):
    with pytest.raises(InputError, match="folder"):
        formats.to_csv(frame, tmp_path)


@pytest.mark.parametrize("size", [0, 199, 8001, 1.5, True], ids=["0", "199", "8001", "float", "bool"])
def test_png_size_is_checked_before_rendering(size, frame, tmp_path):
    with pytest.raises(InputError, match="pixels"):
        png.to_png(frame, tmp_path / "x.png", width=size)


# --------------------------------------------------------------------------- command line

@pytest.fixture
def store_path(tmp_path):
    from geo.store import open_store

    path = tmp_path / "cli.gpkg"
    store = open_store(path)
    for article, mentions, events in store_corpus_items():
        store.write_article(article, mentions, events)
    store.close()
    return path


def test_cli_writes_the_filtered_csv(store_path, tmp_path, capsys):
    out = tmp_path / "out" / "movement.csv"
    code = cli.main(["--db", str(store_path), "--type", "movement", "attack",
                    "--since", "2024-01-01", "--format", "csv", "--out", str(out)], environ={})
    assert code == 0
    assert [r["event_id_cnty"] for r in _read_csv(out)] == ["e1", "e5"]
    assert "wrote 2 events" in capsys.readouterr().out


def test_cli_db_beats_the_environment(store_path, tmp_path):
    out = tmp_path / "all.geojson"
    env = {"MARSAD_DB": str(tmp_path / "missing.gpkg")}
    assert cli.main(["--db", str(store_path), "--format", "geojson", "--out", str(out)],
                   environ=env) == 0
    assert len(gpd.read_file(out)) == 6
    assert cli.main(["--format", "geojson", "--out", str(out)],
                   environ={"MARSAD_DB": str(store_path)}) == 0


def test_cli_place_filter(store_path, tmp_path, capsys):
    out = tmp_path / "near.geojson"
    code = cli.main(["--db", str(store_path), "--place", "Bani Walid", "--radius-km", "20",
                    "--format", "geojson", "--out", str(out)], environ={})
    assert code == 0, capsys.readouterr().err
    ids = set(gpd.read_file(out)["id"])
    assert "e2" in ids and "e5" not in ids              # Sirte is 250 km away
    assert "e3" not in ids                              # an area that only meets the circle ...
    assert "place: " in capsys.readouterr().err
    assert cli.main(["--db", str(store_path), "--place", "Bani Walid", "--radius-km", "20", "--include-regional",
                     "--format", "geojson", "--out", str(out)], environ={}) == 0
    assert "e3" in set(gpd.read_file(out)["id"])        # ... comes back when regional claims are asked for


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2024-13-01"], "YYYY-MM-DD"),
    (["--since", "2024-06-01", "--until", "2024-01-01"], "after --until"),
    (["--radius-km", "5"], "needs --place"),
    (["--radius-km", "-5", "--place", "سبها"], "kilometres"),
    (["--type", "picnic"], "invalid choice"),
    (["--width", "50"], "pixels"),
], ids=["bad-date", "since-after-until", "radius-alone", "negative-radius", "bad-type", "tiny"])
def test_cli_rejects_bad_arguments(args, message, store_path, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--db", str(store_path), *args, "--format", "csv",
                 "--out", str(tmp_path / "x.csv")], environ={})
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_unknown_place_suggests_near_matches(store_path, tmp_path, capsys):
    code = cli.main(["--db", str(store_path), "--place", "Bani Waleed", "--format", "csv",
                    "--out", str(tmp_path / "x.csv")], environ={})
    err = capsys.readouterr().err
    assert code == 2
    assert "'Bani Waleed'" in err and "did you mean" in err and "bani walid" in err.lower()
    assert not (tmp_path / "x.csv").exists()


def test_cli_missing_store(tmp_path, capsys):
    missing = tmp_path / "nothing.gpkg"
    code = cli.main(["--format", "csv", "--out", str(tmp_path / "x.csv")],
                   environ={"MARSAD_DB": str(missing)})
    assert code == 2
    assert repr(str(missing)) in capsys.readouterr().err
    assert not missing.exists()                          # reading never creates a store


def test_template_syntax_in_article_text_is_not_evaluated():
    """folium/branca compile an Element's text as Jinja: «{{ 6*7 }}» must stay text."""
    import datetime as dt

    from geo import export
    from geo.store.frames import events_to_frame
    from geo.models import Attribution, Event, to_point

    event = Event(id="ssti", article_id="a", type="presence", geometry=to_point(31, 14), geo_precision=1,
                  event_date=dt.date(2024, 1, 1), date_precision="day",
                  attribution=Attribution(speaker="{{ 7*7 }}", publisher="{{ 6*7 }}", cited_outlet="{{ 8*8 }}"),
                  quote="{{ 9*9 }}", quote_start=0, quote_end=9)
    html = export.page_html(events_to_frame([event]), title="{{ 5*5 }}", filters=None)
    for evaluated in ("49", "42", "64", "81", "25"):
        assert f">{evaluated}<" not in html and f" {evaluated} " not in html
    assert "{{ 6*7 }}" in html and "{{ 5*5 }}" in html


def test_the_html_export_draws_the_place_circle_and_names_it_in_the_legend(frame):
    from geo.models import Place
    place = Place("ly:bw", "بني وليد", "Bani Walid", "town", Point(13.99, 31.76))
    with_place = html.page_html(frame, filters=Filters(place_id="ly:bw", radius_km=30), place=place,
                                exported_at=dt.datetime(2024, 8, 1, tzinfo=dt.timezone.utc))
    without = html.page_html(frame, filters=Filters(), exported_at=dt.datetime(2024, 8, 1, tzinfo=dt.timezone.utc))
    assert "L.circle(" in with_place and "L.circle(" not in without
    assert "within 30 km of Bani Walid" in with_place and "mx-circle" not in without


def test_the_html_export_sizes_the_circles_as_the_dashboard_did(frame):
    import dataclasses

    from geo.models import Count
    events = [e for _, _, evs in store_corpus_items() for e in evs]
    attack = dataclasses.replace(events[0], type="attack", geometry=Point(14.43, 27.04),
                                 counts=(Count("killed", 6, 6),))
    sized_frame = events_to_frame([attack, *events[1:]])
    when = dt.datetime(2024, 8, 1, tzinfo=dt.timezone.utc)
    sized = html.page_html(sized_frame, filters=Filters(size_by="fatalities"), exported_at=when)
    plain = html.page_html(sized_frame, filters=Filters(), exported_at=when)
    assert "Sized by fatalities (largest 6)" in sized and "Circle area: fatalities" in sized
    assert "circles sized by" in sized
    assert "Sized by" not in plain and "Circle area" not in plain


def test_cli_leaves_rejected_events_out_unless_asked(store_path, tmp_path, capsys):
    from geo.store import open_store
    with open_store(store_path) as store:
        store.edit_event("e2", {"review": "rejected"}, who="Amal")
    out = tmp_path / "all.csv"
    assert cli.main(["--db", str(store_path), "--format", "csv", "--out", str(out)], environ={}) == 0
    assert "e2" not in {r["event_id_cnty"] for r in _read_csv(out)}
    assert cli.main(["--db", str(store_path), "--format", "csv", "--out", str(out),
                     "--review", "auto", "confirmed", "rejected"], environ={}) == 0
    rows = {r["event_id_cnty"]: r for r in _read_csv(out)}
    assert rows["e2"]["review"] == "rejected"
    assert cli.main(["--db", str(store_path), "--format", "csv", "--out", str(out), "--review", "rejected"],
                    environ={}) == 0
    assert [r["event_id_cnty"] for r in _read_csv(out)] == ["e2"]
