"""AP Media API JSON: ninjs-like items in AP's envelope ({"api_version", "data": {"item"}}, or
a feed's "data": {"items": [{"item": ...}]}).

The item names itself in `altids.itemid`, the id AP keeps across versions (its `uri` carries
a per-request query and the version's etag). The story's text is not in the item: AP sends it
behind the `nitf` and `anpa` rendition links. A client that fetched the NITF rendition may put
its body beside the item as `nitf.body_html` (Superdesk's AP ingest does); that body is read.
Otherwise the item is its headline and metadata with an empty body, and the desk decides.
"""

from __future__ import annotations

import re
from typing import Any

from wiredesk.exceptions import ParseError
from wiredesk.formats import pictures, signals
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.located import kept
from wiredesk.formats.ninjs import html_paragraphs, load_json
from wiredesk.formats.nitf import dateline_beside
from wiredesk.formats.text import apart_at_blank_lines, join
from wiredesk.types import Item, Picture, PubStatus, Skipped, Subject

NAME = "apmedia"
# AP's own NewsML-G2 names the same item urn:publicid:ap.org:<itemid>; so does this reader.
URN = "urn:publicid:ap.org:"
_ALTIDS = re.compile(rb'"altids"\s*:\s*\{[^{}]*"itemid"\s*:')
# ninjs 2.x has `altids` too: AP's API is told apart by its envelope or its content links.
_AP = re.compile(rb'"api_version"\s*:|"uri"\s*:\s*"https?://(?:[a-z0-9-]+\.)*ap\.org/')
_STATUS: dict[str, PubStatus] = {"withheld": "withheld", "canceled": "canceled"}


def sniff(head: bytes, root: str | None) -> bool:
    return (
        root is None
        and head.lstrip()[:1] in (b"{", b"[")
        and bool(_ALTIDS.search(head))
        and bool(_AP.search(head))
    )


def parse(data: bytes) -> list[Item | Skipped | Picture]:
    doc = load_json(data)
    found = _items(doc)
    if not found:
        raise ParseError("AP Media API JSON holds no item with altids.itemid")
    return [_read(item, nitf) for item, nitf in found]


def _items(doc: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each item with the NITF body fetched beside it (if any), from any envelope AP uses."""
    if not isinstance(doc, dict):
        return []
    if isinstance(doc.get("altids"), dict):
        return [(doc, {})]
    data = doc.get("data")
    data = data if isinstance(data, dict) else doc
    out = [(data.get("item"), doc.get("nitf"))]
    out += [
        (e.get("item"), e.get("nitf")) if isinstance(e.get("item"), dict) else (e, {})
        for e in data.get("items") or []
        if isinstance(e, dict)
    ]
    return [
        (item, body if isinstance(body, dict) else {})
        for item, body in out
        if isinstance(item, dict) and _itemid(item)
    ]


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _itemid(obj: dict[str, Any]) -> str:
    altids = obj.get("altids")
    itemid = altids.get("itemid") if isinstance(altids, dict) else None
    return itemid.strip() if isinstance(itemid, str) else ""


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _read(obj: dict[str, Any], nitf: dict[str, Any]) -> Item | Skipped | Picture:
    uri = URN + _itemid(obj)
    kind = _str(obj, "type") or "text"
    status = _STATUS.get(_str(obj, "pubstatus").lower(), "usable")
    version = str(obj.get("version") if obj.get("version") is not None else "1")
    if pictures.is_picture_class(kind):
        return _picture(obj, uri, version, status)
    if kind not in ("text", "composite"):
        return Skipped(uri=uri, reason=f"AP Media API item of type {kind!r}, not a text story")
    body_html = _str(nitf, "body_html")
    # Two <br>s inside one <p> part paragraphs, as in the other agencies' JSON.
    paragraphs = apart_at_blank_lines(html_paragraphs(body_html)) if body_html.strip() else []
    urgency = obj.get("urgency")
    located = _str(obj, "located").strip()
    return Item(
        uri=uri,
        version=version,
        versioncreated=parse_datetime(_str(obj, "versioncreated")),
        firstcreated=parse_datetime(_str(obj, "firstcreated")),
        pubstatus=status,
        embargoed=parse_datetime(_str(obj, "embargoed")),
        urgency=urgency if isinstance(urgency, int) and not isinstance(urgency, bool) else None,
        language=_str(obj, "language"),
        # AP pads some headlines with a space; a field is trimmed at its ends only.
        headline=_str(obj, "headline").strip(),
        byline="\n".join(_str(b, "by").strip() for b in _dicts(obj.get("bylines")) if b.get("by")),
        dateline=dateline_beside(located, paragraphs),
        slugline=_str(obj, "slugline").strip(),
        body_text=join(paragraphs),
        body_html=body_html,
        subject=[
            Subject(code=_str(s, "code"), name=_str(s, "name")) for s in _dicts(obj.get("subject"))
        ],
        agency=_str(obj, "provider"),
        ednote=_str(obj, "ednote").strip(),
        format=NAME,
        pictures=[_association(a) for a in _associations(obj) if _itemid(a)],
        located=kept([located, _place(obj.get("datelinelocation"))]),
        signals=signals.normalised([], _str(obj, "headline"), "", status == "canceled"),
    )


def _associations(obj: dict[str, Any]) -> list[dict[str, Any]]:
    found = obj.get("associations")
    values = found.values() if isinstance(found, dict) else found if isinstance(found, list) else []
    return [a for a in values if isinstance(a, dict) and pictures.is_picture_class(_str(a, "type"))]


def _association(obj: dict[str, Any]) -> Picture:
    """A picture the story names: it arrives later as its own item, under the same uri."""
    version = obj.get("version")
    return Picture(uri=URN + _itemid(obj), version=str(version) if version is not None else "1")


def _place(location: Any) -> str:
    """datelinelocation: its city, then its state and country names, as a dateline writes them."""
    if not isinstance(location, dict):
        return ""
    parts = [_str(location, k).strip() for k in ("city", "countryareaname", "countryname")]
    return ", ".join(p for p in parts if p) if parts[0] else ""


def _picture(obj: dict[str, Any], uri: str, version: str, status: PubStatus) -> Picture:
    """An AP picture item: its largest fetchable rendition, AP's caption and credit."""
    photographer = obj.get("photographer")
    by = _str(photographer, "name").strip() if isinstance(photographer, dict) else ""
    credit = " / ".join(p for p in (by, _str(obj, "description_creditline").strip()) if p)
    picture = pictures.ninjs_picture(
        {
            "uri": uri,
            "renditions": obj.get("renditions"),
            "description_text": _str(obj, "description_caption"),
            "headline": _str(obj, "headline"),
            "version": version,
            "pubstatus": status,
        }
    )
    picture.credit = credit
    return picture
