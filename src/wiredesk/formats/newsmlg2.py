"""NewsML-G2: a bare newsItem, or a newsMessage carrying several items.

The body may be inline NITF, inline XHTML, or plain text in inlineData. Items that are
not text stories (pictures, packages, events, concepts, planning) are skipped with a reason.
"""

from __future__ import annotations

from lxml import etree

from wiredesk.exceptions import ParseError
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.nitf import item_from_nitf
from wiredesk.formats.text import (
    inner_markup,
    join,
    paragraphs_from_element,
    paragraphs_from_html,
    paragraphs_from_plain,
)
from wiredesk.formats.xml import child, children, first, localname, parse_xml, text_of
from wiredesk.types import Item, PubStatus, Skipped, Subject

NAME = "newsmlg2"
ITEM_KINDS = {"newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem"}
ROOTS = ITEM_KINDS | {"newsMessage"}
_TEXT_CLASSES = {"ninat:text", "ninat:composite", ""}


def sniff(head: bytes, root: str | None) -> bool:
    return root in ROOTS


def parse(data: bytes) -> list[Item | Skipped]:
    root = parse_xml(data)
    name = localname(root)
    if name == "newsMessage":
        item_set = child(root, "itemSet")
        elements = [
            e for e in (item_set if item_set is not None else []) if localname(e) in ITEM_KINDS
        ]
        if not elements:
            raise ParseError("the newsMessage carries no items in its itemSet")
    elif name in ITEM_KINDS:
        elements = [root]
    else:
        raise ParseError(f"expected a NewsML-G2 newsItem or newsMessage, found <{name}>")
    return [_one(el) for el in elements]


def _one(el: etree._Element) -> Item | Skipped:
    guid = (el.get("guid") or "").strip()
    kind = localname(el)
    if kind != "newsItem":
        return Skipped(uri=guid, reason=f"a NewsML-G2 {kind} is not a text story; skipped")
    item_meta = child(el, "itemMeta")
    item_class = first(item_meta, "itemClass")
    qcode = (item_class.get("qcode", "") if item_class is not None else "").strip()
    if qcode not in _TEXT_CLASSES:
        return Skipped(uri=guid, reason=f"itemClass {qcode} is not a text story; skipped")
    if not guid:
        raise ParseError("a newsItem has no guid, so it cannot be tracked across versions")
    return _news_item(el, guid, item_meta)


def _news_item(el: etree._Element, guid: str, item_meta: etree._Element | None) -> Item:
    content_meta = child(el, "contentMeta")
    item = _body(child(el, "contentSet"))
    item.uri = guid
    item.version = (el.get("version") or "").strip() or "1"
    item.format = NAME
    item.versioncreated = parse_datetime(text_of(child(item_meta, "versionCreated")))
    item.firstcreated = (
        parse_datetime(text_of(child(item_meta, "firstCreated")))
        or parse_datetime(text_of(child(content_meta, "contentCreated")))
        or item.versioncreated
    )
    item.embargoed = parse_datetime(text_of(child(item_meta, "embargoed")))
    item.pubstatus = _pubstatus(child(item_meta, "pubStatus"))
    item.signals = (
        [(s.get("qcode") or "").strip() for s in children(item_meta, "signal") if s.get("qcode")]
        if item_meta is not None
        else []
    )
    item.ednote = text_of(child(item_meta, "edNote")) or item.ednote
    item.language = (
        el.get("{http://www.w3.org/XML/1998/namespace}lang")
        or _attr(child(content_meta, "language"), "tag")
        or item.language
    ).strip()
    if content_meta is not None:
        _content_meta(item, content_meta)
    if not item.agency and item_meta is not None:
        provider = child(item_meta, "provider")
        item.agency = _name_or_code(provider, prefix="nprov:")
    return item


def _content_meta(item: Item, meta: etree._Element) -> None:
    headlines = children(meta, "headline")
    main = [h for h in headlines if not h.get("role") or h.get("role", "").endswith("main")]
    if headlines:
        item.headline = text_of((main or headlines)[0])
    item.slugline = text_of(child(meta, "slugline")) or item.slugline
    item.byline = text_of(child(meta, "by")) or item.byline
    item.dateline = text_of(child(meta, "dateline")) or item.dateline
    urgency = text_of(child(meta, "urgency"))
    if urgency.isdigit():
        item.urgency = int(urgency)
    item.agency = text_of(child(meta, "creditline")) or item.agency
    subjects = []
    for subject in children(meta, "subject"):
        code = (subject.get("qcode") or subject.get("literal") or "").strip()
        subjects.append(Subject(code=code, name=text_of(child(subject, "name"))))
    if subjects:
        item.subject = subjects
    genre_or_subject = next((s.name for s in item.subject if s.name), "")
    item.category = item.category or genre_or_subject


def _body(content_set: etree._Element | None) -> Item:
    if content_set is None:
        return Item(uri="")
    for inline in content_set:
        kind = localname(inline)
        if kind == "inlineXML":
            nitf = first(inline, "nitf")
            if nitf is not None:
                return item_from_nitf(nitf)
            body = first(inline, "body")
            body = inline if body is None else body
            return Item(
                uri="",
                body_text=join(paragraphs_from_element(body)),
                body_html=inner_markup(body),
            )
        if kind == "inlineData":
            text = inline.text or ""
            contenttype = (inline.get("contenttype") or "").lower()
            looks_html = "html" in contenttype or "<p" in text.lower()
            paragraphs = paragraphs_from_html(text) if looks_html else paragraphs_from_plain(text)
            return Item(uri="", body_text=join(paragraphs), body_html=text if looks_html else "")
    return Item(uri="")


def _pubstatus(el: etree._Element | None) -> PubStatus:
    qcode = (el.get("qcode", "") if el is not None else "").strip().split(":")[-1].lower()
    if qcode in ("withheld", "canceled"):
        return qcode  # type: ignore[return-value]
    if qcode == "cancelled":
        return "canceled"
    return "usable"


def _attr(el: etree._Element | None, name: str) -> str:
    return (el.get(name) or "") if el is not None else ""


def _name_or_code(el: etree._Element | None, prefix: str) -> str:
    if el is None:
        return ""
    code = (el.get("qcode") or el.get("literal") or "").strip()
    if code.startswith(prefix):
        return code[len(prefix) :]
    return text_of(child(el, "name")) or code
