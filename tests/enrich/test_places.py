"""Dateline places against a hand-labelled table of real agency dateline forms."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.enrich.gazetteer import gazetteer
from wiredesk.enrich.places import resolve
from wiredesk.enrich.types import Place
from wiredesk.formats import parse

TABLE = Path(__file__).with_name("datelines.tsv")
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
# Sample files whose dateline we labelled by reading the file, with the place it names.
SAMPLE_LABELS = {
    "LISTING_1_A_NewsML-G2_News_Item.xml": "Berlin|DE",
    "ap_anpa-3.tst": "Chatham|US",
    "1.4-ninjsExComplex1.json": "Grosseto|IT",
    "dpa_four_line.txt": "Geneva|CH",
    "ap_anpa-5.tst": "Honolulu|US",
    "IPTC7901_odd_charset.txt": "Munich|DE",
    "anpa-3.tst": "New York City|US",
    "nitf-ntb.xml": "Oslo|NO",
    "afp20.xml": "Strasbourg|FR",
    "tag_reuters.com_2018_newsml_MTZXEE13ZXCZES_2": "",
}


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _matches(place: Place, expected: str) -> bool:
    name, _, code = expected.partition("|")
    if place.country_code != code or place.geonameid is None:
        return False
    if _fold(place.name) == _fold(name):
        return True
    # The label may use another of the entry's names (Bangalore for Bengaluru).
    known = {c.geonameid for c in gazetteer().cities.get(name.casefold(), [])}
    country = gazetteer().countries.get(name.casefold())
    return place.geonameid in known or (
        country is not None and country.geonameid == place.geonameid
    )


def _right(dateline: str, agency: str, expected: str) -> bool:
    wanted = [e for e in expected.split(";") if e]
    got = resolve(dateline, agency=agency)  # an unresolved extra place counts against it
    return len(got) == len(wanted) and all(map(_matches, got, wanted))


def _rows() -> list[tuple[str, str, str]]:
    with TABLE.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = [(r[0], r[1], r[2]) for r in csv.reader(lines, delimiter="\t")]
    if SAMPLES.is_dir():
        for path in sorted(SAMPLES.rglob("*")):
            if path.name in SAMPLE_LABELS:
                for item in parse(path.read_bytes()).items:
                    rows.append((item.dateline, item.agency, SAMPLE_LABELS[path.name]))
    return rows


def test_places_table_accuracy() -> None:
    rows = _rows()
    assert len(rows) >= 200
    wrong = [(d, a, e) for d, a, e in rows if not _right(d, a, e)]
    accuracy = 1 - len(wrong) / len(rows)
    print(f"\nplaces: {len(rows) - len(wrong)}/{len(rows)} datelines right ({accuracy:.1%})")
    for dateline, agency, expected in wrong:
        got = [(p.name, p.country_code) for p in resolve(dateline, agency=agency)]
        print(f"  wrong: {dateline!r} {agency}: want {expected}, got {got}")
    assert accuracy >= 0.95


def test_places_seed_dateline() -> None:
    kabul, delhi = resolve("Kabul/New Delhi, Sep 1", agency="PTI")
    assert (kabul.text, kabul.name, kabul.country_code) == ("Kabul", "Kabul", "AF")
    assert (delhi.text, delhi.name, delhi.country_code) == ("New Delhi", "New Delhi", "IN")
    assert kabul.geonameid == 1138958 and delhi.geonameid == 1261481  # GeoNames ids
    assert kabul.latitude == pytest.approx(34.53, abs=0.1)
    assert kabul.longitude == pytest.approx(69.17, abs=0.1)
    assert delhi.latitude == pytest.approx(28.61, abs=0.1)
    assert delhi.longitude == pytest.approx(77.21, abs=0.1)
    assert kabul.slug == "kabul-1138958"


def test_places_qualifiers_and_agency_home() -> None:
    (fort,) = resolve("FORT WASHINGTON, Pa.", agency="AP")
    assert (fort.text, fort.country_code, fort.admin1) == (
        "FORT WASHINGTON, Pa.",
        "US",
        "Pennsylvania",
    )
    (bengaluru,) = resolve("Bengaluru (Karnataka) [India], June 4", agency="ANI")
    assert bengaluru.text == "Bengaluru (Karnataka) [India]"
    assert bengaluru.country_code == "IN"
    (dc,) = resolve("WASHINGTON", agency="AP")
    assert dc.admin1 == "District of Columbia"
    # The same name goes elsewhere when the agency is at home elsewhere.
    assert resolve("MOSCOW, Idaho", agency="AP")[0].country_code == "US"
    assert resolve("ST. PETERSBURG", agency="TASS")[0].country_code == "RU"


def test_places_unresolved_stays_as_text_and_located_follow() -> None:
    places = resolve("Xqzzyville, Oct 2", ["Kabul", "Berlin", "Nowhere Atoll"], agency="dpa")
    assert [(p.text, p.source, p.resolved) for p in places] == [
        ("Xqzzyville", "dateline", False),
        ("Kabul", "located", True),
        ("Berlin", "located", True),
        ("Nowhere Atoll", "located", False),
    ]
    # No geonameid twice: the located Kabul repeats the dateline's.
    assert [p.source for p in resolve("Kabul", ["Kabul", "KABUL"])] == ["dateline"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=120),
    st.lists(st.text(max_size=40), max_size=3),
    st.sampled_from(["", "AP", "PTI", "dpa", "Reuters", "xyz"]),
)
def test_places_never_raise_and_text_is_the_input(
    dateline: str, located: list[str], agency: str
) -> None:
    for place in resolve(dateline, located, agency):
        assert place.text
        assert place.text in dateline or any(place.text in loc for loc in located)
