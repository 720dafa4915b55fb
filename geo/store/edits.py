"""What an analyst changes, on either backend: event corrections, places added, the audit log.

Both stores run the same statements through a small ``Sql`` adapter (its parameter mark,
its table names, its rows, its geometry literal), inside their own transaction, so a
correction and its audit rows are written together or not at all.

An event an analyst touched keeps their word: its review state leaves ``auto``, every changed
field gets an audit row (who, when, field, before → after, note), and a re-extraction of its
report (``replace_analysis``) replaces only the events nobody touched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.models import (
    DATE_PRECISIONS,
    EVENT_TYPES,
    MODALITIES,
    PLACE_KINDS,
    REVIEW_STATES,
    Count,
    Place,
    fatalities,
)

# The audit log and the analyst's places, added in schema version 3 (GeoPackage types).
AUDIT_TYPES = {
    "at": "DATETIME", "who": "TEXT", "target": "TEXT", "target_id": "TEXT", "article_id": "TEXT",
    "field": "TEXT", "old_value": "TEXT", "new_value": "TEXT", "note": "TEXT",
}
AUDIT_COLUMNS = tuple(AUDIT_TYPES)
USER_PLACE_TYPES = {
    "place_id": "TEXT", "name_ar": "TEXT", "name_en": "TEXT", "aliases": "TEXT", "kind": "TEXT",
    "country": "TEXT", "added_by": "TEXT", "added_at": "DATETIME", "note": "TEXT",
}
USER_PLACE_COLUMNS = tuple(USER_PLACE_TYPES)

_TEXT_FIELDS = ("speaker", "speaker_role", "source_type", "cited_outlet", "publisher", "note", "sub_type")
#: The event columns an analyst may correct (``geometry`` travels beside them).
EDITABLE = frozenset({"type", "modality", "actors", "places", "event_date", "date_precision",
                      "geo_precision", "review", "counts", *_TEXT_FIELDS})


@dataclass(frozen=True, slots=True)
class Sql:
    """What the shared statements need of a backend inside one transaction."""

    mark: str                                        # "?" or "%s"
    table: Callable[[str], str]                      # a table's qualified name
    rows: Callable[[str, Sequence], list[tuple]]     # run one statement, its rows ([] for none)
    geometry: Callable[[BaseGeometry | None], tuple[str, Any]]  # (SQL literal, its parameter)
    now: Callable[[], Any]                           # the DATETIME value of "now"
    # the SQL that reads an event's column as the frame holds it (a GeoPackage stores places short)
    column: Callable[[str], str] = lambda name: f"e.{name}"

    def marks(self, n: int) -> str:
        return ", ".join([self.mark] * n)

    def of_articles(self, marks: str) -> str:
        """The condition that an events or mentions row is of the articles of these ids (the rows
        name their article by fid, ``geo.store.schema.MENTION_STORED_TYPES``)."""
        return f"article_fid IN (SELECT fid FROM {self.table('articles')} WHERE id IN ({marks}))"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _plain(value: Any) -> Any:
    """A stored value in the form the audit log and comparisons use."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return value
    return value


def check_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Validate a correction; return the stored value of each field (lists as JSON text).

    Raises
    ------
    InputError
        For a field that cannot be corrected or a value it cannot hold (quoted).
    """
    if not isinstance(changes, dict) or not changes:
        raise InputError(f"a correction needs a dict of fields to change, got {changes!r}")
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "geometry":
            continue
        if name not in EDITABLE:
            raise InputError(f"{name!r} cannot be corrected; correctable fields: {sorted(EDITABLE)}")
        choices = {"type": EVENT_TYPES, "modality": MODALITIES, "date_precision": DATE_PRECISIONS,
                   "review": REVIEW_STATES}.get(name)
        if choices is not None:
            if value not in choices:
                raise InputError(f"{name} must be one of {sorted(choices)}, got {value!r}")
            out[name] = value
        elif name == "actors":
            if isinstance(value, str) or not all(isinstance(a, str) and a.strip() for a in value):
                raise InputError(f"actors must be a list of names, got {value!r}")
            out[name] = _json([a.strip() for a in value])
        elif name == "places":
            if isinstance(value, str) or not all(isinstance(p, dict) and p.get("role") for p in value):
                raise InputError(f"places must be a list of {{'role', 'place_id', 'name', ...}}, got {value!r}")
            out[name] = _json(list(value))
        elif name == "counts":
            if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
                raise InputError(f"counts must be a list of {{'kind', 'low', 'high', 'qualifier', ...}}, got {value!r}")
            out[name] = _json([_count(c).as_dict() for c in value])
        elif name == "event_date":
            if value in (None, ""):
                out[name] = None
            else:
                try:
                    out[name] = (value if isinstance(value, dt.date) else
                                 dt.date.fromisoformat(str(value)[:10])).isoformat()[:10]
                except ValueError:
                    raise InputError(f"event_date must be a date or 'YYYY-MM-DD', got {value!r}") from None
        elif name == "geo_precision":
            if value not in (1, 2, 3):
                raise InputError(f"geo_precision must be 1, 2 or 3, got {value!r}")
            out[name] = int(value)
        else:
            if not isinstance(value, str):
                raise InputError(f"{name} must be text, got {value!r}")
            out[name] = value.strip()
    return out


def _count(value: Any) -> Count:
    """One corrected count: kind and low, the rest optional («more than», «at least» have no high)."""
    if not isinstance(value, dict):
        raise InputError(f"a count must be a dict with at least kind and low, got {value!r}")

    def number(field: str, v: Any) -> int | float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v < 0:
            raise InputError(f"a count's {field} must be a number of 0 or more, got {v!r}")
        return int(v) if float(v).is_integer() else float(v)
    qualifier = value.get("qualifier") or "exact"
    low = number("low", value.get("low"))
    high = value.get("high")
    high = None if qualifier in ("at least", "more than") else low if high is None else number("high", high)
    return Count(str(value.get("kind")), low, high, qualifier, unit=str(value.get("unit") or ""),
                 item=str(value.get("item") or ""), start=int(value.get("start") or 0),
                 end=int(value.get("end") or 0))


def _audit_row(sql: Sql, who: str, target: str, target_id: str, article_id: str, field: str,
               old: Any, new: Any, note: str) -> tuple:
    return (sql.now(), who, target, target_id, article_id, field,
            old if isinstance(old, str) else _json(old), new if isinstance(new, str) else _json(new), note)


def _insert_audit(sql: Sql, rows: list[tuple]) -> None:
    for row in rows:
        sql.rows(f"INSERT INTO {sql.table('edits')} ({', '.join(AUDIT_COLUMNS)}) "
                 f"VALUES ({sql.marks(len(AUDIT_COLUMNS))})", row)


def _who(who: str) -> str:
    if not isinstance(who, str) or not who.strip():
        raise InputError("an edit needs the name of who made it (the sidebar's «Your name»)")
    return who.strip()


def edit_event(sql: Sql, event_id: str, changes: dict[str, Any], *, who: str, note: str = "") -> list[str]:
    """Apply a correction to one event with its audit rows; return the fields that changed.

    A correction of anything but the note or the review state itself confirms the event.
    """
    who = _who(who)
    values = check_changes(changes)
    columns = list(values)
    found = sql.rows(f"SELECT (SELECT a.id FROM {sql.table('articles')} a WHERE a.fid = e.article_fid), "
                     f"e.review{''.join(', ' + sql.column(c) for c in columns)} "
                     f"FROM {sql.table('events')} e WHERE e.id = {sql.mark}", [event_id])
    if not found:
        raise InputError(f"no event with id {event_id!r} in the store")
    article_id, review, *current = found[0]
    changed = {c: v for c, old, v in zip(columns, current, values.values()) if _plain(old) != _plain(v)}
    old_of = dict(zip(columns, current))
    if "geometry" in changes and "places" not in changed:
        old_of["geometry"], changed["geometry"] = "", "moved"
    if set(changed) - {"note", "review"} and "review" not in values and (review or "auto") == "auto":
        old_of["review"], changed["review"] = review or "auto", "confirmed"
    if not changed:
        return []
    audit = [_audit_row(sql, who, "event", event_id, article_id, c, _plain(old_of.get(c)), _plain(v), note)
             for c, v in changed.items()]
    assignments, params = [], []
    for c, v in changed.items():
        if c == "geometry":
            continue
        assignments.append(f"{c} = {sql.mark}")
        params.append(v)
        if c == "modality":
            assignments.append(f"denied = {sql.mark}")
            params.append(v == "denied")
        if c == "counts":    # ACLED's fatalities follow the counts the analyst gave
            killed = fatalities(json.loads(v))
            assignments.append(f"fatalities = {sql.mark}")
            params.append(None if killed is None else int(killed))
    if "geometry" in changes:
        literal, param = sql.geometry(changes["geometry"])
        assignments.append(f"geom = {literal}")   # the event's own now, not a shared area
        assignments.append("area_id = NULL")
        params.append(param)
    sql.rows(f"UPDATE {sql.table('events')} SET {', '.join(assignments)} WHERE id = {sql.mark}",
             [*params, event_id])
    _insert_audit(sql, audit)
    return [c for c in changed]


def touched_ids(sql: Sql, article_id: str) -> set[str]:
    """The events of an article an analyst reviewed or corrected: a re-extraction keeps them."""
    rows = sql.rows(f"SELECT id FROM {sql.table('events')} WHERE {sql.of_articles(sql.mark)} AND "
                    f"(coalesce(review, 'auto') <> 'auto' OR id IN (SELECT target_id FROM "
                    f"{sql.table('edits')} WHERE target = 'event'))", [article_id])
    return {r[0] for r in rows}


def delete_articles(sql: Sql, article_ids: Sequence[str], *, who: str, note: str = "") -> int:
    """Delete articles with their mentions and events, an audit row for each; returns how many
    articles there were. The analyst's places and the earlier audit rows stay."""
    who = _who(who)
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return 0
    found = sql.rows(f"SELECT id, title FROM {sql.table('articles')} WHERE id IN ({sql.marks(len(ids))})", ids)
    if not found:
        return 0
    present = [row[0] for row in found]
    marks = sql.marks(len(present))
    for table in ("events", "mentions"):
        sql.rows(f"DELETE FROM {sql.table(table)} WHERE {sql.of_articles(marks)}", present)
    sql.rows(f"DELETE FROM {sql.table('articles')} WHERE id IN ({marks})", present)
    _insert_audit(sql, [_audit_row(sql, who, "article", aid, aid, "deleted", title or "", "", note)
                        for aid, title in found])
    return len(present)


def check_place(place: Place) -> None:
    if not isinstance(place, Place):
        raise InputError(f"expected a Place, got {type(place).__name__!r}")
    if place.kind not in PLACE_KINDS:
        raise InputError(f"kind must be one of {sorted(PLACE_KINDS)}, got {place.kind!r}")


def save_place(sql: Sql, place_id: str, *, who: str, note: str = "", aliases: Sequence[str] = (),
               new: Place | None = None) -> None:
    """Add aliases to a place (shipped or the analyst's), or add a new place; audit rows with it."""
    who = _who(who)
    clean = [a.strip() for a in aliases if isinstance(a, str) and a.strip()]
    if new is None and not clean:
        raise InputError("nothing to save: give an alias or a new place")
    found = sql.rows(f"SELECT aliases FROM {sql.table('user_places')} WHERE place_id = {sql.mark}", [place_id])
    old_aliases = json.loads(found[0][0] or "[]") if found else []
    merged = old_aliases + [a for a in clean if a not in old_aliases]
    audit = []
    if new is not None:
        check_place(new)
        if found:
            raise InputError(f"a place with id {place_id!r} is already in the store")
        literal, param = sql.geometry(new.geometry)
        merged = list(dict.fromkeys([*new.aliases, *merged]))
        sql.rows(f"INSERT INTO {sql.table('user_places')} (geom, {', '.join(USER_PLACE_COLUMNS)}) VALUES "
                 f"({literal}, {sql.marks(len(USER_PLACE_COLUMNS))})",
                 [param, place_id, new.name_ar, new.name_en, _json(merged), new.kind, new.country,
                  who, sql.now(), note])
        audit.append(_audit_row(sql, who, "place", place_id, "", "place", "",
                                _json({"name_ar": new.name_ar, "name_en": new.name_en, "kind": new.kind,
                                       "wkt": new.geometry.wkt}), note))
    elif found:
        sql.rows(f"UPDATE {sql.table('user_places')} SET aliases = {sql.mark} WHERE place_id = {sql.mark}",
                 [_json(merged), place_id])
    else:
        literal, param = sql.geometry(None)
        sql.rows(f"INSERT INTO {sql.table('user_places')} (geom, {', '.join(USER_PLACE_COLUMNS)}) VALUES "
                 f"({literal}, {sql.marks(len(USER_PLACE_COLUMNS))})",
                 [param, place_id, "", "", _json(merged), "", "", who, sql.now(), note])
    if merged != old_aliases and new is None:
        audit.append(_audit_row(sql, who, "place", place_id, "", "aliases", old_aliases, merged, note))
    _insert_audit(sql, audit)


def audit_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(AUDIT_COLUMNS)) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in AUDIT_COLUMNS})
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    return frame


def user_place_records(rows: list[tuple], geometries: list[BaseGeometry | None]) -> list[dict]:
    """The analyst's places and aliases as dicts (``USER_PLACE_COLUMNS`` plus ``geometry``)."""
    out = []
    for row, geometry in zip(rows, geometries):
        record = dict(zip(USER_PLACE_COLUMNS, row))
        record["aliases"] = tuple(json.loads(record["aliases"] or "[]"))
        record["geometry"] = geometry
        out.append(record)
    return out
