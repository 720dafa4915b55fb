"""Cue, actor and attribution lexicons (data under data/lexicon/) and their matchers.

The words live in JSON so analysts can extend them without touching code. Each
list is normalized with :func:`geo.text.normalize.normalize` and frozen into one
Aho-Corasick automaton; a hit counts only when the letters in front of it are
proclitics (و ف ب ل ك ال, and for verbs ي ت ن س) and the letters after it are an
allowed ending. Loaders are cached per path, so a process builds each automaton once.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import ahocorasick

from geo.errors import InputError
from geo.text.normalize import normalize

LEXICON_DIR = Path(__file__).resolve().parents[2] / "data" / "lexicon"

_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك", "س")
_HEAD = ("", "ال", "ي", "ت", "ن", "ا")
# Every proclitic run a cue may carry: و+ب+ال, ف+س+ي, لل (ل + ال without its alef) ...
CUE_PREFIXES = frozenset({c + p + h for c in _CONJ for p in _PREP for h in _HEAD} | {"لل", "ولل", "فلل"})
NAME_PREFIXES = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"})
LIGHT_SUFFIXES = frozenset({"", "ه", "ها", "هم", "هما", "ون", "ين", "ات", "وا", "ان", "ت", "ا", "تا",
                            "ته", "تها", "تهم", "هن", "ي", "نا", "يه", "يا"})


def _is_word(ch: str) -> bool:
    """True for a letter or digit (Arabic or Latin): the inside of a word."""
    return ch.isalnum()


class Hit(NamedTuple):
    """A lexicon entry found in normalized text; offsets are normalized ones.

    A named tuple rather than a frozen dataclass: a report makes a hundred of
    them, and a tuple is built several times faster.
    """

    start: int
    end: int
    key: str
    prefix: str = ""
    suffix: str = ""


_WORD_TAIL = re.compile(r"[^\W_]*")


class TermIndex:
    """One frozen automaton over normalized terms, with clitic-aware boundaries.

    Parameters
    ----------
    terms : iterable of (str, str)
        (term, key) pairs in ordinary spelling; a trailing ``*`` lets any ending follow.
    prefixes : frozenset of str
        The letter runs allowed in front of a term inside the same word.
    suffixes : frozenset of str
        The endings allowed after a term without ``*`` (names take none).
    homographs : iterable of str
        Whole words (clitics off) that read as a term plus an ending but are another word:
        «مرتين» (twice) is not «مرت» (passed) + «ين», «الجارية» (ongoing) not «لجأ*».
    """

    def __init__(self, terms: Iterable[tuple[str, str]], *, prefixes: frozenset[str] = NAME_PREFIXES,
                 suffixes: frozenset[str] = frozenset({""}), homographs: Iterable[str] = ()):
        self._prefixes = prefixes
        self._suffixes = suffixes
        self._homographs = frozenset(normalize(w) for w in homographs)
        self._max_prefix = max((len(p) for p in prefixes), default=0)
        self._reach = max(self._max_prefix, 2) + 1  # «ول» + «لجيش» for «ولجيش»
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, tuple[str, bool]] = {}
        for term, key in terms:
            star = term.endswith("*")
            form = normalize(term.rstrip("*")).strip()
            if not form:
                continue
            entries.setdefault(form, (key, star))
            if form.startswith("ال") and len(form) > 3:
                # ل + ال is written لل: «للجيش» holds «لجيش», not «الجيش».
                entries.setdefault("\x00" + form[1:], (key, star))
        self.size = len(entries)
        # what the automaton holds: a later form with the same letters replaces an earlier one
        self._words: dict[str, tuple[int, str, bool, bool]] = {}
        for form, (key, star) in entries.items():
            lam = form.startswith("\x00")
            text = form[1:] if lam else form
            self._words[text] = (len(text), key, star, lam)
            self._automaton.add_word(text, (len(text), key, star, lam))
        if entries:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Every boundary-respecting hit, leftmost-longest, no overlaps."""
        if not self.size:
            return []
        found: list[Hit] = []
        # The word around a hit is read outwards from the hit: a report has a few dozen
        # raw hits but hundreds of words, so this beats listing every word's bounds.
        for end_index, (length, key, star, lam) in self._automaton.iter(text):
            hit = self._hit(text, end_index + 1, length, key, star, lam)
            if hit is not None:
                found.append(hit)
        return _leftmost_longest(found)

    def _hit(self, text: str, end: int, length: int, key: str, star: bool, lam: bool) -> Hit | None:
        """The hit of a term ending at ``end``, or None when the word around it is another word."""
        start = end - length
        if not text[start].isalnum():
            return None  # the term starts on a mark or a space
        floor = max(0, start - self._reach)
        p = start
        while p > floor and text[p - 1].isalnum():
            p -= 1
        if p > 0 and text[p - 1].isalnum():
            return None  # more letters in front than any proclitic run
        prefix = text[p:start]
        if lam:
            if not prefix.endswith("ل") or prefix[:-1] not in ("", "و", "ف"):
                return None
        elif prefix not in self._prefixes:
            return None
        if end < len(text) and text[end].isalnum():
            suffix = text[end:_WORD_TAIL.match(text, end, end + 9).end()]
            if len(suffix) > 8 or not (star or suffix in self._suffixes):
                return None
        else:
            suffix = ""
            if "" not in self._suffixes and not star:
                return None
        if self._homographs and text[start:end] + suffix in self._homographs:
            return None
        return Hit(start, end, key, prefix, suffix)


def _leftmost_longest(found: list[Hit]) -> list[Hit]:
    """The hits left after overlaps are settled: the leftmost, and of those the longest."""
    if len(found) < 2:
        return found
    found.sort(key=lambda h: (h.start, h.start - h.end))
    kept: list[Hit] = []
    last_end = -1
    for hit in found:
        if hit.start >= last_end:
            kept.append(hit)
            last_end = hit.end
    return kept


class TermIndexes:
    """Several TermIndexes answered by one automaton pass: a report is read once for all its
    word lists (cues, actors, denials, goods, anaphora, outlets, modality), and each list keeps
    its own boundary rule and its own leftmost-longest choice.

    Parameters
    ----------
    indexes : dict of str to TermIndex
        The lists by name; :meth:`find` answers by the same names.
    """

    def __init__(self, indexes: dict[str, TermIndex]):
        self._indexes = dict(indexes)
        self._automaton = ahocorasick.Automaton()
        merged: dict[str, list[tuple[TermIndex, str, int, str, bool, bool]]] = {}
        for name, index in self._indexes.items():
            for text, value in index._words.items():
                merged.setdefault(text, []).append((index, name, *value))
        for text, values in merged.items():
            self._automaton.add_word(text, tuple(values))
        if merged:
            self._automaton.make_automaton()

    def find(self, text: str) -> dict[str, list[Hit]]:
        """Each list's hits in ``text``, as its own ``TermIndex.find`` gives them."""
        found: dict[str, list[Hit]] = {name: [] for name in self._indexes}
        if len(self._automaton):
            for end_index, values in self._automaton.iter(text):
                for index, name, length, key, star, lam in values:
                    hit = index._hit(text, end_index + 1, length, key, star, lam)
                    if hit is not None:
                        found[name].append(hit)
        return {name: _leftmost_longest(hits) for name, hits in found.items()}


@dataclass(frozen=True, slots=True)
class Actor:
    """An armed actor the extractor can name."""

    id: str
    name_ar: str
    name_en: str
    kind: str
    side: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every word list the event extractor needs, normalized and frozen."""

    cues: TermIndex
    priority: tuple[str, ...]
    not_after: dict[str, re.Pattern]
    negation: frozenset[str]
    negation_forms: frozenset[str]
    denial: TermIndex
    purpose: frozenset[str]
    hedges: frozenset[str]
    anaphora: dict[str, str]
    group_anaphora: frozenset[str]
    qaida_group_before: frozenset[str]
    qaida_base_after: frozenset[str]
    qaida_base_before: frozenset[str]
    goods: TermIndex
    temporal: frozenset[str]
    deploy_objects: frozenset[str]
    movement_nouns: frozenset[str]
    anaphora_index: TermIndex
    aside_re: re.Pattern
    route_continuations: frozenset[str]
    force_words: frozenset[str]
    carriers: frozenset[str]
    attack_not_before: frozenset[str]
    not_before: dict[str, frozenset[str]]
    smuggler_dealings: tuple[str, ...]
    casualty_words: frozenset[str]
    exposure: frozenset[str]
    actors: TermIndex
    actor_info: dict[str, Actor]
    speech_verbs: frozenset[str]
    opening_forms: frozenset[str]
    continuation_verbs: frozenset[str]
    preambles: tuple[str, ...]
    interview: tuple[str, ...]
    outlet_words: frozenset[str]
    outlet_anaphora: tuple[str, ...]
    known_outlets: TermIndex
    report_words: frozenset[str]
    official_words: frozenset[str]
    rank_words: frozenset[str]
    name_particles: frozenset[str]
    anonymous: tuple[str, ...]
    anonymous_heads: frozenset[str]
    residents: tuple[str, ...]
    residents_re: re.Pattern
    anonymous_re: re.Pattern
    official_re: re.Pattern
    official_sources: tuple[str, ...]
    statement_words: tuple[str, ...]
    org_words: frozenset[str]
    anaphora_sources: dict[str, str]
    freight: tuple[str, ...] = ()
    deportation: frozenset[str] = frozenset()
    about_verbs: frozenset[str] = frozenset()
    outlet_names: dict[str, str] = field(default_factory=dict)
    claim_terms: TermIndex | None = None
    # an interview or a statement told before its speaker («وفي بيان صدر أمس، قالت ...»)
    asides: tuple[str, ...] = ()
    # a post on someone's account («عبر حسابه على تويتر»): said in, like a statement, but not a body's
    posts: tuple[str, ...] = ()
    # the lists a report is scanned for, in one pass (built by load_lexicon)
    scan_index: TermIndexes | None = field(default=None, compare=False, repr=False)

    def find_terms(self, norm: str) -> dict[str, list[Hit]]:
        """Every scanned list's hits in the normalized text ``norm``, by list name (``cues``,
        ``actors``, ``denial``, ``goods``, ``anaphora_index``, ``known_outlets``, ``claim_terms``)."""
        if self.scan_index is not None:
            return self.scan_index.find(norm)
        return {name: index.find(norm) for name in _SCANNED
                if (index := getattr(self, name)) is not None}


# The lists every report is scanned for.
_SCANNED = ("cues", "actors", "denial", "goods", "anaphora_index", "known_outlets", "claim_terms")


def _read(path: Path) -> dict:
    """A JSON lexicon file, with a clear error when it is missing or broken."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"lexicon file not found: {str(path)!r}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"lexicon file {str(path)!r} is not valid UTF-8 JSON: {exc}") from None


def _aside_re(verbs: set[str]) -> re.Pattern:
    """A second speaker inside one sentence: «فيما قال ...», and «...، وقال سكان إن ...» when the
    verb names its own subject (not «، وقال في كلمة مصورة», the first speaker going on)."""
    verb = "(?:" + "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)) + r")(?!\w)"
    own_subject = (r"(?=\s+(?!(?:في|فقط|ايضا|خلال|عبر|عن|ان|انه|انها|انهم|بان|الي|علي|ل\S*)(?!\w))[^\s:«\"]\S*"
                   r"(?:\s+\S+){0,3}?\s+(?:ان|انه|انها|انهم|بان|بانه|بانها|بانهم)(?!\w))")
    # «...، وقبل ذلك، في مارس الماضي، أعلنت الوزارة أن ...»: a time aside, then the second speaker
    then = rf"(?<=[،,] )(?:و?(?:قبل|بعد) ذلك|ثم)[،,]\s*(?:[^،,.]{{1,30}}[،,]\s*)?{verb}{own_subject}"
    return re.compile(rf"(?<!\w)(?:فيما|بينما|في حين|وفي حين)\s+{verb}|(?<=[،,] )و{verb}{own_subject}|{then}")


def _norm_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


def _norm_tuple(words: Iterable[str]) -> tuple[str, ...]:
    # Longest first, so a scan that takes the first match takes the longest.
    return tuple(sorted({normalize(w) for w in words}, key=len, reverse=True))


def _goods_terms(goods) -> list[tuple[str, str]]:
    """Goods words keyed by kind; an older flat list counts as contraband."""
    if isinstance(goods, dict):
        return [(w, kind) for kind, words in goods.items() for w in words]
    return [(w, "contraband") for w in goods]


def _words_after(words: Iterable[str]) -> re.Pattern:
    """One pattern matching any of ``words`` where it starts: a trailing ``*`` lets any ending
    follow, else the word ends there («عن» is not the start of «عناصر»)."""
    forms = sorted(((normalize(w.rstrip("*")), w.endswith("*")) for w in words), key=lambda f: -len(f[0]))
    return re.compile("|".join(re.escape(f) + ("" if star else r"(?!\w)") for f, star in forms))


def _any_of(words: Iterable[str], *, before: str = "") -> re.Pattern:
    """One pattern that finds any of ``words`` (normalized), each after ``before``."""
    forms = sorted({normalize(w) for w in words}, key=len, reverse=True)
    return re.compile(re.escape(before) + "(?:" + "|".join(map(re.escape, forms)) + ")")


@cache
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Load and freeze ``cues.json``, ``actors.json`` and ``attribution.json`` from ``directory``.

    Parameters
    ----------
    directory : Path
        The folder holding the three files (``data/lexicon`` by default).

    Returns
    -------
    Lexicon

    Raises
    ------
    InputError
        When a file is missing or not valid JSON.
    """
    directory = Path(directory)
    cues = _read(directory / "cues.json")
    actors = _read(directory / "actors.json")
    attrib = _read(directory / "attribution.json")
    cue_terms = [(t, kind) for kind, words in cues["types"].items() for t in words]
    cue_terms += [(t, "movement") for t in cues.get("deportation", ())]   # the state moving people out
    info = {}
    actor_terms = []
    for a in actors["actors"]:
        info[a["id"]] = Actor(a["id"], a["name_ar"], a["name_en"], a["kind"], a["side"])
        for alias in (a["name_ar"], *a.get("aliases_ar", ()), *a.get("aliases_en", ())):
            if normalize(alias) == "القاعده":
                continue  # a base or the group: decided by context in geo.events.extract
            actor_terms.append((alias, a["id"]))
    anaphora = {normalize(w): kind for kind, words in cues["anaphora"].items() for w in words}
    lexicon = Lexicon(
        cues=TermIndex(cue_terms, prefixes=CUE_PREFIXES, suffixes=LIGHT_SUFFIXES,
                       homographs=cues.get("homographs", ())),
        priority=tuple(cues["priority"]),
        not_after={k: _words_after(v) for k, v in cues["not_after"].items()},
        negation=_norm_set(cues["negation"]),
        negation_forms=frozenset(c + w for w in _norm_set(cues["negation"]) for c in ("", "و", "ل")),
        denial=TermIndex(((w, "denial") for w in cues["denial"]), prefixes=CUE_PREFIXES,
                         suffixes=LIGHT_SUFFIXES),
        purpose=_norm_set(cues["purpose"]),
        hedges=_norm_set(cues["hedges"]),
        anaphora=anaphora,
        group_anaphora=_norm_set(cues["group_anaphora"]),
        qaida_group_before=_norm_set(cues["qaida_group_before"]),
        qaida_base_after=_norm_set(cues["qaida_base_after"]),
        qaida_base_before=_norm_set(cues["qaida_base_before"]),
        goods=TermIndex(_goods_terms(cues.get("goods", ())), prefixes=CUE_PREFIXES, suffixes=LIGHT_SUFFIXES),
        temporal=_norm_set(cues.get("temporal", ())),
        deploy_objects=_norm_set(w.rstrip("*") for w in cues.get("deploy_objects", ())),
        movement_nouns=_norm_set(cues.get("movement_nouns", ())),
        # «التنظيم» (the latest group) and «المدينة», «الأنابيب» (the latest place of that kind).
        anaphora_index=TermIndex([(w, "group") for w in cues["group_anaphora"]]
                                 + [(w, kind) for kind, words in cues["anaphora"].items() for w in words],
                                 prefixes=frozenset({"", "و", "ف", "ب", "ل"})),
        aside_re=_aside_re({normalize(w) for w in attrib["speech_verbs"]}),
        route_continuations=_norm_set(cues.get("route_continuations", ())),
        force_words=_norm_set(cues.get("force_words", ())),
        carriers=_norm_set(cues.get("carriers", ())),
        attack_not_before=_norm_set(cues.get("attack_not_before", ())),
        not_before={k: _norm_set(v) for k, v in cues.get("not_before", {}).items()},
        smuggler_dealings=_norm_tuple(w.rstrip("*") for w in cues.get("smuggler_dealings", ())),
        casualty_words=_norm_set(cues.get("casualty_words", ())),
        exposure=_norm_set(cues.get("exposure", ())),
        actors=TermIndex(actor_terms, prefixes=NAME_PREFIXES),
        actor_info=info,
        speech_verbs=_norm_set(attrib["speech_verbs"]),
        opening_forms=frozenset(c + w for w in _norm_set([*attrib["speech_verbs"], *attrib["continuation_verbs"],
                                                          *cues["hedges"]]) for c in ("", "و", "ف")),
        continuation_verbs=_norm_set(attrib["continuation_verbs"]),
        preambles=_norm_tuple(attrib["preambles"]),
        interview=_norm_tuple(attrib["interview"]),
        outlet_words=_norm_set(attrib["outlet_words"]),
        outlet_anaphora=_norm_tuple(attrib["outlet_anaphora"]),
        known_outlets=TermIndex(((w, w) for w in attrib["known_outlets"]), prefixes=NAME_PREFIXES),
        report_words=_norm_set(attrib["report_words"]),
        official_words=_norm_set(attrib["official_words"]),
        rank_words=_norm_set(attrib["rank_words"]),
        name_particles=_norm_set(attrib["name_particles"]),
        anonymous=_norm_tuple(attrib["anonymous"]),
        anonymous_heads=_norm_set(attrib["anonymous_heads"]),
        residents=_norm_tuple(attrib["residents"]),
        residents_re=_any_of(attrib["residents"], before=" "),
        anonymous_re=_any_of(attrib["anonymous"]),
        official_re=_any_of(attrib["official_sources"]),
        official_sources=_norm_tuple(attrib["official_sources"]),
        statement_words=_norm_tuple([*attrib.get("statement_words", ()), *attrib.get("posts", ())]),
        asides=_norm_tuple([*attrib["interview"], *attrib.get("statement_words", ()), *attrib.get("posts", ())]),
        posts=_norm_tuple(attrib.get("posts", ())),
        org_words=_norm_set(attrib.get("org_words", ())),
        anaphora_sources={normalize(w): kind for kind, words in attrib.get("anaphora_sources", {}).items()
                          for w in words},
        freight=_norm_tuple(w.rstrip("*") for w in cues.get("freight", ())),
        deportation=_norm_set(w.rstrip("*") for w in cues.get("deportation", ())),
        about_verbs=_norm_set(attrib.get("about_verbs", ())),
        outlet_names={normalize(form): name for name, forms in attrib.get("outlet_names", {}).items()
                      if not name.startswith("_") for form in (name, *forms)},
        # Modality words (key "mod|planned") and sub-type words (key "sub|attack|arrest") in one
        # automaton: one pass over a report finds both.
        claim_terms=TermIndex([(w, f"mod|{kind}") for kind, words in cues.get("modality", {}).items()
                               if not kind.startswith("_") for w in words]
                              + [(w, f"sub|{kind}|{label}") for kind, labels in cues.get("sub_types", {}).items()
                                 if not kind.startswith("_") for label, words in labels.items() for w in words],
                              prefixes=CUE_PREFIXES, suffixes=LIGHT_SUFFIXES),
    )
    scanned = {name: index for name in _SCANNED if (index := getattr(lexicon, name)) is not None}
    return dataclasses.replace(lexicon, scan_index=TermIndexes(scanned))


def actor_label(actor_id: str) -> str:
    """«ISIS (داعش)» for an actor id the lexicon knows, else the id itself: what a reader sees."""
    info = load_lexicon().actor_info.get(actor_id)
    return f"{info.name_en} ({info.name_ar})" if info is not None else actor_id


def outlet_name(outlet: str, lexicon: Lexicon | None = None) -> str:
    """The one name an outlet is kept under («الأناضول», «للأناضول» -> «وكالة الأناضول»); an
    outlet the list does not know is returned as written."""
    names = (lexicon or load_lexicon()).outlet_names
    key = _normalized_name(outlet)
    if key in names:
        return names[key]
    if key[:1] in "لب" and key[1:] in names:
        return names[key[1:]]
    return outlet


@lru_cache(maxsize=4096)
def _normalized_name(name: str) -> str:
    """Outlet names repeat across a report and a run: normalize each once."""
    return normalize(name).strip()
