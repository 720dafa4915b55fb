import pytest

from geo.text import normalize as nz
from geo.text.normalize import normalize, normalize_with_offsets, normalized_slice, original_span


@pytest.mark.parametrize("text, expected", [
    ("ﻻ", "لا"), ("ﷺ", "صلى الله عليه وسلم"), ("Ａ", "A"),
], ids=["lam-alef-ligature", "honorific-ligature", "fullwidth"])
def test_nfkc(text, expected):
    assert nz._nfkc(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Bani WALID", "bani walid"), ("Ghât", "ghat"), ("Ğadāmis", "gadamis"), ("ليبيا", "ليبيا"),
], ids=["case", "circumflex", "breve-macron", "arabic-untouched"])
def test_fold_latin(text, expected):
    assert nz._fold_latin(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("بَنِي وَلِيد", "بني وليد"), ("ليبيـــا", "ليبيا"), ("سرت\u200f", "سرت"),
    ("\u202eسبها", "سبها"), ("مُوضِّحًا", "موضحا"),
], ids=["harakat", "tatweel", "rlm", "bidi-override", "shadda-tanwin"])
def test_strip_marks(text, expected):
    assert nz._strip_marks(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("أوباري", "اوباري"), ("إجدابيا", "اجدابيا"), ("آمال", "امال"), ("ٱلله", "الله"),
    ("مؤسسة", "موسسه"), ("رئيس", "رييس"), ("على", "علي"), ("الزاوية", "الزاويه"),
    ("کفره", "كفره"), ("ليبی", "ليبي"),
], ids=["hamza-above", "hamza-below", "madda", "wasla", "waw-hamza", "yeh-hamza",
        "alef-maqsura", "ta-marbuta", "persian-kaf", "persian-yeh"])
def test_unify_letters(text, expected):
    assert nz._unify_letters(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("٢٠١٦", "2016"), ("۲۶۰", "260"), ("700", "700"),
], ids=["arabic-indic", "persian", "ascii"])
def test_ascii_digits(text, expected):
    assert nz._ascii_digits(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("a  \n\t b", "a b"), ("سرت\u00a0\u00a0بنغازي", "سرت بنغازي"),
], ids=["mixed", "nbsp"])
def test_collapse_space(text, expected):
    assert normalize(text) == expected


def test_full_pipeline_order():
    # Tatweel and harakat go before letters unify, so آ with a fatha still becomes ا.
    assert normalize("  إلى   الكُفْرَةِ، ٢٠١٦ ") == " الي الكفره، 2016 "


@pytest.mark.parametrize("text", [
    "في لِيبْيَا", "وبَنِي وَلِيـــد", "ﻻ سرت", "Ghât  و  سبها", "", "ﷺ بنغازي", "a\u200f\u200fb",
], ids=["harakat", "tatweel", "ligature", "latin-space", "empty", "expanding", "format-chars"])
def test_offsets_point_into_original(text):
    normalized, offsets = normalize_with_offsets(text)
    assert len(offsets) == len(normalized) + 1
    assert offsets[-1] == len(text)
    assert offsets == sorted(offsets)
    for i, ch in enumerate(normalized):
        # each normalized character comes from the original character it maps to
        assert ch == " " or ch in normalize(text[offsets[i]]) or normalize(text[offsets[i]]) == ""


def test_original_span_includes_trailing_harakat():
    text = "وصلوا إلى سِرْتَ أمس"
    normalized, offsets = normalize_with_offsets(text)
    s = normalized.index("سرت")
    start, end = original_span(text, offsets, s, s + 3)
    assert text[start:end] == "سِرْتَ"


def test_fast_and_slow_paths_agree():
    fast = normalize_with_offsets("بَنِي وَلِيد ٢٠١٦ Ghât")
    slow = nz._normalize_slow("بَنِي وَلِيد ٢٠١٦ Ghât")
    assert fast == slow


def test_rejects_non_text():
    with pytest.raises(TypeError):
        normalize(b"\xd8\xb3")


def test_short_and_long_paths_agree_on_random_text():
    import random

    rng = random.Random(1)
    pool = [chr(c) for c in [*range(0x600, 0x700), *range(0x20, 0x7F),
                             0xA0, 0x2003, 0x200F, 0x202E, 0xFEFB, 0xFDF2, 0xDF, 0x640, 0x9, 0xA]]
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert normalize(text) == normalize_with_offsets(text)[0], repr(text)


@pytest.mark.parametrize("text", [
    "قُتل ٣ جنود.  وأصيب  آخرون\n\n في سرت",
    "ab  \u064e \u0640 .  \n\n x\ufdf2y \U0001F600 z  . ءآ  ",
    " \u064e  مدينة\u200fإجدابيا ، ",
], ids=["arabic-report", "marks-spaces-expanding-astral", "leading-marks"])
def test_a_slice_of_the_whole_normalization_is_the_piece_normalized_on_its_own(text):
    normalized, offsets = normalize_with_offsets(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert normalized_slice(text, normalized, offsets, start, end) == \
                normalize_with_offsets(text[start:end]), (start, end)
