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
    slugline: str = ""
    body_text: str = ""
    body_html: str = ""
    subject: list[Subject] = field(default_factory=list)
    agency: str = ""
    category: str = ""
    ednote: str = ""
    signals: list[str] = field(default_factory=list)
    format: str = ""

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body_text.split("\n\n") if p] if self.body_text else []

    def to_json(self) -> dict[str, Any]:
        # What dataclasses.asdict gives, without its deep copies: every version stores one.
        data = {name: getattr(self, name) for name in _ITEM_FIELDS}
        data["subject"] = [{"code": s.code, "name": s.name} for s in self.subject]
        data["signals"] = list(self.signals)
        for key in ("versioncreated", "firstcreated", "embargoed"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        data = dict(data)
        for key in ("versioncreated", "firstcreated", "embargoed"):
            if data.get(key):
                data[key] = datetime.fromisoformat(data[key])
        data["subject"] = [Subject(**s) for s in data.get("subject") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


_ITEM_FIELDS = tuple(Item.__dataclass_fields__)


@dataclass(frozen=True)
class Skipped:
    """An item the parser recognised but that is not a text story (a picture, an event...)."""

    uri: str
    reason: str
