"""WARC web archives for the tests, written with warcio from our own report texts.

``write_warc(path, pages)`` writes each page as an HTTP response record (and its request, as a
crawler does); ``html_page(title, text)`` wraps a report as an article page with a menu and a
footer the HTML reader must leave out.
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path


def html_page(title: str, text: str) -> bytes:
    """A news site's page holding ``text`` as its article, one paragraph a line."""
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (f"<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title></head><body>"
            f"<nav><a href='/'>الرئيسية</a> <a href='/world'>العالم</a></nav>"
            f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
            f"<footer>جميع الحقوق محفوظة</footer></body></html>").encode("utf-8")


def write_warc(path: Path, pages: list[tuple[str, int, str, bytes]], *, gzip: bool = True) -> Path:
    """``pages`` as (url, HTTP status, content type, body) responses, each after its request."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with Path(path).open("wb") as f:
        writer = WARCWriter(f, gzip=gzip)
        for url, status, content_type, body in pages:
            request = StatusAndHeaders(f"GET /{url.split('/', 3)[-1]} HTTP/1.1",
                                       [("Host", url.split("/")[2])], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            reason = {200: "OK", 404: "Not Found", 301: "Moved Permanently"}.get(status, "Status")
            headers = StatusAndHeaders(f"{status} {reason}", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    return Path(path)
