"""One entry for every format (``export``) and the command line: ``python -m geo.export``.

The command line reads the store with the same filters as the dashboard and writes one format.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.errors import GeoError, InputError
from geo.export.formats import to_csv, to_geojson, to_gpkg, to_kml
from geo.export.html import to_html
from geo.export.png import _check_size, to_png
from geo.export.rows import DEFAULT_TITLE
from geo.ingest import DEFAULT_DB, resolve_db
from geo.models import EVENT_TYPES

FORMATS = ("png", "html", "geojson", "kml", "csv", "gpkg")


def export(frame: gpd.GeoDataFrame, path: str | Path, *, fmt: str, title: str = DEFAULT_TITLE,
           filters: Any = None, place: Any = None, gazetteer: Any = None,
           width: int = 1600, height: int = 1000, renderer: Any = None) -> Path:
    """Write ``frame`` to ``path`` in one of ``FORMATS``.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events as ``EventStore.read()`` returns them.
    path : str or Path
        The file to write.
    fmt : {'png', 'html', 'geojson', 'kml', 'csv', 'gpkg'}
    title, filters, place
        Shown on the PNG and HTML pages (``title`` also names the KML document).
    gazetteer : Gazetteer, optional
        Fills the CSV's country and admin1.
    width, height : int
        The PNG's size.
    renderer : geo.export.png.PngRenderer, optional
        The shared browser that draws a PNG (a server's); by default one is launched for it.

    Returns
    -------
    Path

    Raises
    ------
    InputError
        For an unknown format (quoted) or a bad frame.

    Examples
    --------
    >>> export(store.read(event_types=["movement"]), "تحركات.kml", fmt="kml")  # doctest: +SKIP
    """
    writers: dict[str, Callable[[], Path]] = {
        "png": lambda: to_png(frame, path, width=width, height=height, title=title,
                              filters=filters, place=place, renderer=renderer),
        "html": lambda: to_html(frame, path, title=title, filters=filters, place=place),
        "geojson": lambda: to_geojson(frame, path),
        "kml": lambda: to_kml(frame, path, name=title),
        "csv": lambda: to_csv(frame, path, gazetteer=gazetteer),
        "gpkg": lambda: to_gpkg(frame, path),
    }
    key = fmt.lower().lstrip(".") if isinstance(fmt, str) else fmt
    if key not in writers:
        raise InputError(f"export format must be one of {list(FORMATS)}, got {fmt!r}")
    return writers[key]()


def _date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _radius_arg(value: str) -> float:
    try:
        radius = float(value)
    except ValueError:
        radius = float("nan")
    if not 0 < radius <= 1000:
        raise argparse.ArgumentTypeError(f"expected kilometres in (0, 1000], got {value!r}")
    return radius


def _size_arg(value: str) -> int:
    try:
        return _check_size("the size", int(value))
    except (ValueError, InputError):
        raise argparse.ArgumentTypeError(f"expected pixels in [200, 8000], got {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.export",
        description="Export the stored events that pass the filters as PNG, offline HTML, "
                    "GeoJSON, KML, CSV or GeoPackage.")
    parser.add_argument("--db", help=f"GeoPackage path or postgresql:// URL "
                                     f"(default: $MARSAD_DB, else {DEFAULT_DB})")
    parser.add_argument("--place", metavar="NAME", help="a gazetteer place, Arabic or Latin")
    parser.add_argument("--radius-km", type=_radius_arg, metavar="N",
                        help="with --place: keep events within N km (default 50)")
    parser.add_argument("--since", type=_date_arg, metavar="YYYY-MM-DD")
    parser.add_argument("--until", type=_date_arg, metavar="YYYY-MM-DD")
    parser.add_argument("--type", dest="types", nargs="+", action="extend", choices=EVENT_TYPES,
                        metavar="T", help=f"event types: {', '.join(EVENT_TYPES)}")
    parser.add_argument("--hide-denied", action="store_true", help="leave out denied claims")
    parser.add_argument("--include-regional", action="store_true",
                        help="with --place: also claims about a whole region around it (as the app's box)")
    parser.add_argument("--review", nargs="+", choices=("auto", "confirmed", "rejected"),
                        help="review states to export (default: auto and confirmed; rejected events "
                             "only when named)")
    parser.add_argument("--format", dest="fmt", required=True, choices=FORMATS)
    parser.add_argument("--out", required=True, metavar="FILE")
    parser.add_argument("--title", default=DEFAULT_TITLE, help="title of the PNG/HTML page")
    parser.add_argument("--width", type=_size_arg, default=1600, help="PNG width in pixels")
    parser.add_argument("--height", type=_size_arg, default=1000, help="PNG height in pixels")
    parser.add_argument("--gazetteer", help="a gazetteer GeoJSON file (default: the shipped one)")
    return parser


def _find_place(gazetteer: Any, name: str) -> Any:
    """The best gazetteer match for ``name``; InputError naming near matches when none."""
    from geo.text.normalize import normalize

    found = gazetteer.search(name, limit=1)
    if found:
        return found[0]
    names: dict[str, str] = {}
    for original, place_id in gazetteer.names():
        names.setdefault(normalize(original).strip(), place_id)
    close = difflib.get_close_matches(normalize(name).strip(), list(names), n=20, cutoff=0.6)
    places = [gazetteer.get(i) for i in dict.fromkeys(names[c] for c in close)][:5]
    labels = [" / ".join(n for n in (p.name_en, p.name_ar) if n) + f" ({p.kind}, {p.country})"
              for p in places if p is not None]
    hint = f"; did you mean {'; '.join(labels)}?" if labels else ""
    raise InputError(f"no place named {name!r} in the gazetteer{hint}")


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """The command line: read the filtered events, write one file, print what was written.

    Exit status 0 when the file is written, 2 for bad arguments (an unknown place,
    a bad date, ``--since`` after ``--until``, a missing store), 1 when reading or
    writing fails.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    environ = os.environ if environ is None else environ
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.since and args.until and args.since > args.until:
        parser.error(f"--since {args.since} is after --until {args.until}")
    if args.radius_km is not None and not args.place:
        parser.error("--radius-km needs --place")

    from geo.filters import DEFAULT_RADIUS_KM, Filters, matching
    from geo.ingest import store_gazetteer
    from geo.store import open_store

    db = resolve_db(args.db, environ)
    if not db.startswith(("postgres://", "postgresql://", "postgresql+")) and not Path(db).is_file():
        print(f"error: no store at {db!r}; ingest reports first (python -m geo.ingest --db {db} ...) "
              f"or name one with --db or $MARSAD_DB", file=sys.stderr)
        return 2
    folder = Path(args.out).resolve().parent   # created when missing: its nearest existing folder decides
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        print(f"error: cannot write {args.out!r}: the folder {str(existing)!r} is not writable", file=sys.stderr)
        return 1
    gazetteer = place = None
    try:
        if args.place or args.fmt == "csv":
            from geo.places.gazetteer import load_gazetteer
            gazetteer = load_gazetteer(args.gazetteer)
        if args.place:
            place = _find_place(gazetteer, args.place)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    filters = Filters(place_id=place.id if place else None,
                      radius_km=args.radius_km or DEFAULT_RADIUS_KM,
                      since=args.since, until=args.until, event_types=tuple(args.types or ()),
                      include_denied=not args.hide_denied, review=tuple(args.review or ()),
                      include_regional=args.include_regional)
    started = time.perf_counter()
    try:
        store = open_store(db)
        try:
            # what is about the place, as the app keeps it
            frame = matching(store, filters, place, store_gazetteer(store, gazetteer) if place else None)
        finally:
            store.close()
        out = export(frame, args.out, fmt=args.fmt, title=args.title, filters=filters,
                     place=place, gazetteer=gazetteer, width=args.width, height=args.height)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:   # the disk filled, the file was taken, read-only media
        print(f"error: cannot write {args.out!r}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if place is not None:
        print(f"place: {place.name_ar or place.name_en} ({place.id}) at {place.lat:.4f}, "
              f"{place.lon:.4f}, radius {filters.radius_km:g} km", file=sys.stderr)
    print(f"wrote {len(frame)} events to {out} ({args.fmt}, "
          f"{time.perf_counter() - started:.1f} s)")
    return 0

