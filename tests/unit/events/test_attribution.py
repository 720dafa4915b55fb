"""Who says it: speaker, role, source type, outlet; carried-over speakers."""

from bisect import bisect_left
from pathlib import Path

import pytest

from geo.events.context import SourceContext
from geo.events.attribution import find_article_outlet, find_attribution
from geo.text.lexicon import load_lexicon
from geo.text.normalize import normalize_with_offsets
from geo.text.sentences import split_sentences

SEED = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "000_d5b969f8fb028db7.txt"


def statements(text: str):
    """The attribution of every sentence of ``text``, in order (None for the outlet's voice)."""
    lex = load_lexicon()
    norm, offsets = normalize_with_offsets(text)
    ctx = SourceContext(text, norm, offsets, lex, actor_hits=lex.actors.find(norm))
    ctx.actor_starts = [h.start for h in ctx.actor_hits]
    ctx.article_outlet = find_article_outlet(ctx)
    out = []
    for span in split_sentences(text):
        st = find_attribution(ctx, bisect_left(offsets, span.start), bisect_left(offsets, span.end))
        if st is not None and not st.hedged:
            ctx.last = st
        out.append(st)
    return out


@pytest.mark.parametrize(
    ("text", "speaker", "role", "source_type"),
    [
        ("قال المتحدث باسم الكتيبة 166، العقيد سالم المبروك، إن عناصر مسلحة وصلت إلى سبها.",
         "سالم المبروك", "العقيد، المتحدث باسم الكتيبة 166", "named official"),
        ("وقال آمر غرفة العمليات حسن الفيتوري: «تقدمت قواتنا نحو الشويرف».",
         "حسن الفيتوري", "آمر غرفة العمليات", "named official"),
        ("وقال أحد السكان: «شاهدنا سيارات مسلحة تتجول في السوق».", "أحد السكان", "", "witnesses/residents"),
        ("وأفاد شهود عيان بأن رتلاً عبر البلدة ليلاً.", "شهود عيان", "", "witnesses/residents"),
        ("وقال مصدر أمني، طلب عدم ذكر اسمه، إن مهربين عبروا الحدود.", "مصدر أمني", "", "unnamed official"),
        ("وقال مصدر مطلع إن القافلة تحركت فجراً.", "مصدر مطلع", "", "anonymous"),
        ("وقالت مديرية أمن الكفرة، في بيان، إن دورية اعترضت شاحنة.", "مديرية أمن الكفرة", "",
         "organisation statement"),
        ("وقال الناشط المدني خالد الورفلي إن مسلحين ينتشرون في الأحياء.", "خالد الورفلي", "الناشط المدني",
         "named person"),
    ],
    ids=["role-comma-name", "role-then-name-colon", "resident", "witnesses", "unnamed-official",
         "anonymous-source", "organisation-statement", "named-person"],
)
def test_source_of_one_sentence(text, speaker, role, source_type):
    st = statements(text)[0]
    assert st is not None
    assert (st.attribution.speaker, st.attribution.speaker_role, st.attribution.source_type) == \
        (speaker, role, source_type)


def test_outlet_voice_has_no_statement():
    assert statements("وانتشرت عناصر مسلحة في محيط المطار.") == [None]


def test_continuation_keeps_the_speaker():
    text = ("قال وزير الداخلية، عماد الطرابلسي، إن قواته انتشرت في الزاوية. "
            "وتابع: «سنبقى هناك حتى تنتهي المهمة». وأضاف أن الدوريات ستستمر.")
    first, second, third = statements(text)
    assert first.attribution.speaker == "عماد الطرابلسي"
    assert second.continuation and second.attribution == first.attribution
    assert third.continuation and third.attribution == first.attribution


def test_surname_alone_finds_the_known_speaker_and_role():
    text = ("قال قائد المنطقة العسكرية، اللواء علي كنه، إن القوات تتقدم. "
            "وذكر كنه أن القوات وصلت إلى أوباري.")
    first, second = statements(text)
    assert second.attribution.speaker == "علي كنه"
    assert second.attribution.speaker_role == first.attribution.speaker_role


def test_source_anaphora_returns_to_the_statement():
    text = ("وقالت الكتيبة 128 مشاة، في بيان، إن قوة انتشرت قرب تمسة. "
            "وأضاف البيان أن القوة ستبقى أسبوعين.")
    first, second = statements(text)
    assert first.attribution.source_type == "organisation statement"
    assert second.attribution == first.attribution


def test_according_to_after_the_claim():
    st = statements("انسحبت القوات من المدينة، بحسب مصادر محلية.")[0]
    assert st is not None and st.attribution.source_type == "anonymous"
    assert st.attribution.speaker == "مصادر محلية"


def test_seed_sources():
    """The seed report: minister to the paper, the military-intelligence report, the unnamed source, residents."""
    sts = [s for s in statements(SEED.read_text(encoding="utf-8")) if s is not None]
    by_speaker = {s.attribution.speaker: s.attribution for s in sts}
    minister = by_speaker["مهدي البرغثي"]
    assert minister.source_type == "named official"
    assert minister.speaker_role == "وزير الدفاع المفوض بحكومة الوفاق الوطني"
    assert minister.cited_outlet == "جريدة ديلي تلغراف"
    report = by_speaker["المخابرات العسكرية الليبية"]
    assert report.source_type == "organisation statement" and report.cited_outlet == "جريدة ديلي تلغراف"
    # Unnamed, and quoted by the paper, not by the publisher: it rests on the paper's word (the samples' rule).
    assert by_speaker["مصدر بحكومة الوفاق الوطني"].source_type == "outlet"
    assert "ديلي تلغراف" in by_speaker["مصدر بحكومة الوفاق الوطني"].cited_outlet
    assert by_speaker["مصادر داخل مدينة بني وليد"].source_type == "witnesses/residents"
    assert by_speaker["أحد السكان"].source_type == "witnesses/residents"
    assert by_speaker["وحيد الزوي"].source_type == "named official"
    assert "شهداء الزاوية" in by_speaker["وحيد الزوي"].speaker_role
    continuing = [s for s in sts if s.continuation]
    assert continuing and all(s.attribution.speaker == "مهدي البرغثي" for s in continuing)


@pytest.mark.parametrize("raw, tidy", [
    ("أنباء اليوم الاثنين", "أنباء"),
    ("السرية مع ذلك النفير العام", "السرية"),
    ("في البيان المتحدث باسم الجيش أحمد المسماري", "المتحدث باسم الجيش أحمد المسماري"),
    ("مهدي البرغثي", "مهدي البرغثي"),
    ("مصدر عسكري", "مصدر عسكري"),
], ids=["weekday", "filler", "statement-lead", "name", "unnamed"])
def test_a_speaker_field_holds_no_date_weekday_or_filler(raw, tidy):
    from geo.events.source_kinds import tidy_speaker
    assert tidy_speaker(raw) == tidy


@pytest.mark.parametrize("form, name", [
    ("الأناضول", "وكالة الأناضول"), ("للأناضول", "وكالة الأناضول"), ("فرانس برس", "وكالة فرانس برس"),
    ("وكالة الصحافة الفرنسية", "وكالة فرانس برس"), ("رويترز", "وكالة رويترز"),
    ("موقع مجهول الاسم", "موقع مجهول الاسم"),
], ids=["short", "with-lam", "afp", "afp-arabic-name", "reuters", "unknown-kept"])
def test_one_agency_one_name(form, name):
    from geo.text.lexicon import outlet_name
    assert outlet_name(form) == name


def test_a_bare_definite_noun_names_the_source_told_in_full_before():
    text = ("وقالت سرية حماية الجفرة إن مسلحين اقتربوا من هون. "
            "وأضافت السرية أن عناصرها انتشروا عند مداخل المدينة.")
    first, second = statements(text)
    assert first.attribution.speaker.startswith("سرية حماية الجفرة")
    assert second.attribution == first.attribution


def test_the_same_sources_named_after_the_claim_are_the_sources_told_before():
    text = ("وأفادت مصادر أمنية تونسية بأن الدورية اعترضت سيارتين قرب الحدود. "
            "وانتهى الاشتباك باعتقال أربعة مهربين، بحسب المصادر ذاتها.")
    first, second = statements(text)
    assert second.attribution == first.attribution


def test_the_author_of_a_statement_named_after_it_is_the_source():
    (st,) = statements("وذكر البيان الذي نشرته المنطقة العسكرية «سبها» على صفحتها أن المجموعات تنسق مع مهربين.")
    assert st.attribution.source_type == "organisation statement"
    assert st.attribution.speaker == "المنطقة العسكرية سبها"


def test_the_speaker_after_a_while_aside():
    (st,) = statements("وبينما تضاربت الأنباء بشأن سقوط الميناء، أكدت مصادر محلية أن مواجهات تجري قرب السدرة.")
    assert st is not None and st.attribution.speaker == "مصادر محلية"


@pytest.mark.parametrize("text", [
    "وأفادت أنباء بأن مسلحين وصلوا إلى محيط البلدة.",
    "وقال خبراء إن الضربات استهدفت معاقل التنظيم.",
])
def test_unnamed_reports_and_experts_are_anonymous_not_a_named_person(text):
    (st,) = statements(text)
    assert st is not None and st.attribution.source_type == "anonymous"


def test_a_bare_role_names_the_person_who_holds_it_told_before():
    text = ("وقال آمر المنطقة العسكرية اللواء علي كنه إن قواته تقدمت في الجنوب. "
            "وأكد الآمر أن الطيران قصف مواقع للمسلحين.")
    first, second = statements(text)
    assert second.attribution == first.attribution


@pytest.mark.parametrize(("text", "speaker", "source_type"), [
    ("أعلنت وزارة الداخلية ضبط 500 كيلوغرام من الحشيش في مصراتة.", "وزارة الداخلية", "organisation statement"),
    ("أعلنت وزارة الداخلية في بيان ضبط شحنة مخدرات في مصراتة.", "وزارة الداخلية", "organisation statement"),
    ("أكد الجيش النيجري مقتل 15 مسلحا قرب ديفا.", "الجيش النيجري", "organisation statement"),
    ("أفاد مصدر طبي بمقتل ثلاثة أشخاص في قصف على ترهونة.", "مصدر طبي", "anonymous"),
], ids=["masdar-object", "masdar-after-statement", "army-announces-toll", "bi-masdar"])
def test_an_event_announced_as_a_verbal_noun_has_its_announcer_as_source(text, speaker, source_type):
    st = statements(text)[0]
    assert st is not None
    assert (st.attribution.speaker, st.attribution.source_type) == (speaker, source_type)


def test_a_verb_with_no_event_noun_after_it_is_not_a_statement():
    # «أعلنت» with an ordinary object and no «أن»: nothing is reported as said
    assert statements("أعلنت الحكومة الحداد ثلاثة أيام في البلاد.") == [None]


@pytest.mark.parametrize(("text", "speaker", "outlet"), [
    ("أكد مصدر أمني في سبها لوكالة الأنباء الليبية أن مسلحين هاجموا بوابة أمنية.", "مصدر أمني في سبها",
     "وكالة الأنباء الليبية"),
    ("وقال مسؤول محلي لـ«الشرق الأوسط» إن قوات انتشرت في مرزق.", "مسؤول محلي", "الشرق الأوسط"),
    ('وصرح عميد بلدية الكفرة لـ"بوابة الوسط" بأن مهربين عبروا الحدود.', "عميد بلدية الكفرة", "بوابة الوسط"),
], ids=["li-wakala", "li-quoted", "li-double-quoted"])
def test_the_outlet_spoken_to_is_the_outlet_not_part_of_the_speaker(text, speaker, outlet):
    st = statements(text)[0]
    assert st is not None
    assert st.attribution.speaker == speaker
    assert outlet in st.attribution.cited_outlet


@pytest.mark.parametrize(("text", "speaker", "role", "source_type"), [
    ("وأوضح رئيس المجلس المحلي في غات، في تصريح هاتفي، أن قوة مسلحة دخلت المدينة.", "رئيس المجلس المحلي في غات",
     "", "unnamed official"),
    ("وقال المتحدث باسم الجيش أحمد المسماري في البيان إن قواته تقدمت.", "أحمد المسماري",
     "المتحدث باسم الجيش", "named official"),
    ("وقال رئيس الوزراء علي زيدان إن الحكومة أرسلت تعزيزات.", "علي زيدان", "رئيس الوزراء", "named official"),
], ids=["office-in-a-town", "name-before-fi", "ali-is-a-name"])
def test_an_office_in_a_place_is_no_name(text, speaker, role, source_type):
    st = statements(text)[0]
    assert (st.attribution.speaker, st.attribution.speaker_role, st.attribution.source_type) == \
        (speaker, role, source_type)


def test_a_date_aside_is_not_the_speaker():
    st = statements("أعلن متحدث باسم خفر السواحل، أول أمس الجمعة، غرق قارب قبالة زوارة.")[0]
    assert st.attribution.speaker == "متحدث باسم خفر السواحل"


def test_according_to_stops_at_who():
    text = "وتبعد القوات عشرة كلم عن البلدة، بحسب الثوار الذين أكدوا أنهم صدوا هجوما."
    st = statements(text)[0]
    assert st is not None and st.attribution.speaker == "الثوار"


@pytest.mark.parametrize(("text", "speaker", "cited"), [
    ("وبحسب ما أفاد به شهود لوكالة رويترز، فإن طائرات مسيرة قصفت مواقع في ترهونة.", "شهود", "وكالة رويترز"),
    ("وحسب مراسل الجزيرة في طرابلس فإن اشتباكات عنيفة تدور في عين زارة.", "مراسل الجزيرة في طرابلس", ""),
    ("ووفقا لبيان صادر عن الجيش التشادي، فإن متمردين هاجموا مواقع في تيبستي.", "الجيش التشادي", ""),
    ("ونقل موقع «أفريكا غيت» عن مصدر عسكري قوله إن الطيران قصف رتلا قرب أوباري.", "مصدر عسكري",
     "موقع أفريكا غيت"),
    ("وأفادت وكالة الأنباء الرسمية نقلا عن مصادر أمنية بأن مسلحين هاجموا قرية.", "مصادر أمنية",
     "وكالة الأنباء الرسمية"),
    ("ووفق ما أفاد به مصدر أمني، هاجم مسلحون بلدة أوباري.", "مصدر أمني", ""),
], ids=["according-to-what-witnesses-told-an-agency", "according-to-stops-at-fa-inna",
        "statement-issued-by", "quoted-saying", "agency-quoting-sources", "wifq-without-alif"])
def test_who_speaks_when_an_outlet_or_a_statement_stands_between(text, speaker, cited):
    st = statements(text)[0]
    assert st is not None
    assert st.attribution.speaker == speaker
    assert st.attribution.cited_outlet == cited


@pytest.mark.parametrize(("text", "speaker", "role", "cited"), [
    ("وقال مصدر مطلع في تصريح خاص إن مسلحين انتشروا في أوباري.", "مصدر مطلع", "", ""),
    ("وأكد مصدر عسكري في تصريح لقناة ليبيا الأحرار أن مسلحين انتشروا في أوباري.", "مصدر عسكري", "",
     "قناة ليبيا الأحرار"),
    ("وقال مدير أمن الكفرة إن دورية ضبطت 40 مهاجرا قرب الكفرة.", "مدير أمن الكفرة", "", ""),
    ("وقال عضو المجلس البلدي لمدينة سبها محمد علي إن اشتباكات اندلعت في سبها.", "محمد علي",
     "عضو المجلس البلدي لمدينة سبها", ""),
    ("وذكر بيان أصدرته وزارة الدفاع أن دورية اعترضت مهربين قرب غات.", "وزارة الدفاع", "", ""),
    ("وأفاد بيان صادر عن مكتب الإعلام بالجيش بأن قوة انتشرت في سبها.", "مكتب الإعلام بالجيش", "", ""),
    ("وصرح آمر الكتيبة 128 العميد حسن معتوق الزادمة بأن قواته انتشرت في سبها.", "حسن معتوق الزادمة",
     "آمر الكتيبة 128 العميد", ""),
    ("وأوضح المتحدث باسم قوة حماية الجنوب، في تصريح للجزيرة نت، أن قواته انتشرت في سبها.",
     "المتحدث باسم قوة حماية الجنوب", "", "الجزيرة نت"),
], ids=["interview-aside-without-comma", "interview-aside-names-the-outlet", "office-of-a-directorate",
        "the-name-ali-is-no-preposition", "statement-issued-by-indefinite", "statement-issued-by-about-verb",
        "three-word-name-after-the-rank", "body-after-bism-is-no-name"])
def test_speaker_after_an_aside_an_office_or_a_statement(text, speaker, role, cited):
    st = statements(text)[0]
    assert st is not None
    a = st.attribution
    assert (a.speaker, a.speaker_role, a.cited_outlet) == (speaker, role, cited)


def test_media_unnamed_are_outlets():
    st = statements("وذكرت وسائل إعلام ليبية أن مسلحين هاجموا نقطة تفتيش قرب سبها.")[0]
    assert (st.attribution.speaker, st.attribution.source_type) == ("وسائل إعلام ليبية", "outlet")


def test_a_campaign_launched_is_announced():
    st = statements("أعلن الجيش أمس إطلاق حملة عسكرية على تخوم طرابلس.")[0]
    assert st is not None and st.attribution.speaker == "الجيش"


def test_a_participle_of_saying_gives_the_sentence_to_the_subject_of_its_verb():
    st = statements("وتفقد الرئيس التشادي القوات في كوري بوغودي، معلنا أنه سيجري إنشاء معسكر في المنطقة.")[0]
    assert st is not None and st.attribution.speaker == "الرئيس التشادي"
    # with no subject named, the speaker before goes on
    first, second = statements("وقال الرئيس التشادي محمد ديبي إن الوضع هادئ. وطالب المنقبين بمغادرة "
                               "كوري بوغودي، معلنا أنه سيجري إنشاء معسكر في المنطقة.")
    assert second is not None and second.continuation
    assert second.attribution.speaker == first.attribution.speaker == "محمد ديبي"
    # a sentence in the outlet's voice with no such participle stays the outlet's
    assert statements("وتفقد الرئيس التشادي القوات في كوري بوغودي.")[0] is None


def test_according_to_is_a_whole_word_and_ends_where_it_was_said():
    # «وفقد أثر 11 آخرين»: «فقد» (lost) after «و», no «وفق»
    assert statements("لقي 17 جنديا حتفهم وفقد أثر 11 آخرين في هجوم قرب تيلابيري.")[0] is None
    st = statements("وهاجم مسلحون بلدة أوباري، حسب بيان نشرته الرئاسة على فيسبوك.")[0]
    assert st is not None
    assert (st.attribution.speaker, st.attribution.source_type) == ("الرئاسة", "organisation statement")


def test_that_after_without_opens_no_claim():
    # «من دون أن يذكر»: the «أن» of «without», not of a claim told
    st = statements("وبينت المقاطع لحظة تحرير المهاجرين في الكفرة، من دون أن يذكر شيء عن توقيف الشبكة.")[0]
    assert st is None or "دون" not in st.attribution.speaker and "المهاجرين" not in st.attribution.speaker


@pytest.mark.parametrize(("text", "speaker", "role"), [
    ("وأوضح كاكا تودا، العامل في منظمة محلية غير حكومية، أن مسلحين هاجموا قرية قرب تيلابيري.",
     "كاكا تودا", "العامل في منظمة محلية غير حكومية"),
    ("وقال وزير الدفاع، مهدي البرغثي، إن قواته انتشرت في سبها.", "مهدي البرغثي", "وزير الدفاع"),
    ("وأوضح المسماري، خلال مؤتمر صحافي عقده في مدينة بنغازي، أن مسلحين انتشروا في سبها.", "المسماري", ""),
    ("أعلنت شعبة الإعلام الحربي الليبية، في 14 سبتمبر 2021، أن قوات الجيش هاجمت مواقع قرب سبها.",
     "شعبة الإعلام الحربي الليبية", ""),
], ids=["name-then-what-they-do", "office-then-name", "press-conference-aside", "dated-aside"])
def test_asides_between_commas(text, speaker, role):
    st = statements(text)[0]
    assert (st.attribution.speaker, st.attribution.speaker_role) == (speaker, role)


def test_a_plural_speech_verb_after_kana_and_a_report_aside_before_ila():
    st = statements("وكان خبراء تابعون للأمم المتحدة قد أشاروا في تقرير صدر في يناير 2018 إلى مجموعات "
                    "من المرتزقة تنتشر في الكفرة.")[0]
    assert st is not None and st.attribution.speaker == "خبراء تابعون للأمم المتحدة"


def test_what_a_source_called_it_in_quotes_is_not_its_name():
    st = statements("وبحسب ما سمّته الوزارة «الحصيلة غير النهائية»، قتل 17 جنديا في هجوم قرب نيامي.")[0]
    assert st is not None and st.attribution.speaker == "الوزارة"
    # an outlet word before the quotes: the quoted words are the outlet's name
    st = statements("وبحسب ما نشرته صحيفة «الوسط»، قتل 17 جنديا في هجوم قرب سبها.")[0]
    assert st is not None and "الوسط" in st.attribution.speaker


def test_the_same_account_again_is_its_last_teller():
    text = ("وقال سكان إن اشتباكات اندلعت في مدينة سبها أمس.\n"
            "وبحسب الرواية نفسها، اقتحمت ميليشيا حي الطيوري.")
    first, again = statements(text)
    assert again is not None and again.attribution == first.attribution


@pytest.mark.parametrize("opening, outlet", [
    ("وفي حديث نقله راديو «الصحراء» اليوم،", "راديو الصحراء"),
    ("وفي تصريح لقناة الوطنية،", "قناة الوطنية"),
])
def test_an_interview_told_before_the_speaker_names_the_outlet_and_the_speaker_after_it(opening, outlet):
    (st,) = statements(f"{opening} قال المتحدث باسم الجيش إن قواته قتلت متمردين قرب مرزق.")
    assert (st.attribution.speaker, st.attribution.cited_outlet) == ("المتحدث باسم الجيش", outlet)


def test_the_radio_named_again_is_the_radio():
    first, again = statements("ونقل راديو «الصحراء» عن مصدر عسكري أن قوات انتشرت في مرزق.\n"
                              "وذكر الراديو أن الحكومة أعلنت انسحاب المرتزقة من تيبستي.")
    assert again is not None and again.attribution.source_type == "outlet"
    assert again.attribution.speaker == "راديو الصحراء"


def test_according_to_what_they_said_with_no_one_named_is_an_unnamed_source():
    (st,) = statements("وبحسب ما تداولوه، فإن مهربين في زوارة دفعوا ثمن مضخة مسروقة.")
    assert (st.attribution.speaker, st.attribution.source_type) == ("", "anonymous")


@pytest.mark.parametrize("opening, kind", [
    ("وذكرت هذه المعلومات أن", "anonymous"),
    ("وأشارت التقارير إلى أن", "anonymous"),
    ("وقالت السلطات الليبية إن", "unnamed official"),
])
def test_a_source_named_by_what_it_is_is_unnamed(opening, kind):
    (st,) = statements(f"{opening} مسلحين انتشروا قرب مرزق.")
    assert st.attribution.source_type == kind


@pytest.mark.parametrize("opening", [
    "وفي بيان نشرته على صفحتها الرسمية،",
    "وفي بيان صدر مساء السبت،",
])
def test_a_statement_told_before_its_author_names_the_author_after_it(opening):
    (st,) = statements(f"{opening} قالت مديرية أمن الكفرة إن دورية ضبطت 40 مهاجرا في الكفرة.")
    assert st is not None
    assert (st.attribution.speaker, st.attribution.source_type) == ("مديرية أمن الكفرة", "organisation statement")


@pytest.mark.parametrize("aside", [
    "طلب عدم الكشف عن اسمه",
    "فضّل عدم ذكر اسمه",
    "رافضاً الكشف عن هويته",
])
def test_an_asked_anonymity_is_no_part_of_the_speaker_and_the_outlet_after_it_is_the_one_told(aside):
    (st,) = statements(f"قال مسؤول محلي، {aside}، لوكالة فرانس برس إن مسلحين خطفوا ثلاثة عمال في أوباري.")
    assert st.attribution.speaker == "مسؤول محلي"
    assert st.attribution.source_type == "unnamed official"
    assert st.attribution.cited_outlet == "وكالة فرانس برس"


@pytest.mark.parametrize("tail, speaker, kind", [
    ("حسبما أعلن الجيش", "الجيش", "organisation statement"),
    ("كما أفاد شهود عيان", "شهود عيان", "witnesses/residents"),
    ("وفق ما ذكرته وزارة الداخلية", "وزارة الداخلية", "organisation statement"),
])
def test_a_source_told_after_the_claim_is_named_without_its_verb(tail, speaker, kind):
    (st,) = statements(f"قُتل خمسة جنود في هجوم على موقع عسكري قرب تيلابيري، {tail}.")
    assert (st.attribution.speaker, st.attribution.source_type) == (speaker, kind)


def test_an_office_of_a_town_is_the_speaker_not_the_town():
    (st,) = statements("وقال رئيس المجلس البلدي لمدينة غات إن مسلحين من تشاد يتمركزون في غات.")
    assert st.attribution.speaker == "رئيس المجلس البلدي لمدينة غات"
    assert st.attribution.source_type == "unnamed official"


def test_the_outlet_an_unnamed_source_spoke_to_in_an_according_phrase_is_the_outlet():
    (st,) = statements("وحسب ما صرح به مصدر عسكري لـ«بوابة الوسط»، فإن مجموعة مسلحة هاجمت البوابة جنوب سرت.")
    assert st.attribution.speaker == "مصدر عسكري"
    assert st.attribution.cited_outlet == "بوابة الوسط"


@pytest.mark.parametrize("headline, speaker, kind", [
    ("الجيش النيجري: مقتل 20 إرهابيا في غارة قرب أغاديز", "الجيش النيجري", "organisation statement"),
    ("المتحدث باسم خفر السواحل: إنقاذ 120 مهاجرا قبالة صبراتة", "المتحدث باسم خفر السواحل", "unnamed official"),
    ("مصادر محلية: مسلحون يتمركزون في وادي زمزم", "مصادر محلية", "anonymous"),
])
def test_a_headline_names_its_source_before_a_colon(headline, speaker, kind):
    (st,) = statements(headline)
    assert (st.attribution.speaker, st.attribution.source_type) == (speaker, kind)


@pytest.mark.parametrize("line", [
    "النيجر: مقتل 17 جنديا في هجوم على مركز للشرطة",
    "اقرأ أيضا: تعزيزات عسكرية تتجه إلى الكفرة",
    "المصدر: وكالات الأنباء والمواقع المحلية",
])
def test_a_place_or_the_page_furniture_before_a_colon_is_no_source(line):
    assert statements(line) == [None]


@pytest.mark.parametrize("text, speaker", [
    ("ونشرت غرفة العمليات المشتركة صورا تظهر انتشار قواتها في سرت.", "غرفة العمليات المشتركة"),
    ("وبث المجلس أمس مقطعا مصورا يوثق سيطرته على المدينة.", "المجلس"),
])
def test_who_published_pictures_or_a_video_is_the_source_of_what_they_show(text, speaker):
    (st,) = statements(text)
    assert st is not None and st.attribution.speaker == speaker
    assert st.attribution.source_type == "organisation statement"


def test_forces_deployed_are_no_pictures_published():
    assert statements("ونشر الجيش قواته وآلياته في محيط سرت.") == [None]


def test_a_group_claiming_an_attack_is_the_speaker_without_its_claim():
    (st,) = statements("وأعلن تنظيم داعش مسؤوليته عن التفجير الذي استهدف مركزا للشرطة في زليتن.")
    assert st.attribution.speaker == "تنظيم داعش"


def test_an_outlet_ascribing_words_to_a_source_names_both():
    (st,) = statements("ونسبت وكالة الأنباء الألمانية إلى مصدر عسكري قوله إن مسلحين هاجموا بوابة في سبها.")
    assert (st.attribution.speaker, st.attribution.cited_outlet) == ("مصدر عسكري", "وكالة الأنباء الألمانية")


def test_a_speaker_before_a_relative_clause_is_named_without_it():
    (st,) = statements("وكان أبو عبيدة، الذي يقود فرع التنظيم في درنة، قد توعد بأن يهاجم مقاتلوه مدينة سرت.")
    assert st.attribution.speaker == "أبو عبيدة"
    assert st.modality == "planned"


@pytest.mark.parametrize("text, modality", [
    ("وهدد المتحدث بأن قواته ستهاجم مدينة سرت.", "planned"),
    ("وزعم المتحدث باسم الجماعة أن مسلحين من الجيش هاجموا قرية قرب سبها.", "alleged"),
    ("وقال المتحدث باسم الجماعة إن مسلحين هاجموا قرية قرب سبها.", ""),
])
def test_a_threat_or_an_allegation_is_said_so_by_its_verb(text, modality):
    (st,) = statements(text)
    assert st.modality == modality


@pytest.mark.parametrize("text, speaker", [
    ("واتهم الجيش المتمردين بأنهم هاجموا قرية قرب سبها.", "الجيش"),
    ("واتهم الجيش الوطني الليبي قوات الوفاق بأنها قصفت مطار معيتيقة.", "الجيش الوطني الليبي"),
    ("واتهم المتحدث باسم الجيش التشادي المتمردين بأنهم هاجموا قرية.", "المتحدث باسم الجيش التشادي"),
])
def test_the_accuser_speaks_not_the_accused(text, speaker):
    (st,) = statements(text)
    assert st.attribution.speaker == speaker


@pytest.mark.parametrize("text, speaker, kind", [
    ("وبرواية شهود من المنطقة، فإن المسلحين انسحبوا نحو أوباري.", "شهود من المنطقة", "witnesses/residents"),
    ("قالت القوات البحرية الليبية إن دورية أوقفت زورقا قبالة زوارة.", "القوات البحرية الليبية",
     "organisation statement"),
    ("وذكرت منظمات حقوقية أن مسلحين خطفوا عمالا في أوباري.", "منظمات حقوقية", "organisation statement"),
    ("وروى سالم المبروك، أحد عناصر الدورية، أن المسلحين فروا نحو مرزق.", "سالم المبروك", "named person"),
    ("وقال المتحدث باسم الجماعة إن مسلحين هاجموا قرية قرب سبها.", "المتحدث باسم الجماعة", "unnamed official"),
    ("وخلفت المعارك، بحسب منظمات إنسانية محلية 300 قتيل في سبها.", "منظمات إنسانية محلية",
     "organisation statement"),
])
def test_more_forms_of_who_said_it(text, speaker, kind):
    (st,) = statements(text)
    assert (st.attribution.speaker, st.attribution.source_type) == (speaker, kind)


def test_a_claimant_with_his_title_and_name_is_named_in_full():
    (st,) = statements("وكان الرئيس التشادي المنتخب محمد إدريس ديبي قد زعم أن ذهبا يهرب أسبوعيا من تشاد إلى ليبيا.")
    # the name is read as its last two words (a known limit of _tail_name), the title as the role
    assert st.attribution.speaker.endswith("إدريس ديبي")
    assert st.attribution.speaker_role.startswith("الرئيس التشادي")
    assert st.modality == "alleged"


@pytest.mark.parametrize("tail, outlet", [
    ("بحسب ما نقلته قناة «فرانس 24»", "قناة فرانس 24"),
    ("بحسب قناة فرانس 24", "قناة فرانس 24"),
])
def test_a_number_in_an_outlets_name_is_part_of_it(tail, outlet):
    (st,) = statements(f"وانسحب المسلحون نحو الحدود، {tail}.")
    assert st.attribution.speaker == outlet


@pytest.mark.parametrize("text, speaker", [
    ("أما المتحدث باسم الجيش فقال إن قواته سيطرت على مدينة سبها.", "المتحدث باسم الجيش"),
    ("وأما المصادر الأمنية فذكرت أن المسلحين انسحبوا نحو أوباري.", "المصادر الأمنية"),
])
def test_a_speaker_named_first_then_fa_and_the_verb_of_saying(text, speaker):
    (st,) = statements(text)
    assert st is not None and st.attribution.speaker == speaker


def test_as_for_with_no_verb_of_saying_is_the_outlets_voice():
    assert statements("أما الجيش فلم يعلق على الهجوم.") == [None]


def test_an_affiliation_aside_is_no_name():
    (st,) = statements("أما الناشط سالم المبروك، من الرابطة الليبية لحقوق الإنسان، فروى أن المهاجمين فروا.")
    assert st.attribution.speaker == "سالم المبروك"


@pytest.mark.parametrize("second", ["وبحسب روايته، فإن المهاجمين انسحبوا نحو أوباري.",
                                    "وتقول هذه المصادر إن المهاجمين انسحبوا نحو أوباري."])
def test_his_account_and_these_sources_are_the_source_named_before(second):
    first, again = statements(f"وقالت مصادر محلية إن مسلحين هاجموا بوابة في سبها.\n{second}")
    assert again is not None and again.attribution.speaker == "مصادر محلية"


@pytest.mark.parametrize("text, speaker", [
    ("وفي مارس الماضي، أعلنت وزارة الداخلية أن مسلحين قتلوا 44 مدنيا.", "وزارة الداخلية"),
    ("وقبل ذلك، في مارس الماضي، أعلنت وزارة الداخلية أن مسلحين قتلوا 44 مدنيا.", "وزارة الداخلية"),
    ("ومساء السبت، قال مصدر أمني إن مسلحين هاجموا البوابة.", "مصدر أمني"),
])
def test_when_told_first_then_who(text, speaker):
    (st,) = statements(text)
    assert st is not None and st.attribution.speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("عثر مركز جمارك ميناء بنغازي البحري، أمس، على شحنة كبتاغون.\n"
     "ونشر المركز عشرات الصور للشحنة، موضحا أن الشحنة وصلت من سوريا.", "مركز جمارك ميناء بنغازي البحري"),
    ("حمّل الجيش الوطني الليبي الميليشيات المسؤولية.\nوأعلن الجيش أمس أن قواته تتمركز في غريان.",
     "الجيش الوطني الليبي"),
])
def test_a_body_named_again_by_its_head_word_is_the_body_named_in_full_before(text, speaker):
    *_, last = statements(text)
    assert last.attribution.speaker == speaker


def test_a_head_word_with_nothing_named_before_stays_as_written():
    (st,) = statements("وقال الجيش إن قواته تتمركز في غريان.")
    assert st.attribution.speaker == "الجيش"


@pytest.mark.parametrize("text, speaker", [
    ("وأشار التقرير الأممي إلى أن شبكات التهريب تنشط في الكفرة.", "التقرير الأممي"),
    ("وبحسب تقرير لفريق خبراء الأمم المتحدة، فإن مقاتلين تشاديين يتمركزون في الجنوب.", "فريق خبراء الأمم المتحدة"),
])
def test_a_report_named_with_no_statement_before_is_named_as_written(text, speaker):
    (st,) = statements(text)
    assert st.attribution.speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("كذبت سرية الحماية ما روجته وسائل إعلام عن وجود مسلحي داعش داخل بني وليد.", "سرية الحماية"),
    ("ودحضت الكتيبة الأنباء التي تحدثت عن دخول مسلحين إلى سبها.", "الكتيبة"),
])
def test_who_belies_or_refutes_a_report_is_its_source_without_what_is_denied(text, speaker):
    (st,) = statements(text)
    assert st.attribution.speaker == speaker


@pytest.mark.parametrize("text, speaker, kind", [
    ("وقال المتحدث باسم الجيش عبر حسابه على تويتر إن قواته دخلت سرت.", "المتحدث باسم الجيش", "unnamed official"),
    ("وأعلنت الوزارة في تدوينة على فيسبوك أن دورية ضبطت مهربين قرب زوارة.", "الوزارة", "organisation statement"),
    ("وكتب المبعوث الأممي على منصة إكس أن اشتباكات اندلعت في طرابلس.", "المبعوث الأممي", "unnamed official"),
])
def test_a_post_on_an_account_names_who_posted_it(text, speaker, kind):
    (st,) = statements(text)
    assert (st.attribution.speaker, st.attribution.source_type) == (speaker, kind)


@pytest.mark.parametrize(("text", "speaker"), [
    ("وقال صباح اليوم مصدر أمني إن مسلحين هاجموا بوابة في سبها.", "مصدر أمني"),
    ("وذكر يوم الأحد مسؤول محلي أن مسلحين هاجموا بوابة في سبها.", "مسؤول محلي"),
    ("وأكد مساء أمس الناطق باسم الجيش أن الطيران قصف مواقع قرب أوباري.", "الناطق باسم الجيش"),
], ids=["morning", "weekday", "evening-yesterday"])
def test_a_time_between_the_verb_and_its_subject_is_no_speaker(text, speaker):
    st = statements(text)[0]
    assert st is not None and st.attribution.speaker == speaker


@pytest.mark.parametrize(("text", "speaker"), [
    ("وأفاد مراسلنا بأن اشتباكات عنيفة تدور في محيط مطار طرابلس.", "مراسلنا"),
    ("وقال مراسل الوكالة إن اشتباكات اندلعت قرب المطار.", "مراسل الوكالة"),
], ids=["our-correspondent", "the-agency-correspondent"])
def test_a_correspondent_speaks_for_the_outlet(text, speaker):
    st = statements(text)[0]
    assert (st.attribution.speaker, st.attribution.source_type) == (speaker, "outlet")


def test_a_description_after_the_speaker_is_no_speaker_and_the_outlet_after_it_is_spoken_to():
    text = ("وأوضح المتحدث، وهو من لجنة مراقبة الوقود في ليبيا وفضل ألا يكشف اسمه، لوكالة الأنباء الألمانية "
            "أن السفينتين ضبطتا قرب زوارة.")
    st = statements(text)[0]
    assert st.attribution.speaker == "المتحدث"
    assert st.attribution.cited_outlet == "وكالة الأنباء الألمانية"


def test_the_day_a_statement_was_issued_is_no_part_of_its_author():
    st = statements("قال بيان لوزارة الداخلية في النيجر صدر يوم الجمعة إن مسلحين نصبوا كمينا قرب بيلما.")[0]
    assert (st.attribution.speaker, st.attribution.source_type) == ("وزارة الداخلية في النيجر", "organisation statement")


def test_transport_is_no_quoting():
    # «نقل» quotes only with «عن» or «أن» after it: «وسيلة نقل شائعة» names nobody
    assert statements("فالدواب وسيلة نقل شائعة في الصحراء، إذ يسهل هناك اعتراض السيارات.") == [None]
    st = statements("ونقل التلفزيون الرسمي أن مسلحين هاجموا بوابة في سبها.")[0]
    assert st is not None and st.attribution.speaker == "التلفزيون الرسمي"


@pytest.mark.parametrize(("text", "speaker"), [
    ("أعلنت قوات الدعم السريع سيطرتها على مدينة الفاشر.", "قوات الدعم السريع"),
    ("وأكد الجيش مقتلهم في غارة قرب سرت.", "الجيش"),
], ids=["its-control", "their-killing"])
def test_an_event_noun_with_its_owner_is_what_was_announced(text, speaker):
    st = statements(text)[0]
    assert st is not None and st.attribution.speaker == speaker


def test_a_suspected_affiliation_is_no_hedge_on_the_attack():
    st = statements("أسفر هجوم شنه مسلحون يشتبه في انتمائهم إلى تنظيم الدولة عن مقتل 20 مدنيا قرب ميناكا.")[0]
    assert st is None or not st.hedged
    st = statements("ويشتبه في أن مسلحين هاجموا قرية قرب ميناكا.")[0]
    assert st is not None and st.hedged


@pytest.mark.parametrize(("text", "speaker", "source_type"), [
    ("لقي 30 شخصا مصرعهم في هجوم قرب تيلابيري، وفق حصيلة رسمية.", "حصيلة رسمية", "unnamed official"),
    ("قتل 30 شخصا في هجوم قرب تيلابيري، بحسب أرقام الأمم المتحدة.", "الأمم المتحدة", "organisation statement"),
], ids=["an-official-toll", "the-un-figures"])
def test_figures_are_no_person(text, speaker, source_type):
    st = statements(text)[0]
    assert (st.attribution.speaker, st.attribution.source_type) == (speaker, source_type)


@pytest.mark.parametrize(("text", "speaker", "source_type", "outlet"), [
    ("وبحسب شهود عيان نقل موقع «سودان تربيون» أقوالهم، فإن مسلحين هاجموا منقبين قرب الحدود.",
     "شهود عيان", "witnesses/residents", "موقع سودان تربيون"),
    ("وقال مسؤول محلي تحدث لـ«الشرق الأوسط» إن مسلحين هاجموا بوابة في سبها.", "مسؤول محلي", "anonymous",
     "الشرق الأوسط"),
    ("وفق رواية المعدن محمد عيسى شرف الدين، فإن مسلحين طردوا المنقبين.", "المعدن محمد عيسى شرف الدين",
     "named person", ""),
], ids=["witnesses-whose-words-a-site-relayed", "an-official-who-spoke-to", "the-account-of"])
def test_who_relayed_them_and_whose_account_is_no_part_of_the_speaker(text, speaker, source_type, outlet):
    st = statements(text)[0]
    assert (st.attribution.speaker, st.attribution.source_type) == (speaker, source_type)
    assert outlet in st.attribution.cited_outlet
