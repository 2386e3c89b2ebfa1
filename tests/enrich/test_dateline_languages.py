"""Places from datelines in every language the openings grammar reads: the date goes, in the
language it is written in, and what is left is the place (issue 19 item 1, issue 21 item 3)."""

from __future__ import annotations

import pytest

from wiredesk.enrich.places import resolve


@pytest.mark.parametrize(
    ("dateline", "agency", "name", "code", "text"),
    [
        ("Bruselas, 16 ene", "EFE", "Brussels", "BE", "Bruselas"),
        ("Madrid, 3 mar", "EFE", "Madrid", "ES", "Madrid"),
        ("ROMA, 12 GIU", "ANSA", "Rome", "IT", "ROMA"),
        ("PARIS, 9 janv 2026", "AFP", "Paris", "FR", "PARIS"),
        ("Berlin", "dpa", "Berlin", "DE", "Berlin"),
        ("Lisboa, 16 de janeiro de 2020", "Lusa", "Lisbon", "PT", "Lisboa"),
        ("AMSTERDAM, 3 maart", "ANP", "Amsterdam", "NL", "AMSTERDAM"),
        ("Helsinki, 16. tammikuuta", "STT", "Helsinki", "FI", "Helsinki"),
        ("Stockholm, 3 mars", "TT", "Stockholm", "SE", "Stockholm"),
        ("TORONTO, June 09, 2020", "", "Toronto", "CA", "TORONTO"),
    ],
)
def test_the_date_of_any_language_is_not_part_of_the_place(
    dateline: str, agency: str, name: str, code: str, text: str
) -> None:
    (place,) = resolve(dateline, agency=agency)
    assert (place.name, place.country_code, place.text) == (name, code, text)


@pytest.mark.parametrize(
    ("dateline", "texts"),
    [
        ("काबुल/नयी दिल्ली, एक सितंबर", ["काबुल", "नयी दिल्ली"]),
        ("श्रीनगर, १२ जून", ["श्रीनगर"]),
        ("نئی دہلی، یکم ستمبر", ["نئی دہلی"]),
        ("نيقوسيا, 25-11-2023 (أ ف ب) -", ["نيقوسيا"]),
    ],
)
def test_places_in_other_scripts_are_the_names_alone(dateline: str, texts: list[str]) -> None:
    # Whether a name resolves is the gazetteer's; the place text is the name, without its date.
    assert [p.text for p in resolve(dateline)] == texts
