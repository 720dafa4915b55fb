"""The words the geoparser reads around a place name, from ``data/geoparse/lexicon.json``.

Cue words and their kinds, directions, distances, qualifier phrases, false friends (person
titles and first names, common words, organisation heads, outlets) — loaded and normalized
once, with the small word tests the parser shares.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from geo.text.normalize import normalize

LEXICON_PATH = Path(__file__).resolve().parents[2] / "data" / "geoparse" / "lexicon.json"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The lexicon, normalized once."""

    cue_kinds: dict[str, frozenset[str]]
    directions: dict[str, str]
    near: re.Pattern
    along: re.Pattern
    inside: re.Pattern
    direction: re.Pattern
    distance: re.Pattern
    between: re.Pattern
    between_tail: re.Pattern
    units: dict[str, float]
    common_words: frozenset[str]
    person_words: frozenset[str]
    not_places: tuple[str, ...]
    triggers: frozenset[str]
    country_parts: dict[tuple[str, str], str]
    the_country: tuple[str, ...]
    place_prepositions: frozenset[str]
    name_like: frozenset[str]
    outlet_before: frozenset[str]
    outlet_after: frozenset[str]
    outlet_after_weak: frozenset[str]
    bare_regions: dict[str, str]
    bare_after: frozenset[str]
    institution_after: frozenset[str]
    org_heads: frozenset[str]
    org_weak: frozenset[str]
    org_stop: frozenset[str]
    org_complete: frozenset[str]
    org_any: re.Pattern
    # the same words in one automaton, to find every head in a text at once (None: the words
    # include an empty one, which the pattern finds everywhere)
    org_finder: ahocorasick.Automaton | None = None
    # (qualifier, pattern, reach, needs): the qualifier patterns in the order they are tried,
    # each with the longest text it can match (None: unbounded), so a search starts no earlier
    # than a match could, and a pattern the text must hold for it to match at all (or None)
    qualifiers: tuple[tuple[str, re.Pattern, int | None, re.Pattern | None], ...] = ()
    org_all: frozenset[str] = frozenset()   # org_heads | org_weak


def _normal_set(words) -> frozenset[str]:
    """Normalized words as a set."""
    return frozenset(normalize(w).strip() for w in words)


def name_forms(name: str) -> tuple[str, ...]:
    """A name with and without its article; «لمعسكر» (after لل) is «المعسكر»."""
    if name.startswith("ال"):
        return name, name[2:]
    if name.startswith("ل"):
        return name, "ا" + name, name[1:]
    return name, "ال" + name


def _alternation(words) -> str:
    """A regex alternation of normalized words, longest first."""
    normed = sorted({normalize(w).strip() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in normed)


def _reach(pattern: re.Pattern) -> int | None:
    """The longest text ``pattern`` can match, or None when it is unbounded (or unknown)."""
    try:
        from re import _parser as sre_parse
    except ImportError:     # Python < 3.11
        import sre_parse
    try:
        width = sre_parse.parse(pattern.pattern, pattern.flags).getwidth()[1]
    except Exception:  # noqa: BLE001 - a private API: without it, search the whole window
        return None
    return width if width < sre_parse.MAXREPEAT else None


def _finder(words: list[str]) -> ahocorasick.Automaton | None:
    """An automaton over ``words`` whose values are their lengths; None if one is empty."""
    if not words or "" in words:
        return None
    automaton = ahocorasick.Automaton()
    for w in words:
        automaton.add_word(w, len(w))
    automaton.make_automaton()
    return automaton


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Load and compile the lexicon once per path."""
    lexicon = _load_lexicon(path)
    order = ("distance", "direction", "near", "along", "between", "inside")
    needs = {"distance": re.compile(r"\d")}    # a distance is a number of units
    return dataclasses.replace(
        lexicon, org_all=lexicon.org_heads | lexicon.org_weak,
        qualifiers=tuple((name, getattr(lexicon, name), _reach(getattr(lexicon, name)), needs.get(name))
                         for name in order))


def _load_lexicon(path: Path) -> Lexicon:
    """The lexicon at ``path``, compiled."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    org_words = [normalize(w).strip().removeprefix("ال")
                 for w in raw["organisation_heads"]["words"] + raw["organisation_heads"]["weak"]]
    cue_kinds = {normalize(k).strip(): frozenset(v) for k, v in raw["cue_kinds"].items()}
    directions = {normalize(k).strip(): v for k, v in raw["directions"].items()}
    cue = _alternation(cue_kinds)
    clitic = r"(?:[وف]?(?:ب|ل|ك)?)"
    # Each qualifier regex is matched against the text that ends where the name begins.
    opt_cue = rf"(?:(?:{clitic}(?:ال)?)?(?:{cue}) )?"
    word_start = r"(?:^|(?<=[\s،,.:؛;«»\"'()\[\]-]))"
    dir_word = rf"(?:ال)?(?:{_alternation(directions)})"
    dir_phrase = rf"(?P<dir1>{dir_word})(?: (?P<dir2>{dir_word}))?"
    units = {normalize(k).strip(): v for k, v in raw["distance_units"].items()}
    unit_alt = _alternation(units)
    return Lexicon(
        cue_kinds=cue_kinds,
        directions=directions,
        near=re.compile(rf"{word_start}{clitic}(?:في )?(?:{_alternation(raw['near'])}) {opt_cue}$"),
        along=re.compile(rf"{word_start}{clitic}(?:في )?(?:{_alternation(raw['along'])}) {opt_cue}$"),
        inside=re.compile(rf"{word_start}{clitic}(?:في )?(?:{_alternation(raw['inside'])}) {opt_cue}$"),
        direction=re.compile(
            rf"{word_start}(?:{clitic}|في |الى )?(?:ال)?{dir_phrase} (?:من )?{opt_cue}$"),
        distance=re.compile(
            rf"{word_start}(?:{clitic}(?:علي )?(?:بعد|مسافه) (?:نحو |حوالي |قرابه )?)?"
            rf"(?P<num>\d+(?:[.,]\d+)?) ?(?P<unit>{unit_alt})"
            rf"(?: (?:الى )?{dir_phrase})?(?: (?:من|عن))? {opt_cue}$"),
        between=re.compile(rf"{word_start}{clitic}(?:ما )?بين {opt_cue}$"),
        between_tail=re.compile(rf"^ ?(?:، ?)?و{opt_cue}"),
        units=units,
        common_words=frozenset(normalize(w).strip() for w in raw["common_words"]),
        person_words=_normal_set(raw["person_titles"] + raw["first_names"]),
        not_places=tuple(raw["not_places"]),
        the_country=tuple(raw["the_country"]["words"]),
        place_prepositions=_normal_set(raw["place_prepositions"]["words"]),
        name_like=_normal_set(raw["place_prepositions"]["name_like"]),
        outlet_before=_normal_set(raw["outlet_context"]["before"]),
        outlet_after=_normal_set(raw["outlet_context"]["after"]),
        # A head ending in ة has its dual in construct too: مديرية -> مديريتي.
        institution_after=_normal_set(raw["outlet_context"].get("institution_after", ())),
        org_heads=_normal_set(raw["organisation_heads"]["words"])
        | {normalize(w).strip()[:-1] + "تي" for w in raw["organisation_heads"]["words"]
           if normalize(w).strip().endswith("ه") and " " not in w},
        org_weak=_normal_set(raw["organisation_heads"]["weak"]),
        org_stop=_normal_set(raw["organisation_heads"]["stop"]),
        org_complete=_normal_set(w for name in raw["organisation_heads"]["complete"] for w in name.split()),
        # Any head or weak head as a substring: a cheap test before the word-by-word chain.
        org_any=re.compile("|".join(sorted(map(re.escape, org_words), key=len, reverse=True))),
        org_finder=_finder(org_words),
        outlet_after_weak=_normal_set(raw["outlet_context"]["after_weak"]),
        bare_regions={normalize(k).strip(): v for k, v in raw["bare_regions"]["words"].items()},
        bare_after=frozenset(normalize(w).strip() for w in raw["bare_regions"]["after"]),
        country_parts={(country, direction): region
                       for country, parts in raw.get("country_parts", {}).items() if not country.startswith("_")
                       for direction, region in parts.items()},
        triggers=frozenset(
            normalize(phrase).split()[-1]
            for phrase in (*raw["near"], *raw["along"], *raw["inside"], *raw["directions"],
                           *raw["distance_units"], "بين", "من", "عن")
        ),
    )


PUNCT = "«»\"'()[]،,.:؛;-"
QUOTES_OFF = str.maketrans({c: " " for c in "«»\"'“”„‘’"})
CLITICS = "وفبلك"


def word_in(word: str, vocab) -> str | None:
    """``word`` (or it without up to two proclitics and an article) if it is in ``vocab``."""
    w = word.strip(PUNCT)
    for cut in range(3):
        if cut and (len(w) < cut or w[cut - 1] not in CLITICS):
            break
        c = w[cut:]
        if c in vocab:
            return c
        if c.startswith("ال") and c[2:] in vocab:
            return c[2:]
    return None


def looks_like_verb(word: str) -> bool:
    """A past or present verb by its shape (دخلت، وصلوا، يتجه، تتمركز): it ends a name chain.
    Nouns end in ه (ة normalized) or ات; names of bodies are listed heads, checked first."""
    return ((word.endswith("ت") and not word.endswith("ات")) or word.endswith("وا")
            or (word[:1] in "يت" and len(word) >= 3))
