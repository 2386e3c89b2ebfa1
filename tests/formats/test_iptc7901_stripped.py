"""IPTC 7901 whose SOH, STX and ETX a relay stripped (dpa's English service): found by shape."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialects
from conftest import FIXTURES, samples
from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import iptc7901_stripped
from wiredesk.types import Item

FIXTURE = FIXTURES / "dialects" / "dpa-english-7901.txt"
CONTROL = re.compile(rb"[\x01\x02\x03\x04\x7f]")


def only_item(data: bytes) -> Item:
    return dialects.only_item(data, "iptc7901-stripped")


def test_the_dpa_english_shape_is_read_field_by_field() -> None:
    item = only_item(FIXTURE.read_bytes())
    assert item.headline == "Britain and EU agree on fishing quotas after all-night talks"
    assert item.byline == "By Anna Beispiel, dpa"
    assert item.dateline == "Luxembourg"
    assert item.agency == "dpa"
    assert item.slugline == "politics/Britain/EU"
    assert item.paragraphs == [
        "Britain and the European Union agreed on fishing\nquotas for next year early on "
        "Tuesday, after talks that ran through\nthe night, officials on both sides said.",
        "The deal sets catch limits for  more than 70 stocks shared in the\nNorth Sea and the "
        "Atlantic, a spokeswoman for the EU's fisheries\ncommissioner told dpa.",
        '"We have a fair outcome," Britain\'s fisheries minister said.',
    ]
    assert item.ednote == "# Notebook\n\n## Note to editors\n- adds minister's comment in graf 3"
    assert (item.version, item.signals) == ("3", ["2ND LEAD", "update"])
    assert item.versioncreated == datetime(2026, 12, 18, 7, 12, tzinfo=UTC)
    assert item.uri == "urn:wiredesk:iptc7901:eca:2026-12-18:politics-britain-eu"
    assert (item.urgency, item.category) == (3, "International")


@pytest.mark.parametrize("name", ["IPTC7901_odd_charset.txt", "dpa_four_line.txt"])
def test_real_dpa_files_without_their_control_characters_read_as_with_them(name: str) -> None:
    data = (samples("superdesk") / name).read_bytes()
    [marked] = formats.parse(data).items
    stripped = only_item(CONTROL.sub(b"", data))
    for field in ("uri", "headline", "byline", "dateline", "body_text", "slugline", "version"):
        assert getattr(stripped, field) == getattr(marked, field), field
    assert stripped.versioncreated == marked.versioncreated
    assert stripped.ednote == marked.ednote


def test_without_a_trailer_the_story_runs_to_the_end() -> None:
    data = FIXTURE.read_bytes().replace(b"180712 GMT Dec 26\r\n", b"")
    item = only_item(data)
    assert item.versioncreated is None
    assert item.paragraphs[-1] == '"We have a fair outcome," Britain\'s fisheries minister said.'


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"eca00075 3 i 510    dpa 1003\r\n\r\nBritain agrees =\r\n\r\nText.\r\n", "keyword line"),
        (b"eca00075 3 i 510 dpa 1003\r\n/politics/\r\n", "no headline"),
        (b"eca00075 3 i 510 dpa 1003\r\n/politics/\r\nHeadline only =\r\n", "no body text"),
    ],
)
def test_a_missing_part_is_named_with_the_nearest_format(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=f"IPTC 7901 without control characters: .*{reason}"):
        formats.parse(data)


def test_sniff_wants_the_heading_shape_and_no_soh() -> None:
    assert iptc7901_stripped.sniff(FIXTURE.read_bytes()[:300], None)
    assert not iptc7901_stripped.sniff(b"\x01eca0042 3 i 120 dpa 1\r\n", None)
    assert not iptc7901_stripped.sniff(b"New Delhi, July 26 (IANS) Hours\n", None)


# A paragraph opening with "#" or "*" would be a notebook; one ending "/" or "=" a marker line.
_WORDS = dialects.LINE.filter(lambda t: t[0] not in "#*" and not t.endswith(("/", "=")))


@settings(max_examples=80, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=4))
def test_any_body_comes_out_as_it_went_in(paragraphs: list[str]) -> None:
    body = "\r\n\r\n".join(paragraphs)
    data = (
        "eca00075 3 i 510 dpa 1003\r\n/politics/\r\nHeadline here\r\nBy A Writer, dpa =\r\n\r\n"
        f"Berlin (dpa) - {body}\r\n\r\ndpa ab\r\n\r\n180712 GMT Dec 26\r\n"
    ).encode()
    item = only_item(data)
    assert item.headline == "Headline here"
    assert item.dateline == "Berlin"
    assert item.body_text == "\n\n".join(paragraphs)
