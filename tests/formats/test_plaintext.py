from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wiredesk import formats
from wiredesk.exceptions import ParseError, UnknownFormat
from wiredesk.formats import plaintext
from wiredesk.types import Item

PTI = (
    "DEL23 NAT-TALIBAN-PANJSHIR\n"
    "Taliban, resistance front clash in Panjshir\n"
    "\n"
    "Kabul/New Delhi, Sep 1 (PTI) Fighting is going on between Taliban fighters and the\n"
    "forces of a resistance front in the Panjshir province.\n"
    "\n"
    "The Taliban confirmed  the fighting, Tolo News reported.\n"
    "\n"
    "PTI ABC DEF\n"
)
IANS = (
    "Hours after the verdict, leaders meet\r\n"
    "New Delhi, July 26 (IANS) Hours after the verdict, \x93leaders\x94 met.\r\n"
    "\r\n"
    "They spoke for an hour.\r\n"
    "--IANS\r\n"
    "sk/vd\r\n"
)


def parsed(data: bytes) -> Item:
    result = formats.parse(data)
    assert result.format == "plaintext"
    [item] = result.items
    return item


def test_pti_copy_with_slug_and_sign_off() -> None:
    item = parsed(PTI.encode())
    assert item.slugline == "DEL23 NAT-TALIBAN-PANJSHIR"
    assert item.headline == "Taliban, resistance front clash in Panjshir"
    assert item.dateline == "Kabul/New Delhi, Sep 1"
    assert item.agency == "PTI"
    assert item.paragraphs == [
        "Fighting is going on between Taliban fighters and the\n"
        "forces of a resistance front in the Panjshir province.",
        "The Taliban confirmed  the fighting, Tolo News reported.",
    ]
    assert item.uri.startswith("urn:wiredesk:plaintext:pti:09-01:nat-taliban-panjshir:")


def test_ians_copy_in_windows_1252_with_crlf_and_dash_sign_off() -> None:
    item = parsed(IANS.encode("latin-1"))
    assert item.slugline == ""
    assert item.headline == "Hours after the verdict, leaders meet"
    assert item.dateline == "New Delhi, July 26"
    assert item.agency == "IANS"
    assert item.paragraphs == [
        "Hours after the verdict, \u201cleaders\u201d met.",
        "They spoke for an hour.",
    ]


@pytest.mark.parametrize(
    "last",
    ["PTI ABC", "PTI ABC DEF 09011230", "PTI", "--PTI"],
)
def test_sign_off_forms_are_removed(last: str) -> None:
    item = parsed(PTI.replace("PTI ABC DEF", last).encode())
    assert item.paragraphs[-1] == "The Taliban confirmed  the fighting, Tolo News reported."


def test_a_sign_off_naming_another_agency_is_story_text() -> None:
    item = parsed(PTI.replace("PTI ABC DEF", "AFP ABC DEF").encode())
    assert item.paragraphs[-1] == "AFP ABC DEF"


def test_a_resent_copy_is_the_same_story_and_version() -> None:
    first = parsed(PTI.encode())
    resent = parsed(PTI.replace("DEL23", "DEL45").replace("PTI ABC DEF", "PTI XYZ").encode())
    assert resent.uri == first.uri
    assert resent.version == first.version
    changed = parsed(PTI.replace("confirmed  the", "confirmed the").encode())
    assert changed.uri == first.uri
    assert changed.version != first.version
    assert not changed.version.isdigit()
    other = parsed(PTI.replace("clash in Panjshir", "talks fail").encode())
    assert other.uri != first.uri


def test_category_slugs_do_not_merge_different_stories() -> None:
    one = parsed(PTI.replace("DEL23 NAT-TALIBAN-PANJSHIR", "PTI-BUSINESS").encode())
    two = parsed(
        PTI.replace("DEL23 NAT-TALIBAN-PANJSHIR", "PTI-BUSINESS")
        .replace("Taliban, resistance front clash in Panjshir", "Sensex rises")
        .encode()
    )
    assert one.slugline == "PTI-BUSINESS"
    assert one.uri != two.uri


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Just some text.\n\nWith paragraphs but no opening.\n", "no dateline-and-credit"),
        ("Kabul/New Delhi, Sep 1 (PTI) Fighting.\n", "no headline"),
        ("Taliban are here\nTaliban, front clash\n\nKabul, Sep 1 (PTI) Fighting.\n", "slug code"),
        ("DEL23 NAT\nA\nB\nC\nKabul, Sep 1 (PTI) Fighting.\n", "expected at most"),
        ("DEL23 NAT\n12345\nKabul, Sep 1 (PTI) Fighting.\n", "no headline"),
    ],
)
def test_other_text_is_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        plaintext.parse(text.encode())


def test_binary_is_never_plain_text() -> None:
    data = b"\x00\x01\x02" + PTI.encode()
    assert not plaintext.sniff(data, None)
    with pytest.raises(UnknownFormat):
        formats.parse(data)
    noisy = bytes(range(1, 32)) * 4 + PTI.encode()
    assert not plaintext.sniff(noisy, None)
    with pytest.raises(ParseError, match="control characters"):
        plaintext.parse(noisy)


def test_sniff_needs_the_opening_in_the_first_lines() -> None:
    assert plaintext.sniff(PTI.encode(), None)
    assert not plaintext.sniff(PTI.encode(), "nitf")
    late = "\n".join(f"line {n}" for n in range(6)) + "\n" + PTI
    assert not plaintext.sniff(late.encode(), None)


def test_dateline_dates() -> None:
    assert plaintext.dateline_date("Kabul/New Delhi, Sep 1") == "09-01"
    assert plaintext.dateline_date("STOCKHOLM, Aug 29, 2014") == "2014-08-29"
    assert plaintext.dateline_date("New Delhi, Sept. 30") == "09-30"
    assert plaintext.dateline_date("NEW DELHI") == "undated"


def test_decode_prefers_utf8_and_keeps_undefined_windows_bytes() -> None:
    assert plaintext.decode("Müller \u201cq\u201d".encode()) == "Müller \u201cq\u201d"
    assert plaintext.decode(b"M\xfcller \x93q\x94 \x81") == "Müller \u201cq\u201d \x81"
    mixed = "Müller\n".encode() + b"M\xfcller\n"
    assert plaintext.decode(mixed) == "Müller\nMüller\n"


_LINE = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda line: line == line.strip())
_PARAGRAPH = st.lists(_LINE, min_size=1, max_size=3).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=5), st.booleans())
def test_paragraphs_round_trip_character_for_character(paragraphs: list[str], crlf: bool) -> None:
    assume(paragraphs[0][0].isalnum())
    assume(
        plaintext.strip_sign_off(paragraphs[-1].split("\n"), "PTI") == paragraphs[-1].split("\n")
    )
    copy = "DEL23 NAT-TEST\nA headline\n\nNew Delhi, July 26 (PTI) " + "\n\n".join(paragraphs)
    copy += "\n\nPTI ABC DEF\n"
    if crlf:
        copy = copy.replace("\n", "\r\n")
    item = parsed(copy.encode())
    assert item.paragraphs == paragraphs
    assert item.dateline == "New Delhi, July 26"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_items_or_a_parse_error(data: bytes) -> None:
    for blob in (data, PTI.encode()[: len(data)] + data, b"Head\nDelhi, Sep 1 (PTI) " + data):
        try:
            items = plaintext.parse(blob)
        except ParseError:
            continue
        assert all(re.match(r"urn:wiredesk:plaintext:", item.uri) for item in items)
