"""Dates said in report text: years, months, days, weekdays, yesterday."""

import datetime as dt

import pytest

from geo.text.dates import find_dates, find_report_date, last_weekday, resolve_date
from geo.errors import InputError
from geo.text.normalize import normalize

PUBLISHED = dt.date(2017, 2, 4)  # a Saturday


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("قتل العام 2016 في غارة", dt.date(2016, 1, 1), "year"),
        ("وقع ذلك عام 2019", dt.date(2019, 1, 1), "year"),
        ("في 15 مارس 2016 هاجم مسلحون", dt.date(2016, 3, 15), "day"),
        ("في شهر يناير من عام 2017", dt.date(2017, 1, 1), "month"),
        ("منذ جوان 2021", dt.date(2021, 6, 1), "month"),
        ("في ١٢ أكتوبر ٢٠٢٣", dt.date(2023, 10, 12), "day"),
        ("في تصريحات نشرت الخميس", dt.date(2017, 2, 2), "day"),
        ("وصلوا يوم السبت", dt.date(2017, 2, 4), "day"),
        ("انسحبوا أمس", dt.date(2017, 2, 3), "day"),
    ],
    ids=["year-alaam", "year-aam", "day-month-year", "month-of-year", "maghreb-month", "arabic-digits",
         "weekday-before", "weekday-same-day", "yesterday"],
)
def test_find_dates(text, date, precision):
    found = find_dates(normalize(text), published=PUBLISHED)
    assert [(d.date, d.precision) for d in found][:1] == [(date, precision)]


@pytest.mark.parametrize(
    "text",
    ["بلغ عدد المقاتلين 2000 مقاتل", "يوم خميس", "الخميسي قال"],
    ids=["number-not-year", "indefinite-weekday", "weekday-inside-word"],
)
def test_no_date(text):
    assert find_dates(normalize(text), published=PUBLISHED) == []


def test_weekdays_need_a_publication_date():
    assert find_dates(normalize("نشرت الخميس"), published=None) == []


@pytest.mark.parametrize(
    ("weekday", "expected"),
    [(5, dt.date(2017, 2, 4)), (3, dt.date(2017, 2, 2)), (6, dt.date(2017, 1, 29))],
    ids=["same-day", "two-days-back", "six-days-back"],
)
def test_last_weekday(weekday, expected):
    assert last_weekday(PUBLISHED, weekday) == expected


def test_last_weekday_rejects_bad_day():
    with pytest.raises(InputError, match="weekday"):
        last_weekday(PUBLISHED, 7)


def test_resolve_date_prefers_the_span_then_the_report_date_then_publication():
    norm = normalize("في تصريحات نشرت الخميس. قتل العام 2016 في غارة. وانتشروا في الجنوب.")
    dates = find_dates(norm, published=PUBLISHED)
    report = find_report_date(norm, dates)
    assert report is not None and report.date == dt.date(2017, 2, 2)
    year_at = norm.index("قتل")
    assert resolve_date(dates, year_at, year_at + 20, published=PUBLISHED, report_date=report) == \
        (dt.date(2016, 1, 1), "year")
    later = norm.index("وانتشروا")
    assert resolve_date(dates, later, len(norm), published=PUBLISHED, report_date=report) == \
        (dt.date(2017, 2, 2), "reported")
    assert resolve_date(dates, later, len(norm), published=PUBLISHED) == (PUBLISHED, "reported")
    assert resolve_date([], 0, 5, published=None) == (None, "reported")


@pytest.mark.parametrize("text, date, precision", [
    ("في 6 مايو الجاري", dt.date(2024, 5, 6), "day"),
    ("في 25 ديسمبر", dt.date(2023, 12, 25), "day"),
    ("في أبريل الماضي", dt.date(2024, 4, 1), "month"),
    ("منتصف الشهر الماضي", dt.date(2024, 4, 1), "month"),
    ("الأسبوع الماضي", dt.date(2024, 5, 13), "week"),
    ("العام الماضي", dt.date(2023, 1, 1), "year"),
    ("أول أمس", dt.date(2024, 5, 18), "day"),
    ("فجر اليوم", dt.date(2024, 5, 20), "day"),
    ("في السنوات الماضية", None, "year"),
], ids=["day-month-current", "day-month-last-year", "month-past", "mid-last-month", "last-week",
        "last-year", "day-before-yesterday", "dawn-today", "past-years-span"])
def test_relative_dates_against_the_publication_day(text, date, precision):
    found = find_dates(normalize(text), published=dt.date(2024, 5, 20))
    assert (found[0].date, found[0].precision) == (date, precision)


def test_a_bare_month_word_is_no_date():
    assert find_dates(normalize("مارس مسلحون ضغوطا على السكان"), published=dt.date(2024, 5, 20)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("قبل يومين", [(dt.date(2020, 5, 4), "day")]),
    ("منذ ثلاثة أيام", [(dt.date(2020, 5, 3), "day")]),
    ("قبل 5 أيام", [(dt.date(2020, 5, 1), "day")]),
    ("قبل أسبوعين", [(dt.date(2020, 4, 22), "week")]),
    ("قبل يومين من الانتخابات", []),                          # before another day, not publication
    ("منذ يوم الجمعة", [(dt.date(2020, 5, 1), "day")]),        # the weekday, not «a day ago»
    ("منذ 45 يوما", []),                                       # too far to be a day's date
])
def test_days_and_weeks_ago_count_back_from_publication(text, expected):
    found = find_dates(normalize(text), published=dt.date(2020, 5, 6))
    assert [(d.date, d.precision) for d in found] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("في 2 من الشهر الجاري", [(dt.date(2020, 5, 2), "day")]),
    ("في 28 من الشهر الماضي", [(dt.date(2020, 4, 28), "day")]),
    ("في 31 من الشهر الماضي", []),                              # April has no 31st
    ("منتصف الشهر الماضي", [(dt.date(2020, 4, 1), "month")]),
])
def test_a_day_of_this_or_last_month(text, expected):
    found = find_dates(normalize(text), published=dt.date(2020, 5, 6))
    assert [(d.date, d.precision) for d in found] == expected


def test_an_events_weekday_is_not_the_reports_date():
    # «يوم الجمعة» dates the convoy's departure; the report's own date is only one it says it was
    # published or made on («نشرت الخميس»), so claims with no date of their own keep publication
    norm = normalize("انطلق الرتل فجر يوم الجمعة نحو أوباري، بحسب تصريحات نشرت الخميس.")
    dates = find_dates(norm, published=PUBLISHED)
    report = find_report_date(norm, dates)
    assert report is not None and report.date == last_weekday(PUBLISHED, 3)
    norm = normalize("انطلق الرتل فجر يوم الجمعة نحو أوباري.")
    assert find_report_date(norm, find_dates(norm, published=PUBLISHED)) is None


@pytest.mark.parametrize("text", ["منذ أبريل/نيسان 2015 تنتشر القوات", "في نيسان/أبريل 2015", "في أبريل (نيسان) 2015"],
                         ids=["slash", "slash-levant-first", "parenthesis"])
def test_a_month_named_twice_takes_the_year_after_it(text):
    found = find_dates(normalize(text), published=PUBLISHED)
    assert [(d.date, d.precision) for d in found] == [(dt.date(2015, 4, 1), "month")]


@pytest.mark.parametrize("text, expected", [
    ("اندلعت المواجهات في 23 مايو/أيار بين الطرفين", (dt.date(2022, 5, 23), "day")),    # no year
    ("اندلعت المواجهات في 23 مايو/أيار 2021", (dt.date(2021, 5, 23), "day")),
    ("انتشرت القوات منذ أبريل/نيسان 2019", (dt.date(2019, 4, 1), "month")),
])
def test_a_month_named_twice_keeps_its_day(text, expected):
    (d,) = find_dates(normalize(text), published=dt.date(2022, 6, 5))
    assert (d.date, d.precision) == expected


@pytest.mark.parametrize(("text", "date"), [
    ("هاجم مسلحون البوابة في السادس من يناير", dt.date(2017, 1, 6)),
    ("في الحادي عشر من يناير", dt.date(2017, 1, 11)),
    ("في الثاني والعشرين من ديسمبر", dt.date(2016, 12, 22)),
    ("في العاشر من شهر يناير", dt.date(2017, 1, 10)),
    ("في السادس من مايو 2015", dt.date(2015, 5, 6)),
    ("في 14/05/2016", dt.date(2016, 5, 14)),
    ("بتاريخ 2016-05-14", dt.date(2016, 5, 14)),
    ("اقتحموا البلدة في الليلة الماضية", dt.date(2017, 2, 3)),
], ids=["ordinal", "ordinal-teen", "ordinal-twenties", "ordinal-tenth-month-word", "ordinal-with-year",
        "numeric-day-first", "iso", "last-night"])
def test_ordinal_days_numeric_dates_and_last_night(text, date):
    (found,) = find_dates(normalize(text), published=PUBLISHED)
    assert (found.date, found.precision) == (date, "day")


def test_the_second_in_a_months_name_is_no_ordinal_day():
    (found,) = find_dates(normalize("في كانون الثاني 2016"), published=PUBLISHED)
    assert (found.date, found.precision) == (dt.date(2016, 1, 1), "month")


@pytest.mark.parametrize(("text", "date"), [
    ("هاجم مسلحون البوابة الخميس 26 يناير", dt.date(2017, 1, 26)),        # a Thursday, not the last one
    ("هاجم مسلحون البوابة صباح الثلاثاء 24 يناير 2017", dt.date(2017, 1, 24)),
    ("هاجم مسلحون البوابة يوم الخميس", dt.date(2017, 2, 2)),
], ids=["weekday-and-day-month", "weekday-and-full-date", "weekday-alone"])
def test_a_date_written_out_after_its_weekday_is_the_day(text, date):
    dates = find_dates(normalize(text), published=PUBLISHED)
    assert dates[0].date == date
