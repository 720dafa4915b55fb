"""Text from outside made safe once for both stores: surrogates, NUL and other controls."""

import json

from geo.text.safe import REPLACEMENT, safe_text


def test_a_lone_surrogate_from_json_becomes_the_replacement_character():
    text = json.loads('"تحركت قوة \\ud800 من سبها"')
    cleaned = safe_text(text)
    assert cleaned == f"تحركت قوة {REPLACEMENT} من سبها"
    cleaned.encode("utf-8")   # encodable: what SQLite and PostGIS need


def test_a_surrogate_escape_from_a_command_line_argument_is_replaced():
    argument = b"\xd9\x85\xff".decode("utf-8", "surrogateescape")   # م then an undecodable byte
    assert safe_text(argument) == "م" + REPLACEMENT


def test_a_valid_pair_written_as_two_escapes_stays_one_character():
    assert safe_text(json.loads('"\\ud83d\\ude00"')) == "\U0001f600"


def test_nul_and_c0_controls_go_but_tab_and_line_breaks_stay():
    assert safe_text("أ\x00ب\x01ج\x1fد\x7f") == "أبجد"
    assert safe_text("سطر\tأول\r\nسطر ثان") == "سطر\tأول\r\nسطر ثان"


def test_vertical_tab_and_form_feed_become_line_breaks():
    assert safe_text("أ\x0bب\x0cج") == "أ\nب\nج"


def test_clean_text_is_returned_unchanged():
    text = "قال مصدر أمني لـ«الوسط» إن رتلاً تحرك نحو بني وليد."
    assert safe_text(text) == text
