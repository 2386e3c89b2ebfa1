"""RSS 2.0 and Atom feeds, read with feedparser; each entry is one story."""

from __future__ import annotations

import calendar
import hashlib
import re
from datetime import UTC, datetime
from typing import Any

import feedparser

from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats.text import join, paragraphs_from_html
from wiredesk.types import Item, Subject

NAME = "feed"
_DANGEROUS = re.compile(rb"<!ENTITY|<!DOCTYPE[^>]*(?:SYSTEM|PUBLIC)", re.IGNORECASE)


def sniff(head: bytes, root: str | None) -> bool:
    return root in ("rss", "feed", "RDF")


def parse(data: bytes) -> list[Item]:
    # feedparser has its own XML path; vet the bytes first so no entity or DTD reaches it.
    if _DANGEROUS.search(data[:65536]):
        raise HostileInput("the feed declares entities or an external DTD; refused")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        raise ParseError(f"not a readable RSS or Atom feed: {reason}")
    agency = parsed.feed.get("author") or ""
    return [_entry(entry, agency) for entry in parsed.entries]


def _when(entry: Any, key: str) -> datetime | None:
    value = entry.get(key)
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC) if value else None


def _entry(entry: Any, agency: str) -> Item:
    html = entry["content"][0].get("value", "") if entry.get("content") else ""
    html = html or entry.get("summary", "")
    headline = entry.get("title", "")
    uri = entry.get("id") or entry.get("link") or ""
    if not uri:
        digest = hashlib.sha256(f"{headline}\n{html}".encode()).hexdigest()[:24]
        uri = f"urn:wiredesk:feed:{digest}"
    tags = [
        Subject(code=t.get("term", ""), name=t.get("label") or t.get("term", ""))
        for t in entry.get("tags") or []
    ]
    updated = _when(entry, "updated_parsed")
    published = _when(entry, "published_parsed")
    return Item(
        uri=uri,
        headline=headline,
        versioncreated=updated or published,
        firstcreated=published or updated,
        byline=entry.get("author", ""),
        body_text=join(paragraphs_from_html(html)),
        body_html=html,
        subject=tags,
        category=tags[0].name if tags else "",
        language=entry.get("language", "") or "",
        agency=agency,
        format=NAME,
    )
