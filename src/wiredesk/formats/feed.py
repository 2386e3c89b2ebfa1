"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with feedparser; each entry is one story.

feedparser has its own XML path (expat, or a loose SGML parser for broken feeds), so the bytes
are decoded by our rules and vetted for entity and DTD tricks before feedparser sees them,
and handed over as UTF-8 in a stream: a bytes or str argument may be taken as a path or URL.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
from datetime import UTC, datetime
from typing import Any

import feedparser
from lxml import etree

from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats import pictures
from wiredesk.formats.encoding import xml_as_utf8
from wiredesk.formats.ninjs import html_paragraphs
from wiredesk.formats.text import html_text, inner_markup, join, paragraphs_from_plain
from wiredesk.formats.xml import (
    MAX_XML_BYTES,
    element_text,
    localname,
    parse_xml,
    refuse_bombs,
    skip_dtd,
)
from wiredesk.types import Item, Skipped, Subject

NAME = "feed"


_C1 = re.compile("[\u0080-\u009f]")


def _verbatim(parser: Any) -> Any:
    """One of feedparser's parser classes, repairing double-decoded text only when it is sure.

    feedparser re-decodes any text whose characters are all Latin-1 and whose Latin-1 bytes read
    as UTF-8, taking it for UTF-8 read as Latin-1 (mixin.pop), so genuine agency text such as
    "Ä" and a no-break space became "Ġ". That repair now runs only on text holding a C1 control
    (U+0080-U+009F), which text never holds and text decoded twice mostly does ("…" read as
    Latin-1 is "â", U+0080, "¦"); otherwise the parser is told its input is "utf_8", the same
    codec under a name the repair does not match. Text decoded twice without a C1 control
    ("Ã©") is kept as sent: it cannot be told from text that means it.
    """

    class Verbatim(parser):  # type: ignore[misc]
        def pop(self, element: str, strip_whitespace: int = 1) -> Any:
            stack = self.elementstack
            if stack and stack[-1][0] == element:
                pieces = stack[-1][2]
                # The loose parser keeps character references as UTF-8 bytes until here.
                text = "".join(
                    p.decode("utf-8", "replace") if isinstance(p, bytes) else p for p in pieces
                )
                self.encoding = "utf-8" if _C1.search(text) else "utf_8"
            return super().pop(element, strip_whitespace)

    Verbatim.__name__ = parser.__name__
    return Verbatim


# feedparser.parse looks its parser classes up here at each call.
feedparser.api.StrictFeedParser = _verbatim(feedparser.api.StrictFeedParser)
feedparser.api.LooseFeedParser = _verbatim(feedparser.api.LooseFeedParser)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def sniff(head: bytes, root: str | None) -> bool:
    return root in ("rss", "feed", "RDF")


def parse(data: bytes) -> list[Item | Skipped]:
    if len(data) > MAX_XML_BYTES:
        raise HostileInput(f"feed of {len(data):,} bytes is over the {MAX_XML_BYTES:,} limit")
    utf8 = skip_dtd(xml_as_utf8(data))
    if _ENTITY.search(utf8):
        # The loose parser would honour a declaration anywhere; a feed needs none.
        raise HostileInput("the feed declares entities; refused without expanding them")
    refuse_bombs(utf8)
    try:
        parsed = feedparser.parse(
            io.BytesIO(utf8),
            sanitize_html=False,
            resolve_relative_uris=False,
            response_headers={"content-type": "application/xml; charset=utf-8"},
        )
    except Exception as exc:  # noqa: BLE001 - a third-party loose parser; any failure is the file's
        raise ParseError(
            f"feedparser could not read the feed: {type(exc).__name__}: {exc}"
        ) from exc
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "the feed holds no entries"
        raise ParseError(f"not a readable RSS or Atom feed: {reason}")
    agency = _person(parsed.feed, "author") or _person(parsed.feed, "publisher")
    tree = _media_rss(utf8)
    captions = pictures.feed_captions(tree)
    bodies = _own_bodies(tree, len(parsed.entries))
    language = str(parsed.feed.get("language") or "").strip()
    return [
        _entry(entry, agency, captions, bodies[at] if bodies else None, language)
        for at, entry in enumerate(parsed.entries)
    ]


def _media_rss(utf8: bytes) -> etree._Element | None:
    """The feed as a tree, for Media RSS captions; a feed only feedparser can read has none."""
    if b"search.yahoo.com/mrss" not in utf8:
        return None
    try:
        return parse_xml(utf8)
    except ParseError:
        return None


_RSS1 = "http://purl.org/rss/1.0/"
_ATOM = ("http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#")
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
# An entry's own text, best first: content:encoded, Atom content, description, Atom summary.
_BODY_PREFERENCE = (
    (_CONTENT, "encoded"),
    (_ATOM[0], "content"),
    (_ATOM[1], "content"),
    ("", "description"),
    (_RSS1, "description"),
    (_ATOM[0], "summary"),
    (_ATOM[1], "summary"),
)
Body = tuple[str, list[str]]


def _own_bodies(tree: etree._Element | None, count: int) -> list[Body] | None:
    """Each entry's text read from its own elements, never from a media:description.

    feedparser files a Media RSS media:description (a picture's caption) as the entry's content
    or summary, depending on where it stands, so in a Media RSS feed the text is read here: an
    item's content:encoded or description, an Atom entry's content or summary, children of the
    entry itself. None when the entries cannot be matched one to one with feedparser's.
    """
    if tree is None:
        return None
    entries = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str)
        and (
            (localname(el) == "item" and _namespace(el) in ("", _RSS1))
            or (localname(el) == "entry" and _namespace(el) in _ATOM)
        )
    ]
    if len(entries) != count:
        return None
    return [_own_body(entry) for entry in entries]


def _namespace(el: etree._Element) -> str:
    return etree.QName(el).namespace or ""


def _own_body(entry: etree._Element) -> Body:
    found = {(_namespace(c), localname(c)): c for c in reversed(entry) if isinstance(c.tag, str)}
    for key in _BODY_PREFERENCE:
        el = found.get(key)
        if el is None or el.get("src") or not element_text(el).strip():
            continue
        kind = (el.get("type") or "").lower() if key[0] in _ATOM else "html"
        if kind in ("xhtml", "application/xhtml+xml"):
            div = next((c for c in el if isinstance(c.tag, str)), el)
            markup = inner_markup(div)
            return markup, html_paragraphs(markup)
        if kind in ("", "text", "text/plain"):
            return "", paragraphs_from_plain(element_text(el))
        markup = element_text(el)
        return markup, html_paragraphs(markup)
    return "", []


def _when(entry: Any, key: str) -> datetime | None:
    # dict.get skips feedparser's deprecated fallback from updated_parsed to published_parsed.
    value = dict.get(entry, key)
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _text(obj: Any, key: str) -> str:
    """A text construct as plain text; feedparser leaves HTML-typed ones as markup."""
    value = obj.get(key)
    if not isinstance(value, str):
        return ""
    detail = obj.get(f"{key}_detail") or {}
    if detail.get("type") in _HTML_TYPES:
        try:
            return html_text(value)
        except ValueError as exc:
            raise ParseError(f"the feed's HTML {key} cannot be read: {exc}") from exc
    return value.strip()


def _person(obj: Any, key: str) -> str:
    # feedparser folds an e-mail address into "author"; the name alone is the byline.
    detail = obj.get(f"{key}_detail") or {}
    name = detail.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else _text(obj, key)


def _body(entry: Any, captions: set[str]) -> tuple[str, list[str]]:
    """The entry's fullest body (content over summary) as markup and as paragraphs.

    A picture's media:description is its caption, though feedparser files it as content."""
    for detail in [*(entry.get("content") or []), entry.get("summary_detail")]:
        if not detail or not str(detail.get("value", "")).strip():
            continue
        if str(detail["value"]).strip() in captions:
            continue
        value = str(detail["value"])
        if detail.get("type") in _HTML_TYPES:
            return value, html_paragraphs(value)
        return "", paragraphs_from_plain(value)
    return "", []


def _language(entry: Any, channel: str) -> str:
    """The entry's own language (Atom xml:lang on it or its content, RSS dc:language), else
    the channel's (RSS <language>, the feed's xml:lang)."""
    for detail in (
        *(entry.get("content") or []),
        entry.get("summary_detail"),
        entry.get("title_detail"),
    ):
        if detail and str(detail.get("language") or "").strip():
            return str(detail["language"]).strip()
    return str(entry.get("language") or entry.get("dc_language") or "").strip() or channel


def _entry(
    entry: Any,
    agency: str,
    captions: dict[str, tuple[str, str]],
    own: Body | None,
    channel_language: str = "",
) -> Item | Skipped:
    shown = pictures.feed_entry_pictures(entry, captions)
    body_html, paragraphs = (
        own if own is not None else _body(entry, {p.caption for p in shown if p.caption})
    )
    headline = _text(entry, "title")
    uri = entry.get("id") or entry.get("link") or ""
    if not uri:
        digest = hashlib.sha256(f"{headline}\n{join(paragraphs)}".encode()).hexdigest()[:24]
        uri = f"urn:wiredesk:feed:{digest}"
    if not headline and not paragraphs:
        return Skipped(uri=str(uri), reason="feed entry with neither a title nor any text")
    tags = [
        Subject(code=t.get("term") or "", name=t.get("label") or t.get("term") or "")
        for t in entry.get("tags") or []
    ]
    # dc:date arrives as "updated", dcterms:issued as "published"; either may be alone.
    updated = _when(entry, "updated_parsed")
    published = _when(entry, "published_parsed")
    return Item(
        uri=str(uri),
        headline=headline,
        # Feeds carry no version numbers: a new date (updated, or RSS's pubDate) is a new version.
        version=dated.isoformat() if (dated := updated or published) else "1",
        versioncreated=updated or published,
        firstcreated=published or updated,
        byline=_person(entry, "author"),
        body_text=join(paragraphs),
        body_html=body_html,
        subject=tags,
        category=tags[0].name if tags else "",
        language=_language(entry, channel_language),
        agency=agency,
        format=NAME,
        pictures=shown,
    )
