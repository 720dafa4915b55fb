"""Event types in phrasings real reports use (our own sentences): deportations and forces sent are movements, «بعد أن طردت» an attack."""

import datetime as dt

import pytest

from geo.events.extract import extract_events
from geo.models import Article


def _events(text: str) -> list:
    return extract_events(Article(id="t", text=text, published=dt.date(2024, 3, 2), outlet="مرصد"))


@pytest.mark.parametrize("text, count", [
    ("رحّل جهاز مكافحة الهجرة غير الشرعية في مدينة الكفرة 40 مهاجرا سودانيا إلى بلادهم.", 40),
    ("أبعدت السلطات في طبرق 60 عاملا مصريا دخلوا البلاد بصورة غير قانونية.", 60),
])
def test_a_deportation_from_a_town_is_a_movement_out_of_it_with_its_migrants(text, count):
    (event,) = _events(text)
    assert event.type == "movement"
    assert [p.role for p in event.places] == ["origin"]
    assert [(c.kind, c.low) for c in event.counts] == [("migrants", count)]


def test_migrants_returned_to_their_country_are_a_movement_there():
    (event,) = _events("أعادت السلطات الليبية نحو 150 مهاجرا إلى النيجر.")
    assert event.type == "movement" and [p.role for p in event.places] == ["destination"]


def test_the_agency_named_after_illegal_migration_makes_no_smuggling_route():
    events = _events("زار وفد من جهاز الهجرة غير الشرعية مدينة سبها أمس.")
    assert not any(e.type == "smuggling_route" for e in events)


def test_a_journey_and_restoring_calm_are_no_deportation():
    events = _events("بدأت رحلة المهاجرين من سواحل زوارة، وتحدث الوزير عن إعادة الاستقرار إلى سرت.")
    assert not any(e.type == "movement" for e in events)


@pytest.mark.parametrize("text, places", [
    ("وأرسل الجيش تعزيزات إضافية إلى منفذ امساعد الحدودي مع مصر.", ["منفذ امساعد", "مصر"]),
    ("وأرسلت الحكومة قوات إلى مدينة سبها.", ["سبها"]),
    ("وبعث الجيش بقوات إلى مدينة غات.", ["غات"]),
])
def test_a_force_sent_somewhere_is_a_movement_there(text, places):
    (event,) = _events(text)
    assert event.type == "movement" and [p.name for p in event.places] == places


def test_a_letter_sent_is_no_movement():
    assert _events("وأرسل الوزير رسالة إلى رئيس بلدية سبها.") == []


def test_an_attack_told_after_bafter_an_is_an_event_and_after_the_noun_a_time():
    # «بعد أن طردت»: what was done; «بعد الهجوم على»: when something else happened
    (event,) = _events("وكان القيادي في سرت، ثم أفلت بعد أن طردت قوات الحكومة التنظيم من المدينة.")
    assert event.type == "attack" and [p.name for p in event.places] == ["سرت"]
    assert not any(e.type == "attack" for e in _events("وعاد السكان إلى منازلهم بعد الهجوم على سرت."))


def test_the_first_attack_told_without_a_place_is_at_the_scene_named_just_before():
    (event,) = _events("تشهد مدينة سبها توترا أمنيا منذ أيام. وشن مسلحون هجوما عنيفا على عناصر الشرطة فجرا.")
    assert event.type == "attack" and [p.name for p in event.places] == ["سبها"]
    assert event.note == "place taken from context"
    # a scene too far back is no scene
    far = "تشهد مدينة سبها توترا أمنيا منذ أيام. " + "وتحدث السكان عن غلاء الأسعار وانقطاع الكهرباء. " * 6 + \
        "وشن مسلحون هجوما عنيفا على عناصر الشرطة فجرا."
    assert not any(e.type == "attack" for e in _events(far))


def test_what_never_happened_is_no_attack():
    assert not any(e.type == "attack" for e in _events("وقال الوزير إنه لم يسبق للتنظيمين أن هاجما بعضهما في سرت."))
