"""Counts as a reader sees them: one value («~700», «20–99 (vague)»), the CSV's count columns,
one line for a popup, and a counts column read back from a store or a file."""

from __future__ import annotations

import json

from geo.models import Count


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)


def count_value(count: dict) -> str:
    """A count's value as a reader writes it: «18», «~700», «≥12», «>30», «20–99 (vague)», «0 (none)».

    Examples
    --------
    >>> count_value({"kind": "fighters", "low": 700, "high": 700, "qualifier": "about"})
    '~700'
    >>> count_value({"kind": "seized", "low": 3, "high": 3, "qualifier": "exact", "unit": "tonnes",
    ...              "item": "الحشيش"})
    '3 tonnes of الحشيش'
    """
    low, high, qualifier = count["low"], count.get("high"), count.get("qualifier", "exact")
    if qualifier == "more than":
        text = f">{_number(low - 1 if isinstance(low, int) else low)}"
    elif qualifier == "at least":
        text = f"≥{_number(low)}"
    elif qualifier == "less than":
        text = f"<{_number(high + 1 if isinstance(high, int) else high)}"
    elif qualifier == "about":
        text = f"~{_number(low)}"
    elif qualifier in ("vague", "range") or (high is not None and high != low):
        text = f"{_number(low)}–{_number(high)}" + (" (vague)" if qualifier == "vague" else "")
    elif qualifier == "none":
        text = "0 (none)"
    else:
        text = _number(low)
    if count.get("unit"):
        text += f" {count['unit']}"
    if count.get("item"):
        text += f" of {count['item']}"
    return text


def counts_by_kind(counts) -> dict[str, str]:
    """Kind → its values joined by «; » (the CSV's count columns), for Count objects or dicts."""
    out: dict[str, list[str]] = {}
    for c in counts:
        c = c.as_dict() if isinstance(c, Count) else c
        out.setdefault(c["kind"], []).append(count_value(c))
    return {kind: "; ".join(values) for kind, values in out.items()}


def counts_text(counts) -> str:
    """All of an event's counts on one line: «killed 18 · missing 20–99 (vague)»."""
    return " · ".join(f"{kind} {values}" for kind, values in counts_by_kind(counts).items())


def parse_counts(value) -> list[dict]:
    """A counts column (JSON text, a list, or missing) as dicts with at least kind and low."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            return []
    if not isinstance(value, list):
        return []
    return [c for c in value if isinstance(c, dict) and "kind" in c and "low" in c]
