"""ZCZC ... NNNN teleprinter messages (AAP), from fixtures written in that shape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialects
from conftest import FIXTURES
from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import zczc
from wiredesk.types import Item

DIALECTS = FIXTURES / "dialects"


def only_item(data: bytes) -> Item:
    return dialects.only_item(data, "zczc")


def test_an_aap_story_is_read_field_by_field() -> None:
    data = (DIALECTS / "aap-zczc.txt").read_bytes()
    assert b"\r\n" in data
    item = only_item(data)
    assert item.headline == "Reserve Bank holds cash rate, flags patience"
    assert item.byline == "By Jane Citizen"
    assert item.dateline == "SYDNEY, Dec 9"
    assert item.agency == "AAP"
    assert item.slugline == "Economy-Rates"
    assert item.paragraphs == [
        "The Reserve Bank has left the cash rate on hold at\n3.60 per cent, saying it wants to "
        'see inflation "sustainably" back\nin its target band before it moves again.',
        "Governor Michele Bullock said the board was   in no hurry.",
    ]
    assert not any(marker in item.body_text for marker in ("ZCZC", "NNNN", "%NAT", "jc/sb"))


def test_a_changed_resend_is_a_newer_version_of_the_same_story() -> None:
    data = (DIALECTS / "aap-zczc.txt").read_bytes()
    first = only_item(data)
    again = only_item(data.replace(b"in no hurry", b"in no hurry at all"))
    assert again.uri == first.uri and again.version != first.version
    assert only_item(data).version == first.version


def test_a_round_up_of_headlines_is_a_story_like_any_other() -> None:
    item = only_item((DIALECTS / "aap-zczc-roundup.txt").read_bytes())
    assert item.headline == "National news headlines at 0600 AEDT"
    assert item.body_text == (
        "Reserve Bank holds cash rate, flags patience\n"
        "Storms cut power to 20,000 homes in Sydney's west\n"
        "Wallabies name new captain for spring tour"
    )


def test_a_message_with_no_body_text_is_skipped_with_a_reason() -> None:
    parsed = formats.parse((DIALECTS / "aap-zczc-empty.txt").read_bytes())
    assert parsed.format == "zczc" and not parsed.items
    [skipped] = parsed.skipped
    assert "no body text" in skipped.reason


def test_a_table_keeps_its_columns() -> None:
    data = (
        b"ZCZC FMG000\r\n#Racing-Fields\r\n:Racing.Com Park fields Thursday\r\n*T\r\n\r\n"
        b" 1 _    2  Call Me Curtis  (1)    M J Dee (a)   58\r\n"
        b"10 _       Constant Return  (4)   D Lane        56\r\n\r\nNNNN\r\n"
    )
    item = only_item(data)
    assert item.body_text == (
        " 1 _    2  Call Me Curtis  (1)    M J Dee (a)   58\n"
        "10 _       Constant Return  (4)   D Lane        56"
    )
    assert item.body_html.startswith("<pre> 1 _    2  Call Me Curtis  (1)")


def test_several_messages_in_one_file_are_several_stories() -> None:
    one = (DIALECTS / "aap-zczc.txt").read_bytes()
    two = (DIALECTS / "aap-zczc-roundup.txt").read_bytes()
    parsed = formats.parse(one + two)
    assert [i.headline for i in parsed.items] == [
        "Reserve Bank holds cash rate, flags patience",
        "National news headlines at 0600 AEDT",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"ZCZC AAP\r\n:Headline\r\n\r\nText cut off", "no NNNN"),
        (b"ZCZC AAP\r\n%NATALL\r\n\r\nText.\r\nNNNN\r\n", "no headline"),
    ],
)
def test_a_missing_part_is_named_with_the_nearest_format(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=f"ZCZC teleprinter message: {reason}"):
        formats.parse(data)


def test_sniff_wants_zczc_at_the_top() -> None:
    assert zczc.sniff(b"   ZCZC AAP\r\n", None)
    assert not zczc.sniff(b"Some text\r\nZCZC AAP\r\n", None)


_PARAGRAPH = dialects.LINE.filter(lambda p: p != "NNNN" and not p.startswith("ZCZC"))


@settings(max_examples=80, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=4))
def test_any_body_comes_out_as_it_went_in(paragraphs: list[str]) -> None:
    body = "\r\n\r\n".join(paragraphs)
    data = f"ZCZC AAP\r\n#Kw\r\n:Head line\r\n*X\r\n\r\nSYDNEY, Dec 9 AAP - {body}\r\n\r\nNNNN\r\n"
    item = only_item(data.encode())
    assert (item.headline, item.dateline) == ("Head line", "SYDNEY, Dec 9")
    assert item.body_text == "\n\n".join(paragraphs)
