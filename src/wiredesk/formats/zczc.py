"""ZCZC ... NNNN teleprinter messages, as AAP (and its Medianet and racing services) send them.

    ZCZC AAP                                    start of message, and who sends it
    %MNETALL MFI MGD                            % and ~: routing and selector codes
    #Racing-Greys                               # keyword (slug)
    $J                                          $ the agency's category letter (unused)
    :Personal insolvencies rise 0.6 per cent    : headline (an empty ":" line is nothing)
    *X                                          * format: X text, T table
    @Fields Thursday                            @ take key
    By Jane Citizen                             a byline, when the body opens with one
    SYDNEY, Dec 9 AAP - The number ...          the body, to NNNN; CRLF line ends
    AAP jc/sb                                   sign-off: agency and initials, dropped
    NNNN                                        end of message

A file may carry several messages. A round-up of headlines is a story like any other; only a
message with no body text is skipped, with that reason. Header lines are markers and never
reach the story; a table (`*T`) keeps its lines and columns.
"""

from __future__ import annotations

import hashlib
import html
import re
import textwrap

from wiredesk.exceptions import ParseError
from wiredesk.formats.dateline import KNOWN_CREDITS, credit_to_agency
from wiredesk.formats.plaintext import decode, newlines, uri_part
from wiredesk.formats.text import indented_paragraphs, join
from wiredesk.types import Item, Skipped

NAME = "zczc"
_LABEL = "ZCZC teleprinter message"
_SNIFF = re.compile(rb"^[\s\x01-\x1f]*ZCZC\b")
_START = re.compile(r"^[ \t]*ZCZC\b[ \t]*(?P<sender>[^\n]*)$", re.MULTILINE)
_END = re.compile(r"^[ \t]*NNNN[ \t]*$", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Each header line by its prefix; a body line that happens to open with "$" or "*" is safe,
# as the header ends at the first line that is not one of these.
_HEADER_LINE = re.compile(
    r"^(?:%[^\n]*|~[^\n]*|#[^\n]*|\$[A-Za-z]{0,3}|:[^\n]*|\*[A-Za-z]?|@[^\n]*)$"
)
_BYLINE = re.compile(r"^By\s+[A-Z][^\n]{0,60}$")
# "AAP jc/sb": the agency and the staff's initials, a marker at the very end of the copy.
_SIGN_OFF = re.compile(r"^(?P<credit>[A-Z]{2,8})(?:[ \t]+[a-z]{1,4}(?:/[a-z]{1,4})*){1,4}$")


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and bool(_SNIFF.match(head))


def parse(data: bytes) -> list[Item | Skipped]:
    text = _CONTROL.sub("", newlines(decode(data)))
    starts = list(_START.finditer(text))
    if not starts:
        raise ParseError(f"{_LABEL}: no ZCZC line opens a message")
    results: list[Item | Skipped] = []
    for i, start in enumerate(starts):
        until = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        end = _END.search(text, start.end(), until)
        if end is None:
            raise ParseError(
                f"{_LABEL}: no NNNN after the ZCZC line {start.group(0).strip()!r}: the message "
                "is cut off, not published"
            )
        lines = text[start.end() : end.start()].split("\n")[1:]
        results.append(_message(start.group("sender").strip(), lines))
    return results


def _message(sender: str, lines: list[str]) -> Item | Skipped:
    header: dict[str, str] = {}
    while lines and _HEADER_LINE.match(lines[0].rstrip()):
        line = lines.pop(0).rstrip()
        if line[1:].strip():
            header.setdefault(line[0], line[1:].strip())
    tabular = header.get("*", "").upper() == "T"
    keyword, headline = header.get("#", ""), header.get(":", "")
    blocks = _tables(lines) if tabular else indented_paragraphs(lines)
    byline = ""
    if not tabular and len(blocks) > 1 and _BYLINE.match(blocks[0]):
        byline = blocks.pop(0)
    sign_off = _SIGN_OFF.match(blocks[-1]) if len(blocks) > 1 else None
    if sign_off and sign_off.group("credit") in KNOWN_CREDITS:
        blocks.pop()
    body_text = join(blocks)
    headline = headline or keyword
    uri = _story_uri(sender, keyword, headline)
    if not body_text:
        return Skipped(uri=uri, reason=f"{_LABEL}: a header but no body text; nothing to publish")
    if not headline:
        raise ParseError(f"{_LABEL}: no headline (a ':' header line) and no keyword ('#')")
    return Item(
        uri=uri,
        version="1-" + hashlib.sha256(body_text.encode()).hexdigest()[:10],
        headline=headline,
        byline=byline,
        slugline=keyword,
        body_text=body_text,
        body_html=f"<pre>{html.escape(body_text)}</pre>" if tabular else "",
        agency=next(
            (credit_to_agency(w) for w in sender.split() if w.upper() in KNOWN_CREDITS), ""
        ),
        signals=[header["@"]] if "@" in header else [],
        format=NAME,
    )


def _tables(lines: list[str]) -> list[str]:
    """Blocks between blank lines, each keeping its columns: only the shared indent goes."""
    blocks, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(textwrap.dedent("\n".join(current)))
            current = []
    return blocks


def _story_uri(sender: str, keyword: str, headline: str) -> str:
    """Sender, keyword and a digest of the headline: AAP sends no id, and a re-send of one
    story keeps its headline; its changed text is then a newer version (by body digest)."""
    digest = hashlib.sha256(headline.encode()).hexdigest()[:12]
    return f"urn:wiredesk:zczc:{uri_part(sender or '-')}:{uri_part(keyword or '-')}:{digest}"
