"""The seed report through the real geoparser and event extraction: every claim it carries, each with its source.

The report lives outside the repository (../shared/seeds); its sentences are not copied here,
so each event is found by what it is: type, places, source and actors.
"""

import datetime as dt
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point

from geo.events.extract import extract_events
from geo.models import Article

SEED = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "000_d5b969f8fb028db7.txt"
BANI_WALID, SIRTE, LIBYA, EUROPE, GMMR = "gn:2218840", "gn:2210554", "cc:LY", "ct:europe", "ly:gmmr"


@pytest.fixture(scope="module")
def events():
    article = Article(id="seed", text=SEED.read_text(encoding="utf-8"), outlet="بوابة الوسط",
                      published=dt.date(2017, 2, 4))
    return extract_events(article)


def find(events, kind, *, source=None, speaker=None, roles=None, actors=()):
    """The events of type ``kind`` with that source, speaker, these (role, place-id prefix) and actors."""
    out = []
    for e in events:
        if e.type != kind or (source and e.attribution.source_type != source):
            continue
        if speaker and speaker not in e.attribution.speaker:
            continue
        places = {(p.role, p.place_id or "") for p in e.places}
        if roles and not all(any(r == role and pid.startswith(prefix) for r, pid in places) for role, prefix in roles):
            continue
        if not set(actors) <= set(e.actors):
            continue
        out.append(e)
    return out


def one(events, kind, **kw):
    found = find(events, kind, **kw)
    assert found, f"no {kind} event with {kw}; got " + "; ".join(
        f"{e.type}/{e.attribution.source_type}/{e.attribution.speaker}/{[(p.role, p.place_id) for p in e.places]}"
        for e in events)
    return found[0]


def test_regrouping_in_the_south(events):
    e = one(events, "presence", source="named official", speaker="مهدي البرغثي", roles=[("location", LIBYA)],
            actors=["isis"])
    assert e.places[0].qualifier == "part_of" and e.geo_precision == 3
    assert "ديلي تلغراف" in e.attribution.cited_outlet
    assert e.event_date == dt.date(2017, 2, 2)  # the day the interview was published


def test_the_two_groups_cooperate(events):
    one(events, "other", speaker="مهدي البرغثي", actors=["isis", "al-qaeda"])


def test_remnants_fled_sirte_led_by_belmokhtar(events):
    e = one(events, "movement", speaker="مهدي البرغثي", roles=[("origin", SIRTE)], actors=["isis"])
    assert "mokhtar-belmokhtar" in e.actors
    assert isinstance(e.geometry, (LineString, Point)) or e.geometry is not None


def test_rough_roads_south_of_bani_walid(events):
    e = one(events, "movement", speaker="مهدي البرغثي", roles=[("via", BANI_WALID)])
    assert e.places[0].qualifier == "south_of"


def test_dealing_with_people_smugglers(events):
    one(events, "smuggling_route", speaker="مهدي البرغثي", actors=["smugglers"])


def test_special_operations_base_near_bani_walid(events):
    e = one(events, "base", speaker="مهدي البرغثي", roles=[("location", BANI_WALID)])
    assert e.actors[0] == "gna" and isinstance(e.geometry, Point) and e.geo_precision == 2


def test_seven_hundred_fighters_south_of_bani_walid(events):
    e = one(events, "presence", source="organisation statement", roles=[("location", BANI_WALID)], actors=["isis"])
    assert e.attribution.speaker == "المخابرات العسكرية الليبية"
    assert "ديلي تلغراف" in e.attribution.cited_outlet
    assert e.places[0].qualifier == "south_of"


def test_migration_to_europe_and_gold(events):
    e = one(events, "smuggling_route", source="organisation statement", roles=[("destination", EUROPE)])
    assert isinstance(e.geometry, LineString)


def test_along_the_great_man_made_river(events):
    e = one(events, "movement", source="named official", speaker="وحيد الزوي", roles=[("via", GMMR)],
            actors=["isis"])
    assert "shuhada-al-zawiya" not in e.actors  # his battalion is the source, not the actor
    assert isinstance(e.geometry, LineString) and e.geo_precision == 2


def test_water_cut_in_the_pipes(events):
    # An unnamed government source the paper quotes: the claim rests on the paper (source type "outlet").
    e = one(events, "movement", speaker="مصدر بحكومة الوفاق الوطني", roles=[("via", GMMR)], actors=["isis"])
    assert e.attribution.source_type == "outlet" and "ديلي تلغراف" in e.attribution.cited_outlet


def test_leaders_seen_in_bani_walid_after_sirte(events):
    e = one(events, "movement", source="witnesses/residents",
            roles=[("origin", SIRTE), ("destination", BANI_WALID)], actors=["isis"])
    assert isinstance(e.geometry, LineString)


def test_french_strike_in_east_libya(events):
    e = one(events, "attack", roles=[("location", LIBYA)], actors=["france"])
    assert (e.event_date.year, e.date_precision) == (2016, "year")
    assert e.places[0].qualifier == "part_of"
    # Every attack in the report is that one: the planned attacks and the verbal one are not events.
    assert [x for x in events if x.type == "attack"] == [e]


def test_every_quote_is_a_span_of_the_text(events):
    text = SEED.read_text(encoding="utf-8")
    assert events and all(text[e.quote_start:e.quote_end] == e.quote for e in events)
