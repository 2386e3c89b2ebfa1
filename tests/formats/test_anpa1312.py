from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import anpa1312
from wiredesk.types import Item

TEXT = "\x13\x11"
TABLE = "\x14\x12"
BODY = (
    "\t   SPRINGFIELD, Ill. (AP) _ The bridge reopened Tuesday, officials said.\r\n"
    "\t   Traffic was light. A second line\r\n"
    "of the same paragraph.\r\n"
)


def wire(
    *,
    number: str = "1234",
    priority: str = "r",
    category: str = "a",
    fmt: str = TEXT,
    keyword: str = "BC-US--BridgeReopens",
    take_key: str = "",
    date: str = "03-04",
    top: str = "^BC-US--Bridge Reopens,120<\r\n^Bridge reopens after repairs<\r\n",
    body: str = BODY,
    trailer: str = "AP-WF-03-04-25 1512GMT",
    encoding: str = "cp1252",
) -> bytes:
    second = f"{priority} {category}{fmt} {keyword} {take_key}".ljust(50) + f"{date} 0120"
    text = (
        f"\x16\x16\x01z{number}\x1fglbsm\r\n{second}\r\n\x02{top}{body}\r\n\t   \x03{trailer}<\r\n"
        "\r\n\x0c\r\n\x04"
    )
    return text.encode(encoding)


def parsed(data: bytes) -> Item:
    result = formats.parse(data)
    assert result.format == "anpa1312"
    [item] = result.items
    return item


def test_fields_of_an_ap_story() -> None:
    item = parsed(wire())
    assert item.headline == "Bridge reopens after repairs"
    assert item.slugline == "BC-US--Bridge Reopens"
    assert item.dateline == "SPRINGFIELD, Ill."
    assert item.agency == "AP"
    assert item.paragraphs == [
        "The bridge reopened Tuesday, officials said.",
        "Traffic was light. A second line\nof the same paragraph.",
    ]
    assert item.versioncreated == datetime(2025, 3, 4, 15, 12, tzinfo=UTC)
    assert item.urgency == 5
    assert item.category == "Domestic"
    assert item.version == "1"
    assert item.uri == "urn:wiredesk:anpa1312:2025-03-04:us-bridgereopens"
    assert item.body_html == ""


def test_eds_notes_byline_and_editors_note() -> None:
    top = (
        "^BC-US--Bridge Reopens,120<\r\n^Bridge reopens after repairs<\r\n"
        "^Eds: Moving on general news.<\r\n^EDITOR'S NOTE _ Part of a series.<\r\n"
        "^By JANE ROE=\r\n^Associated Press Writer=\r\n"
    )
    item = parsed(wire(top=top))
    assert item.ednote == "Eds: Moving on general news.\nEDITOR'S NOTE _ Part of a series."
    assert item.byline == "By JANE ROE Associated Press Writer"
    assert item.headline == "Bridge reopens after repairs"
    assert item.paragraphs[0] == "The bridge reopened Tuesday, officials said."


def test_writethrus_are_new_versions_of_the_same_story() -> None:
    first = parsed(wire(keyword="AM-US--BridgeReopens"))
    lead = parsed(wire(keyword="PM-US--BridgeReopens", take_key="1stLd-Writethru"))
    second = parsed(wire(take_key="2ndLd-Writethru", number="5678"))
    bare = parsed(wire(take_key="Writethru"))
    assert first.uri == lead.uri == second.uri == bare.uri
    assert (first.version, lead.version, second.version, bare.version) == ("1", "2", "3", "2")
    assert lead.signals == ["1stLd-Writethru", "update"]


def test_an_add_does_not_replace_the_story() -> None:
    add = parsed(wire(take_key="1st Add"))
    assert add.uri == "urn:wiredesk:anpa1312:2025-03-04:us-bridgereopens:add1"


def test_eds_corrects_is_a_correction() -> None:
    top = "^BC-US--Bridge Reopens, 1st Ld-Writethru,120<\r\n^Bridge reopens<\r\n^Eds: Corrects spelling of mayor's name.<\r\n"
    item = parsed(wire(top=top, take_key="1stLd-Writethru"))
    assert item.signals == ["1stLd-Writethru", "update", "correction"]
    assert item.version == "2"
    unnumbered = parsed(wire(top=top))
    assert unnumbered.version.startswith("1-c")


@pytest.mark.parametrize(
    ("take_key", "top"),
    [
        ("Kill", "^BC-US--Bridge Reopens, Kill<\r\n^Bridge reopens<\r\n"),
        ("", "^BC-US--Bridge Reopens<\r\n^Bridge reopens<\r\n^Eds: KILL. The story is wrong.<\r\n"),
        ("Withdrawal", "^BC-US--Bridge Reopens<\r\n^WITHDRAWAL<\r\n"),
    ],
)
def test_kills(take_key: str, top: str) -> None:
    item = parsed(wire(take_key=take_key, top=top))
    assert item.pubstatus == "canceled"
    assert "kill" in item.signals
    assert item.uri == "urn:wiredesk:anpa1312:2025-03-04:us-bridgereopens"
    assert not item.version.isdigit()


def test_killed_in_an_eds_note_is_no_kill() -> None:
    top = "^BC-US--Bridge Reopens<\r\n^Bridge reopens<\r\n^Eds: UPDATES with number killed.<\r\n"
    assert parsed(wire(top=top)).pubstatus == "usable"


def test_a_news_alert_is_not_a_kill_and_keeps_its_own_uri() -> None:
    body = "\t   HONOLULU (AP) _ Hawaii files a court challenge.\r\n"
    top = "^BC-US--APNewsAlert,17<\r\n"
    one = parsed(wire(priority="b", keyword="BC-US--APNewsAlert", top=top, body=body))
    two = parsed(
        wire(priority="b", keyword="BC-US--APNewsAlert", top=top, body=body, number="9999")
    )
    assert one.pubstatus == "usable"
    assert one.urgency == 2
    assert one.headline == "Hawaii files a court challenge."
    assert one.uri != two.uri


def test_advances_and_embargoes_are_signalled_for_the_hold_queue() -> None:
    assert "embargo" in parsed(wire(take_key="Adv28")).signals
    top = "^BC-US--Bridge<\r\n^Bridge<\r\n^Eds: Embargoed until 12:01 a.m. EDT Sunday.<\r\n"
    item = parsed(wire(top=top))
    assert item.pubstatus == "usable" and "embargo" in item.signals


def test_a_tabular_story_keeps_its_table_lines_exactly() -> None:
    top = "^BC-BBO--Standings<\r\n^Baseball Standings=\r\n^All Times EDT=\r\n^By The Associated Press=\r\n"
    body = (
        "\x08^;W;L;Pct;GB\x10 \r\n"
        "\x08Baltimore;23;13;.639;_\x10 \r\n"
        "\x08Tampa\x10 Bay;17;19;.472;6{\x10 \r\n"
        "\t   ___= \r\n"
        "\t   Texas 7, Toronto 6 \r\n"
        "\t   L.A. Angels 3, Seattle 0< \r\n"
        "\r\n"
        "\t      x - missing\r\n"
        "\t      clr - clear<\r\n"
    )
    item = parsed(wire(fmt=TABLE, keyword="BC-BBO--Standings", top=top, body=body))
    assert item.headline == "Baseball Standings"
    assert item.byline == "By The Associated Press"
    table = (
        "All Times EDT\n;W;L;Pct;GB\nBaltimore;23;13;.639;_\nTampa Bay;17;19;.472;6{\n___\n"
        "Texas 7, Toronto 6\nL.A. Angels 3, Seattle 0"
    )
    assert item.paragraphs == [table, "x - missing\nclr - clear"]
    assert item.body_html == (
        "<pre>All Times EDT\n;W;L;Pct;GB\nBaltimore;23;13;.639;_\nTampa Bay;17;19;.472;6{\n"
        "___\nTexas 7, Toronto 6\nL.A. Angels 3, Seattle 0\n\n   x - missing\n   clr - clear</pre>"
    )


def test_table_markup_is_escaped_in_the_pre_block() -> None:
    body = "\x08A<B;1&2\x10 \r\n"
    item = parsed(wire(fmt=TABLE, body=body))
    assert item.paragraphs == ["A<B;1&2"]
    assert item.body_html == "<pre>A&lt;B;1&amp;2</pre>"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (wire().split(b"\x03")[0], "cut off"),
        (wire().replace(b"\x02", b""), "no STX"),
        (wire().replace(b"03-04 0120", b"xx"), "second heading line"),
    ],
)
def test_broken_files_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        anpa1312.parse(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_items_or_a_parse_error(data: bytes) -> None:
    for blob in (data, b"\x16\x16\x01z1234\x1f" + data, wire()[: len(data)] + data):
        try:
            items = anpa1312.parse(blob)
        except ParseError:
            continue
        assert all(item.uri.startswith("urn:wiredesk:anpa1312:") for item in items)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=300), st.sampled_from([TEXT, TABLE]))
def test_any_top_and_body_text_give_items_or_a_parse_error(top: str, body: str, fmt: str) -> None:
    try:
        items = anpa1312.parse(wire(top=top, body=body, fmt=fmt, encoding="utf-8"))
    except ParseError:
        return
    for item in items:
        assert "\r" not in item.body_text
        assert all(p and p == p.strip() for p in item.paragraphs)
