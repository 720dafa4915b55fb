"""Counts per area: Libya's 22 districts, its six neighbours' first-level regions, other countries.

Each event counts once, at its point (``geo.events.geometry.event_points``: a movement where it
ends, a route at its middle). The neighbours' regions (governorates, wilayas, states) are cut
from Natural Earth's admin-1 lines by scripts/build_basemap.py; a country without them on the
basemap counts as a whole. An event outside every unit is left out of the counts (and said so
by ``area_counts``'s ``outside``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.events.geometry import event_points
from geo.maps.reference import load_countries, load_districts, load_regions

CRS = "EPSG:4326"
# Light to dark, one hue (colour-blind safe): the share of the busiest unit.
SHADES = ("#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d")


# The last units frame and the three reference files it was built from (kept, so their
# identity says the files have not changed: reference.py re-reads a file only when it does).
_UNITS: tuple[tuple, gpd.GeoDataFrame] | None = None


def _units() -> gpd.GeoDataFrame:
    """Libya's districts, the neighbours' first-level regions, then every other country of the
    basemap; built once per state of the files (~20 ms, and every count asks). Callers must not
    change the frame in place."""
    global _UNITS
    sources = (load_districts(), load_regions(), load_countries())
    if _UNITS is not None and all(a is b for a, b in zip(_UNITS[0], sources)):
        return _UNITS[1]
    units = _built_units(*sources)
    _UNITS = (sources, units)
    return units


def _built_units(districts: dict | None, regions: dict | None, countries: dict | None) -> gpd.GeoDataFrame:
    parts, divided = [], set()
    if districts:
        d = gpd.GeoDataFrame.from_features(districts["features"], crs=CRS)
        parts.append(d.assign(unit=d["id"], level="district")[["unit", "name_ar", "name_en", "level", "geometry"]])
        divided.add("LY")
    if regions:
        r = gpd.GeoDataFrame.from_features(regions["features"], crs=CRS)
        parts.append(r.assign(unit=r["id"], level="region")[["unit", "name_ar", "name_en", "level", "geometry"]])
        divided |= set(r["country"])
    if countries:
        c = gpd.GeoDataFrame.from_features(countries["features"], crs=CRS)
        c = c[~c["iso_a2"].isin(divided)]
        parts.append(c.assign(unit="cc:" + c["iso_a2"], level="country")[["unit", "name_ar", "name_en", "level", "geometry"]])
    if not parts:
        return gpd.GeoDataFrame({"unit": [], "name_ar": [], "name_en": [], "level": []}, geometry=[], crs=CRS)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=CRS)


def area_counts(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """(one row per area with events: unit, names, level, ``events`` and a count per type,
    geometry; the number of located events outside every area), busiest first."""
    units = _units()
    points = event_points(frame["type"], frame.geometry) if len(frame) else np.array([], dtype=object)
    located = np.array([p is not None for p in points], dtype=bool)
    if not located.any() or units.empty:
        empty = units.iloc[0:0].assign(events=pd.Series([], dtype=int))
        return empty, int(located.sum())
    joined = _joined(frame, units, points, located)
    outside = int(joined["unit"].isna().sum())
    inside = joined[joined["unit"].notna()]
    table = pd.crosstab(inside["unit"], inside["type"])
    table["events"] = table.sum(axis=1)
    # ACLED's fatalities summed where the text states them (0 counts; unstated adds nothing)
    table["fatalities"] = inside.groupby("unit")["fatalities"].sum(min_count=1).reindex(table.index).fillna(0).astype(int)
    return _busiest_first(units, table), outside


def bin_area_counts(bins: pd.DataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """``area_counts`` from ``geo.store.summary.hex_bins``'s counts: each hexagon's events go to
    the area its centre lies in, so a count is right to about a hexagon's width along a border
    (a large selection's districts, without reading its rows). No fatalities column."""
    units = _units()
    if bins.empty or units.empty:
        return units.iloc[0:0].assign(events=pd.Series([], dtype=int)), int(bins["events"].sum())
    points = gpd.GeoDataFrame(bins[["type", "events"]].reset_index(drop=True),
                              geometry=gpd.points_from_xy(bins["lon"], bins["lat"]), crs=CRS)
    joined = gpd.sjoin(points, units[["unit", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    outside = int(joined.loc[joined["unit"].isna(), "events"].sum())
    inside = joined[joined["unit"].notna()]
    table = inside.pivot_table(index="unit", columns="type", values="events", aggfunc="sum", fill_value=0)
    table["events"] = table.sum(axis=1)
    return _busiest_first(units, table), outside


def _busiest_first(units: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The units that have a row in ``table`` (indexed by unit), with its columns, busiest first."""
    out = units.merge(table, left_on="unit", right_index=True)
    out = out.sort_values(["events", "name_en"], ascending=[False, True]).reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS)


def _joined(frame: gpd.GeoDataFrame, units: gpd.GeoDataFrame, points, located) -> pd.DataFrame:
    """Each located event's type, date, fatalities and the area it falls in (NaN outside all)."""
    data = {"type": frame["type"].to_numpy()[located],
            "fatalities": pd.to_numeric(frame["fatalities"], errors="coerce").to_numpy(dtype=float)[located]
            if "fatalities" in frame.columns else np.full(int(located.sum()), np.nan)}
    if "event_date" in frame.columns:
        data["event_date"] = pd.to_datetime(frame["event_date"]).to_numpy()[located]
    pts = gpd.GeoDataFrame(data, geometry=list(points[located]), crs=CRS)
    joined = gpd.sjoin(pts, units[["unit", "geometry"]], how="left", predicate="within")
    return joined[~joined.index.duplicated()]          # a point on a shared border counts once


def fatalities_by_month(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Fatalities per district (or region of a neighbour, or further country) per month, as ACLED sums them: one row
    per area that has any, its Arabic and English names, then a column per month (YYYY-MM),
    busiest area first. Events without a date or without stated fatalities add nothing."""
    units = _units()
    empty = pd.DataFrame(columns=["name_ar", "name_en", "total"])
    if not len(frame) or "fatalities" not in frame.columns or units.empty:
        return empty
    points = event_points(frame["type"], frame.geometry)
    located = np.array([p is not None for p in points], dtype=bool)
    if not located.any():
        return empty
    joined = _joined(frame, units, points, located)
    joined = joined[joined["unit"].notna() & joined["fatalities"].notna() & joined["event_date"].notna()]
    if joined.empty:
        return empty
    joined["month"] = pd.to_datetime(joined["event_date"]).dt.strftime("%Y-%m")
    table = joined.pivot_table(index="unit", columns="month", values="fatalities", aggfunc="sum", fill_value=0)
    table = table.astype(int)
    table.insert(0, "total", table.sum(axis=1))
    names = units.drop_duplicates("unit").set_index("unit")[["name_ar", "name_en"]]
    out = names.join(table, how="inner").sort_values(["total", "name_en"], ascending=[False, True])
    return out.reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class Fatalities:
    """Fatalities per area per month, and how many claims state a number at all.

    ``table`` has one row per area with an attack or a stated toll, busiest first, then a last
    row «All areas»: ``name_ar``, ``name_en``, ``attacks``, ``stated`` (of them, those whose
    claim states fatalities, «none killed» included), ``total``, then a column per month
    (YYYY-MM). A cell is <NA> where no claim in it states a number, 0 where one says nobody died.
    """

    table: pd.DataFrame
    attacks: int          # attacks among the events
    stated: int           # of them, the ones whose claim states fatalities (0 included)
    other_stated: int     # events of other types that state fatalities (counted in the table)
    left_out: int         # stated tolls in no cell: no place, outside every area, or undated

    def summary(self) -> str:
        """What the table counts and what it cannot: attacks without a number, tolls in no cell."""
        other, out = self.other_stated, self.left_out
        text = (f"ACLED's count: the number killed as the claim states it. {self.stated} of {self.attacks} "
                f"attacks state their fatalities; the other {self.attacks - self.stated} give no number and "
                f"add nothing. A dash marks a cell where no claim states a number; 0 means a claim said "
                f"nobody died.")
        if other:
            text += (" 1 event of another type also states fatalities and is counted." if other == 1 else
                     f" {other} events of other types also state fatalities and are counted.")
        if out:
            text += (f" {out} stated {'toll is' if out == 1 else 'tolls are'} in no cell: undated, without a "
                     f"place or outside every area.")
        return text


def fatalities_table(frame: gpd.GeoDataFrame) -> Fatalities:
    """Fatalities per district (and region of a neighbour, or further country) per month, honest about claims without
    a number: they add nothing to a total, and the table says how many there are.

    Parameters
    ----------
    frame : GeoDataFrame
        Events in the ``geo.store.frames`` shape (``type``, ``fatalities``, ``event_date``).

    Returns
    -------
    Fatalities
        The table and the counts of attacks, of those stating a number and of tolls left out.

    Examples
    --------
    >>> fatalities_table(store.read()).table.iloc[0]["name_ar"]  # doctest: +SKIP
    'شعبية مرزق'
    """
    types = frame["type"].to_numpy() if len(frame) else np.array([], dtype=object)
    stated_all = (pd.to_numeric(frame["fatalities"], errors="coerce").notna().to_numpy()
                  if "fatalities" in frame.columns else np.zeros(len(frame), dtype=bool))
    attacks = int((types == "attack").sum())
    stated = int(((types == "attack") & stated_all).sum())
    other = int((stated_all & (types != "attack")).sum())
    columns = ["name_ar", "name_en", "attacks", "stated", "total"]
    units = _units()
    points = event_points(frame["type"], frame.geometry) if len(frame) else np.array([], dtype=object)
    located = np.array([p is not None for p in points], dtype=bool)
    if units.empty or not located.any():
        return Fatalities(pd.DataFrame(columns=columns), attacks, stated, other, int(stated_all.sum()))
    joined = _joined(frame, units, points, located)
    if "event_date" not in joined.columns:
        joined["event_date"] = pd.NaT
    joined = joined[joined["unit"].notna()].copy()
    joined["attack"] = joined["type"] == "attack"
    joined["stated"] = joined["attack"] & joined["fatalities"].notna()
    counted = joined[joined["fatalities"].notna() & joined["event_date"].notna()].copy()
    per_area = joined.groupby("unit").agg(attacks=("attack", "sum"), stated=("stated", "sum"))
    counted["month"] = pd.to_datetime(counted["event_date"]).dt.strftime("%Y-%m")
    months = counted.pivot_table(index="unit", columns="month", values="fatalities", aggfunc="sum")
    months = months.reindex(columns=sorted(months.columns))
    table = per_area.join(months, how="left")
    table = table[(table["attacks"] > 0) | table.index.isin(months.index)]
    table.insert(2, "total", months.sum(axis=1, min_count=1).reindex(table.index))
    names = units.drop_duplicates("unit").set_index("unit")[["name_ar", "name_en"]]
    table = names.join(table, how="inner")
    table = table.sort_values(["total", "attacks", "name_en"], ascending=[False, False, True], na_position="last")
    whole = table.drop(columns=["name_ar", "name_en"]).sum(min_count=1)
    table.loc["all"] = {"name_ar": "كل المناطق", "name_en": "All areas", **whole.to_dict()}
    for column in table.columns[2:]:
        table[column] = pd.array(table[column].round(), dtype="Int64")
    return Fatalities(table.reset_index(drop=True), attacks, stated, other,
                      int(stated_all.sum()) - len(counted))


def fatalities_html(fatalities: Fatalities) -> str:
    """``fatalities_table`` as an HTML table: Arabic names right-to-left, «–» where no claim in
    the cell states a number, the «All areas» row last. Names come from the shipped boundaries,
    escaped all the same."""
    table = fatalities.table
    months = [c for c in table.columns if c not in ("name_ar", "name_en", "attacks", "stated", "total")]
    head = ('<tr><th dir="rtl" lang="ar">المنطقة</th><th>District / region / country</th><th>Attacks</th>'
            '<th>with a toll</th><th>Fatalities</th>' + "".join(f"<th>{html.escape(m)}</th>" for m in months)
            + "</tr>")

    def cell(value) -> str:
        return "<td>–</td>" if pd.isna(value) else f"<td>{int(value)}</td>"

    rows = []
    for i, (name_ar, name_en, *numbers) in enumerate(table.itertuples(index=False, name=None)):
        last = ' class="marsad-total"' if i == len(table) - 1 else ""
        rows.append(f'<tr{last}><td dir="rtl" lang="ar">{html.escape(str(name_ar or ""))}</td>'
                    f'<td>{html.escape(str(name_en or ""))}</td>' + "".join(map(cell, numbers)) + "</tr>")
    return f'<table class="marsad-fatalities"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def shade(count: int, busiest: int) -> str:
    """The fill of an area with ``count`` events when the busiest has ``busiest``."""
    if count <= 0 or busiest <= 0:
        return "#ffffff"
    step = int(np.ceil(count / busiest * (len(SHADES) - 1)))
    return SHADES[min(max(step, 1), len(SHADES) - 1)]


def simplified(areas: gpd.GeoDataFrame, tolerance: float = 0.02) -> gpd.GeoDataFrame:
    """The areas with lighter outlines for the browser (topology of a choropleth is not needed)."""
    out = areas.copy()
    out["geometry"] = shapely.simplify(out.geometry.to_numpy(), tolerance, preserve_topology=True)
    return out
