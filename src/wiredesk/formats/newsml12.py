"""NewsML 1.x (1.0 to 1.2: AFP, ANA, Belga, Reuters...): a <NewsML> envelope of NewsItems.

Each NewsItem names itself in Identification/NewsIdentifier, states its status in
NewsManagement, and holds its text in nested NewsComponents whose ContentItems carry a
DataContent: NITF, XHTML, bare <p> elements or plain text. A NewsItem of photos only is a
picture (formats/newsml1_pictures.py); one that only points at other files (NewsItemRef) is a
package with nothing to publish, skipped with that reason.
"""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from wiredesk.exceptions import ParseError
from wiredesk.formats import signals
from wiredesk.formats.dateline import split_dateline_field, split_opening
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.newsml1_pictures import group_picture, holds_photo_only, photo_groups
from wiredesk.formats.nitf import dateline_beside
from wiredesk.formats.plaintext import uri_part
from wiredesk.formats.text import inner_markup, join, paragraphs_from_element, paragraphs_from_plain
from wiredesk.formats.xml import child, element_text, first, localname, parse_xml, text_of
from wiredesk.types import Item, Picture, PubStatus, Skipped, Subject

NAME = "newsml12"
_STATUS: dict[str, PubStatus] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}
# urn:newsml:afp.com:20240710:240710125902.qpsp2jzk:1 — the last part is the revision
# (with an optional update letter), so versions of one story share what precedes it.
_REVISION_SUFFIX = re.compile(r":\d+[A-Za-z]?$")
_NON_TEXT = {"photo", "graphic", "video", "audio", "animation", "image", "picture"}
# NewsItemType values whose text is one sentence sent as the body, with no HeadLine (AFP).
_ALERT_TYPES = {"alert", "flash"}


def sniff(head: bytes, root: str | None) -> bool:
    return root == "NewsML"


def parse(data: bytes) -> list[Item | Skipped | Picture]:
    root = parse_xml(data)
    if localname(root) != "NewsML":
        raise ParseError(f"expected a <NewsML> root element, found <{localname(root)}>")
    news_items = [el for el in root.iter() if localname(el) == "NewsItem"]
    if not news_items:
        raise ParseError("the NewsML file carries no NewsItem")
    return [_news_item(el, version_label(root)) for el in news_items]


def version_label(root: etree._Element) -> str:
    """The version a file declares on its root (1.1 and later carry one); 1.0 declares none."""
    version = (root.get("Version") or "").strip()
    return f"NewsML {version}" if version else "NewsML 1.0"


def _news_item(el: etree._Element, label: str = "NewsML") -> Item | Skipped | Picture:
    identifier = first(child(el, "Identification"), "NewsIdentifier")
    provider = text_of(child(identifier, "ProviderId")) or _agency(el)
    uri = _uri(el, identifier, provider)
    texts, others = _content_items(el)
    if not texts:
        uri = uri or _content_uri(provider, etree.tostring(el))
        return _not_text(el, uri, others, label)

    paragraphs: list[str] = []
    html: list[str] = []
    for content in texts:
        found, markup = _data_content(content)
        paragraphs += found
        html.append(markup)
    management = child(el, "NewsManagement")
    status = _formal(child(management, "Status")).lower()
    lines = _lines(el)
    revision = child(identifier, "RevisionId")
    headline, body_text = _headline(el, lines, paragraphs), join(paragraphs)
    # AFP writes its credit into the DateLine ("Madrid (أ ف ب)"): dateline and credit apart.
    dateline, credit = split_dateline_field(lines.get("DateLine", ""))
    dateline = dateline_beside(dateline, paragraphs)
    digest = hashlib.sha256(f"{headline}\n{body_text}".encode()).digest()
    item = Item(
        uri=uri or _content_uri(provider, digest),
        headline=headline,
        # Without a RevisionId, a changed re-send must still be a new version: one that is
        # not a bare number orders by time, and an identical re-send stays a no-op.
        version=text_of(revision) or f"1-{digest.hex()[:10]}",
        versioncreated=parse_datetime(text_of(child(management, "ThisRevisionCreated"))),
        firstcreated=parse_datetime(text_of(child(management, "FirstCreated"))),
        pubstatus=_STATUS.get(status, "usable"),
        urgency=_int(_formal(child(management, "Urgency"))),
        language=_formal(first(el, "Language")),
        byline=lines.get("ByLine", ""),
        dateline=dateline,
        credit=credit if dateline else "",
        slugline=lines.get("SlugLine", "") or text_of(first(el, "NameLabel")),
        body_text=body_text,
        body_html="\n".join(h for h in html if h),
        subject=_subjects(el),
        agency=_agency(el),
        format=NAME,
        pictures=[p for p in (group_picture(g) for g in photo_groups(el)) if p is not None],
    )
    item.firstcreated = item.firstcreated or item.versioncreated
    item.category = next((g for g in _genres(el) if g), "")
    item.signals = signals.normalised([], item.headline, item.slugline, status == "canceled")
    _embargo(item, management, status)
    previous = (revision.get("PreviousRevision") or "").strip() if revision is not None else ""
    if previous.isdecimal() and int(previous) > 0 and signals.UPDATE not in item.signals:
        item.signals.append(signals.UPDATE)
    return item


def _not_text(el: etree._Element, uri: str, others: set[str], label: str) -> Skipped | Picture:
    """A NewsItem without story text: a photo is a picture; anything else is skipped, saying
    what it holds. A package of NewsItemRefs (Reuters' NewsML 1.0 showcase) names stories
    sent in other files; those files are the stories, so the package itself is skipped."""
    management = child(el, "NewsManagement")
    status = _formal(child(management, "Status")).lower()
    revision = text_of(child(first(child(el, "Identification"), "NewsIdentifier"), "RevisionId"))
    groups = photo_groups(el)
    if len(groups) == 1 and holds_photo_only(el):
        picture = group_picture(groups[0], uri, revision or "1", _STATUS.get(status, "usable"))
        if picture is not None:
            return picture
    refs = [r for r in el.iter() if localname(r) == "NewsItemRef"]
    if refs:
        return Skipped(
            uri=uri,
            reason=f"{label}: a package of {len(refs)} NewsItemRef references to items sent in "
            "other files (headlines only), not a text story; nothing to publish",
        )
    kinds = ", ".join(sorted(others)) or "no content"
    return Skipped(uri=uri, reason=f"a {label} NewsItem holding {kinds}, not text; skipped")


def _headline(el: etree._Element, lines: dict[str, str], paragraphs: list[str]) -> str:
    """The HeadLine; without one, where NewsML 1.x and AFP put the words that head the item.

    An alert (NewsItemType Alert or Flash) is one sentence sent as its first paragraph, with an
    empty HeadLine: that sentence heads it, and stays in the body. Otherwise the SubHeadLine,
    then the SlugLine, then the NameLabel (the desk label NewsML 1.x gives every item, such as
    AFP's "مذكرة" for a service memo) stand in, as a wire's slug does for an untitled take.
    """
    if lines.get("HeadLine"):
        return lines["HeadLine"]
    item_type = _formal(child(child(el, "NewsManagement"), "NewsItemType")).lower()
    if item_type in _ALERT_TYPES and paragraphs:
        opening = split_opening(paragraphs[0])
        return opening.rest if opening else paragraphs[0]
    label = text_of(child(child(el, "Identification"), "NameLabel"))
    return lines.get("SubHeadLine") or lines.get("SlugLine") or label


def _uri(el: etree._Element, identifier: etree._Element | None, provider: str) -> str:
    """The item's id, in the documented order: NewsItemId, PublicIdentifier, then Duid.

    NewsItemId counts with its ProviderId and DateId, the standard's own triple; without one
    of those, a PublicIdentifier says more. TASS sends a NewsIdentifier with only a ProviderId
    and puts its id in NewsComponent/@Duid, which the standard makes unique only within one
    file, so it is qualified by the provider.
    """
    provider_id = text_of(child(identifier, "ProviderId"))
    date_id = text_of(child(identifier, "DateId"))
    item_id = text_of(child(identifier, "NewsItemId"))
    if provider_id and date_id and item_id:
        return f"urn:newsml:{provider_id}:{date_id}:{item_id}"
    public = _REVISION_SUFFIX.sub("", text_of(child(identifier, "PublicIdentifier")))
    if public:
        return public
    if item_id:
        return "urn:newsml:" + ":".join(part for part in (provider, date_id, item_id) if part)
    for holder in (el, child(el, "NewsComponent")):
        duid = (holder.get("Duid") or "").strip() if holder is not None else ""
        if duid:
            return f"urn:newsml:{provider or 'unknown'}:duid:{duid}"
    return ""


def _content_uri(provider: str, content: bytes) -> str:
    """The last resort, for an item that names itself nowhere: its provider and a digest of
    its content, so the same item sent twice is one story (an update will be a new one)."""
    digest = hashlib.sha256(content).hexdigest()[:16]
    return f"urn:wiredesk:newsml12:{uri_part(provider or 'unknown')}:{digest}"


def _content_items(el: etree._Element) -> tuple[list[etree._Element], set[str]]:
    """The text ContentItems in document order, and the media kinds of the others.

    A picture's component often carries its caption as a Text ContentItem; those captions are
    not the story, so components whose Role says caption are passed over.
    """
    texts: list[etree._Element] = []
    others: set[str] = set()
    for content in (c for c in el.iter() if localname(c) == "ContentItem"):
        component = content.getparent()
        role = _formal(child(component, "Role")).lower() if component is not None else ""
        media = _formal(child(content, "MediaType")).lower()
        if media in _NON_TEXT:
            others.add(media)
        elif "caption" not in role and child(content, "DataContent") is not None:
            texts.append(content)
    return texts, others


def _data_content(content: etree._Element) -> tuple[list[str], str]:
    data = child(content, "DataContent")
    if data is None:
        return [], ""
    nitf = first(data, "nitf")
    body: etree._Element | None = data
    if nitf is not None:
        body = first(nitf, "body.content")
    elif first(data, "body") is not None:
        body = first(data, "body")
    if body is None:
        return [], ""
    if len(body) == 0:
        return paragraphs_from_plain(element_text(body)), ""
    return paragraphs_from_element(body), inner_markup(body)


def _lines(el: etree._Element) -> dict[str, str]:
    """The first non-empty HeadLine, ByLine, DateLine... among the item's NewsLines, leaving
    out a photo's own (its HeadLine is a caption, its ByLine the photographer)."""
    out: dict[str, str] = {}
    for news_lines in (n for n in el.iter() if localname(n) == "NewsLines"):
        component = news_lines.getparent()
        if component is not None and component is not el and holds_photo_only(component):
            continue
        for line in news_lines:
            name = localname(line)
            if name and name not in out and text_of(line):
                out[name] = text_of(line)
    return out


def _embargo(item: Item, management: etree._Element | None, status: str) -> None:
    """An embargo is a StatusWillChange to Usable at a time; "Embargoed" with no time is held."""
    change = child(management, "StatusWillChange")
    moment = parse_datetime(text_of(child(change, "DateAndTime")))
    future = _formal(child(change, "FutureStatus")).lower()
    if moment is not None and future in ("usable", ""):
        item.embargoed = moment
    elif status == "embargoed":
        item.signals.append(signals.EMBARGO)


def _subjects(el: etree._Element) -> list[Subject]:
    out: list[Subject] = []
    for code in (c for c in el.iter() if localname(c) == "SubjectCode"):
        for subject in code:
            if localname(subject) in ("Subject", "SubjectMatter", "SubjectDetail"):
                value = _formal(subject)
                if value and Subject(code=value) not in out:
                    out.append(Subject(code=value))
    return out


def _genres(el: etree._Element) -> list[str]:
    return [_formal(g) for g in el.iter() if localname(g) == "Genre"]


def _agency(el: etree._Element) -> str:
    for kind in ("Provider", "Creator", "Source"):
        holder = first(el, kind)
        party = child(holder, "Party")
        if _formal(party):
            return _formal(party)
    return ""


def _formal(el: etree._Element | None) -> str:
    return (el.get("FormalName") or "").strip() if el is not None else ""


def _int(value: str) -> int | None:
    return int(value) if value.isdecimal() else None
