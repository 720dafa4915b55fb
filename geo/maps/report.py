"""A report as an analyst reads it: the whole text, its places and claims highlighted.

``report_html`` returns one escaped HTML fragment (right to left): each place the geoparser
found is a ``<mark>``, each claim an event was made of is underlined in its type's colour,
the selected event stands out. Every character of the article goes through ``html.escape``;
the only markup is ours.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from geo.maps.style import EVENT_STYLE

REPORT_CSS = """
.marsad-report { direction: rtl; text-align: right; font-size: 1.08rem; line-height: 2.1;
  white-space: pre-wrap; unicode-bidi: plaintext; }
.marsad-report mark.m-place { background: #fff1b8; border-radius: 3px; padding: 0 2px; }
.marsad-report mark.m-unplaced { background: #e8e8e8; }
.marsad-report .m-claim { border-bottom: 3px solid var(--claim); padding-bottom: 1px; }
.marsad-report .m-selected { background: #ffe08a55; outline: 2px solid #ffb000; border-radius: 2px; }
.marsad-legend { font-size: 0.85rem; color: #444; }
.marsad-legend span { margin-inline-end: 1.2em; }
"""


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the text to mark: a place (``kind="place"``) or a claim (``kind`` = its type)."""

    start: int
    end: int
    kind: str
    title: str = ""
    key: str = ""          # the event id of a claim
    placed: bool = True    # a place the gazetteer located


def report_html(text: str, spans: Sequence[Span], *, selected: str | None = None) -> str:
    """The text as escaped HTML with its spans marked (places inside claims nest in them).

    Spans outside the text or empty are left out; overlapping claims mark the text with the
    first that starts there. Returns one ``<div class="marsad-report">``.
    """
    n = len(text)
    spans = [s for s in spans if 0 <= s.start < s.end <= n]
    cuts = sorted({0, n, *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(text[a:b])
        place = next((s for s in spans if s.kind == "place" and s.start <= a and b <= s.end), None)
        claim = next((s for s in spans if s.kind != "place" and s.start <= a and b <= s.end), None)
        if place is not None:
            cls = "m-place" if place.placed else "m-place m-unplaced"
            piece = f'<mark class="{cls}" title="{html.escape(place.title)}">{piece}</mark>'
        if claim is not None:
            chosen = any(s.key == selected for s in spans
                         if selected and s.kind != "place" and s.start <= a and b <= s.end)
            colour = EVENT_STYLE.get(claim.kind, {}).get("color", "#777")
            cls = "m-claim m-selected" if chosen else "m-claim"
            piece = (f'<span class="{cls}" style="--claim:{colour}" data-event="{html.escape(claim.key)}" '
                     f'title="{html.escape(claim.title)}">{piece}</span>')
        out.append(piece)
    return f'<div class="marsad-report" dir="rtl">{"".join(out)}</div>'


def legend_html(kinds: Sequence[str]) -> str:
    """One line saying what the marks mean."""
    items = ['<span><mark class="m-place">place</mark></span>',
             '<span><mark class="m-place m-unplaced">place not located</mark></span>']
    items += [f'<span class="m-claim" style="--claim:{EVENT_STYLE.get(k, {}).get("color", "#777")}">{html.escape(k)} claim</span>'
              for k in kinds]
    return f'<div class="marsad-legend marsad-report" dir="ltr" style="direction:ltr;text-align:left">{"".join(items)}</div>'
