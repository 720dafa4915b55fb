"""The event type of one clause: cue words weighed against negation, purpose, time and topic.

A clause's cues (``data/lexicon/cues.json``) are ranked by the lexicon's priority
after the checks that make a cue no event («لا تتحرك», «لشن هجمات», «وقف إطلاق
النار», «مكافحة التهريب»). Weak cues — a path word, a convoy, smugglers named —
count only when nothing stronger is there; goods on the move make a smuggling route.
"""

from __future__ import annotations

import re

from geo.events.scan import Scan as _Scan
from geo.events.scan import words_before as _words_before
from geo.text.numbers import find_quantities

_WORD = re.compile(r"\w+")
PLACE_TYPES = frozenset({"movement", "base", "presence", "attack"})
_PLACE_TYPES = PLACE_TYPES
FROM_WORDS = frozenset({"من", "منها", "منه"})
TO_WORDS = frozenset({"الي", "نحو", "باتجاه", "صوب", "حتي", "داخل", "لداخل", "ل", "قاصدين", "قاصدا", "قاصده"})
_FROM, _TO = FROM_WORDS, TO_WORDS

_ABSENCE = frozenset({"غياب", "لغياب", "انعدام"})
_READY = frozenset({"مستعدون", "مستعد", "مستعده"})
_CARGO_HEADS = frozenset({"طايره", "طايرات", "سفينه", "سفن", "بواخر", "باخره"})  # normalized spelling
_CARGO_HEAD_LISTS = [[w] for w in sorted(_CARGO_HEADS)]
_SIGHT = ("را", "شاهد", "لاحظ")  # sight verbs: «رأى أن» is an opinion
_NEVER = re.compile(r"(?<!\w)لم\s+(?:ي|ت)سبق(?!\w)")   # normalized «لم يسبق», «لم تسبق»
# normalized words for the wounded and the dead that are not attack cues themselves: «أصيب عشرة
# مدنيين إثر سقوط قذائف» tells the shelling by its casualties, so «إثر» is no background there
_HURT = re.compile(r"(?<!\w)[وف]?(?:اصيب\w*|اصابه|اصابات|جرح(?:ي|وا|ت)?|بجروح|مصابين|وفاه|توفي\w*)(?!\w)")


_PUSH = ("دفع", "يدفع", "تدفع")   # normalized


def _deploys(scan: _Scan, hit, sentence_end: int, *, sent: bool = False) -> bool:
    """«نشر» deploys when troops, vehicles or a number follow it; else it publishes («نشرت الخميس»).
    ``sent``: «أرسل»/«بعث» sends a force the same way («أرسل تعزيزات»), and «أرسلها» sends it too."""
    if hit.suffix and not sent:  # «بيان نشره», «نشرته»: something published
        return False
    objects = scan.lex.deploy_objects
    after = _WORD.findall(scan.norm, hit.end, min(sentence_end, hit.end + 70))[:7]
    if sent and scan.norm.startswith(_PUSH, hit.start):
        # «دفع الجيش بتعزيزات إلى سبها» sends a force; «دفع المهربون 5000 دينار» pays
        return any(w[:1] == "ب" and w[1:] in objects for w in after[:5])
    return any(w in objects or (w[:1] in "وب" and w[1:] in objects)
               or (w.isdigit() and not (len(w) == 4 and w[:2] in ("19", "20"))) for w in after)


def _neutralises(scan: _Scan, hit, sentence_end: int) -> bool:
    """«تحييد 20 إرهابيا», «تحييد عشرات المسلحين»: people killed, told by the number after it."""
    told = find_quantities(scan.norm[hit.end:min(sentence_end, hit.end + 40)])
    return bool(told) and told[0].start < 12     # the number right after it, past a «نحو»


def clause_words(scan: _Scan, cs: int, ce: int) -> set[str]:
    """The clause's words, with one proclitic و ف ب ل also taken off."""
    words = _WORD.findall(scan.norm, cs, ce)
    return set(words) | {w[1:] for w in words if w[:1] in "وفبل" and len(w) > 3}


def _by_force(scan: _Scan, cs: int, ce: int) -> bool:
    """A patrol, a convoy or a state force moves it: an escort or a supply run, not smuggling."""
    if clause_words(scan, cs, ce) & scan.lex.force_words:
        return True
    info = scan.lex.actor_info
    return any(info[h.key].kind in ("state force", "militia", "foreign force")
               for h in scan.in_range(scan.actor_starts, scan.actors, cs, ce))


_FREIGHT_PREFIXES = ("", "و", "ف", "ب", "ل", "ال", "لل", "وال", "بال", "ولل")


# a boat carrying a number of people: «يقل قرابة 100 شخص», «على متنه 40 مهاجرا»
_ABOARD = re.compile(r"(?<!\w)(?:يقل|تقل|يحمل|تحمل|على متنه|على متنها)\s+(?:\S+\s+){0,2}?\w+\s+"
                     r"(?:شخص|اشخاص|راكب|ركاب|مهاجر|مهاجرا|مهاجرين)")


def _cue_in(scan: _Scan, keys: tuple[str, ...], start: int, end: int) -> bool:
    """A cue of one of ``keys`` starts in ``norm[start:end]``."""
    return any(h.key in keys for h in scan.in_range(scan.cue_starts, scan.cues, start, end))


def _freight(scan: _Scan, cs: int, ce: int) -> bool:
    """A verb or noun that moves goods, not people («الشحن», «تحمل»), in ``norm[cs:ce]``."""
    freight = scan.lex.freight
    if not freight:
        return False
    for w in _WORD.findall(scan.norm, cs, ce):
        for p in _FREIGHT_PREFIXES:
            if w.startswith(p) and w[len(p):] in freight:
                return True
    return False


def deports(scan: _Scan, hit) -> bool:
    """The cue ``hit`` is a deportation verb («رحّل», «أبعدت», «أُعيدوا»): the state moves people out."""
    return hit.key == "movement" and scan.norm[hit.start:hit.end] in scan.lex.deportation


def _smuggled(scan: _Scan, cs: int, ce: int, sentence: tuple[int, int], cue) -> bool:
    """Whether a movement in ``norm[cs:ce]`` carries contraband.

    Contraband named in the clause; or named earlier in the sentence when the cue
    points back to it («تنقلها», «في طريقها»); arms and ammunition only beside a
    smuggling word; lorries or boats with no force aboard in a report about smuggling.
    """
    lex = scan.lex
    if _ABOARD.search(scan.norm, *sentence) and _cue_in(scan, ("boat",), *sentence):
        return True     # «أرغم خفر السواحل زورقا يقل 100 شخص على العودة»: a boat packed with people
    if _by_force(scan, cs, ce):
        return False
    if deports(scan, cue):
        return False    # «رحّل الجهاز 43 مهاجرا», «أعيدوا إلى مصر»: the state moves them, no smuggler
    cue_word = scan.norm[cue.start:cue.end + len(cue.suffix)]
    lookback = cue_word.endswith(("ها", "هم")) or cue.suffix in ("ه", "هم", "ها")
    goods = scan.in_range(scan.goods_starts, scan.goods, sentence[0] if lookback else cs, ce)
    if any(h.key == "contraband" for h in goods):
        return True
    first = _WORD.search(scan.norm, cs, ce)
    fronted = first is not None and first.group().removeprefix("و") in _FRONTED and cs - sentence[0] < 4
    if (fronted or _freight(scan, cs, ce)) and any(
            h.key == "contraband" for h in scan.in_range(scan.goods_starts, scan.goods, *sentence)):
        # «قادمةً من مصر وفي طريقها إلى بنغازي، وقعت 37 ألف قرص مخدر في قبضة ...»: the goods named after
        # «كانت معدّة للشحن نحو بنغازي» after the drugs were named: the goods are what is shipped.
        return True
    if _cue_in(scan, ("smugglers", "smuggling_route"), cs, ce):
        return True
    if goods and (_cue_in(scan, ("smuggling_route",), *sentence)
                  or any(h.key == "smugglers" for h in scan.in_range(scan.actor_starts, scan.actors, *sentence))):
        return True
    return scan.smuggling_report and bool(clause_words(scan, cs, ce) & lex.carriers) and \
        not any(lex.actor_info[h.key].kind != "smuggling network"
                for h in scan.in_range(scan.actor_starts, scan.actors, cs, ce))


# «يصل», «تصل», «يربط»: after «الذي/التي» they describe what a road or a crossing joins.
_LINKS = ("يصل", "تصل", "يربط", "تربط")
_GIVES = ("يقدم", "تقدم")
_SEAT = re.compile(r"(?<!\w)(?:ال)?حكوم\w*(?:\s+\S+){0,6}?\s+و?(?:التي|الذي)\s+(?:تتخذ|يتخذ|اتخذت|اتخذ)(?!\w)")


def clause_type(scan: _Scan, cs: int, ce: int, has_place: bool, sentence: tuple[int, int]) -> tuple[str | None, bool]:
    """The event type a clause's cues give, and whether it is a negated presence (a denial)."""
    lex, norm = scan.lex, scan.norm
    kinds: list[str] = []
    negated_presence = False
    hits = scan.in_range(scan.cue_starts, scan.cues, cs, ce)
    if not hits:
        return None, False
    # «طائرات شحن»: a cargo plane named, not a shipment.
    hits = [h for h in hits if not (h.key == "movement" and not h.prefix and
                                    _words_before(norm, h.start, cs, 1)[-1:] in _CARGO_HEAD_LISTS)]
    if not hits:
        return None, False
    has_movement = len(hits) > 1 and any(h.key == "movement" for h in hits)
    # (one attack named among them, «من بينها هجوم على بلدة الفقهاء», is still an event)
    tally = any(h.key == "attack" and norm.startswith(_MANY_ATTACKS, h.start) for h in hits) \
        and not any(h.key == "attack" and norm.startswith(_ONE_ATTACK, h.start) for h in hits) \
        and _A_PERIOD.search(norm, cs, sentence[1]) is not None
    for hit in hits:
        key = hit.key
        word_start = hit.start - len(hit.prefix)
        before = _words_before(norm, word_start, cs, 6)
        if _NEVER.search(norm, max(cs, word_start - 60), word_start):
            continue  # «لم يسبق لهما أن هاجما بعضهما»: what never happened is no event
        if not lex.negation_forms.isdisjoint(before) and "ان" not in before[-2:]:
            # «لا وجود لقواتنا» denies a presence; «لا تتحرك» is no event at all.
            if key == "presence" and _ABSENCE.isdisjoint(before):
                negated_presence = True
                kinds.append("presence")
            continue
        after = lex.not_after.get(key)
        if after is not None and after.match(norm, hit.end + len(hit.suffix) + 1):
            continue
        if key == "movement" and before[-1:] in (["الذي"], ["التي"]) and (
                norm.startswith(_LINKS, hit.start) or norm.startswith(_GIVES, hit.start) and hit.suffix):
            # «الطريق الذي يصل الكفرة بالعوينات»: a road described, nobody on the move;
            # «الدعم الذي تقدمه فرنسا»: support given, not an advance
            continue
        if key == "attack" and (hit.prefix in ("ل", "لل", "ول", "فل")
                                and lex.exposure.isdisjoint(w[1:] if w[:1] in "وف" else w for w in before[-5:])
                                or not lex.purpose.isdisjoint(before[-4:])
                                or not lex.temporal.isdisjoint(before[-3:]) and before[-1:] != ["ان"]
                                and not _HURT.search(norm, sentence[0], word_start)
                                or (has_movement and before and before[-1] in _FROM)):
            # «لشن هجمات» is a plan, «بعد الهجوم» a time (but «بعد أن طردت» tells what was done),
            # «الفارين من المعارك» the reason they left.
            continue
        if key == "presence" and hit.prefix.endswith("ال") and norm.startswith(("دوريه", "دوريات"), hit.start):
            continue  # «الدورية كانت تضم 52 عسكريا»: the patrol told before, not a new presence
        if key == "presence" and (hit.prefix == "ب" and norm.startswith("حضور", hit.start)
                                  or hit.prefix.endswith("ال") and norm.startswith("راي", hit.start)):
            continue  # «بحضور عضو من النيابة» is attending, «الرأي العام» an opinion, not a sighting
        if key == "movement" and _AS_BEFORE.search(norm, hit.end, min(ce, hit.end + 60)):
            continue  # «عادت الحركة إلى طبيعتها»: life back to normal, no one moving
        if key == "movement" and _EXTENT.search(norm, max(cs, word_start - 60), word_start):
            continue  # «المنطقة الممتدة من سرت وصولا إلى النوفلية»: how far a place reaches, no one moving
        if key == "movement" and norm.startswith(_MOVING_ABOUT, hit.start) and _about_in_a_place(scan, hit):
            kinds.append("presence")   # «التنظيم يتحرك في الصحراء»: about in a place, not from or to one
            continue
        if key == "movement" and (not _BANNED.isdisjoint(before[-2:])
                                  or before[-1:] == ["من"] and any(w.removeprefix("و") in _WARNED
                                                                   for w in before[-4:-1])):
            continue  # «يحظر فيها تنقل الأشخاص»: a rule, no one moving
        if key == "presence" and norm.startswith(_SIGHT, hit.start) and \
                _WORD.findall(norm, hit.end + len(hit.suffix), hit.end + len(hit.suffix) + 8)[:1] \
                in (["ان"], ["انه"], ["انها"], ["انهم"], ["بان"]):
            continue  # «رأى أن»: an opinion, not a sighting
        if before and before[-1] in lex.not_before.get(key, ()):
            continue  # «مكافحة التهريب», «صراع المهربين»: a topic, not an event
        if key == "other" and hit.prefix.startswith(("ب", "وب")) and norm.startswith(("تنسيق", "تعاون"), hit.start):
            continue  # «نفذت الغارات بالتنسيق مع الحكومة»: the manner of another act, not an act
        if key == "other" and not (lex.purpose.isdisjoint(before[-3:]) and _READY.isdisjoint(before[-3:])):
            continue  # «مستعدون للتنسيق»: an offer, not an event
        if key == "attack" and before and before[-1] in lex.attack_not_before:
            continue  # «وقف إطلاق النار»: a ceasefire
        if key == "movement" and before[-1:] and before[-1] in _CARRIERS_OF and norm.startswith("نقل", hit.start):
            continue  # «وسيلة نقل شائعة»: a means of transport, nobody moved
        if key in ("attack", "seizure", "movement") and not _GENERIC.isdisjoint(before[-3:]):
            continue  # «إذ يسهل هناك اعتراض السيارات»: what can be done there, not what was
        if key == "attack" and not _FEAR.isdisjoint(before[-2:]):
            continue  # «أوصدت المتاجر أبوابها خشية القذائف»: feared, not fired
        if key == "attack" and tally:
            continue  # «بلغت حصيلة الهجمات في العام الماضي 4 آلاف قتيل»: a year's tally, no one attack
        if key == "base" and _SEAT.search(norm, max(cs, hit.start - 90), hit.start):
            continue  # «حكومة الوفاق التي تتخذ من طرابلس مقرا»: a government's seat, not a base
        if (key == "base" or key == "presence" and norm.startswith(("معقل", "معاقل"), hit.start)) \
                and before[-1:] and (before[-1] in _AT_A_BASE or before[-1].lstrip("وب") in _AT_A_BASE
                                     or before[-1] == "علي" and any(w.startswith(_ONE_ATTACK + _MANY_ATTACKS)
                                                                    for w in before[-3:-1])):
            continue  # «طال مقر البعثة», «قرب معسكر الجوية», «باتجاه معاقل التنظيم»: a target or a landmark
        if key == "base" and has_movement and any(w in _FROM or w in _TO or w == "في" for w in before[-2:]):
            # «انطلقت من مقر الكتيبة», «إلى المعسكر»: the base is where a movement starts or ends.
            continue
        if key == "seizure":
            # «ضبط شحنة حشيش»: goods caught on their way are a smuggling route (the object may sit past a
            # «منذ ...» cut), and so are smugglers stopped («اعترضت ثلاث سيارات يستقلها سبعة مهربين»),
            # a boat stopped at sea, and people caught crossing («أوقفوا بعدما تسللوا عبر السياج»);
            # other people seized or arrested are an attack (an arrest by force);
            # «عملية الضبط» alone is a topic.
            near = min(sentence[1], max(ce, hit.end + 80))
            if scan.in_range(scan.goods_starts, scan.goods, cs, near) or _MEASURE.search(norm, hit.end, near) \
                    or _cue_in(scan, ("smugglers",), hit.end, near) \
                    or _cue_in(scan, ("boat",), *sentence) or any(
                        h.key == "movement" and norm.startswith(_CROSSING, h.start)
                        for h in scan.in_range(scan.cue_starts, scan.cues, hit.end, near)):
                key = "smuggling_route"
            elif hit.prefix.endswith("ال"):
                continue
            else:
                key = "attack"
        if key == "boat":
            # «غرق قارب يقل مهاجرين قبالة زوارة», «أنقذ 135 مهاجرا»: a migrant boat is a smuggling
            # route; a boat or a rescue with nobody smuggled is no event of its own.
            if any(h.key == "contraband" for h in scan.in_range(scan.goods_starts, scan.goods, *sentence)):
                key = "smuggling_route"
            else:
                continue
        if key == "deploy":
            if not _deploys(scan, hit, sentence[1]):
                continue
            key = "presence"
        if key == "send":
            if not _deploys(scan, hit, sentence[1], sent=True):
                continue    # «أرسل رسالة»: a letter, not a force
            key = "movement"
        if key == "takeover":
            if not _TAKEN_PLACE.match(norm, hit.end + len(hit.suffix)):
                continue    # «استحوذوا كذلك على مركبة»: a thing taken, not ground
            key = "presence"
        if key == "found":
            near = min(sentence[1], max(ce, hit.end + 80))
            goods = [h for h in scan.in_range(scan.goods_starts, scan.goods, cs, near)
                     if not norm.startswith(_PEOPLE_CARRIED, h.start)] or _MEASURE.search(norm, hit.end, near)
            if not goods or _cue_in(scan, ("attack",), sentence[0], hit.start):
                # «عثر على جثة»: nothing smuggled found; «سجن كان يحتجز فيه مهاجرون»: people are no
                # goods found; «عملية تمشيط عثر خلالها على قطعتي سلاح»: the spoils of the attack told
                continue
            key = "smuggling_route"
        if key == "neutralise":
            if not _neutralises(scan, hit, sentence[1]):
                continue    # «تحييد المنشآت النفطية»: kept out of the conflict
            key = "attack"
        kinds.append(key)
    if not kinds:
        return None, False
    ranked = sorted(set(kinds), key=lex.priority.index)
    if ranked[0] == "presence" and any(h.key == "presence" and norm.startswith(_CONTROL, h.start) for h in hits) \
            and _after_fighting(scan, cs, sentence[1]):
        # Territory taken in a fight is a battle (ACLED), not a group merely being there.
        ranked = ["attack"]
    if not has_place:
        # A place-bound cue with no place nearby («وشن هجمات») yields to a placeless one.
        placeless = [k for k in ranked if k not in _PLACE_TYPES and k not in ("route", "convoy", "smugglers")]
        if placeless:
            return placeless[0], negated_presence
    if ranked[0] == "presence" and "route" in ranked and "smugglers" in ranked:
        # «وجود ممر آمن للمهربين»: the thing said to exist is a smugglers' way.
        ranked = ["smuggling_route"]
    if ranked[0] == "smugglers":
        # Smugglers named: an event when they travel, are placed, or are dealt with («يتعاملون مع مهربي البشر»).
        words = clause_words(scan, cs, ce)
        dealing = any(w.startswith(lex.smuggler_dealings) for w in words)
        own_place = bool(scan.in_range(scan.loc_starts, scan.locs, cs, ce))
        if not (dealing or own_place or len(ranked) > 1):
            return None, False
        ranked = ["smuggling_route"]
    ranked = [k for k in ranked if k != "smugglers"] or ranked
    kind = ranked[0]
    if kind in ("route", "convoy"):
        # A path word («شبكة الطرق الوعرة», «مسار») or a convoy with no verb of its own is a way travelled.
        kind = "movement"
        if _smuggled(scan, cs, ce, sentence, next(h for h in hits if h.key in ("route", "convoy"))):
            return "smuggling_route", False
        return "route", False
    cue = next((h for h in hits if h.key in ("movement", "route", "convoy")), None)
    if kind == "movement" and cue is not None and _smuggled(scan, cs, ce, sentence, cue):
        # Drugs, fuel or migrants on the move: a smuggling route, not a troop movement.
        kind = "smuggling_route"
    return kind, negated_presence and kind == "presence"


_AS_BEFORE = re.compile(r"(?<!\w)الي (?:طبيعتها|طبيعته|سابق عهدها|سابق عهده|وضعها الطبيعي|وضعه الطبيعي|مجاريها)(?!\w)")
_EXTENT = re.compile(r"(?<!\w)(?:ال)?(?:ممتد|ممتده|يمتد|تمتد)\s+(?:\S+\s+){0,2}?من(?!\w)")   # normalized
_BANNED = frozenset({"يحظر", "تحظر", "حظر", "يمنع", "تمنع", "منع"})   # normalized
# «حذر عناصره من التحرك»: warned against moving, no one moving (normalized)
_WARNED = frozenset({"حذر", "حذرت", "حذروا", "يحذر", "تحذر", "محذرا", "محذره", "تحذير", "نهي", "نهت"})
# normalized words before a base word that make it the target or the landmark of another event
_AT_A_BASE = frozenset({"قرب", "بالقرب", "باتجاه", "نحو", "طال", "مهاجمه", "استهدف", "استهدفت", "اقتحام",
                        "اقتحم", "اقتحمت", "قصف", "قصفت", "هاجم", "هاجمت", "هاجموا"})
_MANY_ATTACKS = ("هجمات", "الهجمات", "اعتداءات", "الاعتداءات")    # normalized
_ONE_ATTACK = ("هجوم", "الهجوم", "اعتداء", "الاعتداء")
# a span of time many attacks are counted over (normalized)
_A_PERIOD = re.compile(r"(?<!\w)(?:(?:في|خلال)\s+(?:العام|السنه|الاعوام|السنوات|الاشهر|الشهور)"
                       r"|منذ\s+(?:عام\s+)?\d{4}|منذ\s+(?:بدايه|مطلع)\s+(?:العام|السنه))(?!\w)")
_CARRIERS_OF = frozenset({"وسيله", "وسايل", "شركه", "شركات", "شاحنات", "شاحنه"})   # «وسيلة نقل» (normalized)
_GENERIC = frozenset({"يسهل", "يصعب", "يتعذر", "يستحيل", "ويسهل", "ويصعب"})   # normalized
# ground taken: «على مناجم الذهب», «على منطقة», «على مدينة» (normalized)
_TAKEN_PLACE = re.compile(r"(?:\s+[^\s.،,]+){0,7}?\s+علي\s+(?:ال)?(?:مناجم|منجم|منطقه|مناطق|مدينه|مدن|بلده|قريه|حقل|حقول|مواقع|موقع|"
                          r"معسكر|قاعده|مطار|ميناء|معبر|منفذ|طريق|اراضي|الاراضي)")
# A quantity of goods by weight, volume or pills («ضبط 20 ألف لتر من المحروقات», «أكثر من طن من
# الكيف»): whatever the goods are called, a seizure measured so is contraband caught (normalized).
_MEASURE = re.compile(r"(?<!\w)(?:طن|طنا|طنين|طنان|اطنان|كيلوغرام\w*|كيلوجرام\w*|كلغ|كغ|غرام\w*|جرام\w*|"
                      r"لتر|لترا|لترات|ليتر|ليترا|ليترات|برميل|برميلا|براميل|قرص|قرصا|اقراص)(?!\w)")
_PEOPLE_CARRIED = ("مهاجر", "المهاجر", "سودانيين", "السودانيين", "افارقه")   # normalized contraband that is people
_FEAR = frozenset({"خشيه", "خوفا", "تحسبا", "تخوفا", "مخافه"})   # normalized
_CONTROL = ("قبضت", "سيطر", "يسيطر", "تسيطر")
_CROSSING = ("تسلل", "يتسلل", "تتسلل", "دخول")
# a participle the sentence opens on, agreeing with goods it names later (normalized)
_FRONTED = frozenset({"قادمه", "قادما", "قادمين", "اتيه", "متجهه", "متجها", "متجهين"})
_MOVING_ABOUT = ("يتحرك", "تتحرك", "يتنقل", "تتنقل")     # normalized


def _about_in_a_place(scan: _Scan, hit) -> bool:
    """«يتحرك في الصحراء الليبية»: «في» and a place right after the verb (not «في مجموعات صغيرة
    على طول النهر», which tells how they move along it)."""
    after = hit.end + len(hit.suffix)
    word = _WORD.search(scan.norm, after, after + 6)
    if word is None or word.group() != "في":
        return False
    words = _WORD.findall(scan.norm, word.end(), word.end() + 40)[:2]     # «في أطراف سرت»: a word between
    reach = scan.norm.find(words[-1], word.end()) + len(words[-1]) if words else word.end()
    return bool(scan.in_range(scan.loc_starts, scan.locs, word.end(), reach))


def _after_fighting(scan: _Scan, start: int, end: int) -> bool:
    """An attack word told as the time of what it tells («أحكمت قبضتها على المدينة، إثر
    معارك ضارية»: control won by fighting) in ``scan.norm[start:end]``."""
    for h in scan.in_range(scan.cue_starts, scan.cues, start, end):
        if h.key == "attack" and not scan.lex.temporal.isdisjoint(
                _words_before(scan.norm, h.start - len(h.prefix), start, 2)):
            return True
    return False


def actors_in(scan: _Scan, cs: int, ce: int, skip: tuple[int, int]) -> list[str]:
    """Actor ids named in a clause, «التنظيم» resolved to the latest jihadist group."""
    out = [h.key for h in scan.in_range(scan.actor_starts, scan.actors, cs, ce)
           if not skip[0] <= h.start < skip[1]]
    for pos in scan.in_range(scan.anaphora_starts, scan.anaphora_starts, cs, ce):
        if not skip[0] <= pos < skip[1]:
            group = scan.last_group(pos)
            if group:
                out.append(group)
    return list(dict.fromkeys(out))


_TALLY = re.compile(r"(?<!\w)(?:" + "|".join(_MANY_ATTACKS) + r")(?!\w)")


def tallies_a_period(norm: str) -> bool:
    """A sentence (normalized) that counts many attacks over a span of time: its numbers are
    the period's, no one incident's («بلغت حصيلة الهجمات في العام الماضي 4 آلاف قتيل»)."""
    return _TALLY.search(norm) is not None and _A_PERIOD.search(norm) is not None
