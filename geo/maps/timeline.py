"""The timeline under the map: events per week by type, a brush that picks a span of dates.

``weekly_counts`` is the table (one row per week and type, weeks starting on Monday) and
``timeline_chart`` the Altair (Vega-Lite) bar chart Streamlit draws from it, with an interval
selection named ``brush`` on the week axis. ``brush_dates`` reads that selection back as dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import altair as alt
import pandas as pd

from geo.maps.style import EVENT_STYLE

BRUSH = "brush"


def weekly_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Events per (week, type): columns ``week`` (the Monday, a Timestamp), ``type``, ``events``."""
    dates = pd.to_datetime(frame["event_date"]) if len(frame) else pd.Series([], dtype="datetime64[ns]")
    dated = pd.DataFrame({"date": dates, "type": frame["type"] if len(frame) else []}).dropna(subset=["date"])
    if dated.empty:
        return pd.DataFrame({"week": pd.Series([], dtype="datetime64[ns]"), "type": [], "events": []})
    dated["week"] = (dated["date"] - pd.to_timedelta(dated["date"].dt.day_of_week, unit="D")).dt.normalize()
    return (dated.groupby(["week", "type"]).size().rename("events").reset_index()
            .sort_values(["week", "type"]).reset_index(drop=True))


def timeline_chart(counts: pd.DataFrame, *, height: int = 110) -> alt.Chart:
    """Stacked bars of events per week, coloured as on the map, with a brush on the weeks."""
    types = [t for t in EVENT_STYLE if t in set(counts["type"])]
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("week:T", title=None, axis=alt.Axis(format="%Y-%m", labelAngle=0)),
            y=alt.Y("sum(events):Q", title="per week"),   # «events / week» was cut at this height
            # two columns on the right: in one, more than four types overflowed the chart's height
            # and the last were cut off (above the bars, the legend took the bars' height instead)
            color=alt.Color("type:N", title=None, legend=alt.Legend(orient="right", columns=2),
                            scale=alt.Scale(domain=types, range=[EVENT_STYLE[t]["color"] for t in types])),
            tooltip=[alt.Tooltip("week:T", format="%Y-%m-%d"), "type:N", "events:Q"],
        )
        .add_params(brush)
        .properties(height=height)
    )


def brush_dates(selection: Mapping) -> tuple[dt.date, dt.date] | None:
    """The (first, last) day a brush selection spans, or None when nothing is brushed."""
    span = (selection or {}).get(BRUSH) or {}
    values = span.get("week") if isinstance(span, Mapping) else None
    if not values or len(values) != 2:
        return None
    first, last = (pd.Timestamp(v, unit="ms") if isinstance(v, (int, float)) else pd.Timestamp(v)
                   for v in values)
    first, last = sorted((first, last))
    return first.date(), (last + pd.Timedelta(days=6)).date()
