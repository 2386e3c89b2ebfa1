"""The Canadian Press "Jimi" publish XML: a <Publish> envelope around one <ContentItem>.

The story's HTML is entity-escaped inside <ContentText> (with `&amp;nbsp;` escaped twice); the
place is in City/Province/Country (and Placeline, the three joined by ";"), not in the text.
SystemSlug is the story's id across writethrus (for AP copy it is AP's own item id), and
WritethruValue counts the writethrus (0 for the first send). The file starts with a UTF-8
byte-order mark, which the decoder takes off.
"""

from __future__ import annotations

import hashlib

from lxml import etree

from wiredesk.exceptions import ParseError
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.located import kept
from wiredesk.formats.ninjs import html_paragraphs
from wiredesk.formats.text import apart_at_blank_lines, join
from wiredesk.formats.xml import child, children, localname, parse_xml, text_of
from wiredesk.types import Item, Picture, Skipped

NAME = "jimi"
URN = "urn:cp:jimi:"
# The .NET "no time" value Jimi sends for "no embargo".
_NO_TIME = "0001-01-01"


def sniff(head: bytes, root: str | None) -> bool:
    return root == "Publish" and b"<ContentItem" in head


def parse(data: bytes) -> list[Item | Skipped]:
    root = parse_xml(data)
    if localname(root) != "Publish":
        raise ParseError(f"expected a <Publish> root element, found <{localname(root)}>")
    items = children(root, "ContentItem")
    if not items:
        raise ParseError("the Jimi <Publish> holds no <ContentItem>")
    return [_content_item(el) for el in items]


def _field(el: etree._Element, name: str) -> str:
    return text_of(child(el, name))


def _content_item(el: etree._Element) -> Item | Skipped:
    story_id = _field(el, "SystemSlug") or _field(el, "NewsCompID")
    if not story_id:
        raise ParseError("a Jimi ContentItem has no SystemSlug, so it cannot be tracked")
    uri = URN + story_id
    kind = _field(el, "ContentType") or "Text"
    if kind.lower() != "text":
        return Skipped(uri=uri, reason=f"a Jimi ContentItem of type {kind!r}, not a text story")
    markup = text_of(child(el, "ContentText"))
    paragraphs = apart_at_blank_lines(html_paragraphs(markup)) if markup else []
    headline = _field(el, "Headline") or _field(el, "Headline2")
    writethru = _field(el, "WritethruValue")
    digest = hashlib.sha256(f"{headline}\n{join(paragraphs)}".encode()).hexdigest()[:10]
    embargo = _field(el, "EmbargoTime")
    city = _field(el, "City")
    parts = [city, _field(el, "Province"), _field(el, "Country")]
    if not any(parts):
        # Placeline is the same three joined by ";" ("Buffalo;New York;United States").
        parts = [p.strip() for p in _field(el, "Placeline").split(";")]
    place = ", ".join(p for p in parts if p)
    return Item(
        uri=uri,
        headline=headline,
        # No writethru count: a changed re-send is newer (by time), an identical one a no-op.
        version=writethru if writethru.isdecimal() else f"1-{digest}",
        versioncreated=parse_datetime(_field(el, "UpdatedDateTime")),
        firstcreated=parse_datetime(_field(el, "CreatedDateTime")),
        embargoed=None if embargo.startswith(_NO_TIME) else parse_datetime(embargo),
        byline=_field(el, "Byline"),
        # City, Province and Placeline are place data, not a dateline the agency wrote: they
        # are the item's location (`located`), and the page prints no dateline of its own.
        dateline="",
        slugline=_field(el, "SlugProper"),
        body_text=join(paragraphs),
        body_html=markup,
        agency=_field(el, "Credit"),
        category=_field(el, "Category"),
        ednote="\n".join(n for n in (_field(el, "EditorNote"), _field(el, "UpdateNote")) if n),
        format=NAME,
        pictures=[
            Picture(uri=ref.strip())
            for ref in _field(el, "PhotoReference").split(",")
            if ref.strip()
        ],
        located=kept([place]),
    )
