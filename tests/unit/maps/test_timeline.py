"""The timeline's weekly counts and its brush read back as dates."""

import datetime as dt

import pandas as pd

from geo.maps.timeline import brush_dates, timeline_chart, weekly_counts


def test_weekly_counts_group_by_monday_and_type():
    frame = pd.DataFrame({"event_date": ["2025-03-03", "2025-03-09", "2025-03-10", None],
                          "type": ["attack", "attack", "movement", "base"]})
    counts = weekly_counts(frame)
    assert counts.to_dict("records") == [
        {"week": pd.Timestamp("2025-03-03"), "type": "attack", "events": 2},
        {"week": pd.Timestamp("2025-03-10"), "type": "movement", "events": 1}]
    assert weekly_counts(frame.iloc[0:0]).empty


def test_the_chart_has_a_brush_on_the_weeks():
    spec = timeline_chart(weekly_counts(pd.DataFrame({"event_date": ["2025-03-03"], "type": ["attack"]}))).to_dict()
    assert spec["params"][0]["name"] == "brush" and spec["params"][0]["select"]["encodings"] == ["x"]


def test_a_brush_reads_back_as_the_days_it_covers():
    start = pd.Timestamp("2025-03-03").value // 10**6
    end = pd.Timestamp("2025-03-17").value // 10**6
    assert brush_dates({"brush": {"week": [end, start]}}) == (dt.date(2025, 3, 3), dt.date(2025, 3, 23))
    assert brush_dates({}) is None and brush_dates({"brush": {}}) is None
