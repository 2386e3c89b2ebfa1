"""The story model: one normalised wire item, named after IPTC ninjs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

PubStatus = Literal["usable", "withheld", "canceled"]
PUBSTATUSES: tuple[PubStatus, ...] = ("usable", "withheld", "canceled")


@dataclass(frozen=True)
class Subject:
    code: str
    name: str = ""


@dataclass
class Picture:
    """A picture as a wire file describes it: a picture item of its own, or a story's reference.

    `uri` is the agency's id for the picture (a ninjs uri, a NewsML-G2 guid or residref), or
    the reference itself when the agency gave none. `href` is where its largest rendition can
    be fetched, or a file name that arrives beside the story; empty when the picture arrives
    later as its own item. Caption and credit are the agency's words, as sent.
    """

    uri: str
    href: str = ""
    width: int | None = None
    height: int | None = None
    contenttype: str = ""
    caption: str = ""
    credit: str = ""
    version: str = "1"
    pubstatus: PubStatus = "usable"
    embargoed: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["embargoed"] = self.embargoed.isoformat() if self.embargoed else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Picture:
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if data.get("embargoed"):
            data["embargoed"] = datetime.fromisoformat(data["embargoed"])
        return cls(**data)


@dataclass
class Package:
    """A package (a NewsML-G2 packageItem) that ties stories to pictures, by their uris."""

    uri: str
    version: str = "1"
    pubstatus: PubStatus = "usable"
    # Each story's pictures, in the agency's order.
    pictures: dict[str, list[Picture]] = field(default_factory=dict)


@dataclass
class Item:
    """A wire item as a parser saw it, before the desk decides anything.

    `body_text` holds the agency's paragraphs joined by one blank line, character for
    character; `body_html` is the agency's markup, untrusted until the site sanitises it.
    """

    uri: str
    headline: str = ""
    version: str = "1"
    versioncreated: datetime | None = None
    firstcreated: datetime | None = None
    pubstatus: PubStatus = "usable"
    embargoed: datetime | None = None
    urgency: int | None = None
    language: str = ""
    byline: str = ""
    dateline: str = ""
    # The credit exactly as the opening or dateline field writes it ("dpa/bb", "GLOBE
    # NEWSWIRE", "أ ف ب"); `agency` is the agency's name. Empty when the file writes none.
    credit: str = ""
    # The agency's abstract, teaser or deck, verbatim; never part of body_text.
    summary: str = ""
    slugline: str = ""
    body_text: str = ""
    body_html: str = ""
    subject: list[Subject] = field(default_factory=list)
    agency: str = ""
    category: str = ""
    ednote: str = ""
    # The agency's note on the pictures that go with the story, as written ("Foto
    # Illustration", "mit Bild" in a dpa heading): not part of the headline or the text.
    picture_note: str = ""
    signals: list[str] = field(default_factory=list)
    format: str = ""
    # The pictures the story itself names, in the agency's order; the first is its lead.
    pictures: list[Picture] = field(default_factory=list)
    # Place names from the format's own location fields (NewsML-G2 `located`, NITF `evloc` and
    # `<location>`, ninjs `located` and `places`), each as the file writes it, in file order.
    located: list[str] = field(default_factory=list)
    # Uris of the same story in other languages, as the file links them (NewsML-G2
    # itemMeta/link rel="irel:translatedFrom" and kin): the site's hreflang alternates.
    translations: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body_text.split("\n\n") if p] if self.body_text else []

    def to_json(self) -> dict[str, Any]:
        # What dataclasses.asdict gives, without its deep copies: every version stores one.
        data = {name: getattr(self, name) for name in _ITEM_FIELDS}
        data["subject"] = [{"code": s.code, "name": s.name} for s in self.subject]
        data["signals"] = list(self.signals)
        data["located"] = list(self.located)
        data["translations"] = list(self.translations)
        for key in ("versioncreated", "firstcreated", "embargoed"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        data["pictures"] = [p.to_json() for p in self.pictures]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        data = dict(data)
        for key in ("versioncreated", "firstcreated", "embargoed"):
            if data.get(key):
                data[key] = datetime.fromisoformat(data[key])
        data["subject"] = [Subject(**s) for s in data.get("subject") or []]
        data["pictures"] = [Picture.from_json(p) for p in data.get("pictures") or []]
        # Versions stored before location fields were read carry no "located".
        data["located"] = [str(x) for x in data.get("located") or []]
        data["translations"] = [str(x) for x in data.get("translations") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


_ITEM_FIELDS = tuple(Item.__dataclass_fields__)


@dataclass(frozen=True)
class Skipped:
    """An item the parser recognised but that is neither a story nor a picture (an event...)."""

    uri: str
    reason: str
