"""Counts per area: Libya's 22 districts, and each neighbouring country as a whole.

Each event counts once, at its point (``geo.events.geometry.event_points``: a movement where it
ends, a route at its middle). Natural Earth's first-level regions of the neighbours do not ship
in any package this project installs, so beyond Libya the unit is the country; an event outside
every unit is left out of the counts (and said so by ``area_counts``'s ``outside``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.events.geometry import event_points
from geo.maps.reference import load_countries, load_districts

CRS = "EPSG:4326"
# Light to dark, one hue (colour-blind safe): the share of the busiest unit.
SHADES = ("#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d")


def _units() -> gpd.GeoDataFrame:
    """Libya's districts, then every other country of the basemap."""
    parts = []
    districts = load_districts()
    if districts:
        d = gpd.GeoDataFrame.from_features(districts["features"], crs=CRS)
        parts.append(d.assign(unit=d["id"], level="district")[["unit", "name_ar", "name_en", "level", "geometry"]])
    countries = load_countries()
    if countries:
        c = gpd.GeoDataFrame.from_features(countries["features"], crs=CRS)
        c = c[c["iso_a2"] != "LY"] if districts else c
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
    out = units.merge(table, left_on="unit", right_index=True)
    out = out.sort_values(["events", "name_en"], ascending=[False, True]).reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS), outside


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
    """Fatalities per district (or neighbouring country) per month, as ACLED sums them: one row
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
