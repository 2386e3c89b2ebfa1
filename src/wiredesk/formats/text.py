"""Turning agency markup into paragraphs without touching a single character of the words."""

from __future__ import annotations

import copy
import re

from lxml import etree, html

from wiredesk.formats.xml import element_text, localname

BLOCKS = frozenset(
    {"p", "hl2", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "dd", "dt", "tr"}
)
CONTAINERS = frozenset({"ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "div", "block"})
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")
# Elements whose content is code or page metadata, never the agency's words: a press release's
# stylesheet must not become its first paragraph.
NOT_TEXT = frozenset({"style", "script", "head", "template"})


def join(paragraphs: list[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p)


def paragraphs_from_plain(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; ends are trimmed, the inside never is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]


_SENTENCE_END = re.compile(r"[.!?:;\"'»«”“’)\]…]$")


def line_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text, where a body without a blank line may put one per line.

    Blank lines separate paragraphs when there are any. Without them, a text whose lines are
    paragraphs (NTB, TT and dpa ninjs `body_text`: long lines, or lines that end sentences) is
    one paragraph per line; a text hard-wrapped at a fixed width (short lines running on
    mid-sentence) stays one paragraph, its line breaks kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = paragraphs_from_plain(text)
    if len(paragraphs) != 1:
        return paragraphs
    lines = [line.strip() for line in paragraphs[0].split("\n") if line.strip()]
    if len(lines) < 2:
        return paragraphs
    ended = sum(bool(_SENTENCE_END.search(line)) for line in lines)
    if max(len(line) for line in lines) > 100 or ended * 2 >= len(lines):
        return lines
    return paragraphs


def _blank_line_inside(lines: list[str]) -> bool:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return bool(filled) and any(not line.strip() for line in lines[filled[0] : filled[-1]])


def indented_paragraphs(lines: list[str]) -> list[str]:
    """Teleprinter paragraphs: a blank line, or an indented line after text, starts one.

    The agency's line breaks inside a paragraph are kept as "\\n"; ends are trimmed.
    """
    paragraphs: list[list[str]] = []
    current: list[str] = []
    # Copy that parts its paragraphs with blank lines indents only for layout (a list's
    # items, a wrapped item's second line): there an indented line starts no paragraph.
    by_blank_lines = _blank_line_inside(lines)
    for line in lines:
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = []
        elif current and line[:1] in (" ", "\t") and not by_blank_lines:
            paragraphs.append(current)
            current = [line]
        else:
            current.append(line)
    if current:
        paragraphs.append(current)
    return [p for p in ("\n".join(lines).strip() for lines in paragraphs) if p]


def _block_text(el: etree._Element) -> str:
    if localname(el) == "tr":
        cells = [element_text(c).strip() for c in el if isinstance(c.tag, str)]
        return "\t".join(cells).strip()
    return element_text(el).strip()


def _holds_blocks(el: etree._Element) -> bool:
    return any(localname(d) in BLOCKS or localname(d) in CONTAINERS for d in el.iterdescendants())


def paragraphs_from_element(body: etree._Element) -> list[str]:
    """Walk block elements in document order; loose text between blocks is a paragraph too.

    Loose text and inline elements (a link, a bold word) between two blocks are one run, so a
    sentence with a link in it stays one paragraph. A block that holds blocks (a blockquote of
    paragraphs, a list item with a nested list) is walked like a container, so its paragraphs
    stay apart instead of running together.
    """
    body = without_code(body)
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        out.extend(paragraphs_from_plain("".join(run)))
        run.clear()

    def walk(el: etree._Element) -> None:
        run.append(el.text or "")
        for c in el:
            if not isinstance(c.tag, str):
                pass
            elif localname(c) in BLOCKS and not _holds_blocks(c):
                flush()
                block = _block_text(c)
                if block:
                    out.append(block)
            elif localname(c) in BLOCKS or localname(c) in CONTAINERS or _holds_blocks(c):
                flush()
                walk(c)
                flush()
            else:
                run.append(element_text(c))
            run.append(c.tail or "")

    walk(body)
    flush()
    return out


def without_code(el: etree._Element) -> etree._Element:
    """The element, or a copy without its stylesheets, scripts and <head> (their tails kept)."""
    if not any(isinstance(d.tag, str) and localname(d) in NOT_TEXT for d in el.iter()):
        return el
    clone = copy.deepcopy(el)
    for node in [d for d in clone.iter() if isinstance(d.tag, str) and localname(d) in NOT_TEXT]:
        if node is clone:
            continue
        parent = node.getparent()
        if parent is not None:
            # remove() would drop the tail, which is text after the element, not in it.
            node.text = None
            for kid in list(node):
                node.remove(kid)
            node.tag = "span"
            node.attrib.clear()
    return clone


def paragraphs_from_html(markup: str) -> list[str]:
    """Paragraphs of an HTML fragment (RSS descriptions, ninjs body_html)."""
    if not markup.strip():
        return []
    if "<" not in markup:
        return paragraphs_from_plain(element_text(html.fromstring(f"<div>{markup}</div>")))
    root = html.fragment_fromstring(markup, create_parent="div")
    return paragraphs_from_element(root)


def html_text(markup: str) -> str:
    """The text of an HTML fragment as one field (a feed's HTML title), trimmed at its ends."""
    if not markup.strip():
        return ""
    return element_text(html.fragment_fromstring(markup, create_parent="div")).strip()


def inner_markup(el: etree._Element) -> str:
    """The element's children serialised as HTML, namespaces dropped, for body_html."""
    clone = etree.fromstring(etree.tostring(el))
    for node in clone.iter():
        if isinstance(node.tag, str):
            node.tag = localname(node)
    etree.cleanup_namespaces(clone)
    parts = [clone.text or ""]
    parts += [etree.tostring(c, method="html", encoding="unicode") for c in clone]
    return "".join(parts).strip()


def apart_at_blank_lines(paragraphs: list[str]) -> list[str]:
    """Paragraphs with a blank line inside (two `<br/>`s in one `<p>`: dpa's audio programme)
    split there, as body_text, which joins paragraphs with a blank line, would split them;
    each part trimmed at its ends only."""
    return [part for p in paragraphs for part in paragraphs_from_plain(p)]
