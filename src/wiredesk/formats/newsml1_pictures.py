"""Photos in NewsML 1.x (AFP, 2002 to today): a NewsComponent of photo renditions.

A photo is a NewsComponent whose children are a Caption-role component (text) and one component
per rendition (Main, HighDef, Preview, Quicklook, Thumbnail), each a ContentItem with MediaType
Photo, an Href (a file that arrives beside the XML) and Width/Height properties. A NewsItem of
only photos is a picture item of its own; photos inside a text item are that story's pictures.
"""

from __future__ import annotations

from lxml import etree

from wiredesk.formats.text import join, paragraphs_from_element, paragraphs_from_plain
from wiredesk.formats.xml import child, children, element_text, localname, text_of
from wiredesk.types import Picture, PubStatus

PHOTO_MEDIA = {"photo", "graphic", "image", "picture"}


def formal(el: etree._Element | None) -> str:
    return (el.get("FormalName") or "").strip() if el is not None else ""


def is_photo(content: etree._Element) -> bool:
    return formal(child(content, "MediaType")).lower() in PHOTO_MEDIA


def is_caption(component: etree._Element | None) -> bool:
    return component is not None and "caption" in formal(child(component, "Role")).lower()


def photo_groups(el: etree._Element) -> list[etree._Element]:
    """The NewsComponents that each hold one photo's renditions, in document order."""
    # A dict keeps document order and finds a group again in constant time (a hostile file may
    # hold a great many photos).
    groups: dict[etree._Element, None] = {}
    for content in (c for c in el.iter() if localname(c) == "ContentItem" and is_photo(c)):
        component = content.getparent()
        group = component.getparent() if component is not None else None
        if group is None or localname(group) != "NewsComponent":
            group = component
        if group is not None:
            groups.setdefault(group, None)
    return list(groups)


def holds_photo_only(component: etree._Element) -> bool:
    """Whether a NewsComponent describes a photo: photos in it, and no text but captions."""
    photo = False
    for content in (c for c in component.iter() if localname(c) == "ContentItem"):
        if is_photo(content):
            photo = True
        elif not is_caption(content.getparent()):
            return False
    return photo


def _size(content: etree._Element, name: str) -> int | None:
    for prop in (p for p in content.iter() if localname(p) == "Property"):
        if formal(prop).lower() == name:
            value = (prop.get("Value") or "").strip()
            return int(value) if value.isdecimal() and int(value) > 0 else None
    return None


def _caption(group: etree._Element) -> str:
    for component in children(group, "NewsComponent"):
        if is_caption(component):
            data = next((d for d in component.iter() if localname(d) == "DataContent"), None)
            if data is not None:
                body = next((b for b in data.iter() if localname(b) == "body.content"), data)
                paragraphs = (
                    paragraphs_from_element(body)
                    if len(body)
                    else paragraphs_from_plain(element_text(body))
                )
                return join(paragraphs)
    return ""


def _party(group: etree._Element, kind: str) -> str:
    for holder in (h for h in group.iter() if localname(h) == kind):
        name = formal(child(holder, "Party"))
        if name:
            return name
    return ""


def _credit(group: etree._Element) -> str:
    lines = child(group, "NewsLines")
    parts = [
        text_of(child(lines, "ByLine")) or _party(group, "Creator"),
        text_of(child(lines, "CreditLine")) or _party(group, "Provider"),
    ]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return " / ".join(seen)


def group_picture(
    group: etree._Element, uri: str = "", version: str = "1", pubstatus: PubStatus = "usable"
) -> Picture | None:
    """The largest rendition of one photo, with its caption and credit; None without a file."""
    renditions = []
    for content in (c for c in group.iter() if localname(c) == "ContentItem" and is_photo(c)):
        href = (content.get("Href") or "").strip()
        if href:
            kind = formal(child(content, "Format"))
            renditions.append(
                Picture(
                    uri="",
                    href=href,
                    width=_size(content, "width"),
                    height=_size(content, "height"),
                    contenttype=kind if "/" in kind else "",
                )
            )
    if not renditions:
        return None
    best = max(renditions, key=lambda r: (r.width or 0) * (r.height or 0))
    best.uri = uri or best.href
    best.caption = _caption(group)
    best.credit = _credit(group)
    best.version = version
    best.pubstatus = pubstatus
    return best
