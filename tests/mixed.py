"""Random mixed content for the property tests: inline elements with text and tails, in every
script the agencies write, serialised with some characters as references a parser decodes.

A `Node` is an element's content: its text, then children each followed by its tail. What a
reader sees of it, `Node.text_of()`, is the oracle: every piece in document order, `<br/>` a
line break, nothing else added or taken away.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from hypothesis import strategies as st

ALPHABET = (
    list("abcdeXYZ019 .,;:!?-/()'\"&<>%@")
    + list("अआइकखगनमरसह")
    + ["\u094d", "\u093e", "\u093f", "\u0940", "\u0947"]  # Devanagari
    + list("அஆஇகதநமழ")
    + ["\u0bcd", "\u0bbf", "\u0bc0"]  # Tamil, with vowel signs
    + list("اردوکےںہی")  # Urdu
    + list("中文新闻报道德里")  # Chinese
    + list("äöüÄÖÜß")  # German
    + ["\u00a0", "\u200d", "\t", "\n", " ", " "]
)
NITF_INLINE = [
    "em",
    "a",
    "q",
    "person",
    "org",
    "chron",
    "money",
    "num",
    "virtloc",
    "pronounce",
    "br",
]
HTML_INLINE = ["em", "strong", "a", "q", "span", "b", "i", "abbr", "sub", "sup", "br"]
G2_INLINE = ["span", "inlineRef", "bdo"]
NEWSML12_INLINE = ["Origin"]
PLACE_PARTS = ["city", "state", "region", "country", "sublocation"]

texts = st.text(alphabet="".join(ALPHABET), max_size=12)


@dataclass
class Node:
    text: str = ""
    kids: list[tuple[str, Node, str]] = field(default_factory=list)

    def text_of(self) -> str:
        parts = [self.text]
        for tag, kid, tail in self.kids:
            parts += ["\n" if tag == "br" else kid.text_of(), tail]
        return "".join(parts)

    def has_own_text(self) -> bool:
        return bool(self.text.strip()) or any(tail.strip() for _, _, tail in self.kids)

    def xml(self, html: bool = False) -> str:
        parts = [reference(self.text, html)]
        for tag, kid, tail in self.kids:
            if tag == "br":
                parts.append("<br>" if html else "<br/>")
            else:
                attrs = ' href="https://example.com/?a=1&amp;b=2"' if tag == "a" else ""
                parts.append(f"<{tag}{attrs}>{kid.xml(html)}</{tag}>")
            parts.append(reference(tail, html))
        return "".join(parts)


def reference(text: str, html: bool = False) -> str:
    """Markup-significant characters escaped, and every third non-ASCII character written as a
    numeric reference, so the parser has entities to decode."""
    out = []
    for char in escape(text, {'"': "&quot;"} if html else {}):
        out.append(f"&#x{ord(char):x};" if ord(char) > 127 and ord(char) % 3 == 0 else char)
    return "".join(out)


def nodes(tags: list[str], depth: int = 2) -> st.SearchStrategy[Node]:
    inner = nodes(tags, depth - 1) if depth > 1 else st.builds(Node, texts)
    kid = st.tuples(st.sampled_from(tags), inner, texts)
    return st.builds(Node, texts, st.lists(kid, max_size=3))


def datelines() -> st.SearchStrategy[Node]:
    """NITF's dateline as the standard shows it: text around <location> (its city, state...) and
    <story.date>, e.g. "<location><city>Kabul</city></location>/New Delhi, <story.date>..."."""
    place = st.builds(
        Node,
        texts,
        st.lists(
            st.tuples(st.sampled_from(PLACE_PARTS), st.builds(Node, texts), texts), max_size=3
        ),
    )
    part = st.one_of(
        st.tuples(st.just("location"), place, texts),
        st.tuples(st.just("story.date"), st.builds(Node, texts), texts),
    )
    return st.builds(Node, texts, st.lists(part, min_size=1, max_size=3)).filter(Node.has_own_text)


def expected_paragraphs(paragraphs: list[Node]) -> str:
    """Block paragraphs as body_text: each trimmed at its ends only, empty ones gone."""
    return "\n\n".join(t.strip() for t in (p.text_of() for p in paragraphs) if t.strip())


def html_body(paragraphs: list[Node]) -> str:
    return "".join(f"<p>{p.xml(html=True)}</p>" for p in paragraphs)


def ninjs_json(paragraphs: list[Node]) -> bytes:
    return json.dumps(
        {
            "uri": "urn:mixed:ninjs",
            "type": "text",
            "headline": "h",
            "body_html": html_body(paragraphs),
        }
    ).encode()
