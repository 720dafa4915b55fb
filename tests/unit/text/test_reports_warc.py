"""WARC web archives: each archived HTML page read as an .html file is, everything else passed over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.text.reports import BadInput, ReadOptions, Skipped, articles_in
from web_archive import html_page, write_warc

SAMPLES = sorted((Path(__file__).resolve().parents[3] / "data" / "samples").glob("*.json"))


def _sample(n: int) -> dict:
    return json.loads(SAMPLES[n].read_text(encoding="utf-8"))


def _read(path: Path, options: ReadOptions = ReadOptions()) -> list:
    return [item for item, _ in articles_in(path, options)]


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_warc_page_reads_as_the_same_page_in_an_html_file(tmp_path, gzip):
    pages = [(_sample(n)["url"], html_page(_sample(n)["title"], _sample(n)["text"])) for n in range(3)]
    archive = write_warc(tmp_path / ("site.warc.gz" if gzip else "site.warc"),
                         [(url, 200, "text/html; charset=utf-8", body) for url, body in pages])
    from_warc = _read(archive)
    from_html = []
    for n, (_, body) in enumerate(pages):
        (tmp_path / f"{n}.html").write_bytes(body)
        from_html += _read(tmp_path / f"{n}.html")
    assert [a.id for a in from_warc] == [a.id for a in from_html]
    assert [a.text for a in from_warc] == [a.text for a in from_html]
    assert [a.title for a in from_warc] == [_sample(n)["title"] for n in range(3)]
    # the record's address, which the page itself does not state
    assert [a.url for a in from_warc] == [url for url, _ in pages]
    assert "الرئيسية" not in from_warc[0].text   # the menu is left out, as for an .html file


def test_requests_redirects_errors_and_images_are_no_reports_and_an_empty_page_is_skipped(tmp_path):
    sample = _sample(0)
    archive = write_warc(tmp_path / "crawl.warc.gz", [
        ("https://example.org/moved", 301, "text/html", b"<html><body>moved</body></html>"),
        ("https://example.org/missing", 404, "text/html", html_page("404", "الصفحة غير موجودة")),
        ("https://example.org/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("https://example.org/app.js", 200, "application/javascript", b"var x = 1;"),
        ("https://example.org/empty", 200, "text/html", b"<html><body><script>var a;</script></body></html>"),
        ("https://example.org/report", 200, "application/xhtml+xml", html_page(sample["title"], sample["text"])),
    ])
    items = _read(archive)
    assert len(items) == 2
    skipped, article = items
    assert isinstance(skipped, Skipped)
    assert skipped.source.startswith(f"{archive}@") and int(skipped.source.rsplit("@", 1)[1]) > 0
    assert skipped.reason.startswith("https://example.org/empty: ")
    assert article.url == "https://example.org/report" and article.title == sample["title"]


def test_url_given_for_the_run_overrides_the_records_address(tmp_path):
    sample = _sample(1)
    archive = write_warc(tmp_path / "a.warc.gz", [("https://example.org/x", 200, "text/html",
                                                    html_page(sample["title"], sample["text"]))])
    [article] = _read(archive, ReadOptions(url="https://override.example/"))
    assert article.url == "https://override.example/"


def test_a_truncated_archive_keeps_the_pages_before_the_break(tmp_path):
    pages = [(f"https://example.org/{n}", 200, "text/html", html_page(_sample(n)["title"], _sample(n)["text"]))
             for n in range(3)]
    whole = write_warc(tmp_path / "whole.warc.gz", pages)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:len(data) - 900])   # into the last response record
    read = []
    with pytest.raises(BadInput, match="bad web archive: it ends inside the record at byte [0-9]+ "
                                        r"\(https://example.org/2\)"):
        for item, _ in articles_in(cut, ReadOptions()):
            read.append(item)
    assert [a.url for a in read] == ["https://example.org/0", "https://example.org/1"]


def test_ingest_finds_web_archives_in_a_folder(tmp_path, monkeypatch):
    from geo import ingest
    from geo.store import GeoPackageStore

    monkeypatch.setattr(ingest, "analyse", lambda article, gazetteer=None: ([], []))
    folder = tmp_path / "crawl"
    folder.mkdir()
    for n, name in enumerate(["a.warc.gz", "b.warc", "c.gz"]):
        write_warc(folder / name, [(f"https://example.org/{n}", 200, "text/html",
                                    html_page(_sample(n)["title"], _sample(n)["text"]))], gzip=name != "b.warc")
    with GeoPackageStore(tmp_path / "s.gpkg") as store:
        summary = ingest.ingest_paths([folder], store=store, progress=False)
        assert summary.files_read == 2 and summary.articles_new == 2 and not summary.skipped
        assert sorted(store.articles()["url"]) == ["https://example.org/0", "https://example.org/1"]
