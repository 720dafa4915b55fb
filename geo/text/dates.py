"""Event dates from Arabic report text: weekdays, years, months, yesterday.

Works on text normalized by :func:`geo.text.normalize.normalize` (ة -> ه, أ -> ا,
ASCII digits). Precision follows the Event model: day, month, year, or
"reported" when only the publication date is known.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from geo.errors import InputError

# Monday = 0, as datetime.weekday() counts.
_WEEKDAYS = {"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4,
             "السبت": 5, "الاحد": 6}
_MONTHS = {
    "يناير": 1, "جانفي": 1, "كانون الثاني": 1, "فبراير": 2, "فيفري": 2, "شباط": 2, "مارس": 3, "اذار": 3,
    "ابريل": 4, "افريل": 4, "نيسان": 4, "مايو": 5, "ماي": 5, "ايار": 5, "يونيو": 6, "جوان": 6,
    "حزيران": 6, "يوليو": 7, "جويليه": 7, "تموز": 7, "اغسطس": 8, "اوت": 8, "اب": 8, "سبتمبر": 9,
    "ايلول": 9, "اكتوبر": 10, "تشرين الاول": 10, "نوفمبر": 11, "تشرين الثاني": 11, "ديسمبر": 12,
    "كانون الاول": 12,
}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date said in the text: normalized span, the date, and its precision."""

    start: int
    end: int
    date: dt.date | None     # None for a past span with no date («في السنوات الماضية»)
    precision: str


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """The compiled date patterns (built on first use, not at import)."""
    months = "|".join(sorted(_MONTHS, key=len, reverse=True))
    days = "|".join(_WEEKDAYS)
    # no digit may stand before a year either (checked after the match: a pattern that opens on a
    # lookbehind is tried at every position, one that opens on a digit only where one stands)
    year = re.compile(r"((?:19|20)\d\d)(?!\d)")
    # What may stand before a year, read backwards from it: «15 مارس 2016», «مارس 2016», «العام 2016».
    # «23 مايو/أيار 2022»: the month named twice, the day before the first name
    day_month = re.compile(rf"(?<!\d)(\d{{1,2}}) ?(?:من )?(?:شهر )?({months})(?: ?[/(] ?(?:{months})\)?)? ?"
                           r"(?:من )?(?:العام |عام |سنه )?$")
    month = re.compile(rf"(?<!\w)(?:[وفب]|في )?(?:شهر )?({months})\)? ?(?:من )?(?:العام |عام |سنه )?$")
    year_word = re.compile(r"(?<!\w)(?:[وفبل]?(?:ال)?(?:عام|سنه)|في|خلال|منذ) ?$")
    weekday = re.compile(rf"(?<!\w)(?:يوم )?[وفب]?({days})(?: الماضي| الفائت)?(?!\w)")
    return year, day_month, month, year_word, weekday


def find_dates(norm: str, *, published: dt.date | None = None) -> list[DateMention]:
    """Every explicit date in ``norm`` (normalized text), in text order.

    Parameters
    ----------
    norm : str
        Text normalized by :func:`geo.text.normalize.normalize`.
    published : datetime.date, optional
        The publication date; weekdays (الخميس) and أمس are resolved against it.

    Returns
    -------
    list of DateMention

    Examples
    --------
    >>> [d.date.year for d in find_dates("قتل العام 2016 في غاره")]
    [2016]
    """
    year, day_month, month, year_word, _ = _patterns()
    found: list[DateMention] = []
    for m in year.finditer(norm):
        if m.start() and norm[m.start() - 1].isdecimal():
            continue
        y = int(m.group(1))
        lo = max(0, m.start() - 30)
        before = norm[lo:m.start()]
        if (nd := _NUMERIC_DAY.search(before)) is not None:
            try:      # «14/05/2016», «14-5-2016»: day first, as Arabic pages write it
                found.append(DateMention(lo + nd.start(), m.end(), dt.date(y, int(nd.group(2)), int(nd.group(1))), "day"))
                continue
            except ValueError:
                pass
        if (iso := _ISO_AFTER.match(norm, m.end())) is not None:
            try:      # «2016-05-14», «2016/05/14»
                found.append(DateMention(m.start(), iso.end(), dt.date(y, int(iso.group(1)), int(iso.group(2))), "day"))
                continue
            except ValueError:
                pass
        if (dm := day_month.search(before)) is not None:
            try:
                found.append(DateMention(lo + dm.start(), m.end(), dt.date(y, _MONTHS[dm.group(2)], int(dm.group(1))), "day"))
                continue
            except ValueError:
                pass
        if (mm := month.search(before)) is not None:
            at = lo + mm.start()
            ordinal = _ORDINAL.search(norm, max(0, at - 30), at + (mm.group(0)[:1] == " "))
            if ordinal is not None and ordinal.end() >= at:   # «السادس من مايو 2016»
                found.append(DateMention(ordinal.start(), m.end(), dt.date(y, _MONTHS[mm.group(1)], _ordinal_day(ordinal)),
                                         "day"))
                continue
            found.append(DateMention(at, m.end(), dt.date(y, _MONTHS[mm.group(1)], 1), "month"))
        elif (yw := year_word.search(before)) is not None:
            found.append(DateMention(lo + yw.start(), m.end(), dt.date(y, 1, 1), "year"))
    weekdays: list[DateMention] = []
    if published is not None:
        for day, number in _WEEKDAYS.items():
            at = norm.find(day)
            while at >= 0:
                end = at + len(day)
                head = norm[max(0, at - 1):at]
                if (not head or not head.isalnum() or (head in "وفب" and (at < 2 or not norm[at - 2].isalnum()))) \
                        and (end >= len(norm) or not norm[end].isalnum()):
                    weekdays.append(DateMention(at, end, last_weekday(published, number), "day"))
                at = norm.find(day, end)
        if "امس" in norm or "البارحه" in norm:
            for m in re.finditer(r"(?<![\w])[وف]?(?:(اول )?امس|البارحه)(?![\w])", norm):
                back = 2 if m.group(1) else 1
                found.append(DateMention(m.start(), m.end(), published - dt.timedelta(days=back), "day"))
        found.extend(_relative(norm, published))
        if "قبل" in norm or "منذ" in norm:
            found.extend(_ago(norm, published))
    if "سنوات" in norm or "اعوام" in norm:
        found.extend(DateMention(m.start(), m.end(), None, "year") for m in _past_span().finditer(norm))
    # «الخميس 15 فبراير»: the date written out is the day; the weekday only names it
    days = {d.start for d in found if d.precision == "day"}
    found.extend(w for w in weekdays if not any(w.end < at <= w.end + 3 for at in days))
    found.sort(key=lambda d: d.start)
    return found


_RELATIVE_WORDS = ("اليوم", "الماضي", "المنصرم", "الفائت", "الجاري", "الحالي")


@cache
def _relative_words() -> re.Pattern:
    """«اليوم», «الأسبوع الماضي», «(منتصف) الشهر الماضي», «العام الماضي»."""
    return re.compile(r"(?<!\w)[وفب]?(?:(?P<today>(?:فجر |صباح |مساء |ظهر |ليل |عصر )?اليوم)"
                      r"|(?P<lastnight>(?:في )?الليله (?:الماضيه|المنصرمه|الفائته))"
                      r"|(?P<week>الاسبوع (?:الماضي|المنصرم|الفائت))"
                      r"|(?:(?P<part>منتصف|مطلع|اواخر|اوائل|بدايه|نهايه) |(?P<day>\d{1,2}) (?:من )?)?"
                      r"(?P<month>الشهر (?:الماضي|المنصرم|الفائت|الجاري|الحالي))"
                      r"|(?P<year>(?:العام|السنه) (?:الماضي|الماضيه|المنصرم|الفائت)))(?!\w)")


@cache
def _past_span() -> re.Pattern:
    """«في السنوات الماضية», «خلال الأعوام الأخيرة», «منذ سنوات»: years before publication, no date."""
    return re.compile(r"(?<!\w)(?:في|خلال|منذ|طيله|علي مدي|علي مدار) (?:ال)?(?:سنوات|اعوام)(?: (?:الماضيه|الاخيره|الفائته|عديده|طويله))?(?!\w)")


_MONTH_BEFORE = re.compile(r"(?:(\d{1,2}) )?(?:من )?(?:شهر )?$")
_NUMERIC_DAY = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-]$")
_ISO_AFTER = re.compile(r"[/-](\d{1,2})[/-](\d{1,2})(?![\d/.-])")
# «السادس من مايو», «في الحادي والعشرين من مارس»: the day as an ordinal word, «من» then the month
_ORDINAL_UNITS = {"الاول": 1, "الحادي": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
                  "السابع": 7, "الثامن": 8, "التاسع": 9}
_ORDINAL = re.compile(r"(?<!\w)(?:في )?(?:(العاشر)|(" + "|".join(_ORDINAL_UNITS) + r")(?: (عشر)| والعشرين| والثلاثين)?"
                      r"|(العشرين|الثلاثين)) من (?:شهر )?$")
_MONTH_AFTER = re.compile(r"(?!\)? ?(?:من )?(?:العام |عام |سنه )?(?:19|20)\d\d)"
                          r"(?: (الجاري|الحالي|الماضي|المنصرم|الفائت))?(?!\w)")


@cache
def _month_finder():
    """One automaton over the month names (value: the name's place in ``_MONTHS`` and the name)."""
    automaton = ahocorasick.Automaton()
    for i, name in enumerate(_MONTHS):
        automaton.add_word(name, (i, name))
    automaton.make_automaton()
    return automaton


_PAIRED = re.compile(r" ?[/(] ?\w")     # «أبريل/نيسان 2019»: the other name has the year


def _month_words(norm: str):
    """(start, end, day or None, month name, qualified) for each month name said without a year:
    found in one automaton pass (a long alternation would be tried at every position), name by
    name in ``_MONTHS`` order and each name's occurrences left to right without overlaps."""
    found = sorted((i, end_index + 1 - len(name), name) for end_index, (i, name) in _month_finder().iter(norm))
    last_name, last_end = None, -1
    for _, at, name in found:
        if name == last_name and at < last_end:
            continue    # inside the name's previous occurrence («يونيونيو»)
        end = last_end = at + len(name)
        last_name = name
        if (at == 0 or not norm[at - 1].isalnum()) and (end == len(norm) or not norm[end].isalnum()) \
                and not _PAIRED.match(norm, end, end + 4):
            after = _MONTH_AFTER.match(norm, end)
            if after is not None:
                # «في 23 مايو/أيار»: the second name of a pair, the day and context before the first
                lead = re.search(r"(\w+) ?[/(] ?$", norm[max(0, at - 14):at])
                first = max(0, at - 14) + lead.start() if lead and lead.group(1) in _MONTHS else at
                before = _MONTH_BEFORE.search(norm, max(0, first - 14), first)
                start = before.start() if before and before.group(0) else first
                day = int(before.group(1)) if before and before.group(1) else None
                if day is None and (ordinal := _ORDINAL.search(norm, max(0, first - 30), first)) is not None:
                    start, day = ordinal.start(), _ordinal_day(ordinal)
                yield start, after.end(), day, name, bool(after.group(1))


def _ordinal_day(m: re.Match) -> int:
    """The day an ordinal match names: «العاشر» 10, «السادس» 6, «الحادي عشر» 11, «الثاني والعشرين» 22."""
    if m.group(1):
        return 10
    if m.group(4):
        return 20 if m.group(4) == "العشرين" else 30
    unit = _ORDINAL_UNITS[m.group(2)]
    tail = m.group(0)
    return unit + (10 if m.group(3) else 20 if "والعشرين" in tail else 30 if "والثلاثين" in tail else 0)


def _relative(norm: str, published: dt.date) -> list[DateMention]:
    """Dates said relative to the publication date: days, weeks, months, years."""
    words = _relative_words()
    out = []
    # The patterns are long alternations: read them only where one of their words stands.
    for start, end, day_number, name, qualified in _month_words(norm):
        if day_number is None and not qualified \
                and not re.search(r"(?:في|شهر|خلال|منذ|مطلع|منتصف|اواخر) $", norm[max(0, start - 6):start]):
            continue    # «مارس ضغوطا», «أب لثلاثة أطفال»: a bare month word needs a date's context
        month = _MONTHS[name]
        year = published.year if month <= published.month else published.year - 1
        try:
            if day_number is not None:
                day = dt.date(year, month, day_number)
                if day > published:
                    day = day.replace(year=year - 1)
                out.append(DateMention(start, end, day, "day"))
            else:
                out.append(DateMention(start, end, dt.date(year, month, 1), "month"))
        except ValueError:
            continue
    for m in words.finditer(norm) if any(w in norm for w in _RELATIVE_WORDS) else ():
        if m.group("today"):
            out.append(DateMention(m.start(), m.end(), published, "day"))
        elif m.group("lastnight"):
            out.append(DateMention(m.start(), m.end(), published - dt.timedelta(days=1), "day"))
        elif m.group("week"):
            out.append(DateMention(m.start(), m.end(), published - dt.timedelta(days=7), "week"))
        elif m.group("month"):
            first = published.replace(day=1)
            if not m.group("month").endswith(("الجاري", "الحالي")):
                first = (first - dt.timedelta(days=1)).replace(day=1)
            if m.group("day"):
                try:      # «في 2 من الشهر الجاري»: that day of the month
                    day = first.replace(day=int(m.group("day")))
                except ValueError:
                    continue
                out.append(DateMention(m.start(), m.end(), day, "day"))   # a later day: a planned event's
                continue
            out.append(DateMention(m.start(), m.end(), first, "month"))
        else:
            out.append(DateMention(m.start(), m.end(), dt.date(published.year - 1, 1, 1), "year"))
    return out


_COUNTED_DAYS = {"ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6, "سبعه": 7, "ثمانيه": 8, "تسعه": 9, "عشره": 10}
_AGO = re.compile(r"(?<!\w)(?:قبل|منذ) (?:(?P<n>\d{1,2}|" + "|".join(_COUNTED_DAYS) + r") (?:ايام|يوما)"
                  r"|(?P<two>يومين)|(?P<one>يوم(?! ال))|(?P<weeks>اسبوعين)|(?P<week>اسبوع))(?!\w)"
                  r"(?! (?:من|علي) )")     # «قبل يومين من الانتخابات», «منذ يوم الجمعة»: not from publication


def _ago(norm: str, published: dt.date) -> list[DateMention]:
    """«قبل يومين», «منذ ثلاثة أيام», «قبل أسبوع»: days or weeks before publication."""
    out = []
    for m in _AGO.finditer(norm):
        if m.group("n"):
            n = m.group("n")
            days, precision = (int(n) if n.isdigit() else _COUNTED_DAYS[n]), "day"
            if days > 31:
                continue
        elif m.group("two") or m.group("one"):
            days, precision = (2 if m.group("two") else 1), "day"
        else:
            days, precision = (14 if m.group("weeks") else 7), "week"
        out.append(DateMention(m.start(), m.end(), published - dt.timedelta(days=days), precision))
    return out


def last_weekday(published: dt.date, weekday: int) -> dt.date:
    """The latest date on or before ``published`` that falls on ``weekday`` (Monday = 0)."""
    if not 0 <= weekday <= 6:
        raise InputError(f"weekday must be 0..6, got {weekday!r}")
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


def resolve_date(dates: list[DateMention], start: int, end: int, *, published: dt.date | None,
                 report_date: DateMention | None = None) -> tuple[dt.date | None, str]:
    """The date of an event said in ``norm[start:end]``.

    The first explicit date inside the span wins; else the date the report
    itself was given (``report_date``, e.g. «نشرت الخميس»); else the
    publication date with precision "reported".

    Returns
    -------
    (date or None, precision)
    """
    for d in dates:
        if start <= d.start < end:
            return d.date, d.precision     # a past span gives (None, "year"): not the publication day
    if report_date is not None:
        return report_date.date, "reported"
    return published, "reported"


def find_report_date(norm: str, dates: list[DateMention]) -> DateMention | None:
    """The day the quoted statement was published or made: «نشرت الخميس», «يوم الاحد الماضي»."""
    for d in dates:
        if d.precision != "day":
            continue
        before = norm[max(0, d.start - 12):d.start]
        if re.search(r"(?:نشرت|نشر|صدر|صدرت|بثت|ادلي بها)\s*$", before) or "نشرت" in before:
            return d
    return None
