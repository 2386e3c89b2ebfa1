"""Sections from the agency's subjects and categories, through a table in wiredesk.toml.

`[sections.subjects]` maps IPTC Media Topics and IPTC subject codes to sections,
`[sections.categories]` each agency's own categories ("AP:s", or a bare "Sports" for any
agency), and `[sections.wordpress]` a section to the WordPress category it is filed under.
The desk's defaults below cover the IPTC top levels and the common PTI, IANS, Reuters and AP
categories (docs/desk.md lists them); `defaults = false` turns them off. The agency's words
are untouched: only where the story is filed changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from wiredesk.types import Item

# IPTC top levels: Media Topics (medtop:NN000000) and subject codes (NN000000, and every code
# below a top level starts with its two digits). Media Topics below the top level are numbered
# 20000000 and up, with no structure: map those explicitly.
TOP_LEVELS: dict[str, str] = {
    "01": "arts",
    "02": "crime",
    "03": "disaster",
    "04": "business",
    "05": "education",
    "06": "environment",
    "07": "health",
    "08": "human-interest",
    "09": "labour",
    "10": "lifestyle",
    "11": "politics",
    "12": "religion",
    "13": "science",
    "14": "society",
    "15": "sports",
    "16": "conflict",
    "17": "weather",
}

# Keys are "AGENCY:category" (compared without case); a category alone matches any agency.
CATEGORIES: dict[str, str] = {
    # PTI's desks
    "PTI:national": "national",
    "PTI:foreign": "world",
    "PTI:international": "world",
    "PTI:business": "business",
    "PTI:economy": "business",
    "PTI:sports": "sports",
    "PTI:entertainment": "entertainment",
    "PTI:legal": "legal",
    "PTI:general": "national",
    # IANS's desks
    "IANS:national": "national",
    "IANS:international": "world",
    "IANS:business": "business",
    "IANS:sports": "sports",
    "IANS:entertainment": "entertainment",
    "IANS:science/tech": "technology",
    "IANS:health/medicine": "health",
    "IANS:lifestyle": "lifestyle",
    "IANS:politics": "politics",
    # Reuters' codes
    "Reuters:spo": "sports",
    "Reuters:bus": "business",
    "Reuters:fin": "business",
    "Reuters:pol": "politics",
    "Reuters:wld": "world",
    "Reuters:ent": "entertainment",
    "Reuters:tec": "technology",
    "Reuters:hea": "health",
    # AP's one-letter (ANPA) categories
    "AP:a": "national",
    "AP:i": "world",
    "AP:s": "sports",
    "AP:f": "business",
    "AP:e": "entertainment",
    "AP:p": "politics",
    "AP:w": "politics",
    "AP:l": "lifestyle",
    "AP:d": "lifestyle",
    "AP:t": "travel",
    "AP:n": "national",
    "AP:j": "lifestyle",
    "AP:k": "opinion",
    "AP:c": "science",
    "AP:h": "health",
    "AP:q": "sports",
    "AP:z": "sports",
}

_CODE = re.compile(r"(?:^|[:/])(\d{8})$")


def _normal(agency: str) -> str:
    """PTI, "Press Trust of India", "The Associated Press", "Reuters" -> the table's names."""
    name = agency.strip().casefold()
    for short, words in (
        ("PTI", ("pti", "press trust of india")),
        ("IANS", ("ians", "indo-asian news service")),
        ("Reuters", ("reuters", "thomson reuters")),
        ("AP", ("ap", "associated press", "the associated press")),
    ):
        if name in words:
            return short.casefold()
    return name


def _by_category(item: Item, table: Mapping[str, str]) -> str:
    category = item.category.strip().casefold()
    if not category:
        return ""
    agency = _normal(item.agency)
    folded = {k.casefold(): v for k, v in table.items()}
    for key in (f"{agency}:{category}", category):
        if key in folded:
            return folded[key]
    # The table's agency names are canonical; a key may also name the agency as sent.
    return folded.get(f"{item.agency.strip().casefold()}:{category}", "")


def _by_subject(item: Item, table: Mapping[str, str], defaults: bool) -> str:
    for subject in item.subject:
        code = subject.code.strip()
        if code in table:
            return table[code]
        found = _CODE.search(code)
        digits = found.group(1) if found else ""
        for key in (digits, f"medtop:{digits}", f"subj:{digits}"):
            if digits and key in table:
                return table[key]
        if defaults and digits and not digits.startswith("20") and digits[:2] in TOP_LEVELS:
            return TOP_LEVELS[digits[:2]]
    return ""


def section_from(
    item: Item,
    subjects: Mapping[str, str],
    categories: Mapping[str, str],
    *,
    defaults: bool = True,
) -> str:
    """The section the table gives this item, or "": the agency's own category first (it is
    the agency's filing decision), then its subject codes in the agency's order."""
    table = {**CATEGORIES, **categories} if defaults else dict(categories)
    return _by_category(item, table) or _by_subject(item, subjects, defaults)
