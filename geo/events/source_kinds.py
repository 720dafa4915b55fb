"""What kind of source a speaker is: the words that name them -> an Attribution.

Used by :mod:`geo.events.attribution` once the speaker's words are cut out of a sentence:
an organisation's statement, an outlet, a report, residents and witnesses, an
unnamed source (official or not), a named official or a named person.
"""

from __future__ import annotations

from functools import lru_cache

from geo.events.context import QUOTE_MARKS, SourceContext
from geo.models import Attribution
from geo.text.normalize import normalize

THAT = frozenset({"ان", "انه", "انها", "انهم", "انهما", "بان", "بانه", "بانها", "بانهم", "انما"})
_THAT, _QUOTE_MARKS = THAT, QUOTE_MARKS
_LONGEST_RESIDENT = 16
_ONE_OF = frozenset({"احد", "احدي"})
_SOURCE_HEADS = frozenset({"مصدر", "مصادر", "مصدرا"})
# a source named by what it is, not who («المصادر ذاتها», «مصادرها», «هذه المعلومات», «التقارير»):
# the noun with its article, a demonstrative before it or a pronoun after it dropped (normalized)
_UNNAMED_NOUNS = frozenset({"مصدر", "مصادر", "مصدرين", "مصدران", "معلومات", "تقارير", "انباء"})
_AUTHORITIES = frozenset({"سلطات"})
_DEMONSTRATIVES = frozenset({"هذه", "هذا", "هولاء", "تلك", "ذلك"})
_PRONOUNS = ("ها", "هم", "هما")


def _noun_of(segments) -> str:
    """The head noun of the words naming a source, bare: «هذه المعلومات» → «معلومات»,
    «مصادرها» → «مصادر»."""
    words = [t[2] for t in segments[0] if t[2].isalnum()]
    if words and words[0] in _DEMONSTRATIVES:
        words = words[1:]
    if not words:
        return ""
    word = words[0].removeprefix("و")
    word = word[2:] if word.startswith("ال") and len(word) > 4 else word
    for suffix in _PRONOUNS:
        if word.endswith(suffix) and word[:-len(suffix)] in _UNNAMED_NOUNS | _AUTHORITIES:
            return word[:-len(suffix)]
    return word

# Surnames repeat across a report («البرغثي»): normalizing each once is enough.
surname_key = lru_cache(maxsize=4096)(normalize)
_surname_key = surname_key


def bare(token: str) -> str:
    """A token without its conjunction (وقال -> قال)."""
    return token[1:] if len(token) > 3 and token[0] in "وف" else token


_bare = bare


def _name_and_role(ctx: SourceContext, segments: list[list[tuple[int, int, str]]]) -> tuple[str, str, bool]:
    """Split the speaker's words into (name, role, is_official)."""
    lex = ctx.lexicon

    def official(seg: list[tuple[int, int, str]]) -> bool:
        return any(_bare(t) in lex.official_words or t in lex.official_words for _, _, t in seg)

    def text_of(seg: list[tuple[int, int, str]]) -> str:
        return ctx.original(seg[0][0], seg[-1][1]) if seg else ""

    # «عبد العزيز مصطفى، من الفدرالية الدولية ...»: an aside opening on a preposition says where the
    # speaker is from, it names no one
    segments = [s for i, s in enumerate(segments) if s and not (i and s[0][2] in _AFFILIATION)]
    if not segments:
        return "", "", False
    if len(segments) >= 2:
        role_seg, name_seg = segments[0], segments[1]
        if not official(role_seg) and (official(name_seg) or _bare(name_seg[0][2]) in _ONE_OF
                                       or name_seg[0][2].startswith("ال")
                                       and not role_seg[0][2].startswith("ال") and 2 <= len(role_seg) <= 4):
            # «كاكا تودا، العامل في منظمة ...», «عيسى الزروق، أحد عناصر القوة»: the name first, then
            # what the person does
            role_seg, name_seg = name_seg, role_seg
        ranks = []
        while name_seg and name_seg[0][2] in lex.rank_words and len(name_seg) > 1:
            ranks.append(name_seg[0])
            name_seg = name_seg[1:]
        role = text_of(role_seg)
        if ranks:
            role = text_of(ranks) + "، " + role
        return text_of(name_seg), role, official(role_seg) or bool(ranks)
    seg = [t for t in segments[0] if t[2] not in _QUOTE_MARKS]
    if not official(seg):
        # «الناشط المدني خالد الورفلي»: a descriptor, then the name.
        if len(seg) >= 3 and seg[0][2].startswith("ال") and not seg[-2][2].startswith("ال"):
            return text_of(seg[-2:]), text_of(seg[:-2]), False
        return text_of(seg), "", False
    # «مسؤول مكتب الإعلام في كتيبة «شهداء الزاوية» وحيد الزوي»: the name is the tail; or the tail
    # before «في» («المتحدث باسم الجيش أحمد المسماري في البيان»).
    words = [t for t in seg if t[2].isalnum() or t[2].isalpha()]
    rank = max((i for i, t in enumerate(words[:-1]) if t[2] in lex.rank_words), default=None)
    if rank is not None and 2 <= len(words) - rank - 1 <= 4 and not any(
            t[2] in _NOT_IN_NAMES or _bare(t[2]) in lex.official_words for t in words[rank + 1:]):
        # «آمر الكتيبة 128 العميد حسن معتوق الزادمة»: the name is all that follows the rank
        return text_of(words[rank + 1:]), text_of([t for t in seg if t[1] <= words[rank][1]]), True
    name_words = _tail_name(lex, words)
    if name_words is None:
        cut = next((i for i, t in enumerate(words) if t[2] == "في" and i >= 3), None)
        name_words = _tail_name(lex, words[:cut]) if cut is not None else None
    if name_words is None:
        return "", text_of(seg), True
    role_end = name_words[0][0]
    role_tokens = [t for t in seg if t[1] <= role_end]
    return text_of(name_words), text_of(role_tokens), True


def _tail_name(lex, words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]] | None:
    """The last two (or three, with a particle) words of an official's words when they can be a
    person's name, else None."""
    tail = 2
    if len(words) >= 3 and (words[-2][2] in lex.name_particles or words[-3][2] in lex.name_particles):
        tail = 3
    name_words = words[-tail:]
    # A name's first word is not «الوفاق» or «الوطني»: that tail is an organisation, not a person.
    # Nor «في غات», «بلدية الكفرة» or «لمدينة غات»: a preposition or an institution ends an office,
    # not a name.
    if len(words) <= tail or name_words[0][2].startswith("ال") or any(_bare(t) in lex.official_words for _, _, t in name_words) \
            or any(norm_t.startswith("ال") and norm_t in lex.official_words for _, _, norm_t in name_words) \
            or any(t in _NOT_IN_NAMES or t in lex.org_words or t[:1] in "بل" and t[1:] in _NOT_IN_NAMES
                   for _, _, t in name_words) \
            or words[-tail - 1][2] == "باسم" or any(t == "باسم" for _, _, t in name_words) \
            or any(t == "باسم" for _, _, t in words[:-tail]) and not words[-tail - 1][2].startswith("ال"):
        # «متحدث باسم خفر السواحل»: what follows «باسم» is the body spoken for, to its definite
        # last word («باسم قوة حماية الجنوب»; «باسم الجيش أحمد المسماري» then names the speaker)
        return None
    return name_words


_AFFILIATION = frozenset({"من", "في", "عن", "لدي"})
# words no personal name holds: prepositions, and words for places and institutions (normalized;
# not «على», which normalizes to the name «علي»)
_NOT_IN_NAMES = frozenset(normalize(w) for w in (
    "في من عن إلى لدى مع بلدية البلدية بلدة مدينة المدينة منطقة المنطقة ولاية الولاية محافظة "
    "المحافظة مديرية المديرية أمن الأمن غرفة عمليات جهاز مكتب إدارة فرع قسم مركز شؤون").split())


# A speaker's words end where time, filler or the claim begins («أنباء اليوم الاثنين»،
# «السرية مع ذلك النفير العام»): a speaker field never holds a date, a weekday or a filler.
_SPEAKER_ENDS = frozenset(normalize(w) for w in (
    "اليوم", "أمس", "البارحة", "الليلة", "مساء", "صباح", "فجر", "ظهر", "عصر", "ليل", "ليلة", "يوم", "أول",
    "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد", "مع", "أيضا", "أيضاً",
    "كذلك", "بدوره", "بدورها", "عشرات", "مئات", "ما", "الذي", "التي", "عن", "على", "إلى",
    "قوله", "قولها", "قولهم", "نقلا", "صدر", "الصادر", "صادر", "الصادرة", "صادرة",    # «بيان لوزارة الداخلية صدر يوم ...»
    "نقل", "نقلت", "تحدث", "تحدثت"))    # «شهود عيان نقل موقع X أقوالهم»
_SPEAKER_LEADS = frozenset(normalize(w) for w in ("في", "البيان", "بيان", "خلال", "رواية", "شهادة"))   # «رواية المعدن فلان»


def tidy_speaker(speaker: str) -> str:
    """The speaker's words without the time, filler or claim words that followed them."""
    words = speaker.split()
    while words and surname_key(words[0]) in _SPEAKER_LEADS and len(words) > 1:
        words = words[1:]
    for i, word in enumerate(words):
        bare = surname_key(word).strip("،,.:«»\"")
        if word.strip("،,.:«»\"") == "علي":
            continue    # the name «علي» as written, not the preposition «على» it normalizes like
        if i and (bare in _SPEAKER_ENDS or bare.lstrip("وف") in _SPEAKER_ENDS):
            words = words[:i]
            break
    return " ".join(words)


def classify(ctx: SourceContext, segments, phrase: str, head: str, outlet: str, *,
             in_statement: bool = False) -> Attribution:
    """Turn the words naming the source into an Attribution (the speaker tidied)."""
    attribution = _classify(ctx, segments, phrase, head, outlet, in_statement=in_statement)
    speaker = tidy_speaker(attribution.speaker)
    if attribution.source_type == "organisation statement" and " " not in speaker and segments and segments[0]:
        # «وأكد المركز»، «ونشر المركز عشرات الصور»: the body named in full before
        start = segments[0][0][0]
        named_before = ctx.named_before([(start, start + len(speaker), normalize(speaker))])
        if named_before is not None:
            return named_before.attribution
    if speaker == attribution.speaker:
        return attribution
    return Attribution(speaker, attribution.speaker_role, attribution.source_type, attribution.cited_outlet,
                       attribution.publisher, attribution.url)


_TALLIES = frozenset({"حصيله", "احصاءات", "احصاييات", "احصاييه", "ارقام"})    # normalized
_CORRESPONDENT = ("مراسل", "موفد")    # normalized: مراسلنا، مراسلة، مراسلو، موفدنا
_MEDIA = ("وسايل اعلام", "وسايل الاعلام", "تقارير اعلاميه", "مواقع اخباريه")   # normalized


def _classify(ctx: SourceContext, segments, phrase: str, head: str, outlet: str, *,
              in_statement: bool = False) -> Attribution:
    """Turn the words naming the source into an Attribution."""
    lex = ctx.lexicon
    cited = outlet or ctx.article_outlet
    bare = _bare(head)
    if head not in lex.outlet_words and bare in lex.outlet_words and head not in lex.speech_verbs:
        bare = head  # «وكالة» is a word, not و + كالة
    org_head = head in lex.org_words or (head[:1] in "وبل" and head[1:] in lex.org_words)
    starts_with_actor = any(h for h in ctx.actors_between(segments[0][0][0], segments[0][0][1] + 1))
    if (org_head or starts_with_actor or (in_statement and head.startswith("ال"))) \
            and head not in lex.anonymous_heads and head not in lex.report_words \
            and not phrase.startswith(lex.residents):
        name = ctx.original(segments[0][0][0], segments[0][-1][1])
        if head not in lex.outlet_words:
            return Attribution(speaker=name, source_type="organisation statement", cited_outlet=cited)
    outlet_anaphora = phrase.startswith(lex.outlet_anaphora)
    if outlet_anaphora or head in lex.outlet_words:
        if head in lex.outlet_words and len(segments[0]) >= 2 and not outlet_anaphora:
            name = ctx.original(segments[0][0][0], segments[0][-1][1])
            return Attribution(speaker=name, source_type="outlet", cited_outlet=name)
        if outlet_anaphora:
            name = ctx.article_outlet or ctx.original(segments[0][0][0], segments[0][-1][1])
        else:
            name = ctx.original(segments[0][0][0], segments[0][-1][1])
        return Attribution(speaker=name, source_type="outlet", cited_outlet=name)
    if ctx.norm.startswith(_MEDIA, segments[0][0][0]):
        # «ذكرت وسائل إعلام ليبية»: outlets, unnamed
        name = ctx.original(segments[0][0][0], segments[0][-1][1])
        return Attribution(speaker=name, source_type="outlet", cited_outlet=cited)
    if bare in _TALLIES:
        # «وفق حصيلة رسمية», «بحسب أرقام الأمم المتحدة»: figures, official when they say so
        rest = segments[0][1:]
        if rest and (rest[0][2] in lex.org_words or _bare(rest[0][2]) in lex.org_words
                     or ctx.actors_between(rest[0][0], rest[-1][1])):
            return Attribution(speaker=ctx.original(rest[0][0], rest[-1][1]), source_type="organisation statement",
                               cited_outlet=cited)
        name = ctx.original(segments[0][0][0], segments[0][-1][1])
        official = any(_bare(t[2]).startswith(("رسمي", "حكومي")) for t in rest)
        return Attribution(speaker=name, source_type="unnamed official" if official else "anonymous",
                           cited_outlet=cited)
    if bare.startswith(_CORRESPONDENT):
        # «أفاد مراسلنا», «مراسل الوكالة في طرابلس»: the outlet's own reporter, the outlet's word
        name = ctx.original(segments[0][0][0], segments[0][-1][1])
        return Attribution(speaker=name, source_type="outlet", cited_outlet=cited)
    if any(segments[0][0][0] <= h.start < min(segments[0][0][0] + 30, segments[0][-1][1]) for h in ctx.outlet_hits):
        name = ctx.original(segments[0][0][0], segments[0][-1][1])
        return Attribution(speaker=name, source_type="outlet", cited_outlet=name)
    if head in lex.report_words:
        words = [t for seg in segments for t in seg]
        # «تقرير قالت إنه للمخابرات العسكرية الليبية»: the body after the report word.
        body = [t for t in words[1:] if t[2] not in _THAT and _bare(t[2]) not in lex.speech_verbs
                and t[2] not in ("صادر", "صادرا", "عن", "اعده", "اعدته")]
        name = ctx.original(body[0][0], body[-1][1]) if body else ""
        if name.startswith("لل"):
            name = "ال" + name[2:]
        elif name.startswith("ل") and len(name) > 3 and body and body[0][2].startswith("لل"):
            name = "ال" + name[1:]
        elif name.startswith("ل") and body and (body[0][2][1:] in lex.org_words or body[0][2][1:] in lex.official_words):
            name = name[1:]     # «تقرير لفريق خبراء الأمم المتحدة»: the panel's report
        return Attribution(speaker=name, speaker_role=ctx.original(words[0][0], words[0][1]),
                           source_type="organisation statement", cited_outlet=cited)
    if phrase.startswith(lex.residents) or lex.residents_re.search(phrase, 0, 20 + _LONGEST_RESIDENT):
        kept = [t for t in segments[0]]
        return Attribution(speaker=ctx.original(kept[0][0], kept[-1][1]), source_type="witnesses/residents",
                           cited_outlet=cited)
    seg0 = segments[0]
    if _bare(head) in _ONE_OF and not any(_bare(t) in lex.official_words for _, _, t in seg0):
        # «أحد رعاة الإبل», «أحد المهاجرين»: one unnamed person who was there.
        return Attribution(speaker=ctx.original(seg0[0][0], seg0[-1][1]), source_type="witnesses/residents",
                           cited_outlet=cited)
    seg0 = segments[0]
    if _bare(head) in _SOURCE_HEADS or head in _SOURCE_HEADS:
        # «مصادر محلية في تجرهي، آخر بلدة ليبية قبل الحدود»: a source, whatever the aside after it says.
        words = ctx.norm[seg0[0][0]:seg0[-1][1]]
        kind = "unnamed official" if lex.official_re.search(words) or \
            ctx.actors_between(seg0[0][0], seg0[-1][1]) else "anonymous"
        return Attribution(speaker=ctx.original(seg0[0][0], seg0[-1][1]), source_type=kind, cited_outlet=cited)
    for seg in segments[1:]:
        words = ctx.norm[seg[0][0]:seg[-1][1]]
        if words.startswith(lex.residents):
            # «سالم الورفلي، أحد سكان منطقة الوشكة»: a resident with a name.
            return Attribution(speaker=ctx.original(seg0[0][0], seg0[-1][1]), source_type="witnesses/residents",
                               cited_outlet=cited)
    anonymous_at = next((phrase.find(a) for a in lex.anonymous if a in phrase), -1) \
        if lex.anonymous_re.search(phrase) else -1
    if anonymous_at >= 0:
        base = segments[0][0][0]
        kept = [t for seg in segments for t in seg if t[0] < base + anonymous_at]
        desc = ctx.original(kept[0][0], kept[-1][1]) if kept else ""
        kind = "unnamed official" if lex.official_re.search(phrase) or _bare(head) in lex.official_words or \
            ctx.actors_between(segments[0][0][0], segments[-1][-1][1]) else "anonymous"
        return Attribution(speaker=desc, source_type=kind, cited_outlet=cited)
    whole = ctx.original(segments[0][0][0], segments[-1][-1][1])
    if phrase.startswith(lex.residents) or lex.residents_re.search(phrase, 0, 20 + _LONGEST_RESIDENT):
        return Attribution(speaker=whole, source_type="witnesses/residents", cited_outlet=cited)
    noun = _noun_of(segments)
    if noun in _UNNAMED_NOUNS:
        return Attribution(speaker=whole, source_type="anonymous", cited_outlet=cited)
    if noun in _AUTHORITIES:
        return Attribution(speaker=whole, source_type="unnamed official", cited_outlet=cited)
    name, role, is_official = _name_and_role(ctx, segments)
    if head in lex.anonymous_heads and not (name and role):
        kind = "unnamed official" if lex.official_re.search(phrase) or \
            ctx.actors_between(segments[0][0][0], segments[-1][-1][1]) else "anonymous"
        return Attribution(speaker=whole, source_type=kind, cited_outlet=cited)
    if name and not role and len(name.split()) <= 2:
        known = ctx.speakers.get(_surname_key(name.split()[-1]))
        if known is not None:
            return Attribution(speaker=known.attribution.speaker, speaker_role=known.attribution.speaker_role,
                               source_type=known.attribution.source_type, cited_outlet=outlet or
                               known.attribution.cited_outlet or cited)
    if not name and role:
        return Attribution(speaker=role, source_type="unnamed official" if is_official else "anonymous",
                           cited_outlet=cited)
    return Attribution(speaker=name, speaker_role=role,
                       source_type="named official" if is_official else "named person", cited_outlet=cited)
