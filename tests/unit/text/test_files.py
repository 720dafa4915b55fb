"""Decoding the encodings Arabic reports come in, and refusing what is not text."""

import codecs

import pytest

from geo.errors import InputError
from geo.text.files import decode_text

REPORT = ("قال مصدر عسكري إن مجموعة مسلحة انتقلت من سبها إلى أوباري، "
          "وإن 12 آلية شوهدت على الطريق الساحلي.\n") * 3


@pytest.mark.parametrize("encoding, shown", [("utf-8", "UTF-8"), ("cp1256", "Windows-1256"),
                                             ("iso8859_6", "ISO-8859-6")])
def test_arabic_text_in_each_single_byte_or_utf8_encoding_is_read_and_named(encoding, shown):
    assert decode_text(REPORT.encode(encoding)) == (REPORT, shown)


def test_utf8_with_a_bom_loses_the_bom():
    assert decode_text(codecs.BOM_UTF8 + REPORT.encode()) == (REPORT, "UTF-8")


@pytest.mark.parametrize("codec, shown", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16LE"),
                                          ("utf-16-be", "UTF-16BE")])
def test_utf16_with_or_without_a_bom_is_not_taken_for_binary(codec, shown):
    assert decode_text(REPORT.encode(codec)) == (REPORT, shown)


def test_binary_data_is_refused_as_binary():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    with pytest.raises(InputError, match="binary"):
        decode_text(png)


def test_an_explicit_encoding_wins_and_a_wrong_one_says_so():
    data = REPORT.encode("cp1256")
    assert decode_text(data, "cp1256")[0] == REPORT
    with pytest.raises(InputError, match="not utf-8 text"):
        decode_text(data, "utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        decode_text(data, "klingon")


def test_bytes_in_no_known_encoding_ask_for_one():
    with pytest.raises(InputError, match="--encoding"):
        decode_text("Ελληνικά κείμενα εδώ και εκεί, πολλά λόγια.".encode("iso8859_7") * 5)
