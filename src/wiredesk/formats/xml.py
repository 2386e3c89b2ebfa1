"""A hardened lxml front door for every XML wire format.

Agency XML is untrusted: no entity is ever expanded, no DTD or external resource is loaded,
no network is touched, and trees are kept within libxml2's default size limits. The bytes are
decoded by our own rules first (formats/encoding.py), because declarations lie.
"""

from __future__ import annotations

import re

from lxml import etree

from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats.encoding import xml_as_utf8

MAX_DEPTH = 256
MAX_XML_BYTES = 50 * 1024 * 1024
# The prolog: declaration, comments, processing instructions and a DOCTYPE with its subset.
_PROLOG = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->"
    rb"|<!DOCTYPE(?:[^\[>]|\[(?:\"[^\"]*\"|'[^']*'|[^\]\"'])*\])*>)*",
    re.DOTALL | re.IGNORECASE,
)
_DECLARES = re.compile(rb"<!(?:ENTITY|ELEMENT|ATTLIST|NOTATION)|%[\w.:-]+;", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse bytes into an element tree, refusing anything that smells of an attack."""
    if len(data) > MAX_XML_BYTES:
        raise HostileInput(f"XML file of {len(data):,} bytes is over the {MAX_XML_BYTES:,} limit")
    utf8 = xml_as_utf8(data)
    refuse_dtd_tricks(utf8)
    root = _tree(utf8)
    _refuse_entities(root)
    _check_depth(root)
    return root


def refuse_bombs(utf8: bytes) -> None:
    """Refuse nesting and size bombs in XML that another parser will read, well-formed or not.

    libxml2 meets a bomb before it meets the end of the file, so an ill-formed file is let
    through here for a forgiving parser to try.
    """
    try:
        root = _tree(utf8)
    except HostileInput:
        raise
    except ParseError:
        return
    _check_depth(root)


def _tree(utf8: bytes) -> etree._Element:
    try:
        root = etree.fromstring(utf8, parser=_parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        lowered = message.lower()
        if "entit" in lowered and ("amplification" in lowered or "loop" in lowered):
            raise HostileInput(f"XML entity expansion refused: {message}") from exc
        if "excessive depth" in lowered:
            raise HostileInput(f"XML nested deeper than {MAX_DEPTH} levels; refused") from exc
        if "huge" in lowered:
            raise HostileInput(f"XML over libxml2's size limits; refused: {message}") from exc
        raise ParseError(f"not well-formed XML: {message}") from exc
    if root is None:
        raise ParseError("the file holds no XML element")
    return root


def refuse_dtd_tricks(utf8: bytes) -> None:
    """Refuse a DOCTYPE that declares anything: wire formats need none of it, attacks do."""
    prolog = _PROLOG.match(utf8)
    if prolog is None:
        return
    for doctype in re.finditer(rb"<!DOCTYPE.*", prolog.group(0), re.DOTALL | re.IGNORECASE):
        if _DECLARES.search(doctype.group(0)):
            raise HostileInput(
                "the XML declares entities or markup in its DOCTYPE (an entity-expansion or "
                "external-entity attack, or at best something no wire format needs); refused "
                "without expanding them"
            )


def _refuse_entities(root: etree._Element) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):  # type: ignore[attr-defined]
        raise HostileInput(
            "the XML declares entities in its DOCTYPE (an entity-expansion or XXE attack, "
            "or at best something no wire format needs); refused without expanding them"
        )
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise HostileInput(f"the XML references an undeclared entity {node.text!r}; refused")


def _check_depth(root: etree._Element) -> None:
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise HostileInput(f"XML nesting deeper than {MAX_DEPTH} levels; refused")
        stack.extend((child, depth + 1) for child in node)


def localname(el: etree._Element) -> str:
    """The tag without its namespace, so any prefix (`ns0:`, none) reads the same."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if localname(c) == name]


def child(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    for c in el:
        if localname(c) == name:
            return c
    return None


def descendants(el: etree._Element, name: str) -> list[etree._Element]:
    return [d for d in el.iter() if localname(d) == name]


def first(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    for d in el.iter():
        if d is not el and localname(d) == name:
            return d
    return None


def element_text(el: etree._Element | None) -> str:
    """The text of an element, the one way every parser reads it: the element's own text, then
    each child's text and tail, in document order (mixed content), with nothing trimmed.

    Entities arrive already decoded by the parser. A comment or processing instruction is not
    text, but the text after it is. A `<br/>` is the line break it stands for, so the words on
    either side of it stay apart.
    """
    if el is None:
        return ""
    parts = ["\n" if localname(el) == "br" else "", el.text or ""]
    stack = [(el, iter(el))]
    while stack:
        node, kids = stack[-1]
        kid = next(kids, None)
        if kid is None:
            stack.pop()
            if stack:
                parts.append(node.tail or "")
        elif isinstance(kid.tag, str):
            parts.append("\n" if localname(kid) == "br" else "")
            parts.append(kid.text or "")
            stack.append((kid, iter(kid)))
        else:
            parts.append(kid.tail or "")
    return "".join(parts)


def text_of(el: etree._Element | None) -> str:
    """An element's text (element_text) trimmed at its two ends only: the layout around a
    value (Reuters pads them with newlines) is not part of it."""
    return element_text(el).strip()


def has_own_text(el: etree._Element) -> bool:
    """Whether an element holds text beside its children (mixed content), not only structure."""
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)
