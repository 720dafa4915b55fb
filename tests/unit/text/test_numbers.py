"""Arabic numbers as reports write them, in our own phrases."""

import pytest

from geo.text.normalize import normalize
from geo.text.numbers import find_quantities


def _q(text: str) -> list[tuple]:
    normalized = normalize(text)
    return [(q.low, q.high, q.qualifier, normalized[q.start:q.end]) for q in find_quantities(normalized)]


@pytest.mark.parametrize("text, low, high, qualifier", [
    ("قتل 18 شخصا", 18, 18, "exact"),
    ("قتل ١٨ شخصا", 18, 18, "exact"),                 # Arabic-Indic digits
    ("نحو 700 من العناصر", 700, 700, "about"),
    ("قرابة 40 آلية", 40, 40, "about"),
    ("حوالي 2.5 طن", 2.5, 2.5, "about"),
    ("أكثر من 30 مهاجرا", 31, None, "more than"),
    ("ما لا يقل عن 12 جنديا", 12, None, "at least"),
    ("أقل من 10 عناصر", 0, 9, "less than"),
    ("ضبط 3 آلاف لتر", 3000, 3000, "exact"),
    ("ضبط 1,200 قرص", 1200, 1200, "exact"),
    ("خمسة من قيادات التنظيم", 5, 5, "exact"),
    ("ثلاث سيارات", 3, 3, "exact"),
    ("أحد عشر مقاتلا", 11, 11, "exact"),
    ("خمسة عشر مهاجرا", 15, 15, "exact"),
    ("خمسة وعشرين عنصرا", 25, 25, "exact"),
    ("مئة وخمسون مهاجرا", 150, 150, "exact"),
    ("ثلاثمئة عنصر", 300, 300, "exact"),
    ("خمسة آلاف لتر", 5000, 5000, "exact"),
    ("ألف مقاتل", 1000, 1000, "exact"),
    ("عشرات المهاجرين", 20, 99, "vague"),
    ("فقدان العشرات", 20, 99, "vague"),
    ("مئات العناصر", 200, 999, "vague"),
    ("عشرات الآلاف من الأقراص", 20_000, 99_000, "vague"),
    ("بضعة مسلحين", 3, 9, "vague"),
    ("بين 10 و15 قتيلا", 10, 15, "range"),
    ("من 10 إلى 15 مسلحا", 10, 15, "range"),
    ("10-15 آلية", 10, 15, "range"),
])
def test_each_number_form(text, low, high, qualifier):
    found = _q(text)
    assert [(f[0], f[1], f[2]) for f in found] == [(low, high, qualifier)], found


def test_the_hedge_is_part_of_the_span_and_two_counts_stay_apart():
    assert _q("مقتل نحو 20 وإصابة 35 آخرين") == [(20, 20, "about", "نحو 20"), (35, 35, "exact", "35")]


def test_words_that_are_not_numbers_give_nothing():
    assert _q("قال مصدر إن القوات انسحبت من المدينة") == []


@pytest.mark.parametrize("text, low, high, qualifier", [
    ("خمسين شخصا على الأقل", 50, None, "at least"),      # the hedge after the noun
    ("نحو 200 مهاجر تقريبا", 200, 200, "about"),
    ("200 مهاجر تقريبا", 200, 200, "about"),
    ("ما معدله 60 ألف مهاجر", 60_000, 60_000, "about"),
    ("30 ألفا و990 مهاجرا", 30_990, 30_990, "exact"),
    ("4 ملايين و250 ألفا و75 قرصا", 4_250_075, 4_250_075, "exact"),   # millions, thousands, units
    ("مليونين و300 ألف لتر", 2_300_000, 2_300_000, "exact"),
    ("نحو ألفي شخص", 2000, 2000, "about"),        # the construct dual: «ألفي» before its noun
    ("مليوني لتر من الوقود", 2_000_000, 2_000_000, "exact"),
])
def test_hedges_after_and_compound_thousands(text, low, high, qualifier):
    assert [(f[0], f[1], f[2]) for f in _q(text)] == [(low, high, qualifier)]
