"""Places from a story's dateline and its format's location fields, resolved offline.

"Kabul/New Delhi, Sep 1" is two places; "Bengaluru (Karnataka) [India], June 4" is one,
with qualifiers that say which Bengaluru; "FORT WASHINGTON, Pa." is one with an AP state
abbreviation. A name that could be several places goes to the country the dateline names,
else to the agency's home country (unless a far larger place or a capital is meant), else to
the most populous. A name that does not resolve stays as text: a Place without a geonameid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wiredesk.enrich.gazetteer import City, Country, Gazetteer, gazetteer
from wiredesk.enrich.regions import AGENCY_HOME, INDIAN_STATES, US_STATES
from wiredesk.enrich.types import Place, PlaceSource
from wiredesk.formats.openings import dateline_place
from wiredesk.scripts import fold_name

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    # French and German desks: "10 juil 2024", "3. März".
    r"|janv(?:ier)?|f[ée]vr?(?:ier)?|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|d[ée]c(?:embre)?"
    r"|januar|februar|m[äa]rz|juni|juli|oktober|dezember)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
# A comma-separated dateline part that is a date: "Sep 1", "Aug 29", "2014", "Dec. 9", "Monday".
_DATE_PART = re.compile(
    rf"^\s*(?:{_WEEKDAY}\s*)?(?:{_MONTH}\s*\d{{0,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTH}"
    rf"|\d{{4}}|\d{{1,2}}\.\d{{1,2}}\.(?:\d{{2,4}})?|{_WEEKDAY})(?:\s+\d{{4}})?(?:\s*\([^()]*\))?\s*$",
    re.IGNORECASE,
)
# Month names in Indian-language copy (Hindi and Marathi, Urdu, Tamil, Bengali): a dateline
# part holding one ("एक सितंबर", "१२ जून", "12 جون") is the date, whatever the day is written as.
_INDIC_MONTHS = (
    "जनवरी फरवरी फ़रवरी मार्च अप्रैल अप्रेल मई जून जुलाई अगस्त सितंबर सितम्बर अक्तूबर अक्टूबर "
    "नवंबर नवम्बर दिसंबर दिसम्बर "
    "جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر "
    "ஜனவரி பிப்ரவரி மார்ச் ஏப்ரல் மே ஜூன் ஜூலை ஆகஸ்ட் செப்டம்பர் அக்டோபர் நவம்பர் டிசம்பர் "
    "জানুয়ারি ফেব্রুয়ারি মার্চ এপ্রিল মে জুন জুলাই আগস্ট সেপ্টেম্বর অক্টোবর নভেম্বর ডিসেম্বর"
)
_INDIC_DATE_PART = re.compile(
    r"^\s*(?:\S+\s+)?(?:" + "|".join(_INDIC_MONTHS.split()) + r")(?:\s+\S+)?(?:\s*\([^()]*\))?\s*$"
)
_QUALIFIER = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
# What follows the place in an opening line: an em dash, "(Reuters) -", a double hyphen.
_TAIL = re.compile(r"\s+(?:[-\u2013\u2014]{1,2}|\()\s*.*$|\s*[-\u2013\u2014]{1,2}\s*$", re.DOTALL)
# A far larger namesake abroad beats a small one at home: Dublin for AP is Ireland's.
_HOME_RATIO = 10
_EXACT_RATIO = 20
_RIVERS = {"main": "{} am Main", "oder": "{} (Oder)", "saale": "{} (Saale)", "m.": "{} am Main"}
_MAX_INPUT = 200


def resolve(dateline: str, located: Sequence[str] = (), agency: str = "") -> list[Place]:
    """The places a story names: dateline places first, then location fields, one per id."""
    gaz = gazetteer()
    home = AGENCY_HOME.get(agency.strip().casefold(), "")
    places: list[Place] = []
    seen: set[int] = set()
    found: list[tuple[Part, PlaceSource]] = [(p, "dateline") for p in _dateline_parts(dateline)]
    found += [(p, "located") for p in _located_parts(located)]
    for (text, name, qualifiers), source in found:
        place = _resolve_one(gaz, text, name, qualifiers, home, source)
        if place.geonameid is not None:
            if place.geonameid in seen:
                continue
            seen.add(place.geonameid)
        elif any(p.text == place.text for p in places):
            continue
        places.append(place)
    return places


Part = tuple[str, str, list[str]]  # text as written, the name, its qualifiers


def _dateline_parts(dateline: str) -> list[Part]:
    # The openings grammar knows the dates of every language it reads ("16 ene", "एक सितंबर",
    # "25-11-2023") and any credit after them; what is left is the place part. Urdu copy
    # separates with the Arabic comma; it separates here as "," does.
    head = dateline_place(dateline[:_MAX_INPUT]).replace("\u060c", ",")
    segments = head.split(",")
    kept: list[str] = []
    for segment in segments:
        if _DATE_PART.match(segment) or _INDIC_DATE_PART.match(segment) or not segment.strip():
            break
        kept.append(segment)
    if not kept:
        return []
    core = ",".join(kept)
    core = _TAIL.sub("", core) if _QUALIFIER.search(core) is None else core
    first, _, rest = core.partition(",")
    trailing = [q.strip() for q in rest.split(",") if q.strip()] if rest else []
    pieces: list[str] = []
    for piece in first.split("/"):
        # dpa's "Frankfurt/Main" and "Halle/Saale" are one town named by its river.
        if pieces and piece.strip().casefold() in _RIVERS:
            pieces[-1] += "/" + piece
        elif piece.strip():
            pieces.append(piece)
    parts: list[Part] = []
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        text = (piece + ("," + rest if last and rest else "")).strip()
        parts.append(_part(text, piece, trailing))
    return parts


def _located_parts(located: Sequence[str]) -> list[Part]:
    parts: list[Part] = []
    for raw in located:
        text = raw[:_MAX_INPUT].strip()
        if not text:
            continue
        first, _, rest = text.partition(",")
        parts.append(_part(text, first, [q.strip() for q in rest.split(",") if q.strip()]))
    return parts


def _part(text: str, piece: str, trailing: list[str]) -> Part:
    qualifiers = [a or b for a, b in _QUALIFIER.findall(piece)]
    name = _QUALIFIER.sub(" ", piece)
    name = " ".join(name.split()).strip(" .;:-")
    town, _, river = name.partition("/")
    form = _RIVERS.get(river.strip().casefold())
    if form:
        name = form.format(town.strip())
    return text, name, [q.strip() for q in qualifiers if q.strip()] + trailing


def _resolve_one(
    gaz: Gazetteer, text: str, name: str, qualifiers: list[str], home: str, source: PlaceSource
) -> Place:
    country_hint, state_hint = "", ""
    for qualifier in qualifiers:
        key = fold_name(qualifier)
        country = gaz.countries.get(key) or gaz.countries.get(key.rstrip("."))
        if country is not None:
            country_hint = country_hint or country.code
        elif key in US_STATES:
            country_hint, state_hint = "US", US_STATES[key]
        elif key in INDIAN_STATES:
            country_hint = country_hint or "IN"
    key = fold_name(name)
    if not key:
        return Place(text=text, source=source)
    country = gaz.countries.get(key)
    if country is not None and not qualifiers:
        return _country_place(text, country, source)
    candidates = _candidates(gaz, key)
    if state_hint:
        candidates = [c for c in candidates if c.admin1_code == state_hint]
    if country_hint:
        candidates = [c for c in candidates if c.country_code == country_hint]
    city = _pick(gaz, candidates, home, key)
    if city is None:
        if country is not None:
            return _country_place(text, country, source)
        return Place(text=text, source=source)
    admin1 = gaz.us_states.get(city.admin1_code, "") if city.country_code == "US" else ""
    return Place(
        text=text,
        source=source,
        geonameid=city.geonameid,
        name=city.name,
        country_code=city.country_code,
        admin1=admin1,
        latitude=city.latitude,
        longitude=city.longitude,
    )


def _candidates(gaz: Gazetteer, key: str) -> list[City]:
    found = gaz.cities.get(key)
    if found:
        return found
    # Agency spellings GeoNames indexes differently: "St. Louis", "Ft. Worth", "Mt. Abu".
    for short, full in (
        ("st. ", "saint "),
        ("st ", "saint "),
        ("ft. ", "fort "),
        ("mt. ", "mount "),
    ):
        if key.startswith(short):
            found = gaz.cities.get(full + key[len(short) :]) or gaz.cities.get(key.replace(".", ""))
            if found:
                return found
    return gaz.cities.get(key.replace(".", ""), [])


def _pick(gaz: Gazetteer, candidates: list[City], home: str, key: str) -> City | None:
    if not candidates:
        return None
    # A place of exactly that name beats one that only lists it among its alternate names
    # (Islamabad is not Chattogram's old name), unless that one is far larger (Moscow).
    exact = [c for c in candidates if fold_name(c.name) == key]
    biggest = max(c.population for c in candidates)
    if exact and biggest <= _EXACT_RATIO * max(c.population for c in exact):
        candidates = exact
    elif not exact and max(key) >= "\u0250":
        # Written in another script: the place whose own name that is there, whatever its
        # size (नई दिल्ली is New Delhi's only Devanagari name; Delhi lists it beside दिल्ली).
        own = gaz.own(key)
        candidates = [c for c in candidates if c.geonameid in own] or candidates
    chosen = max(candidates, key=lambda c: c.population)
    at_home = [c for c in candidates if c.country_code == home]
    if at_home and chosen.country_code != home:
        local = max(at_home, key=lambda c: c.population)
        abroad_capital = chosen.geonameid in gaz.capitals and local.geonameid not in gaz.capitals
        if not abroad_capital and chosen.population <= _HOME_RATIO * local.population:
            chosen = local
    # In the chosen country, a place of that very name beats one that merely has it as an
    # alternate: "New Delhi" is New Delhi, not Delhi.
    exact = [
        c for c in candidates if c.country_code == chosen.country_code and fold_name(c.name) == key
    ]
    return max(exact, key=lambda c: c.population) if exact else chosen


def _country_place(text: str, country: Country, source: PlaceSource) -> Place:
    return Place(
        text=text,
        source=source,
        geonameid=country.geonameid,
        name=country.name,
        country_code=country.code,
    )
