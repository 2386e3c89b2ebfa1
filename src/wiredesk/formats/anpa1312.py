"""ANPA-1312, the Associated Press's wire layout.

    SYN SYN SOH W2595 US asian                  service level, message number, selector
    u i DC4 DC2 BC-WEA--GlobalWeather-Fa  1stLd-Writethru  11-13 0895
                                                priority, category, format (DC1 text,
                                                DC2 tabular), keyword (24 characters),
                                                take key, month-day, word count
    STX ^BC-US--Giant Lobster Death, 1st Ld-Writethru,127<   full slug line
    ^$210 lobster is found dead<                headline ("^" opens, "<" or "=" closes)
    ^Eds: APNewsNow. Changes short headline.<   notes to editors -> ednote
    TAB   CHATHAM, Mass. (AP) _ A lobster died. a paragraph opens with a tab and 3 spaces
    ETX AP-WF-08-29-16 1626GMT<                 month-day-year and time, GMT

In a tabular (DC2) story a BS (tab line indicator) opens each table row and DLE is a
typesetter's space band; both are markers and are dropped. Table lines are kept as lines.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime, tzinfo

from wiredesk.exceptions import ParseError
from wiredesk.formats import signals
from wiredesk.formats.dateline import split_opening
from wiredesk.formats.plaintext import decode, newlines, uri_part
from wiredesk.formats.text import join
from wiredesk.types import Item, PubStatus

NAME = "anpa1312"
SOH, STX, ETX = "\x01", "\x02", "\x03"
TLI, SPACE_BAND = "\x08", "\x10"

_SNIFF = re.compile(rb"^\x16*\x01[A-Za-z]\d{4}\x1f")
_FIRST = re.compile(r"^\x16*\x01(?P<level>[A-Za-z])(?P<number>\d{4})\x1f(?P<selector>.*)$")
_SECOND = re.compile(
    r"^(?P<priority>[a-z])\s(?P<category>[a-z])(?P<fmt1>[\x13\x14])?(?P<fmt2>[\x11\x12])?\s*"
    r"(?P<keyword>\S+)(?P<takekey>.*?)\s+(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:\s+(?P<words>\d{0,5}))?\s*$",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]")
_CYCLE = re.compile(r"^(?:AM|PM|BC|AP)-", re.IGNORECASE)
_SLUG_LINE = re.compile(r"^(?:AM|PM|BC|AP)-[A-Za-z0-9]+-")
_INDENT = re.compile(r"^\t {0,3}")
_LINE_END = re.compile(r"\s*[<=>]?\s*$")
_TEXT_END = re.compile(r"\s*<?\s*$")
_TRAILER = re.compile(
    r"(?P<source>[A-Za-z]+)-(?P<desk>[A-Za-z]+)-(?P<m>\d{2})-(?P<d>\d{2})-(?P<y>\d{2})\s+"
    r"(?P<hh>\d{2})(?P<mm>\d{2})\s*GMT"
)
_EDS = re.compile(r"^Eds?:", re.IGNORECASE)
_EDITORS_NOTE = re.compile(r"^EDITOR'?S NOTE\b", re.IGNORECASE)
_BYLINE = re.compile(r"^By\s+\S")
_BYLINE_TITLE = re.compile(r"^(?:Associated Press|AP)\b")
_END_MARKS = frozenset({"END", "MORE", "ENDIT"})
_LEAD = re.compile(r"(\d+)(?:st|nd|rd|th)[ -]?(?:Ld|Lead|Writethru)", re.IGNORECASE)
_WRITETHRU = re.compile(r"\b(?:Ld|Lead|Writethru)\b", re.IGNORECASE)
_ADD = re.compile(r"(\d+)(?:st|nd|rd|th)[ -]?Add\b", re.IGNORECASE)
# Capitals only in notes: "Eds: UPDATES with number killed" is no kill.
_KILL_NOTE = re.compile(r"\b(?:KILL|WITHDRAWAL|WITHDRAWN|ELIMINATION)\b")
_KILL_KEY = re.compile(r"\b(?:kill|withdrawal|withdrawn|elimination)\b", re.IGNORECASE)
_CORRECTION = re.compile(r"\bcorrect(?:s|ed|ion|ive)\b", re.IGNORECASE)
_EMBARGO = re.compile(r"\bembargo(?:ed)?\b|\b(?:hold )?for release\b|\badvance for\b", re.I)
_ADVANCE_KEY = re.compile(r"^Adv\d*\b", re.IGNORECASE)
_ALERT = re.compile(r"NewsAlert", re.IGNORECASE)
PRIORITIES = {"f": 1, "b": 2, "u": 3, "r": 5, "d": 7}
CATEGORIES = {
    "a": "Domestic", "e": "Entertainment", "f": "Business", "i": "International",
    "k": "Commentary", "l": "Lifestyle", "p": "Politics", "q": "Sport", "s": "Sport",
    "t": "Travel", "w": "Washington",
}  # fmt: skip


def sniff(head: bytes, root: str | None) -> bool:
    return root is None and bool(_SNIFF.match(head))


def parse(data: bytes) -> list[Item]:
    text = newlines(decode(data))
    lines = text.split("\n")
    first = _FIRST.match(lines[0])
    if first is None:
        raise ParseError("ANPA-1312: the file does not open with SYN SYN SOH and a message number")
    stx = text.find(STX)
    if stx < 0:
        raise ParseError("ANPA-1312: no STX (start of text): the file holds no story text")
    etx = text.find(ETX, stx)
    if etx < 0:
        raise ParseError("ANPA-1312: no ETX (end of text): the story is cut off, not published")
    heading = " ".join(lines[1 : text.count("\n", 0, stx)]).strip() if len(lines) > 1 else ""
    second = _SECOND.match(heading)
    if second is None:
        raise ParseError(
            "ANPA-1312: the second heading line should read 'priority category keyword "
            f"take-key month-day word-count', found {_CONTROL.sub('', heading)[:60]!r}"
        )
    tabular = second.group("fmt2") == "\x12"
    story = Story(text[stx + 1 : etx].split("\n"), tabular)
    keyword = second.group("keyword")
    take_key = second.group("takekey").strip()
    trailer = _TRAILER.search(text[etx + 1 :])
    created = trailer_time(trailer)
    date = (
        created.strftime("%Y-%m-%d")
        if created
        else (f"{int(second.group('month')):02d}-{int(second.group('day')):02d}")
    )
    headline = story.headline or _fallback_headline(story, keyword)
    item = Item(
        uri=story_uri(keyword or story.slug, date, take_key, first.group("number")),
        headline=headline,
        versioncreated=created,
        firstcreated=created,
        urgency=PRIORITIES.get(second.group("priority").lower()),
        byline=story.byline,
        slugline=story.slug or keyword,
        body_text=join(story.paragraphs),
        body_html=f"<pre>{html.escape(story.table)}</pre>" if tabular and story.table else "",
        agency="AP" if trailer and trailer.group("source").upper() == "AP" else "",
        category=CATEGORIES.get(second.group("category").lower(), ""),
        ednote="\n".join(story.notes),
        format=NAME,
    )
    if not item.headline and not item.body_text:
        raise ParseError("ANPA-1312: the story has neither a headline nor body text")
    apply_take_key(item, take_key, story.notes)
    return [item]


class Story:
    """The text between STX and ETX, sorted into slug, headline, notes, byline and body."""

    def __init__(self, lines: list[str], tabular: bool) -> None:
        self.slug = ""
        self.headline = ""
        self.byline = ""
        self.notes: list[str] = []
        self.paragraphs: list[str] = []
        self.tabular = tabular
        top = True
        block: list[str] = []
        rows: list[str] = []
        for raw in lines:
            line = _CONTROL.sub("", raw)
            if line.startswith("^"):
                caret = _LINE_END.sub("", line[1:]).strip()
                if _EDS.match(caret) or _EDITORS_NOTE.match(caret):
                    self.notes.append(caret)
                elif not caret or caret.upper() in _END_MARKS or (top and self._top(caret)):
                    pass
                elif tabular:
                    block.append(caret)
                    rows.append(caret)
                else:
                    self._close(block)
                    block = [caret]
                continue
            top = False
            if not line.strip():
                self._close(block)
                block = []
                rows.append("")
            elif tabular:
                row = _table_row(line)
                block.append(row)
                rows.append(row)
            elif line.startswith(("\t", TLI)):
                self._close(block)
                block = [_INDENT.sub("", _unmark(line))]
            else:
                block.append(_unmark(line))
        self._close(block)
        self.table = _dedent("\n".join(rows).strip("\n")) if tabular else ""

    def _top(self, caret: str) -> bool:
        """Slug, headline and byline lines before the body; False for a line of the body."""
        if not self.slug and not self.headline and _SLUG_LINE.match(caret):
            # "BC-US--Giant Lobster Death, 1st Ld-Writethru,127": slug, take key, word count.
            self.slug = caret.split(",")[0].strip()
        elif _BYLINE.match(caret) and not self.byline:
            self.byline = caret
        elif self.byline and _BYLINE_TITLE.match(caret) and self.byline.count(" ") < 12:
            # "By JOHN DOE" then "Associated Press Writer": one byline over two lines.
            self.byline = f"{self.byline} {caret}"
        elif not self.headline:
            self.headline = caret
        else:
            return False
        return True

    def _close(self, block: list[str]) -> None:
        if not block:
            return
        if self.tabular:
            # Dedent first: trimming alone would pull only the first row out of its column.
            paragraph = _dedent("\n".join(block)).strip()
        else:
            paragraph = _TEXT_END.sub("", "\n".join(block)).strip()
        if paragraph:
            self.paragraphs.append(paragraph)


def _unmark(line: str) -> str:
    return line.replace(TLI, "").replace(SPACE_BAND, "")


def _table_row(line: str) -> str:
    """A table line without its markers: tab indent, tab line indicator, space bands, quads."""
    row = _INDENT.sub("", line)
    if row.startswith(TLI):
        row = row[1:].removeprefix("^")
    return _LINE_END.sub("", _unmark(row))


def _dedent(block: str) -> str:
    """Remove the indent every line shares, so the first line keeps its place in the table."""
    lines = block.split("\n")
    widths = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(widths) if widths else 0
    return "\n".join(line[cut:] for line in lines)


def _fallback_headline(story: Story, keyword: str) -> str:
    """No headline line: a news alert's one sentence is its headline, else the full slug."""
    if _ALERT.search(keyword) and story.paragraphs:
        opening = split_opening(story.paragraphs[0])
        return opening.rest if opening else story.paragraphs[0]
    slug = story.slug
    return slug.split("--", 1)[1].strip() if "--" in slug else slug


def trailer_time(match: re.Match[str] | None, zone: tzinfo = UTC) -> datetime | None:
    """The time of an `AP-WF-08-29-16 1626GMT` trailer (month, day, year, hour, minute)."""
    if match is None:
        return None
    try:
        return datetime(
            2000 + int(match.group("y")),
            int(match.group("m")),
            int(match.group("d")),
            int(match.group("hh")),
            int(match.group("mm")),
            tzinfo=zone,
        )
    except ValueError:
        return None


def story_uri(keyword: str, date: str, take_key: str, number: str, fmt: str = NAME) -> str:
    """Keyword and date: every writethru of a story is the same uri, in new versions.

    The cycle ("AM-", "PM-", "BC-") changes during a story's life and is left out. Adds carry
    more text, not a new version, so each add is its own uri rather than replacing the story;
    news alerts all share one keyword, so the message number tells them apart.
    """
    key = uri_part(_CYCLE.sub("", keyword))
    add = _ADD.search(take_key)
    suffix = f":add{add.group(1)}" if add else ""
    if _ALERT.search(keyword):
        suffix += f":{number}"
    return f"urn:wiredesk:{fmt}:{date}:{key}{suffix}"


def apply_take_key(item: Item, take_key: str, notes: list[str]) -> None:
    """Version from the writethru number; kill, correction and embargo from key and notes."""
    lead = _LEAD.search(take_key)
    number = int(lead.group(1)) + 1 if lead else (2 if _WRITETHRU.search(take_key) else 1)
    note_text = "\n".join([*notes, item.headline])
    kill = bool(_KILL_KEY.search(take_key) or _KILL_NOTE.search(note_text))
    correction = bool(_CORRECTION.search(take_key) or _CORRECTION.search("\n".join(notes)))
    embargo = bool(_ADVANCE_KEY.match(take_key) or _EMBARGO.search("\n".join(notes)))
    status: PubStatus = "canceled" if kill else "usable"
    item.pubstatus = status
    plain = [signals.UPDATE] if number > 1 else []
    if embargo and not kill:
        plain.append(signals.EMBARGO)
    if correction:
        plain.append(signals.CORRECTION)
    if kill:
        plain.append(signals.KILL)
    item.signals = ([take_key] if take_key else []) + plain
    version = str(number)
    if kill or (correction and not lead):
        # A kill or an unnumbered correction must still replace the take it follows: a version
        # that is not a bare number orders by time, and an identical re-send stays a no-op.
        digest = hashlib.sha256(f"{item.headline}\n{item.body_text}".encode()).hexdigest()[:8]
        version = f"{number}-{'kill' if kill else 'c'}{digest}"
    item.version = version
