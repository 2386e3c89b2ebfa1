"""ANP News API JSON: {"hasError": ..., "data": item} for one item, "data": [items] for a list.

An item names itself by `id` (ANP's detail endpoint is /items/{id}) with a `version`; its text
is `bodyText`, HTML paragraphs; `title` is the headline, `sourceTitle` the ANP service it came
from ("ANP 101", "AFN", "AFP EN (Editorial)"), `pubDate` this version's time and
`firstIssueDate` the first version's.
"""

from __future__ import annotations

import re
from typing import Any

from wiredesk.exceptions import ParseError
from wiredesk.formats.dateline import split_opening
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.ninjs import html_paragraphs, load_json
from wiredesk.formats.text import apart_at_blank_lines, join
from wiredesk.types import Item, Skipped

NAME = "anpnews"
_KEYS = (re.compile(rb'"sourceTitle"\s*:'), re.compile(rb'"firstIssueDate"\s*:'))
_TEXT_KINDS = ("TEXTARTICLE", "")


def sniff(head: bytes, root: str | None) -> bool:
    return (
        root is None
        and head.lstrip()[:1] in (b"{", b"[")
        and all(key.search(head) for key in _KEYS)
    )


def parse(data: bytes) -> list[Item | Skipped]:
    doc = load_json(data)
    found = doc.get("data", doc) if isinstance(doc, dict) else doc
    found = found if isinstance(found, list) else [found]
    if not found or not all(isinstance(o, dict) for o in found):
        raise ParseError("ANP News API JSON must hold an item, or a list of items, in its data")
    return [_item(o) for o in found]


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _item(obj: dict[str, Any]) -> Item | Skipped:
    uri = _str(obj, "id").strip()
    if not uri:
        raise ParseError("an ANP News API item has no id, so it cannot be tracked across versions")
    kind = _str(obj, "kind").upper()
    if kind not in _TEXT_KINDS:
        return Skipped(uri=uri, reason=f"ANP News API item of kind {kind!r}, not a text story")
    body = _str(obj, "bodyText")
    paragraphs = apart_at_blank_lines(html_paragraphs(body)) if body.strip() else []
    urgency = obj.get("urgency")
    authors = obj.get("authors")
    return Item(
        uri=uri,
        version=str(obj.get("version") if obj.get("version") is not None else "1"),
        versioncreated=parse_datetime(_str(obj, "pubDate")),
        firstcreated=parse_datetime(_str(obj, "firstIssueDate") or _str(obj, "pubDate")),
        urgency=urgency if isinstance(urgency, int) and not isinstance(urgency, bool) else None,
        headline=_str(obj, "title").strip(),
        byline=", ".join(a.strip() for a in authors if isinstance(a, str) and a.strip())
        if isinstance(authors, list)
        else "",
        body_text=join(paragraphs),
        body_html=body,
        # The opening's credit ("AMSTERDAM (ANP) - ") names the agency; copy without one
        # (AFP's, in English) is credited to the ANP service it came through.
        agency=""
        if paragraphs and split_opening(paragraphs[0])
        else _str(obj, "sourceTitle").strip(),
        category=_str(obj, "category").strip(),
        format=NAME,
    )
