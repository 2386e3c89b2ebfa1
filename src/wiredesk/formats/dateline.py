"""Splitting the dateline and the agency credit off the opening of a story.

The grammar lives in openings.py and its words (months, day words, credits) in
opening_words.py; this module keeps the names the parsers have always imported.
Forms it splits, among others (docs/formats.md, "Openings grammar", lists them all):

    Kabul/New Delhi, Sep 1 (PTI) Fighting ...
    New Delhi, July 26 (IANS) Hours ...
    Bengaluru (Karnataka) [India], June 4 (ANI): ...
    STOCKHOLM, Aug 29, 2014 (AFP) - ...
    FORT WASHINGTON, Pa. (AP) _ ...
    SAITAMA, Japan, Dec. 9 Kyodo - ...          (Kyodo, AAP: a bare credit after a date)
    MOSCOW, December 9. /TASS/. ...
    Bruselas, 16 ene (EFE).- ...   Potsdam (dpa/bb) - ...   (ANSA) - NAPOLI, 24 FEB - ...
    NEW YORK--(BUSINESS WIRE)--...   काबुल/नयी दिल्ली, एक सितंबर (भाषा) ...

Only the opening is cut, at the credit; not one character of the story text is changed.
"""

from __future__ import annotations

from wiredesk.formats.opening_words import KNOWN_CREDITS
from wiredesk.formats.openings import (
    MAX_DATELINE,
    Opening,
    credit_to_agency,
    dateline_place,
    split_dateline_field,
    split_opening,
)

__all__ = [
    "KNOWN_CREDITS",
    "MAX_DATELINE",
    "Opening",
    "credit_to_agency",
    "dateline_place",
    "split_dateline_field",
    "split_opening",
]
