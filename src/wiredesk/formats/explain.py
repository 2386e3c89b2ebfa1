"""Why a file reads the way it does: `wiredesk parse --explain FILE`.

One mechanism for every format: the file is parsed as usual, then each field's value is looked
for in the source itself: the element (as a path of local names, XML), the key (a JSON path),
or the line (text formats) that holds it. A value found nowhere verbatim was derived (a
category from a code, an agency from a credit). The opening is explained by comparing the
reader's first paragraph with the published one: the normaliser cut a dateline and credit
there, by the rule the openings grammar names (its `rule`), or the reader took the dateline
from a field of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from wiredesk.exceptions import WiredeskError
from wiredesk.formats import LABELS, Parsed, by_name, mapped, xml_root
from wiredesk.formats.dateline import split_opening
from wiredesk.formats.xml import element_text, localname, parse_xml
from wiredesk.types import Item

# The fields a publisher sees, in the order a page shows them.
FIELDS = ("headline", "dateline", "byline", "slugline", "agency", "category", "ednote")
FIELDS_EXTRA = ("credit", "summary", "picture_note")
_SHOWN = 60


@dataclass(frozen=True)
class Place:
    """Where a value is in the source: a path, or a line number, and whether it is all of it."""

    where: str
    whole: bool
    text: str = ""


# A value and the field it fills; the place is looked for first where that field lives.
Locate = Callable[[str, str], Place | None]
# Element or key names where each field lives in the formats wiredesk reads.
HINTS = {
    "headline": ("headline", "hl1", "hedline", "title"),
    "dateline": ("dateline", "located", "placeline"),
    "byline": ("by", "byline", "byttl", "author", "creator"),
    "slugline": ("slugline", "keyword", "namelabel"),
    "agency": ("creditline", "credit", "provider", "copyrightholder", "source", "agency"),
    "category": ("subject", "genre", "category", "service"),
    "ednote": ("ednote", "ed-msg", "notepad"),
}


def explain(data: bytes, parsed: Parsed, mapping: mapped.Mapping | None = None) -> list[str]:
    """Lines of plain text saying how `parsed` was read from `data`."""
    name = parsed.format
    lines = [f"format: {name} ({LABELS.get(name, name)})", f"dialect: {dialect(name, data)}"]
    locate = locator(name, data)
    raw = _reader_items(name, data, mapping)
    for number, item in enumerate(parsed.items, 1):
        lines.append(f"item {number}: {item.uri}")
        before = raw[number - 1] if number - 1 < len(raw) else None
        lines.append(f"  opening: {opening_rule(item, before, locate)}")
        for field in (*FIELDS, *FIELDS_EXTRA):
            value = getattr(item, field, "")
            if isinstance(value, str) and value.strip():
                lines.append(f"  {field}: {_short(value)} <- {_where(locate(value, field))}")
        if item.urgency is not None:
            lines.append(f"  urgency: {item.urgency}")
        paragraphs = item.paragraphs
        lines.append(f"  paragraphs: {len(paragraphs)}")
        if paragraphs:
            where = _where(locate(paragraphs[0], "body"))
            lines.append(f"  first paragraph: {_short(paragraphs[0])} <- {where}")
    for skipped in parsed.skipped:
        lines.append(f"skipped: {skipped.uri}: {skipped.reason}")
    if parsed.pictures:
        lines.append(f"pictures: {len(parsed.pictures)} picture item(s)")
    return lines


def opening_rule(item: Item, before: Item | None, locate: Locate) -> str:
    """Which rule split the dateline and credit off the story's opening, if any did."""
    first = before.paragraphs[0] if before and before.paragraphs else ""
    after = item.paragraphs[0] if item.paragraphs else ""
    if first and first != after and first.endswith(after):
        opening = split_opening(first)
        # The openings grammar names the form that matched; older versions of it do not.
        rule = getattr(opening, "rule", None) or "dateline-and-credit opening"
        return f"split by {rule}: {first[: len(first) - len(after)]!r}"
    if not item.dateline:
        return "none: the first paragraph does not open with a dateline and credit"
    place = locate(item.dateline, "dateline")
    if place is not None and _hinted(place.where, "dateline"):
        told = f"the dateline is the file's own field {place.where}"
        text = locate(after, "body") if after else None
        opened = text is not None and _squeezed(text.text).startswith(_squeezed(item.dateline))
        return told + ("; the text repeated it and was cut there" if opened else "")
    return "the reader cut the dateline from the text (its format's own opening rule)"


def _last(where: str) -> str:
    """The element, attribute or key name a path ends in, lower case."""
    return re.sub(r"\[\d+\]", "", where).replace("@", "").split("/")[-1].split(".")[-1].lower()


def _hinted(where: str, field: str) -> bool:
    return any(hint in _last(where) for hint in HINTS.get(field, ()))


def _reader_items(name: str, data: bytes, mapping: mapped.Mapping | None) -> list[Item]:
    """The reader's items before the normaliser splits an opening."""
    try:
        module = by_name(name)
        results = (
            mapped.parse(data, mapping) if module is mapped and mapping else module.parse(data)
        )
    except (WiredeskError, ValueError, TypeError, LookupError, AttributeError):
        return []
    return [r for r in results if isinstance(r, Item)]


def dialect(name: str, data: bytes) -> str:
    """The variant of its format the file is written in, from the file itself."""
    head = data[:4096].decode("utf-8", "replace")
    if name in ("newsmlg2", "newsml12", "nitf", "feed", "mapped"):
        return _xml_dialect(name, data) or f"root <{xml_root(data[:65536])}>"
    if name in ("ninjs", "jsonfeed"):
        return _json_dialect(data)
    first = next((line.strip("\x01\x16 \t\r") for line in head.split("\n") if line.strip()), "")
    return f"heading {first[:_SHOWN]!r}"


def _xml_dialect(name: str, data: bytes) -> str:
    try:
        root = parse_xml(data)
    except (WiredeskError, ValueError):
        return ""
    parts = [f"root <{localname(root)}>"]
    version = root.get("standardversion") or root.get("version") or ""
    if version:
        parts.append(f"version {version}")
    if name == "newsmlg2":
        kinds = [
            f"{localname(c)} {c.get('contenttype') or ''}".strip()
            for c in root.iter()
            if isinstance(c.tag, str) and localname(c) in ("inlineXML", "inlineData")
        ]
        if kinds:
            parts.append(f"{len(kinds)} content component(s): {', '.join(kinds[:6])}")
    namespaces = {
        ns
        for el in root.iter()
        if isinstance(el.tag, str)
        for ns in [etree.QName(el).namespace]
        if ns
    }
    if any("mrss" in ns for ns in namespaces):
        parts.append("Media RSS")
    return "; ".join(parts)


def _json_dialect(data: bytes) -> str:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return "JSON"
    obj = doc[0] if isinstance(doc, list) and doc else doc
    if not isinstance(obj, dict):
        return "JSON"
    if "versionCreated" in obj or "contentType" in json.dumps(obj.get("bodies", "")):
        return "ninjs 3.x (camelCase)"
    if "bodies" in obj or "headlines" in obj:
        return "ninjs 2.x (headlines[], bodies[])"
    keys = ", ".join(sorted(obj)[:8])
    return f"ninjs 1.x (body_text/body_html); keys: {keys}"


def locator(name: str, data: bytes) -> Locate:
    """A function giving where a value is in the file: XML element, JSON key or text line."""
    if name in ("newsmlg2", "newsml12", "nitf", "feed", "mapped"):
        try:
            return _xml_locator(parse_xml(data))
        except (WiredeskError, ValueError):
            pass
    if name in ("ninjs", "jsonfeed"):
        try:
            return _json_locator(json.loads(data.decode("utf-8-sig")))
        except (ValueError, UnicodeDecodeError):
            pass
    return _text_locator(data.decode("utf-8", "replace"))


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _best(candidates: list[tuple[str, str]], value: str, field: str) -> Place | None:
    """Where the field lives first (HINTS), then anywhere: the place whose text is the value,
    else the smallest whose text holds it."""
    for hint in HINTS.get(field, ()):
        found = _found([c for c in candidates if _last(c[0]) == hint], value)
        if found:
            return found
    hinted = [c for c in candidates if _hinted(c[0], field)]
    return _found(hinted, value) or _found(candidates, value)


def _found(
    candidates: Iterator[tuple[str, str]] | list[tuple[str, str]], value: str
) -> Place | None:
    wanted = _squeezed(value)
    if not wanted:
        return None
    holding: tuple[int, str, str] | None = None
    for where, text in candidates:
        flat = _squeezed(text)
        if flat == wanted:
            return Place(where, True, text)
        if wanted in flat and (holding is None or len(flat) < holding[0]):
            holding = (len(flat), where, text)
    return Place(holding[1], False, holding[2]) if holding else None


def _xml_locator(root: etree._Element) -> Locate:
    nodes: list[tuple[str, str]] = []

    def walk(el: etree._Element, path: str) -> None:
        nodes.append((path, element_text(el)))
        for attr, value in el.attrib.items():
            nodes.append((f"{path}/@{etree.QName(attr).localname}", str(value)))
        counts: dict[str, int] = {}
        for kid in el:
            if isinstance(kid.tag, str):
                counts[localname(kid)] = counts.get(localname(kid), 0) + 1
        seen: dict[str, int] = {}
        for kid in el:
            if isinstance(kid.tag, str):
                local = localname(kid)
                seen[local] = seen.get(local, 0) + 1
                index = f"[{seen[local]}]" if counts[local] > 1 else ""
                walk(kid, f"{path}/{local}{index}")

    walk(root, f"/{localname(root)}")
    # Deepest first among equals: the headline element, not the contentMeta that holds it.
    nodes.reverse()
    return lambda value, field: _best(nodes, value, field)


def _json_locator(doc: Any) -> Locate:
    strings: list[tuple[str, str]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")
        elif isinstance(node, str):
            strings.append((path, node))

    walk(doc, "$")
    return lambda value, field: _best(strings, value, field)


def _text_locator(text: str) -> Locate:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    squeezed = [_squeezed(line) for line in lines]

    def locate(value: str, field: str) -> Place | None:
        first_line = _squeezed(value.split("\n")[0])[:40]
        if not first_line:
            return None
        for number, line in enumerate(squeezed, 1):
            if first_line in line:
                span = value.count("\n")
                where = f"line {number}" if not span else f"lines {number}-{number + span}"
                return Place(where, _squeezed(value) == line, lines[number - 1])
        return None

    return locate


def _where(place: Place | None) -> str:
    if place is None:
        return "derived (not in the file as written)"
    return place.where if place.whole else f"part of {place.where}"


def _short(value: str) -> str:
    flat = value.replace("\n", "\\n")
    return repr(flat if len(flat) <= _SHOWN else flat[: _SHOWN - 1] + "…")
