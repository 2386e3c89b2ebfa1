from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats import ninjs
from wiredesk.types import Item, Picture


def one(doc: Any) -> Item:
    [item] = ninjs.parse(json.dumps(doc).encode())
    assert isinstance(item, Item)
    return item


def test_ninjs_1_snake_case() -> None:
    item = one(
        {
            "uri": "urn:t:1",
            "type": "text",
            "version": "3",
            "versioncreated": "2024-07-10T13:00:37Z",
            "firstcreated": "2024-07-10T12:00:00Z",
            "pubstatus": "usable",
            "headline": "Monsoon  arrives",
            "byline": "A. Reporter",
            "located": "Kochi",
            "body_text": "First  paragraph, two spaces kept.\n\n  Second paragraph.  ",
            "body_html": "<p>ignored when plain text exists</p>",
            "copyrightholder": "PTI",
            "subject": [{"code": "17000000", "name": "weather"}],
        }
    )
    assert item.headline == "Monsoon  arrives"
    assert item.body_text == "First  paragraph, two spaces kept.\n\nSecond paragraph."
    assert item.version == "3"
    assert item.versioncreated == datetime(2024, 7, 10, 13, 0, 37, tzinfo=UTC)
    assert item.firstcreated == datetime(2024, 7, 10, 12, tzinfo=UTC)
    assert (item.byline, item.dateline, item.agency, item.category) == (
        "A. Reporter",
        "Kochi",
        "PTI",
        "weather",
    )


def test_ninjs_2_headlines_and_bodies() -> None:
    item = one(
        {
            "uri": "urn:t:2",
            "headlines": [
                {"role": "sub", "value": "Sub"},
                {"role": "main", "value": "Main headline"},
            ],
            "bodies": [
                {
                    "role": "html",
                    "contenttype": "text/html",
                    "value": "<p>Für «alle».</p><p>Zwei.</p>",
                }
            ],
            "by": "dpa",
            "embargoed": "2030-01-01T06:00:00+01:00",
            "pubstatus": "withheld",
        }
    )
    assert item.headline == "Main headline"
    assert item.body_text == "Für «alle».\n\nZwei."
    assert item.body_html == "<p>Für «alle».</p><p>Zwei.</p>"
    assert item.embargoed == datetime(2030, 1, 1, 5, tzinfo=UTC)
    assert item.pubstatus == "withheld"


def test_ninjs_3_camel_case_prefers_plain_text() -> None:
    item = one(
        {
            "uri": "urn:t:3",
            "standard": {"name": "ninjs", "version": "3.1"},
            "type": "text",
            "versionCreated": "2023-10-08T02:34:03+02:00",
            "firstCreated": "2023-10-08T01:00:00+02:00",
            "pubStatus": "canceled",
            "copyrightHolder": "NTB",
            "headlines": [{"role": "main", "value": "Kill this story"}],
            "bodies": [
                {
                    "role": "richtext",
                    "contentType": "application/xhtml+xml",
                    "value": "<p>Rich</p>",
                },
                {
                    "role": "main",
                    "contentType": "text/plain",
                    "value": "Plain one.\r\n\r\nPlain two.",
                },
            ],
            "genres": [{"name": "Actuality"}],
            "subjects": [
                {"uri": "http://cv.iptc.org/newscodes/mediatopic/15000000", "name": "Sport"}
            ],
        }
    )
    assert item.headline == "Kill this story"
    assert item.body_text == "Plain one.\n\nPlain two."
    assert item.body_html == "<p>Rich</p>"
    assert item.pubstatus == "canceled"
    assert item.versioncreated == datetime(2023, 10, 8, 0, 34, 3, tzinfo=UTC)
    assert item.agency == "NTB" and item.category == "Actuality"
    assert item.subject[0].code.endswith("15000000")


def test_ninjs_3_nitf_body_is_read_when_it_is_the_only_one() -> None:
    nitf = '<?xml version="1.0" encoding="UTF-8"?><nitf><body><body.content><p>Eins.</p><p>Zwei ‘drei’.</p></body.content></body></nitf>'
    item = one(
        {
            "uri": "urn:t:4",
            "headlines": [{"value": "H"}],
            "bodies": [{"contentType": "text/vnd.IPTC.NITF", "value": nitf}],
        }
    )
    assert item.body_text == "Eins.\n\nZwei ‘drei’."


def test_an_inline_link_does_not_split_a_paragraph() -> None:
    item = one(
        {"uri": "urn:t:5", "body_xhtml": '<a href="x">Dell</a> today announced a <b>new</b> range.'}
    )
    assert item.body_text == "Dell today announced a new range."


def test_pictures_are_read_as_pictures_not_refused() -> None:
    [picture] = ninjs.parse(b'{"uri": "urn:p:1", "type": "picture", "headline": "A ship"}')
    assert isinstance(picture, Picture) and (picture.uri, picture.caption) == ("urn:p:1", "A ship")


def test_a_list_of_items_and_an_items_wrapper() -> None:
    listed = ninjs.parse(b'[{"uri": "a", "headline": "A"}, {"uri": "b", "headline": "B"}]')
    wrapped = ninjs.parse(b'{"items": [{"uri": "a", "headline": "A"}]}')
    assert [i.uri for i in listed] == ["a", "b"] and [i.uri for i in wrapped] == ["a"]


def test_utf16_json_is_read() -> None:
    item = ninjs.parse('{"uri": "u", "headline": "Ελλάδα"}'.encode("utf-16"))[0]
    assert isinstance(item, Item) and item.headline == "Ελλάδα"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"headline": "no uri"}', "no uri"),
        (b'{"uri": "a", "headline": ', "not valid JSON"),
        (b'"just a string"', "JSON object"),
        (b'{"items": 3}', "JSON object"),
    ],
)
def test_unusable_json_gives_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        ninjs.parse(data)


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000,
        b"[" * 65 + b"]" * 65,
        b'{"a":' * 70 + b"1" + b"}" * 70,
        b"[" * 1_000_000 + b"]" * 1_000_000,
    ],
)
def test_json_nesting_bombs_are_refused_fast(data: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(HostileInput, match="nested"):
        ninjs.load_json(data)
    assert time.monotonic() - started < 2


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert ninjs.load_json(b'{"a": "' + b"[" * 1000 + b'"}') == {"a": "[" * 1000}
    assert ninjs.load_json(b"[" * 64 + b"]" * 64) is not None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_items_or_a_parse_error(data: bytes) -> None:
    try:
        ninjs.parse(data)
    except ParseError as exc:
        assert str(exc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
keys = st.sampled_from(
    [
        "uri",
        "guid",
        "type",
        "headline",
        "headlines",
        "bodies",
        "body_text",
        "body_html",
        "versionCreated",
        "pubStatus",
        "embargoed",
        "urgency",
        "subject",
        "subjects",
        "located",
        "provider",
        "genres",
        "items",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, json_values | st.text(max_size=30), max_size=8))
def test_any_json_shape_gives_items_or_a_parse_error(doc: dict[str, Any]) -> None:
    try:
        ninjs.parse(json.dumps(doc).encode())
    except ParseError as exc:
        assert str(exc)
