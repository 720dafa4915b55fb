"""What the map page shows reads without effort: the table fits the screen."""

from __future__ import annotations

import pytest

from app_driver import _map, _wait_idle

pytestmark = pytest.mark.e2e

# The data grid's own scroller: wider content than box means a horizontal scroll bar.
JS_OVERFLOW = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
    .map(s => s.scrollWidth - s.clientWidth)"""
JS_WIDTH = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')].map(s => s.clientWidth)"""


@pytest.mark.parametrize("path", ["", "events"], ids=["map-page", "events-page"])
def test_the_event_table_needs_no_horizontal_scrolling_at_1440_px(page, app_url, path):
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{app_url}/{path}")
    _wait_idle(page)
    if not path:
        _map(page)
    page.wait_for_function("""() => document.querySelector('[data-testid="stDataFrame"] .dvn-scroller')""")
    overflow = page.evaluate(JS_OVERFLOW)
    assert overflow and max(overflow) <= 1, (overflow, page.evaluate(JS_WIDTH))
