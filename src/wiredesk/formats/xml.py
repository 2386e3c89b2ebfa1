"""A hardened lxml front door for every XML wire format.

Agency XML is untrusted: no entity is ever expanded, no DTD or external resource is loaded,
no network is touched, and trees are kept within libxml2's default size limits. The bytes are
decoded by our own rules first (formats/encoding.py), because declarations lie.
"""

from __future__ import annotations

import re
from typing import NoReturn

from lxml import etree

from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats.encoding import xml_as_utf8

MAX_DEPTH = 256
MAX_XML_BYTES = 50 * 1024 * 1024
# The prolog before a DOCTYPE: the declaration, comments, processing instructions.
_BEFORE_DOCTYPE = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_NAME = rb"[^\s\[\]<>%&;\"'|()]+"
_LITERAL = rb"(?:\"[^\"]*\"|'[^']*')"
_EXTERNAL_ID = rb"(?:SYSTEM\s*" + _LITERAL + rb"|PUBLIC\s*" + _LITERAL + rb"\s*" + _LITERAL + rb")"
_DOCTYPE_HEAD = re.compile(
    rb"<!DOCTYPE\s+" + _NAME + rb"(?:\s+" + _EXTERNAL_ID + rb")?\s*", re.IGNORECASE
)
# An element or attribute-list declaration (Reuters' NewsML 1.0 showcase declares `<!ELEMENT
# body (body.content)>` and the like): its quoted defaults may hold ">", nothing else may.
_ELEMENT_OR_ATTLIST = rb"<!(?:ELEMENT|ATTLIST)\s(?:[^\"'<>]|" + _LITERAL + rb")*>"
# What a DOCTYPE's internal subset may hold and still be skipped: an external parameter entity
# (Kyodo's `<!ENTITY % nitf SYSTEM "../nitf/dtd/nitf-3-0.dtd">`), a reference to one, element
# and attribute-list declarations, comments, processing instructions and space. None of it is
# ever loaded, expanded or applied: the whole subset is blanked before libxml2 sees it, so an
# ATTLIST default never becomes an attribute of the document.
_SUBSET_SKIPPABLE = re.compile(
    rb"\s+|<!--.*?-->|<\?.*?\?>|%" + _NAME + rb";"
    rb"|<!ENTITY\s+%\s*" + _NAME + rb"\s+" + _EXTERNAL_ID + rb"\s*>"
    rb"|" + _ELEMENT_OR_ATTLIST,
    re.DOTALL,
)
_UNDEFINED_ENTITY = re.compile(r"Entity '([^']*)' not defined")
_SUBSET_END = re.compile(rb"\]\s*>")
_GENERAL_ENTITY = re.compile(rb"<!ENTITY\s+(" + _NAME + rb")", re.IGNORECASE)
_PARAMETER_ENTITY = re.compile(rb"<!ENTITY\s+%\s*(" + _NAME + rb")", re.IGNORECASE)
_MARKUP_DECLARATION = re.compile(rb"<!(ELEMENT|ATTLIST|NOTATION)\b", re.IGNORECASE)
_NOT_EXPANDED = "wiredesk never expands entities or loads DTDs, so the file is refused unread"


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
    utf8 = skip_dtd(xml_as_utf8(data))
    try:
        root = _tree(utf8)
    except HostileInput:
        raise
    except ParseError as exc:
        # The entity a skipped DTD would have defined: the same refusal as an external DTD's.
        undefined = _UNDEFINED_ENTITY.search(str(exc))
        if undefined:
            raise HostileInput(_undeclared(f"&{undefined.group(1)};")) from exc
        raise
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


def skip_dtd(utf8: bytes) -> bytes:
    """The XML with its DOCTYPE's internal subset blanked, when that subset is harmless.

    A DOCTYPE that only names its DTDs, declares and uses external parameter entities (NewsML
    1.2 from Kyodo and ATS), or declares elements and attribute lists (Reuters), is skipped: the subset becomes spaces (line breaks kept,
    so the parser's line numbers still point into the file) and the DTDs it names are never
    fetched. A general entity, a parameter entity with text of its own (how entity bombs and
    XXE indirection are built), or any other declaration is refused with its own reason.
    """
    start = _BEFORE_DOCTYPE.match(utf8)
    position = start.end() if start else 0
    if utf8[position : position + 9].upper() != b"<!DOCTYPE":
        return utf8
    head = _DOCTYPE_HEAD.match(utf8, position)
    after = utf8[head.end() : head.end() + 1] if head else b""
    if after == b">":
        return utf8
    if after != b"[":
        raise ParseError("not well-formed XML: the DOCTYPE is neither a name nor a name and a DTD")
    assert head is not None
    opening = head.end()
    at = opening + 1
    while (token := _SUBSET_SKIPPABLE.match(utf8, at)) and token.end() > at:
        at = token.end()
    closing = _SUBSET_END.match(utf8, at)
    if closing is None:
        _refuse_subset(utf8, at)
    # Up to the DOCTYPE's own ">": the subset and its brackets, line breaks kept.
    blank = re.sub(rb"[^\n]", b" ", utf8[opening : closing.end() - 1])
    return utf8[:opening] + blank + utf8[closing.end() - 1 :]


def _refuse_subset(utf8: bytes, at: int) -> NoReturn:
    """Why the declaration at `at` in a DOCTYPE's internal subset is refused."""
    rest = utf8[at : at + 4096]
    if not rest:
        raise ParseError("not well-formed XML: the DOCTYPE's internal subset never ends")
    general = _GENERAL_ENTITY.match(rest)
    if general:
        name = general.group(1).decode("utf-8", "replace")
        if f"&{name};".encode() in utf8:
            raise HostileInput(
                f"the XML's DOCTYPE declares the general entity {name!r} and the file uses it "
                f"(&{name};): expanding it is how entity bombs and XXE attacks work, and "
                f"{_NOT_EXPANDED}"
            )
        raise HostileInput(
            f"the XML's DOCTYPE declares the general entity {name!r}; no wire format needs "
            f"one, and {_NOT_EXPANDED}"
        )
    parameter = _PARAMETER_ENTITY.match(rest)
    if parameter:
        name = parameter.group(1).decode("utf-8", "replace")
        raise HostileInput(
            f"the XML's DOCTYPE declares the parameter entity {name!r} with text of its own "
            "(how entity bombs and XXE indirection are built), not a DTD by name; "
            f"{_NOT_EXPANDED}"
        )
    markup = _MARKUP_DECLARATION.match(rest)
    if markup:
        kind = markup.group(1).decode().upper()
        what = (
            "a notation" if kind == "NOTATION" else "markup that is not a well-formed declaration"
        )
        raise HostileInput(
            f"the XML's DOCTYPE declares {what} (<!{kind}>); no wire format needs it, so the "
            "file is refused"
        )
    raise HostileInput(
        "the XML's DOCTYPE holds something other than DTD names and parameter entities "
        f"({rest[:40].decode('utf-8', 'replace')!r}); refused without reading it"
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
            raise HostileInput(_undeclared(str(node.text)))


def _undeclared(reference: str) -> str:
    return (
        f"the XML references an undeclared entity {reference!r}: only a DTD could define it, "
        "and DTDs are never loaded, so the file is refused rather than guessed"
    )


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
