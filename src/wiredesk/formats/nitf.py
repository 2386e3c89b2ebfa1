"""NITF 3.x: the News Industry Text Format, one story per file."""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from wiredesk.exceptions import ParseError
from wiredesk.formats import pictures, signals
from wiredesk.formats.dateline import split_dateline_field, split_opening
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.located import nitf_located
from wiredesk.formats.text import inner_markup, join, paragraphs_from_element
from wiredesk.formats.xml import child, first, has_own_text, localname, parse_xml, text_of
from wiredesk.types import Item, PubStatus, Subject

_BRACKETED = re.compile(r"\([^()]*\)")
NAME = "nitf"
_STATUS: dict[str, PubStatus] = {
    "usable": "usable",
    "embargoed": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}


def sniff(head: bytes, root: str | None) -> bool:
    return root == "nitf"


def parse(data: bytes) -> list[Item]:
    root = parse_xml(data)
    if localname(root) != "nitf":
        raise ParseError(f"expected an <nitf> root element, found <{localname(root)}>")
    return [item_from_nitf(root)]


def item_from_nitf(root: etree._Element) -> Item:
    """Map one <nitf> element; NewsML-G2 reuses this for inline NITF bodies."""
    head = child(root, "head")
    docdata = first(head, "docdata")
    body = child(root, "body")
    body_head = first(body, "body.head") if body is not None else None
    content = first(body, "body.content") if body is not None else None

    headline = text_of(first(body_head, "hl1")) or text_of(first(head, "title"))
    doc_id = first(docdata, "doc-id")
    du_key = first(docdata, "du-key")
    status_attr = (docdata.get("management-status", "") if docdata is not None else "").lower()
    release = first(docdata, "date.release")
    issue = first(docdata, "date.issue")
    # The Canadian Press puts <urgency> straight under <head>, not in <docdata>.
    urgency = first(docdata, "urgency")
    urgency = urgency if urgency is not None else first(head, "urgency")
    dateline_el = first(body_head, "dateline")

    paragraphs = (
        paragraphs_from_element(pictures.without_media(content)) if content is not None else []
    )
    dateline, credit = split_dateline_field(_dateline(dateline_el))
    dateline = dateline_beside(dateline, paragraphs)
    uri = doc_id.get("id-string", "").strip() if doc_id is not None else ""
    if not uri:
        digest = hashlib.sha256(f"{headline}\n{paragraphs[:1]}".encode()).hexdigest()[:24]
        uri = f"urn:wiredesk:nitf:{digest}"

    embargoed = parse_datetime(release.get("norm")) if release is not None else None
    item = Item(
        uri=uri,
        headline=headline,
        version=(du_key.get("version", "") if du_key is not None else "") or "1",
        versioncreated=parse_datetime(issue.get("norm")) if issue is not None else None,
        pubstatus=_STATUS.get(status_attr, "usable"),
        embargoed=embargoed,
        urgency=_int(urgency.get("ed-urg")) if urgency is not None else None,
        language=_language(root),
        byline=text_of(first(body_head, "byline")),
        dateline=dateline,
        credit=credit if dateline else "",
        slugline=_slugline(head),
        body_text=join(paragraphs),
        body_html=inner_markup(content) if content is not None else "",
        subject=_subjects(head),
        agency=_agency(docdata, body_head),
        ednote=_ednote(docdata),
        format=NAME,
        pictures=pictures.nitf_pictures(body),
        located=nitf_located(root),
    )
    story_date = first(dateline_el, "story.date")
    item.firstcreated = (
        parse_datetime(story_date.get("norm")) if story_date is not None else None
    ) or item.versioncreated
    item.category = next((s.name for s in item.subject if s.name), "")
    item.signals = signals.normalised(
        [], item.headline, item.slugline, canceled=item.pubstatus == "canceled"
    )
    return item


def dateline_beside(dateline: str, paragraphs: list[str]) -> str:
    """The metadata dateline, unless the story's opening already carries one.

    Pages print `dateline` before the first paragraph, so a dateline the agency also typed
    into the text ("OTTAWA - ...", "Hamburg (dpa) - ...") would show twice; and when the
    opening is a dateline-and-credit the normaliser cuts, it must take the dateline from there.
    """
    if not dateline or not paragraphs:
        return dateline
    # The text types its own opening, in the first paragraph or after a short note before it
    # (a press release's "All amounts in US dollars"): the field is not the dateline.
    if any(split_opening(p) is not None for p in paragraphs[:3]):
        return ""
    # The place near the start ("OTTAWA - ", "(ANSA) - Rome, ", "(New York, NY - ...") means
    # the agency typed the dateline into the text; dpa may put a teaser paragraph before it.
    place = dateline.split(",")[0].split("(")[0].strip().casefold()
    if place and any(_opens_with(p.casefold(), place) for p in paragraphs[:3]):
        return ""
    return dateline


def _opens_with(paragraph: str, place: str) -> bool:
    """Whether the place opens the paragraph: nothing but a bracketed credit and punctuation
    before it. "Real Madrid" mid-sentence is not the dateline "Madrid" typed into the text."""
    at = paragraph.find(place, 0, len(place) + 24)
    return at >= 0 and not any(c.isalnum() for c in _BRACKETED.sub("", paragraph[:at]))


def _dateline(dateline_el: etree._Element | None) -> str:
    """The dateline as the agency wrote it, or its place when it sent only structure.

    NITF's dateline is mixed content: "<location><city>Kabul</city></location>/New Delhi,
    <story.date>Sep 1</story.date>" is the text "Kabul/New Delhi, Sep 1", all of it. A dateline
    that is only elements with layout between them (The Canadian Press: city, state, country
    on their own lines) is data rather than text: its place parts are joined with commas, and
    the story.date (often a machine timestamp, as EFE's is) is left to the date fields.
    """
    if dateline_el is None:
        return ""
    if has_own_text(dateline_el):
        return text_of(dateline_el)
    location = first(dateline_el, "location")
    if location is None:
        return ""
    if has_own_text(location):
        return text_of(location)
    parts = [text_of(part) for part in location if isinstance(part.tag, str)]
    return ", ".join(p for p in parts if p)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _language(root: etree._Element) -> str:
    lang = root.get("{http://www.w3.org/XML/1998/namespace}lang") or root.get("baselang")
    return (lang or "").strip()


def _slugline(head: etree._Element | None) -> str:
    du_key = first(head, "du-key")
    if du_key is not None and du_key.get("key"):
        return du_key.get("key", "").strip()
    for keyword in (
        d for d in (head.iter() if head is not None else []) if localname(d) == "keyword"
    ):
        # Some agencies (The Canadian Press) write the keyword as text, not as key="".
        return (keyword.get("key") or text_of(keyword)).strip()
    return ""


def _subjects(head: etree._Element | None) -> list[Subject]:
    out: list[Subject] = []
    if head is None:
        return out
    for el in head.iter():
        if localname(el) == "tobject.subject":
            code = el.get("tobject.subject.refnum", "").strip()
            name = (
                el.get("tobject.subject.matter")
                or el.get("tobject.subject.type")
                or el.get("tobject.subject.detail")
                or ""
            ).strip()
            if code or name:
                out.append(Subject(code=code, name=name))
    return out


def _agency(docdata: etree._Element | None, body_head: etree._Element | None) -> str:
    distributor = text_of(first(body_head, "distributor"))
    if distributor:
        return distributor
    copyright_el = first(docdata, "doc.copyright")
    return copyright_el.get("holder", "").strip() if copyright_el is not None else ""


def _ednote(docdata: etree._Element | None) -> str:
    msg = first(docdata, "ed-msg")
    return msg.get("info", "").strip() if msg is not None else ""
