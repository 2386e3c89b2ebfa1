"""dpa digitalwires JSON (`"format": "digitalwires@0.9.1"`): one entry, or a wireQ response's
"entries" list.

Each entry names itself by `urn` with a `version`; its text is `article_html` (sections of
HTML paragraphs and headings). The dateline and credit come in their own field ("Berlin (dpa) -
"), not in the text. The teaser, the notepad and the link box are dpa's notes to editors, not
the story; publishable `ednotes` (apart from the closing line of initials) are the editor's note.
"""

from __future__ import annotations

import re
from typing import Any

from wiredesk.exceptions import ParseError
from wiredesk.formats import signals
from wiredesk.formats.dateline import credit_to_agency, split_opening
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.ninjs import html_paragraphs, load_json
from wiredesk.formats.text import apart_at_blank_lines, join
from wiredesk.types import Item, PubStatus, Skipped, Subject

NAME = "digitalwires"
_FORMAT = re.compile(rb'"format"\s*:\s*"digitalwires@')
_STATUS: dict[str, PubStatus] = {"withheld": "withheld", "canceled": "canceled"}
_NOT_NOTES = ("dpaednoterole:closingline",)
_SUBJECT_TYPES = ("dnltype:dpasubject", "dnltype:keyword", "dnltype:geosubject")


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and head.lstrip()[:1] in (b"{", b"[") and bool(_FORMAT.search(head))


def parse(data: bytes) -> list[Item | Skipped]:
    doc = load_json(data)
    entries = doc.get("entries") if isinstance(doc, dict) and "entries" in doc else doc
    entries = entries if isinstance(entries, list) else [entries]
    if not entries or not all(isinstance(e, dict) for e in entries):
        raise ParseError("dpa digitalwires JSON must be an entry, or a list of entries")
    return [_entry(e) for e in entries]


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _entry(obj: dict[str, Any]) -> Item | Skipped:
    uri = _str(obj, "urn").strip()
    if not uri:
        raise ParseError("a dpa digitalwires entry has no urn, so it cannot be tracked")
    kind = _str(obj, "type") or "text"
    if kind not in ("text", "composite"):
        return Skipped(uri=uri, reason=f"dpa digitalwires entry of type {kind!r}, not text")
    article = _str(obj, "article_html")
    paragraphs = apart_at_blank_lines(html_paragraphs(article)) if article.strip() else []
    dateline, credit = _dateline(_str(obj, "dateline"), paragraphs)
    agency = credit_to_agency(credit) if credit else ""
    status = _STATUS.get(_str(obj, "pubstatus").lower(), "usable")
    urgency = obj.get("urgency")
    categories = _dicts(obj.get("categories"))
    item = Item(
        uri=uri,
        version=str(obj.get("version") if obj.get("version") is not None else "1"),
        versioncreated=parse_datetime(_str(obj, "version_created")),
        firstcreated=parse_datetime(_str(obj, "content_created") or _str(obj, "version_created")),
        pubstatus=status,
        embargoed=parse_datetime(_str(obj, "embargoed")),
        urgency=urgency if isinstance(urgency, int) and not isinstance(urgency, bool) else None,
        language=_str(obj, "language"),
        headline=_str(obj, "headline").strip(),
        byline=_str(obj, "byline").strip(),
        dateline=dateline,
        credit=credit,
        body_text=join(paragraphs),
        body_html=article,
        subject=[
            Subject(code=_str(c, "qcode"), name=_str(c, "name"))
            for c in categories
            if c.get("type") in _SUBJECT_TYPES
        ],
        agency=agency or _str(obj, "creditline").strip(),
        category=next(
            (_str(c, "name") for c in categories if c.get("type") == "dnltype:genre"), ""
        ),
        ednote="\n".join(
            _str(n, "ednote").strip()
            for n in _dicts(obj.get("ednotes"))
            if n.get("is_publishable") is True and n.get("role") not in _NOT_NOTES
        ),
        format=NAME,
    )
    # dpa's signal is an IPTC qcode ("sig:correction", "sig:update") or null.
    item.signals = signals.normalised(
        [_str(obj, "signal")], item.headline, "", status == "canceled"
    )
    return item


def _dateline(field: str, paragraphs: list[str]) -> tuple[str, str]:
    """The dateline field "Berlin (dpa) - " read as the opening it is, when the grammar of
    openings reads it; else as sent, trimmed at its ends. A text that already opens with it
    (dpa does so in some renditions) keeps it, and the field is not shown twice."""
    value = field.strip()
    if not value:
        return "", ""
    lead = paragraphs[0] if paragraphs else ""
    if lead.startswith(value):
        return "", ""
    opening = split_opening(f"{value} {lead}".strip())
    if opening is not None and opening.rest == lead:
        return opening.dateline, opening.credit
    return value, ""
