"""The hostile-input corpus: every kind of bad or awkward record we know of, written by code
(no binaries committed), each with what ingesting it must give.

``python tests/hostile_corpus.py OUTDIR`` writes the files for a manual run
(``python -m geo.ingest OUTDIR --db /tmp/h.gpkg``); ``tests/unit/test_hostile.py`` runs them on
both stores and through the events and places command lines.
"""

from __future__ import annotations

import codecs
import json
import sys
from dataclasses import dataclass
from pathlib import Path

# Our own sentences; each case's text differs so no two are one article.
LINE = "قال مصدر أمني إن دورية شوهدت قرب بني وليد مساء أمس، وإن رتلاً تحرك من سبها نحو أوباري."


def report(n: int) -> str:
    return f"{LINE} (البلاغ رقم {n})"


@dataclass(frozen=True)
class Case:
    """One file: its name, its bytes, how many articles it must store, and the skip reasons
    (each a (where, reason) pair: where is '' for the file itself or ':N' for its line N)."""

    name: str
    data: bytes
    stored: int
    skipped: tuple[tuple[str, str], ...] = ()
    encoding: str = ""   # the summary's «read as» note, when not UTF-8


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _deep_html(levels: int) -> bytes:
    return ("<html><body>" + "<div>" * levels + f"<p>{report(12)}</p>" + "</div>" * levels
            + "</body></html>").encode("utf-8")


def cases() -> list[Case]:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    big = (report(13) + "\n") * (2_000_000 // len(report(13)) + 10)
    lines_with_one_bad = b"\n".join([
        _json({"text": report(20)}),
        b'{"text": "' + b'\\ud800' + report(21).encode() + b'"}',   # a lone surrogate
        b"[" * 50_000 + b"]" * 50_000,                                                    # nested too deep
        b'{"text": "' + report(22).encode("cp1256") + b'"}',                              # not UTF-8
        _json({"text": report(23), "title": {"nested": 1}}),                              # a title not a string
        _json({"text": report(24) + "\u0000\u0007 و\u000c" + "بعدها"}),                  # NUL and controls
    ])
    return [
        Case("surrogate.json", b'{"text": "\\udc80' + report(1).encode() + b'"}', 1),
        Case("nul-in-text.json", _json({"text": "\u0000" + report(2)}), 1),
        Case("nul-after-8k.txt", (report(3) + "\n").encode() * 80 + b"\x00" + report(3).encode(), 1),
        Case("deep.json", b"[" * 200_000 + b"]" * 200_000, 0, (("", "nested too deep"),)),
        Case("utf16-bom.txt", codecs.BOM_UTF16_LE + report(4).encode("utf-16-le"), 1, encoding="UTF-16"),
        Case("utf16-no-bom.txt", report(5).encode("utf-16-le"), 1, encoding="UTF-16LE"),
        Case("utf16-be.txt", report(6).encode("utf-16-be"), 1, encoding="UTF-16BE"),
        Case("windows-1256.txt", report(7).encode("cp1256"), 1, encoding="Windows-1256"),
        Case("iso-8859-6.txt", report(8).encode("iso8859_6"), 1, encoding="ISO-8859-6"),
        Case("image.txt", png, 0, (("", "binary file, not text"),)),
        Case("utf16.jsonl", codecs.BOM_UTF16_LE + (json.dumps({"text": report(9)}, ensure_ascii=False)
                                                     + "\n").encode("utf-16-le"), 1, encoding="UTF-16"),
        Case("deep.html", _deep_html(400), 1),
        Case("huge.txt", big.encode(), 0, (("", "over the limit"),)),
        Case("empty.json", _json([{"text": "   "}]), 0, (("[0]", "missing or empty 'text'"),)),
        Case("lines.jsonl", lines_with_one_bad, 3,
             ((":3", "nested too deep"), (":4", "not UTF-8"), (":5", "'title' must be a string"))),
    ]


def write(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    all_cases = cases()
    for case in all_cases:
        (folder / case.name).write_bytes(case.data)
    return all_cases


if __name__ == "__main__":
    written = write(Path(sys.argv[1]))
    print(f"{len(written)} files in {sys.argv[1]}")
