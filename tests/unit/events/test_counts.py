"""Counts in claims, from our own sentences: each kind, each number form, and what is not a count."""

import pytest

from geo.events.counts import find_counts


def _kinds(text: str) -> list[tuple]:
    return [(c.kind, c.low, c.high, c.qualifier) for c in find_counts(text)]


@pytest.mark.parametrize("text, expected", [
    ("قال المتحدث إن نحو 700 من عناصر التنظيم يتحصنون في الوادي", [("fighters", 700, 700, "about")]),
    ("تحرك رتل من 45 آلية نحو الجنوب", [("vehicles", 45, 45, "exact")]),
    ("أعلن الهلال الأحمر مقتل 18 مهاجراً وفقدان العشرات قبالة الساحل",
     [("killed", 18, 18, "exact"), ("missing", 20, 99, "vague")]),
    ("ضبط 3 أطنان من الحشيش في شاحنة", [("seized", 3, 3, "exact")]),
    ("اعتقال خمسة من قيادات التنظيم", [("arrested", 5, 5, "exact")]),
    ("أسفر الهجوم عن مقتل ثلاثة جنود وإصابة سبعة آخرين", [("killed", 3, 3, "exact"), ("wounded", 7, 7, "exact")]),
    ("قتل أكثر من 20 مسلحا في الاشتباكات", [("killed", 21, None, "more than")]),
    ("سقط ما لا يقل عن 12 قتيلا", [("killed", 12, None, "at least")]),
    ("اختطاف 4 عمال أجانب جنوب المدينة", [("abducted", 4, 4, "exact")]),
    ("إنقاذ قرابة 300 مهاجر غير نظامي", [("migrants", 300, 300, "about")]),
    ("مقتل جنديين في انفجار لغم", [("killed", 2, 2, "exact")]),
    ("مقتل جندي وإصابة اثنين", [("killed", 1, 1, "exact"), ("wounded", 2, 2, "exact")]),
    ("ضبط 1,200 قرص مخدر و3 آلاف لتر من الوقود", [("seized", 1200, 1200, "exact"), ("seized", 3000, 3000, "exact")]),
    ("مقتل ١٥ شخصا", [("killed", 15, 15, "exact")]),
    ("سقط بين 10 و15 قتيلا", [("killed", 10, 15, "range")]),
    ("استهدف القصف المعسكر دون وقوع إصابات", [("killed", 0, 0, "none"), ("wounded", 0, 0, "none")]),
    ("لم يسفر الهجوم عن سقوط قتلى", [("killed", 0, 0, "none")]),
    ("وقال إن ثلاثة أشخاص أوقفوا بعد الحادث", [("arrested", 3, 3, "exact")]),     # the verb after
    ("يقدر عددهم بنحو 150 عنصراً", [("fighters", 150, 150, "about")]),            # a prefixed hedge
    ("ضبط الجهاز في أغسطس 2024 أكثر من ثلاثة أطنان من الحشيش", [("seized", 4, None, "more than")]),
    ("تجمع ثلاثة أشخاص أمام السوق", []),                                          # people, nothing happened
    ("فر الباقون على متن مركبتين نحو الحدود", [("vehicles", 2, 2, "exact")]),        # a dual, no number
    ("سقط قتيلان في الاشتباك", [("killed", 2, 2, "exact")]),
    ("مقتل مدنيين في القصف", []),                                                  # a plural, not two
    ("ضبط 41 مهاجرا في مزرعة", [("migrants", 41, 41, "exact")]),                  # people are not goods
    ("ضبط 7 مهربين", [("arrested", 7, 7, "exact")]),
    ("وصل إلى الجزيرة 842 شخصا على متن قوارب الهجرة", [("migrants", 842, 842, "exact")]),
    ("هاجم مسلحون القرية فقتلوا سبعة من السكان", [("killed", 7, 7, "exact")]),
    ("قتل خمسون شخصا على الأقل", [("killed", 50, None, "at least")]),
    ("وكان أربعة من عناصر الدورية قد أصيبوا في الكمين", [("wounded", 4, 4, "exact")]),   # the verb further on
    ("انتهت المداهمة باعتقال 4 مهربين", [("arrested", 4, 4, "exact")]),           # «ب» glued on
    ("سقطت القذيفة قرب المدرسة ولم يصب أحد", [("killed", 0, 0, "none"), ("wounded", 0, 0, "none")]),
    ("لم تخلف الغارة خسائر بشرية", [("killed", 0, 0, "none"), ("wounded", 0, 0, "none")]),
])
def test_each_kind_and_form(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text", [
    "تقدمت الكتيبة 128 مسافة 30 كم جنوب المدينة",      # a unit's number, a distance
    "وقع الهجوم عام 2016 عند الساعة 10 صباحا",          # a year, an hour
    "دفع المهربون 5000 دينار لكل راكب",                  # money
    "انسحبت القوات بعد 3 أيام من القتال",                # a duration
    "ينتج الحقل نحو 90 ألف برميل يوميا",                 # a rate, not an amount seized
    "هاجموا القاعدة في 12 أكتوبر الماضي",               # a day of a month
])
def test_numbers_that_are_not_counts_give_nothing(text):
    assert find_counts(text) == []


def test_seized_goods_keep_their_unit_and_item_and_offsets_point_into_the_text():
    text = "وأعلنت الجمارك ضبط ٣ أطنان من الحشيش"
    (count,) = find_counts(text)
    assert (count.unit, count.item) == ("tonnes", "الحشيش")
    assert text[count.start:count.end] == "٣ أطنان"


def test_a_count_in_another_clause_is_not_taken_when_a_span_is_given():
    text = "قتل 5 مسلحين في سرت. وفي خبر آخر تحرك رتل من 40 آلية."
    second = text.index("وفي")
    assert [(c.kind, c.low) for c in find_counts(text, second, len(text))] == [("vehicles", 40)]


def _seized(text: str) -> list[tuple]:
    return [(c.low, c.unit) for c in find_counts(text) if c.kind == "seized"]


@pytest.mark.parametrize("text, expected", [
    # a list after one seizure verb: a singular noun is one, a dual two, a number its own
    ("وحجزت الدورية بندقية آلية ومسدسين و240 طلقة ومنظارا ليليا",
     [(1, "weapons"), (2, "weapons"), (240, "pieces"), (1, "pieces")]),
    ("ضبط رجال الجمارك شاحنة محملة بالسجائر، وسيارتين رباعيتي الدفع", [(1, "vehicles"), (2, "vehicles")]),
    ("صادرت الشرطة 3 مخازن ذخيرة وقطعتي سلاح", [(3, "pieces"), (2, "weapons")]),
    ("ضبطت الوحدة 12 هاتفا وجهازي اتصال", [(12, "pieces"), (2, "pieces")]),
])
def test_a_seizure_list_counts_each_item(text, expected):
    assert _seized(text) == expected


@pytest.mark.parametrize("text", [
    "وصل المهربون في سيارة إلى الحدود",          # a vehicle, nothing seized
    "قال المسؤول إن بندقية واحدة تكفي",          # no seizure verb
    "ضبط المهربين بعد مطاردة استمرت ساعة",        # people seized are arrests, and uncounted
])
def test_goods_without_a_seizure_are_not_seized(text):
    assert _seized(text) == []


def test_a_weight_lost_is_no_missing_person():
    # «فقدان 125 كيلوغراما من الذهب»: a unit of goods, not people gone missing
    assert "missing" not in [c.kind for c in find_counts("أعلنت الوكالة فقدان 125 كيلوغراما من الذهب")]


@pytest.mark.parametrize("text, expected", [
    ("أوقفت الدورية رجلا يقود سيارة محملة بالوقود", [("arrested", 1, 1, "exact")]),     # accusative singular
    ("هاجم مسلحون المنجم فقتلوا أربعة من الحراس ومسؤولا محليا",
     [("killed", 4, 4, "exact"), ("killed", 1, 1, "exact")]),                          # one more, joined by «و»
    ("تقدر السلطات بنحو ثلاثة آلاف عدد المهاجرين العابرين كل شهر",
     [("migrants", 3000, 3000, "about")]),                                             # «عدد» before the noun
])
def test_singular_people_and_counted_nouns_after_number(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("أسفر الاشتباك عن مقتل أحد المهربين", [("killed", 1, 1, "exact")]),               # «أحد» + a plural
    ("واعتقلت القوة أحد قادة العصابة", [("arrested", 1, 1, "exact")]),
    ("جندي واحد على الأقل لقي حتفه في الانفجار", [("killed", 1, None, "at least")]),   # the number after the noun
    ("أصيب شابان برصاص مجهولين", [("wounded", 2, 2, "exact")]),
    ("قُتل قائد السرية في الكمين", [("killed", 1, 1, "exact")]),                       # a leader is one person
    ("وأودع الجيش 40 متمردا السجن", [("arrested", 40, 40, "exact")]),                    # put in prison
    ("التنظيم يقتل 12 جنديا في كمين", [("killed", 12, 12, "exact")]),                      # a headline's present tense
    ("وأفاد مصدر بمقتل عقيد في الجيش وضابط في الاستخبارات",                              # one, and one more
     [("killed", 1, 1, "exact"), ("killed", 1, 1, "exact")]),
    # a sukun marks the dual its plural's letters hide; without it «مهربين» is no number
    ("أوقفت الدورية أمس مهربيْن عند المعبر", [("arrested", 2, 2, "exact")]),
    ("أوقفت الدورية أمس مهربين عند المعبر", []),
])
def test_one_of_them_and_one_told_after_the_noun(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    # «بضع مئات»: a few hundred is one vague count, three to nine hundred
    ("كان المركب يقل بضع مئات من المهاجرين", [("migrants", 300, 900, "vague")]),
    ("فر عدة آلاف من المدنيين بعد القصف", []),                                  # fled: nothing happened to them
    # the construct form of two hundred, and verbs that say «more than»
    ("أسفرت المعارك عن أكثر من مئتي جريح", [("wounded", 201, None, "more than")]),
    ("قال الطبيب إن عدد القتلى تخطى العشرة", [("killed", 11, None, "more than")]),
    ("وأكد أن عدد الجرحى تجاوز 30 جريحا", [("wounded", 31, None, "more than")]),
    ("سقط في المواجهات ما يفوق 15 قتيلا", [("killed", 16, None, "more than")]),
    # harm told by a verb the old lists lacked, and the dead told by their bodies
    ("فتحت القوات النار فجرحت أكثر من عشرة محتجين", [("wounded", 11, None, "more than")]),
    ("وأصاب القصف نحو 40 شخصا بجروح", [("wounded", 40, 40, "about")]),
    ("وانتشلت فرق الإنقاذ جثث 12 مهاجرا قرب الشاطئ", [("killed", 12, 12, "exact")]),
    ("واستقبل المستشفى جثماني شابين قتلا في الاشتباك", [("killed", 2, 2, "exact")]),
    ("عثرت الدورية على جثة أحد المهربين", [("killed", 1, 1, "exact")]),
    # abductions by «خطف» and its forms, of young men and girls
    ("بدأ المسلحون بخطف ثلاثة شبان من المزرعة", [("abducted", 3, 3, "exact")]),
    ("خطفت الجماعة 9 فتيات من القرية", [("abducted", 9, 9, "exact")]),
    ("وأمرت النيابة بحبس أحد المتهمين", [("arrested", 1, 1, "exact")]),
    # no casualties, said with «عدم»
    ("وأكد الناطق عدم وقوع ضحايا في صفوف المدنيين", [("killed", 0, 0, "none")]),
    ("وأعلن الجيش عدم تسجيل إصابات", [("killed", 0, 0, "none"), ("wounded", 0, 0, "none")]),
    # goods counted in bundles
    ("ضبطت الشرطة ما يزيد على 200 رزمة من الحشيش", [("seized", 201, None, "more than")]),
])
def test_more_number_forms(text, expected):
    assert _kinds(text) == expected


def test_a_few_hundred_keeps_its_unit_and_its_noun():
    (c,) = find_counts("ضبط بضعة آلاف من الأقراص المخدرة")
    assert (c.kind, c.low, c.high, c.unit) == ("seized", 3000, 9000, "pills")


def test_a_number_with_the_article_and_a_tatweel_is_read():
    from geo.text.normalize import normalize
    from geo.text.numbers import find_quantities
    assert [(q.low, q.high) for q in find_quantities(normalize("أسر المفقودين الـ48"))] == [(48, 48)]
    assert [(q.low, q.high) for q in find_quantities(normalize("المهاجمين الأربعة"))] == [(4, 4)]


@pytest.mark.parametrize("text, expected", [
    # passengers of a migrant boat are migrants
    ("غرق قارب كان يقل نحو 90 راكبا قبالة الساحل", [("migrants", 90, 90, "about")]),
    # a date between the verb and those it names does not hide the verb
    ("قتل المسلحون في 12 مارس 2023 خمسة جنود عند الحاجز", [("killed", 5, 5, "exact")]),
    # a second number joined by «و» to those killed was killed too
    ("قتل المهاجمون ثلاثة جنود فرنسيين وأربعة عسكريين ماليين", [("killed", 3, 3, "exact"), ("killed", 4, 4, "exact")]),
])
def test_counts_across_the_words_between(text, expected):
    assert _kinds(text) == expected


def test_one_more_vehicle_joined_to_a_numbered_list_of_them_is_counted():
    counts = [(c.kind, c.low) for c in find_counts("دمرت الغارة 4 آليات مسلحة وشاحنة محملة بالذخيرة")]
    assert counts == [("vehicles", 4), ("vehicles", 1)]


def test_a_tanker_is_a_vehicle():
    assert [(c.kind, c.low) for c in find_counts("احترقت 3 صهاريج محملة بالوقود")] == [("vehicles", 3)]


def test_goods_listed_after_besides_are_seized_too():
    counts = [(c.kind, c.low, c.unit) for c in find_counts(
        "ضبطت الدورية بندقيتين و300 طلقة، فضلا عن منظار وهاتفين، إضافة إلى سيارة رباعية الدفع")]
    assert counts == [("seized", 2, "weapons"), ("seized", 300, "pieces"), ("seized", 1, "pieces"),
                      ("seized", 2, "pieces"), ("seized", 1, "vehicles")]


@pytest.mark.parametrize("text, expected", [
    ("سقط قتيل وجريحان في الاشتباك", [("killed", 1, 1, "exact"), ("wounded", 2, 2, "exact")]),
    ("أسفر القصف عن سقوط قتيلين وثلاثة جرحى", [("killed", 2, 2, "exact"), ("wounded", 3, 3, "exact")]),
    ("أحصت المستشفى 14 قتيلا", [("killed", 14, 14, "exact")]),      # the noun after a number is that number's
])
def test_the_dead_and_wounded_counted_by_their_noun_alone(text, expected):
    assert _kinds(text) == expected


def test_a_preposition_glued_to_digits_and_a_split_between_dead_and_wounded():
    assert _kinds("نشر المجلس صورا لـ١٣ قتيلا") == [("killed", 13, 13, "exact")]
    assert _kinds("سقط نحو عشرين شخصا بين قتيل وجريح") == []


def test_people_caught_crossing_are_migrants_and_people_caught_elsewhere_arrested():
    assert _kinds("ضبطت الدورية 120 شخصا أثناء محاولتهم التسلل عبر الحدود") == [("migrants", 120, 120, "exact")]
    assert _kinds("إحباط تسلل 300 شخص عبر الحدود") == [("migrants", 300, 300, "exact")]
    assert _kinds("ضبطت الشرطة 12 شخصا في سوق المدينة") == [("arrested", 12, 12, "exact")]


def test_those_it_happened_to_named_before_their_number():
    assert _kinds("وذكر أن المخطوفين 25 مواطنا يعملون في المدينة") == [("abducted", 25, 25, "exact")]
    assert _kinds("وبلغ عدد الموقوفين 14 شخصا") == [("arrested", 14, 14, "exact")]


def test_people_still_counted_among_the_missing():
    assert _kinds("ولا يزال 42 شخصا آخرون في عداد المفقودين") == [("missing", 42, 42, "exact")]


def test_the_wounded_and_missing_named_before_their_number():
    assert _kinds("وبلغ عدد المصابين 23 شخصا") == [("wounded", 23, 23, "exact")]
    assert _kinds("وارتفع عدد المفقودين إلى 40 مهاجرا") == [("missing", 40, 40, "exact")]


def test_no_news_of_victims_is_not_a_toll_of_none():
    assert _kinds("ولم ترد أنباء عن ضحايا في القصف") == []
    assert _kinds("ولم تتضح بعد معلومات عن قتلى") == []
    assert _kinds("ولم يسفر القصف عن ضحايا") == [("killed", 0, 0, "none")]
    assert _kinds("وانفجرت العبوة دون أن تسفر عن ضحايا") == [("killed", 0, 0, "none")]


@pytest.mark.parametrize("text, expected", [
    ("اعتقلت القوات الخاصة في بنغازي 3 من عناصر التنظيم", [("arrested", 3, 3, "exact")]),   # the subject between
    ("قتل الجيش في العملية 15 مسلحا", [("killed", 15, 15, "exact")]),
    ("أوقفت دورية في القطرون 23 مهاجرا", [("migrants", 23, 23, "exact")]),        # migrants stopped are migrants
    ("أعلن مقتل قائده في هجوم شنه 200 مسلح", [("fighters", 200, 200, "exact")]),   # a noun does not reach that far
    ("اعتقلت الشرطة، بعد مداهمة المنزل، 4 أشخاص", []),                            # a comma stops the reach
    ("استشهد عنصران من الجيش في الهجوم", [("killed", 2, 2, "exact")]),
])
def test_a_verb_reaches_those_counted_past_its_subject(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("وبلغ عدد القتلى في صفوف الجنود 17 والجرحى 20", [("killed", 17, 17, "exact"), ("wounded", 20, 20, "exact")]),
    ("وارتفعت حصيلة القتلى إلى 12 والجرحى إلى 30", [("killed", 12, 12, "exact"), ("wounded", 30, 30, "exact")]),
    ("وقتل الجيش أمس مسلحين اثنين", [("killed", 2, 2, "exact")]),
    ("قتل 15 مهاجرا على أيدي مهربين اثنين", [("killed", 15, 15, "exact")]),   # who killed them: not counted
    ("وأشار الوزير إلى تحييد 41 من المرتزقة", [("killed", 41, 41, "exact")]),   # «neutralised»: killed
    # two of those no list names, the verb past the subject says what was done to them
    ("اعتقل الأمن التونسي ليبيين اثنين عند المعبر", [("arrested", 2, 2, "exact")]),
    # a dual told before the verb that says what happened to the two
    ("وقال المكتب إن شخصين قتلا في الاشتباكات", [("killed", 2, 2, "exact")]),
    ("وأضاف أن جنديين أصيبا بجروح طفيفة", [("wounded", 2, 2, "exact")]),
], ids=["toll-noun-before-its-number", "toll-risen-to", "two-after-the-noun", "two-who-did-it", "neutralised",
        "two-after-an-unlisted-noun", "dual-then-killed", "dual-then-wounded"])
def test_a_toll_or_a_two_told_after_its_noun(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    # the load of a vehicle stopped is seized, in its unit, and the vehicle is one vehicle
    ("وأوقفت صهريجا ينقل 40 ألف لتر من الوقود", [("vehicles", 1, ""), ("seized", 40000, "litres")]),
    # vehicles seized, the seizure told after them, are seized vehicles
    ("وأفاد البيان أن ثلاث شاحنات تحمل وقودا مهربا ضُبطت قرب الحدود", [("seized", 3, "vehicles")]),
    ("ووصلت ثلاث شاحنات إلى الحدود", [("vehicles", 3, "")]),
])
def test_what_a_stopped_vehicle_carried_and_vehicles_seized(text, expected):
    assert [(c.kind, c.low, c.unit) for c in find_counts(text)] == expected


def test_some_of_them_counts_what_was_counted_before():
    text = "ووصل نحو ألفي مهاجر إلى الجزيرة في يومين، ونقلت سفينة قرابة ألف منهم إلى صقلية"
    assert _kinds(text) == [("migrants", 2000, 2000, "about"), ("migrants", 1000, 1000, "about")]
    # «منهم» after a toll is what the verb did to them
    assert _kinds("هاجم 50 مسلحا القرية وقتل 5 منهم") == [("fighters", 50, 50, "exact"), ("killed", 5, 5, "exact")]


def test_goods_counted_by_their_number_and_each_ones_measure():
    text = "وأوضح المسؤول أن عدد الرزم المكتشفة بلغ 323، يزن كل منها 250 غراما"
    assert [(c.kind, c.low, c.unit) for c in find_counts(text)] == [("seized", 323, "pieces")]
    text = "واحتوت الشحنة على 138 صاروخا طول الواحد منها 90 سم"
    assert [(c.kind, c.low, c.unit) for c in find_counts(text)] == [("seized", 138, "rockets")]


@pytest.mark.parametrize("text, expected", [
    ("وقال إن 190 من هؤلاء المهاجرين انتشلوا قرب الخمس", [("migrants", 190, 190, "exact")]),   # «من هؤلاء»
    ("وقال إن قواته اعتقلت يوم الأحد قياديا كبيرا في التنظيم", [("arrested", 1, 1, "exact")]),  # the verb afar
])
def test_those_counted_past_a_demonstrative_and_one_person_past_the_time(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("تحطم قارب يقل نحو 100 مهاجر قبالة سواحل صبراتة وفقد 60 منهم",
     [("migrants", 100, 100, "about"), ("missing", 60, 60, "exact")]),
    ("غرق قارب على متنه 80 مهاجرا قبالة زوارة وفُقد 30 منهم",
     [("migrants", 80, 80, "exact"), ("missing", 30, 30, "exact")]),
    ("وكان خمسة جنود قد أصيبوا في الكمين", [("wounded", 5, 5, "exact")]),
])
def test_a_verb_joined_by_and_tells_its_own_clause_not_what_happened_to_those_counted_before(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("أعدم التنظيم 21 أسيرا على الشاطئ", [("killed", 21, 21, "exact")]),
    ("إعدام خمسة عمال على يد المسلحين", [("killed", 5, 5, "exact")]),
])
def test_the_executed_are_killed(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("ارتفعت حصيلة قتلى الهجوم على القرية إلى 35 شخصا", [("killed", 35, 35, "exact")]),
    ("هاجم مسلحون القرية فراح ضحيته 7 مدنيين", [("killed", 7, 7, "exact")]),
    ("حصد الهجوم أرواح 30 شخصا", [("killed", 30, 30, "exact")]),
])
def test_a_toll_told_by_its_tally_or_the_lives_it_took(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("قتل 11 شخصا، بينهم ستة جنود، في الهجوم", [("killed", 11, 11, "exact")]),
    ("أنقذت البحرية 215 مهاجرا، من بينهم 30 امرأة", [("migrants", 215, 215, "exact")]),
    ("أنقذ خفر السواحل 100 مهاجر وتوفي منهم 5", [("migrants", 100, 100, "exact"), ("killed", 5, 5, "exact")]),
])
def test_a_breakdown_of_those_counted_is_no_count_of_its_own(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("أوقفت البحرية ناقلة أجنبية قبالة الساحل", [("vehicles", 1, 1, "exact")]),
    ("أحرق المسلحون سيارة الضحايا", [("vehicles", 1, 1, "exact")]),
    ("أدى تبادل إطلاق النار إلى احتراق صهريج", [("vehicles", 1, 1, "exact")]),
    ("وصلت سيارة إلى المدينة", []),                     # nothing was done to it
])
def test_one_vehicle_an_act_was_done_to_is_one_vehicle(text, expected):
    assert _kinds(text) == expected


def test_those_counted_then_what_they_became():
    assert _kinds("سقط 20 مدنيا قتلى في هجوم قرب البلدة") == [("killed", 20, 20, "exact")]
    assert _kinds("سقط خمسة جنود جرحى") == [("wounded", 5, 5, "exact")]


def test_tractor_trailers_and_buses_are_vehicles():
    assert _kinds("نقل السلاح على متن أربعة جرارات كبيرة") == [("vehicles", 4, 4, "exact")]
    assert _kinds("أوقفت الدورية حافلة قرب الحدود") == [("vehicles", 1, 1, "exact")]


@pytest.mark.parametrize("text, expected", [
    ("ضبطت الشرطة 300 علبة سجائر مهربة", [("seized", 300, "boxes")]),
    ("ضبطت وحدة من الجيش 74 قطعة سلاح وذخائر", [("seized", 74, "weapons")]),
    ("ضبط 20 جوالا من الدقيق", [("seized", 20, "sacks")]),
])
def test_packs_sacks_and_pieces_of_weapons(text, expected):
    assert [(c.kind, c.low, c.unit) for c in find_counts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("غرق 40 مهاجرا قبالة سواحل صبراتة", [("killed", 40, 40, "exact")]),
    ("وكان 12 مهاجرا قد غرقوا قبالة زوارة", [("killed", 12, 12, "exact")]),
    ("غرق قارب يقل 40 مهاجرا", [("migrants", 40, 40, "exact")]),      # the boat sank; the 40 were aboard
    ("تم إيقاف 80 مهاجرا في سبها", [("migrants", 80, 80, "exact")]),
])
def test_the_drowned_are_killed_and_those_stopped_are_counted(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("اعتقلت الشرطة جزائريا قرب الحدود", [("arrested", 1, 1, "exact")]),
    ("قتل مسلحون سودانيا في الكفرة", [("killed", 1, 1, "exact")]),
    ("وصل مهاجر سوداني إلى الكفرة", []),          # nothing done to him
])
def test_one_person_named_by_nationality(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("يقدر عدد مقاتلي التنظيم بنحو 3 آلاف", [("fighters", 3000, 3000, "about")]),
    ("بلغ عدد المقاتلين الأجانب 5 آلاف", [("fighters", 5000, 5000, "exact")]),
    ("وبلغ عدد المهاجرين الذين أنقذوا 120", [("migrants", 120, 120, "exact")]),
])
def test_fighters_and_migrants_named_by_their_number_before_it(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    # more of them, told by what they are now
    ("قتل أربعة جنود، ولم يعثر بعد على أربعة آخرين يعدون مفقودين",
     [("killed", 4, 4, "exact"), ("missing", 4, 4, "exact")]),
    ("واقتيد خمسة أشخاص مخطوفين", [("abducted", 5, 5, "exact")]),
    # one more after a casualty word, not «آخر معاقل» (the last)
    ("فقضى أحد أفراد الوفد وأصيب آخر بجروح بالغة", [("killed", 1, 1, "exact"), ("wounded", 1, 1, "exact")]),
    ("وسقط آخر معاقل التنظيم", []),
    # men a side lost in a fight are killed; vehicles lost are not
    ("وخسر الجيش في الاشتباكات ثلاثة من العسكريين", [("killed", 3, 3, "exact")]),
    # the one arrested after «القبض على»; people counted by their nationality
    ("وتم القبض على مهرب في الصحراء", [("arrested", 1, 1, "exact")]),
    ("واعتقلت الشرطة في نيامي 11 نيجريا", [("arrested", 11, 11, "exact")]),
], ids=["others-missing", "persons-abducted", "another-wounded", "the-last-stronghold", "lost-men",
        "arrest-on", "nationality"])
def test_people_counted_by_what_they_are_or_became(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("وهو 14 عاملا أوكرانيا، وقع كله في أيدي خفر السواحل", [("arrested", 14, 14, "exact")]),
    ("ووقع 9 من أبناء البلدة في قبضة الخاطفين", [("abducted", 9, 9, "exact")]),
    ("وقع مهرب سجائر اليوم في قبضة السلطات", [("arrested", 1, 1, "exact")]),
    ("قتل 15 مهاجرا على أيدي مهربين", [("killed", 15, 15, "exact")]),     # by whose hands: no arrest
], ids=["fell-into-the-hands", "into-the-kidnappers-grip", "one-caught", "at-the-hands-of"])
def test_those_fallen_into_someones_hands(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("حجزت وحدات الجيش 12 رشاشا و3 قاذفات صواريخ", [("seized", 12, "weapons"), ("seized", 3, "weapons")]),
    ("ضبطت 70 كبسولة كوكايين في المطار", [("seized", 70, "pills")]),
    # vehicles joined to the goods a seizure lists are seized too
    ("ضبطت دورية 1200 لتر من الوقود المهرب و3 سيارات", [("seized", 1200, "litres"), ("seized", 3, "vehicles")]),
    ("ووصلت ثلاث شاحنات إلى الحدود", [("vehicles", 3, "")]),
], ids=["launchers", "capsules", "vehicles-in-the-list", "vehicles-on-their-own"])
def test_goods_seized_by_their_units(text, expected):
    assert [(c.kind, c.low, c.unit) for c in find_counts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("وغنمت القوات 4 سيارات مسلحة و10 بنادق", [("seized", 4, "vehicles"), ("seized", 10, "weapons")]),
    ("ووجد في حوزة القتلى 3 أحزمة ناسفة", [("seized", 3, "pieces")]),      # found on the dead, not 3 more dead
    ("فقدان 125 كيلوغراما من الذهب", []),                                    # goods lost, no one missing
], ids=["spoils", "in-the-possession-of-the-dead", "goods-lost"])
def test_spoils_and_goods_found_on_people_are_seized(text, expected):
    assert [(c.kind, c.low, c.unit) for c in find_counts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("فقضت على ستة مسلحين ودمرت سيارة", [("killed", 6, ""), ("vehicles", 1, "")]),
    ("تسعة عناصر قتلوا و16 سيارة تنقل أسلحة دمرت", [("killed", 9, ""), ("vehicles", 16, "")]),
    ("وشملت المحجوزات في العملية نفسها 655 هاتفا جوالا", [("seized", 655, "pieces")]),
], ids=["finished-off", "vehicles-are-no-toll", "the-seized-items"])
def test_killed_by_finishing_off_and_vehicles_never_a_toll(text, expected):
    assert [(c.kind, c.low, c.unit) for c in find_counts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("ضبطت الدورية نحو طنين من الحشيش", [("seized", 2, "about", "tonnes")]),
    ("ضبطت الدورية طنين من الحشيش", [("seized", 2, "exact", "tonnes")]),
    ("قتل نحو جنديين", [("killed", 2, "about", "")]),
], ids=["about-two-tonnes-after-the-subject", "two-tonnes-after-the-subject", "about-two-soldiers"])
def test_a_dual_after_a_hedge_or_the_subject(text, expected):
    assert [(c.kind, c.low, c.qualifier, c.unit) for c in find_counts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("ضبطت القوات نصف طن من الكوكايين", [("seized", 0.5, "exact", "tonnes")]),
    ("ضبط نحو ربع طن من الحشيش", [("seized", 0.25, "about", "tonnes")]),
    ("وكان نصف المهاجرين من السودان", []),
], ids=["half-a-tonne", "about-a-quarter-tonne", "half-of-them"])
def test_a_fraction_of_a_unit_seized(text, expected):
    assert [(c.kind, c.low, c.qualifier, c.unit) for c in find_counts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("حجزت وحدات الجيش أكثر من طن من الكيف المعالج", [("seized", 1, None, "more than", "tonnes")]),
    ("صادرت القوات كمية كوكايين تزيد على طن", [("seized", 1, None, "more than", "tonnes")]),
    ("ضبطت دورية نحو طن من الحشيش", [("seized", 1, 1, "about", "tonnes")]),
    ("وزن الشحنة أكثر من طن", []),
], ids=["more-than-a-tonne", "a-quantity-over-a-tonne", "about-a-tonne", "no-seizure"])
def test_one_unit_seized_without_a_number(text, expected):
    assert [(c.kind, c.low, c.high, c.qualifier, c.unit) for c in find_counts(text)] == expected
