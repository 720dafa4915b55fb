"""Page furniture in plain text: what a copied web page carries that is not the report.

A report pasted from a site brings its dateline («سبها - » or «طرابلس - بوابة الوسط»), a menu
line («الرئيسية | ليبيا | أخبار»), share buttons («شارك: فيسبوك تويتر واتساب»), an agency tag
(«(وال - الكفرة)»), a date line, and lists of related or most-read headlines that name other
places. None of it is the report: places and claims in it are not read. HTML goes through
trafilatura before it gets here; this is the line filter for plain text.

``furniture_spans(text)`` returns ``(start, end)`` offsets into the text, in order. The rules
are deliberately narrow (short lines, fixed words): a sentence of the report is never furniture.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# Words that open a list of other articles; the line and the short lines under it are furniture.
_RELATED = re.compile(
    r"^\s*(?:[اإأ]قر[اأ]\s+[اأ]يض[اًا]+|مواضيع\s+ذات\s+صلة|[اأ]خبار\s+ذات\s+صلة|مقالات\s+ذات\s+صلة|"
    r"روابط\s+ذات\s+صلة|ذات\s+صلة|الأكثر\s+(?:قراءة|مشاهدة|تداولا)|الاكثر\s+(?:قراءة|مشاهدة)|"
    r"المزيد\s+من|[اأ]خبار\s+متعلقة|قد\s+يهمك|[اأ]قرأ\s+المزيد|شاهد\s+[اأ]يض[اًا]+|تابعونا|"
    r"اشترك|لمتابعة\s+آخر)")
_SHARE_WORDS = ("شارك", "مشاركة", "فيسبوك", "فيس بوك", "تويتر", "واتساب", "واتس اب", "تيليجرام", "تلغرام",
                "لينكدإن", "طباعة", "نسخ الرابط", "البريد الإلكتروني", "Facebook", "Twitter", "WhatsApp")
_MENU_SEPARATORS = re.compile(r"\s[|›»/>]\s|\s[|›»]|[|›»]\s")
_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "ابريل", "مايو", "يونيو", "يوليو", "أغسطس", "اغسطس",
           "سبتمبر", "أكتوبر", "اكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار",
           "حزيران", "تموز", "آب", "أيلول", "تشرين")
_DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}:\d{2}|(?:\d{1,2}\s+)?(?:%s)\s*,?\s*\d{4}" % "|".join(_MONTHS))
# «سبها - » / «طرابلس – بوابة الوسط» / «(وال - الكفرة)»: a few words, a dash, a few words.
_DATELINE = re.compile(r"^\s*\(?\s*([^\s\-–—()،,.:]+(?:\s+[^\s\-–—()،,.:]+){0,3})\s*(?:[-–—]+|:\s*$)\s*")
# «الكفرة 01 يوليو 2018 (وال) – »: a place, a date and an agency tag before the dash.
_DATED_DATELINE = re.compile(r"^\s*([^\n\-–—،.:]{1,70}?)\s*(?:[-–—]+|ـ{2,})\s*")   # or a tatweel run
# A dateline names a place or an outlet; these words open a sentence instead («قال المتحدث - ...»).
_DATELINE_WORDS = frozenset({"قال", "قالت", "أكد", "اكد", "أكدت", "أفاد", "افاد", "أفادت", "ذكر", "ذكرت",
                             "أعلن", "اعلن", "أعلنت", "في", "من", "إن", "ان", "أن", "على", "عن", "إلى", "الى"})
_TAG_LINE = re.compile(r"^\s*\(\s*(?:[^()]{1,40}[-–—/][^()]{1,40}|[^()\s]+(?:\s+[^()\s]+){0,2})\s*\)\s*$")
# A line the page labels as other than the report: a photo's caption, a byline, the page's own dates,
# tags and sources («صورة: مسلحون في الصحراء ...», «نشر في: داعش», «كلمات دلالية: الحدود ...»).
_LABEL_LINE = re.compile(r"^\(?\s*(?:صورة|الصورة|صور|مصدر الصورة|تصوير|كتب|كتبت|بقلم|المصدر|مصدر الخبر|تاريخ النشر|"
                         r"نشر في|نشر بتاريخ|آخر تحديث|اخر تحديث|تم التحديث|هيئة التحرير|كلمات دلالية|كلمات مفتاحية|"
                         r"الوسوم|وسوم|تحرير|إعداد|اعداد)(?:\s+(?:أرشيفية|ارشيفية|من الأرشيف))?\s*\)?\s*[:：]")
_HEADLINE_MAX_WORDS = 16
# Characters: longer than any menu, share, tag or date line (a related headline is checked
# before this, inside its list).
_LONGEST_FURNITURE = 160


def _words(line: str) -> int:
    return len(line.split())


def _is_menu(line: str) -> bool:
    """«الرئيسية | ليبيا | أخبار»: short items between separators."""
    parts = [p for p in re.split(r"[|›»/>]", line) if p.strip()]
    return len(_MENU_SEPARATORS.findall(line)) >= 2 and len(parts) >= 3 and all(_words(p) <= 4 for p in parts)


def _is_share(line: str) -> bool:
    """«شارك: فيسبوك تويتر واتساب»; not «شارك مئات المسلحين في الهجوم»."""
    hits = sum(w in line for w in _SHARE_WORDS)
    return _words(line) <= 12 and (hits >= 2 or bool(re.match(r"(?:شارك|مشاركة)\s*(?:[:：]|$)", line)))


def _is_date_line(line: str) -> bool:
    """«الكفرة 01 يوليو 2018» or «نشر في 12/3/2020 - 10:45»: a short line that is mostly a date."""
    return _words(line) <= 7 and bool(_DATE.search(line)) and not re.search(r"[،؟!]|\.(?!\d)", line)


def _dateline(line: str, first: bool) -> int:
    """Length of a dateline at the start of the report's first line, or 0."""
    if not first:
        return 0
    found = _DATELINE.match(line)
    if not found:
        dated = _DATED_DATELINE.match(line)
        head = dated.group(1) if dated else ""
        found = dated if dated and _words(head) <= 8 and (_DATE.search(head) or "(" in head) else None
    if not found or not _DATELINE_WORDS.isdisjoint(w.lstrip("وف") for w in found.group(1).split()):
        return 0
    rest = line[found.end():]
    # «سبها - » alone, «طرابلس - بوابة الوسط» (a short line), or «ليبيا – كشفت النيابة ...»:
    # the words before the dash are furniture, what follows is the report.
    if _words(rest) <= 4 and not re.search(r"[.،؟!]", rest):
        return len(line)
    return found.end()


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that are page furniture, as ``(start, end)`` offsets.

    Parameters
    ----------
    text : str
        A report as plain text, paragraphs on their own lines.

    Returns
    -------
    list of (int, int)
        In text order; empty when the text is all report.

    Examples
    --------
    >>> t = "سبها - \\nوصلت قوة إلى أوباري.\\nاقرأ أيضا: اشتباكات في الكفرة"
    >>> [t[a:b] for a, b in furniture_spans(t)]
    ['سبها - ', 'اقرأ أيضا: اشتباكات في الكفرة']
    """
    return list(_remembered(text))


@lru_cache(maxsize=4)
def _remembered(text: str) -> tuple[tuple[int, int], ...]:
    """The furniture of the last few texts: the geoparser and the counts both ask for a report's."""
    return tuple(_furniture_spans(text))


def _furniture_spans(text: str) -> list[tuple[int, int]]:
    """``furniture_spans`` worked out."""
    spans: list[tuple[int, int]] = []
    pos = 0
    seen_text = False       # has a line of the report been read yet (datelines come first)
    headline_only = False   # ... and was it only a headline (a dateline may follow it)
    in_related = False      # inside a list of related headlines
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        line = raw.strip()
        if not line:
            in_related = False
            continue
        if len(line) <= 2 * _LONGEST_FURNITURE and _LABEL_LINE.match(line):
            spans.append((start, end))   # «صورة: ...», «تاريخ النشر: ...», «كلمات دلالية: ...»
            continue
        if seen_text and not in_related and len(line) > _LONGEST_FURNITURE:
            continue    # a paragraph of the report: no furniture line is this long
        if in_related and (_words(line) <= _HEADLINE_MAX_WORDS and not line.endswith((".", ":"))
                           or _dateline(raw, True)):
            # a related headline, or the teaser under it, which opens on its own dateline
            # («واشنطن (زمان التركية)ــ نقلت صحيفة ...»): another report
            spans.append((start, end))
            continue
        in_related = False
        if _RELATED.match(line):
            spans.append((start, end))
            # A header alone («مواضيع ذات صلة») heads a list; «اقرأ أيضا: عنوان» is one line.
            in_related = _words(line) <= 4 and ":" not in line.rstrip(":")
            continue
        if _is_menu(line) or _is_share(line) or _TAG_LINE.match(line) or _is_date_line(line):
            spans.append((start, end))
            continue
        cut = _dateline(raw, not seen_text or headline_only)
        if cut:
            spans.append((start, start + cut))
        if cut < len(raw):
            # «رفض ... حدود النيجر» then «النيجر - وكالات»: a short first line without a full stop is
            # the headline, and the dateline may stand under it.
            headline_only = not seen_text and _words(line) < _HEADLINE_MAX_WORDS and not line.endswith(".")
            seen_text = True
    return spans


def in_spans(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """True when ``offset`` falls inside one of ``spans``."""
    return any(a <= offset < b for a, b in spans)
