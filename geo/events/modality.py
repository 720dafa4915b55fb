"""How a report holds each claim, what kind of event it is in ACLED's words, and repeats.

- ``modality_of``: denied, attempted, planned, alleged, observed, reported or asserted, from the
  draft's denial and the words of the claim and the few before it (``modality`` in
  ``data/lexicon/cues.json``): «حاولت ... التسلل» is attempted, «يعتزم شن هجوم» planned,
  «اتهم ... بالهجوم» alleged, a witness who «شاهد» observed. Without such words a claim with a
  source is reported and one in the outlet's own voice asserted.
- ``sub_type_of``: the first ``sub_types`` label of the event's type whose word stands in the
  claim (``air/drone strike``, ``arrest``, ``seizure`` ...), or "".
- ``link_repeats``: a claim told twice in one report (the headline and the body, two sources
  saying the same) keeps its first event; the later ones point at it through ``same_as``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from geo.events.scan import Scan
from geo.models import Attribution, Event

# How far before the claim the words that qualify it may stand («قال إنهم يعتزمون ...»).
_LOOK_BACK = 60
_ORDER = ("attempted", "planned", "alleged")


def modality_of(scan: Scan, start: int, end: int, *, sentence_start: int, denied: bool,
                attribution: Attribution) -> str:
    """The modality of the claim at ``scan.norm[start:end]`` (normalized offsets)."""
    if denied:
        return "denied"
    keys = {hit.key[4:] for hit in scan.in_range(scan.claim_starts, scan.claims,
                                                 max(sentence_start, start - _LOOK_BACK), end)
            if hit.key.startswith("mod|")}
    for modality in _ORDER:
        if modality in keys:
            return modality
    if attribution.source_type == "witnesses/residents" or ("sighting" in keys and not attribution.speaker):
        return "observed"
    sourced = attribution.speaker or attribution.cited_outlet or attribution.source_type != "outlet"
    return "reported" if sourced else "asserted"


def sub_type_of(scan: Scan, event_type: str, start: int, end: int) -> str:
    """The ACLED-like label the claim's own words give, or ""."""
    prefix = f"sub|{event_type}|"
    for hit in scan.in_range(scan.claim_starts, scan.claims, start, end):
        if hit.key.startswith(prefix) and hit.end <= end:
            return hit.key[len(prefix):]
    return ""


def link_repeats(events: Sequence[Event]) -> list[Event]:
    """Point each event that repeats an earlier one (same type, same places, same denial) at it."""
    first: dict[tuple, str] = {}
    out = list(events)
    for i, event in enumerate(out):
        places = tuple(sorted({(p.role, p.place_id) for p in event.places if p.place_id}))
        if not places:
            continue
        key = (event.type, places, event.denied)
        if key in first:
            out[i] = dataclasses.replace(event, same_as=first[key])
        else:
            first[key] = event.id
    return out
