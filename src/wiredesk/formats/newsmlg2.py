"""NewsML-G2: a bare newsItem, or a newsMessage carrying several items.

The body may be inline NITF, inline XHTML, or plain text in inlineData. Items that are
not text stories (pictures, packages, events, concepts, planning) are skipped with a reason.
Metadata values are stripped (Reuters pads them with newlines); the body text never is,
beyond the two ends of each paragraph.
"""

from __future__ import annotations

import re

from lxml import etree

from wiredesk.exceptions import ParseError
from wiredesk.formats import pictures, signals
from wiredesk.formats.dateline import credit_to_agency
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.located import g2_located, kept
from wiredesk.formats.nitf import dateline_beside, item_from_nitf
from wiredesk.formats.text import (
    apart_at_blank_lines,
    inner_markup,
    join,
    paragraphs_from_element,
    paragraphs_from_html,
    paragraphs_from_plain,
)
from wiredesk.formats.xml import (
    child,
    children,
    element_text,
    first,
    localname,
    parse_xml,
    text_of,
)
from wiredesk.types import Item, Package, Picture, PubStatus, Skipped, Subject

NAME = "newsmlg2"
ITEM_KINDS = {
    "newsItem",
    "packageItem",
    "conceptItem",
    "knowledgeItem",
    "planningItem",
    "catalogItem",
}
# Pieces of an item the IPTC guidelines print on their own; recognised only to say so.
FRAGMENTS = {"contentSet", "contentMeta", "itemMeta", "itemSet"}
ROOTS = ITEM_KINDS | {"newsMessage"} | FRAGMENTS
_TEXT_CLASSES = {"text", "composite", ""}
_KIND_NAMES = {
    "packageItem": "package (a list of links to other items)",
    "conceptItem": "concept item (an event, person or topic description)",
    "knowledgeItem": "knowledge item (a set of concepts)",
    "planningItem": "planning item (coverage plans)",
    "catalogItem": "catalog item (scheme definitions)",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Reuters puts a transmission timestamp where a dateline belongs: "2018-01-03 20:13:08 GMT".
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_INDENTED = re.compile(r"^[ \t]+\S")


def sniff(head: bytes, root: str | None) -> bool:
    return root in ROOTS


def parse(data: bytes) -> list[Item | Skipped | Picture | Package]:
    root = parse_xml(data)
    name = localname(root)
    if name in FRAGMENTS:
        raise ParseError(
            f"this is a NewsML-G2 <{name}> fragment, not a complete newsItem or newsMessage; "
            "there is no story to publish"
        )
    if name == "newsMessage":
        elements = [
            e
            for item_set in children(root, "itemSet")
            for e in item_set
            if localname(e) in ITEM_KINDS
        ]
        if not elements:
            raise ParseError("the newsMessage carries no items in its itemSet")
    elif name in ITEM_KINDS:
        elements = [root]
    else:
        raise ParseError(f"expected a NewsML-G2 newsItem or newsMessage, found <{name}>")
    return [_one(el) for el in elements]


def _one(el: etree._Element) -> Item | Skipped | Picture | Package:
    guid = (el.get("guid") or "").strip()
    kind = localname(el)
    item_meta = child(el, "itemMeta")
    version = (el.get("version") or "").strip() or "1"
    if kind == "packageItem":
        package = pictures.g2_package(el, guid, version, _pubstatus(child(item_meta, "pubStatus")))
        if guid and package.pictures:
            return package
        return Skipped(uri=guid, reason=_package_reason(el))
    if kind != "newsItem":
        return Skipped(uri=guid, reason=f"a NewsML-G2 {_KIND_NAMES[kind]} is not a story; skipped")
    item_class = child(item_meta, "itemClass")
    qcode = (item_class.get("qcode", "") if item_class is not None else "").strip()
    if pictures.is_picture_class(qcode) and guid:
        return pictures.g2_picture_item(
            el,
            guid,
            version,
            _pubstatus(child(item_meta, "pubStatus")),
            text_of(child(item_meta, "embargoed")),
        )
    if qcode.rsplit(":", 1)[-1].lower() not in _TEXT_CLASSES:
        return Skipped(uri=guid, reason=f"a {qcode} item, not a text story; skipped")
    if not guid:
        raise ParseError("a newsItem has no guid, so it cannot be tracked across versions")
    item = _news_item(el, guid, item_meta)
    if not item.headline and not item.body_text:
        return Skipped(uri=guid, reason="the newsItem carries neither a headline nor any text")
    return item


# itemMeta/link relations that name the same story in another language (IPTC item relation
# codes, in any scheme alias: "irel:translatedFrom", "x:hasTranslation", ...).
_TRANSLATION_RELS = frozenset({"translatedfrom", "translationof", "hastranslation", "translation"})


def translations(item_meta: etree._Element | None) -> list[str]:
    """The items a link in itemMeta says are this story in another language, by guid."""
    found: list[str] = []
    for link in children(item_meta, "link") if item_meta is not None else []:
        rel = (link.get("rel") or "").rsplit(":", 1)[-1].strip().casefold()
        target = (link.get("residref") or link.get("href") or "").strip()
        if rel in _TRANSLATION_RELS and target and target not in found:
            found.append(target)
    return found


def _package_reason(el: etree._Element) -> str:
    refs = [
        (ref.get("residref") or "").strip()
        for ref in el.iter()
        if localname(ref) == "itemRef" and (ref.get("residref") or "").strip()
    ]
    reason = "a NewsML-G2 package (a list of links to other items) is not a story; skipped"
    if refs:
        shown = ", ".join(refs[:5]) + (f" and {len(refs) - 5} more" if len(refs) > 5 else "")
        reason += f"; the stories it links arrive as their own items: {shown}"
    return reason


def _news_item(el: etree._Element, guid: str, item_meta: etree._Element | None) -> Item:
    content_meta = child(el, "contentMeta")
    headlines = (
        [text_of(h) for h in children(content_meta, "headline")] if content_meta is not None else []
    )
    item = _body(child(el, "contentSet"), [h for h in headlines if h])
    item.pictures += pictures.g2_story_pictures(child(el, "contentSet"))
    item.uri = guid
    item.version = (el.get("version") or "").strip() or "1"
    item.format = NAME
    item.versioncreated = parse_datetime(text_of(child(item_meta, "versionCreated")))
    item.firstcreated = (
        parse_datetime(text_of(child(item_meta, "firstCreated")))
        or parse_datetime(text_of(child(content_meta, "contentCreated")))
        or item.versioncreated
    )
    # An empty <embargoed/> is no embargo: parse_datetime gives None for it.
    item.embargoed = parse_datetime(text_of(child(item_meta, "embargoed")))
    item.pubstatus = _pubstatus(child(item_meta, "pubStatus"))
    item.language = (
        (el.get(_XML_LANG) or "").strip()
        or _attr(child(content_meta, "language"), "tag").strip()
        or item.language
    )
    item.translations = translations(item_meta)
    title = text_of(child(item_meta, "title"))
    paragraphs = _without_repeated_headlines(item.paragraphs, [*headlines, title])
    note, paragraphs = _framed_correction(paragraphs)
    item.body_text = join(paragraphs)
    item.ednote = "\n".join(n for n in (note, _ednote(item_meta) or item.ednote) if n)
    credit = _content_meta(item, content_meta) if content_meta is not None else ""
    item.summary = item.summary or _described_summary(content_meta)
    # Without a contentMeta headline, the item's title (itemMeta) names the story.
    item.headline = item.headline or title
    item.agency = " ".join((item.agency or _agency(el, item_meta) or credit).split())
    signal_els = children(item_meta, "signal") if item_meta is not None else []
    qcodes = [s.get("qcode") or "" for s in signal_els]
    item.signals = signals.normalised(
        qcodes, item.headline, item.slugline, canceled=item.pubstatus == "canceled"
    )
    return item


_SUMMARY_ROLE = re.compile(r"(?:^|:)(?:teaser|summary|abstract)$", re.I)


def _described_summary(content_meta: etree._Element | None) -> str:
    """A contentMeta <description> in the role of a teaser, summary or abstract."""
    for description in children(content_meta, "description") if content_meta is not None else []:
        if _SUMMARY_ROLE.search((description.get("role") or "").strip()) and text_of(description):
            return text_of(description)
    return ""


# APA frames a correction notice in lines of dashes before the story: "-----\nKORREKTUR-HINWEIS
# In APA0520 vom 13.04.2015 muss ...\n-----".
_FRAME = re.compile(r"^[ \t]*[-=*_]{10,}[ \t]*$")
_CORRECTION_WORD = re.compile(r"\b(?:KORREKTUR|BERICHTIGUNG|CORRECTION|CORRECTIVE)\b", re.I)


def _framed_correction(paragraphs: list[str]) -> tuple[str, list[str]]:
    """A correction notice framed in dashes before the story is the agency's note, not text."""
    if not paragraphs:
        return "", paragraphs
    lines = paragraphs[0].split("\n")
    if len(lines) < 3 or not (_FRAME.match(lines[0]) and _FRAME.match(lines[-1])):
        return "", paragraphs
    if not _CORRECTION_WORD.search(paragraphs[0]) or len(paragraphs) < 2:
        return "", paragraphs
    # The note's lines as written; the frame and the XML's indentation are layout.
    note = "\n".join(line.strip() for line in lines[1:-1] if line.strip())
    return note, paragraphs[1:]


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _without_repeated_headlines(paragraphs: list[str], headlines: list[str]) -> list[str]:
    """Leading paragraphs that repeat a headline (an XHTML body's <h1> and <h2>, a press
    release's headline component) are the headline, shown once, not the story's first words."""
    known = {_squeezed(h) for h in headlines if h.strip()}
    at = 0
    while at < len(paragraphs) and _squeezed(paragraphs[at]) in known:
        at += 1
    return paragraphs[at:]


def _content_meta(item: Item, meta: etree._Element) -> str:
    """Fills the item from contentMeta; gives the dateline element's credit, if it has one."""
    item.headline = _headline(children(meta, "headline")) or item.headline
    item.slugline = text_of(child(meta, "slugline")) or item.slugline
    item.byline = text_of(child(meta, "by")) or item.byline
    dateline = text_of(child(meta, "dateline"))
    if _TIMESTAMP.match(dateline):
        dateline = ""
    credit = _credited_dateline(item, dateline)
    if not credit:
        if not dateline:
            located = child(meta, "located")
            dateline = (
                text_of(child(located, "name"))
                or _attr(located, "literal").strip()
                or item.dateline
            )
        item.dateline = dateline_beside(dateline, item.paragraphs)
    # contentMeta's located first: an inline NITF body's own locations follow it.
    item.located = kept(g2_located(meta, item.language) + item.located)
    urgency = text_of(child(meta, "urgency"))
    if urgency.isdecimal():
        item.urgency = int(urgency)
    item.agency = text_of(child(meta, "creditline")) or item.agency
    subjects = [_subject(s) for s in children(meta, "subject")]
    subjects = [s for s in subjects if s.code or s.name]
    if subjects:
        item.subject = subjects
    genres = [text_of(child(g, "name")) for g in children(meta, "genre")]
    item.category = _category(children(meta, "subject")) or item.category
    item.category = item.category or next((g for g in genres if g), "")
    return credit


# Any white space after the dash, a no-break space too ("Hanau (dpa) -\xa0 Weil").
_SEPARATOR = r"\s*(?:\.-|[-\u2013\u2014:_]{1,2})?\s*"
# A dateline element that ends in the agency's credit: "Berlin (dpa) - ", "Vatikanstadt (KAP)".
_CREDITED = re.compile(
    r"^(?P<place>.*?\S)\s*\((?P<credit>[A-Za-z]{2,12}(?:\s*/\s*[A-Za-z]{1,12})*)\)"
    + _SEPARATOR
    + "$",
    re.DOTALL,
)


def _credited_dateline(item: Item, dateline: str) -> str:
    """A dateline element with a credit is the item's dateline (place as written) and credit.

    When the body opens with the same words (dpa repeats its dateline element in the first
    text paragraph, after a teaser), they are cut there, so pages show them once. The element
    wins when the body has none (Kathpress). Gives the credit, as an agency name.
    """
    match = _CREDITED.match(dateline)
    if not match or not _looks_like_credit(match.group("credit")):
        return ""
    item.dateline = match.group("place")
    item.credit = match.group("credit")
    # The same place and credit; the dash may differ ("Moskau (dpa) - " over "Moskau (dpa) – ").
    place = r"\s+".join(re.escape(w) for w in match.group("place").split())
    credit = r"\s*".join(re.escape(c) for c in match.group("credit"))
    repeated = re.compile(place + r"\s*\(\s*" + credit + r"\s*\)" + _SEPARATOR)
    paragraphs = item.paragraphs
    for at, paragraph in enumerate(paragraphs[:3]):
        cut = repeated.match(paragraph)
        if cut and paragraph[cut.end() :].strip():
            paragraphs[at] = paragraph[cut.end() :]
            item.body_text = join(paragraphs)
            break
    return credit_to_agency(match.group("credit"))


def _looks_like_credit(credit: str) -> bool:
    """An agency code: each part all capitals or all small letters ("KAP", "dpa", "APA/dpa"),
    not a region in brackets ("Taiwan", "Karnataka")."""
    parts = [p.strip() for p in credit.split("/")]
    return all(p.isupper() or p.islower() for p in parts)


def _headline(headlines: list[etree._Element]) -> str:
    """The main headline: no role or a main role (`hld:main`, `hlrole:main`, APA's
    `apahltype:title`), lowest rank first; else the first that is not a sub headline."""
    main = [
        h
        for h in headlines
        if _role(h) in ("", "main", "title", "headline")
        or _role(h).endswith((":main", ":title", ":headline"))
    ]
    main = main or [h for h in headlines if "sub" not in _role(h)]
    ranked = sorted(main or headlines, key=lambda h: _int((h.get("rank") or "").strip(), 10**6))
    return next((text_of(h) for h in ranked if text_of(h)), "")


def _role(el: etree._Element) -> str:
    return (el.get("role") or "").strip().lower()


def _subject(el: etree._Element) -> Subject:
    code = (el.get("qcode") or el.get("literal") or "").strip()
    return Subject(code=code, name=_display_name(el))


def _display_name(el: etree._Element, readable: bool = False) -> str:
    """A concept's readable name; dpa also lists mnemonics ("sp") and short forms ("DEU")."""
    names = children(el, "name")
    shown = [n for n in names if not _role(n).endswith(("mnemonic", "short"))]
    return next((text_of(n) for n in (shown if readable else shown + names) if text_of(n)), "")


def _category(subjects: list[etree._Element]) -> str:
    """A section-like name: a category subject, then a topic, never a place."""

    def named(els: list[etree._Element]) -> str:
        # A bare mnemonic ("vm", "sp") would make a poor section; the next kind of subject wins.
        return next((n for n in (_display_name(e, readable=True) for e in els) if n), "")

    def kind(el: etree._Element) -> str:
        return f"{el.get('type') or ''} {el.get('qcode') or ''}".lower()

    categories = [s for s in subjects if "category" in kind(s) or "cat:" in kind(s)]
    topics = [s for s in subjects if "medtop:" in kind(s) or "subj:" in kind(s)]
    places = ("geoarea", "cpttype:5", "poi", "person", "organisation", "organization")
    others = [s for s in subjects if not any(p in kind(s) for p in places)]
    return named(categories) or named(topics) or named(others)


def _ednote(item_meta: etree._Element | None) -> str:
    """Public editorial notes as plain lines; dpa's XHTML notepad repeats them, so it is left out,
    and notes the agency marks non-public (contacts, phone numbers) never reach a page."""
    notes = []
    for note in children(item_meta, "edNote") if item_meta is not None else []:
        if "nonpublic" in (note.get("pubconstraint") or "").lower() or len(note):
            continue
        text = text_of(note)
        if text and text not in notes:
            notes.append(text)
    return "\n".join(notes)


def _body(content_set: etree._Element | None, headlines: list[str]) -> Item:
    """The story from the contentSet's text components.

    One component is the story. dpa sends headline, teaser and text renditions side by side:
    the story is the longest. A press release (Business Wire, GlobeNewswire, PR Newswire) sends
    pieces: an abstract, a stylesheet, the headline again, the body, a contact block. Pieces
    that are not the story (a stylesheet or script, a headline, abstract or teaser, text equal
    to a headline) are left out; what remains is the longest, then every other component whose
    words it does not already hold (the contact block), in the file's order.
    """
    if content_set is None:
        return Item(uri="")
    known = {_squeezed(h) for h in headlines}
    parts: list[tuple[Item, str]] = []
    xml: list[Item] = []
    components = _text_components(content_set)
    for component in components:
        part = _component(component, known)
        if _squeezed(part.body_text) and _squeezed(part.body_text) not in known:
            parts.append((part, _naming(component)))
            if localname(component) == "inlineXML":
                xml.append(part)
    if not parts:
        # No text, but an inline NITF head may still hold the dateline.
        return _component(components[0], known) if components else Item(uri="")
    # XHTML or NITF is the richer rendition when the agency sends plain text beside it.
    story = max(xml or [p for p, _ in parts], key=lambda p: len(p.body_text))
    words = set(story.body_text.split())
    # Named renditions are alternatives (dpa's text, notepad, contacts not for publication);
    # a piece that is part of the story is unnamed or named as the closing block it is.
    extra = [
        p
        for p, naming in parts
        if p is not story
        and (not naming or _CLOSING.search(naming))
        and not _mostly_in(p.body_text, words)
    ]
    if extra:
        story.body_text = join([story.body_text, *(p.body_text for p in extra)])
        story.body_html = "\n".join([story.body_html, *(p.body_html for p in extra if p.body_html)])
    return story


def _mostly_in(text: str, words: set[str]) -> bool:
    """Whether most of a component's words are the story's: another rendition of it, or its
    abstract; a contact block's names and numbers are not."""
    own = text.split()
    return sum(w in words for w in own) * 2 >= len(own)


# Components that are code or the story's metadata told again, never its text.
_NOT_STORY_TYPES = ("css", "javascript", "ecmascript", "json")
_NOT_STORY_ROLES = re.compile(
    r"headline|title|abstract|teaser|summary|style|script|nonpublic|private|internal", re.I
)
_CLOSING = re.compile(r"contact|boilerplate|about|disclaimer|footer|trailer", re.I)


def _naming(component: etree._Element) -> str:
    return " ".join(
        (component.get(a) or "").strip() for a in ("rendition", "role", "class") if component.get(a)
    )


def _text_components(content_set: etree._Element) -> list[etree._Element]:
    found = []
    for component in content_set:
        if not isinstance(component.tag, str):
            continue
        kind = localname(component)
        contenttype = (component.get("contenttype") or "").lower()
        if kind not in ("inlineXML", "inlineData") or any(
            t in contenttype for t in _NOT_STORY_TYPES
        ):
            continue
        if kind == "inlineData" and not (contenttype or "text/plain").startswith(
            ("text/", "application/xhtml")
        ):
            continue
        naming = _naming(component)
        if _NOT_STORY_ROLES.search(naming):
            continue
        found.append(component)
    return found


def _component(component: etree._Element, headlines: set[str]) -> Item:
    if localname(component) == "inlineXML":
        return _inline_xml(component, headlines)
    return _inline_data(component)


# Classes agencies give the abstract they put inside the body: dpa's <p class="teaser">.
_SUMMARY_CLASS = re.compile(r"teaser|abstract|summary|standfirst|deck", re.I)
_HEADING = re.compile(r"h[1-6]")
# Elements whose text is the story's: the first of them ends the leading headings.
_TEXT_BLOCKS = frozenset(("p", "pre", "li", "td", "th", "blockquote", "dd", "dt"))


def _take_summary(story: etree._Element, headlines: set[str]) -> str:
    """The agency's abstract inside an XHTML body, taken out of it: elements classed as a
    teaser or abstract (dpa), and the sub-headline decks before the first text block (a press
    release's <h2> under its <h1>). A heading that repeats the headline stays; it is cut later
    as the headline. Each taken element's text is kept verbatim, in order; nothing is lost."""
    taken: list[etree._Element] = []
    leading = True
    for el in story.iter():
        if el is story or not isinstance(el.tag, str):
            continue
        name = localname(el)
        classes = (el.get("class") or "").split()
        if any(_SUMMARY_CLASS.fullmatch(c) for c in classes):
            taken.append(el)
        elif leading and _HEADING.fullmatch(name):
            if _squeezed(text_of(el)) not in headlines and text_of(el):
                taken.append(el)
        elif name in _TEXT_BLOCKS and text_of(el):
            leading = False
    taken = [el for el in taken if not any(a in taken for a in el.iterancestors())]
    summary = join([text_of(el) for el in taken if text_of(el)])
    for el in taken:
        _remove_keeping_tail(el)
    return summary


def _remove_keeping_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _inline_xml(inline: etree._Element, headlines: set[str]) -> Item:
    nitf = first(inline, "nitf")
    if nitf is not None:
        return item_from_nitf(nitf)
    body = first(inline, "body")
    body = inline if body is None else body
    # dpa's XHTML repeats the metadata (slugline list, date, genre, headline) in a <header>
    # and keeps the story itself in <section class="main">.
    main = next(
        (
            s
            for s in body.iter()
            if localname(s) == "section" and "main" in (s.get("class") or "").split()
        ),
        None,
    )
    story = body if main is None else main
    summary = _take_summary(story, headlines)
    return Item(
        uri="",
        # Two <br/>s in one <p> part paragraphs (dpa's audio programme), as in its JSON.
        body_text=join(apart_at_blank_lines(paragraphs_from_element(story))),
        body_html=inner_markup(story),
        summary=summary,
    )


def _inline_data(inline: etree._Element) -> Item:
    text = element_text(inline)
    contenttype = (inline.get("contenttype") or "").lower()
    looks_html = "html" in contenttype or "<p" in text.lower()
    paragraphs = paragraphs_from_html(text) if looks_html else paragraphs_from_plain(text)
    paragraphs = [part for p in paragraphs for part in _split_indented(p)]
    return Item(uri="", body_text=join(paragraphs), body_html=text if looks_html else "")


def _split_indented(paragraph: str) -> list[str]:
    """Wire text that wraps lines flush left and indents each new paragraph (ANSA) is split
    where a line is indented; text whose lines are all flush or all indented is left whole."""
    lines = paragraph.split("\n")
    rest = lines[1:]
    indented = [bool(_INDENTED.match(line)) for line in rest]
    if not any(indented) or all(indented or [True]):
        return [paragraph]
    out = [lines[0]]
    for line, starts in zip(rest, indented, strict=True):
        if starts:
            out.append(line)
        else:
            out[-1] += "\n" + line
    return [p.strip() for p in out if p.strip()]


def _pubstatus(el: etree._Element | None) -> PubStatus:
    qcode = (el.get("qcode", "") if el is not None else "").strip().split(":")[-1].lower()
    if qcode in ("withheld", "canceled"):
        return qcode  # type: ignore[return-value]
    if qcode == "cancelled":
        return "canceled"
    return "usable"


def _int(value: str, default: int) -> int:
    return int(value) if value.isdecimal() else default


def _attr(el: etree._Element | None, name: str) -> str:
    return (el.get(name) or "") if el is not None else ""


def _agency(el: etree._Element, item_meta: etree._Element | None) -> str:
    """Without a creditline: the provider's short code, the copyright holder, the provider."""
    provider = child(item_meta, "provider")
    code = _attr(provider, "qcode").strip()
    if code.startswith("nprov:"):
        return code[len("nprov:") :]
    holder = first(child(el, "rightsInfo"), "copyrightHolder")
    return _name_or_literal(holder) or _name_or_literal(provider) or code


def _name_or_literal(el: etree._Element | None) -> str:
    return text_of(child(el, "name")) or _attr(el, "literal").strip()
