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


def _attacks(text: str) -> list:
    events = extract_events(Article(id="t", text=text, published=dt.date(2024, 3, 2), outlet="مرصد"))
    return [e for e in events if e.type == "attack"]


def _shown(attacks: list) -> list:
    """The attacks the map shows: those that repeat no other."""
    return [e for e in attacks if not e.same_as]


def test_a_lead_told_at_country_level_is_a_telling_of_the_town_attack_and_its_toll_goes_there():
    # the lead names only the country, the body the town: one attack, shown at the town
    attacks = _attacks("قتل سبعة جنود في هجوم مسلح في مالي يوم الأحد.\n"
                       "وأوضح مصدر عسكري أن الهجوم استهدف نقطة تفتيش عند مدخل مدينة غاو.")
    assert len(attacks) == 2
    (shown,) = _shown(attacks)
    assert "غاو" in shown.quote
    assert [(c.kind, c.low) for c in shown.counts] == [("killed", 7)]
    assert next(e for e in attacks if e.same_as).same_as == shown.id


def test_a_country_level_attack_in_another_country_is_no_telling_of_the_town_attack():
    attacks = _attacks("قتل خمسة جنود في هجوم في النيجر يوم الأحد.\n"
                       "وفي اليوم نفسه هاجم مسلحون نقطة تفتيش عند مدخل مدينة غاو.")
    assert len(attacks) == 2 and not any(e.same_as for e in attacks)


def test_two_towns_under_one_country_level_lead_stay_two_attacks():
    attacks = _attacks("قتل تسعة جنود في هجومين في مالي يوم الأحد.\n"
                       "واستهدف الهجوم الأول نقطة تفتيش في مدينة غاو.\n"
                       "واستهدف مسلحون آخرون دورية عسكرية قرب مدينة كيدال.")
    shown = _shown(attacks)
    assert len(shown) == 2 and {("غاو" in e.quote, "كيدال" in e.quote) for e in shown} == {(True, False), (False, True)}


def test_the_command_line_lists_a_lead_told_before_its_claim_under_that_claim():
    from geo.events.output import claim_properties
    text = ("قتل سبعة جنود في هجوم مسلح في مالي يوم الأحد.\n"
            "وأوضح مصدر عسكري أن الهجوم استهدف نقطة تفتيش عند مدخل مدينة غاو.")
    events = extract_events(Article(id="t", text=text, published=dt.date(2024, 3, 2), outlet="مرصد"))
    (attack,) = [p for p in claim_properties(events) if p["type"] == "attack"]
    assert "غاو" in attack["quote"] and attack["fatalities"] == 7
    assert [r["quote"] for r in attack["also_reported_by"]] == [e.quote for e in events if e.same_as]


def test_a_toll_goes_to_the_attack_told_before_it_not_to_a_background_one_after():
    text = ("شنت طائرات غارات على موقع للتنظيم في مدينة صبراتة يوم الجمعة.\n"
            "وأعلن المجلس البلدي أن حصيلة الغارات بلغت 43 قتيلا.\n"
            "ويشتبه في أن أحد القتلى شارك في الهجوم على فندق في مدينة سوسة عام 2015.")
    events = extract_events(Article(id="t", text=text, published=dt.date(2024, 3, 2), outlet="مرصد"))
    attacks = [e for e in events if e.type == "attack"]
    assert len(attacks) == 2
    assert [(c.kind, c.low) for c in attacks[0].counts] == [("killed", 43)]
    assert not any(c.low == 43 for c in attacks[1].counts)


def test_goods_listed_again_in_a_later_sentence_are_more_goods_not_the_same_told_twice():
    text = ("ضبطت دورية للجيش قرب مدينة غات شحنة أسلحة مهربة من ليبيا، تضم بندقية قناصة ومسدسا.\n"
            "وحجزت الدورية كذلك بندقية آلية وقنبلتين وسيارة رباعية الدفع.")
    seized = [c for c in _counts(text).get("smuggling_route", []) if c[0] == "seized"]
    # the first sentence's rifle and pistol, the second's rifle, two grenades and a car
    assert sorted(seized) == [("seized", 1)] * 4 + [("seized", 2)]


def test_two_attacks_at_one_town_with_tolls_that_cannot_be_one_stay_two():
    attacks = _attacks("قتل 16 شخصا اليوم في اشتباكات بمدينة سبها.\n"
                       "وتأتي المعارك بعد اشتباكات دامت أياما في سبها خلفت 70 قتيلا.")
    assert len(attacks) == 2 and not any(e.same_as for e in attacks)


def test_one_attack_told_twice_with_the_same_toll_is_one():
    attacks = _attacks("قتل 16 شخصا في اشتباكات بمدينة سبها يوم الاثنين.\n"
                       "وقال مصدر طبي إن اشتباكات سبها أسفرت عن 16 قتيلا.")
    assert len(_shown(attacks)) == 1


def test_a_dated_country_level_lead_is_a_telling_of_the_town_attack_the_body_tells_without_a_date():
    # the body's attack has no date of its own: the publication date it carries differs from nothing
    attacks = _attacks("قتل 9 جنود في هجوم على معسكر للجيش في مالي أمس الأحد.\n"
                       "وقال شاهد إن المسلحين وصلوا في سيارتين وأطلقوا النار على مدخل المعسكر في مدينة غاو.")
    (shown,) = _shown(attacks)
    assert "غاو" in shown.quote and ("killed", 9) in [(c.kind, c.low) for c in shown.counts]


def test_a_later_toll_skips_a_background_attack_told_only_by_its_year():
    text = ("شنت طائرات حربية غارات على موقع للتنظيم في مدينة سرت يوم الجمعة.\n"
            "ويشتبه في أن أحد قادته شارك في هجوم استهدف فندقا في مدينة سوسة عام 2015.\n"
            "وأعلن مسؤول محلي أن حصيلة الغارات بلغت 12 قتيلا.")
    attacks = _attacks(text)
    toll = {e.quote.split()[0]: [(c.kind, c.low) for c in e.counts] for e in attacks}
    assert toll.get("شنت") == [("killed", 12)]


def test_the_town_attack_takes_the_date_its_country_level_lead_gives():
    events = extract_events(Article(id="t", text=(
        "قتل 9 جنود في هجوم على معسكر للجيش في مالي أمس الأحد.\n"
        "وقال شاهد إن المسلحين أطلقوا النار على مدخل المعسكر في مدينة غاو."),
        published=dt.date(2024, 3, 4), outlet="مرصد"))
    (shown,) = [e for e in events if e.type == "attack" and not e.same_as]
    assert "غاو" in shown.quote
    assert (shown.event_date, shown.date_precision) == (dt.date(2024, 3, 3), "day")


def test_a_claim_told_in_the_outlets_voice_takes_the_source_its_lead_names():
    events = extract_events(Article(id="t", text=(
        "قتل خمسة جنود في هجوم على معسكر في مالي، وفق ما أفادت به مصادر متطابقة.\n"
        "وقتل في الهجوم على المعسكر في مدينة غاو ثلاثة من المهاجمين."),
        published=dt.date(2024, 3, 4), outlet="مرصد"))
    (shown,) = [e for e in events if e.type == "attack" and not e.same_as]
    assert "غاو" in shown.quote
    assert shown.attribution.speaker == "مصادر متطابقة" and shown.modality == "reported"


def test_an_attack_at_the_same_town_in_another_year_is_no_telling_of_this_one():
    attacks = _attacks("هاجم مسلحون بوابة أمنية في مدينة سبها يوم الخميس.\n"
                       "وكان مسلحون قد هاجموا مدينة سبها في عام 2012.")
    assert len(attacks) == 2 and not any(e.same_as for e in attacks)
    told_twice = _attacks("هاجم مسلحون بوابة أمنية في مدينة سبها يوم الخميس.\n"
                          "وقال مصدر إن الهجوم على مدينة سبها خلف أضرارا.")
    assert len(told_twice) == 2 and sum(bool(e.same_as) for e in told_twice) == 1


def test_a_toll_beside_the_wounded_being_carried_off_goes_to_the_attack_not_the_movement():
    # «نُقل الجرحى إلى سبها» in the toll's sentence is a movement; the toll is the attack's
    text = ("هاجم مسلحون دورية للجيش قرب بلدة تراغن مساء السبت.\n"
            "وبلغ عدد القتلى 6 والجرحى 9، وقد نُقلوا جميعاً إلى مدينة سبها.")
    counts = _counts(text)
    assert counts.get("attack") == [("killed", 6), ("wounded", 9)]
    assert not counts.get("movement")


def test_a_lead_and_its_body_with_tolls_of_two_sides_keep_both_on_the_one_attack():
    # one clash, told at country level with one side's dead and at the town with the other's
    attacks = _attacks("أسفرت معارك بين الجيش ومسلحين في جنوب ليبيا عن مقتل تسعة من المسلحين يوم الأحد.\n"
                       "وقتل في الاشتباكات أربعة من جنود الجيش عند مدخل مدينة مرزق.")
    (shown,) = _shown(attacks)
    assert sorted((c.kind, c.low) for c in shown.counts) == [("killed", 4), ("killed", 9)]


def test_a_ground_assault_and_air_strikes_on_one_town_are_two_attacks():
    attacks = _attacks("اقتحمت قوات الجيش مدينة مرزق بعد اشتباكات عنيفة مع مسلحين مساء الأربعاء.\n"
                       "ونفذت مقاتلات سلاح الجو غارات على مواقع للمسلحين في مرزق.")
    assert len(_shown(attacks)) == 2
    # the same kind told twice at one town is still one claim
    attacks = _attacks("نفذت مقاتلات سلاح الجو غارات على مواقع للمسلحين في مرزق مساء الأربعاء.\n"
                       "وقال مصدر عسكري إن الغارات استهدفت مواقع للمسلحين في مرزق.")
    assert len(_shown(attacks)) == 1


def test_one_air_strike_told_at_the_town_and_at_a_district_of_it_is_one_attack():
    attacks = _attacks("شنت مقاتلات غارة جوية قرب مدينة أوباري في جنوب ليبيا فجر السبت.\n"
                       "وأوضح مصدر محلي أن الغارة دمرت منزلا في حي الشارب شرقي أوباري.")
    assert len(_shown(attacks)) == 1


def test_air_strikes_after_a_town_taken_in_clashes_are_another_attack():
    # the first telling names no kind of act, the second the clashes, the third the air strikes
    attacks = _attacks("هاجمت قوات الجيش مسلحين في مدينة مرزق مساء الأربعاء.\n"
                       "وأشار المراسل إلى اشتباكات مع مسلحين في مرزق.\n"
                       "ونفذت مقاتلات سلاح الجو ضربات على مواقع للمسلحين في مرزق.")
    assert len(_shown(attacks)) == 2


def test_a_toll_of_another_year_told_after_the_attack_is_not_its_toll():
    text = ("داهمت قوات الجيش حي الشارب في مدينة أوباري فجر الأحد.\n"
            "ويُنسب إلى المطلوب أنه اختطف عام 2016 أربعة مهندسين أجانب.")
    assert _counts(text).get("attack", []) == []


def test_a_toll_and_the_ambush_it_was_taken_in_are_one_attack():
    # the killing clause alone takes its place from the headline, the ambush clause names the town
    attacks = _attacks("كمين قرب حدود موريتانيا يودي بحياة جنود ماليين\n"
                       "قُتل عشرة جنود من الجيش المالي، في كمين نُصب لهم قرب مدينة نيورو، "
                       "واحترقت في الهجوم أربع سيارات.")
    shown = _shown(attacks)
    assert len(shown) == 1
    assert sorted((c.kind, c.low) for c in shown[0].counts) == [("killed", 10), ("vehicles", 4)]


def test_an_earlier_incidents_toll_goes_to_no_attack():
    text = ("قتل 12 منقبا في هجوم على مناجم كوري بوغودي. ويقول الشهود إن هذا ثاني هجوم، إذ سبق أن صدوا "
            "في سبتمبر الماضي هجوما أودى بحياة شخص وجرح اثنين.")
    events = extract_events(Article(id="t", text=text, published=dt.date(2024, 3, 2)))
    assert [sorted((c.kind, c.low) for c in e.counts) for e in events if not e.same_as] == [[("killed", 12)]]
