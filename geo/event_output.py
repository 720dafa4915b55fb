"""Events as GeoJSON, and the command line: ``python -m geo.events FILE`` or ``--jsonl``."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.geoparse import read_text_arg
from geo.models import Article, Event

def event_properties(event: Event) -> dict:
    """The GeoJSON properties of one event (lists stay lists, the date is ISO text)."""
    a = event.attribution
    return {
        "id": event.id, "type": event.type, "actors": list(event.actors),
        "places": [{"role": p.role, "place_id": p.place_id, "name": p.name, "precision": p.precision,
                    "start": p.start, "end": p.end, "qualifier": p.qualifier} for p in event.places],
        "geo_precision": event.geo_precision,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "date_precision": event.date_precision, "speaker": a.speaker, "speaker_role": a.speaker_role,
        "source_type": a.source_type, "cited_outlet": a.cited_outlet, "publisher": a.publisher,
        "url": a.url, "quote": event.quote, "quote_start": event.quote_start, "quote_end": event.quote_end,
        "denied": event.denied, "confidence": event.confidence,
    }


def _geometry_json(geometry: BaseGeometry | None) -> dict | None:
    return None if geometry is None else json.loads(json.dumps(mapping(geometry)))


def events_to_geojson(events: Sequence[Event]) -> dict:
    """Events as a GeoJSON FeatureCollection (WGS84, lon/lat)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": _geometry_json(e.geometry), "properties": event_properties(e)}
        for e in events]}


def _extract(article: Article) -> list[Event]:
    from geo.events import extract_events  # geo.events imports this module
    return extract_events(article)


def _article(text: str, *, article_id: str | None = None, published=None, outlet: str = "",
             url: str = "") -> Article:
    import datetime as dt
    from geo.normalize import normalize
    if isinstance(published, str) and published:
        try:
            published = dt.date.fromisoformat(published[:10])
        except ValueError:
            raise InputError(f"published must be an ISO date (YYYY-MM-DD), got {published!r}") from None
    elif not isinstance(published, dt.date):
        published = None
    aid = article_id or hashlib.sha256(normalize(text).encode()).hexdigest()
    return Article(id=str(aid), text=text, outlet=outlet or "", url=url or "", published=published)


def _run_jsonl(stdin, stdout, stderr) -> int:
    bad = 0
    for n, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text", ""), str):
                raise InputError('each line must be a JSON object {"id", "text", "published"}')
            article = _article(row.get("text") or "", article_id=row.get("id"), published=row.get("published"),
                               outlet=row.get("outlet", ""), url=row.get("url", ""))
            events = _extract(article)
        except (json.JSONDecodeError, InputError) as exc:
            print(f"line {n}: {exc}", file=stderr)
            bad += 1
            continue
        out = [event_properties(e) | {"geometry": _geometry_json(e.geometry)} for e in events]
        stdout.write(json.dumps({"id": row.get("id", article.id), "events": out}, ensure_ascii=False) + "\n")
    return 1 if bad else 0


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
        article = _article(text, article_id=meta.get("id"), published=meta.get("published") or args.published,
                           outlet=meta.get("outlet") or args.outlet, url=meta.get("url") or args.url)
        json.dump(events_to_geojson(_extract(article)), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (head, less) closed the pipe: nothing more to say.
        sys.stderr.close()
        return 0

