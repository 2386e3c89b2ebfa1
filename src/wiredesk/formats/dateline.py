"""Splitting the dateline and the agency credit off the opening of a story.

Agencies open copy with a dateline and a credit in a few fixed forms:

    Kabul/New Delhi, Sep 1 (PTI) Fighting ...
    New Delhi, July 26 (IANS) Hours ...
    Bengaluru (Karnataka) [India], June 4 (ANI): ...
    STOCKHOLM, Aug 29, 2014 (AFP) - ...
    FORT WASHINGTON, Pa. (AP) _ ...

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
        return None
    dateline = _DATELINE_END.sub("", match.group("dateline")).strip()
    if not dateline or len(dateline) > MAX_DATELINE or not _looks_like_dateline(dateline):
        return None
    rest = paragraph[match.end() :]
    if not rest:
        return None
    return Opening(dateline=dateline, credit=match.group("credit").strip(), rest=rest)


def credit_to_agency(credit: str) -> str:
    """A credit as the agency name sites print: PTI, IANS, AFP, Reuters, dpa."""
    special = {"REUTERS": "Reuters", "DPA": "dpa", "XINHUA": "Xinhua", "KYODO": "Kyodo"}
    return special.get(credit.upper(), credit)
