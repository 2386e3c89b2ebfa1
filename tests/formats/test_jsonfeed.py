from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import jsonfeed
from wiredesk.types import Item, Skipped

FEED: dict[str, Any] = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Agency wire",
    "authors": [{"name": "Agency Desk"}],
    "language": "en-IN",
    "items": [
        {
            "id": "urn:jf:1",
            "title": "Rupee  firms",
            "content_text": "Mumbai, June 2 (PTI) The rupee rose.\n\nTraders said so.",
            "content_html": "<p>ignored: text wins</p>",
            "date_published": "2026-06-02T10:00:00+05:30",
            "date_modified": "2026-06-02T11:00:00+05:30",
            "authors": [{"name": "A. Reporter"}, {"name": "B. Writer"}],
            "tags": ["Business", "Markets"],
        },
        {"id": 7, "title": "HTML only", "content_html": "<p>One “quote”.</p><p>Two.</p>"},
        {"id": "urn:jf:empty", "url": "https://example.com/x"},
    ],
}


def test_json_feed_items() -> None:
    first, second, third = jsonfeed.parse(json.dumps(FEED).encode())
    assert isinstance(first, Item) and isinstance(second, Item) and isinstance(third, Skipped)
    assert first.headline == "Rupee  firms"
    assert first.body_text == "Mumbai, June 2 (PTI) The rupee rose.\n\nTraders said so."
    assert first.firstcreated == datetime(2026, 6, 2, 4, 30, tzinfo=UTC)
    assert first.versioncreated == datetime(2026, 6, 2, 5, 30, tzinfo=UTC)
    assert (first.byline, first.agency, first.language, first.category) == (
        "A. Reporter, B. Writer",
        "Agency Desk",
        "en-IN",
        "Business",
    )
    assert second.uri == "7"
    assert second.body_text == "One “quote”.\n\nTwo."


def test_json_feed_is_detected_before_ninjs_and_normalised() -> None:
    parsed = formats.parse(json.dumps(FEED).encode())
    assert parsed.format == "jsonfeed"
    assert parsed.items[0].dateline.startswith("Mumbai")
    assert parsed.items[0].body_text == "The rupee rose.\n\nTraders said so."


def test_json_feed_1_0_single_author() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1",
        "author": {"name": "Old Style"},
        "items": [{"id": "1", "content_text": "x"}],
    }
    [item] = jsonfeed.parse(json.dumps(doc).encode())
    assert isinstance(item, Item) and item.agency == "Old Style"


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ({"version": "1.1", "items": []}, "not a JSON Feed"),
        ({"version": "https://jsonfeed.org/version/1.1", "items": {}}, "list of objects"),
    ],
)
def test_unusable_feeds_give_a_reason(doc: dict[str, Any], reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        jsonfeed.parse(json.dumps(doc).encode())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_items_or_a_parse_error(data: bytes) -> None:
    try:
        jsonfeed.parse(b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + data)
    except ParseError as exc:
        assert str(exc)


values = (
    st.none()
    | st.integers()
    | st.text(max_size=20)
    | st.lists(
        st.text(max_size=5) | st.dictionaries(st.text(max_size=5), st.text(max_size=5)), max_size=3
    )
)
item_keys = st.sampled_from(
    [
        "id",
        "url",
        "title",
        "content_text",
        "content_html",
        "date_published",
        "date_modified",
        "authors",
        "author",
        "tags",
        "language",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(item_keys, values, max_size=6), max_size=3))
def test_any_item_shape_gives_items_or_a_parse_error(items: list[dict[str, Any]]) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "items": items}
    try:
        jsonfeed.parse(json.dumps(doc).encode())
    except ParseError as exc:
        assert str(exc)
