"""IPTC 7901, the agencies' teletype layout, as dpa sends it.

    SOH eca100 3 s 586 ccccb   dpa 099          service+number priority category words extra
    Germany-football/Munich/Mueller/            keyword line(s), each ending in "/"
    STX 1ST LEAD                                take lines (REFILE, 1ST LEAD, KORREKTUR...)
    German football saddened by ... Mueller     headline
    By Manuel Schwarz, dpa =                    byline; " =" closes the title block
    Munich (dpa) - German football ...          body: lines hard-wrapped, paragraphs apart
                                                by a blank line or an indented first line
    # Notebook ... * * * / not for publication  notes for editors -> ednote
    dpa bwh bag                                 sign-off: agency and staff initials, dropped
    ETX 071341 GMT Okt 15                       day, hour, minute, zone, month, 2-digit year

The agency's line breaks inside a paragraph are kept as "\\n": joining them would mean
guessing where the agency's spaces were (dpa lines end with and without one).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from wiredesk.exceptions import ParseError
from wiredesk.formats import signals
from wiredesk.formats.dateline import KNOWN_CREDITS, credit_to_agency, split_opening
from wiredesk.formats.plaintext import decode, newlines, uri_part
from wiredesk.formats.text import indented_paragraphs, join
from wiredesk.types import Item, PubStatus

NAME = "iptc7901"
_LABELS = {NAME: "IPTC 7901", "iptc7901-stripped": "IPTC 7901 without control characters"}
SOH, STX, ETX = "\x01", "\x02", "\x03"
_TITLE_SEARCH = 8

_SNIFF = re.compile(
    rb"^[\x16\s]*\x01[A-Za-z]{1,8}\d{1,6}[ \t]+\d[ \t]+[A-Za-z]{1,3}[ \t]+\d{1,6}\b"
)
HEADER = re.compile(
    r"^(?P<service>[A-Za-z]{1,8})(?P<sequence>\d{1,6})[ \t]+(?P<priority>\d)[ \t]+"
    r"(?P<category>[A-Za-z]{1,3})[ \t]+(?P<words>\d{1,6})(?:[ \t]+(?P<extra>.*))?$"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TITLE_END = re.compile(r"\s*=$")
# "Von der Leyen ..." opens headlines, so a German byline must name the agency or a reporter.
_BYLINE = re.compile(r"^By\s+\S|^Von\s+.*\b(?:dpa|Korrespondent\w*)\b")
_LOWER = re.compile(r"[a-zß-öø-ÿ]")
_MARKER_WORDS = re.compile(
    r"^(?:\d+\.\s*)?(?:Zusammenfassung|Eilmeldung|Eilt|Korrektur|Berichtigung|Wiederholung|"
    r"Achtung\b.*|Attention\b.*|Sperrfrist\b.*|Embargo\b.*|Neu:.*|\(Neu:.*\))$",
    re.IGNORECASE,
)
_LEAD = re.compile(r"\b(\d+)\s*(?:ST|ND|RD|TH)\s+LEAD\b|\b(\d+)\.\s*ZUSAMMENFASSUNG\b", re.I)
_PLAIN_LEAD = re.compile(r"^(?:LEAD|ZUSAMMENFASSUNG)$", re.IGNORECASE)
_REFILE = re.compile(r"\b(?:REFILE|WIEDERHOLUNG|REPEAT)\b", re.IGNORECASE)
_CORRECTION = re.compile(
    r"\b(?:CORRECTION|CORRECTS|CORRECTED|KORREKTUR|BERICHTIGUNG|BERICHTIGT)\b", re.IGNORECASE
)
_KILL = re.compile(
    r"\b(?:KILL|WITHDRAWN|WITHDRAWAL|RÜCKRUF|RUECKRUF|ZURÜCKGEZOGEN|ZURUECKGEZOGEN|"
    r"NICHT VERWENDEN|DO NOT USE)\b",
    re.IGNORECASE,
)
_KILL_HEADLINE = re.compile(r"^(?:ACHTUNG|ATTENTION|KILL|WITHDRAWN|RÜCKRUF)\b", re.IGNORECASE)
_EMBARGO = re.compile(r"\b(?:SPERRFRIST|SPERRVERMERK|EMBARGO|EMBARGOED)\b", re.IGNORECASE)
_DPA_OPENING = re.compile(
    r"^(?P<place>[^\n()]{1,60}?) \((?P<credit>dpa(?:-AFX)?(?:/[\w-]+)?)\) [-–] "
)
_NOTEBOOK = re.compile(r"^#+\s*(?:Notebook|Notizblock)\s*$", re.IGNORECASE)
_STARS = re.compile(r"^\*(?:\s*\*){2,}$")
_NOT_FOR_PUBLICATION = re.compile(
    r"^(?:the following information is )?not (?:intended )?for publication\.?$|"
    r"^(?:die folgenden informationen sind )?nicht (?:zur|für die) veröffentlichung"
    r"(?: bestimmt)?\.?$",
    re.IGNORECASE,
)
_CREDITS_LOWER = "|".join(sorted((re.escape(c.lower()) for c in KNOWN_CREDITS), key=len)[::-1])
_SIGN_OFF = re.compile(
    rf"^(?:{_CREDITS_LOWER})(?:-afx)?(?:[ \t]+[a-z][a-z0-9]{{0,3}}(?:/[a-z]{{1,4}})?){{1,8}}$"
)
_TRAILER_TIME = re.compile(
    r"(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})\s+(?:(?P<zone>[A-Za-z]{1,4})\s+)?"
    r"(?P<month>[A-Za-zäÄ]{3,4})\.?\s+(?P<year>\d{4}|\d{2})\b"
)
# English and German month abbreviations as dpa's trailer writes them.
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "mär": 3, "mrz": 3, "apr": 4, "may": 5, "mai": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12,
    "dez": 12,
}  # fmt: skip
ZONES = {
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "MEZ": 1, "CET": 1, "MESZ": 2, "CEST": 2,
}  # fmt: skip
CATEGORIES = {
    "a": "Domestic", "e": "Entertainment", "f": "Business", "i": "International",
    "k": "Commentary", "l": "Lifestyle", "p": "Politics", "s": "Sport", "w": "Washington",
}  # fmt: skip


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and bool(_SNIFF.match(head))


def parse(data: bytes) -> list[Item]:
    text = newlines(decode(data))
    soh = text.find(SOH)
    if soh < 0 or text[:soh].strip("\x16 \t\n"):
        raise ParseError("IPTC 7901: the file does not start with SOH (start of heading)")
    header_end = text.find("\n", soh)
    header_line = text[soh + 1 : header_end if header_end >= 0 else len(text)]
    header = HEADER.match(_CONTROL.sub("", header_line).strip())
    if header is None:
        raise ParseError(
            "IPTC 7901: the heading after SOH should read 'service+number priority category "
            f"word-count', found {header_line.strip()[:60]!r}"
        )
    stx = text.find(STX, soh)
    if stx < 0:
        raise ParseError("IPTC 7901: no STX (start of text): the file holds no story text")
    etx = text.find(ETX, stx)
    if etx < 0:
        raise ParseError("IPTC 7901: no ETX (end of text): the story is cut off, not published")
    keywords = text[header_end + 1 : stx] if 0 <= header_end < stx else ""
    return [read(header, keywords, text[stx + 1 : etx].split("\n"), text[etx + 1 :], NAME)]


def read(header: re.Match[str], keywords: str, lines: list[str], trailer: str, fmt: str) -> Item:
    """The item from a heading, keyword lines, the lines of text and the trailer, however the
    file marked them off (control characters here, the shape alone in iptc7901_stripped)."""
    slug = "".join(_CONTROL.sub("", k).strip() for k in keywords.split("\n")).strip("/")
    lines = [_CONTROL.sub("", line) for line in lines]
    title, body_lines = _title_block(lines)
    notes, title = heading_notes(title)
    markers, headline, byline = _classify_title(title)
    markers = [*(f"({n.text})" for n in notes if n.kind != "picture"), *markers]
    if not headline:
        raise ParseError(f"{_LABELS[fmt]}: no headline after the heading and keyword lines")
    body_lines, ednote = _split_notes(body_lines)
    paragraphs = indented_paragraphs(body_lines)
    dateline, credit = "", ""
    if paragraphs:
        paragraphs[0], dateline, credit = _cut_opening(paragraphs[0])
    agency = credit_to_agency(credit) if credit else ""
    extra = header.group("extra") or ""
    agency = agency or next(
        (credit_to_agency(word) for word in extra.split() if word.upper() in KNOWN_CREDITS), ""
    )
    created = trailer_time(trailer)
    item = Item(
        uri=story_uri(header.group("service"), header.group("sequence"), created, slug),
        headline=headline,
        versioncreated=created,
        firstcreated=created,
        urgency=int(header.group("priority")) or None,
        byline=byline,
        dateline=dateline,
        credit=credit,
        slugline=slug,
        body_text=join(paragraphs),
        agency=agency,
        category=CATEGORIES.get(header.group("category").lower(), ""),
        ednote=ednote,
        format=fmt,
    )
    _apply_markers(item, markers)
    _apply_notes(item, notes)
    return item


@dataclass(frozen=True)
class HeadingNote:
    """A bracketed note in a dpa heading block: "(Eil)", "(Berichtigung: ...)", "(Vorschau)",
    "(Foto Illustration)". `text` is the note as written, without its brackets."""

    kind: str  # "urgent", "correction", "picture" or "note"
    text: str


# dpa's German heading (digitalwires to IPTC 7901): urgency, correction, genre and embargo
# notes in brackets before the headline, a picture note in brackets after it (and the byline).
_LEADING_NOTE = re.compile(r"^\((?P<text>[^()]*(?:\([^()]*\)[^()]*)*)\)[ \t]*\n?")
_TRAILING_NOTE = re.compile(r"(?:^|\n|[ \t])\((?P<text>[^()]{1,80})\)[ \t]*$")
_URGENT_NOTE = re.compile(r"^(?:Eil|Eilt|Eilmeldung|Blitz)\b", re.IGNORECASE)
_CORRECTION_NOTE = re.compile(r"^(?:Berichtigung|Korrektur|Correction|Corrección)\b", re.I)
_PICTURE_NOTE = re.compile(
    r"^(?:mit\s+)?(?:Foto|Fotos|Bild|Bilder|Grafik|Grafiken|Video|Illustration)\b", re.I
)


def heading_notes(title: list[str]) -> tuple[list[HeadingNote], list[str]]:
    """The bracketed notes of a heading block, and the title lines without them.

    A note before the headline may wrap over lines (a long correction note); a note after it
    is peeled only when it is a picture note: "(2)" or "(Update)" can end a headline.
    """
    text = "\n".join(title)
    notes: list[HeadingNote] = []
    while (match := _LEADING_NOTE.match(text)) and text[match.end() :].strip():
        notes.append(_note(match.group("text")))
        text = text[match.end() :].lstrip()
    trailing = _TRAILING_NOTE.search(text)
    if trailing and _PICTURE_NOTE.match(trailing.group("text").strip()):
        before = text[: trailing.start()].rstrip()
        if before.strip():
            notes.append(HeadingNote("picture", " ".join(trailing.group("text").split())))
            text = before
    return notes, [line.strip() for line in text.split("\n") if line.strip()]


def _note(text: str) -> HeadingNote:
    # The teleprinter's line breaks inside a note are not the agency's words.
    written = " ".join(text.split())
    if _URGENT_NOTE.match(written):
        return HeadingNote("urgent", written)
    if _CORRECTION_NOTE.match(written):
        return HeadingNote("correction", written)
    if _PICTURE_NOTE.match(written):
        return HeadingNote("picture", written)
    return HeadingNote("note", written)


def _apply_notes(item: Item, notes: list[HeadingNote]) -> None:
    """Urgency to urgency, a correction note to the agency's note (the story is a correction:
    its marker is among the signals), a picture note to its own field."""
    for note in notes:
        if note.kind == "urgent":
            urgency = 1 if note.text.lower().startswith("blitz") else 2
            item.urgency = min(item.urgency or urgency, urgency)
        elif note.kind == "correction":
            if signals.CORRECTION not in item.signals:
                item.signals.append(signals.CORRECTION)
            item.ednote = "\n".join(n for n in (note.text, item.ednote) if n)
        elif note.kind == "picture":
            item.picture_note = "\n".join(n for n in (item.picture_note, note.text) if n)


def _title_block(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines from STX to the one ending in " =", or to the first blank line without one."""
    seen = False
    end = len(lines[:_TITLE_SEARCH])
    for i, line in enumerate(lines[:_TITLE_SEARCH]):
        if not line.strip():
            if seen:
                end = i
                break
            continue
        seen = True
        if _TITLE_END.search(line.rstrip()):
            last = _TITLE_END.sub("", line.rstrip())
            title = [t.strip() for t in [*lines[:i], last]]
            return [t for t in title if t], lines[i + 1 :]
    if end == len(lines):
        end = min(1, len(lines))
    return [t.strip() for t in lines[:end] if t.strip()], lines[end:]


def _is_marker(line: str) -> bool:
    no_lower = not _LOWER.search(line) and any(c.isalpha() for c in line) and len(line) <= 50
    return no_lower or bool(_MARKER_WORDS.match(line))


def _classify_title(title: list[str]) -> tuple[list[str], str, str]:
    """Take lines, headline and byline; the byline is the last line and never the only one."""
    rest = list(title)
    byline = rest.pop() if len(rest) > 1 and _BYLINE.match(rest[-1]) else ""
    markers: list[str] = []
    while len(rest) > 1 and _is_marker(rest[0]):
        markers.append(rest.pop(0))
    # A wrapped headline is one headline; its line break is kept as sent (verbatim), as the
    # XML formats keep theirs.
    return markers, "\n".join(rest), byline


def _split_notes(lines: list[str]) -> tuple[list[str], str]:
    """The story lines, and the notebook / not-for-publication notes as one ednote."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if lines and _SIGN_OFF.match(lines[-1].strip()) and (len(lines) == 1 or not lines[-2].strip()):
        lines = lines[:-1]
    stripped = [line.strip() for line in lines]
    for i, line in enumerate(stripped):
        following = next((s for s in stripped[i + 1 :] if s), "")
        if (
            _NOTEBOOK.match(line)
            or _NOT_FOR_PUBLICATION.match(line)
            or (_STARS.match(line) and _NOT_FOR_PUBLICATION.match(following))
        ):
            return lines[:i], "\n".join(lines[i:]).strip()
    return lines, ""


def _cut_opening(paragraph: str) -> tuple[str, str, str]:
    """dpa's "Munich (dpa) - " opening: the place is the dateline; the credit as written."""
    match = _DPA_OPENING.match(paragraph)
    if match and paragraph[match.end() :].strip():
        return paragraph[match.end() :], match.group("place").strip(), match.group("credit")
    opening = split_opening(paragraph)
    if opening is not None:
        return opening.rest, opening.dateline, opening.credit
    return paragraph, "", ""


def trailer_time(trailer: str) -> datetime | None:
    """'071341 GMT Okt 15' is 7 October 2015, 13:41 GMT; None when the trailer has no time."""
    match = _TRAILER_TIME.search(trailer)
    if match is None:
        return None
    month = MONTHS.get(match.group("month").lower())
    zone = ZONES.get((match.group("zone") or "GMT").upper())
    if month is None or zone is None:
        return None
    year = int(match.group("year"))
    year = year + 2000 if year < 100 else year
    try:
        return datetime(
            year,
            month,
            int(match.group("day")),
            int(match.group("hour")),
            int(match.group("minute")),
            tzinfo=timezone(timedelta(hours=zone)),
        )
    except ValueError:
        return None


def story_uri(service: str, sequence: str, created: datetime | None, slug: str) -> str:
    """Service, transmission date and keyword line: a lead or a re-send is the same story.

    The sequence number is per transmission (a REFILE or 1ST LEAD gets a new one), so it is
    used only when the trailer has no date to tell one day's keyword from another's.
    """
    when = created.strftime("%Y-%m-%d") if created else f"n{sequence}"
    key = uri_part(slug) if slug else f"n{sequence}"
    return f"urn:wiredesk:iptc7901:{uri_part(service)}:{when}:{key}"


def _apply_markers(item: Item, markers: list[str]) -> None:
    """Version, corrections, kills and embargoes from the take lines after STX."""
    lead = 0
    refile = correction = kill = embargo = False
    for marker in markers:
        number = _LEAD.search(marker)
        if number:
            lead = int(number.group(1) or number.group(2))
        elif _PLAIN_LEAD.match(marker):
            lead = max(lead, 1)
        refile = refile or bool(_REFILE.search(marker))
        correction = correction or bool(_CORRECTION.search(marker))
        kill = kill or bool(_KILL.search(marker))
        embargo = embargo or bool(_EMBARGO.search(marker))
    if _KILL_HEADLINE.match(item.headline) and _KILL.search(item.headline):
        kill = True
    plain: list[str] = []
    if lead:
        plain.append(signals.UPDATE)
    if correction:
        plain.append(signals.CORRECTION)
    status: PubStatus = "usable"
    if kill:
        status = "canceled"
        plain.append(signals.KILL)
    elif embargo:
        plain.append(signals.EMBARGO)
    item.pubstatus = status
    item.signals = [*markers, *plain]
    if embargo:
        notes = [m for m in markers if _EMBARGO.search(m)]
        item.ednote = "\n".join([*notes, item.ednote]).strip()
    version = str(lead + 1)
    if refile or correction or kill:
        # The same take sent again must replace what it repeats: a version that is not a bare
        # number orders by time, and the digest makes an identical re-send a no-op.
        digest = hashlib.sha256(f"{item.headline}\n{item.body_text}".encode()).hexdigest()[:8]
        version = f"{version}-{'kill' if kill else 'r'}{digest}"
    item.version = version
