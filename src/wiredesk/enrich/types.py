"""What the desk derives from a story, beside its text and never written into it.

A Place is a name as the agency wrote it (in the dateline or the format's own location
fields) with the gazetteer entry it resolved to, if any. A Quote is a span of the body,
located by offsets, so that the quotation shown is always the agency's own characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wiredesk.desk.publish import slugify

PlaceSource = Literal["dateline", "located"]


@dataclass(frozen=True)
class Place:
    # As written: "Kabul", "Bengaluru (Karnataka) [India]", "FORT WASHINGTON, Pa.".
    text: str
    source: PlaceSource = "dateline"
    # The gazetteer entry; geonameid is None when the name did not resolve (it stays as text).
    geonameid: int | None = None
    name: str = ""
    country_code: str = ""  # ISO 3166-1 alpha-2
    admin1: str = ""  # state or province, as the gazetteer names it
    latitude: float | None = None
    longitude: float | None = None

    @property
    def resolved(self) -> bool:
        return self.geonameid is not None

    @property
    def slug(self) -> str:
        """The place page's address part: `/places/<slug>`; stable because it ends in the id."""
        if self.geonameid is None:
            return ""
        return f"{slugify(self.name) or 'place'}-{self.geonameid}"


@dataclass(frozen=True)
class Quote:
    """A quotation in the body: `body_text[start:end] == text`, always."""

    text: str
    start: int
    end: int
    # Indexes into Item.paragraphs of the paragraphs the quotation spans (first, last).
    first_paragraph: int
    last_paragraph: int
    speaker: str  # as written: "Anaamullah Samangani"
    role: str = ""  # as written: "a member of the Taliban's cultural commission"

    @property
    def speaker_slug(self) -> str:
        return slugify(self.speaker)
