"""The analyst's loop beyond the command line: a pasted report, the store's own gazetteer, and
reports read again after a place was added.

Corrections themselves are the store's (``EventStore.edit_event``); this module joins the store
to the extraction: the gazetteer extraction uses is the shipped one plus the places and aliases
analysts added to the store, and ``reread`` replaces a report's machine reading while keeping
every event an analyst reviewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pathlib import Path

from geo.ingest import _BATCH, _ingest, analyse, make_article, store_gazetteer
from geo.models import Article
from geo.text.reports import ReadOptions, articles_in
from geo.text.normalize import normalize


def articles_naming(store, names: Sequence[str]) -> list[str]:
    """The ids of stored articles whose text names one of ``names`` (clitics and spelling as the
    geoparser matches them), oldest first."""
    from geo.places.matcher import PlaceMatcher

    matcher = PlaceMatcher.from_names([(n, "wanted") for n in names if n and n.strip()])
    articles = store.articles(with_text=True)
    return [row.id for row in articles.itertuples() if matcher.scan(normalize(row.text))]


def reread(store, article_ids: Sequence[str], *, gazetteer=None, progress=None) -> int:
    """Extract stored articles again (after the gazetteer grew); events an analyst reviewed or
    corrected stay as they are. ``progress(done, total)`` is called after each. Returns events written."""
    import pandas as pd

    gazetteer = store_gazetteer(store, gazetteer)
    written = 0
    ids = list(dict.fromkeys(article_ids))
    for start in range(0, len(ids), _BATCH):
        frame = store.articles(with_text=True, ids=ids[start:start + _BATCH])
        for row in frame.itertuples():
            article = Article(id=row.id, text=row.text, title=row.title or "", outlet=row.outlet or "",
                              url=row.url or "", published=row.published.date() if pd.notna(row.published) else None,
                              language=row.language or "ar")
            mentions, events = analyse(article, gazetteer=gazetteer)
            written += store.replace_analysis(article.id, mentions, events)
        if progress is not None:
            progress(min(start + _BATCH, len(ids)), len(ids))
    return written


def add_text(store, text: str, *, title: str = "", outlet: str = "", url: str = "",
             published: dt.date | None = None, gazetteer=None) -> tuple[Article, bool, int]:
    """Ingest one pasted report: (the article, whether it was new, events written).

    Raises
    ------
    InputError
        When the text is empty.
    """
    article = make_article(text, title=title.strip(), outlet=outlet.strip(), url=url.strip(),
                           published=published)
    new, _, events = _ingest(store, article, store_gazetteer(store, gazetteer))
    return article, new, events


def sample_ids(folder: str | Path) -> list[str]:
    """The article ids of the sample reports in ``folder`` (an id is the hash of the text, so a
    store holds a sample exactly when it holds one of these)."""
    ids = []
    for path in sorted(Path(folder).glob("*.json")):
        ids += [item.id for item, _ in articles_in(path, ReadOptions()) if isinstance(item, Article)]
    return ids


def remove_samples(store, folder: str | Path, *, who: str) -> int:
    """Delete the sample reports (with their events) from ``store``; returns how many there were."""
    return store.delete_articles(sample_ids(folder), who=who, note="the sample reports removed")
