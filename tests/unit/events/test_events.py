"""Event extraction: types, negation and denial, actors, place roles, geometry, ids, CLI."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.errors import InputError
from geo.events.output import event_properties, events_to_geojson
from geo.events.extract import extract_events
from geo.events.__main__ import main
from geo.models import Article, Mention, Place
from geo.text.sentences import split_sentences
from geo.places.spatial import buffer_km, sector

ROOT = Path(__file__).resolve().parents[3]

PLACES = {
    "سرت": Place("t:sirte", "سرت", "Sirte", "city", Point(16.59, 31.21)),
    "بني وليد": Place("t:bani-walid", "بني وليد", "Bani Walid", "town", Point(13.98, 31.76)),
    "سبها": Place("t:sabha", "سبها", "Sabha", "city", Point(14.43, 27.04)),
    "أوباري": Place("t:ubari", "أوباري", "Ubari", "town", Point(12.78, 26.59)),
    "الكفرة": Place("t:kufra", "الكفرة", "Kufra", "city", Point(23.31, 24.18)),
    "أجدابيا": Place("t:ajdabiya", "أجدابيا", "Ajdabiya", "city", Point(20.22, 30.76)),
    "النهر الصناعي": Place("t:gmmr", "النهر الصناعي", "Great Man-Made River", "infrastructure",
                           LineString([(14.0, 29.0), (14.5, 30.5), (15.5, 31.2), (16.5, 31.2)])),
    "ليبيا": Place("t:libya", "ليبيا", "Libya", "country", Polygon([(9, 19.5), (25, 19.5), (25, 33.2), (9, 33.2)])),
}


def mention(text: str, name: str, *, qualifier: str = "none", nth: int = 0, phrase: str | None = None) -> Mention:
    """A Mention of ``name`` in ``text`` as the geoparser would give it."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    place = PLACES[name]
    geometry, precision = place.geometry, 1
    if qualifier == "south_of":
        geometry, precision = sector(place.lat, place.lon, 180, inner_km=5, outer_km=60), 2
    elif qualifier == "near":
        geometry, precision = buffer_km(place.geometry, 15), 2
    elif qualifier == "along":
        geometry, precision = buffer_km(place.geometry, 10), 2
    elif place.kind == "country":
        precision = 3
    p_start = text.index(phrase) if phrase else start
    p_end = p_start + len(phrase) if phrase else start + len(name)
    return Mention(start, start + len(name), name, place, qualifier=qualifier, geometry=geometry,
                   precision=precision, phrase_start=p_start, phrase_end=p_end, confidence=0.9)


def events_of(text: str, mentions, **kw):
    article = Article(id="test", text=text, outlet="مرصد", url="https://example.org/a",
                      published=kw.pop("published", dt.date(2024, 3, 9)))
    return extract_events(article, mentions=mentions)


@pytest.mark.parametrize(
    ("text", "places", "event_type"),
    [
        ("قال مصدر عسكري إن رتلاً تابعاً للجيش الوطني تحرك من سبها نحو أوباري.", ["سبها", "أوباري"], "movement"),
        ("وقال مصدر عسكري إن الجيش الوطني أقام قاعدة عسكرية جديدة قرب سبها.", ["سبها"], "base"),
        ("وقال أحد السكان إن عناصر من داعش ينتشرون في أحياء سرت.", ["سرت"], "presence"),
        ("وأفاد مصدر أمني بأن شبكات التهريب تنقل المهاجرين من الكفرة إلى أجدابيا.", ["الكفرة", "أجدابيا"],
         "smuggling_route"),
        ("وقالت مصادر محلية إن مسلحين شنوا هجوماً على بوابة أمنية في أوباري.", ["أوباري"], "attack"),
    ],
    ids=["movement", "base", "presence", "smuggling", "attack"],
)
def test_each_event_type(text, places, event_type):
    events = events_of(text, [mention(text, p) for p in places])
    assert [e.type for e in events] == [event_type]
    assert events[0].places and events[0].quote == text[events[0].quote_start:events[0].quote_end]


def test_movement_is_a_line_from_origin_to_destination():
    text = "قال مصدر عسكري إن رتلاً تابعاً للجيش الوطني تحرك من سبها نحو أوباري."
    (event,) = events_of(text, [mention(text, "سبها"), mention(text, "أوباري")])
    assert [(p.role, p.place_id) for p in event.places] == [("origin", "t:sabha"), ("destination", "t:ubari")]
    assert isinstance(event.geometry, LineString)
    assert list(event.geometry.coords) == [(14.43, 27.04), (12.78, 26.59)]
    assert event.actors == ("lna",) and event.geo_precision == 1


def test_movement_along_the_river_follows_its_line():
    text = "قال مصدر عسكري إن عناصر داعش تتحرك من سرت على طول النهر الصناعي نحو سبها."
    ms = [mention(text, "سرت"), mention(text, "النهر الصناعي", qualifier="along", phrase="على طول النهر الصناعي"),
          mention(text, "سبها")]
    (event,) = events_of(text, ms)
    assert event.type == "movement"
    assert {p.role for p in event.places} == {"origin", "via", "destination"}
    coords = list(event.geometry.coords)
    assert coords[0] == (16.59, 31.21) and coords[-1] == (14.43, 27.04)
    assert (15.5, 31.2) in coords and (14.5, 30.5) in coords  # the river's own vertices in between


def test_movement_only_along_the_river_is_the_river():
    text = "ويعتقد أن عناصر التنظيم تتحرك في مجموعات صغيرة على طول النهر الصناعي."
    ms = [mention(text, "النهر الصناعي", qualifier="along")]
    (event,) = events_of(text, ms)
    assert event.type == "movement" and event.geometry.equals(PLACES["النهر الصناعي"].geometry)


def test_base_is_a_point_and_presence_the_area():
    text = ("وقال مصدر عسكري إن القوات أقامت معسكراً قرب سبها. "
            "وقال أحد السكان إن مسلحين ينتشرون جنوب بني وليد.")
    ms = [mention(text, "سبها", qualifier="near", phrase="قرب سبها"),
          mention(text, "بني وليد", qualifier="south_of", phrase="جنوب بني وليد")]
    base, presence = events_of(text, ms)
    assert base.type == "base" and base.geometry.equals(Point(14.43, 27.04)) and base.geo_precision == 2
    assert presence.type == "presence" and isinstance(presence.geometry, Polygon) and presence.geo_precision == 2


def test_origin_only_movement_takes_the_place_they_were_seen():
    text = "وقالت مصادر داخل مدينة بني وليد إنهم شاهدوا خمسة من قادة داعش داخل المدينة، عقب فرارهم من سرت."
    ms = [mention(text, "بني وليد"), mention(text, "سرت")]
    events = events_of(text, ms)
    # Both stand: where they were seen, and the way they came.
    assert [e.type for e in events] == ["presence", "movement"]
    roles = {p.role: p.place_id for p in events[1].places}
    assert roles == {"origin": "t:sirte", "destination": "t:bani-walid"}
    assert events[1].actors == ("isis",)
    assert {e.attribution.source_type for e in events} == {"witnesses/residents"}


@pytest.mark.parametrize(
    "text",
    [
        "وقال أحد السكان إن القوات الأمنية لا تتحرك في سرت.",
        "وقال مصدر إن داعش يستعد لشن هجمات في سرت.",
        "وشن قائد التنظيم هجوماً لاذعاً على خصومه في سرت.",
        # Words that only look like a movement cue plus an ending.
        "وقال مصدر محلي إن الكهرباء انقطعت مرتين في سرت خلال الأسبوع.",  # «مرتين»: twice, not «مرت»
        "وقال مصدر محلي إن المفاوضات الجارية في سرت متعثرة.",  # «الجارية»: ongoing, not «لجأ»
        "وحضر الاجتماع في سرت ممثل لجامعة الدول العربية.",  # «جامعة» (league) is no flight either
    ],
    ids=["negated-movement", "planned-attack", "verbal-attack", "twice", "ongoing", "league"],
)
def test_no_event(text):
    assert events_of(text, [mention(text, "سرت")]) == []


@pytest.mark.parametrize(
    "text",
    [
        "ونفت الحكومة وجود عناصر لداعش في سرت.",
        "وقال المتحدث إنه لا صحة لما تردد عن انتشار مسلحين في سرت.",
        "وقيل إن مسلحين انسحبوا من سرت، وهو ما نفاه الجيش الوطني.",
    ],
    ids=["denied-presence", "la-sihha", "denied-afterwards"],
)
def test_denied_claims_are_kept_and_marked(text):
    events = events_of(text, [mention(text, "سرت")])
    assert events and all(e.denied for e in events)


def test_qaida_the_group_and_qaida_a_base():
    text = ("وقال مصدر إن عناصر تنظيم «القاعدة» ينتشرون في سرت. "
            "وقال مصدر آخر إن القوات وصلت إلى القاعدة الجوية قرب أوباري.")
    events = events_of(text, [mention(text, "سرت"), mention(text, "أوباري", qualifier="near")])
    assert events[0].actors == ("al-qaeda",)
    assert all("al-qaeda" not in e.actors for e in events[1:])


def test_speaker_carries_over_and_quote_is_a_span():
    text = ("قال المتحدث باسم الجيش الوطني، اللواء أحمد المسماري، إن قواته تقدمت نحو سرت. "
            "وتابع: «انتشرت وحداتنا في أوباري».")
    events = events_of(text, [mention(text, "سرت"), mention(text, "أوباري")])
    assert [e.type for e in events] == ["movement", "presence"]
    assert {e.attribution.speaker for e in events} == {"أحمد المسماري"}
    for e in events:
        assert text[e.quote_start:e.quote_end] == e.quote
        assert e.attribution.publisher == "مرصد" and e.attribution.url == "https://example.org/a"


def test_dates_of_events():
    text = "وقال مصدر إن غارة استهدفت العام 2016 مواقع في سرت. وقال أحد السكان إن مسلحين ينتشرون في أوباري."
    attack, presence = events_of(text, [mention(text, "سرت"), mention(text, "أوباري")])
    assert (attack.event_date, attack.date_precision) == (dt.date(2016, 1, 1), "year")
    assert (presence.event_date, presence.date_precision) == (dt.date(2024, 3, 9), "reported")


def test_ids_are_deterministic_and_distinct():
    text = "وقال مصدر إن مسلحين تحركوا من سبها نحو أوباري. وقال أحد السكان إن مسلحين ينتشرون في سرت."
    ms = [mention(text, "سبها"), mention(text, "أوباري"), mention(text, "سرت")]
    first, second = events_of(text, ms), events_of(text, ms)
    assert [e.id for e in first] == [e.id for e in second]
    assert len({e.id for e in first}) == len(first) == 2


@pytest.mark.parametrize("text", ["", "   \n  "], ids=["empty", "blank"])
def test_empty_text_gives_no_events(text):
    assert extract_events(Article(id="x", text=text), mentions=[]) == []


def test_rejects_what_is_not_an_article():
    with pytest.raises(InputError, match="Article"):
        extract_events("نص", mentions=[])


def test_sentences_keep_quotes_whole_and_break_paragraphs():
    text = "العنوان\nقال: «وصلوا. ثم انسحبوا». وانتهى الأمر!\n\nفقرة ثانية"
    spans = split_sentences(text)
    assert [text[s.start:s.end] for s in spans] == ["العنوان", "قال: «وصلوا. ثم انسحبوا».", "وانتهى الأمر!",
                                                     "فقرة ثانية"]
    assert [s.paragraph for s in spans] == [0, 1, 1, 2]


def test_geojson_properties():
    text = "قال مصدر عسكري إن رتلاً تحرك من سبها نحو أوباري."
    (event,) = events_of(text, [mention(text, "سبها"), mention(text, "أوباري")])
    props = event_properties(event)
    for key in ("type", "actors", "places", "geo_precision", "event_date", "date_precision", "speaker",
                "speaker_role", "source_type", "cited_outlet", "publisher", "url", "quote", "quote_start",
                "quote_end", "denied", "confidence"):
        assert key in props
    feature = events_to_geojson([event])["features"][0]
    assert feature["geometry"]["type"] == "LineString" and json.dumps(feature, ensure_ascii=False)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"\x00\x01\x02", "binary"),
     ("Ελληνικά κείμενα εδώ και εκεί, πολλά λόγια.".encode("iso8859_7") * 5, "not UTF-8")],
    ids=["missing", "binary", "not-utf8"],
)
def test_cli_rejects_bad_input(tmp_path, capsys, content, message):
    path = tmp_path / "report.txt"
    if content is not None:
        path.write_bytes(content)
    assert main([str(path)]) != 0
    assert message in capsys.readouterr().err


def test_cli_jsonl_round_trip():
    lines = [json.dumps({"id": "a", "text": "", "published": "2024-01-02"}, ensure_ascii=False),
             json.dumps({"id": "b", "text": "وقال أحد السكان إن مسلحين ينتشرون في سبها.",
                         "published": "2024-01-02"}, ensure_ascii=False)]
    run = subprocess.run([sys.executable, "-m", "geo.events", "--jsonl"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert rows[0] == {"id": "a", "events": []}
    assert rows[1]["id"] == "b"
    for event in rows[1]["events"]:
        assert "geometry" in event and event["source_type"] == "witnesses/residents"


# ---------------------------------------------------------------- regression reports
# Short reports in our own wording, unlike the samples', each for one general rule.

@pytest.mark.parametrize(
    ("text", "places", "expected"),
    [
        ("قال آمر الكتيبة إن قيادته نشرت نحو 200 عنصر و30 آلية في محيط الكفرة.", ["الكفرة"],
         [("presence", "unnamed official")]),
        ("وأكدت البلدية أن الصحيفة نشرت الخميس صوراً من سبها.", ["سبها"], []),
        ("وقال مصدر عسكري إن وحدات من الجيش ستنتشر في أوباري خلال الأيام المقبلة.", ["أوباري"],
         [("presence", "unnamed official")]),
        ("وأفاد مصدر أمني بأن دورية رافقت قافلة وقود تحركت من أجدابيا نحو الكفرة.", ["أجدابيا", "الكفرة"],
         [("movement", "unnamed official")]),
        ("وأوضح مصدر محلي أن عصابات تنقل شحنات من الحشيش من الكفرة إلى أجدابيا.", ["الكفرة", "أجدابيا"],
         [("smuggling_route", "anonymous")]),
        ("وقال أحد السكان إن شاحنات تنقل ذخائر إلى المعسكر الجديد قرب سبها.", ["سبها"],
         [("movement", "witnesses/residents")]),
        ("وقال مسؤول أمني إن المهربين باتوا يسلكون مساراً يبدأ من الكفرة، مروراً بأجدابيا، وصولاً إلى سرت.",
         ["الكفرة", "أجدابيا", "سرت"], [("smuggling_route", "unnamed official")]),
        ("وأعلن الهلال الأحمر، في بيان، مقتل شخصين في قصف طال أحياء سرت.", ["سرت"],
         [("attack", "organisation statement")]),
        ("وأكد المجلس البلدي أهمية مكافحة التهريب في الكفرة.", ["الكفرة"], []),
        ("وقال مسؤول في المستشفى إن الجرحى نقلوا من أوباري إلى سبها.", ["أوباري", "سبها"], []),
        ("وقال مصدر إن الطرفين اتفقا على وقف إطلاق النار في سرت.", ["سرت"], []),
        ("وقال أحد رعاة الإبل إنه شاهد مسلحين يتجولون قرب بني وليد.", ["بني وليد"],
         [("presence", "witnesses/residents")]),
        ("وقال الناطق باسم الجيش الوطني، العقيد أحمد سالم، إن مجموعة مسلحة تتنقل بين سبها وأوباري منذ أسابيع.",
         ["سبها", "أوباري"], [("presence", "named official")]),
        ("وقال الوزير سالم علي إنه أمر بإنشاء قاعدة قرب سبها، لافتاً إلى أن دولاً غربية تساعده في تتبع العناصر الفارة.",
         ["سبها"], [("base", "named official")]),
        ("وقال مصدر محلي إن مسلحاً فرّ من القتال الدائر في أوباري نحو سبها.", ["أوباري", "سبها"],
         [("movement", "anonymous")]),
        ("وقال مصدر أمني إن الجمارك ضبطت في ميناء سرت شحنة من الحشيش.", ["سرت"],
         [("smuggling_route", "unnamed official")]),
        ("وقال مصدر أمني إن الشرطة ضبطت منذ يناير قرابة 300 مهاجر في أحد المخازن بسرت.", ["سرت"],
         [("smuggling_route", "unnamed official")]),
        ("وقال مصدر أمني إن عملية الضبط جرت في وضح النهار في سرت.", ["سرت"], []),
        ("وقال مصدر أمني إن الجمارك أوقفت في سرت حاوية فيها أقراص مخدرة، كانت معدة للشحن نحو الكفرة.",
         ["سرت", "الكفرة"], [("smuggling_route", "unnamed official")]),
        ("وقال مصدر عسكري إن طائرات شحن هبطت في قاعدة قرب سبها.", ["سبها"],
         [("base", "unnamed official")]),
        ("وقال مصدر محلي إن مسلحين اشتبكوا مع الشرطة قرب سرت فيما انسحب آخرون نحو بني وليد.",
         ["سرت", "بني وليد"], [("attack", "anonymous"), ("movement", "anonymous")]),
        ("وقال آمر الكتيبة إن قواته أقامت معسكراً قرب سبها، وآخر شمال أوباري.", ["سبها", "أوباري"],
         [("base", "unnamed official"), ("base", "unnamed official")]),
        ("وقال مسؤول أمني إن ممراً للمهربين يوجد قرب الكفرة.", ["الكفرة"],
         [("smuggling_route", "unnamed official")]),
    ],
    ids=["deploy-troops", "published-not-deployed", "future-deployment", "escort-is-no-smuggling",
         "drugs-on-the-move", "ammunition-to-a-camp", "route-goes-on", "statement-without-anna",
         "fighting-smuggling-is-a-topic", "wounded-to-hospital", "ceasefire", "one-of-the-herders",
         "moving-about-is-presence", "fleeing-with-no-place-is-no-event", "fled-from-the-fighting",
         "goods-seized-in-port", "migrants-seized-after-a-date", "seizure-as-a-topic", "shipped-after-goods-named",
         "cargo-plane-is-no-shipment", "while-others-withdrew", "another-one-elided",
         "a-way-for-smugglers"],
)
def test_regression_reports(text, places, expected):
    events = events_of(text, [mention(text, p) for p in places])
    assert [(e.type, e.attribution.source_type) for e in events] == expected


def test_future_deployment_keeps_the_report_date():
    text = "وقال مصدر عسكري إن وحدات من الجيش ستنتشر في أوباري خلال الأيام المقبلة."
    (event,) = events_of(text, [mention(text, "أوباري")])
    assert (event.event_date, event.date_precision) == (dt.date(2024, 3, 9), "reported")


def test_route_told_in_three_clauses_is_one_line():
    text = "وقال مسؤول أمني إن المهربين باتوا يسلكون مساراً يبدأ من الكفرة، مروراً بأجدابيا، وصولاً إلى سرت."
    (event,) = events_of(text, [mention(text, p) for p in ("الكفرة", "أجدابيا", "سرت")])
    assert [(p.role, p.place_id) for p in event.places] == [
        ("origin", "t:kufra"), ("via", "t:ajdabiya"), ("destination", "t:sirte")]
    assert isinstance(event.geometry, LineString) and len(event.geometry.coords) == 3


def test_an_aside_has_its_own_speaker():
    text = ("وقال الناطق باسم الجيش الوطني، العقيد أحمد سالم، إن قواته تقدمت نحو سرت، "
            "فيما قال أحد السكان إن مسلحين ينتشرون في أوباري.")
    events = events_of(text, [mention(text, "سرت"), mention(text, "أوباري")])
    assert [(e.type, e.attribution.source_type) for e in events] == [
        ("movement", "named official"), ("presence", "witnesses/residents")]


def test_an_attack_then_a_flight_in_one_clause():
    text = "وقال مصدر أمني إن مسلحين هاجموا بوابة في أوباري قبل أن يفروا باتجاه سبها."
    events = events_of(text, [mention(text, "أوباري"), mention(text, "سبها")])
    assert [e.type for e in events] == ["attack", "movement"]
    assert [(p.role, p.place_id) for p in events[1].places][-1] == ("destination", "t:sabha")


@pytest.mark.parametrize(
    ("cited_by", "source_type"),
    [("ونقلت وكالة «رويترز» عن مصدر أمني", "outlet"), ("ونقل مرصد عن مصدر أمني", "unnamed official")],
    ids=["another-outlet", "the-publisher-itself"],
)
def test_unnamed_source_rests_on_who_quotes_it(cited_by, source_type):
    text = f"{cited_by} أن مسلحين ينتشرون في سبها."
    (event,) = events_of(text, [mention(text, "سبها")])
    assert event.attribution.source_type == source_type and event.attribution.speaker == "مصدر أمني"


def test_speaker_named_before_qad():
    text = "وكانت وكالة «رويترز» قد أفادت العام الماضي بأن مسلحين ينتشرون في الكفرة."
    (event,) = events_of(text, [mention(text, "الكفرة")])
    assert event.attribution.source_type == "outlet" and "رويترز" in event.attribution.speaker


def test_a_person_named_before_leads_the_next_clause():
    text = "وقال المتحدث إن القائد مختار بلمختار ما زال حياً، ويقود عناصر من داعش فرّوا من سرت."
    events = events_of(text, [mention(text, "سرت")])
    (flight,) = [e for e in events if e.type == "movement"]
    assert set(flight.actors) >= {"isis", "mokhtar-belmokhtar"}


def test_building_the_base_is_no_al_qaeda():
    """«إنشاء القاعدة» is the base being built, not the group (seen in the README screenshot)."""
    import datetime as dt

    from geo.events.extract import extract_events
    from geo.models import Article

    text = "وصف مصدر عسكري إنشاء القاعدة بأنه خطوة أحادية، مشيرا إلى أن قوات الجيش منتشرة في الشويرف."
    events = extract_events(Article(id="q", text=text, published=dt.date(2025, 4, 17), outlet="مرصد"))
    assert all("al-qaeda" not in e.actors for e in events)


@pytest.mark.parametrize("published", ["2016-02", "2016", None, ""], ids=["month", "year", "null", "empty"])
def test_cli_jsonl_reads_a_report_whose_day_is_unknown(published):
    line = json.dumps({"id": "m", "text": "شنت طائرات غارة على موقع للمسلحين في مدينة صبراتة.",
                       "published": published}, ensure_ascii=False)
    run = subprocess.run([sys.executable, "-m", "geo.events", "--jsonl"], input=line + "\n",
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    row = json.loads(run.stdout)
    assert row["id"] == "m" and [e["type"] for e in row["events"]] == ["attack"]


def test_a_quote_that_opens_after_qaida_does_not_make_it_the_group():
    text = "وقال مصدر إن إنشاء القاعدة «خطوة أحادية»، مشيرا إلى أن قوات الجيش منتشرة في سبها."
    events = events_of(text, [mention(text, "سبها")])
    assert events and all("al-qaeda" not in e.actors for e in events)
    quoted = "وقال مصدر إن عناصر من «القاعدة» ينتشرون في سبها."
    assert any("al-qaeda" in e.actors for e in events_of(quoted, [mention(quoted, "سبها")]))


def test_a_lead_claim_takes_the_source_named_right_after_it():
    text = ("شنت طائرات غارة على موقع للمسلحين في سرت. "
            "ونقلت شبكة «سي إن إن» عن مسؤول أمريكي أن الموقع كان معسكرا للتدريب في سرت.")
    events = events_of(text, [mention(text, "سرت")] + [mention(text, "سرت", nth=1)])
    lead = next(e for e in events if e.type == "attack")
    assert lead.attribution.speaker == "مسؤول أمريكي" and lead.modality == "reported"


def test_a_claim_in_the_outlets_voice_with_no_source_after_it_stays_asserted():
    text = "شنت طائرات غارة على موقع للمسلحين في سرت."
    (event,) = events_of(text, [mention(text, "سرت")])
    assert (event.attribution.speaker, event.modality) == ("", "asserted")


@pytest.mark.parametrize("text, speaker, outlet", [
    ("انسحب المسلحون من مدينة سرت نحو الجنوب، قال مصدر عسكري.", "مصدر عسكري", ""),
    ("انسحب المسلحون من مدينة سرت نحو الجنوب، على حد قول مصدر عسكري.", "مصدر عسكري", ""),
    ("انسحب المسلحون من مدينة سرت نحو الجنوب، وفق ما قاله مصدر عسكري لوكالة الأناضول.", "مصدر عسكري",
     "وكالة الأناضول"),
], ids=["trailing-verb", "ala-hadd-qawl", "told-to-an-agency"])
def test_a_source_named_after_the_claim(text, speaker, outlet):
    (event,) = events_of(text, [mention(text, "سرت")])
    assert (event.attribution.speaker, event.attribution.cited_outlet) == (speaker, outlet)
    assert event.modality == "reported"


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("وقال مصدر عسكري إن عناصر من داعش لجؤوا إلى سرت.", "movement"),
        ("وقال مصدر عسكري إن الجيش توغل في أحياء سرت.", "movement"),
        ("وقال مصدر عسكري إن الدوريات مرت عبر سرت.", "movement"),
        ("وقال مصدر عسكري إن قوات كبيرة تحاصر سرت من جميع الجهات.", "presence"),  # a siege places them there
        ("وقال مصدر عسكري إن الكتيبة المتواجدة في سرت تلقت تعزيزات.", "presence"),
        ("وقال مصدر عسكري إن التنظيم أحكم قبضته على سرت بعد أيام من القتال.", "presence"),  # control
        ("وقال مصدر عسكري إن مسلحي القبائل سيطروا على سرت.", "presence"),                   # control, plural
        ("وقال مصدر عسكري إن التنظيم يتحرك في أطراف سرت.", "presence"),                      # about in a place
        ("وقال مصدر عسكري إن رتلا للتنظيم يتحرك نحو سرت.", "movement"),                      # towards one
        ("وقالت الجماعة في بيانها إنها حررت مدينة سرت.", "presence"),                        # control by its winner's word
    ],
    ids=["took-refuge", "incursion", "passed", "siege", "found-there", "grip", "took-control", "liberated",
         "moves-about-in", "moves-towards"],
)
def test_cue_forms_give_their_type(text, event_type):
    assert [e.type for e in events_of(text, [mention(text, "سرت")])] == [event_type]


def _events(text: str):
    """The events our own report gives, published on 2 March 2024."""
    return extract_events(Article(id="t", text=text, published=dt.date(2024, 3, 2)))


def _types(text: str) -> list[str]:
    """The types of the events our own one-line report gives, in order."""
    return [e.type for e in _events(text)]


@pytest.mark.parametrize("sentence", [
    "تجدد الاقتتال بين مجموعتين مسلحتين في مدينة الزاوية فجر الأحد.",
    "تعرضت أحياء في مدينة غريان لنيران المدفعية الثقيلة ليلة الخميس.",
    "تعرض شارع رئيسي في مدينة سبها لعمليات قنص طوال الليل.",
    "دارت معركة عنيفة بين الجيش والمسلحين قرب مدينة أوباري.",
    "فتح مسلحون النار على حافلة عند مدخل مدينة سبها.",
    "استشهد جنديان عند بوابة أمنية في مدينة الكفرة.",
    "تبنى التنظيم العملية الإرهابية التي وقعت في مدينة القطرون.",
    "انفجر لغم بسيارة مدنية جنوب مدينة سرت.",
    "اغتيل ضابط أمام منزله في مدينة درنة.",
    "سقط صاروخ على حي سكني في مدينة طرابلس ليلة الأحد.",
    "دهمت قوة أمنية منزلا في مدينة الزاوية.",
    "خاضت الكتيبة قتالا عنيفا مع مسلحين في حي بمدينة الزاوية.",
    "تجدد القتال بين القبيلتين في مدينة الكفرة.",
])
def test_fighting_words_beyond_the_first_list_make_an_attack(sentence):
    assert _types(sentence) == ["attack"]


def test_smugglers_stopped_are_a_smuggling_route_and_other_people_arrested_an_attack():
    assert _types("اعترضت دورية جنوب مدينة غات ثلاث سيارات يستقلها خمسة مهربين.") == ["smuggling_route"]
    assert _types("اعترضت دورية جنوب مدينة غات ثلاث سيارات يستقلها خمسة مسلحين.") == ["attack"]


def test_a_boat_stopped_or_people_caught_crossing_are_a_smuggling_route_not_an_attack():
    assert _types("أوقف خفر السواحل زورقا قبالة سواحل مدينة زوارة فجر الأحد.") == ["smuggling_route"]
    assert _types("أوقفت الدورية عشرين شخصا بعدما تسللوا عبر الحدود قرب مدينة غات.") == ["smuggling_route"]
    # a crossing told before the arrest is another clause's: the arrest of a man stays an attack
    assert "attack" in _types("رصد الجيش مسلحين يحاولون التسلل عبر الحدود، وهو قائد سبق أن اعتقلته قوة في مدينة سبها.")


def test_control_taken_in_a_fight_is_an_attack_and_control_alone_a_presence():
    assert _types("أحكمت القوات قبضتها على مدينة مرزق مساء الأربعاء، إثر معارك ضارية مع مسلحين.") == ["attack"]
    assert _types("يحكم التنظيم قبضته على مدينة مرزق منذ أشهر.") == ["presence"]


def test_a_boat_packed_with_people_on_the_move_is_a_smuggling_route():
    assert _types("أرغم خفر السواحل زورق صيد يقل قرابة 90 شخصا على العودة إلى ميناء مدينة زوارة.") \
        == ["smuggling_route"]
    assert _types("أعادت البحرية سفينة الإمداد إلى ميناء مدينة زوارة.") == ["movement"]


def test_a_place_in_a_despite_clause_is_not_where_the_event_was():
    text = ("تدور اشتباكات بين قبيلتين في مدينة سبها.\n"
            "وتجدد القتال في المدينة بعد عام من الهدوء، على الرغم من اتفاق رعته إيطاليا في أبريل.")
    events = _events(text)
    assert {p.name for e in events for p in e.places} == {"سبها"}


def test_goods_confiscated_are_a_seizure():
    assert _types("صادرت الجمارك 300 كيلوغرام من الحشيش في ميناء مدينة زوارة.") == ["smuggling_route"]


@pytest.mark.parametrize("sentence", [
    "اتجه معظم فلول التنظيم إلى مدينة بني وليد.",
    "يتجه عناصر التنظيم إلى مدينة سرت.",
    "حشدت الحركة مئات المقاتلين إلى مدينة الكفرة.",
])
def test_heading_for_and_mustering_are_movements(sentence):
    assert _types(sentence) == ["movement"]


def test_a_word_that_only_begins_like_an_excluded_one_does_not_cancel_the_cue():
    # «نقل عن» (quoting) is no movement, but «عناصر» only begins like «عن»
    assert _types("يتحرك عناصر التنظيم إلى مدينة سرت.") == ["movement"]


def test_a_movement_that_is_banned_is_no_movement():
    text = "تعامل السلطات المنطقة الحدودية قرب مدينة غات كمنطقة عسكرية يحظر فيها تنقل الأشخاص."
    assert "movement" not in _types(text)


@pytest.mark.parametrize("sentence", [
    "أتلفت الجمارك المضبوطات في مدينة بنغازي بحضور عضو من النيابة العامة.",
    "وقال إن هذه الممارسات في مدينة سبها تؤجج الرأي العام.",
    "أقر ضابط في مدينة بنغازي بصحة مقاطع مصورة انتشرت على منصات التواصل.",
])
def test_attending_an_opinion_and_videos_spreading_are_no_presence(sentence):
    assert "presence" not in _types(sentence)


def test_slave_markets_where_migrants_are_sold_are_a_smuggling_route():
    assert _types("قال مسؤول أممي إن أسواقا للعبيد تنشط في مدينة سبها.") == ["smuggling_route"]


@pytest.mark.parametrize("sentence", [
    "وقع الهجوم بعد ساعات من اعتداء آخر طال مقر البعثة في مدينة غاو.",
    "اندلعت اشتباكات قرب معسكر الجوية في مدينة طرابلس.",
    "انسحب المسلحون باتجاه معاقل التنظيم في مدينة سرت.",
])
def test_a_base_that_is_the_target_or_the_landmark_of_another_event_is_no_base(sentence):
    assert "base" not in _types(sentence)


def test_a_base_set_up_is_still_a_base():
    assert _types("أقام التنظيم معسكرا جديدا قرب مدينة بني وليد.") == ["base"]


def test_shelling_feared_and_drones_listed_are_no_attack():
    assert "attack" not in _types("أغلقت المتاجر في مدينة طرابلس أبوابها خشية القذائف العشوائية.")
    assert "attack" not in _types("خرجت مسيرة سلمية في مدينة الزاوية للمطالبة بالأمن.")


def test_a_place_told_in_an_aside_between_the_subject_and_the_fighting_is_where_it_is():
    text = "تخوض وحدات من الجيش التشادي، دفع بها شمالا إلى منطقة تيبستي، معارك مع تشكيلات محلية."
    events = _events(text)
    assert [(e.type, [p.name for p in e.places]) for e in events] == [("attack", ["منطقة تيبستي"])]


@pytest.mark.parametrize(("text", "place"), [
    ("أصيب عشرة مدنيين بجروح إثر سقوط قذائف على حي في أجدابيا.", "أجدابيا"),
    ("أصيب ثلاثة من رجال الشرطة خلال مداهمة وكر للمهربين في سبها.", "سبها"),
], ids=["wounded-after-shelling", "wounded-during-raid"])
def test_an_attack_told_as_the_cause_of_wounds_is_the_event(text, place):
    # «إثر»/«خلال» before an attack word makes it background, unless the wounds it caused are the news
    events = events_of(text, [mention(text, place)])
    assert [e.type for e in events] == ["attack"]
    assert [c.kind for c in events[0].counts] == ["wounded"]


def test_an_attack_after_a_time_word_with_no_casualties_stays_background():
    text = "وصلت تعزيزات عسكرية إلى سبها بعد هجوم الأسبوع الماضي."
    events = events_of(text, [mention(text, "سبها")])
    assert [e.type for e in events] == ["movement"]


@pytest.mark.parametrize(("text", "event_types"), [
    ("دفع الجيش الوطني بتعزيزات عسكرية إلى مدينة سبها.", ["movement"]),
    ("دفع المهربون 5000 دينار لنقل الوقود من سبها.", ["smuggling_route"]),     # paid: no force sent
], ids=["push-reinforcements", "pay"])
def test_push_sends_a_force_only_with_one_after_it(text, event_types):
    events = events_of(text, [mention(text, "سبها")])
    assert [e.type for e in events] == event_types


def test_attacking_told_as_a_verbal_noun_is_an_attack():
    text = "اتهمت الحكومة المتمردين بمهاجمة سبها."
    assert [e.type for e in events_of(text, [mention(text, "سبها")])] == ["attack"]


def test_done_in_coordination_is_the_manner_of_the_act_not_an_act_of_its_own():
    assert _types("ونفذت الطائرات الأمريكية غارات على مواقع قرب سرت. وتمت العملية بالتنسيق مع حكومة "
                  "الوفاق في طرابلس.") == ["attack"]
    assert "other" in _types("وقال مسؤول إن التنسيق بين التنظيمين جرى في سرت لتبادل المقاتلين.")


@pytest.mark.parametrize("sentence", [
    "وقال الجيش إن الغارة استهدفت موقعا يتمركز فيه عناصر من تنظيم القاعدة في ضواحي مدينة أوباري.",
    "وقصف الطيران مواقع يتحصن فيها مسلحون قرب أوباري.",
])
def test_a_target_held_by_a_group_is_an_attack_and_their_presence(sentence):
    assert sorted(_types(sentence)) == ["attack", "presence"]


def test_an_attack_with_no_one_stationed_is_only_an_attack():
    assert _types("وقصف الطيران مواقع للمسلحين قرب أوباري.") == ["attack"]


def test_how_far_a_place_reaches_is_no_movement():
    assert _types("وينتشر المسلحون في المنطقة الممتدة من سرت وصولا إلى أجدابيا.") == ["presence"]
    assert _types("وانطلق رتل من سرت وصولا إلى أجدابيا.") == ["movement"]


def test_goods_named_after_the_participle_the_sentence_opens_on_are_what_moves():
    text = "قادمةً من مصر وفي طريقها إلى بنغازي، وقعت 20 ألف قرص مخدر في قبضة الشرطة."
    assert _types(text) == ["smuggling_route"]


def test_a_stronghold_is_where_a_group_holds_out_not_a_base_and_not_where_arms_head():
    assert _types("وقال المصدر إن الجنوب الليبي بات معقلا جديدا للتنظيم قرب مدينة سبها.") == ["presence"]
    assert "presence" not in _types("وكان المسلحون ينقلون أسلحة من سبها باتجاه معاقل التنظيم في مالي.")


def test_the_patrol_named_again_is_no_new_presence():
    assert _types("وقال المصدر إن الدورية كانت تضم 52 عسكريا قرب مدينة تيلابيري.") == []
    assert _types("وقال المصدر إن دوريات للجيش تجوب محيط مدينة تيلابيري.") == ["presence"]


def test_warned_against_moving_is_no_movement():
    assert _types("وحذر التنظيم عناصره من التحرك في أماكن مكشوفة حول سرت.") == []
    assert _types("وتحرك عناصر التنظيم من سرت نحو الجنوب.") == ["movement"]


def test_life_back_to_normal_is_no_return():
    assert _types("وعادت الحركة تدريجيا إلى طبيعتها في مدينة سبها.") == []
    assert _types("وعادت القوات إلى مواقعها في مدينة سبها.") == ["movement"]


def test_the_sentence_right_after_a_statement_goes_on_telling_it():
    text = ("وقال مصدر عسكري إن مسلحين هاجموا بوابة قرب سبها فجر الأحد. "
            "وانسحب المهاجمون بعد ذلك إلى أوباري.\n"
            "ويشهد الجنوب الليبي منذ سنوات فراغا أمنيا. وانتشرت قوات الجيش في الكفرة.")
    events = _events(text)
    speakers = {e.type + ":" + e.places[0].name: e.attribution.speaker for e in events if e.places}
    assert speakers["attack:سبها"] == speakers["movement:أوباري"] == "مصدر عسكري"
    assert speakers["presence:الكفرة"] == ""     # far from any statement: the outlet's own voice


@pytest.mark.parametrize("opening", ["وكانت قوات الجيش قد انتشرت", "وسبق أن انتشرت قوات الجيش", "ومنذ عام 2019 تنتشر قوات الجيش"])
def test_the_story_so_far_after_a_statement_is_the_outlets_own_voice(opening):
    text = f"وقال مصدر عسكري إن مسلحين هاجموا بوابة قرب سبها فجر الأحد. {opening} في الكفرة."
    events = _events(text)
    speakers = {e.type + ":" + e.places[0].name: e.attribution.speaker for e in events if e.places}
    assert speakers == {"attack:سبها": "مصدر عسكري", "presence:الكفرة": ""}


@pytest.mark.parametrize("sentence", [
    "وقال المتحدث إنه سيجري إنشاء معسكر جديد قرب مدينة سبها.",
    "وقال المتحدث إن الجيش يتأهب لنشر قوات في مدينة سبها.",
])
def test_what_is_yet_to_be_done_is_planned(sentence):
    events = _events(sentence)
    assert events and {e.modality for e in events} == {"planned"}


def _attack_dates(text: str) -> list[tuple]:
    events = extract_events(Article(id="t", text=text, published=dt.date(2024, 3, 7)))   # a Thursday
    return [(e.event_date, e.date_precision) for e in events if e.type == "attack" and not e.same_as]


def test_an_attack_takes_the_date_a_later_sentence_gives_it_by_name():
    text = ("هاجم مسلحون مركزا للشرطة في بلدة تراغن جنوب ليبيا.\n"
            "ووقع الهجوم بعد ظهر الثلاثاء، واستمر ساعتين.")
    assert _attack_dates(text) == [(dt.date(2024, 3, 5), "day")]


def test_a_date_of_what_came_after_the_attack_or_of_another_attack_is_not_taken():
    after = ("هاجم مسلحون مركزا للشرطة في بلدة تراغن جنوب ليبيا.\n"
             "وبعد الهجوم بيومين، الثلاثاء، زار الوزير البلدة.")
    assert _attack_dates(after) == [(dt.date(2024, 3, 7), "reported")]
    another = ("هاجم مسلحون مركزا للشرطة في بلدة تراغن جنوب ليبيا.\n"
               "وكان مسلحون قد هاجموا بوابة قرب مدينة مرزق، ووقع الهجوم الثلاثاء.")
    assert _attack_dates(another)[0] == (dt.date(2024, 3, 7), "reported")


def test_a_claim_told_by_a_correspondent_and_witnesses_together_was_seen():
    text = "وقال مراسل الوكالة وشهود عيان إن مواجهات عنيفة اندلعت في مدينة سبها فجر الأحد."
    events = _events(text)
    assert [e.modality for e in events] == ["observed"]
    # a housing office («إدارة الإسكان») is no resident
    text = "وقال مسؤول في إدارة الإسكان إن مواجهات عنيفة اندلعت في مدينة سبها فجر الأحد."
    events = _events(text)
    assert [e.modality for e in events] == ["reported"]


def test_a_speaker_named_later_in_the_claims_own_sentence_is_its_source():
    text = ("وفي تطور آخر، تعرضت أحياء في مدينة سبها لقصف عنيف ليل الاثنين، "
            "وقال سكان إنهم سمعوا انفجارات قوية.")
    (event,) = [e for e in _events(text)
                if e.type == "attack"]
    assert (event.attribution.speaker, event.modality) == ("سكان", "observed")


def test_the_first_speaker_going_on_in_the_same_sentence_is_no_second_speaker():
    text = ("نفى عميد البلدية، علي الطاهر، وجود أي تجمعات مسلحة في مدينة سبها، "
            "وقال في كلمة مصورة إن الأوضاع مستقرة.")
    events = _events(text)
    assert events and {e.attribution.speaker for e in events} == {"علي الطاهر"}


def test_a_denial_told_by_its_noun_names_the_denier():
    text = "نفى عميد البلدية علي الطاهر وجود مسلحين في مدينة سبها."
    events = _events(text)
    assert [(e.type, e.attribution.speaker, e.modality) for e in events] == [("presence", "علي الطاهر", "denied")]


@pytest.mark.parametrize("sentence, sub_type", [
    ("واستهدفت القوات بغارتين تجمعات المسلحين في مرزق.", "air/drone strike"),      # a dual: two strikes
    ("واندلعت اشتباكات بين مسلحين في مرزق.", "armed clash"),
])
def test_the_kind_of_attack_is_read_from_its_words(sentence, sub_type):
    events = _events(sentence)
    assert [(e.type, e.sub_type) for e in events] == [("attack", sub_type)]


@pytest.mark.parametrize("sentence", [
    "ونفذت العملية ضمن جهود تأمين الحدود ومكافحة التهريب في منطقة غات.",
    "وتعمل الدوريات على منع تهريب الوقود عبر منطقة غات.",
])
def test_fighting_or_preventing_smuggling_is_a_topic_not_a_route(sentence):
    events = _events(sentence)
    assert "smuggling_route" not in [e.type for e in events]


def test_qaraba_ma_is_nearly_not_a_boat():
    # «قارب ما» is the verb (it came close to), not a boat
    text = "وقارب ما استخرجه السودان من الذهب 105 أطنان خلال عام واحد."
    assert _types(text) == []
    assert _types("وغرق قارب يقل مهاجرين قبالة زوارة.") == ["smuggling_route"]


def test_a_migrant_shelter_is_no_base():
    assert _types("وأكد الجهاز خلو مقر الإيواء في طبرق من أي مهاجر مصري.") == []
    assert _types("وأنشأت الكتيبة مقرا جديدا في طبرق.") == ["base"]


def test_the_story_so_far_in_a_report_that_cites_an_outlet_is_asserted():
    text = ("وذكرت قناة «الوطنية» أن الهدوء عاد إلى مدينة سبها صباح اليوم.\n"
            "ويشهد الجنوب توترا منذ أشهر.\n"
            "وكانت مواجهات مسلحة قد اندلعت في مدينة أوباري مساء أول أمس.")
    events = _events(text)
    (attack,) = [e for e in events if e.type == "attack"]
    assert attack.modality == "asserted"


@pytest.mark.parametrize("sentence", [
    "ضبطت قوات الأمن 2.5 طن من القنب الهندي في مدينة الكفرة.",
    "ضبطت دورية كمية من الكوكايين والهيروين في مدينة زوارة.",
    "صادرت الجمارك شحنة من الخمور والمؤثرات العقلية في مدينة طبرق.",
])
def test_seizures_of_other_drugs_are_a_smuggling_route(sentence):
    assert _types(sentence) == ["smuggling_route"]


def test_the_place_of_an_attack_told_before_is_no_attack_of_its_own():
    text = "قتل 12 جنديا في هجوم على قاعدة قرب مدينة سبها.\nويقع مكان الهجوم قرب مدينة أوباري."
    events = _events(text)
    assert [e.type for e in events if not e.same_as] == ["attack"]


def test_a_state_of_things_for_years_is_the_outlets_background_not_the_last_speakers():
    text = ("وقال المتحدث باسم خفر السواحل إن دورية أنقذت 90 مهاجرا قبالة مدينة زوارة.\n"
            "ويتسلل آلاف المهاجرين منذ سنوات عبر الحدود الجنوبية نحو مدينة سبها.")
    events = [e for e in _events(text) if not e.same_as]
    assert [(e.type, e.modality) for e in events] == [("smuggling_route", "reported"), ("smuggling_route", "asserted")]


@pytest.mark.parametrize("sentence", [
    "يتخذ التنظيم من وديان جبال مدينة سرت مواقع له.",
    "أعاد التنظيم ترتيب صفوفه في الصحراء جنوب مدينة سرت.",
    "اختبأ قادة التنظيم في مزارع قرب مدينة بني وليد.",
])
def test_hiding_regrouping_and_positions_taken_are_presence(sentence):
    assert _types(sentence) == ["presence"]


@pytest.mark.parametrize("sentence", [
    "وتعرض رتل للجيش لكمين قرب مدينة أوباري.",
    "وتعرضت دورية لهجوم قرب مدينة أوباري.",
    "أحرق مسلحون قرية قرب مدينة أوباري.",
])
def test_an_attack_suffered_after_and_or_a_village_burned_is_an_attack(sentence):
    assert _types(sentence) == ["attack"]


def test_the_scene_of_an_attack_told_before_with_and_is_no_attack_of_its_own():
    text = "قتل 12 جنديا في هجوم على قاعدة قرب مدينة سبها.\nومسرح الهجوم بلدة قرب مدينة أوباري."
    events = _events(text)
    assert [e.type for e in events if not e.same_as] == ["attack"]


def test_a_second_speaker_after_a_time_aside_mid_sentence_speaks_for_what_follows_only():
    text = ("وفي 20 يونيو الماضي، قتل مسلحون 71 مدنيا في قرية قرب مدينة سبها، وقبل ذلك، في مارس الماضي، "
            "أعلنت وزارة الداخلية أن مسلحين قتلوا 44 مدنيا في مسجد قرب مدينة أوباري.")
    attacks = [e for e in _events(text) if not e.same_as]
    said = {e.places[0].name: e.attribution.speaker for e in attacks}
    assert said["أوباري"] == "وزارة الداخلية"


def test_holding_the_reins_is_presence_and_repelling_attackers_an_attack():
    assert _types("ظل عناصر التنظيم ممسكين بزمام بلدة قرب مدينة سرت ساعات.") == ["presence"]
    assert _types("دحرت قوة الحماية المهاجمين قرب مدينة بني وليد.") == ["attack"]


def test_irregular_migration_without_the_article_is_a_smuggling_route():
    assert _types("أحبطت البحرية محاولة هجرة غير شرعية قبالة مدينة زوارة.") == ["smuggling_route"]


def test_a_report_refuted_is_a_denied_claim():
    (event,) = [e for e in _events("ودحضت الكتيبة الأنباء التي تحدثت عن دخول مسلحين إلى مدينة سبها.") if not e.same_as]
    assert event.denied and event.attribution.speaker == "الكتيبة"


@pytest.mark.parametrize(("sentence", "killed"), [
    ("أعلن الجيش المالي تحييد 20 إرهابيا في عملية جوية قرب ميناكا.", (20, 20)),
    ("وأكدت الوزارة تحييد نحو خمسة إرهابيين قرب ميناكا.", (5, 5)),
    ("وأعلنت هيئة الأركان تحييد عشرات المسلحين قرب ميناكا.", (20, 99)),
], ids=["digits", "about-a-word", "dozens"])
def test_neutralising_a_number_is_an_attack_that_killed_them(sentence, killed):
    events = _events(sentence)
    assert [e.type for e in events] == ["attack"]
    assert [(c.kind, c.low, c.high) for c in events[0].counts] == [("killed", *killed)]
    assert events[0].attribution.source_type == "organisation statement"


def test_neutralising_a_facility_is_keeping_it_out_of_the_conflict():
    assert _types("دعا المجلس إلى تحييد المنشآت النفطية في راس لانوف عن الصراع.") == []


@pytest.mark.parametrize(("sentence", "roles"), [
    ("وصل عدد من المسلحين إلى سبها.", [("destination", "سبها")]),
    ("انسحب عدد من عناصر التنظيم إلى وادي زمزم.", [("destination", "وادي زمزم")]),
    ("وصل رتل مكون من نحو 60 آلية إلى مدينة سرت قادما من مصراتة.", [("destination", "سرت"), ("origin", "مصراتة")]),
    ("وانسحبت القوات منها باتجاه مدينة ترهونة.", [("destination", "ترهونة")]),
], ids=["some-of-them-to", "some-of-a-group-to", "made-up-of-to", "from-it-toward"])
def test_the_nearest_of_from_and_to_gives_a_place_its_role(sentence, roles):
    # «من» inside «عدد من المسلحين» is no origin: the direction word nearest the place decides
    events = _events(sentence)
    assert [e.type for e in events] == ["movement"]
    assert [(p.role, p.name) for p in events[0].places] == roles


@pytest.mark.parametrize(("sentence", "modality"), [
    ("تم توقيف 14 شخصا في مزرعة بضواحي زوارة كانوا يستعدون للهجرة نحو إيطاليا.", "asserted"),
    ("اعتقلت قوات الأمن في سبها ثلاثة أشخاص كانوا يعتزمون تنفيذ هجوم على مقر الشرطة.", "asserted"),
    ("أحبطت قوات الأمن في سبها هجوما كان يستهدف مقر الشرطة.", "attempted"),
    ("قالت الشرطة إن مسلحين في سبها كانوا يعتزمون تنفيذ هجوم على مقرها.", "planned"),
], ids=["arrested-who-were-preparing", "arrested-who-intended", "foiled", "intended-no-arrest"])
def test_what_those_arrested_meant_to_do_is_no_plan_of_the_arrest(sentence, modality):
    events = _events(sentence)
    assert [e.modality for e in events] == [modality]


@pytest.mark.parametrize(("sentence", "roles"), [
    ("ودخلت قوات الجيش مدينة سبها صباح اليوم.", [("destination", "سبها")]),
    ("تمكنت القوات من دخول مدينة سرت.", [("destination", "سرت")]),
    # on a journey from somewhere, a land entered on the way is a way through, as before
    ("تسللت المجموعة من النيجر ودخلت ليبيا عبر ممر السلفادور قبل أن تتجه نحو غات.",
     [("origin", "النيجر"), ("via", "ليبيا"), ("via", "ممر السلفادور"), ("destination", "غات")]),
], ids=["entered-the-city", "managed-to-enter", "entered-on-the-way"])
def test_a_place_entered_is_where_they_went(sentence, roles):
    events = _events(sentence)
    assert [e.type for e in events] == ["movement"]
    assert [(p.role, p.name) for p in events[0].places] == roles


@pytest.mark.parametrize("sentence", [
    "وتبادلت الدورية إطلاق النار مع مسلحين قرب سبها.",
    "تبادلوا النار مع مجموعة مسلحة في أوباري.",
    "تبادلت قوات خفر السواحل النار مع عصابة مهربين قبالة زوارة، ولم يصب أحد بأذى.",
], ids=["exchanged-shooting", "exchanged-fire", "subject-between"])
def test_an_exchange_of_fire_is_an_attack(sentence):
    assert _types(sentence) == ["attack"]


@pytest.mark.parametrize(("sentence", "types"), [
    ("وقد بلغت حصيلة الهجمات في العام الماضي نحو 4 آلاف قتيل في بوركينا فاسو ومالي والنيجر.", []),
    ("وأودت الهجمات منذ عام 2015 بحياة الآلاف في مالي.", []),
    ("شن مسلحون هجمات على ثلاث قرى في منطقة تيلابيري في عام 2021.", ["attack"]),
    ("وتسببت الهجمات على قرى قرب ميناكا الأسبوع الماضي في مقتل 20 مدنيا.", ["attack"]),
], ids=["a-years-toll", "since-a-year", "attacks-in-a-year", "attacks-last-week"])
def test_a_tally_of_attacks_over_a_period_is_no_event(sentence, types):
    assert _types(sentence) == types


def test_support_given_is_no_advance():
    assert _types("وعجزت القوات عن لجم العنف رغم الدعم الذي تقدمه فرنسا في مالي.") == []
    assert _types("وتقدمت القوات نحو سرت.") == ["movement"]


def test_a_years_tally_gives_its_dead_to_no_attack():
    text = ("قتل أربعة جنود في كمين قرب ميناكا. وقد بلغت حصيلة الهجمات في العام الماضي نحو 4 آلاف قتيل "
            "في مالي والنيجر.")
    events = _events(text)
    assert [(e.type, [(c.kind, c.low) for c in e.counts]) for e in events] == [("attack", [("killed", 4)])]


@pytest.mark.parametrize(("sentence", "event_type", "modality"), [
    ("وصل مسلحون إلى تيلابيري لتنفيذ هجوم على ثكنة.", "movement", "asserted"),
    ("تسلل مسلحون من مالي إلى النيجر ليشنوا هجمات على مواقع الجيش.", "movement", "asserted"),
], ids=["came-to-carry-out", "crossed-to-launch"])
def test_the_purpose_of_a_movement_is_neither_its_type_nor_its_modality(sentence, event_type, modality):
    events = _events(sentence)
    assert [(e.type, e.modality) for e in events] == [(event_type, modality)]


def test_crossing_a_border_back_and_forth_is_a_movement_not_a_presence():
    assert _types("وأضاف أن المجموعات المسلحة تعبر الحدود ذهابا وإيابا لتنفذ هجماتها في بوركينا فاسو والنيجر.") \
        == ["movement"]
    assert _types("تتجول عناصر مسلحة في مدينة سبها.") == ["presence"]


def test_a_seizure_told_at_a_town_and_near_it_is_one_claim():
    # the headline's place is a way through («قرب زوارة»), the body's where it happened («في زوارة»)
    text = "ضبط شاحنة وقود مهرب قرب زوارة\nوضبطت دورية أمنية في زوارة شاحنة محملة بالوقود المهرب."
    events = _events(text)
    shown = [e for e in events if not e.same_as]
    assert [e.type for e in shown] == ["smuggling_route"]


def test_what_can_be_done_somewhere_and_a_means_of_transport_are_no_events():
    assert _types("فالدواب وسيلة نقل شائعة في صحراء غات، إذ يسهل هناك اعتراض السيارات والآليات.") == []
    assert _types("اعترضت الدوريات السيارات والآليات في صحراء غات.") == ["attack"]


def test_the_same_load_told_twice_with_more_places_once_is_one_claim():
    text = ("17 طنا من الحشيش القادم من لبنان في مستودعات نيامي كانت في طريقها إلى ليبيا\n"
            "قالت إدارة مكافحة المخدرات إن الشرطة ضبطت شحنة من الحشيش تزن 17 طنا جاءت من لبنان وكانت وجهتها ليبيا.")
    events = _events(text)
    shown = [e for e in events if not e.same_as]
    assert [e.type for e in shown] == ["smuggling_route"]
    # the same load seized at two places the tellings do not share stays two claims
    text = "ضبطت الجمارك 3 أطنان من الحشيش في ميناء طرابلس. وضبطت دورية 3 أطنان من الحشيش قرب طبرق."
    events = _events(text)
    assert len([e for e in events if not e.same_as]) == 2


@pytest.mark.parametrize(("sentence", "event_type", "modality", "roles"), [
    ("شهدت بلدة كوري بوغري هجوما شنه متمردون.", "attack", "asserted", [("location", "كوري بوغري")]),
    ("وصل مسلحون جاؤوا من النيجر إلى القطرون.", "movement", "asserted",
     [("origin", "النيجر"), ("destination", "القطرون")]),
    ("كانت القافلة تقطع الصحراء قاصدة مدينة سبها.", "movement", "asserted", [("destination", "سبها")]),
], ids=["a-town-saw-it", "came-from", "heading-for"])
def test_a_town_that_saw_an_attack_is_no_witness_and_heading_for_a_place_is_going_there(
        sentence, event_type, modality, roles):
    events = _events(sentence)
    assert [(e.type, e.modality, [(p.role, p.name) for p in e.places]) for e in events] == \
        [(event_type, modality, roles)]


def test_controlling_a_road_is_being_there_and_a_control_room_is_nothing():
    assert _types("تتحكم جماعة مسلحة في الطريق بين سبها وأوباري.") == ["presence"]
    assert _types("وأغلقت غرفة التحكم في حقل الشرارة.") == []


def test_where_goods_were_seized_after_the_from_of_the_goods_is_where():
    events = _events("ضبطت الجمارك نحو طنين من الحشيش في ميناء مصراتة.")
    assert [(p.role, p.name) for p in events[0].places] == [("location", "ميناء مصراتة")]


@pytest.mark.parametrize(("sentence", "types"), [
    ("حجزت القوات ما يزيد على 2000 قطعة من الذخيرة قرب أوباري.", ["smuggling_route"]),
    ("تم العثور على 10 آلاف لتر من الوقود مخبأة في مزرعة قرب زوارة.", ["smuggling_route"]),
    ("عثر السكان على جثة قرب سبها.", []),
    ("تظهر المقاطع العثور على سجن سري في الكفرة كان يحتجز فيه مهاجرون.", []),
    ("شنت القوات عملية تمشيط قرب جانت عثرت خلالها على قطعتي سلاح.", ["attack"]),
], ids=["impounded-ammunition", "fuel-found", "a-body-found", "a-prison-found", "spoils-of-a-sweep"])
def test_goods_impounded_or_found_are_a_smuggling_route(sentence, types):
    assert _types(sentence) == types


@pytest.mark.parametrize(("sentence", "types"), [
    ("ضبطت مصالح الأمن 20 ألف لتر من مادة مجهولة كانت موجهة إلى مالي عبر برج باجي مختار.", ["smuggling_route"]),
    ("حجزت وحدات الجيش نحو 300 كيلوغرام من مادة بيضاء قرب تمنراست.", ["smuggling_route"]),
    ("حجزت الجمارك 5 أطنان من الدقيق المدعم بمعبر الذهيبة.", ["smuggling_route"]),
    ("أوقفت الشرطة شاحنة محملة بكوابل النحاس في طريقها إلى مصراتة.", ["smuggling_route"]),
    ("اعتقلت قوة أمنية ثلاثة مطلوبين في حي الأندلس بطرابلس.", ["attack"]),
], ids=["litres-of-anything", "kilograms-of-anything", "subsidised-flour", "copper-cable", "people-arrested"])
def test_goods_measured_or_named_make_a_seizure_a_smuggling_route(sentence, types):
    # a quantity by weight or volume is goods whatever they are called; people seized stay an arrest
    assert _types(sentence) == types


@pytest.mark.parametrize(("sentence", "types"), [
    ("وكان قتال عنيف قد اندلع مساء الأحد جنوب مدينة الكفرة.", ["attack"]),
    ("ودار قتال ضار بين الجيش والمتمردين قرب الكفرة.", ["attack"]),
    ("ويرى الخبير العميد محمد الرجباني أن المواجهات بين الجيش والمعارضة في الكفرة متكررة.", []),
    ("ويرى الباحث أن وجود الجماعة في فزان لا يزال لوجستيا.", ["presence"]),
], ids=["fierce-fighting", "fighting-raged", "an-analysts-view", "an-analysts-presence"])
def test_fighting_is_an_attack_and_an_analysts_view_of_fighting_is_none(sentence, types):
    assert _types(sentence) == types


@pytest.mark.parametrize(("sentence", "types"), [
    ("وضعت الوحدات العسكرية في منطقة تطاوين يدها على سيارة مشبوهة تنقل مصوغا.", ["smuggling_route"]),
    ("وقال مصدر طبي إن المرافق الصحية في مصراتة دخلت حالة الطوارئ.", []),
], ids=["laid-hands-on", "entered-a-state"])
def test_laying_hands_on_goods_is_a_seizure_and_entering_a_state_is_no_movement(sentence, types):
    assert _types(sentence) == types


def test_a_group_that_claims_an_attack_is_its_source():
    events = _events("تبنى تنظيم داعش هجوما انتحاريا على مجمع المحاكم في مدينة مصراتة.")
    assert [(e.type, e.attribution.speaker) for e in events] == [("attack", "تنظيم داعش")]


def test_the_seat_of_a_government_or_a_mission_is_no_base():
    assert _types("وتضم طرابلس مقر رئيس الوزراء فائز السراج وحكومته.") == []
    assert _types("أنشأ التنظيم مقرا لقيادته في جبال الهروج.") == ["base"]


def test_casualties_taken_to_hospital_are_no_movement_and_a_search_tells_through_its_authority():
    assert _types("ونقلت سيارة إسعاف المصابين ثم سلما إلى الحماية المدنية التي أوصلتهما إلى المستشفى "
                  "الجهوي ببن قردان.") == []
    events = _events("وكشف تفتيش السيارة، حسب الوزارة، أنها مستعملة في التهريب قرب بن قردان.")
    assert [e.attribution.speaker for e in events] == ["الوزارة"]


def test_taking_over_ground_is_a_presence_and_taking_a_vehicle_is_not():
    assert _types("استحوذت مليشيا الدعم السريع في أكتوبر الماضي على مناجم الذهب في منطقة المثلث الحدودي.") \
        == ["presence"]
    assert _types("وأضافت الوزارة أن المهاجمين استحوذوا كذلك على مركبة قرب بيلما.") == []


@pytest.mark.parametrize("sentence", [
    "وأضاف أن 15 سيارة آتية من ليبيا دمرتها القوات الجوية بينما كانت تحاول اختراق الحدود قرب السلوم.",
    "قصفت الطائرات مواقع كان المسلحون يستعدون فيها لشن هجوم قرب سرت.",
], ids=["destroyed-while-trying", "struck-where-they-were-preparing"])
def test_what_the_targets_were_attempting_is_no_modality_of_the_strike(sentence):
    events = _events(sentence)
    assert [(e.type, e.modality) for e in events] == [("attack", "asserted")]
