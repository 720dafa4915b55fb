import pickle

import pytest

from geo.places.matcher import PlaceMatcher

NAMES = [("بني وليد", "bw"), ("سرت", "sirte"), ("طرابلس", "tripoli"), ("ليبيا", "libya"),
         ("الكفرة", "kufra"), ("قطرون", "qatrun"), ("Bani Walid", "bw"), ("بني", "bani-village")]


@pytest.fixture(scope="module")
def matcher():
    return PlaceMatcher.from_names(NAMES, blockers=["القاعدة", "ديلي تلغراف"])


@pytest.mark.parametrize("text, surfaces", [
    ("وبني وليد", ["بني وليد"]),
    ("بسرت", ["سرت"]),
    ("لليبيا", ["ليبيا"]),
    ("والكفرة", ["الكفرة"]),
    ("بالكفرة", ["الكفرة"]),
    ("للكفرة", ["لكفرة"]),
    ("فبطرابلس", ["طرابلس"]),
    ("القطرون", ["القطرون"]),
    ("وبالقطرون", ["القطرون"]),
    ("سرتها", []),
    ("أسرت", []),
    ("مسرت", []),
    ("كفرة", []),
    ("near Bani Walid.", ["Bani Walid"]),
    ("xBani Walid", []),
    ("Bani Walids", []),
    ("من سرت إلى بني وليد", ["سرت", "بني وليد"]),
], ids=["waw", "ba", "lam", "waw-article", "ba-article", "lam-lam-article", "fa-ba",
        "article-added", "waw-ba-article-added", "suffix-refused", "verb-refused", "mim-refused",
        "article-name-bare-refused", "latin", "latin-glued", "latin-plural", "two-names"])
def test_clitic_boundaries(matcher, text, surfaces):
    assert [m.surface for m in matcher.find(text)] == surfaces


def test_longest_match_wins(matcher):
    (m,) = matcher.find("في بني وليد")
    assert m.candidates == ("bw",)


def test_blocker_hides_names_and_is_not_reported():
    pm = PlaceMatcher.from_names([("الزاوية", "zawiya")], blockers=["شهداء الزاوية"])
    assert pm.find("كتيبة شهداء الزاوية") == []
    assert [m.surface for m in pm.find("مدينة الزاوية")] == ["الزاوية"]


def test_offsets_point_at_diacritised_original(matcher):
    text = "فرّوا من سِرْتَ إلى بَنِي وَلِيدٍ"
    found = matcher.find(text)
    assert [text[m.start:m.end] for m in found] == ["سِرْتَ", "بَنِي وَلِيدٍ"]


def test_homonyms_keep_every_candidate():
    pm = PlaceMatcher.from_names([("طرابلس", "gn:ly"), ("طرابلس", "gn:lb")])
    (m,) = pm.find("طرابلس")
    assert set(m.candidates) == {"gn:ly", "gn:lb"}


def test_automaton_pickles(matcher):
    clone = pickle.loads(pickle.dumps(matcher))
    assert [m.surface for m in clone.find("بسرت")] == ["سرت"]
