"""Pictures in every wire format that carries them, as `Picture` records.

Each parser calls one function here: a picture item of its own (NewsML-G2, ninjs), a package
tying texts to pictures (NewsML-G2), or the pictures a story names (NewsML-G2 remoteContent,
ninjs associations, NITF <media>, feed enclosures and Media RSS, JSON Feed images).
Captions and credits are the agency's words: trimmed at their ends, never inside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.text import join, paragraphs_from_html
from wiredesk.formats.xml import child, children, localname, text_of
from wiredesk.types import Package, Picture, PubStatus

PICTURE_CLASSES = ("picture", "graphic", "photo", "image")
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_MEDIA_RSS = "http://search.yahoo.com/mrss/"
_INT = re.compile(r"^\s*(\d{1,6})\s*$")


def image_type(data: bytes) -> str:
    """The content type of an image file, by its first bytes; "" for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _IMAGE_MAGIC if data.startswith(magic)), "")


def is_picture_class(qcode: str) -> bool:
    """ninat:picture, icls:picture, ninat:graphic..."""
    return qcode.strip().rsplit(":", 1)[-1].lower() in PICTURE_CLASSES


def local_name(href: str) -> str:
    """The name a file would arrive under: an http(s) URL has none, it is fetched instead."""
    if not href or urlsplit(href).scheme in ("http", "https"):
        return ""
    return re.split(r"[/:\\]", href.rstrip("/"))[-1]


def _int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    match = _INT.match(value) if isinstance(value, str) else None
    return int(match.group(1)) or None if match else None


def _rendition(href: object, width: object, height: object, contenttype: object) -> Picture:
    return Picture(
        uri="",
        href=str(href or "").strip(),
        width=_int(width),
        height=_int(height),
        contenttype=str(contenttype or "").strip(),
    )


def _best(renditions: Iterable[Picture]) -> Picture | None:
    """The largest rendition that is (or may be) an image: the desk makes its own sizes."""
    usable = [
        r
        for r in renditions
        if r.href and (not r.contenttype or r.contenttype.lower().startswith("image/"))
    ]
    return max(usable, key=lambda r: (r.width or 0) * (r.height or 0), default=None)


def _credit(*parts: str) -> str:
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return " / ".join(seen)


# --- NewsML-G2 -------------------------------------------------------------------------------


def _g2_caption(meta: etree._Element | None) -> str:
    """description role="drol:caption", then any other description, then the headline."""
    if meta is None:
        return ""
    descriptions = children(meta, "description")
    captions = [d for d in descriptions if (d.get("role") or "").lower().endswith("caption")]
    for el in [*captions, *descriptions, *children(meta, "headline"), *children(meta, "title")]:
        if text_of(el):
            return text_of(el)
    return ""


def g2_remote_content(content_set: etree._Element | None) -> Picture | None:
    """The largest picture rendition among a contentSet's remoteContent elements."""
    if content_set is None:
        return None
    return _best(
        _rendition(
            rc.get("href") or rc.get("residref"),
            rc.get("width"),
            rc.get("height"),
            rc.get("contenttype"),
        )
        for rc in children(content_set, "remoteContent")
    )


def g2_story_pictures(content_set: etree._Element | None) -> list[Picture]:
    """A text item's own picture (ANSA sends it as a remoteContent beside the text)."""
    best = g2_remote_content(content_set)
    return [_with_uri(best, best.href)] if best is not None else []


def g2_picture_item(
    el: etree._Element, guid: str, version: str, pubstatus: PubStatus, embargoed: str
) -> Picture:
    """A picture newsItem: its renditions, caption and credit."""
    meta = child(el, "contentMeta")
    best = g2_remote_content(child(el, "contentSet")) or Picture(uri=guid)
    return Picture(
        uri=guid,
        href=best.href,
        width=best.width,
        height=best.height,
        contenttype=best.contenttype,
        caption=_g2_caption(meta),
        credit=_credit(text_of(child(meta, "creditline")), text_of(child(meta, "by"))),
        version=version,
        pubstatus=pubstatus,
        embargoed=parse_datetime(embargoed),
    )


def g2_package(el: etree._Element, guid: str, version: str, pubstatus: PubStatus) -> Package:
    """Each group's texts get the pictures of that group; pictures in a group without a text
    belong to the package's first text (Reuters' NEP puts the main text and its photos
    together, sidebars in groups of their own)."""
    package = Package(uri=guid, version=version, pubstatus=pubstatus)
    loose: list[Picture] = []
    first_text = ""
    for group in (g for g in el.iter() if localname(g) == "group"):
        refs = children(group, "itemRef")
        texts = [(r.get("residref") or "").strip() for r in refs if _ref_kind(r) == "text"]
        texts = [t for t in texts if t]
        shown = [_ref_picture(r) for r in refs if _ref_kind(r) == "picture"]
        first_text = first_text or next(iter(texts), "")
        if not texts:
            loose += shown
        for text in texts:
            package.pictures.setdefault(text, []).extend(shown)
    if loose and first_text:
        package.pictures[first_text].extend(loose)
    return package


def _ref_kind(ref: etree._Element) -> str:
    qcode = child(ref, "itemClass")
    kind = (qcode.get("qcode") or "") if qcode is not None else ""
    if is_picture_class(kind) or (ref.get("contenttype") or "").startswith("image/"):
        return "picture"
    return "text" if kind.rsplit(":", 1)[-1].lower() == "text" else ""


def _ref_picture(ref: etree._Element) -> Picture:
    residref = (ref.get("residref") or "").strip()
    href = (ref.get("href") or "").strip()
    return Picture(
        uri=residref or href,
        href=href if (ref.get("contenttype") or "").startswith("image/") else "",
        contenttype=(ref.get("contenttype") or "").strip(),
        caption=_g2_caption(ref),
        credit=text_of(child(ref, "creditline")),
        version=(ref.get("version") or "").strip() or "1",
    )


def _with_uri(picture: Picture, uri: str) -> Picture:
    picture.uri = picture.uri or uri
    return picture


# --- ninjs -----------------------------------------------------------------------------------


def _str(obj: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _values(obj: dict[str, Any], key: str) -> list[str]:
    """ninjs 2.x and 3.x lists of {role, contentType, value}: the plain ones first."""
    entries = [e for e in obj.get(key) or [] if isinstance(e, dict)]
    entries.sort(key=lambda e: "html" in str(e.get("contentType") or e.get("contenttype") or ""))
    out = []
    for entry in entries:
        value = entry.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        kind = str(entry.get("contentType") or entry.get("contenttype") or "")
        out.append(join(paragraphs_from_html(value)) if "html" in kind else value.strip())
    return out


def _named(value: Any) -> list[tuple[str, dict[str, Any]]]:
    """ninjs 1.x keys a mapping by name; 2.x and 3.x send a list of objects with a name."""
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items() if isinstance(v, dict)]
    if isinstance(value, list):
        return [(str(v.get("name") or ""), v) for v in value if isinstance(v, dict)]
    return []


def ninjs_picture(obj: dict[str, Any]) -> Picture:
    """A ninjs picture: an association, or an item of its own."""
    renditions = [
        _rendition(
            _str(r, "href", "uri"),
            r.get("width"),
            r.get("height"),
            _str(r, "mimetype", "contentType", "contenttype"),
        )
        for _name, r in _named(obj.get("renditions"))
    ]
    best = _best(renditions) or Picture(
        uri="", href=_str(obj, "href"), contenttype=_str(obj, "mimetype", "contentType")
    )
    caption = (
        _str(obj, "description_text")
        or next(iter(_values(obj, "descriptions")), "")
        or (join(paragraphs_from_html(_str(obj, "description_html", "description_xhtml"))))
        or _str(obj, "body_text")
        or next(iter(_values(obj, "bodies")), "")
        or _str(obj, "headline")
        or next(iter(_values(obj, "headlines")), "")
    )
    status = _str(obj, "pubstatus", "pubStatus").lower()
    return Picture(
        uri=_str(obj, "uri", "guid") or best.href,
        href=best.href,
        width=best.width,
        height=best.height,
        contenttype=best.contenttype,
        caption=caption,
        credit=_credit(_str(obj, "by", "byline"), _str(obj, "copyrightnotice", "copyrightNotice")),
        version=str(obj.get("version") or "1"),
        pubstatus="canceled" if status in ("canceled", "cancelled") else "usable",
        embargoed=parse_datetime(_str(obj, "embargoed", "embargoedUntil")),
    )


def is_ninjs_picture(obj: dict[str, Any]) -> bool:
    return is_picture_class(_str(obj, "type"))


def ninjs_story_pictures(obj: dict[str, Any]) -> list[Picture]:
    """A story's picture and graphic associations, in the agency's order."""
    found = [
        ninjs_picture(a) for _name, a in _named(obj.get("associations")) if is_ninjs_picture(a)
    ]
    return [p for p in found if p.uri]


# --- NITF ------------------------------------------------------------------------------------


def _is_image_media(el: etree._Element) -> bool:
    return localname(el) == "media" and is_picture_class(el.get("media-type") or "")


def nitf_pictures(body: etree._Element | None) -> list[Picture]:
    """<media media-type="image"> with its <media-reference>s, caption and producer."""
    if body is None:
        return []
    out = []
    for media in (m for m in body.iter() if _is_image_media(m)):
        references = children(media, "media-reference")
        best = _best(
            _rendition(
                r.get("source") or r.get("data-location"),
                r.get("width"),
                r.get("height"),
                r.get("mime-type"),
            )
            for r in references
        )
        if best is None:
            continue
        credits = [text_of(child(media, "media-producer"))]
        credits += [
            (r.get("source-credit") or r.get("copyright") or "").strip() for r in references
        ]
        best.caption = text_of(child(media, "media-caption"))
        best.credit = _credit(*credits)
        out.append(_with_uri(best, best.href))
    return out


def without_media(content: etree._Element) -> etree._Element:
    """The body without its <media> blocks: a caption belongs to its picture, not the text."""
    if not any(_is_image_media(m) for m in content.iter()):
        return content
    clone = etree.fromstring(etree.tostring(content))
    for media in [m for m in clone.iter() if _is_image_media(m)]:
        parent = media.getparent()
        if parent is not None:
            # The text after the element is the agency's and stays.
            previous = media.getprevious()
            if media.tail:
                if previous is not None:
                    previous.tail = (previous.tail or "") + media.tail
                else:
                    parent.text = (parent.text or "") + media.tail
            parent.remove(media)
    return clone


# --- RSS, Atom and JSON Feed -----------------------------------------------------------------


def feed_captions(root: etree._Element | None) -> dict[str, tuple[str, str]]:
    """Media RSS captions and credits by picture URL: on the media:content itself, its
    media:group, or the item. feedparser folds media:description into the entry's text."""
    found: dict[str, tuple[str, str]] = {}
    if root is None:
        return found
    for el in root.iter(f"{{{_MEDIA_RSS}}}content", f"{{{_MEDIA_RSS}}}thumbnail"):
        url = (el.get("url") or "").strip()
        caption = credit = ""
        node: etree._Element | None = el
        while node is not None and not (caption and credit):
            caption = caption or text_of(node.find(f"{{{_MEDIA_RSS}}}description"))
            credit = credit or text_of(node.find(f"{{{_MEDIA_RSS}}}credit"))
            node = (
                node.getparent() if localname(node) in ("content", "thumbnail", "group") else None
            )
        if url and url not in found:
            found[url] = (caption, credit)
    return found


def feed_entry_pictures(entry: Any, captions: dict[str, tuple[str, str]]) -> list[Picture]:
    """media:content and image enclosures; else the largest media:thumbnail; else the image."""

    def picture(url: Any, kind: Any = "", width: Any = None, height: Any = None) -> Picture:
        href = str(url or "").strip()
        caption, credit = captions.get(href, ("", ""))
        return Picture(
            uri=href,
            href=href,
            width=_int(width),
            height=_int(height),
            contenttype=str(kind or ""),
            caption=caption,
            credit=credit,
        )

    found = [
        picture(m.get("url"), m.get("type"), m.get("width"), m.get("height"))
        for m in entry.get("media_content") or []
        if (m.get("medium") or "image") == "image"
        and str(m.get("type") or "image/").startswith("image/")
    ]
    found += [
        picture(link.get("href"), link.get("type"))
        for link in entry.get("links") or []
        if link.get("rel") == "enclosure" and str(link.get("type") or "").startswith("image/")
    ]
    if not found:
        thumbs = [
            picture(t.get("url"), "", t.get("width"), t.get("height"))
            for t in entry.get("media_thumbnail") or []
        ]
        best = _best(thumbs)
        found = [best] if best is not None else []
    image = entry.get("image")
    if not found and isinstance(image, dict) and image.get("href"):
        found = [picture(image["href"])]
    return _unique(p for p in found if p.href)


def jsonfeed_pictures(entry: dict[str, Any]) -> list[Picture]:
    """JSON Feed's image and banner_image, and image attachments (titled, as captions)."""
    found = [
        Picture(uri=h, href=h) for h in (_str(entry, "image"), _str(entry, "banner_image")) if h
    ]
    for attachment in entry.get("attachments") or []:
        if isinstance(attachment, dict) and _str(attachment, "mime_type").startswith("image/"):
            href = _str(attachment, "url")
            found.append(
                Picture(
                    uri=href,
                    href=href,
                    contenttype=_str(attachment, "mime_type"),
                    caption=_str(attachment, "title"),
                )
            )
    return _unique(p for p in found if p.href)


def _unique(pictures: Iterable[Picture]) -> list[Picture]:
    out: dict[str, Picture] = {}
    for picture in pictures:
        out.setdefault(picture.uri, picture)
    return list(out.values())
