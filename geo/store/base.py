"""Where articles, mentions and events live: a GeoPackage file or a PostGIS database.

``EventStore`` is the small interface the app, the exports and the ingestion
use. ``GeoPackageStore`` is the embedded default: one SQLite file that QGIS,
GDAL and geopandas open as a GeoPackage with three layers (``articles``, an
attribute table; ``mentions`` and ``events``, feature tables of any geometry
type). ``PostGISStore`` keeps the same tables on a shared server.
``open_store`` picks one from a URL or a path.

The columns, filters and row helpers both backends share live in
``geo.store.schema``; each backend is a module of its own (``gpkg``, ``postgis``).

Nothing here reads environment variables; callers pass paths and URLs in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd

from geo.errors import InputError
from geo.models import Article, Event, Mention, Place
from geo.store.gpkg import GeoPackageStore
from geo.store.postgis import PostGISStore
from geo.store.schema import StoreStats


@runtime_checkable
class EventStore(Protocol):
    """The storage contract every backend fulfils (see the module docstring)."""

    schema_version: int

    def write_article(self, article: Article, mentions: Sequence[Mention],
                      events: Sequence[Event]) -> bool: ...

    def write_articles(self, items: Sequence[tuple[Article, Sequence[Mention], Sequence[Event]]]) -> list[bool]: ...

    def write(self, events: Sequence[Event]) -> int: ...

    def read(self, *, bbox=None, since=None, until=None, event_types=None, actors=None,
             outlets=None, speakers=None, near=None, precision=None,
             include_denied: bool = True, include_repeats: bool = False, review=None, ids=None,
             article_ids=None) -> gpd.GeoDataFrame: ...

    def articles(self, *, with_text: bool = False, ids: Sequence[str] | None = None) -> pd.DataFrame: ...

    def has_article(self, article_id: str) -> bool: ...

    def mentions(self, article_id: str | None = None) -> gpd.GeoDataFrame: ...

    def stats(self) -> StoreStats: ...

    # a cheap value that differs after every write, correction or deletion: the app's caches
    # of what every session reads (filter choices, filtered frames) are keyed on it
    def change_key(self) -> tuple[int, ...]: ...

    # the analyst's loop: corrections with their audit rows, places added, re-extraction
    def edit_event(self, event_id: str, changes: dict, *, who: str, note: str = "") -> list[str]: ...

    def save_place(self, place_id: str, *, who: str, note: str = "", aliases: Sequence[str] = (),
                   new: Place | None = None) -> None: ...

    def user_places(self) -> list[dict]: ...

    def audit(self, *, target_id: str | None = None) -> pd.DataFrame: ...

    def delete_articles(self, article_ids: Sequence[str], *, who: str, note: str = "") -> int: ...

    def replace_analysis(self, article_id: str, mentions: Sequence[Mention],
                         events: Sequence[Event]) -> int: ...

    def close(self) -> None: ...


def open_store(url_or_path: str | Path, **options: Any) -> EventStore:
    """Open the store a URL or a path names.

    Parameters
    ----------
    url_or_path : str or Path
        ``postgresql://user@host:port/db`` (or ``postgres://``,
        ``postgresql+psycopg://``) opens a PostGIS store; anything else is the
        path of a GeoPackage file, created if missing.
    **options
        Passed to the store's constructor (``schema=`` for PostGIS).

    Returns
    -------
    EventStore

    Raises
    ------
    InputError
        When the value is empty.
    StorageError
        When the file or the server cannot be opened.

    Examples
    --------
    >>> store = open_store("var/marsad.gpkg")          # doctest: +SKIP
    >>> store.read(event_types=["movement"], near=(31.76, 13.98, 50))  # حول بني وليد
    """
    text = str(url_or_path).strip()
    if not text:
        raise InputError(f"a store needs a path or a postgresql:// URL, got {url_or_path!r}")
    if re.match(r"^postgres(ql)?(\+\w+)?://", text):
        return PostGISStore(text, **options)
    return GeoPackageStore(text, **options)
