"""Which event a report's numbers belong to: our own short reports, one incident told in parts."""

import datetime as dt

from geo.events.extract import extract_events
from geo.models import Article


def _counts(text: str) -> dict[str, list[tuple]]:
    events = extract_events(Article(id="t", text=text, published=dt.date(2024, 3, 2), outlet="مرصد"))
    return {e.type: sorted((c.kind, c.low) for c in e.counts) for e in events if not e.same_as}


def test_a_toll_in_a_later_sentence_without_an_event_goes_to_the_attack():
    text = ("هاجم مسلحون بوابة أمنية قرب مدينة سبها فجر الخميس.\n"
            "وأفاد مصدر طبي بأن الحصيلة بلغت 4 قتلى و7 جرحى.")
    assert _counts(text).get("attack") == [("killed", 4), ("wounded", 7)]


def test_goods_told_in_their_own_sentence_go_to_the_smuggling_route_not_the_attack():
    text = ("اشتبكت دورية مع مهربين قرب مدينة غات يوم الاثنين.\n"
            "وضبطت الشحنة المهربة من الجزائر إلى ليبيا عبر غات.\n"
            "وبلغت المضبوطات 1200 لتر من الوقود.")
    counts = _counts(text)
    assert ("seized", 1200) in counts.get("smuggling_route", [])
    assert ("seized", 1200) not in counts.get("attack", [])


def test_the_same_toll_told_twice_is_counted_once():
    text = ("مقتل 5 جنود في هجوم على معسكر قرب مدينة أوباري.\n"
            "وقالت مصادر عسكرية إن 5 قتلى سقطوا في الهجوم.")
    assert _counts(text).get("attack", []).count(("killed", 5)) == 1
