"""The places command line: ``python -m geo.places FILE|-`` prints a GeoJSON FeatureCollection,
``--jsonl`` reads ``{"id", "text"}`` lines and writes ``{"id", "mentions"}`` lines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from geo.errors import InputError
from geo.places.gazetteer import load_gazetteer
from geo.places.geoparse import Geoparser, get_parser
from geo.places.output import geometry_json, mention_properties, mentions_to_geojson
from geo.text.files import read_text_arg
from geo.text.safe import safe_text


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m geo.places FILE|-`` or ``python -m geo.places --jsonl``."""
    ap = argparse.ArgumentParser(prog="python -m geo.places",
                                 description="Find and resolve the places in Arabic text; print GeoJSON.")
    ap.add_argument("file", nargs="?", help="a UTF-8 text file, or - for stdin")
    ap.add_argument("--jsonl", action="store_true",
                    help='read JSON Lines {"id": ..., "text": ...} on stdin, write {"id", "mentions"} per line')
    ap.add_argument("--gazetteer", help="a built gazetteer GeoJSON (default: data/gazetteer.geojson)")
    args = ap.parse_args(argv)
    if args.jsonl == bool(args.file):
        ap.error("give either FILE (or -) or --jsonl")
    try:
        parser = get_parser(load_gazetteer(args.gazetteer) if args.gazetteer else None)
        if args.jsonl:
            return _run_jsonl(parser)
        text = read_text_arg(args.file)
    except InputError as exc:
        print(f"geoparse: {exc}", file=sys.stderr)
        return 2
    json.dump(mentions_to_geojson(parser.parse(safe_text(text))), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _run_jsonl(parser: Geoparser) -> int:
    """One output line per input line; a bad line gets an error line and a non-zero exit."""
    status = 0
    for n, line in enumerate(sys.stdin.buffer, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError('expected an object with a "text" string')
            mentions = parser.parse(safe_text(record["text"]))
        except (UnicodeDecodeError, json.JSONDecodeError, InputError, RecursionError) as exc:
            reason = "JSON nested too deep" if isinstance(exc, RecursionError) else str(exc)
            print(f"geoparse: line {n}: {reason}", file=sys.stderr)
            out = {"id": None, "line": n, "error": reason}
            status = 1
        except Exception as exc:  # noqa: BLE001 - one record's failure must not stop the run
            reason = f"geoparsing failed: {type(exc).__name__}: {exc}"
            print(f"geoparse: line {n}: {reason}", file=sys.stderr)
            out = {"id": None, "line": n, "error": reason}
            status = 1
        else:
            record_id = record.get("id")
            out = {"id": safe_text(record_id) if isinstance(record_id, str) else record_id,
                   "mentions": [{**mention_properties(m), "geometry": geometry_json(m.geometry)} for m in mentions]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
