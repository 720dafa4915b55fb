"""The numbers a claim gives: killed, wounded, missing, abducted, arrested; force sizes; vehicles;
migrants; seized goods with their unit.

A number (``geo.text.numbers``) becomes a count by the words around it: the noun after it
says what was counted («700 من عناصر», «45 آلية», «3 أطنان من الحشيش», «12 قتيلا») and a
casualty or arrest word before it says what happened to them («مقتل 18 مهاجراً» is killed, not
migrants). A number with neither — a year, an hour, a distance, a sum of money, a unit's name
(«الكتيبة 128») — is no count. Without a number, «مقتل جندي» is one killed, «مقتل جنديين»
two, and «دون وقوع إصابات» or «لم يسفر عن سقوط قتلى» is none (0), as ACLED codes it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from geo.events.count_words import (AMONG_THEM, DROWNED, EACH, TOLLS, goods_counted_before, lookup,
                                    people_counted_before, stem, tally_before, told_after, toll_before)
from geo.models import Count
from geo.text.normalize import normalize, normalize_with_offsets, normalized_slice, original_span
from geo.text.numbers import find_quantities

# What happened to those counted: the word before the number (or its noun).
_BEFORE = {
    # the dead are also counted by their bodies: «انتشال جثث 12 مهاجرا», «جثماني شابين»
    "killed": ("مقتل قتل قتلت قتلوا يقتل تقتل يقتلون قتلى مصرع لقي لقوا سقوط استشهاد استشهد استشهدت استشهدوا وفاة مات قضى "
               "قضت قضوا "     # «فقضت على ستة مسلحين»
               "إعدام أعدم أعدمت أعدموا "     # «أعدم التنظيم 21 أسيرا»: executed
               "ضحيته ضحيتها ضحيتهم أرواح توفي توفيت توفوا "     # «راح ضحيته 7 مدنيين», «حصد أرواح 30 شخصا»
               "بحياة ضحايا تصفية تحييد حيدت حيدوا "     # «تحييد 41 من المرتزقة»: the army's word for killing
               "جثة جثث جثمان جثامين جثماني جثتي جثتين"),
    "wounded": "إصابة اصابة إصابات أصيب أصيبوا أصاب أصابت أصابوا جرح جرحت جرحوا جرحى مصابين",
    "missing": "فقدان فقد فقدت اختفاء مفقودين",
    # and those it happened to, named before their number: «أن المخطوفين 25 مواطنا»
    "abducted": "اختطاف خطف خطفت خطفوا اختطف اختطفت اختطفوا أسر مخطوفين مختطفين",
    "arrested": ("اعتقال القبض توقيف إيقاف احتجاز اعتقل اعتقلت اعتقلوا أوقف أوقفت حبس موقوفين معتقلين محتجزين "
                 "أودع أودعت"),    # «وأودع 150 متمردا السجن»: put in prison
    "seized": ("ضبط ضبطت مصادرة صادرت حجز حجزت غنم غنمت غنموا غنمته غنائم حوزة بحوزة حوزتهم بحوزتهم "
               "المحجوزات محجوزات المضبوطات مضبوطات"),     # «وشملت المحجوزات 655 هاتفا»
}
# What was counted: the noun after the number (with or without «من», «ال»).
_AFTER = {
    "killed": "قتيل قتيلا قتيلًا قتلى قتيلين قتيلان",
    "wounded": "جريح جريحا جرحى جريحين جريحان مصاب مصابا مصابين مصابون",
    "missing": "مفقود مفقودا مفقودين مفقودون",
    "migrants": "مهاجر مهاجرا مهاجرين مهاجرون لاجئ لاجئا لاجئين",
    "fighters": ("عنصر عنصرا عناصر مقاتل مقاتلا مقاتلين مسلح مسلحا مسلحين مسلحون جندي جنديا جنود مرتزق "
                 "مرتزقا مرتزقة فرد أفراد عضو أعضاء قيادي قياديا قيادات قياديين إرهابي إرهابيا إرهابيين "
                 "عسكري عسكريا عسكريين ضابط ضابطا ضباط"),
    # people counted only when something happens to them: «ثلاثة أشخاص أوقفوا»
    "persons": ("شخص شخصا أشخاص مدني مدنيا مدنيين عامل عاملا عمال طفل طفلا أطفال امرأة نساء رجل رجال مواطن "
                "مواطنين مهرب مهربا مهربين مهربون متهم متهما متهمين مشتبه شاب شابا شبان فتاة فتيات فتى راكب راكبا "
                "ركاب آخرين آخرون أبناء "     # «أربعة آخرين يعدون مفقودين»: more of them; «9 من أبناء البلدة»
                "مصريا مصريين تونسيا تونسيين جزائريا جزائريين سودانيا سودانيين تشاديا تشاديين نيجريا نيجريين "
                "ليبيين مغربيا مغربيين"),     # «11 نيجريا وجزائريين اثنين» (not «ليبيا», «ماليا»: other words)
    "vehicles": ("آلية آليات سيارة سيارات عربة عربات مركبة مركبات شاحنة شاحنات زورق زوارق قارب قوارب "
                 "دراجة دراجات صهريج صهاريج ناقلة ناقلات سفينة سفن جرار جرارات حافلة حافلات"),
}
# Units of seized goods (the English name goes to the export).
_UNITS = {
    "tonnes": "طن أطنان", "kg": "كيلوغرام كيلوغرامات كغ كلغ كيلو كيلوجرام", "grams": "غرام غرامات جرام",
    "litres": "لتر لترات ليتر ليترات", "barrels": "برميل براميل", "pills": "قرص أقراص حبة حبوب كبسولة كبسولات",
    "pieces": ("قطعة قطع مخزن مخازن طلقة طلقات هاتف هواتف منظار مناظير جهاز أجهزة قارورة قوارير رأس رؤوس "
               "رأسا رزمة رزم حزام أحزمة"),
    "boxes": "صندوق صناديق علبة علب كرتونة كراتين", "sacks": "كيس أكياس جوال أجولة شوال شوالات",
    "weapons": "بندقية بنادق سلاح أسلحة رشاش رشاشات مسدس مسدسات قنبلة قنابل قاذفة قاذفات",
    "rockets": "صاروخ صواريخ قذيفة قذائف",
}
# Goods a seizure lists one by one without a number: «ضبط بندقية ومسدسين وشاحنة» (one, two, one).
_GOODS = {
    "weapons": "بندقية رشاش مسدس قنبلة سلاح", "rockets": "صاروخ قذيفة",
    "vehicles": "سيارة شاحنة آلية عربة مركبة زورق قارب دراجة صهريج ناقلة سفينة جرار حافلة",
    "pieces": "هاتف منظار مخزن جهاز قارورة قطعة",
}
# Words that open a list of what was seized: «شحنة تضم ...», «من بينها ...».
_LIST_OPENERS = "بينها منها تضم تشمل شملت ضمت تضمنت"
# «فضلا عن ...», «إضافة إلى ...»: the list goes on after these pairs of words
_LIST_GOES_ON = frozenset((normalize(a), normalize(b)) for a, b in (
    ("فضلا", "عن"), ("علاوة", "على"), ("إضافة", "إلى"), ("بالإضافة", "إلى")))
# After a number these make it no count: time, distance, money, share, age, rank.
_NOT_COUNTED = ("كم كيلومتر كيلومترا كيلومترات متر مترا أمتار ميل ساعة ساعات دقيقة دقائق يوم يوما أيام "
                "أسبوع أسابيع شهر أشهر شهرا عام أعوام عاما سنة سنوات دولار دينار يورو جنيه فرنك درهم "
                "بالمئة بالمائة المئة مليار عمر")
# Before a number these make it a name or a date: «الكتيبة 128», «عام 2016», «الطريق 1».
_NAMED_BY = ("الكتيبة كتيبة اللواء لواء السرية الفرقة المجموعة رقم عام سنة العام الطريق طريق الساعة "
             "المنطقة الكيلو البوابة")
# persons one noun counts: «مقتل جندي» one, «مقتل جنديين» two
_PERSONS = ("جندي شخص مدني طفل رجل امرأة عنصر ضابط مهاجر مهرب قيادي عامل صياد حارس مسؤول مسئول موظف شرطي شاب فتاة "
            "مصري تونسي جزائري سوداني تشادي نيجري مغربي أجنبي "      # «اعتقلت الشرطة جزائريا»: one person
            "قائد آمر زعيم أمير عقيد عميد رائد نقيب ملازم مقدم رقيب عريف مفوض")     # «مقتل قائد الكتيبة»: one killed
# «لم يسفر عن ضحايا» says there were none; «لم ترد أنباء عن ضحايا» only that no news came
_NONE = re.compile(r"(?:(?:دون|بدون)\s+ان\s+\S+(?:\s+\S+)?\s+عن|دون|بدون|عدم|لم\s+(?!(?:ترد|يرد|تتوفر|يتوفر|تتوافر|تعرف|يعرف|تتضح|يتضح)(?!\w))\S+(?:\s+\S+)?\s+عن|لم\s+(?:يسجل|تسجل|تخلف|يخلف|يوقع|توقع)(?:\s+\S+)?)\s+"
                   r"(?:وقوع\s+|سقوط\s+|تسجيل\s+)?(?:اي\s+)?"
                   r"(ضحايا|قتلي|خساير\s+بشريه|خساير\s+في\s+الارواح|اصابات)|(لم\s+يصب\s+احد)")
_WINDOW_BEFORE = 3
_RATE = frozenset(normalize(w) for w in "يوميا يومياً سنويا سنوياً شهريا شهرياً أسبوعيا".split())
_ONE = frozenset(normalize(w) for w in ("أحد", "إحدى"))                     # «مقتل أحد الجنود»
_ANOTHER = normalize("آخر")     # «قتل جندي وأصيب آخر»: one more, not «آخر معاقل التنظيم» (the last)
_ONE_AFTER = frozenset(normalize(w) for w in ("واحد", "واحدا", "واحدة"))      # «جندي واحد»
# one of the dead or wounded named by its noun alone: «سقط قتيل وجريحان»
_ONE_CASUALTY = {normalize(w): kind for kind, ws in (("killed", "قتيل قتيلا"), ("wounded", "جريح جريحا"))
                 for w in ws.split()}
_AT_LEAST = [normalize("على"), normalize("الأقل")]
_PEOPLE_KINDS = frozenset({"killed", "wounded", "missing", "abducted", "arrested"})
# a sentence about migration: the people it counts are migrants («بلغها 842 شخصا على متن قوارب»)
_MIGRATION = re.compile("|".join(normalize(w) for w in (
    "مهاجر", "الهجرة", "هجرة", "غير شرعي", "غير نظامي", "قارب", "قوارب", "زورق", "لاجئ", "ترحيل", "رحل",
    "أبعدت", "أبعد ", "إبعاد", "أعيدوا", "غير قانوني", "تسلل", "التسلل")))
# what happened, told after those counted: «ثلاثة أشخاص أوقفوا», «خمسة جنود قتلوا»
_AFTER_VERBS = {
    "killed": "قتلوا قتلا لقوا قضوا ماتوا لقي لقيا حتفه حتفهم غرقوا", "wounded": "أصيبوا أصيبا جرحوا",
    "missing": "فقدوا فقد اختفوا مفقودين مفقودون", "abducted": "اختطفوا خطفوا", "arrested": "أوقفوا اعتقلوا احتجزوا",
}
_OF_THEM = normalize("منهم")
_ON = normalize("على")
_FRACTIONS = {normalize("نصف"): 0.5, normalize("ربع"): 0.25}     # «نصف طن» (a unit must follow)
_ABOUT = frozenset(normalize(w) for w in ("نحو", "حوالي", "حوالى", "قرابة", "زهاء"))
# one of a unit, told without a number after a seizure («حجز أكثر من طن») and the hedges before it
_ONE_UNIT = frozenset(normalize(w) for w in ("طن", "كيلوغرام", "كيلو", "لتر", "ليتر", "برميل"))
_UNIT_HEDGES = {tuple(normalize(w) for w in pair.split()): hedge for pair, hedge in (
    ("أكثر من", "more than"), ("يزيد على", "more than"), ("تزيد على", "more than"), ("يزيد عن", "more than"),
    ("تزيد عن", "more than"), ("يقارب", "about"), ("يناهز", "about"))}
_FELL = frozenset(normalize(w) for w in ("وقع", "وقعت", "سقط", "سقطت"))   # «وقع ... في قبضة»
# the state of those counted, told after them: «خمسة أشخاص مخطوفين»
_HELD = {normalize(w): kind for kind, ws in (("abducted", "مخطوفين مختطفين رهائن"),
                                             ("arrested", "معتقلين موقوفين محتجزين أسرى")) for w in ws.split()}
_LOST = frozenset(normalize(w) for w in "خسر خسرت خسروا".split())    # a side lost men: killed
_SEIZED_AFTER = frozenset(normalize(w) for w in "ضبطت ضبط حجزت حجز صودرت صودر".split())
_MONTHS = ("يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
           "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين")
_MONTH_WORDS = frozenset(normalize(w) for w in _MONTHS.split())


@cache
def _tables():
    def words(text: str) -> set[str]:
        return {normalize(w) for w in text.split()}
    before = {w: kind for kind, text in _BEFORE.items() for w in words(text)}
    after = {w: kind for kind, text in _AFTER.items() for w in words(text)}
    units = {w: unit for unit, text in _UNITS.items() for w in words(text)}
    units.update({w + "ا": unit for w, unit in list(units.items()) if not w.endswith(("ه", "ا"))})   # «12 هاتفا»
    persons = words(_PERSONS)
    persons |= {w + "ا" for w in persons if not w.endswith("ه")}    # «أوقفت رجلا»: the accusative
    verbs_after = {w: kind for kind, text in _AFTER_VERBS.items() for w in words(text)}
    # two of a thing told without a number: «جنديين», «مركبتين», «قتيلان» (the singular + ين/ان,
    # ة → ت before it); a form that is also a plural («مسلحين», «مدنيين») is no dual
    plurals = set(after) | persons | set(units)

    def dual(word: str) -> list[str]:
        stem = word[:-1] + "ت" if word.endswith("ه") else word
        return [d for d in (stem + "ين", stem + "ان") if d not in plurals]
    duals = {d: ("person", p) for p in persons for d in dual(p)}
    duals.update({d: ("kind", k) for w, k in after.items() for d in dual(w)})
    duals.update({d: ("unit", u) for w, u in units.items() for d in dual(w)})
    duals.update({w: ("kind", after[w]) for w in words("قتيلان قتيلين جريحان جريحين")})   # duals by form
    return (_Table(before), _Table(after), _Table(units), words(_NOT_COUNTED) | {normalize("%")},
            words(_NAMED_BY) | _MONTH_WORDS, persons, duals, _Table(verbs_after))


class _Table(dict):
    """A word table that remembers what each word looked up to: reports reuse their words,
    and trying five spellings of every word was most of the counting's time."""

    def __init__(self, words: dict):
        super().__init__(words)
        self.seen: dict[str, str | None] = {}


def find_counts(text: str, start: int = 0, end: int | None = None, *,
                normalized: tuple[str, list[int]] | None = None) -> list[Count]:
    """The counts in ``text[start:end]`` (one claim's span), with offsets into ``text``;
    ``normalized`` is ``normalize_with_offsets(text)`` when the caller has it."""
    end = len(text) if end is None else end
    if normalized is None:
        normalized, offsets = normalize_with_offsets(text[start:end])
    else:
        normalized, offsets = normalized_slice(text, *normalized, start, end)
    before_kinds, after_kinds, units, not_counted, named_by, persons, duals, verbs_after = _tables()
    words = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", normalized)]
    counts: list[Count] = []
    used_words: set[int] = set()

    def span(a: int, b: int) -> tuple[int, int]:
        s, e = original_span(text[start:end], offsets, a, b)
        return start + s, start + e

    word_starts = [s for _, s, _ in words]

    def word_at(offset: int) -> int:
        i = bisect_right(word_starts, offset) - 1
        if i >= 0 and offset < words[i][2]:
            return i
        return next(i for i, (_, s, e) in enumerate(words) if s <= offset < e)

    people_until = -1     # the last word of the latest count of people something happened to
    seized_until = -1     # and of the latest goods seized
    people_kind = None
    for q in find_quantities(normalized, words=words):
        first, last = word_at(q.start), word_at(q.end - 1)
        following = [w for w, _, _ in words[last + 1:last + 7]]
        reach = max(0, first - _WINDOW_BEFORE)
        if any(stem(w) in _MONTH_WORDS or (w.isdigit() and len(w) == 4) for w, _, _ in words[reach:first]):
            reach = max(0, first - 2 * _WINDOW_BEFORE)   # «قتلوا في 4 أكتوبر 2017 أربعة جنود»
        preceding = [w for w, _, _ in words[reach:first]]
        if following and (stem(following[0]) in not_counted or stem(following[0]) in _MONTH_WORDS) or (
                following and following[0].startswith("%")):
            continue    # «12 مارس»: a day of the month
        if EACH.search(" ".join(w for w, _, _ in words[max(0, first - 4):first])):
            continue    # «يزن كل منها 250 غراما», «طول الواحد منها 90 سم»: each one's measure
        if preceding and stem(preceding[-1]) in named_by and q.qualifier == "exact":
            continue
        if any(w.strip("،,.") in _RATE for w in following[:3]):
            continue    # «90 ألف برميل يوميا»: a rate, not an amount
        if counts and counts[-1].kind in _PEOPLE_KINDS | {"migrants"} and preceding \
                and preceding[-1].removeprefix("و").strip("،,") in AMONG_THEM:
            continue    # «قتل 11 شخصا، بينهم ستة جنود»: a breakdown of those counted, not more of them
        kind = next((k for w in reversed(preceding) if (k := lookup(w, before_kinds))), None)
        if preceding and preceding[-1].removeprefix("و") in DROWNED:
            kind = "killed"     # «غرق 40 مهاجرا»: drowned; not «غرق قارب يقل 40 مهاجرا», the boat sank
        noun_kind, unit, item = _noun(following, after_kinds, units)
        two_after = noun_kind is None and not unit and first and normalized[q.start:q.end] in _TWO_AFTER
        if two_after:
            # «قتل الجيش مسلحين اثنين»: the noun stands before; counted only when a verb says what
            # happened to them («على أيدي مهربين اثنين» names who did it)
            noun_kind = lookup(words[first - 1][0], after_kinds)
            kind = kind or _verb_afar(words, first - 1, before_kinds)   # «اعتقل الأمن ليبيين اثنين»
            if kind is None:
                continue
        if kind is None and noun_kind is None and not unit and following[:1] == [_OF_THEM] and counts \
                and counts[-1].kind in ("migrants", "fighters"):
            noun_kind = counts[-1].kind     # «نحو ألفي شخص ... ونقلت سفينة قرابة ألف منهم»: some of those
        if kind is None and noun_kind is None and not unit:
            kind = toll_before(words, first, after_kinds)     # «بلغ عدد القتلى في صفوف الجنود 17»
        if kind is None and noun_kind in ("persons", "fighters", "migrants", None) and not unit:
            kind = tally_before(words, first, after_kinds) or kind   # «ارتفعت حصيلة قتلى الهجوم إلى 35 شخصا»
        if kind is None and noun_kind is None and not unit:
            unit = goods_counted_before(words, first, units)  # «أن عدد الرزم المكتشفة بلغ 323»
            kind = "seized" if unit else None
        if kind is None and noun_kind is None and not unit:
            kind = people_counted_before(words, first, after_kinds)   # «يقدر عدد مقاتلي التنظيم بنحو 3 آلاف»
        if kind is None and noun_kind in ("fighters", "persons", "migrants") and len(following) > 1 \
                and ((became := lookup(following[1].strip("،,."), after_kinds)) in TOLLS
                     or (became := _HELD.get(stem(following[1]))) is not None):
            kind = became     # «سقط 20 مدنيا قتلى», «اقتيد خمسة أشخاص مخطوفين»
        if kind is None and noun_kind in ("fighters", "persons") and any(
                stem(w) in _LOST for w, _, _ in words[max(0, first - 8):first]):
            kind = "killed"     # «وخسر التنظيم في المواجهات 6 من مسلحيه»: men lost in a fight
        if kind is None and noun_kind in ("fighters", "persons", "migrants"):
            kind = _verb_afar(words, reach, before_kinds)
        if kind is None and noun_kind in ("fighters", "persons", "migrants"):
            # «ثلاثة أشخاص أوقفوا»: the verb comes after those counted
            # «وكان أربعة من عناصر الدورية قد أصيبوا»: a few words on
            kind = told_after(following[1:6], verbs_after)
        if (kind is None and people_kind and words[first][0].startswith("و") and 0 < first - people_until <= 3
                and noun_kind in ("fighters", "persons", "migrants")):
            kind = people_kind   # «قتلوا ثلاثة جنود فرنسيين وأربعة عسكريين»: the second were killed too
        if kind is None and noun_kind == "vehicles" and any(stem(w) in _SEIZED_AFTER for w in following[1:6]):
            kind = "seized"   # «أربع شاحنات تحمل وقودا ضُبطت»: the seizure told after the vehicles
        if kind is None and noun_kind == "vehicles" and counts and counts[-1].kind == "seized" \
                and words[first][0].startswith("و") and 0 < first - seized_until <= 4:
            kind = "seized"   # «ضبطت 1200 لتر من الوقود المهرب و3 سيارات»: the vehicles seized too
        if noun_kind in ("killed", "wounded", "missing"):
            kind = noun_kind
        elif noun_kind == "vehicles" and kind in _PEOPLE_KINDS:
            kind = "vehicles"   # «تسعة عناصر قتلوا و16 سيارة دمرت»: vehicles are no toll
        elif unit and kind not in (None, "seized", "arrested"):
            if not any(lookup(w, before_kinds) == "seized" for w in preceding):
                continue   # «فقدان 125 كيلوغراما من الذهب»: goods lost, no one missing
            kind = "seized"     # «في حوزة القتلى 3 أحزمة ناسفة»: found on the dead, not more dead
        elif kind in (None, "seized", "arrested") and unit:
            kind = "seized"   # «أوقفت صهريجا ينقل 40 ألف لتر»: the load of what was stopped
        elif kind == "seized":
            if noun_kind is None:
                continue   # «ضبط في أغسطس 2024»: a seizure counts goods or vehicles, not dates
            if noun_kind in ("migrants", "fighters", "persons"):
                # people are not goods; people caught crossing or at sea are migrants
                kind = "migrants" if noun_kind == "migrants" or noun_kind == "persons" and _MIGRATION.search(
                    normalized) else "arrested"
            else:
                unit = noun_kind
        elif kind == "arrested" and noun_kind == "migrants":
            kind = "migrants"   # «أوقفت الدورية 23 مهاجرا»: migrants stopped on their way are counted as such
        elif kind is None:
            kind = noun_kind if noun_kind != "persons" else "migrants" if _MIGRATION.search(normalized) else None
        if kind is None:
            continue
        a, b = span(q.start, q.end if not unit or not following else words[last + 1][2])
        counts.append(Count(kind, q.low, q.high, q.qualifier, unit=unit, item=item, start=a, end=b))
        used_words.update(range(first, last + 2))
        if kind == "vehicles":
            # «دمرت 4 آليات مسلحة وشاحنة»: one more vehicle joined to the list
            forms = _goods()[0]
            joined = next(((j, good[1]) for j in range(last + 2, min(last + 4, len(words)))
                           if words[j][0].startswith("و")
                           and (good := forms.get(words[j][0][1:].strip("،,.")) or ("", 0))[0] == "vehicles"), None)
            if joined is not None:
                a, b = span(words[joined[0]][1], words[joined[0]][2])
                counts.append(Count("vehicles", joined[1], joined[1], "exact", start=a, end=b))
                used_words.add(joined[0])
        if kind == "seized":
            seized_until = last + 1 + (2 if item else 0)
        if kind in _PEOPLE_KINDS:
            people_kind, people_until = kind, last + 1
            # «فقتلوا أربعة من الحراس ومسؤولا محليا»: one more of the same, joined by «و»
            joined = next((j for j in range(last + 1, min(last + 4, len(words)))
                           if words[j][0].startswith("و")), None)
            if joined is not None and words[joined][0][1:].strip("،,.") in persons:
                a, b = span(words[joined][1], words[joined][2])
                counts.append(Count(kind, 1, 1, "exact", start=a, end=b))
                used_words.add(joined)
    before = _kinds(words, before_kinds)
    counts += _seizure_list(words, used_words, before, span)
    # «مسلحيْن»: a sukun on the «ي» marks the dual a plural's letters would hide (normalizing drops it)
    marked = {i for i, (w, a, b) in enumerate(words) if w.endswith("ين") and "يْن" in text[slice(*span(a, b))]} \
        if "ْ" in text[start:end] else set()
    counts += _without_numbers(normalized, words, used_words, before, persons, duals, span, verbs_after, marked)
    counts += [Count(kind, 0, 0, "none", start=a, end=b)
               for m in (_NONE.finditer(normalized) if "دون" in normalized or "لم" in normalized
                         or "عدم" in normalized else ())
               for kind in (("killed", "wounded") if m.group(2) or m.group(1).startswith(normalize("إصابات"))
                            or m.group(1).endswith(normalize("بشرية")) else ("killed",))
               for a, b in [span(m.start(), m.end())]]
    return sorted(counts, key=lambda c: (c.start, c.kind))


# A verb whose subject may stand between it and those counted: «اعتقلت قوات الأمن في بنغازي 3 من
# عناصر التنظيم», «قتل الجيش في العملية 15 مسلحا» (a noun such as «مقتل» is not: «مقتل قائده في
# هجوم شنه 200 مسلح» counts the attackers, not the dead).
_VERBS_AFAR = frozenset(normalize(w) for w in (
    "اعتقل اعتقلت اعتقلوا أوقف أوقفت أوقفوا احتجز احتجزت قتل قتلت قتلوا اختطف اختطفت اختطفوا "
    "خطف خطفت خطفوا أسر أسرت").split())
_VERB_REACH = 4


def _verb_afar(words, reach: int, before_kinds: dict) -> str | None:
    """What a verb up to ``_VERB_REACH`` words before ``words[reach]`` did to those counted, when no
    sentence mark, number or «و» joining another clause stands between."""
    for j in range(reach - 1, max(-1, reach - 1 - _VERB_REACH), -1):
        word = words[j][0]
        if word.endswith(("،", ",", ".", ":", "؛")) or any(ch.isdigit() for ch in word):
            return None
        bare = word.strip("«»\"'()")
        if bare.removeprefix("و") in _VERBS_AFAR:
            return lookup(bare, before_kinds)
        if bare.startswith("و") and j != reach - 1:
            return None
    return None


_TWO_AFTER = frozenset(normalize(w) for w in ("اثنين", "اثنان", "اثنتين", "اثنتان"))


def _noun(following: list[str], after_kinds: dict, units: dict) -> tuple[str | None, str, str]:
    """(what the noun after a number counts, the unit of goods, the goods) from the next words."""
    # «ثلاثة آلاف عدد المهاجرين», «190 من هؤلاء المهاجرين»
    skip = {normalize(w) for w in ("من", "عدد", "هؤلاء", "هذه", "هذا", "أولئك")}
    for i, word in enumerate(following[:3]):
        if word in skip:
            continue
        if i == 0 and word.startswith("و") and word[1:3] == "ال" and lookup(word[1:], after_kinds) in TOLLS:
            return None, "", ""     # «17 والجرحى 20»: the next toll begins, this one's noun came before
        unit = lookup(word, units)
        if unit:
            rest = following[i + 1:]
            if unit == "pieces" and rest and lookup(rest[0], units) == "weapons":
                unit = "weapons"     # «74 قطعة سلاح»: pieces of weapons are weapons
            item = rest[1] if len(rest) > 1 and rest[0] == normalize("من") else (rest[0] if rest and unit == "pills" else "")
            return None, unit, item.strip("،,.;:!?()«»\"'")
        kind = lookup(word, after_kinds)
        if kind or i > 0:
            return kind, "", ""
        if word in (normalize("آخرين"), normalize("آخرون"), normalize("اخرين")):
            return None, "", ""
        return None, "", ""
    return None, "", ""


@cache
def _goods() -> tuple[dict[str, tuple[str, int]], frozenset[str]]:
    """Each form of a listed good → (unit, how many): singular (with its accusative «ـا») one,
    dual (nominative, accusative, construct: «مسدسان», «مسدسين», «قطعتي») two."""
    forms: dict[str, tuple[str, int]] = {}
    for unit, text in _GOODS.items():
        for word in (normalize(w) for w in text.split()):
            stem = word[:-1] + "ت" if word.endswith("ه") else word
            forms[word] = forms.get(word, (unit, 1))
            if not word.endswith("ه"):
                forms.setdefault(word + "ا", (unit, 1))
            for dual in (stem + "ين", stem + "ان", stem + "ي"):
                forms.setdefault(dual, (unit, 2))
    return forms, frozenset(normalize(w) for w in _LIST_OPENERS.split())


_PLACED = frozenset(normalize(w) for w in "في على داخل متن بواسطة عبر".split())   # «في شاحنة»: where, not what


def _kinds(words, table: dict) -> list[str | None]:
    """What each word looks up to in ``table`` (``_lookup``)."""
    seen = table.seen if isinstance(table, _Table) else {}
    return [seen[w] if w in seen else lookup(w, table) for w, _, _ in words]


def _seizure_list(words, used, before, span) -> list[Count]:
    """Goods a seizure lists without numbers: after a seizure word, the first good named and each
    good that opens an item of the list (after «و», a comma or «بينها») is one, or two if dual;
    a good's adjective («بندقية آلية») is not an item. «قطعة سلاح» is a weapon.
    ``before`` is what each word says happened (``_kinds`` of the casualty words)."""
    if "seized" not in before:
        return []
    forms, openers = _goods()
    weapon = {normalize("سلاح"), normalize("أسلحة"), normalize("السلاح")}
    out, seizing, first = [], False, False
    for i, (word, _, _) in enumerate(words):
        if before[i] == "seized":
            seizing, first = True, True
            continue
        if i in used:
            first = False    # a numbered item came first: the rest need a list mark
            continue
        if not seizing:
            continue
        bare = word.strip("،,.;:!?()«»\"'")
        noun = bare[1:] if bare.startswith("و") and bare[1:] in forms else bare
        if noun not in forms:
            continue
        previous = words[i - 1][0]
        opens = (noun != bare or previous.endswith(("،", ",", ":")) or previous in openers
                 or i > 1 and (words[i - 2][0].strip("،,"), previous) in _LIST_GOES_ON)
        if not (first or opens) or previous in _PLACED:
            continue
        first = False
        unit, value = forms[noun]
        if unit == "pieces" and i + 1 < len(words) and words[i + 1][0].strip("،,.") in weapon:
            unit = "weapons"
        a, b = span(words[i][1], words[i][2])
        out.append(Count("seized", value, value, "exact", unit=unit, start=a, end=b))
        used.add(i)
    return out


# one vehicle named without a number after what was done to it (not a seizure: those are goods)
_ONE_VEHICLE = frozenset(normalize(w) + end for w in _GOODS["vehicles"].split() if w != "دراجة"   # not tried on motorcycles
                         for end in ("", "ا"))
_VEHICLE_ACTS = frozenset(normalize(w) for w in (
    "أوقف أوقفت أوقفوا اعترض اعترضت اعترضوا استهدف استهدفت استهدفوا أحرق أحرقت أحرقوا دمر دمرت دمروا "
    "فجر فجرت فجروا استولى استولت استولوا غنم غنموا أعطب أعطبت احتراق إحراق تدمير استهداف اعتراض توقيف تفجير").split())
_CHAIN_REACH = 4     # words from one person counted to the next joined by «و»
# each word's noun (no punctuation, no «و» before a dual) and whether it can be counted alone
_NOUNS: dict[str, tuple[str, bool]] = {}


def _without_numbers(normalized, words, used, before, persons, duals, span, verbs_after,
                     marked_duals=frozenset()) -> list[Count]:
    """Counts told without a number: «مقتل جندي» (one killed), «مقتل جنديين» (two), «على متن
    مركبتين» (two vehicles), «قتيلان» (two killed), «ضبط صندوقين» (two boxes seized), «مقتل أحد
    المهربين» (one), «جندي واحد على الأقل لقي حتفه» (at least one killed)."""
    out = []
    if len(_NOUNS) > 100_000:   # a long archive's vocabulary stays bounded
        _NOUNS.clear()
    nouns = _NOUNS
    chain, chain_until = None, -1     # «بمقتل عقيد في الجيش وضابط في الاستخبارات»: one more each
    for i, (word, _, _) in enumerate(words):
        if i in used:
            continue
        if chain and i <= chain_until and word[:1] == "و" and word[1:].strip("،,.;:") in persons:
            a, b = span(words[i][1], words[i][2])
            out.append(Count(chain, 1, 1, "exact", start=a + 1, end=b))
            chain_until = i + _CHAIN_REACH
            continue
        if word not in nouns:
            noun = word.strip("،,.;:!?()«»\"'")
            noun = noun[1:] if noun.startswith("و") and noun[1:] in duals else noun
            nouns[word] = noun, (noun in duals or noun in persons or noun in _ONE or noun in _ONE_CASUALTY
                                 or noun == _ANOTHER)
        noun, may_count = nouns[word]
        if i and noun in _ONE_VEHICLE and (stem(words[i - 1][0]) in _VEHICLE_ACTS or i > 1 and words[
                i - 1][0].startswith("ال") and stem(words[i - 2][0]) in _VEHICLE_ACTS):
            # «أوقفت الدورية ناقلة»، «أحرقوا سيارة»: one vehicle the act was done to
            a, b = span(words[i][1], words[i][2])
            out.append(Count("vehicles", 1, 1, "exact", start=a, end=b))
            continue
        if noun in _FRACTIONS and i + 1 < len(words):
            unit = _tables()[2].get(words[i + 1][0].strip("،,."))
            back = i - 1 - (i > 1 and words[i - 1][0] in _ABOUT)
            if unit and back >= 0 and "seized" in (before[back], before[back - 1] if back else None):
                # «ضبط ما يقارب ربع طن من الحشيش», «نصف طن»: a fraction of the unit
                a, b = span(words[i][1], words[i + 1][2])
                out.append(Count("seized", _FRACTIONS[noun], _FRACTIONS[noun],
                                 "about" if back < i - 1 else "exact", unit=unit, start=a, end=b))
                continue
        if noun in _ONE_UNIT and i > 1 and i - 1 not in used and words[i - 1][0] not in _FRACTIONS:
            hedge = _UNIT_HEDGES.get((words[i - 2][0], words[i - 1][0])) or (
                "about" if words[i - 1][0] in _ABOUT else None)
            back = i - 1 - (hedge is not None) - (hedge == "more than")
            if back >= 0 and "seized" in before[max(0, back - 5):back + 1]:
                # «حجز أكثر من طن من الكيف», «صادرت كمية كوكايين تزيد على طن»: one of the unit, hedged
                a, b = span(words[back + 1][1], words[i][2])
                out.append(Count("seized", 1, None if hedge == "more than" else 1, hedge or "exact",
                                 unit=_tables()[2][noun], start=a, end=b))
                continue
        if not may_count and not (i and before[i - 1]) and i not in marked_duals:
            continue   # neither a counted noun nor after a casualty word: most words
        trigger = before[i - 1] if i else None
        if trigger is None and i > 1 and words[i - 1][0].startswith("ال") and (noun in persons or noun in _ONE):
            trigger = before[i - 2]     # «أوقفت الدورية رجلا»: the subject between
        if trigger is None and i > 1 and words[i - 1][0] == _ON and noun in persons:
            trigger = before[i - 2]     # «القبض على مهرب»: the one arrested
        if trigger is None and i > 1 and noun in persons:
            trigger = _verb_afar(words, i, _tables()[0])    # «اعتقلت قواته يوم الأحد قياديا»
        what, which = duals.get(noun, (None, None))
        hedged = False
        if trigger is None and what is not None:
            # «ضبطت الدورية نحو طنين»، «قتل نحو جنديين»: a hedge, then the subject, may stand between
            j = i - 1
            if j > 0 and words[j][0] in _ABOUT:
                j, hedged = j - 1, True
            if j > 0 and words[j][0].startswith("ال") and before[j] is None:
                j -= 1
            trigger = before[j] if j < i - 1 else None
        if what is None and i in marked_duals:
            what, which = "person", None     # «مسلحيْن»: two of those its plural would count
            trigger = trigger or _verb_afar(words, i, _tables()[0])     # «قتل الجيش أمس مسلحيْن»
        if trigger is None and (what == "person" or what == "kind" and which in ("fighters", "persons", "migrants")):
            # «إن شخصين قتلا», «جنديين أصيبا»: the verb after the two says what happened to them
            trigger = told_after([w.strip("،,.;:!?()«»\"'") for w, _, _ in words[i + 1:i + 6]], verbs_after)
        if noun == _ANOTHER:
            nxt = words[i + 1][0] if i + 1 < len(words) else ""
            if trigger in _PEOPLE_KINDS and not nxt.startswith("ال") and nxt.strip("،,.") not in persons:
                a, b = span(words[i][1], words[i][2])
                out.append(Count(trigger, 1, 1, "exact", start=a, end=b))
            continue
        if noun in _ONE_CASUALTY:
            if i and words[i - 1][0] == normalize("بين"):
                continue    # «سقطوا بين قتيل وجريح»: how a number splits, not one more
            a, b = span(words[i][1], words[i][2])
            out.append(Count(_ONE_CASUALTY[noun], 1, 1, "exact", start=a, end=b))
            continue
        if what is None and not trigger and noun not in persons:
            continue   # no count can start here: most words
        a, b = span(words[i][1], words[i][2])
        after = [w.strip("،,.;:!?()«»\"'") for w, _, _ in words[i + 1:i + 8]]
        if trigger is None and noun in persons and i and stem(words[i - 1][0]) in _FELL:
            # «وقع مهرب سجائر في قبضة السلطات»: one caught
            if (caught := told_after(after[:5], verbs_after)) in ("arrested", "abducted"):
                out.append(Count(caught, 1, 1, "exact", start=a, end=b))
            continue
        if noun in persons and after and after[0] in _ONE_AFTER:
            hedged = after[1:3] == _AT_LEAST
            kind = trigger or told_after(after[1:6], verbs_after)
            if kind and kind != "seized":
                b = span(words[i][1], words[i + (3 if hedged else 1)][2])[1]
                out.append(Count(kind, 1, None if hedged else 1, "at least" if hedged else "exact", start=a, end=b))
                used.add(i + 1)
            continue
        if noun in _ONE and after and trigger and trigger != "seized":
            out.append(Count(trigger, 1, 1, "exact", start=a, end=span(words[i][1], words[i + 1][2])[1]))
            continue
        if trigger and trigger != "seized" and (what == "person" or noun in persons or
                                                 what == "kind" and which in ("fighters", "persons", "migrants")):
            value = 2 if what else 1
            out.append(Count(trigger, value, value, "about" if hedged else "exact", start=a, end=b))
            if trigger in _PEOPLE_KINDS:
                chain, chain_until = trigger, i + _CHAIN_REACH
        elif what == "kind" and which != "persons" and (not trigger or which in ("killed", "wounded", "missing")):
            # «قتيلان»; «سقوط قتيلين»: the noun itself says what happened to them
            out.append(Count(which, 2, 2, "exact", start=a, end=b))
        elif what == "unit" and trigger == "seized":
            out.append(Count("seized", 2, 2, "about" if hedged else "exact", unit=which, start=a, end=b))
    return out
