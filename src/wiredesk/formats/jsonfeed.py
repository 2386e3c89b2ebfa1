"""JSON Feed 1.0 and 1.1 (jsonfeed.org): each item is one story."""

from __future__ import annotations

import hashlib
from typing import Any

from wiredesk.exceptions import ParseError
from wiredesk.formats import pictures
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.ninjs import html_paragraphs, load_json
from wiredesk.formats.text import join, paragraphs_from_plain
from wiredesk.types import Item, Skipped, Subject

NAME = "jsonfeed"
VERSION_PREFIX = "https://jsonfeed.org/version/"


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and head.lstrip()[:1] == b"{" and b"jsonfeed.org/version/" in head


def parse(data: bytes) -> list[Item | Skipped]:
    doc = load_json(data)
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(VERSION_PREFIX):
        raise ParseError("not a JSON Feed: no https://jsonfeed.org/version/ in its version")
    items = doc.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ParseError("JSON Feed 'items' must be a list of objects")
    agency = _names(doc) or _str(doc, "title")
    language = _str(doc, "language")
    return [_item(entry, agency, language) for entry in items]


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _names(obj: dict[str, Any]) -> str:
    # 1.1 has "authors"; 1.0 had a single "author".
    people = obj.get("authors")
    if not isinstance(people, list):
        people = [obj.get("author")]
    names = [p["name"] for p in people if isinstance(p, dict) and isinstance(p.get("name"), str)]
    return ", ".join(n for n in names if n)


def _item(entry: dict[str, Any], agency: str, language: str) -> Item | Skipped:
    text = _str(entry, "content_text")
    html = _str(entry, "content_html")
    paragraphs = paragraphs_from_plain(text) if text.strip() else html_paragraphs(html)
    headline = _str(entry, "title")
    uri = entry.get("id")
    if isinstance(uri, int | float) and not isinstance(uri, bool):
        uri = str(uri)  # 1.0 feeds sent numbers; 1.1 says strings, readers must cope
    if not isinstance(uri, str) or not uri:
        uri = _str(entry, "url")
    if not uri:
        digest = hashlib.sha256(f"{headline}\n{join(paragraphs)}".encode()).hexdigest()[:24]
        uri = f"urn:wiredesk:jsonfeed:{digest}"
    if not headline and not paragraphs:
        return Skipped(uri=uri, reason="JSON Feed item with neither a title nor any text")
    published = parse_datetime(_str(entry, "date_published"))
    modified = parse_datetime(_str(entry, "date_modified"))
    raw_tags = entry.get("tags")
    tags = [t for t in raw_tags if isinstance(t, str)] if isinstance(raw_tags, list) else []
    return Item(
        uri=uri,
        headline=headline,
        # JSON Feed has no version numbers: a new date_modified is a new version.
        version=dated.isoformat() if (dated := modified or published) else "1",
        versioncreated=modified or published,
        firstcreated=published or modified,
        byline=_names(entry),
        body_text=join(paragraphs),
        body_html=html,
        subject=[Subject(code=t, name=t) for t in tags],
        category=tags[0] if tags else "",
        language=_str(entry, "language") or language,
        agency=agency,
        format=NAME,
        pictures=pictures.jsonfeed_pictures(entry),
    )
