"""A selection above the aggregate threshold: the app counts it from the event index, draws
hexagons, pages the table and still reads every match for the sources page.

The threshold is lowered to a few events so the sample store stands for a large one."""

from __future__ import annotations

import pytest

import geo.maps.bins as bins

TIMEOUT = 180


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return tmp_path_factory.mktemp("large") / "marsad.gpkg"


@pytest.fixture()
def app(sample_db, app_on, monkeypatch):
    monkeypatch.setattr(bins, "AGGREGATE_ABOVE", 20)
    return app_on(sample_db, timeout=TIMEOUT)


def _texts(at) -> str:
    return " ".join(str(c.value) for c in [*at.caption, *at.markdown])


def test_a_large_selection_is_counted_drawn_as_hexagons_and_paged(app, monkeypatch):
    import ui

    monkeypatch.setattr(ui, "PAGE_SIZE", 25)
    app.run()
    assert not app.exception, app.exception
    count = int(app.sidebar.metric[0].value)
    assert count > 20
    text = _texts(app)
    assert "newest first (page 1 of" in text
    assert "Fatalities per district and month are tabled for at most 20 matching events" in text
    app.number_input(key="_w_table_page").set_value(2).run()
    assert not app.exception, app.exception
    assert "Events 26–" in _texts(app) and "(page 2 of" in _texts(app)
    assert int(app.sidebar.metric[0].value) == count


def test_the_sources_page_still_counts_every_match(app, monkeypatch):
    import re

    import ui

    monkeypatch.setattr(ui, "PAGE_SIZE", 25)
    app.run()
    app.switch_page("pages/sources.py").run()
    assert not app.exception, app.exception
    caption = next(c.value for c in app.caption if "sources (outlet" in c.value)
    events = int(re.search(r"for (\d+) events", caption).group(1))
    assert events >= int(app.sidebar.metric[0].value) > 25   # every match, not the table's page
