"""The gazetteer index: names in Indian scripts, the folding of their spellings, and a build
that any number of processes may start at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiredesk.enrich.gazetteer import ensure_index, gazetteer
from wiredesk.enrich.places import resolve
from wiredesk.scripts import fold, fold_name

KABUL, NEW_DELHI, DELHI, MUMBAI, CHENNAI = 1138958, 1261481, 1273294, 1275339, 1264527


def _ids(dateline: str, agency: str = "PTI") -> list[int | None]:
    return [p.geonameid for p in resolve(dateline, agency=agency)]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("काबुल", [KABUL]),  # Hindi
        ("नयी दिल्ली", [NEW_DELHI]),  # PTI Bhasha's spelling
        ("नई दिल्ली", [NEW_DELHI]),  # GeoNames' spelling
        ("काबुल/नयी दिल्ली", [KABUL, NEW_DELHI]),
        ("दिल्ली", [DELHI]),
        ("मुंबई", [MUMBAI]),
        ("मुम्बई", [MUMBAI]),
        ("کابل", [KABUL]),  # Urdu
        ("كابل", [KABUL]),  # Urdu sent with Arabic kaf
        ("دہلی", [DELHI]),
        ("காபூல்", [KABUL]),  # Tamil
        ("சென்னை", [CHENNAI]),
        ("புது தில்லி", [NEW_DELHI]),
        ("কাবুল", [KABUL]),  # Bengali
        ("নয়া দিল্লী", [NEW_DELHI]),
    ],
)
def test_indian_script_names_resolve(written: str, expected: list[int]) -> None:
    assert _ids(written) == expected
    # The same name in decomposed form (as some systems send it) is the same place.
    assert _ids(unicodedata.normalize("NFD", written)) == expected


def test_nukta_and_joiners_fold() -> None:
    # क़ precomposed (U+0958), decomposed (क + ़) and without the nukta are one key.
    assert fold("\u0958") == fold("\u0915\u093c") == "\u0915"
    assert fold("ज़रूर") == fold("जरूर")
    assert fold("ലഖ്\u200cനൗ") == "ലഖ്നൗ"
    assert fold_name("नयी दिल्ली") == fold_name("नई दिल्ली")
    assert fold_name("गये") == fold_name("गए")
    # Latin keys are what casefold() gave before: accents stay (München is not Munchen).
    assert fold_name("München") == "münchen"


@given(st.text(max_size=30))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_country_names_in_indian_scripts() -> None:
    gaz = gazetteer()
    assert gaz.countries[fold_name("भारत")].code == "IN"
    assert [p.name for p in resolve("भारत")] == ["India"]


def test_lookup_is_an_indexed_query() -> None:
    db = sqlite3.connect(f"file:{gazetteer().path}?mode=ro", uri=True)
    plan = " ".join(
        str(row)
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT geonameid FROM names WHERE key = ?", ("kabul",)
        )
    )
    assert "SEARCH" in plan and "SCAN" not in plan


_CHILD = "from wiredesk.enrich.places import resolve; print(resolve('काबुल/नयी दिल्ली')[1].geonameid)"


def test_several_processes_build_one_index(tmp_path: Path) -> None:
    """Three fresh processes ask for a missing index at once: one builds it, every one
    resolves, and no temporary file is left behind."""
    target = tmp_path / "cache" / "gazetteer.sqlite3"
    env = {**os.environ, "WIREDESK_GAZETTEER": str(target)}
    children = [
        subprocess.Popen([sys.executable, "-c", _CHILD], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [child.communicate(timeout=300)[0].strip() for child in children]
    assert outputs == [str(NEW_DELHI)] * 3
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "gazetteer.sqlite3",
        "gazetteer.sqlite3.lock",
    ]
    # The build is whole: a second open finds it and builds nothing.
    assert ensure_index(target) == target


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("काबुल/नयी दिल्ली, एक सितंबर", [KABUL, NEW_DELHI]),
        ("नयी दिल्ली, १२ जून", [NEW_DELHI]),
        ("मुंबई, 12 जून (आईएएनएस)", [MUMBAI]),
        ("کابل، یکم ستمبر", [KABUL]),
        ("சென்னை, ஜூன் 12", [CHENNAI]),
        ("কাবুল, ১ সেপ্টেম্বর", [KABUL]),
    ],
)
def test_indian_language_datelines_lose_their_date(dateline: str, expected: list[int]) -> None:
    places = resolve(dateline, agency="PTI")
    assert [p.geonameid for p in places] == expected
    assert not any(p.geonameid is None for p in places)
