from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk import formats
from wiredesk.exceptions import ParseError, UnknownFormat

RSS = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item><guid>g</guid><title>Ελλάδα</title><description>Text.</description></item></channel></rss>'
ATOM = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><title>T</title><content>Text.</content></entry></feed>'
RDF = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="u"><title>T</title></item></rdf:RDF>'
NINJS = '{"uri": "urn:n:1", "headline": "H", "body_text": "B"}'
JSONFEED = (
    '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "content_text": "B"}]}'
)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (RSS, "feed"),
        (ATOM, "feed"),
        (RDF, "feed"),
        (NINJS, "ninjs"),
        (JSONFEED, "jsonfeed"),
        ("  \n" + NINJS, "ninjs"),
    ],
)
@pytest.mark.parametrize(
    "codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"]
)
def test_detection_is_by_content_in_any_unicode_encoding(text: str, name: str, codec: str) -> None:
    assert formats.detect(text.encode(codec)) == name


def test_a_utf16_feed_without_a_mark_parses_end_to_end() -> None:
    parsed = formats.parse(RSS.replace("utf-8", "utf-16").encode("utf-16-be"))
    assert parsed.format == "feed" and parsed.items[0].headline == "Ελλάδα"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \n\t ", "empty"),
        (b"\x00\x01\x02binary\x00garbage", "NUL bytes"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "NUL bytes"),
        (b"<html><body>not a wire</body></html>", "XML root <html>"),
        (b"just some words", "matches no wire format"),
    ],
)
def test_garbage_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        formats.parse(data)


def test_an_oversized_file_is_refused_before_anything_reads_it() -> None:
    with pytest.raises(ParseError, match="over the"):
        formats.parse(b" " * (formats.MAX_BYTES + 1))


def test_unknown_formats_are_parse_errors() -> None:
    assert issubclass(UnknownFormat, ParseError)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_items_or_a_parse_error(data: bytes) -> None:
    try:
        formats.parse(data)
    except ParseError as exc:
        assert str(exc)


prefixes = st.sampled_from(
    [
        b"",
        b"{",
        b"[",
        b"<rss>",
        b"<feed>",
        b"\xff\xfe",
        b"<?xml version='1.0'?><nitf>",
        b'{"version": "https://jsonfeed.org/version/1.1",',
    ]
)


@settings(max_examples=200, deadline=None)
@given(prefixes, st.binary(max_size=300))
def test_any_bytes_behind_a_plausible_start_give_items_or_a_parse_error(
    prefix: bytes, data: bytes
) -> None:
    try:
        formats.parse(prefix + data)
    except ParseError as exc:
        assert str(exc)


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"just some words", "not a format wiredesk reads: "),
        (b"<Bulletin><NewsID>1</NewsID></Bulletin>", "not a format wiredesk reads: "),
        # Ritzau's root is read by the mapping wiredesk ships, with no configuration.
        (b"<RBNews><NewsID>1</NewsID></RBNews>", "mapped XML (ritzau, <RBNews>): no headline"),
        (b"<Publish><ContentItem/></Publish>", "Canadian Press Jimi XML: a Jimi ContentItem"),
        (b'{"format": "digitalwires@0.9.1"}', "dpa digitalwires JSON: a dpa digitalwires entry"),
        (b'{"data": {"sourceTitle": "ANP", "firstIssueDate": ""}}', "ANP News API JSON: an "),
        (
            b'{"api_version": "2", "data": {"item": {"altids": {"itemid": 1}}}}',
            "AP Media API JSON holds no item",
        ),
        (b"\x00\x01binary", "not a format wiredesk reads: "),
        (b"<nitf/>", "NITF: the item "),
        (b"<NewsML></NewsML>", "NewsML 1.2: the NewsML file carries no NewsItem"),
        (b'{"uri": "u", "type": "text"}', "ninjs: the item 'u' has neither a headline"),
        (b"\x01eca0001 3 i 10\r\n\x02Head =\r\nText", "IPTC 7901: no ETX"),
        (b"ZCZC AAP\r\n:Head\r\n\r\nText", "ZCZC teleprinter message: no NNNN"),
    ],
)
def test_a_refusal_tells_not_a_format_we_read_from_a_field_missing(data: bytes, start: str) -> None:
    with pytest.raises(ParseError) as caught:
        formats.parse(data)
    assert str(caught.value).startswith(start), str(caught.value)
