import pytest
from geopy.exc import GeocoderQueryError, GeocoderUnavailable
from geopy.location import Location

from geo.errors import InputError
from geo.places.gazetteer import GazetteerGeocoder, load_gazetteer


@pytest.fixture(scope="module")
def geocoder(small_gazetteer):
    return GazetteerGeocoder(small_gazetteer)


@pytest.mark.parametrize("query, place_id", [
    ("بني وليد", "gn:2210554"), ("Bani Waleed", "gn:2210554"), ("beni ulid", "gn:2210554"),
    ("بَنِي وَلِيد", "gn:2210554"), ("الكفرة", "gn:2216645"),
], ids=["arabic", "latin-variant", "latin-lowercase", "diacritics", "alias"])
def test_geocode_variants(geocoder, query, place_id):
    loc = geocoder.geocode(query)
    assert isinstance(loc, Location) and loc.raw["id"] == place_id


def test_geocode_homonyms_list(geocoder):
    locs = geocoder.geocode("طرابلس", exactly_one=False)
    assert {l.raw["country"] for l in locs} == {"LY", "LB"}
    assert locs[0].raw["country"] == "LY"  # the larger city first


def test_geocode_nothing_is_none_not_empty_list(geocoder):
    assert geocoder.geocode("لا يوجد مكان بهذا الاسم", exactly_one=False) is None


@pytest.mark.parametrize("query", ["", "   ", None, 42], ids=["empty", "blank", "none", "int"])
def test_geocode_bad_query(geocoder, query):
    with pytest.raises(GeocoderQueryError):
        geocoder.geocode(query)


def test_reverse_finds_nearest(geocoder):
    loc = geocoder.reverse((31.70, 14.0))
    assert loc.raw["id"] == "gn:2210554" and loc.raw["distance_km"] < 10


def test_reverse_bad_query(geocoder):
    with pytest.raises(GeocoderQueryError):
        geocoder.reverse((95, 0))


def test_geocoder_never_uses_the_network(geocoder):
    with pytest.raises(GeocoderUnavailable):
        geocoder.adapter.get_json("http://127.0.0.1:9/", timeout=1, headers={})


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no gazetteer file"):
        load_gazetteer(tmp_path / "nope.geojson")


def test_search_orders_exact_before_prefix(small_gazetteer):
    assert small_gazetteer.search("سرت")[0].id == "gn:2210560"
    with pytest.raises(InputError):
        small_gazetteer.search("")
