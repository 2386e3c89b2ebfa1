"""IPTC ninjs, news in JSON: 1.x (snake_case, body_text), 2.x (headlines[] and bodies[]) and
3.x (the same in camelCase: versionCreated, pubStatus, contentType...)."""

from __future__ import annotations

import json
import re
from typing import Any

from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats import pictures
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.encoding import decode
from wiredesk.formats.located import kept
from wiredesk.formats.text import (
    join,
    line_paragraphs,
    paragraphs_from_element,
    paragraphs_from_html,
)
from wiredesk.formats.xml import first, parse_xml
from wiredesk.types import Item, Picture, PubStatus, Skipped, Subject

NAME = "ninjs"
MAX_JSON_DEPTH = 64
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]]+")
_INNERMOST = re.compile(r"\[\]")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "body_xhtml", "body_html", "xhtml", "html")


def load_json(data: bytes) -> Any:
    """Decode JSON, refusing nesting bombs before the decoder recurses into them."""
    text = decode(data)
    _check_depth(text)
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise HostileInput("JSON nested too deep for the decoder; refused") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc}") from exc


def _check_depth(text: str) -> None:
    # Strings are cut out, then each pass removes the innermost bracket pairs: anything left
    # after MAX_JSON_DEPTH passes is nested deeper. Every step runs in the regex engine.
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text).translate({0x7B: "[", 0x7D: "]"}))
    for _ in range(MAX_JSON_DEPTH):
        brackets, removed = _INNERMOST.subn("", brackets)
        if not removed:
            return
    if _INNERMOST.search(brackets):
        raise HostileInput(f"JSON nested deeper than {MAX_JSON_DEPTH} levels; refused")


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and head.lstrip()[:1] in (b"{", b"[")


def parse(data: bytes) -> list[Item | Skipped | Picture]:
    doc = load_json(data)
    objects = (
        doc if isinstance(doc, list) else doc.get("items", [doc]) if isinstance(doc, dict) else None
    )
    if (
        not objects
        or not isinstance(objects, list)
        or not all(isinstance(o, dict) for o in objects)
    ):
        raise ParseError("ninjs must be a JSON object, or a list of objects, describing items")
    return [item_from_ninjs(o) for o in objects]


def _get(obj: dict[str, Any], *keys: str) -> Any:
    """The first present value among a field's 1.x, 2.x and 3.x spellings."""
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", []):
            return value
    return None


def _str(obj: dict[str, Any], *keys: str) -> str:
    value = _get(obj, *keys)
    return value if isinstance(value, str) else ""


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def item_from_ninjs(obj: dict[str, Any]) -> Item | Skipped | Picture:
    uri = _str(obj, "uri", "guid")
    if not uri:
        raise ParseError("a ninjs item has no uri, so it cannot be tracked across versions")
    if pictures.is_ninjs_picture(obj):
        return pictures.ninjs_picture(obj)
    item_type = _str(obj, "type") or "text"
    if item_type not in ("text", "composite"):
        return Skipped(uri=uri, reason=f"ninjs type {item_type!r} is not a text story")
    body_html, paragraphs = _body(obj)
    headline = _headline(obj)
    # NTB and TT repeat the headline on the body's first line and put "Place (NTB)" next.
    if paragraphs and headline and _squeezed(paragraphs[0]) == _squeezed(headline):
        paragraphs = paragraphs[1:]
    place, credit = _place_line(paragraphs[0]) if paragraphs else ("", "")
    if place:
        paragraphs = paragraphs[1:]
    urgency = obj.get("urgency")
    located = obj.get("located")
    return Item(
        uri=uri,
        version=str(_get(obj, "version") or "1"),
        versioncreated=parse_datetime(_str(obj, "versioncreated", "versionCreated")),
        firstcreated=parse_datetime(_str(obj, "firstcreated", "firstCreated")),
        pubstatus=_pubstatus(_str(obj, "pubstatus", "pubStatus").lower()),
        embargoed=parse_datetime(_str(obj, "embargoed", "embargoedUntil")),
        urgency=urgency if isinstance(urgency, int) and not isinstance(urgency, bool) else None,
        language=_str(obj, "language"),
        headline=headline,
        byline=_str(obj, "byline", "by"),
        dateline=place or _str(obj, "dateline") or (located if isinstance(located, str) else ""),
        slugline=_str(obj, "slugline"),
        body_text=join(paragraphs),
        body_html=body_html,
        subject=_subjects(obj),
        agency=_agency(obj) or credit,
        ednote=_str(obj, "ednote", "edNote"),
        category=_category(obj),
        format=NAME,
        pictures=pictures.ninjs_story_pictures(obj),
        located=_located(obj),
    )


# A line that is only a place and the agency: "Skien (NTB)", "STOCKHOLM TT", "Berlin (dpa) -".
_PLACE_LINE = re.compile(
    r"^(?P<place>[^\n.!?;:()\[\]]{1,60}?)[\s,]+"
    r"(?:\((?P<bracketed>[A-Za-z][A-Za-z/ -]{0,20})\)|(?P<bare>[A-Z][A-Z/-]{1,14}))"
    r"\s*(?:-|--|\u2013|\u2014)?$"
)


def _place_line(paragraph: str) -> tuple[str, str]:
    """The place and credit of a body line that holds nothing else, as the dateline."""
    match = _PLACE_LINE.match(paragraph)
    if not match:
        return "", ""
    credit = (match.group("bracketed") or match.group("bare") or "").strip()
    parts = [p.strip() for p in credit.split("/")]
    if not all(p.isupper() or p.islower() for p in parts):
        return "", ""
    return match.group("place").strip(), credit


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _located(obj: dict[str, Any]) -> list[str]:
    """`located` (1.x, 2.x and 3.x), then each of `place` (1.x) or `places` (2.x, 3.x): its
    name (or literal, or locality), then its state and country, as a dateline writes them. A
    two-letter country is a code, not a name, and "DE" would read as Delaware: it is left out."""
    located = obj.get("located")
    out = [located.strip()] if isinstance(located, str) else []
    for place in _dicts(obj.get("place")) + _dicts(obj.get("places")):
        name = (
            _str(place, "name").strip()
            or _str(place, "literal").strip()
            or _str(place, "locality").strip()
        )
        country = _str(place, "country").strip()
        where = [_str(place, "state").strip(), country if len(country) > 2 else ""]
        if name:
            out.append(", ".join([name, *(w for w in where if w)]))
    return kept(out)


def _headline(obj: dict[str, Any]) -> str:
    headline = _str(obj, "headline")
    if headline:
        return headline
    headlines = _dicts(obj.get("headlines"))
    main = [h for h in headlines if h.get("role") in (None, "", "main")] or headlines
    for entry in main:
        if isinstance(entry.get("value"), str) and entry["value"]:
            return str(entry["value"])
    # 3.x "title" is a desk label, used only when the agency sent no headline at all.
    return _str(obj, "title")


def _body(obj: dict[str, Any]) -> tuple[str, list[str]]:
    """The agency's plain text when it sent one, else its HTML, else a NITF body."""
    plain = _str(obj, "body_text")
    html = _str(obj, "body_html", "body_xhtml")
    nitf = ""
    for body in _dicts(obj.get("bodies")):
        value = body.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        kind = str(body.get("contentType") or body.get("contenttype") or "").lower()
        if kind in ("", "text/plain") and not plain:
            plain = value
        elif kind in _HTML_TYPES and not html:
            html = value
        elif "nitf" in kind and not nitf:
            nitf = value
    if plain.strip():
        lines = line_paragraphs(plain)
        # AP sends the text on one line beside HTML that keeps its paragraphs: the same words,
        # so the HTML's paragraphs are the agency's. A NITF rendition that holds all of the
        # plain text and more (a lead the plain text lacks) is the story too: nothing is lost.
        marked = html_paragraphs(html) if html.strip() else []
        if len(marked) > len(lines) and _squeezed(" ".join(marked)) == _squeezed(plain):
            return html, marked
        richer = _nitf_paragraphs(nitf) if nitf and not html.strip() else []
        if len(richer) > len(lines) and _squeezed(plain) in _squeezed(" ".join(richer)):
            return "", richer
        return html, lines
    if html.strip():
        return html, html_paragraphs(html)
    if nitf:
        return "", _nitf_paragraphs(nitf)
    # No body at all (NTB's briefs): the text description is the only text the agency sent.
    for description in _dicts(obj.get("descriptions")):
        value = description.get("value")
        kind = str(description.get("contenttype") or description.get("contentType") or "")
        if description.get("role") in (None, "", "text") and isinstance(value, str):
            if kind.lower() in _HTML_TYPES:
                return value, html_paragraphs(value)
            return "", line_paragraphs(value)
    return "", []


def _nitf_paragraphs(nitf: str) -> list[str]:
    content = first(parse_xml(nitf.encode("utf-8")), "body.content")
    return paragraphs_from_element(content) if content is not None else []


def html_paragraphs(markup: str) -> list[str]:
    """Paragraphs of agency HTML, or a reason when it holds characters XML cannot carry."""
    try:
        return paragraphs_from_html(markup)
    except ValueError as exc:
        raise ParseError(f"the HTML body cannot be read: {exc}") from exc


def _subjects(obj: dict[str, Any]) -> list[Subject]:
    return [
        Subject(code=str(s.get("code") or s.get("uri") or ""), name=str(s.get("name") or ""))
        for s in _dicts(obj.get("subject")) + _dicts(obj.get("subjects"))
    ]


def _pubstatus(value: str) -> PubStatus:
    if value in ("withheld", "canceled"):
        return value  # type: ignore[return-value]
    return "canceled" if value == "cancelled" else "usable"


def _agency(obj: dict[str, Any]) -> str:
    for key in ("copyrightholder", "copyrightHolder", "provider"):
        value = obj.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return str(value["name"])
    return ""


def _category(obj: dict[str, Any]) -> str:
    for key in ("genre", "genres", "subject", "subjects"):
        for entry in _dicts(obj.get(key)):
            if entry.get("name"):
                return str(entry["name"])
    return ""
