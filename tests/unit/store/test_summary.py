"""A large selection's counts without its rows: the event index, hexagon bins, weeks, a page,
the widgets' choices — each the same as what ``read`` and the frame-based helpers give."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo import filters as gf
from geo.maps.timeline import weekly_counts as frame_weeks
from geo.store import GeoPackageStore
from geo.store import summary

from tests.unit.store.test_store import FILTER_CASES, _fill


def _ids(store, index, positions) -> list[str]:
    if isinstance(store, GeoPackageStore):
        by_fid = dict(store._query("SELECT fid, id FROM events"))
        return sorted(by_fid[int(f)] for f in index.fid[positions])
    return sorted(index.ids[positions])   # another store's index holds every event's id


# Boxes and circles are compared by their bounds here (the store then checks the exact shape).
_EXACT_SHAPE = {"bbox-inside-line-envelope-off-the-line", "near-10km", "near-sirte", "bbox-and-circle-apart",
                "near-25km-meets-the-polygon", "bbox-crossed-by-a-line", "bbox-bani-walid", "bbox-type-date"}


@pytest.mark.parametrize("filters, case", [(c[0], c[2]) for c in FILTER_CASES], ids=[c[2] for c in FILTER_CASES])
def test_select_keeps_what_read_keeps(event_store, store_corpus, filters, case):
    _fill(event_store, store_corpus)
    index = summary.event_index(event_store)
    got = set(_ids(event_store, index, summary.select(event_store, index, **filters)))
    wanted = set(event_store.read(**filters)["id"])
    if case in _EXACT_SHAPE:
        assert wanted <= got
    else:
        assert got == wanted


def test_rejected_and_repeated_events_are_left_out_as_read_leaves_them(event_store, store_corpus):
    _fill(event_store, store_corpus)
    event_store.edit_event("e2", {"review": "rejected"}, who="test")
    index = summary.event_index(event_store)
    assert "e2" not in _ids(event_store, index, summary.select(event_store, index))
    assert "e2" in _ids(event_store, index, summary.select(event_store, index, review=["rejected"]))


def test_bins_count_every_located_event_once(event_store, store_corpus):
    _fill(event_store, store_corpus)
    index = summary.event_index(event_store)
    positions = summary.select(event_store, index)
    bins = summary.hex_bins(index, positions, cell_km=20)
    frame = event_store.read()
    located = int((frame.geometry.notna() & ~frame.geometry.is_empty).sum())
    assert int(bins["events"].sum()) == located == len(summary.located(index, positions))
    assert list(bins.columns) == list(summary.BIN_COLUMNS)
    assert dict(bins.groupby("type")["events"].sum()) == dict(frame[frame.geometry.notna()]["type"].value_counts())


def test_a_point_goes_to_the_nearest_hexagon_centre():
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(9, 25, 500), rng.uniform(19, 34, 500)
    cell = 20.0
    lattice, i, j = summary.hex_cells(lon, lat, cell)
    c_lon, c_lat = summary.hex_centres(lattice, i, j, cell)
    # every centre nearby, on both lattices: none is nearer (in the grid's km) than the one chosen
    for k in range(len(lon)):
        best = math.hypot((c_lon[k] - lon[k]) * summary._KX, (c_lat[k] - lat[k]) * summary._KY)
        assert best <= cell + 1e-6
        for g in (0, 1):
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    o_lon, o_lat = summary.hex_centres(np.array([g]), np.array([i[k] + di]),
                                                       np.array([j[k] + dj]), cell)
                    other = math.hypot((o_lon[0] - lon[k]) * summary._KX, (o_lat[0] - lat[k]) * summary._KY)
                    assert best <= other + 1e-6


def test_weeks_are_the_timelines_weeks(event_store, store_corpus):
    _fill(event_store, store_corpus)
    index = summary.event_index(event_store)
    got = summary.weekly_counts(index, summary.select(event_store, index))
    wanted = frame_weeks(event_store.read())
    assert got.reset_index(drop=True).astype({"events": int}).equals(wanted.astype({"events": int}))


def test_a_page_is_the_newest_events_first(event_store, store_corpus):
    _fill(event_store, store_corpus)
    index = summary.event_index(event_store)
    everything = summary.select(event_store, index)
    frame = event_store.read()
    pages = [list(summary.read_page(event_store, index, everything, page=p, size=2)["id"]) for p in range(3)]
    assert sorted(sum(pages, [])) == sorted(frame["id"])          # every event once
    dates = frame.set_index("id")["event_date"]
    shown = [dates[i] for i in sum(pages, [])]
    undated = [bool(pd.isna(d)) for d in shown]
    assert undated == sorted(undated) and any(undated)            # undated last
    dated = [d for d, u in zip(shown, undated) if not u]
    assert dated == sorted(dated, reverse=True)
    assert summary.read_page(event_store, index, everything, page=9, size=2).empty
    attacks = summary.select(event_store, index, event_types=["attack"])
    assert set(summary.read_page(event_store, index, attacks, size=10)["type"]) == {"attack"}


def test_option_values_are_the_frames_options(event_store, store_corpus):
    _fill(event_store, store_corpus)
    assert gf.FilterOptions(**summary.option_values(event_store)) == gf.filter_options(event_store.read())


def test_an_empty_store_has_an_empty_index(event_store):
    index = summary.event_index(event_store)
    positions = summary.select(event_store, index)
    assert len(index) == 0 and len(positions) == 0
    assert summary.hex_bins(index, positions).empty and summary.weekly_counts(index, positions).empty


class _ReadOnly:
    """A store that only reads (as PostGIS answers here): the summaries come from its frames."""

    def __init__(self, store) -> None:
        self._store = store

    def read(self, **filters):
        return self._store.read(**filters)


@pytest.mark.parametrize("filters", [{}, {"event_types": ["attack", "movement"]}, {"since": "2024-03-01"},
                                     {"actors": ["القاعدة"]}, {"include_denied": False}],
                         ids=["all", "types", "since", "actor", "not-denied"])
def test_a_store_without_sql_gives_the_same_summaries(gpkg_path, store_corpus, filters):
    store = GeoPackageStore(gpkg_path)
    _fill(store, store_corpus)
    other = _ReadOnly(store)
    sql_index, frame_index = summary.event_index(store), summary.event_index(other)
    sql_at, frame_at = summary.select(store, sql_index, **filters), summary.select(other, frame_index, **filters)
    assert _ids(store, sql_index, sql_at) == _ids(other, frame_index, frame_at)
    assert summary.hex_bins(sql_index, sql_at).sort_values(["lat", "lon", "type"]).reset_index(drop=True).equals(
        summary.hex_bins(frame_index, frame_at).sort_values(["lat", "lon", "type"]).reset_index(drop=True))
    assert summary.weekly_counts(sql_index, sql_at).equals(summary.weekly_counts(frame_index, frame_at))
    assert summary.option_values(store) == summary.option_values(other)
    assert list(summary.read_page(store, sql_index, sql_at, size=3)["id"]) == \
        list(summary.read_page(other, frame_index, frame_at, size=3)["id"])
    store.close()
