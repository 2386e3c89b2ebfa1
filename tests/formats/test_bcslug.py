"""Wire text under a BC- slug line (Kyodo, AP's older services), from fixtures in that shape."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialects
from conftest import FIXTURES
from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import bcslug
from wiredesk.types import Item

KYODO = FIXTURES / "dialects" / "kyodo-bcslug.txt"
AP = FIXTURES / "dialects" / "ap-bcslug.txt"


def only_item(data: bytes) -> Item:
    return dialects.only_item(data, "bcslug")


def test_kyodo_copy_is_read_field_by_field() -> None:
    item = only_item(KYODO.read_bytes())
    assert item.headline == "Urawa win Emperor's Cup on penalties"
    assert item.dateline == "SAITAMA, Japan, Dec. 9"
    assert item.agency == "Kyodo"
    assert item.slugline == "BC-Soccer-Emperor's-Cup"
    assert item.paragraphs == [
        "Urawa Reds beat Kawasaki Frontale 5-4 on\npenalties after a 1-1 draw to lift the "
        "Emperor's Cup on Saturday, their first\ntitle since 2021.",
        "The winning kick came from a substitute who had not scored all season,\nand the  home "
        "end sang for an hour afterwards.",
        '"We never stopped believing," the captain said.',
    ]
    assert (item.urgency, item.category, item.version) == (3, "Sport", "1")
    assert item.uri == "urn:wiredesk:bcslug:09-12:soccer-emperor-s-cup"


def test_older_ap_copy_with_notes_byline_and_trailer() -> None:
    item = only_item(AP.read_bytes())
    assert item.headline == "Storm knocks out power to thousands"
    assert item.byline == "By JANE DOE Associated Press Writer"
    assert item.ednote == "Eds: UPDATES with utility figures, new quote."
    assert item.dateline == "OKLAHOMA CITY"
    assert item.agency == "AP"
    assert item.paragraphs == [
        "A line of storms knocked out power to more than\n40,000 homes overnight, the state's "
        "largest utility said Thursday.",
        "Crews from three states were on their way, a spokesman said. ``We'll\nwork until "
        "every light is back on,'' he said.",
    ]
    assert item.versioncreated == datetime(
        2026, 9, 12, 14, 23, tzinfo=timezone(timedelta(hours=-4))
    )
    assert (item.version, item.signals) == ("2", ["1stLd-Writethru", "update"])


def test_a_writethru_is_a_newer_version_of_the_same_story_and_a_kill_kills_it() -> None:
    first = only_item(AP.read_bytes().replace(b" 1stLd-Writethru", b""))
    writethru = only_item(AP.read_bytes())
    kill = only_item(AP.read_bytes().replace(b"1stLd-Writethru", b"Kill"))
    assert first.uri == writethru.uri == kill.uri
    assert (first.version, writethru.version) == ("1", "2")
    assert kill.pubstatus == "canceled" and "kill" in kill.signals


def test_a_headline_without_its_mark_is_the_line_before_the_story() -> None:
    item = only_item(KYODO.read_bytes().replace(b"penalties +\n", b"penalties\n"))
    assert item.headline == "Urawa win Emperor's Cup on penalties"
    assert item.paragraphs[0].startswith("Urawa Reds beat")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"kyo1\nu s BC-Soccer   09-12 0344\nBC-Soccer\n", "no headline"),
        (b"kyo1\nu s BC-Soccer   09-12 0344\nBC-Soccer\nHeadline +\n==Kyodo\n", "no body text"),
    ],
)
def test_a_missing_part_is_named_with_the_nearest_format(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=f"BC- slug wire text: {reason}"):
        formats.parse(data)


def test_sniff_wants_the_slug_line_near_the_top() -> None:
    assert bcslug.sniff(KYODO.read_bytes(), None)
    assert bcslug.sniff(KYODO.read_bytes().split(b"\n", 1)[1], None)
    assert not bcslug.sniff(b"DEL12 NAT-MONSOON\nMonsoon\n\nNew Delhi, June 1 (PTI) Rain.\n", None)
    assert not bcslug.sniff(
        b"\x16\x16\x01z1234\x1fglbsm\r\nr a BC-US--Monsoon  06-01 0400\r\n", None
    )


# A last line that is only an end mark ("END", "==Kyodo") is the agency's marker, not text.
_END_MARKS = {"END", "(END)", "ENDIT", "MORE", "(MORE)"}
_PARAGRAPH = dialects.LINE.filter(lambda p: p.upper() not in _END_MARKS and not p.startswith("="))


@settings(max_examples=80, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=4))
def test_any_body_comes_out_as_it_went_in(paragraphs: list[str]) -> None:
    body = "\n    ".join(paragraphs)
    data = (
        "kyo0417\nu s BC-Soccer-Cup   09-12 0344\nBC-Soccer-Cup\nCup headline +\n"
        f"    SAITAMA, Japan, Dec. 9 Kyodo - {body}\n==Kyodo\n"
    ).encode()
    item = only_item(data)
    assert (item.headline, item.dateline) == ("Cup headline", "SAITAMA, Japan, Dec. 9")
    assert item.body_text == "\n\n".join(paragraphs)
