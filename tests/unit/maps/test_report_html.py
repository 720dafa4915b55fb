"""The report view's text: every character escaped, places and claims marked where they are."""

from geo.maps.report import Span, report_html

TEXT = "تحرك رتل من سبها نحو <b>أوباري</b> & عاد."


def test_places_and_claims_are_marked_at_their_offsets():
    sabha = TEXT.index("سبها")
    out = report_html(TEXT, [Span(sabha, sabha + 4, "place", "Sabha"),
                             Span(0, 20, "movement", "movement · reported", key="e1")])
    assert '<mark class="m-place" title="Sabha">سبها</mark>' in out
    assert 'data-event="e1"' in out and "--claim:#1f5fa8" in out
    assert out.startswith('<div class="marsad-report" dir="rtl">')


def test_article_markup_stays_text():
    out = report_html(TEXT, [Span(0, 4, "attack", 'x" onmouseover="alert(1)', key='"><script>')])
    assert "<b>" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert "<script>" not in out and 'onmouseover="' not in out


def test_the_selected_claim_stands_out_and_bad_spans_are_left_out():
    out = report_html(TEXT, [Span(0, 4, "attack", key="a"), Span(5, 8, "base", key="b"),
                             Span(30, 10, "place"), Span(0, 999, "place")], selected="b")
    assert out.count("m-selected") == 1 and 'data-event="b"' in out
    assert "m-place" not in out
    # the text comes back whole
    import html as h
    import re
    assert h.unescape(re.sub(r"<[^>]+>", "", out)) == TEXT
