"""Bytes into text: the encodings Arabic reports come in, and a command line's text argument.

Arabic sites and the tools around them still write Windows-1256 and ISO-8859-6, and Windows
editors save UTF-16. ``decode_text`` reads UTF-8 (with or without its BOM), UTF-16 (with a BOM,
or without one when its NUL bytes fall where an Arabic or Latin text's do), and the two Arabic
single-byte code pages (charset-normalizer chooses between them by how the text reads), and
says which it used. Anything else is refused with a hint, never guessed as Latin-1.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from geo.errors import InputError

#: Single-byte Arabic code pages tried after UTF-8 fails.
ARABIC_CODEPAGES = ("cp1256", "iso8859_6")
_SNIFF = 8192
_SHOWN = {"utf_8": "UTF-8", "utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16",
          "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE", "utf-32": "UTF-32",
          "cp1256": "Windows-1256", "iso8859_6": "ISO-8859-6"}


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or '-be' when the NUL bytes sit where UTF-16 text puts them, else None.

    In UTF-16 a space, a digit or a Latin letter has a NUL high byte; Arabic letters (U+06xx)
    have none. So a little-endian text has its NULs at odd offsets only, a big-endian one at
    even offsets only; a binary file has them anywhere.
    """
    head = data[:_SNIFF]
    if len(data) % 2 or b"\x00" not in head:
        return None
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    if odd and not even:
        return "utf-16-le"
    if even and not odd:
        return "utf-16-be"
    return None


def _printable(text: str) -> bool:
    """No control characters but the line ones: what a decoded text must look like."""
    return not any(ch < " " and ch not in "\t\n\r\x0b\x0c" for ch in text[:_SNIFF])


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, the encoding's name as people know it) for the bytes of a text file.

    Raises
    ------
    InputError
        For an unknown ``encoding``, bytes that are not text in it, or a binary file.

    Examples
    --------
    >>> decode_text("سبها".encode("cp1256"))
    ('سبها', 'Windows-1256')
    >>> decode_text("\\ufeffسبها".encode("utf-16-le"))
    ('سبها', 'UTF-16')
    """
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        try:
            return data.decode(name), _SHOWN.get(name, encoding)
        except UnicodeDecodeError as exc:
            raise InputError(f"not {encoding} text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(data, "utf-32")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    if b"\x00" in data[:_SNIFF]:
        guess = utf16_without_bom(data)
        if guess:
            try:
                text = data.decode(guess)
            except UnicodeDecodeError:
                text = None
            if text is not None and _printable(text):
                return text, _SHOWN[guess]
        raise InputError("binary file, not text")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(ARABIC_CODEPAGES)).best()
    if best is not None and best.encoding in ARABIC_CODEPAGES:
        return str(best), _SHOWN[best.encoding]
    raise InputError(f"not UTF-8 (byte 0x{data[first_bad]:02x} at offset {first_bad}), nor UTF-16, "
                     "Windows-1256 or ISO-8859-6 text; name its encoding (--encoding)")


def _strict(data: bytes, codec: str) -> tuple[str, str]:
    try:
        return data.decode(codec), _SHOWN[codec]
    except UnicodeDecodeError as exc:
        raise InputError(f"starts like {_SHOWN[codec]} but is not (byte at offset {exc.start})") from None


def read_text_arg(path: str, encoding: str | None = None) -> str:
    """The text of ``path`` ('-' for stdin), decoded by ``decode_text``; InputError for a
    missing, unreadable or binary input. Shared by the places and events command lines."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError(f"no such file: {path!r}") from None
        except IsADirectoryError:
            raise InputError(f"{path!r} is a directory, expected a text file") from None
        except OSError as exc:
            raise InputError(f"cannot read {path!r}: {exc.strerror}") from None
        name = path
    try:
        return decode_text(data, encoding)[0]
    except InputError as exc:
        raise InputError(f"{name!r}: {exc}") from None
