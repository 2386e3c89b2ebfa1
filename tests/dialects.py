"""What the agency-dialect tests share: reading one item, and random text to round-trip."""

from __future__ import annotations

from hypothesis import strategies as st

from wiredesk import formats
from wiredesk.formats import mapped
from wiredesk.types import Item

# A word: any printable characters but space, so words joined by one space are one line.
WORD = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp", "Zs")), min_size=1)
LINE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)


def only_item(data: bytes, fmt: str, mapping: mapped.Mapping | None = None) -> Item:
    """The one item a file holds, after checking it was detected as `fmt`."""
    parsed = formats.parse(data, mapping=mapping)
    assert parsed.format == fmt, parsed
    assert len(parsed.items) == 1 and not parsed.skipped, parsed
    return parsed.items[0]


def xml_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
