"""Reading the event frame for export: typed values from a row, the main place, atomic writes.

Every writer takes the frame ``EventStore.read()`` returns (``geo.store.frames.EVENT_COLUMNS``
plus ``geometry``, EPSG:4326) and a path, and writes the whole file or nothing: the output goes
to a temporary file next to ``path`` that replaces it at the end. Article text is untrusted:
where it is shown as HTML every value is escaped and bidi controls are made visible.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.events.count_text import parse_counts
from geo.store.frames import EVENT_COLUMNS
from geo.text.bidi import chain

logger = logging.getLogger(__name__)




DEFAULT_TITLE = "Marsad — مرصد"


# Explicit direction controls (embeddings, overrides, isolates). Shown as HTML they can
# reorder the text around them («Trojan Source»); LRM/RLM/ALM are ordinary marks and stay.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


_ROLE_ORDER = ("location", "destination", "origin", "via")


def _check_frame(frame: Any) -> gpd.GeoDataFrame:
    """The frame itself when it has the event columns and a geometry; InputError otherwise."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"an export needs the GeoDataFrame EventStore.read() returns, "
                         f"got {type(frame).__name__!r}")
    missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"the event frame lacks the columns {missing!r}")
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def _missing(value: Any) -> bool:
    """True for None, NaN and NaT."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    """A cell as a string ('' for missing values)."""
    return "" if _missing(value) else str(value)


def _int(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _date(value: Any) -> dt.date | None:
    """A cell as a date (the store gives Timestamps, tests may give dates or strings)."""
    if _missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _json_list(value: Any) -> list:
    """A JSON list column as a list ([] when empty or broken, with a warning)."""
    if isinstance(value, list):
        return value
    text = _text(value)
    if not text:
        return []
    try:
        out = json.loads(text)
    except json.JSONDecodeError:
        logger.warning("ignoring a list column that is not JSON: %r", text[:80])
        return []
    return out if isinstance(out, list) else []


def _actors(value: Any) -> list[str]:
    return [str(a) for a in _json_list(value) if str(a).strip()]


def _places(value: Any) -> list[dict]:
    return [p for p in _json_list(value) if isinstance(p, dict)]


def counts_of(value: Any) -> list[dict]:
    """An event's counts column as dicts (kind, low, high, qualifier, unit, item)."""
    return parse_counts(value if not _missing(value) else None)


def _main_place(places: list[dict]) -> dict | None:
    """The place that best says where the event is: location, then destination, origin, via."""
    for role in _ROLE_ORDER:
        for place in places:
            if place.get("role") == role:
                return place
    return places[0] if places else None


def _place_chain(places: list[dict]) -> str:
    """Place names in order, «origin → destination»."""
    return chain(str(p.get("name") or "") for p in places)


def _geometry(value: Any) -> BaseGeometry | None:
    if value is None or not isinstance(value, BaseGeometry) or value.is_empty:
        return None
    return value


_ROLE_WORDS = {"origin": "from", "destination": "to", "via": "via", "location": "at"}


def places_text(places: list[dict]) -> str:
    """Places with their roles, as a reader writes them: «from سبها; to أوباري»."""
    return "; ".join(f"{_ROLE_WORDS.get(str(p.get('role')), str(p.get('role') or ''))} {p.get('name') or ''}".strip()
                     for p in places if p.get("name"))


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "event_date": _date, "geo_precision": _int, "quote_start": _int, "quote_end": _int, "fatalities": _int,
    "confidence": lambda v: None if _missing(v) else float(v),
    "denied": lambda v: False if _missing(v) else bool(v),
}


def _rows(frame: gpd.GeoDataFrame) -> Iterator[dict[str, Any]]:
    """Each event as plain Python values: text, int/float/bool or None, dates as ``date``."""
    columns = {c: [_CONVERT.get(c, _text)(v) for v in frame[c].tolist()] for c in EVENT_COLUMNS}
    geometries = [_geometry(g) for g in frame.geometry.tolist()]
    for i, geometry in enumerate(geometries):
        row = {c: values[i] for c, values in columns.items()}
        row["geometry"] = geometry
        yield row


@contextmanager
def _atomic(path: str | Path, *, suffix: str) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path``."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"the export path {str(target)!r} is a folder, not a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(0o644)   # mkstemp makes the file private; an export is meant to be shared
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def display_text(value: Any) -> str:
    """Untrusted text ready to put in HTML: escaped, bidi controls shown as ``[U+202E]``.

    Examples
    --------
    >>> display_text("<b>بني وليد</b>\\u202e")
    '&lt;b&gt;بني وليد&lt;/b&gt;[U+202E]'
    """
    text = html.escape(_text(value), quote=True)
    for ch in _BIDI_CONTROLS:
        text = text.replace(ch, f"[U+{ord(ch):04X}]")
    return text


def _safe_url(url: str) -> str | None:
    """The URL when it is http(s) and can be a link; None otherwise (shown as text only)."""
    url = url.strip()
    if url.lower().startswith(("http://", "https://")) and not any(
            ch in url for ch in _BIDI_CONTROLS + "\"'<> \n\r\t`"):
        return url
    return None


def _link(url: str) -> str:
    """An escaped link for an http(s) URL; any other value as plain escaped text."""
    safe = _safe_url(url)
    if safe is None:
        return f"<bdi>{display_text(url)}</bdi>"
    return (f'<a href="{html.escape(safe, quote=True)}" rel="noopener noreferrer nofollow" '
            f'target="_blank" dir="ltr">{display_text(safe.split("://", 1)[1])}</a>')
