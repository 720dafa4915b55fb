"""geo.text.furniture: the lines a copied page carries that are not the report."""

from __future__ import annotations

import pytest

from geo.text.furniture import furniture_spans


def _cut(text: str) -> list[str]:
    return [text[a:b] for a, b in furniture_spans(text)]


@pytest.mark.parametrize("text, furniture", [
    ("سبها - \nوصلت قوة عسكرية إلى أوباري أمس.", ["سبها - "]),
    ("طرابلس - بوابة الوسط\nاندلعت اشتباكات في الزاوية.", ["طرابلس - بوابة الوسط"]),
    ("ليبيا – كشفت النيابة عن شبكة تهريب في مصراتة.", ["ليبيا – "]),
    ("الرئيسية | ليبيا | عربي ودولي\nأعلن الجيش سيطرته على القطرون.", ["الرئيسية | ليبيا | عربي ودولي"]),
    ("وصلت تعزيزات إلى الكفرة.\nشارك: فيسبوك تويتر واتساب", ["شارك: فيسبوك تويتر واتساب"]),
    ("وصلت تعزيزات إلى الكفرة.\n( وال – الكفرة )", ["( وال – الكفرة )"]),
    ("الكفرة 01 يوليو 2018\nوصل مهاجرون إلى الكفرة.", ["الكفرة 01 يوليو 2018"]),
    ("ضبطت شحنة وقود في زوارة.\nاقرأ أيضا: اشتباكات في تاجوراء", ["اقرأ أيضا: اشتباكات في تاجوراء"]),
    ("ضبطت شحنة وقود في زوارة.\nمواضيع ذات صلة\nقصف جوي قرب سرت\nمهاجرون في صبراتة",
     ["مواضيع ذات صلة", "قصف جوي قرب سرت", "مهاجرون في صبراتة"]),
], ids=["dateline-alone", "dateline-outlet", "dateline-before-text", "menu", "share", "agency-tag",
        "date-line", "read-also", "related-list"])
def test_furniture_is_found(text, furniture):
    assert _cut(text) == furniture


@pytest.mark.parametrize("text", [
    "شارك مئات المسلحين في الهجوم على بلدة الشويرف.",
    "قال المتحدث - في تصريح مقتضب - إن القوة وصلت إلى سبها أمس الأحد بعد مسير طويل عبر الصحراء.",
    "وقع الهجوم في 5 مايو 2020 قرب أوباري.",
    "رتل عسكري يتحرك من سبها نحو أوباري\nأفاد مصدر أن الرتل انطلق فجرا.",
    "بني وليد - وصلت قوة إلى المدينة، ثم انسحبت.\nوأضاف المصدر - وهو ضابط - أن القوة عادت.",
], ids=["verb-shaaraka", "dashes-inside", "dated-sentence", "headline", "second-dash-line"])
def test_report_text_is_not_furniture(text):
    cut = _cut(text)
    assert cut in ([], ["بني وليد - "]), cut      # at most the first line's dateline


def test_offsets_point_into_the_original_text():
    text = "الرئيسية | أخبار | ليبيا\nسبها - \nوصلت قوة إلى أوباري.\nشارك: فيسبوك تويتر"
    spans = furniture_spans(text)
    assert [text[a:b] for a, b in spans] == ["الرئيسية | أخبار | ليبيا", "سبها - ", "شارك: فيسبوك تويتر"]
    assert spans == sorted(spans)


@pytest.mark.parametrize("text, furniture", [
    ("الكفرة 01 يوليو 2018 (وال) – أعاد جهاز الهجرة 56 مهاجرا.", ["الكفرة 01 يوليو 2018 (وال) – "]),
    ("سبها 14 أبريل 2017 (وال) - عبر المجلس عن صدمته.", ["سبها 14 أبريل 2017 (وال) - "]),
    ("طرابلس: \nأعلن الوزير أن الميناء أغلق.", ["طرابلس: "]),
    ("أعيد مهاجرون إلى بلادهم.\n(سبها وال)", ["(سبها وال)"]),
], ids=["dated-dateline", "dated-dateline-hyphen", "colon-dateline", "bare-agency-tag"])
def test_dated_datelines_and_tags(text, furniture):
    assert _cut(text) == furniture


def test_a_dateline_under_the_headline():
    text = "قوة تعبر حدود النيجر\nالنيجر - وكالات\nرفضت الحكومة طلبا بعبور قوة إلى أغاديز."
    assert _cut(text) == ["النيجر - وكالات"]
    body = "وصلت قوة إلى أغاديز صباح اليوم بعد رحلة طويلة عبر الصحراء.\nالنيجر - بعد ذلك انسحبت القوة."
    assert _cut(body) == []


def test_the_teaser_under_a_related_headline_is_another_report():
    teaser = ("طرابلس (وكالة محلية)ــ أعلن مسؤول أن قوة وصلت إلى غريان بعد مسير طويل من مدينة الزاوية "
              "عبر الطرق الجبلية، وأنها انتشرت في محيط المدينة لحماية المؤسسات العامة فيها.")
    text = "ضبطت شحنة وقود في زوارة.\nاقرأ أيضا:\nقوة تصل إلى غريان\n" + teaser
    assert _cut(text) == ["اقرأ أيضا:", "قوة تصل إلى غريان", teaser]
    # a first-line dateline with a tatweel run is a dateline too
    assert _cut("سبها (وال)ــ وصلت قوة إلى أوباري.") == ["سبها (وال)ــ "]


@pytest.mark.parametrize("line", [
    "صورة: مسلحون في صحراء جنوب ليبيا قرب أوباري",
    "(صورة أرشيفية): رتل عسكري في طريقه إلى سبها",
    "تاريخ النشر: 10 نوفمبر 2011",
    "نشر في: داعش",
    "كلمات دلالية: الحدود الجنوبية سبها الكفرة",
    "المصدر: وكالات",
])
def test_a_line_the_page_labels_as_caption_byline_date_or_tags_is_furniture(line):
    text = f"قتل خمسة جنود في هجوم على بوابة في سبها.\n{line}\nوانسحب المهاجمون نحو أوباري."
    assert _cut(text) == [line]


def test_a_sentence_opening_on_a_word_like_a_label_is_the_report():
    text = "كتبت الصحيفة أن مسلحين هاجموا بوابة في سبها.\nصورة الوضع في أوباري تبدو قاتمة: اشتباكات كل ليلة."
    assert _cut(text) == []
