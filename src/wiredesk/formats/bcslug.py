"""Wire text under a `BC-` slug line: Kyodo's English service and AP's older text services.

    a0105KYODOkoko-                              transmission header line(s), if any
    kyo0417                                      transmission id
    u s BC-Soccer-Emperor's-Cup   09-12 0344     priority, category, slug, take key, date, words
    BC-Soccer-Emperor's-Cup                      the slug again (AP adds the take key, words)
    Urawa win Emperor's Cup on penalties +       headline; "+" (or "=", "<") closes it
    Eds: UPDATES with ...                        notes to editors -> ednote
    By JANE DOE                                  byline, perhaps with "Associated Press Writer"
        SAITAMA, Japan, Dec. 9 Kyodo - Urawa ... indented paragraphs, hard-wrapped
    ==Kyodo                                      end marks and AP's trailer, dropped

It is ANPA-1312's second heading line and slug without the control characters, so the
priorities, categories, take keys and story ids follow formats/anpa1312.py. The date on the
slug line is the agency's own (Kyodo writes day-month, AP month-day) and is kept as sent.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from wiredesk.exceptions import ParseError
from wiredesk.formats import anpa1312
from wiredesk.formats.dateline import credit_to_agency, split_opening
from wiredesk.formats.plaintext import decode, newlines
from wiredesk.formats.text import indented_paragraphs, join
from wiredesk.types import Item

NAME = "bcslug"
_LABEL = "BC- slug wire text"
_SLUG_LINE = re.compile(
    r"^(?P<priority>[a-z])[ \t]+(?P<category>[a-z])[ \t]+(?P<slug>(?:BC|AM|PM)-\S+)"
    r"(?P<takekey>.*?)[ \t]+(?P<date>\d{1,2}-\d{1,2})[ \t]+(?P<words>\d{1,5})[ \t]*$"
)
# Before the slug line: line noise (SYN, SOH) and up to three transmission header lines, such
# as Kyodo's "a0105KYODOkoko-" (selector, sequence number, service) or "kyo0417"; an ANPA-1312
# heading (its US separator, \x1f) is anpa1312's.
_HEADER_LINES = 3
_SNIFF = re.compile(
    rb"^[\s\x00-\x08\x0e-\x1f]*(?:[^\r\n\x02\x1f]{1,60}\r?\n[\s\x00-\x08\x0e-\x1f]*){0,3}"
    rb"[a-z][ \t]+[a-z][ \t]+(?:BC|AM|PM)-\S+.*?"
    rb"[ \t]\d{1,2}-\d{1,2}[ \t]+\d{1,5}[ \t]*\r?\n"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HEADLINE_END = re.compile(r"\s*[+=<]$")
_EDS = re.compile(r"^(?:Eds?:|EDITOR'?S NOTE\b)", re.IGNORECASE)
_BYLINE = re.compile(r"^By\s+\S")
_BYLINE_TITLE = re.compile(r"^(?:Associated Press|AP|Kyodo News)\b")
_END_MARK = re.compile(r"^(?:==\s*\w+|=+|END|\(END\)|ENDIT|MORE|\(MORE\))$", re.IGNORECASE)
_TRAILER = re.compile(
    r"^(?P<source>[A-Za-z]+)-[A-Za-z]+-(?P<m>\d{2})-(?P<d>\d{2})-(?P<y>\d{2})\s+"
    r"(?P<hh>\d{2})(?P<mm>\d{2})\s*(?P<zone>[A-Z]{3})\s*<?$"
)
_ZONES = {
    "GMT": 0, "UTC": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "JST": 9,
}  # fmt: skip
_HEADLINE_LINES = 3


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and bool(_SNIFF.match(head))


def parse(data: bytes) -> list[Item]:
    lines = [_CONTROL.sub("", line) for line in newlines(decode(data)).split("\n")]
    # The transmission header lines are the heading's, not the story's; blank ones are noise.
    head = [i for i, line in enumerate(lines) if line.strip()][: _HEADER_LINES + 1]
    at = next((i for i in head if _SLUG_LINE.match(lines[i].strip())), None)
    if at is None:
        raise ParseError(
            f'{_LABEL}: no slug line such as "u s BC-Soccer-Emperor\'s-Cup   09-12 0344" '
            "(priority, category, slug, date, word count) at the top"
        )
    heading = _SLUG_LINE.match(lines[at].strip())
    assert heading is not None
    # The last header line names the transmission ("kyo0417", "a0105KYODOkoko-").
    number = next((lines[i].strip() for i in reversed(head) if i < at), "")
    rest = lines[at + 1 :]
    slug = heading.group("slug")
    if rest and rest[0].strip().split(",")[0].strip() == slug:
        rest.pop(0)
    headline, rest = _headline(rest)
    if not headline:
        raise ParseError(f"{_LABEL}: no headline after the slug line")
    notes, byline, rest = _notes_and_byline(rest)
    rest, trailer = _without_end_marks(rest)
    paragraphs = indented_paragraphs(rest)
    if not paragraphs:
        raise ParseError(f"{_LABEL}: no body text (indented paragraphs) after the headline")
    dateline, agency = "", trailer.group("source").upper() if trailer else ""
    credit = ""
    opening = split_opening(paragraphs[0])
    if opening is not None:
        paragraphs[0], dateline, credit = opening.rest, opening.dateline, opening.credit
        agency = credit_to_agency(opening.credit)
    take_key = heading.group("takekey").strip()
    created = _trailer_time(trailer)
    item = Item(
        uri=anpa1312.story_uri(slug, heading.group("date"), take_key, number, NAME),
        headline=headline,
        versioncreated=created,
        firstcreated=created,
        urgency=anpa1312.PRIORITIES.get(heading.group("priority")),
        byline=byline,
        dateline=dateline,
        credit=credit,
        slugline=slug,
        body_text=join(paragraphs),
        agency=agency,
        category=anpa1312.CATEGORIES.get(heading.group("category"), ""),
        ednote="\n".join(notes),
        format=NAME,
    )
    anpa1312.apply_take_key(item, take_key, notes)
    return [item]


def _headline(lines: list[str]) -> tuple[str, list[str]]:
    """The headline: up to the line its mark closes, else the first line of text."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    for i, line in enumerate(lines[:_HEADLINE_LINES]):
        if line[:1] in (" ", "\t") or _EDS.match(line) or _BYLINE.match(line):
            break
        if _HEADLINE_END.search(line.rstrip()):
            # A wrapped headline is one headline: the teleprinter broke the line, not the agency.
            words = [*lines[:i], _HEADLINE_END.sub("", line.rstrip())]
            return " ".join(w.strip() for w in words if w.strip()), lines[i + 1 :]
    if lines and lines[0][:1] not in (" ", "\t"):
        return lines[0].strip(), lines[1:]
    return "", lines


def _notes_and_byline(lines: list[str]) -> tuple[list[str], str, list[str]]:
    """Eds: notes and the byline, between the headline and the first indented paragraph."""
    notes: list[str] = []
    byline = ""
    while lines and lines[0][:1] not in (" ", "\t"):
        line = lines[0].strip()
        if _EDS.match(line):
            notes.append(line)
        elif _BYLINE.match(line) and not byline:
            byline = line
        elif byline and _BYLINE_TITLE.match(line):
            byline = f"{byline} {line}"
        elif line:
            break
        lines = lines[1:]
    return notes, byline, lines


def _without_end_marks(lines: list[str]) -> tuple[list[str], re.Match[str] | None]:
    """The story lines without the end marks and the trailer after its last paragraph."""
    trailer = None
    while lines:
        last = lines[-1].strip()
        match = _TRAILER.match(last)
        if match and trailer is None:
            trailer = match
        elif last and not _END_MARK.match(last):
            break
        lines = lines[:-1]
    return lines, trailer


def _trailer_time(match: re.Match[str] | None) -> datetime | None:
    if match is None or match.group("zone") not in _ZONES:
        return None
    return anpa1312.trailer_time(match, timezone(timedelta(hours=_ZONES[match.group("zone")])))
