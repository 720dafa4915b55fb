"""The events command line: ``python -m geo.events FILE`` prints GeoJSON, ``--jsonl`` reads
``{"id", "text", "published"}`` lines and writes ``{"id", "events"}`` lines."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Sequence

from geo.errors import InputError
from geo.events.extract import extract_events
from geo.events.output import claim_properties, events_to_geojson
from geo.models import Article
from geo.text.files import read_text_arg
from geo.text.normalize import normalize
from geo.text.safe import safe_text


_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2})?")


def _article(text: str, *, article_id: str | None = None, published=None, outlet: str = "",
             url: str = "") -> Article:
    if isinstance(published, str) and published:
        if _PARTIAL_DATE.fullmatch(published.strip()):
            # «2016-02» or «2016»: the day is unknown, so nothing is dated relative to it; the
            # report is still read (dates the text gives in full still count).
            published = None
        else:
            try:
                published = dt.date.fromisoformat(published[:10])
            except ValueError:
                raise InputError(f"published must be an ISO date (YYYY-MM-DD, or YYYY-MM / YYYY when the "
                                 f"day is unknown), got {published!r}") from None
    elif not isinstance(published, dt.date):
        published = None
    aid = article_id or hashlib.sha256(normalize(text).encode()).hexdigest()
    return Article(id=str(aid), text=text, outlet=outlet or "", url=url or "", published=published)


def _run_jsonl(stdin, stdout, stderr) -> int:
    """One output line per good input line; a bad one is named on stderr and the run goes on."""
    bad = 0
    for n, raw in enumerate(getattr(stdin, "buffer", stdin), 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text", ""), str):
                raise InputError('each line must be a JSON object {"id", "text", "published"}')
            article = _article(safe_text(row.get("text") or ""), article_id=row.get("id"),
                               published=row.get("published"), outlet=_field(row, "outlet"),
                               url=_field(row, "url"))
            events = extract_events(article)
        except (json.JSONDecodeError, InputError) as exc:
            print(f"line {n}: {exc}", file=stderr)
            bad += 1
            continue
        except UnicodeDecodeError as exc:
            print(f"line {n}: not UTF-8 (byte at offset {exc.start})", file=stderr)
            bad += 1
            continue
        except RecursionError:
            print(f"line {n}: JSON nested too deep", file=stderr)
            bad += 1
            continue
        except Exception as exc:  # noqa: BLE001 - one report's failure must not stop the run
            print(f"line {n}: analysis failed: {type(exc).__name__}: {exc}", file=stderr)
            bad += 1
            continue
        out = claim_properties(events)
        rid = row.get("id", article.id)
        rid = safe_text(rid) if isinstance(rid, str) else rid
        stdout.write(json.dumps({"id": rid, "events": out}, ensure_ascii=False) + "\n")
    return 1 if bad else 0


def _field(row: dict, key: str) -> str:
    value = row.get(key) or ""
    return safe_text(value) if isinstance(value, str) else ""


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m geo.events FILE`` or ``python -m geo.events --jsonl < reports.jsonl``."""
    parser = argparse.ArgumentParser(prog="python -m geo.events",
                                     description="Print the events of an Arabic report as GeoJSON.")
    parser.add_argument("file", nargs="?", help="a UTF-8 text file (or .json with text/published/outlet/url)")
    parser.add_argument("--jsonl", action="store_true", help='read {"id","text","published"} lines on stdin')
    parser.add_argument("--published", default="", help="publication date, YYYY-MM-DD")
    parser.add_argument("--outlet", default="", help="the publisher")
    parser.add_argument("--url", default="")
    args = parser.parse_args(argv)
    try:
        if args.jsonl:
            return _run_jsonl(sys.stdin, sys.stdout, sys.stderr)
        if not args.file:
            parser.error("give a FILE or --jsonl")
        text = read_text_arg(args.file)
        meta = {}
        if args.file.endswith(".json"):
            try:
                meta = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"{args.file!r} is not valid JSON: {exc}") from None
            if not isinstance(meta, dict) or not isinstance(meta.get("text"), str):
                raise InputError(f'{args.file!r} must hold an object with a "text" string')
            text = meta["text"]
        article = _article(safe_text(text), article_id=meta.get("id"),
                           published=meta.get("published") or args.published,
                           outlet=safe_text(meta.get("outlet") or args.outlet),
                           url=safe_text(meta.get("url") or args.url))
        json.dump(events_to_geojson(extract_events(article)), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (head, less) closed the pipe: nothing more to say.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
