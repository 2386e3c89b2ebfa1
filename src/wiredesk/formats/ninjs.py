"""IPTC ninjs, news in JSON: versions 1.x and 2.x (snake_case names)."""

from __future__ import annotations

import json
from typing import Any

from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.text import join, paragraphs_from_html, paragraphs_from_plain
from wiredesk.types import Item, PubStatus, Subject

NAME = "ninjs"
MAX_JSON_DEPTH = 64


def load_json(data: bytes) -> Any:
    """Decode JSON, refusing nesting bombs before the decoder recurses into them."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                raise HostileInput(f"JSON nested deeper than {MAX_JSON_DEPTH} levels; refused")
        elif byte in (0x5D, 0x7D):
            depth -= 1
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ParseError(f"JSON is not valid UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc}") from exc


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and head.lstrip()[:1] in (b"{", b"[")


def parse(data: bytes) -> list[Item]:
    doc = load_json(data)
    objects = (
        doc if isinstance(doc, list) else doc.get("items", [doc]) if isinstance(doc, dict) else None
    )
    if not objects or not all(isinstance(o, dict) for o in objects):
        raise ParseError("ninjs must be a JSON object, or a list of objects, describing items")
    return [item_from_ninjs(o) for o in objects]


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def item_from_ninjs(obj: dict[str, Any]) -> Item:
    uri = _str(obj, "uri") or _str(obj, "guid")
    if not uri:
        raise ParseError("a ninjs item has no uri, so it cannot be tracked across versions")
    item_type = _str(obj, "type") or "text"
    if item_type not in ("text", "composite"):
        raise ParseError(f"ninjs type {item_type!r} is not a text story")
    body_html = _str(obj, "body_html")
    body_text = _str(obj, "body_text")
    paragraphs = paragraphs_from_plain(body_text) if body_text else paragraphs_from_html(body_html)
    pubstatus = _str(obj, "pubstatus").lower()
    urgency = obj.get("urgency")
    subjects = [
        Subject(code=str(s.get("code", "")), name=str(s.get("name", "")))
        for s in obj.get("subject") or []
        if isinstance(s, dict)
    ]
    located = obj.get("located")
    return Item(
        uri=uri,
        version=str(obj.get("version") or "1"),
        versioncreated=parse_datetime(_str(obj, "versioncreated")),
        firstcreated=parse_datetime(_str(obj, "firstcreated")),
        pubstatus=_pubstatus(pubstatus),
        embargoed=parse_datetime(_str(obj, "embargoed")),
        urgency=urgency if isinstance(urgency, int) else None,
        language=_str(obj, "language"),
        headline=_str(obj, "headline"),
        byline=_str(obj, "byline"),
        dateline=_str(obj, "dateline") or (located if isinstance(located, str) else ""),
        slugline=_str(obj, "slugline"),
        body_text=join(paragraphs),
        body_html=body_html,
        subject=subjects,
        agency=_agency(obj),
        ednote=_str(obj, "ednote"),
        category=_category(obj),
        format=NAME,
    )


def _pubstatus(value: str) -> PubStatus:
    if value in ("withheld", "canceled"):
        return value  # type: ignore[return-value]
    return "canceled" if value == "cancelled" else "usable"


def _agency(obj: dict[str, Any]) -> str:
    for key in ("copyrightholder", "provider"):
        value = obj.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return str(value["name"])
    return ""


def _category(obj: dict[str, Any]) -> str:
    for key in ("genre", "subject"):
        for entry in obj.get(key) or []:
            if isinstance(entry, dict) and entry.get("name"):
                return str(entry["name"])
    return ""
