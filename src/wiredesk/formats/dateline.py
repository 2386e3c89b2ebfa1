"""Splitting the dateline and the agency credit off the opening of a story.

Agencies open copy with a dateline and a credit in a few fixed forms:

    Kabul/New Delhi, Sep 1 (PTI) Fighting ...
    New Delhi, July 26 (IANS) Hours ...
    Bengaluru (Karnataka) [India], June 4 (ANI): ...
    STOCKHOLM, Aug 29, 2014 (AFP) - ...
    FORT WASHINGTON, Pa. (AP) _ ...
    SAITAMA, Japan, Dec. 9 Kyodo - ...          (Kyodo, AAP: a bare credit after a date)
    MOSCOW, December 9. /TASS/. ...

Only the opening is cut, at the credit; not one character of the story text is changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Agencies whose credit is not plain capitals, or is short enough to be mistaken for a word.
KNOWN_CREDITS = {
    "PTI",
    "IANS",
    "ANI",
    "UNI",
    "AFP",
    "AP",
    "REUTERS",
    "DPA",
    "ANSA",
    "EFE",
    "PA",
    "NTB",
    "TT",
    "APA",
    "SDA",
    "XINHUA",
    "KYODO",
    "YONHAP",
    "TASS",
    "BERNAMA",
    "ANTARA",
    "BSS",
    "APP",
    "WAM",
    "SPA",
    "KUNA",
    "MENA",
    "AAP",
    "CP",
    "UPI",
    "BLOOMBERG",
    "IANS/ANI",
}
MAX_DATELINE = 80

_OPENING = re.compile(
    r"""^(?P<dateline>[^\n()]{1,80}?(?:\s*\([^()\n]{1,40}\))?(?:\s*\[[^\[\]\n]{1,40}\])?
          (?:,[^\n()]{1,40}?)?)
        \s*\((?P<credit>[A-Za-z][A-Za-z/ .-]{0,20}?)\)
        (?P<sep>\s*(?::|--|-|–|—|_)?\s+|:)""",
    re.VERBOSE,
)
# A credit without parentheses needs a place, a comma and a date before it, and a known agency,
# or any capitalised word after a date ("Monday, June 3 Police - ") would pass for one.
_BARE_OPENING = re.compile(
    r"""^(?P<dateline>[A-Z][^\n()/]{0,60}?,\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*
          \.?\s+\d{1,2})
        (?:\s+(?P<credit>[A-Za-z]{2,10})\s+(?:-|--|–|—|_)\s+|\.\s+/(?P<slashed>[A-Za-z]{2,10})/\.?\s+)""",
    re.VERBOSE,
)
_DATELINE_END = re.compile(r"[\s,:;-]+$")
_MONTH_DAY = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b", re.IGNORECASE
)
_CAPS_PLACE = re.compile(r"^[A-Z][A-Z'.-]+(?:[ /][A-Z][A-Z'.-]+)*\b(?!\s*[a-z])")


@dataclass(frozen=True)
class Opening:
    dateline: str
    credit: str
    rest: str


def _is_credit(credit: str) -> bool:
    normal = credit.strip().upper()
    if normal in KNOWN_CREDITS:
        return True
    return bool(re.fullmatch(r"[A-Z]{2,8}", credit.strip()))


def _looks_like_dateline(dateline: str) -> bool:
    """A place with a date ("New Delhi, July 26"), or a place in capitals ("NEW YORK")."""
    return bool(_MONTH_DAY.search(dateline) or _CAPS_PLACE.match(dateline))


def split_opening(paragraph: str) -> Opening | None:
    """The dateline, credit and remaining text of a first paragraph, if it opens with them."""
    match = _OPENING.match(paragraph)
    if not match or not _is_credit(match.group("credit")):
        return _bare_opening(paragraph)
    dateline = _DATELINE_END.sub("", match.group("dateline")).strip()
    if not dateline or len(dateline) > MAX_DATELINE or not _looks_like_dateline(dateline):
        return None
    rest = paragraph[match.end() :]
    if not rest:
        return None
    return Opening(dateline=dateline, credit=match.group("credit").strip(), rest=rest)


def _bare_opening(paragraph: str) -> Opening | None:
    match = _BARE_OPENING.match(paragraph)
    if not match:
        return None
    credit = match.group("credit") or match.group("slashed")
    rest = paragraph[match.end() :]
    if credit.upper() not in KNOWN_CREDITS or not rest:
        return None
    return Opening(dateline=match.group("dateline").strip(), credit=credit, rest=rest)


def credit_to_agency(credit: str) -> str:
    """A credit as the agency name sites print: PTI, IANS, AFP, Reuters, dpa."""
    special = {"REUTERS": "Reuters", "DPA": "dpa", "XINHUA": "Xinhua", "KYODO": "Kyodo"}
    return special.get(credit.upper(), credit)
