"""A chain of places points the way its text reads."""

import pytest

from geo.text.bidi import chain, is_rtl


@pytest.mark.parametrize(("names", "expected"), [
    (["سبها", "أوباري"], "سبها ← أوباري"),
    (["Sabha", "Ubari"], "Sabha → Ubari"),
    (["سبها", "سبها", "", "الكفرة"], "سبها ← الكفرة"),
    ([], ""),
])
def test_chain(names, expected):
    assert chain(names) == expected


def test_the_first_strong_character_decides():
    assert is_rtl("2019 سبها") and not is_rtl("GMMR النهر") and not is_rtl("123")
