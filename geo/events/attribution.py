"""Who says what in a report: speaker, role, outlet, and the kind of source.

Works on the normalized text (so «أكد» and «اكد» are one word) and cuts the
speaker's words out of the ORIGINAL text through the offset map. The patterns
are the ones Arabic wire copy uses:

- «قال وزير الدفاع ...، مهدي البرغثي، إن ...»     role, name, then the claim;
- «ولفت البرغثي، في تصريحات إلى جريدة «...»، إلى»  a known speaker by surname, and the outlet;
- «ونقلت الجريدة عن تقرير ... للمخابرات ... أن»   an outlet quoting a report;
- «عن مصدر بحكومة الوفاق، لم تذكر اسمه»           an unnamed official;
- «وقال أحد السكان:» / «مصادر داخل مدينة ...»       residents and witnesses;
- «وتابع:» / «وقال:»                              the previous speaker goes on.
"""

from __future__ import annotations

import dataclasses
import re

from geo.models import Attribution
from geo.text.normalize import normalize
from geo.text.numbers import number_words as _number_words
from geo.events.context import SAME as _SAME
from geo.events.context import COMMA as _COMMA
from geo.events.context import QUOTE_MARKS as _QUOTE_MARKS
from geo.events.context import SourceContext, Statement
from geo.events.source_kinds import bare as _bare
from geo.events.source_kinds import classify as _classify
from geo.events.source_kinds import surname_key as _surname_key
from geo.events.announced import ANNOUNCING as _ANNOUNCING
from geo.events.announced import DENYING as _DENYING
from geo.events.announced import event_noun as _event_noun
from geo.events.asides import anonymity_aside as _anonymity_aside
from geo.events.asides import WHEN_WORDS
from geo.events.asides import past_when as _past_when
from geo.events.asides import when as _when
from geo.events.verbless import before_a_colon, showing
from geo.events.word_order import AS_FOR as _AS_FOR
from geo.events.word_order import accuser as _accuser
from geo.events.word_order import topic_first as _topic_first

_WORDS = re.compile(r"\w+")
_THAT = frozenset({"ان", "انه", "انها", "انهم", "انهما", "بان", "بانه", "بانها", "بانهم", "انما"})
_TO = frozenset({"الي", "بان", "علي"})
_POINTING = frozenset({"لفت", "لفتت", "اشار", "اشارت", "نوه", "نوهت", "دعا", "دعت", "اشاروا", "تطرق"})
_QUOTING = {"نقلت": "عن", "نقل": "عن", "نسبت": "الي", "نسب": "الي"}   # «نقلت X عن Y», «نسبت X إلى Y قوله»
_INTERVIEW_HEADS = frozenset({"في", "خلال"})
_STATEMENT_HEADS = frozenset({"عبر", "ببيان", "علي"})
_ACCORDING_HEADS = frozenset({"بحسب", "حسب", "وفقا", "وفق", "نقلا", "طبقا", "حسبما", "بروايه"})
# (a whole word: «وفقد أثر 11 آخرين» is no «وفق»)
_ACCORDING = re.compile(r"(?<!\w)و?(?:وفقا ل|طبقا ل|(?:بحسب|حسب|حسبما|وفق|نقلا عن|علي حد قول|علي حد تعبير|بروايه|كما (?:قال|قالت|افاد|افادت|ذكر|ذكرت|اكد|اكدت))(?!\w))\s*(?:ما\s+\w+\s+(?:به\s+|بها\s+)?)?")
# «انسحب المسلحون نحو الجنوب، قال مصدر عسكري.»: the speech verb after the claim.
_TRAILING = re.compile(r"(?<=[،,] )و?(?:قال|قالت|قالوا|اكد|اكدت|افاد|افادت|ذكر|ذكرت|اوضح|اوضحت|اضاف|اضافت|اشار|اشارت)(?= )")
_FURTHER = object()  # the speaker's words run past the window read
_SAID_IN_HEADS = _INTERVIEW_HEADS | _STATEMENT_HEADS
_KANA = frozenset({"كان", "كانت", "كانوا"})
_COMMA_MARK = re.compile(r"[،,]")
_WHICH = frozenset({"الذي", "التي"})
_ISSUED = frozenset({"بيان", "البيان", "تقرير", "التقرير", "بلاغ", "البلاغ", "تصريح", "رساله"})
_NOT_SAID_THAT = frozenset({"دون", "بدون", "قبل", "بعد", "منذ"})   # «من دون أن يذكر»: no claim opens
_BEFORE_A_SOURCE = frozenset({"نقلا", "صادر", "الصادر", "صادره", "الصادره"})   # «عن» names who spoke
_PUBLISHED_IT = frozenset({"نشرته", "اصدرته", "وزعته", "بثته", "اوردته", "نشره", "اصدره", "وزعه", "بثه"})  # normalized
_JOURNALISTS = frozenset({"مصور", "مراسل", "مراسله", "صحفي", "صحافي", "محرر", "موفد"})
_THEN = frozenset({"قبل", "وقبل", "بعد", "وبعد", "ذلك", "ثم"})    # «وقبل ذلك،»: when, told by what came before
_RESPONSIBILITY = frozenset({"مسووليته", "مسووليتها", "مسووليتهم", "المسووليه"})   # normalized
_NAMED_BY_NUMBER = frozenset({"الكتيبه", "كتيبه", "اللواء", "لواء", "السريه", "سريه", "الفرقه", "فرقه", "رقم"})   # «الكتيبة 166»
_WHO = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي"})
_DESCRIBED = frozenset({"وهو", "وهي", "وهم"})   # «المسؤول، وهو من لجنة ...،»: what he is, not who
_FINDINGS = frozenset({"تفتيش", "التفتيش", "التحقيقات", "تحقيقات", "التحريات", "تحريات", "الفحص", "المعاينه"})
_RELAYED = frozenset({"نقل", "نقلت", "تحدث", "تحدثت", "صرح", "صرحت"})   # a relative clause after the speaker
_BELONGING = ("انتما", "بانتما", "ينتمون", "ينتمي", "تنتمي")    # normalized: «انتمائهم»
_WHILE = frozenset({"بينما", "وبينما", "فيما", "وفيما"})


def find_article_outlet(ctx: SourceContext, *, outlet_hits: list | None = None) -> str:
    """The first outlet the report names («جريدة «ديلي تلغراف»»), as written in the original;
    ``outlet_hits`` are the known outlets in ``ctx.norm`` when the report's scan found them."""
    lex, norm = ctx.lexicon, ctx.norm
    best: tuple[int, str] | None = None
    words = "|".join(sorted(lex.outlet_words, key=len, reverse=True))
    m = re.search(rf"(?<!\w)[وفبل]?(?:ال)?({words}) ?«([^»]{{2,40}})»", norm)
    if m:
        best = (m.start(), ctx.original(m.start(1), m.end(1)) + " " + ctx.original(m.start(2), m.end(2)))
    ctx.outlet_hits = outlet_hits if outlet_hits is not None else lex.known_outlets.find(norm)
    for hit in ctx.outlet_hits:
        if best is None or hit.start < best[0]:
            best = (hit.start, ctx.original(hit.start, hit.end))
        break
    return best[1] if best else ""


def find_attribution(ctx: SourceContext, start: int, end: int) -> Statement | None:
    """The source of the sentence ``norm[start:end]``, or None when it speaks in the outlet's voice.

    Parameters
    ----------
    ctx : SourceContext
        The report's texts, lexicon and what earlier sentences said.
    start, end : int
        The sentence as a normalized span.

    Returns
    -------
    Statement or None
        None for a sentence with no speech verb near its start; a continuation
        («وتابع:») returns the previous speaker with ``continuation=True``.

    Examples
    --------
    «وقال أحد السكان: «...»» gives source_type "witnesses/residents", speaker «أحد السكان».
    """
    # Most speakers are named within the first 120 characters: read further only when needed.
    found = _attribution(ctx, start, end, 120)
    if found is _FURTHER:
        found = _attribution(ctx, start, end, 240)
    if found is None or found is _FURTHER:
        return _saying_as_it_acts(ctx, start, end) or before_a_colon(ctx, start, end) or showing(ctx, start, end)
    said = _MODAL_VERB.search(ctx.norm, start, min(found.content_start, start + 120))
    if said is not None:
        # «توعد أبو عبيدة بأن يهاجم ...»: a threat is planned; «زعم»، «اتهم» an allegation
        return dataclasses.replace(found, modality=_MODAL_VERBS[said.group(1)])
    return found


_DENIED_TALK = frozenset(normalize(w) for w in "الأنباء الأخبار التقارير الشائعات الادعاءات المزاعم الروايات".split())
_ACCUSING = frozenset(normalize(w) for w in "اتهم اتهمت اتهموا يتهم تتهم".split())   # the accused follows
_MODAL_VERBS = {normalize(w): modality for modality, words in (
    ("planned", "توعد توعدت توعدوا هدد هددت هددوا يتوعد تتوعد يهدد تهدد"),
    ("alleged", "زعم زعمت زعموا يزعم تزعم ادعى ادعت ادعوا يدعي تدعي")) for w in words.split()} \
    | dict.fromkeys(_ACCUSING, "alleged")
# the verb as a whole word, «و» or «ف» before it allowed (one search instead of a word-by-word read)
_MODAL_VERB = re.compile(r"(?<!\w)[وف]?(" + "|".join(sorted(_MODAL_VERBS, key=len, reverse=True)) + r")(?!\w)")


# a participle of saying after a comma: «..., معلنا أنه», «..., مشيرا إلى أن» (normalized)
_SAYING = re.compile(r"[،,]\s*و?(?:مؤكد|مشير|مضيف|معلن|موضح|قايل|لافت|معتبر|مبين|متوعد|محذر|مشدد)(?:ا|ه|ين)?"
                     r"\s+(?:الي\s+|علي\s+)?(?:ان|انه|انها|انهم|بان|ب)(?!\w)")


_NOT_A_VERB = frozenset({"في", "من", "علي", "الي", "عن", "مع", "منذ", "بعد", "قبل", "خلال", "كما", "لكن", "بينما",
                         "اما", "ان", "قد", "لقد", "وفي", "ومن", "ثم", "حيث", "اذ", "عند", "عندما", "بعدما"})


def _saying_as_it_acts(ctx: SourceContext, start: int, end: int) -> Statement | None:
    """«وتفقد الرئيس التشادي القوات، معلنا أنه ...»: the subject of the sentence's verb says it
    (an actor or an office right after the verb); with none named («وطالب ...، معلنا أنه»), the
    speaker before goes on. The sentence is theirs from its start."""
    m = _SAYING.search(ctx.norm, start, end)
    if m is None:
        return None
    words = [t for t in ctx.tokens(start, m.start()) if t[2].isalnum()]
    if len(words) < 2 or _bare(words[0][2]).startswith("ال") or _bare(words[0][2]) in _NOT_A_VERB:
        return None     # the sentence opens on its verb
    lex, first = ctx.lexicon, words[1]
    hit = ctx.actor_at(first[0])
    if hit is not None:
        subject = [t for t in words[1:] if t[1] <= hit.end]
    elif (head := first[2].removeprefix("ال")) in lex.official_words or head in lex.org_words \
            or first[2] in lex.org_words:
        subject = [first]
        for t in words[2:4]:
            if not (t[2].startswith("ال") and t[2].endswith(("ي", "يه"))):
                break
            subject.append(t)   # «الرئيس التشادي»: the office and its adjectives
    else:
        if ctx.last is None or ctx.last.hedged:
            return None
        prev = ctx.last
        return Statement(prev.attribution, start, start, start, prev.org_actors, continuation=True)
    phrase = ctx.norm[subject[0][0]:subject[-1][1]]
    named_before = ctx.named_before(subject)     # «ونشر المركز ...، موضحا أن»: the centre named in full before
    attribution = named_before.attribution if named_before is not None else _classify(ctx, [subject], phrase,
                                                                                      subject[0][2], "")
    statement = Statement(attribution, start, subject[0][0], subject[-1][1])
    ctx.history.append(statement)
    return statement


def _attribution(ctx: SourceContext, start: int, end: int, width: int):
    """find_attribution reading ``width`` characters; _FURTHER when the speaker runs past them."""
    lex, norm = ctx.lexicon, ctx.norm
    # Only the opening words can hold the speech verb; read no further unless one is there.
    opening = _WORDS.findall(norm, start, min(end, start + 120))[:11]
    if not opening:
        return None
    if opening[0] in _WHILE:
        # «وبينما تضاربت الأنباء بشأن ...، أكدت المصادر نفسها أن»: the speaker after the aside
        comma = _COMMA_MARK.search(norm, start, min(end, start + 120))
        if comma is not None:
            return _attribution(ctx, comma.end(), end, width)
    first = opening[0][1:] if opening[0][:1] in "وف" else opening[0]
    comma = _COMMA_MARK.search(norm, start, min(end, start + 40)) \
        if first in WHEN_WORDS or first in _THEN or opening[0] in WHEN_WORDS else None
    before = [t for t in ctx.tokens(start, comma.start()) if t[2].isalnum()] if comma is not None else []
    if before and (_when(rest := [t for t in before if t[2] not in _THEN]) or not rest):
        # «وقبل ذلك، في مارس الماضي، أعلنت الوزارة أن ...»: when first, then who
        return _attribution(ctx, comma.end(), end, width)
    if opening[0].removeprefix("و") in _INTERVIEW_HEADS and \
            norm.startswith(lex.asides, norm.find(opening[0], start) + opening[0].startswith("و")):
        # «وفي حديث نقله راديو ...،», «وفي بيان صدر مساء السبت،»: the speaker after the aside
        aside = _aside_first(ctx, start, end, width)
        if aside is not None:
            return aside
    if opening[0] in _AS_FOR:
        return _topic_first(ctx, start, end)     # «أما المتحدث باسم الجيش فقال إن ...»
    if opening[0].removeprefix("و") in _ACCORDING_HEADS:
        return _according_to(ctx, start, end)   # «وبحسب ما أفاد به شهود لوكالة رويترز، فإن ...»
    if _bare(opening[0]) not in _KANA:
        opening = opening[:6]
    forms = lex.opening_forms
    if not any(t in forms for t in opening):
        return _according_to(ctx, start, end)
    toks = ctx.tokens(start, min(end, start + width))
    verb = None
    words_seen = 0
    # «وكانت وكالة «بلومبرغ» قد أفادت»: the speaker stands between «كان» and «قد».
    kana = bool(toks) and _bare(toks[0][2]) in _KANA
    for k, (s, e, t) in enumerate(toks):
        if t in _THAT or t == ":":
            break
        if t.isalnum():
            words_seen += 1
            if words_seen > (13 if kana else 5):   # «وكان X، الذي يقود ...، قد توعد»: a relative clause between
                break
            bare = _bare(t)
            if (t in lex.hedges or bare in lex.hedges) and not any(
                    w[2].startswith(_BELONGING) for w in toks[k + 1:k + 3]):
                # (not «مسلحون يشتبه في انتمائهم إلى التنظيم»: who they are is suspected, not the attack)
                nxt = toks[k + 1][2] if k + 1 < len(toks) else ""
                cut = toks[k + 1][1] if nxt in _THAT else e
                outlet = ctx.article_outlet
                attribution = Attribution(speaker="", source_type="outlet" if outlet else "anonymous",
                                          cited_outlet=outlet)
                return Statement(attribution, cut, s, e, hedged=True)
            if bare in lex.speech_verbs or bare in lex.continuation_verbs or t in lex.speech_verbs:
                verb = k
                break
    if verb is None:
        return _according_to(ctx, start, end)
    verb_word = _bare(toks[verb][2])
    k = verb + 1
    cited = ""
    before_verb: list[tuple[int, int, str]] = []
    if kana and verb >= 3 and toks[verb - 1][2] == "قد":
        before_verb = [t for t in toks[1:verb - 1] if t[2] not in _QUOTE_MARKS]
        comma = next((i for i, t in enumerate(before_verb) if t[2] in _COMMA), None)
        if comma:
            before_verb = before_verb[:comma]    # «وكان حسن الكرامي، الذي يتولى ...، قد»: who, not what he is
    if verb_word in _QUOTING:
        for j in range(k, min(k + 8, len(toks))):
            if toks[j][2] == _QUOTING[verb_word]:
                cited = ctx.original(toks[k][0], toks[j - 1][1]) if j > k else ""
                if before_verb:
                    cited = ctx.original(before_verb[0][0], before_verb[-1][1])
                    before_verb = []
                k = j + 1
                break
        else:
            if not any(t[2] in _THAT for t in toks[k:k + 12]):
                return _according_to(ctx, start, end)   # «وسيلة نقل شائعة»: transport, nobody quoted
    k = _past_when(toks, k)
    phrase_start = toks[k][0] if k < len(toks) else end
    segments: list[list[tuple[int, int, str]]] = [[]]
    in_statement = False
    interview_outlet = ""
    content_start = None
    after_statement: tuple[int, int] | None = None  # (index where «في بيان» began, index after its comma)
    j = k
    while j < len(toks) and j - k < 40:
        s, e, t = toks[j]
        if (t in _THAT and (j == k or _bare(toks[j - 1][2]) not in lex.speech_verbs)
                and not (j > k and toks[j - 1][2] in _NOT_SAID_THAT)) or t == ":" \
                or (t in _TO and verb_word in _POINTING) or (t == "عن" and verb_word in lex.about_verbs
                                                              and toks[j - 1][2] not in _BEFORE_A_SOURCE):
            content_start = e
            break
        if j > k and t in _RESPONSIBILITY:
            content_start = s     # «وأعلن تنظيم داعش مسؤوليته عن التفجير»: what it claimed follows
            break
        if j > k and verb_word in _ANNOUNCING and _event_noun(t):
            content_start = s     # «أعلنت الوزارة ضبط ...»: the event is told as a noun
            break
        said_in = t in _SAID_IN_HEADS and norm.startswith(lex.statement_words, s)
        if said_in:
            # «في بيان» is a body's statement; «عبر حسابه», «في تدوينة» may be anyone's post
            in_statement = in_statement or not norm.startswith(lex.posts, s)
            seg_end = j
            while seg_end < len(toks) and toks[seg_end][2] not in _COMMA and not (
                    seg_end > j and (toks[seg_end][2] in _THAT or toks[seg_end][2] == ":"
                                     or verb_word in _ANNOUNCING and _event_noun(toks[seg_end][2])
                                     or verb_word in _POINTING and toks[seg_end][2] in _TO)):
                seg_end += 1
            began = j
            j = seg_end + 1 if seg_end < len(toks) and toks[seg_end][2] in _COMMA else seg_end
            if after_statement is None and j > seg_end:
                after_statement = (began, j)
            segments.append([])
            continue
        skip = t in _INTERVIEW_HEADS and norm.startswith(lex.interview, s)
        if skip:
            seg_end = j
            # the aside ends at a comma, or unmarked at «أن» («قال مصدر في تصريح خاص إن ...»)
            while seg_end < len(toks) and toks[seg_end][2] not in _COMMA and not (
                    seg_end > j + 1 and toks[seg_end][2] in _THAT):
                seg_end += 1
            m = re.search(r"«([^»]{2,40})»", norm[s:toks[seg_end - 1][1]])
            if m:
                word = norm[s:s + m.start()].split()
                interview_outlet = ((ctx.original(s + m.start() - len(word[-1]) - 1, s + m.start())
                                     if word else "") + " " + ctx.original(s + m.start(1), s + m.end(1))).strip()
            else:
                told = _told_to(ctx, toks[j + 1:seg_end])
                if told is not None:    # «في تصريح لقناة ليبيا الأحرار»: the outlet spoken to
                    interview_outlet = told[1]
            j = seg_end + 1 if seg_end < len(toks) and toks[seg_end][2] in _COMMA else seg_end
            segments.append([])
            continue
        if t in _COMMA and (after := _anonymity_aside(norm, toks, j + 1)) is not None:
            j = after   # «مسؤول محلي، طلب عدم الكشف عن اسمه، لوكالة ...»: the speaker's words go on after it
            continue
        if t in _COMMA:
            segments.append([])
        else:
            segments[-1].append(toks[j])
        j += 1
    if content_start is None and after_statement is not None and after_statement[1] < len(toks):
        # «أعلن جهاز الإسعاف، في بيان، إصابة ثلاثة مدنيين»: what the statement says follows it, with no «أن».
        j = after_statement[0]
        content_start = toks[after_statement[1]][0]
    if content_start is None:
        return _FURTHER if start + width < end and width < 240 else None
    phrase_end = toks[j][0] if j < len(toks) else end
    if before_verb:
        segments = [before_verb]
        phrase_start, phrase_end = before_verb[0][0], before_verb[-1][1]
    for seg in segments:
        if seg and _bare(seg[0][2]) in _ACCORDING_HEADS and len(seg) > 1:
            if segments[0] and _bare(segments[0][0][2]) in _FINDINGS:
                segments[0] = seg[1:]   # «وكشف تفتيش السيارة، حسب الوزارة، أن»: the ministry tells what was found
                continue
            # «، بحسب الصحيفة،» names the outlet, not the speaker.
            outlet_words = ctx.norm[seg[1][0]:seg[-1][1]]
            if outlet_words.startswith(lex.outlet_anaphora):
                interview_outlet = interview_outlet or ctx.article_outlet
            seg.clear()
    segments = [s for s in segments if s and not (len(segments) > 1 and (_when(s) or s[0][2] in _DESCRIBED))]
    for seg in segments[1:]:
        if (told := _told_to(ctx, [(seg[0][0], seg[0][0], ""), *seg])) is not None and told[0] == 1:
            interview_outlet = interview_outlet or told[1]   # «المسؤول، وهو من اللجنة، لوكالة ...»
            seg.clear()
    segments = [s for s in segments if s]
    quoting = next((i for i, t in enumerate(segments[0][:-2]) if t[2] == "نقلا" and segments[0][i + 1][2] == "عن"),
                   None) if segments and not cited else None
    if quoting:
        # «وأفادت وكالة الأنباء نقلا عن مصادر أمنية بأن»: the agency quotes, the sources speak
        cited = ctx.original(segments[0][0][0], segments[0][quoting - 1][1])
        segments[0] = segments[0][quoting + 2:]
        phrase_start = segments[0][0][0]
    if segments and segments[0] and verb_word in _DENYING:
        # «ودحضت الكتيبة الأنباء التي ...»: what is denied is no part of who denies it
        cut = next((i for i, t in enumerate(segments[0]) if i and t[2] in _DENIED_TALK), None)
        if cut is not None:
            segments[0] = segments[0][:cut]
    if segments and segments[0] and verb_word in _ACCUSING:
        segments[0] = _accuser(segments[0])    # «واتهم الجيش المتمردين بأنهم ...»: not the accused
    told = _told_to(ctx, segments[0]) if segments else None
    if told is not None:
        # «أكد مصدر أمني لوكالة الأنباء الليبية أن»: the outlet spoken to is no part of the speaker
        cut, told_name = told
        segments[0] = segments[0][:cut]
        interview_outlet = interview_outlet or told_name
        if not segments[0]:
            segments = segments[1:]
    if segments and (cut := next((i for i, t in enumerate(segments[0]) if i and t[2] in _RELAYED), None)):
        segments[0] = segments[0][:cut]     # «شهود عيان نقل موقع X أقوالهم», «مسؤول تحدث لـ...»: who they are
    org = ctx.actors_between(phrase_start, phrase_end)
    outlet = interview_outlet or cited or ""
    if cited and any(cited_norm == norm_form for norm_form in lex.outlet_anaphora
                     for cited_norm in [norm[toks[verb + 1][0]:toks[verb + 1][1]]]):
        outlet = ctx.article_outlet or cited
    if not segments:
        if ctx.last is None:
            return None
        prev = ctx.last
        return Statement(prev.attribution, content_start, phrase_start, phrase_end, prev.org_actors,
                         continuation=True)
    first = segments[0]
    if len(first) >= 4 and lex.anaphora_sources.get(first[0][2]) == "organisation statement" \
            and first[1][2] in _WHICH:
        # «وذكر البيان الذي نشرته المنطقة العسكرية سبها»: the statement's author speaks.
        segments[0] = first[3:]
        phrase_start, in_statement = first[3][0], True
    elif skip := _issued_by(first):
        # «وذكر بيان أصدرته وزارة الدفاع», «وأفاد بيان صادر عن مكتب الإعلام»: the same, indefinite
        segments[0] = first[skip:]
        phrase_start, in_statement = first[skip][0], True
    phrase = norm[phrase_start:phrase_end]
    head = segments[0][0][2]
    kind = lex.anaphora_sources.get(head)
    if kind and (len(segments[0]) <= 2 or (len(segments[0]) <= 4 and segments[0][-1][2] in _SAME)):
        # «وأضاف البيان», «وتابع المصدر»: the latest source of that kind goes on.
        prev = next((h for h in reversed(ctx.history) if (h.attribution.source_type == kind and kind != "outlet")
                     or (kind == "anonymous" and (h.attribution.source_type in ("unnamed official", "anonymous")
                                                  or h.attribution.speaker.startswith(("مصدر", "مصادر"))))
                     or (kind == "outlet" and h.attribution.source_type == "outlet"
                         and h.attribution.speaker == h.attribution.cited_outlet)), None)
        if prev is not None:
            return Statement(prev.attribution, content_start, phrase_start, phrase_end, prev.org_actors,
                             continuation=True)
        if kind == "organisation statement":
            # «وأشار التقرير الأممي»: no statement told before; the words that name it are all there is
            named = ctx.original(phrase_start, phrase_end) if len(segments[0]) > 1 else ""
            return Statement(Attribution(speaker=named, source_type=kind, cited_outlet=ctx.article_outlet),
                             content_start, phrase_start, phrase_end)
        if kind == "anonymous":
            return Statement(Attribution(speaker=ctx.original(phrase_start, phrase_end), source_type=kind,
                                         cited_outlet=ctx.article_outlet), content_start, phrase_start, phrase_end)
        if kind == "outlet" and ctx.article_outlet:
            attribution = Attribution(speaker=ctx.article_outlet, source_type="outlet",
                                      cited_outlet=ctx.article_outlet)
            return Statement(attribution, content_start, phrase_start, phrase_end)
    named_before = ctx.named_before(segments[0])
    if named_before is not None and len(segments) == 1:
        # «وكتبت السرية»: the company named in full earlier («سرية حماية بني وليد») goes on.
        return Statement(named_before.attribution, content_start, phrase_start, phrase_end,
                         named_before.org_actors, continuation=True)
    attribution = _classify(ctx, segments, phrase, head, outlet, in_statement=in_statement)
    if cited and attribution.source_type in ("unnamed official", "anonymous") and not _is_publisher(ctx, cited):
        # An unnamed source another outlet quotes rests on that outlet's word.
        attribution = Attribution(speaker=attribution.speaker, speaker_role=attribution.speaker_role,
                                  source_type="outlet", cited_outlet=outlet or cited)
    if attribution.source_type in ("named official", "named person") and attribution.speaker:
        key = _surname_key(attribution.speaker.split()[-1])
        known = ctx.speakers.get(key)
        if known is not None and known.attribution.speaker == attribution.speaker and not org:
            org = known.org_actors
        statement = Statement(attribution, content_start, phrase_start, phrase_end, org)
        ctx.speakers.setdefault(key, statement)
        ctx.history.append(statement)
        return statement
    statement = Statement(attribution, content_start, phrase_start, phrase_end, org)
    ctx.history.append(statement)
    return statement


def _aside_first(ctx: SourceContext, start: int, end: int, width: int) -> Statement | None:
    """«وفي حديث نقله راديو «إفريقيا 1»، قال المتحدث باسم الجيش إن ...»: the interview told first,
    the speaker after its comma; the outlet it names is the one spoken to."""
    comma = _COMMA_MARK.search(ctx.norm, start, min(end, start + 120))
    if comma is None:
        return None
    found = _attribution(ctx, comma.end(), end, width)
    if not isinstance(found, Statement) or found.attribution.cited_outlet:
        return found if isinstance(found, Statement) else None
    m = re.search(r"(\S+)\s*«([^»]{2,40})»", ctx.norm[start:comma.start()])
    hit = next((h for h in ctx.outlet_hits if start <= h.start < comma.start()), None)
    if m and m.group(1).removeprefix("ال") in ctx.lexicon.outlet_words:
        outlet = ctx.original(start + m.start(1), start + m.end(1)) + " " + ctx.original(start + m.start(2), start + m.end(2))
    elif hit is not None:
        outlet = ctx.original(hit.start, hit.end)
    elif (told := _told_to(ctx, ctx.tokens(start, comma.start()))) is not None:
        outlet = told[1]     # «وفي تصريح لقناة الجزيرة، قال ...»
    else:
        return found
    return dataclasses.replace(found, attribution=dataclasses.replace(found.attribution, cited_outlet=outlet))


def _told_to(ctx: SourceContext, seg: list[tuple[int, int, str]]) -> tuple[int, str] | None:
    """(where the speaker's words stop, the outlet) when they end with the outlet spoken to:
    «لوكالة الأنباء الليبية», «لـ«الشرق الأوسط»», «لـ"بوابة الوسط"»; None otherwise."""
    if seg and seg[0][2].removeprefix("ال") in _JOURNALISTS:
        return None     # «مصور لوكالة فرانس برس»: the outlet's own photographer, not one it spoke to
    for i in range(1, len(seg)):
        s, e, t = seg[i]
        if t[:1] != "ل":
            continue
        if t[1:] in ctx.lexicon.outlet_words:
            return i, ctx.original(s + 1, seg[-1][1])
        if t[:2] == "لل" and "ال" + t[2:] in ctx.lexicon.outlet_names:
            return i, "ال" + ctx.original(s + 2, seg[-1][1])     # «للجزيرة نت»: «الجزيرة نت»
        if t[1:] in ctx.lexicon.outlet_names:
            return i, ctx.original(s + 1, seg[-1][1])            # «لرويترز»
        if t == "ل" and i + 2 < len(seg) and seg[i + 1][2] in _QUOTE_MARKS:
            name = [x for x in seg[i + 1:] if x[2] not in _QUOTE_MARKS]
            if name:
                return i, ctx.original(name[0][0], name[-1][1])
    return None


def _issued_by(words: list[tuple[int, int, str]]) -> int:
    """How many words name a statement before its author («بيان أصدرته X»: 2, «بيان صادر عن X»:
    3), 0 when they do not; «لبيان» after «وفقا» counts as «بيان»."""
    if len(words) < 3 or words[0][2].removeprefix("ل") not in _ISSUED:
        return 0
    if words[1][2] in _PUBLISHED_IT:
        return 2
    return 3 if words[1][2] in ("صادر", "الصادر") and words[2][2] == "عن" else 0


def _is_publisher(ctx: SourceContext, cited: str) -> bool:
    """«ونقلت البوابة عن»: the report's own outlet, named by a word of its name."""
    if not ctx.publisher:
        return False
    if ctx.publisher_words is None:
        ctx.publisher_words = frozenset(w[2:] if w.startswith("ال") else w for w in normalize(ctx.publisher).split())
    own = ctx.publisher_words
    words = [w[2:] if w.startswith("ال") else w for w in normalize(cited).split()]
    return bool(words) and words[0] in own


def _according_to(ctx: SourceContext, start: int, end: int) -> Statement | None:
    """«بحسب مديرية أمن بنغازي», «وفقاً لمصادر محلية», «…، قال مصدر عسكري.»: a source named
    after the claim."""
    m = _ACCORDING.search(ctx.norm, start, end)
    trailing = m is None
    if trailing:
        m = _TRAILING.search(ctx.norm, start, end)
        if m is None:
            return None
    toks = ctx.tokens(m.end(), min(end, m.end() + 160))
    phrase: list[tuple[int, int, str]] = []
    outlet = ""
    told_to: list[tuple[int, int, str]] = []
    quoted = False
    for tok in toks:
        if tok[2] in _COMMA or tok[2] in ".؟!" or len(phrase) >= 12 or phrase and tok[2] in _WHO:
            break       # «بحسب الثوار الذين أكدوا ...»: the source is «الثوار»
        if phrase and (tok[2].isdigit() or tok[2] in _number_words()) and phrase[-1][2] not in _NAMED_BY_NUMBER \
                and not quoted and phrase[0][2].removeprefix("ال") not in ctx.lexicon.outlet_words:
            break       # «خلفت، بحسب منظمات محلية 300 قتيل»: the claim's number, not the source's name
        if told_to:
            told_to.append(tok)
            continue
        quoted = tok[2] == "«" or quoted and tok[2] != "»"    # «فرانس 24»: a name, number and all
        if trailing and (tok[2] in _THAT or tok[2] == ":"):
            return None     # «، وقال المتحدث إن ...»: a new statement, not the source of this one
        if phrase and (tok[2] in _THAT or tok[2] == "فان"):
            break           # «وحسب مراسل الجزيرة في طرابلس فإن اشتباكات ...»: the claim begins
        if phrase and tok[2] in "«\"“" and re.search(r"(?<!\w)ما\s", m.group()) \
                and phrase[-1][2].removeprefix("ال") not in ctx.lexicon.outlet_words:
            break           # «بحسب ما سمته الوزارة «الحصيلة غير النهائية»»: what it called it follows
        if phrase and tok[2] in ("علي", "عبر") and ctx.original(tok[0], tok[1]) != "علي":
            break           # «حسب بيان نشرته الرئاسة على فيسبوك»: where it was said, not who
        if tok[2] == "عن" and phrase:
            if phrase[0][2].removeprefix("ل") in _ISSUED:
                phrase = []     # «وفقا لبيان صادر عن الجيش»: the army's statement, no outlet between
                continue
            outlet = ctx.original(phrase[0][0], phrase[-1][1])
            phrase = []
            continue
        if (phrase and (tok[2] == "ل" or tok[2][:1] == "ل" and tok[2][1:] in ctx.lexicon.outlet_words)
                       and phrase[0][2].removeprefix("ال") not in _JOURNALISTS):
            told_to.append(tok)     # «مصدر عسكري لوكالة الأناضول», «لـ«بوابة الوسط»»: the outlet spoken to
            continue
        if not phrase and (_bare(tok[2]) in ctx.lexicon.speech_verbs or tok[2] in ctx.lexicon.speech_verbs):
            continue    # «حسبما أعلن الجيش»: the verb, then who said it
        phrase.append(tok)
    named = [t for t in told_to if t[2] not in _QUOTE_MARKS and t[2] != "ل"]
    told = ctx.original(named[0][0] + (named[0] is told_to[0]), named[-1][1]) if named else ""
    phrase = [t for t in phrase if t[2] not in _QUOTE_MARKS]
    issued = _issued_by(phrase) == 2
    if issued:
        phrase = phrase[2:]     # «حسب بيان نشرته الرئاسة»: the presidency speaks, in a statement
    if not phrase:
        return None
    named_before = ctx.named_before(phrase)
    if named_before is not None:
        # «بحسب المصادر ذاتها», «وفقا للسرية»: the source named earlier
        return Statement(named_before.attribution, start, m.start(), phrase[-1][1], named_before.org_actors,
                         continuation=True)
    if len(phrase) == 2 and phrase[0][2] == "ما" and phrase[1][2].endswith(("وه", "وها", "ته", "تها")):
        # «وبحسب ما تداولوه»: what they said, they named no further: an unnamed source
        attribution = Attribution(speaker="", source_type="anonymous", cited_outlet=outlet or told)
        statement = Statement(attribution, start, m.start(), phrase[-1][1])
        ctx.history.append(statement)
        return statement
    text = ctx.norm[phrase[0][0]:phrase[-1][1]]
    attribution = _classify(ctx, [phrase], text, phrase[0][2], outlet, in_statement=issued)
    if told:
        attribution = dataclasses.replace(attribution, cited_outlet=told)
    statement = Statement(attribution, start, m.start(), phrase[-1][1])
    ctx.history.append(statement)
    return statement
