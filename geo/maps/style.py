"""How an event looks and reads: colours and symbols by type, the popup record, the legend.

Popups are built in the browser with ``textContent`` from escaped data, never from HTML
strings; ``event_popup_html`` renders the same record as escaped HTML for Python callers
(exports, tests). Article text is cleaned of bidi controls before it is shown.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

import pandas as pd

from geo.text.lexicon import actor_label

logger = logging.getLogger(__name__)




#: Colour and symbol per event type: the map, its legend and the exports share them.
#: ``symbol`` is one of circle, square, triangle, diamond (points), arrow, dashed (lines),
#: area (polygons); a type's events that are points use ``point``.
EVENT_STYLE: dict[str, dict] = {
    "movement": {"label": "Movement", "color": "#1f5fa8", "symbol": "arrow", "point": "triangle"},
    "smuggling_route": {"label": "Smuggling route", "color": "#7b2d8e", "symbol": "dashed",
                        "point": "diamond", "dash": "8 6"},
    "base": {"label": "Base", "color": "#222222", "symbol": "square", "point": "square"},
    "presence": {"label": "Presence", "color": "#e0700b", "symbol": "area", "point": "circle"},
    "attack": {"label": "Attack", "color": "#d0191c", "symbol": "circle", "point": "circle"},
    "other": {"label": "Other", "color": "#6f7b80", "symbol": "diamond", "point": "diamond"},
}


#: Fill opacity of a presence area by its geo precision (1 = the named place itself).
PRECISION_OPACITY = {1: 0.45, 2: 0.28, 3: 0.0}   # a region is an outline (see layers.js)


DATE_PRECISION_LABELS = {"day": "day", "week": "week", "month": "month", "year": "year",
                         "reported": "publication date"}


#: Quotes longer than this are cut in the map's popups (the details panel shows them whole).
QUOTE_MAX_CHARS = 600


_FIELD_MAX_CHARS = 300


# Bidi overrides/isolates and marks can reorder what an analyst reads (a quote that
# displays differently from what it says); other C0 controls have no business in a popup.
_UNSAFE_CHARS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
                           "\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value: object, limit: int = _FIELD_MAX_CHARS) -> str:
    """Article text for display: no bidi controls, trimmed, capped (escaping comes later)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    text = _UNSAFE_CHARS.sub("", str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_list(value: object) -> list:
    """A JSON-text column value (actors, places) as a list; junk becomes []."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        logger.warning("ignoring a column value that is not JSON: %.60r", value)
        return []
    return parsed if isinstance(parsed, list) else []


def _int_or_none(value: object) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number


def _date_text(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "date unknown"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _clean(value, 40) or "date unknown"


def _quote_segments(quote: object, quote_start: object, places: list) -> list[str]:
    """The quote as alternating plain and highlighted pieces: [plain, mark, plain, ...].

    Place spans are offsets in the article; the quote starts at ``quote_start``.
    Splitting happens before cleaning, so dropping control characters cannot
    shift a highlight.
    """
    if not isinstance(quote, str) or not quote:
        return []
    base = _int_or_none(quote_start) or 0
    size = len(quote)
    spans = []
    for p in places:
        if isinstance(p, Mapping):
            start, end = _int_or_none(p.get("start")), _int_or_none(p.get("end"))
            if start is not None and end is not None and start - base < size and end > base:
                spans.append((max(start - base, 0), min(end - base, size)))
    pieces, cursor = [], 0
    for s, e in sorted(spans):
        if e <= cursor:
            continue
        s = max(s, cursor)
        pieces += [quote[cursor:s], quote[s:e]]
        cursor = e
    pieces.append(quote[cursor:])
    if _UNSAFE_CHARS.search(quote):
        pieces = [_UNSAFE_CHARS.sub("", piece) for piece in pieces]
    if size > QUOTE_MAX_CHARS and sum(map(len, pieces)) > QUOTE_MAX_CHARS:
        out, used = [], 0
        for i, piece in enumerate(pieces):
            if used + len(piece) > QUOTE_MAX_CHARS:
                out.append(piece[: QUOTE_MAX_CHARS - used] + "…")
                if i % 2:
                    out.append("")
                break
            out.append(piece)
            used += len(piece)
        pieces = out
    return pieces if any(pieces) else []


def _place_entries(places: list) -> list[list]:
    """[name, role, precision] per place, cleaned for display."""
    entries = []
    for p in places:
        if isinstance(p, Mapping):
            precision = _int_or_none(p.get("precision"))
            entries.append([_clean(p.get("name")) or "unnamed place", _clean(p.get("role"), 40),
                            str(precision) if precision else "unknown"])
    return entries


def _popup_record(row: Mapping, places: list | None = None, actors: list | None = None) -> list:
    """One event's popup content as a list (the layout geo/maps/layers.js reads)."""
    places = _json_list(row.get("places")) if places is None else places
    actors = _json_list(row.get("actors")) if actors is None else actors
    event_type = str(row.get("type") or "other")
    date_precision = str(row.get("date_precision") or "")
    return [
        str(row.get("id") or ""),
        EVENT_STYLE.get(event_type, EVENT_STYLE["other"])["label"],
        [c for c in (_clean(actor_label(a)) for a in actors) if c],
        _date_text(row.get("event_date")),
        DATE_PRECISION_LABELS.get(date_precision, _clean(date_precision, 40) or "unknown"),
        _place_entries(places),
        _clean(row.get("speaker")),
        _clean(row.get("speaker_role")),
        _clean(row.get("source_type")) or "outlet",
        _clean(row.get("cited_outlet")),
        _clean(row.get("publisher")),
        _clean(row.get("url"), 2000),
        _quote_segments(row.get("quote"), row.get("quote_start"), places),
        modality_label(row.get("modality"), row.get("denied")),
    ]


#: Modalities an analyst must see at once: the claim is not held as a fact.
FLAGGED_MODALITIES = ("denied", "planned", "attempted", "alleged")


def modality_label(modality: object, denied: object = False) -> str:
    """«planned», «denied» ... for a claim not held as fact, else "" (an older store has only denied)."""
    if isinstance(modality, str) and modality in FLAGGED_MODALITIES:
        return modality
    return "denied" if (bool(denied) and not pd.isna(denied)) else ""


def _is_link(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and not re.search(r"\s", url)


def _render_record(rec: list) -> str:
    """The popup record as escaped HTML (the same structure the browser builds)."""
    e = html.escape
    head = f'<span class="mp-type">{e(rec[1])}</span>'
    if rec[13]:
        head += f' · <span class="mp-denied">{e(rec[13])}</span>'
    rows = [f'<div class="mp-row">{head}</div>']

    def row(label: str, value_html: str) -> None:
        rows.append(f'<div class="mp-row"><span class="mp-label">{label}: </span>{value_html}</div>')

    if rec[2]:
        row("Actors", ", ".join(f"<bdi>{e(a)}</bdi>" for a in rec[2]))
    row("Date", f'<bdi class="mp-value">{e(rec[3])} ({e(rec[4])})</bdi>')
    if rec[5]:
        row("Places", "; ".join(f"<bdi>{e(n)}</bdi> ({e(r)}, precision {e(p)})"
                                for n, r, p in rec[5]))
    who = ", ".join(v for v in (rec[6], rec[7]) if v)
    source = f"<bdi>{e(who)}</bdi>" if who else f"<span>{e(rec[8])}</span>"
    if rec[9]:
        source += f" to <bdi>{e(rec[9])}</bdi>"
    if rec[10]:
        source += f", published by <bdi>{e(rec[10])}</bdi>"
    row("Source", source)
    if rec[11]:
        url = e(rec[11])
        row("Link", f'<a href="{url}" target="_blank" rel="noopener noreferrer">{url}</a>'
            if _is_link(rec[11]) else f"<bdi>{url}</bdi>")
    if rec[12]:
        quote = "".join(f"<mark>{e(t)}</mark>" if i % 2 else e(t)
                        for i, t in enumerate(rec[12]) if t)
        rows.append(f'<blockquote class="mp-quote" dir="rtl" lang="ar">{quote}</blockquote>')
    return (f'<div class="marsad-popup" data-event-id="{e(rec[0])}">'
            + "".join(rows) + "</div>")


def event_popup_html(row: Mapping) -> str:
    """The popup of one event as escaped HTML.

    Every value from the article is escaped; bidi control characters are
    dropped; the quote sits in a ``dir="rtl"`` block with the place names
    wrapped in ``<mark>``; the source link is a link only for http(s) URLs.

    Parameters
    ----------
    row : Mapping
        One row of an events frame (``geo.store.frames.EVENT_COLUMNS``), e.g. ``frame.iloc[0]``.

    Returns
    -------
    str
        An HTML fragment, ``<div class="marsad-popup" ...>...</div>``.

    Examples
    --------
    >>> row = {"id": "e1", "type": "attack", "quote": "هجوم قرب بني وليد", "quote_start": 10,
    ...        "places": '[{"name": "بني وليد", "start": 19, "end": 27, "role": "location",
    ...                    "precision": 2}]'}
    >>> "<mark>بني وليد</mark>" in event_popup_html(row)
    True
    """
    return _render_record(_popup_record(row))


def popup_text(row: Mapping) -> str:
    """The popup's visible text (tags stripped), for golden summaries and exports."""
    # Block elements end a line; inline ones (bdi, mark, span, a) join their neighbours.
    fragment = re.sub(r"</div>|<blockquote[^>]*>", " ", event_popup_html(row))
    fragment = re.sub(r"<[^>]+>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(fragment)).strip()


def _symbol_svg(style: Mapping, size: int = 18) -> str:
    c, h = style["color"], size / 2
    symbol = style["symbol"]
    if symbol == "arrow":
        body = (f'<line x1="2" y1="{h}" x2="{size - 3}" y2="{h}" stroke="{c}" stroke-width="2.5"/>'
                f'<polyline points="{size - 8},{h - 5} {size - 3},{h} {size - 8},{h + 5}" '
                f'fill="none" stroke="{c}" stroke-width="2.5"/>')
    elif symbol == "dashed":
        body = (f'<line x1="1" y1="{h}" x2="{size - 1}" y2="{h}" stroke="{c}" '
                f'stroke-width="2.5" stroke-dasharray="4 3"/>')
    elif symbol == "area":
        body = (f'<rect x="1" y="3" width="{size - 2}" height="{size - 6}" fill="{c}" '
                f'fill-opacity="0.35" stroke="{c}"/>')
    elif symbol == "square":
        body = f'<rect x="4" y="4" width="{size - 8}" height="{size - 8}" fill="{c}" stroke="#fff"/>'
    elif symbol == "triangle":
        body = f'<polygon points="{h},2 {size - 2},{size - 3} 2,{size - 3}" fill="{c}" stroke="#fff"/>'
    elif symbol == "diamond":
        body = (f'<polygon points="{h},2 {size - 2},{h} {h},{size - 2} 2,{h}" fill="{c}" '
                f'stroke="#fff"/>')
    else:
        body = f'<circle cx="{h}" cy="{h}" r="{h - 3}" fill="{c}" stroke="#fff"/>'
    return f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}">{body}</svg>'


def _layer_label(event_type: str, count: int) -> str:
    style = EVENT_STYLE[event_type]
    return (f'<span class="marsad-key">{_symbol_svg(style, 14)}'
            f"{html.escape(style['label'])} ({count:,})</span>")


@dataclass(frozen=True, slots=True)
class SizeKey:
    """What the map's sized circles mean, for its legend (``geo.maps.build.size_key``)."""

    label: str                               # "fatalities", "force size (fighters)"
    types: tuple[str, ...]                   # the event types that get a circle
    steps: tuple[tuple[float, float], ...]   # (value, radius in px) reference circles, largest first
    sized: int                               # events drawn with a circle
    unsized: int                             # events of those types whose claim gives no number


def size_legend_html(key: SizeKey) -> str:
    """The legend's block for sized circles: nested reference circles and what is left out.

    Examples
    --------
    >>> "19 give no number" in size_legend_html(SizeKey("fatalities", ("attack",), ((4, 40), (1, 20)), 5, 19))
    True
    """
    color = EVENT_STYLE[key.types[0]]["color"] if len(key.types) == 1 else "#555555"
    big = max(r for _, r in key.steps)
    height, width = 2 * big + 4, 2 * big + 4
    rings = "".join(
        f'<circle cx="{big + 2:g}" cy="{height - 2 - r:g}" r="{r:g}" fill="{color}" fill-opacity="0.12" '
        f'stroke="{color}" stroke-width="1.2"/>'
        f'<line x1="{big + 2:g}" y1="{height - 2 - 2 * r:g}" x2="{width + 6:g}" y2="{height - 2 - 2 * r:g}" '
        f'stroke="#888" stroke-width="0.6" stroke-dasharray="2 2"/>'
        f'<text x="{width + 9:g}" y="{height + 2 - 2 * r:g}" font-size="11" fill="#222">{value:g}</text>'
        for value, r in key.steps)
    whom = ", ".join(html.escape(EVENT_STYLE[t]["label"].lower()) + "s" for t in key.types)
    return (f'<div class="marsad-size"><div><b>Circle area: {html.escape(key.label)}</b></div>'
            f'<div>of {whom}, as the claim states it</div>'
            f'<svg width="{width + 34:g}" height="{height:g}">{rings}</svg>'
            f'<div>{key.sized} state a number; {key.unsized} give no number: no circle</div></div>')


def legend_html(size: SizeKey | None = None) -> str:
    """The legend: one symbol per event type and what a presence area's shade means; with
    ``size``, what the sized circles mean (``size_legend_html``).

    Returns
    -------
    str
        An HTML fragment built from ``EVENT_STYLE`` (no article text).

    Examples
    --------
    >>> "Smuggling route" in legend_html()
    True
    """
    rows = [f"<div>{_symbol_svg(style)}{html.escape(style['label'])}</div>"
            for style in EVENT_STYLE.values()]
    shade = EVENT_STYLE["presence"]["color"]
    swatches = "".join(
        f'<span title="precision {p}" style="display:inline-block;width:14px;height:10px;'
        f'margin-left:2px;background:{shade};opacity:{o}"></span>'
        for p, o in PRECISION_OPACITY.items() if o)
    rows.append(f"<div>Area shade: precision 1 · 2 {swatches}</div>")
    rows.append(f'<div><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" fill="none" '
                f'stroke="{shade}" stroke-width="1.6" stroke-dasharray="6 4"/></svg>A region (precision 3): '
                f'outline only</div>')
    move = EVENT_STYLE["movement"]
    rows.append(f"<div>{_symbol_svg({**move, 'symbol': 'triangle'})}A movement at one place</div>")
    rows.append('<div><svg width="22" height="12"><line x1="1" y1="6" x2="21" y2="6" stroke="#555" '
                'stroke-width="2.5" stroke-dasharray="2 4"/></svg>Denied, planned, attempted or alleged: '
                'dotted, hollow</div>')
    return "<div><b>Events</b></div>" + "".join(rows) + (size_legend_html(size) if size else "")
