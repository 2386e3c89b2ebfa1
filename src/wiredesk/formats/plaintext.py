"""Agency plain-text copy (PTI, IANS style): slug, headline, dateline-and-credit opening.

The form has no public specification; docs/plaintext.md states exactly what is accepted.
What makes a text file a story rather than any text is the agency's opening,
"New Delhi, July 26 (IANS) Hours ...": without it the file is refused with a reason.
"""

from __future__ import annotations

import hashlib
import re

from wiredesk.exceptions import ParseError
from wiredesk.formats import encoding
from wiredesk.formats.dateline import Opening, credit_to_agency, split_opening
from wiredesk.formats.text import join, paragraphs_from_plain
from wiredesk.types import Item

NAME = "plaintext"
# A slug line and a headline; more than that before the opening is not this form.
MAX_HEAD_LINES = 2
_SEARCH_LINES = 5
_MAX_CONTROL_SHARE = 0.01

# Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; those keep their Latin-1
# meaning, so every byte still decodes to exactly one character.
_CP1252 = {
    byte: bytes([byte]).decode("cp1252")
    for byte in range(0x80, 0xA0)
    if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG_CODE = r"[A-Z0-9]+(?:[-/_.:][A-Z0-9]+)*"
_SLUG = re.compile(rf"^{_SLUG_CODE}(?: {_SLUG_CODE}){{0,3}}$")
_BUREAU_SEQUENCE = re.compile(r"^[A-Z]{2,4}\d+\s+")
_SIGN_OFF = re.compile(
    r"^(?P<agency>[A-Z]{2,8})(?:[ \t]+[A-Z]{2,4}){0,6}(?:[ \t]+\d{4}(?:\d{4})?)?$"
)
_DASH_SIGN_OFF = re.compile(r"^-{1,3}[ \t]*(?P<agency>[A-Z]{2,8})$")
_INITIALS = re.compile(r"^[a-z]{1,6}(?:/[a-z]{0,6})+$")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_DATE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})\b(?:,?\s+(\d{4})\b)?")


def decode(data: bytes) -> str:
    """Wire bytes as text: UTF-8 when valid, else each line as UTF-8 or Windows-1252.

    Line by line, because agencies splice copy from several systems into one file; a
    Windows-1252 line decoded as UTF-8 would fail, never turn into mojibake. A UTF-8
    byte-order mark declares the whole file UTF-8, so there the strict rules apply.
    """
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ParseError(f"the file starts with a {codec} mark but is not {codec}") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return encoding.decode(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out = []
    for line in data.splitlines(keepends=True):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("latin-1").translate(_CP1252))
    return "".join(out)


def newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def uri_part(text: str) -> str:
    """A uri segment: case-folded, runs of anything but letters and digits become one '-'."""
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-") or "-"


def _is_texty(text: str) -> bool:
    if not text or "\x00" in text:
        return False
    return len(_CONTROL.findall(text)) <= len(text) * _MAX_CONTROL_SHARE


def _opening_at(lines: list[str]) -> tuple[int, Opening] | None:
    """The line where the dateline-and-credit opening starts, among the first lines."""
    candidates = [i for i, line in enumerate(lines) if line.strip()][:_SEARCH_LINES]
    for i in candidates:
        end = i
        while end < len(lines) and lines[end].strip():
            end += 1
        opening = split_opening("\n".join(lines[i:end]).strip())
        if opening is not None:
            return i, opening
    return None


def sniff(head: bytes, root: str | None) -> bool:
    if root is not None or b"\x00" in head:
        return False
    text = decode(head) if head[:2] not in (b"\xff\xfe", b"\xfe\xff") else ""
    if not _is_texty(text):
        return False
    return _opening_at(newlines(text).split("\n")) is not None


def parse(data: bytes) -> list[Item]:
    text = decode(data)
    if "\x00" in text:
        raise ParseError("plain text: the file holds NUL bytes, so it is binary data, not copy")
    if not _is_texty(text):
        raise ParseError("plain text: more than 1% of the file is control characters, not copy")
    lines = _CONTROL.sub("", newlines(text)).split("\n")
    found = _opening_at(lines)
    if found is None:
        raise ParseError(
            "plain text: no dateline-and-credit opening such as "
            "'New Delhi, July 26 (IANS) Hours ...' in the first lines (see docs/plaintext.md)"
        )
    start, opening = found
    head = [line.strip() for line in lines[:start] if line.strip()]
    if not head:
        raise ParseError("plain text: no headline line before the dateline-and-credit opening")
    if len(head) > MAX_HEAD_LINES:
        raise ParseError(
            f"plain text: {len(head)} lines before the dateline; expected at most a slug line "
            "and a headline (see docs/plaintext.md)"
        )
    slug = head[0] if len(head) == MAX_HEAD_LINES else ""
    if slug and not _is_slug(slug):
        raise ParseError(
            f"plain text: two lines before the dateline, but the first, {slug[:60]!r}, is not "
            "a slug code such as 'DEL23 NAT-TALIBAN-PANJSHIR'"
        )
    headline = head[-1]
    if not any(c.isalpha() for c in headline) or headline[0] in "<{[":
        raise ParseError(
            f"plain text: the line before the dateline, {headline[:60]!r}, is no headline"
        )
    body = strip_sign_off(lines[start:], opening.credit)
    paragraphs = paragraphs_from_plain("\n".join(body))
    body_text = join(paragraphs)
    agency = credit_to_agency(opening.credit)
    item = Item(
        uri=story_uri(agency, opening.dateline, slug, headline),
        version="1-" + hashlib.sha256(body_text.encode()).hexdigest()[:10],
        headline=headline,
        slugline=slug,
        dateline=opening.dateline,
        credit=opening.credit,
        agency=agency,
        body_text=body_text,
        format=NAME,
    )
    return [item]


def _is_slug(line: str) -> bool:
    return bool(_SLUG.match(line)) and len(line) <= 60 and bool(re.search(r"[\d\-/_]", line))


def story_uri(agency: str, dateline: str, slug: str, headline: str) -> str:
    """Agency, dateline date, slug keyword and headline: the same story re-sent is the same uri.

    The bureau's running number ("DEL23") changes on every re-send, so it is left out; the
    headline is hashed in because category slugs ("PTI-BUSINESS") are shared by many stories.
    """
    keyword = uri_part(_BUREAU_SEQUENCE.sub("", slug)) if slug else "-"
    digest = hashlib.sha256(headline.encode()).hexdigest()[:12]
    return f"urn:wiredesk:plaintext:{uri_part(agency)}:{dateline_date(dateline)}:{keyword}:{digest}"


def dateline_date(dateline: str) -> str:
    """'Kabul/New Delhi, Sep 1' gives '09-01'; a year is kept when the dateline has one."""
    for match in _DATE.finditer(dateline):
        month = _MONTHS.get(match.group(1).lower())
        day = int(match.group(2))
        if month and 1 <= day <= 31:
            year = f"{match.group(3)}-" if match.group(3) else ""
            return f"{year}{month:02d}-{day:02d}"
    return "undated"


def strip_sign_off(lines: list[str], credit: str) -> list[str]:
    """Drop the agency's sign-off ('PTI ABC DEF', or '--IANS' and 'sk/vd') at the very end.

    Only when it names the agency of the opening's credit, so a story's last line is safe.
    """
    agencies = {credit.upper(), *credit.upper().split("/")}
    body = list(lines)
    while body and not body[-1].strip():
        body.pop()
    if len(body) >= 2 and _INITIALS.match(body[-1].strip()):
        dash = _DASH_SIGN_OFF.match(body[-2].strip())
        if dash and dash.group("agency") in agencies:
            return body[:-2]
    last = body[-1].strip() if body else ""
    for pattern in (_SIGN_OFF, _DASH_SIGN_OFF):
        match = pattern.match(last)
        if match and match.group("agency") in agencies and len(body) > 1:
            return body[:-1]
    return body
