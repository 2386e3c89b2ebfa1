"""IPTC 7901 with its control characters stripped, as dpa's English service arrives by relay.

    eca00075 3 i 510    dpa 1003                    the heading, without SOH before it
    /politics/Britain/EU/                           keyword line(s): "/" ends them, may open them
    2ND LEAD                                        take lines, headline, byline, " =", as in
    Britain and EU agree on fishing quotas          IPTC 7901, without STX before them
    By Anna Beispiel, dpa  =
    Luxembourg (dpa) - Britain and the ...          the body, hard-wrapped
    dpa ab cd                                       sign-off
    092231 GMT Dec 26                               the trailer time, without ETX before it

Only the markers are missing, so the heading, keywords and text are found by their shape and
read by the same rules as IPTC 7901 (formats/iptc7901.py).
"""

from __future__ import annotations

import re

from wiredesk.exceptions import ParseError
from wiredesk.formats import iptc7901
from wiredesk.formats.plaintext import decode, newlines
from wiredesk.types import Item

NAME = "iptc7901-stripped"
_LABEL = "IPTC 7901 without control characters"
_SNIFF = re.compile(rb"^\s*[A-Za-z]{1,8}\d{1,6}[ \t]+\d[ \t]+[A-Za-z]{1,3}[ \t]+\d{1,6}\b[^\n]*\n")
_KEYWORD_LINE = re.compile(r"^\S.*/$")
# "092231 GMT Dec 26" standing alone on the last line; a sentence ending in a date is no trailer.
_TRAILER_LINE = re.compile(
    r"^\d{6}\s+(?:[A-Za-z]{1,4}\s+)?[A-Za-zäÄ]{3,4}\.?\s+(?:\d{4}|\d{2})$", re.IGNORECASE
)


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and b"\x01" not in head[:64] and bool(_SNIFF.match(head))


def parse(data: bytes) -> list[Item]:
    lines = newlines(decode(data)).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    heading = lines.pop(0).strip() if lines else ""
    header = iptc7901.HEADER.match(heading)
    if header is None:
        raise ParseError(
            f"{_LABEL}: the first line should read 'service+number priority category "
            f"word-count', found {heading[:60]!r}"
        )
    keywords: list[str] = []
    while lines and (not lines[0].strip() or _KEYWORD_LINE.match(lines[0].strip())):
        keywords.append(lines.pop(0))
    if not any(k.strip() for k in keywords):
        raise ParseError(
            f"{_LABEL}: no keyword line ending in '/' (such as '/politics/Britain/EU/') after "
            "the heading"
        )
    while lines and not lines[-1].strip():
        lines.pop()
    trailer = lines.pop() if lines and _TRAILER_LINE.match(lines[-1].strip()) else ""
    item = iptc7901.read(header, "\n".join(keywords), lines, trailer, NAME)
    if not item.body_text and item.pubstatus != "canceled":
        raise ParseError(f"{_LABEL}: no body text after the headline")
    return [item]
