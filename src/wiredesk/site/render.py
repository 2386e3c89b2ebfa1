"""Renditions of a story: the seed's plain-text form, JSON, and safe HTML.

The agency's words pass through untouched; only markup is ever sanitised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import format_datetime
from html import escape
from typing import Any

import nh3
from markupsafe import Markup

from wiredesk.desk.lifecycle import is_correction
from wiredesk.formats import xml_root
from wiredesk.scripts import direction
from wiredesk.site.media import renditions, share_url
from wiredesk.store import ShownPicture
from wiredesk.store.models import Story, Version
from wiredesk.types import Item

# An agency's "Updated" within a minute of the first take is the same moment.
_SAME_MOMENT = timedelta(minutes=1)
# A full stop ends a sentence unless it ends a short abbreviation ("Mr.", "U.S.", "Jan.").
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*\s+(?=[\"'“‘«(]?[A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATION = re.compile(
    r"\b(?:[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]|Mrs?|Ms|Dr|St|Sr|Jr|Prof|Gen|Col|Lt|Capt|Sgt|Rep|Sen|"
    r"Gov|Hon|Shri|Smt|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|No|Co|Corp|Inc|Ltd|Mt|Ft|"
    r"vs|approx|cf|viz|ca)\.$"
)


def language_attributes(language: str, within: str) -> Markup:
    """` lang="…" dir="…"` for an element whose language differs from its parent's, else ""."""
    if not language or language == within:
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(language, direction(language))


def news_language(language: str) -> str:
    """Google News' <news:language>: the ISO 639 code, but zh-cn and zh-tw for Chinese."""
    tag = language.casefold()
    if tag.startswith("zh"):
        return "zh-tw" if tag in ("zh-tw", "zh-hk", "zh-hant") else "zh-cn"
    return tag.split("-")[0]


def story_url(story: Story) -> str:
    return f"/{story.section}/{story.slug}"


@dataclass(frozen=True)
class Dates:
    """The one date rule for every page, listing, feed and JSON-LD: the agency's time."""

    published: datetime
    updated: datetime | None

    @property
    def modified(self) -> datetime:
        return self.updated or self.published


def dates(story: Story) -> Dates:
    """Published: when the agency first sent the story, or its embargo time if later (that is
    when it was for release). Updated: the agency's time of the current version, once the
    story has been replaced by a later version."""
    published = story.firstcreated
    if story.embargoed is not None and story.embargoed > published:
        published = story.embargoed
    updated = story.versioncreated if story.revised_at is not None else None
    if updated is not None and updated - published < _SAME_MOMENT:
        updated = None
    return Dates(published, updated)


def first_paragraph(story: Story) -> str:
    return story.body_text.split("\n\n", 1)[0] if story.body_text else ""


def first_sentence(text: str) -> str:
    """The opening sentence of a paragraph, for listings: the agency's words up to its first
    full stop that ends a sentence; the whole paragraph when none does."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[: match.start() + 1]
        if not _ABBREVIATION.search(candidate[start:]) or candidate.endswith(("!", "?", "…")):
            return text[: match.end()].rstrip()
        start = match.end()
    return text


def item_of(version: Version | None) -> Item:
    return Item.from_json(version.item) if version is not None else Item(uri="")


def safe_html(markup: str) -> str:
    """Agency HTML is never trusted: nh3 keeps the text and drops scripts and handlers."""
    return nh3.clean(markup) if markup else ""


def local_date(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).date().isoformat()


def text_rendition(story: Story, item: Item, tz: tzinfo) -> str:
    """`date YYYY-MM-DD <dateline> <first paragraph>`, the rest, then the disclaimer."""
    paragraphs = item.paragraphs
    created = item.firstcreated or story.firstcreated
    opening = " ".join(
        part
        for part in (
            f"date {local_date(created, tz)}",
            item.dateline,
            paragraphs[0] if paragraphs else "",
        )
        if part
    )
    parts = [opening, *paragraphs[1:]]
    if story.disclaimer:
        parts.append(f"Disclaimer: {story.disclaimer}")
    return "\n\n".join(parts) + "\n"


# What each format's raw file is served as; feeds by their root, the rest by family.
RAW_TYPES = {
    "nitf": ("application/xml", "xml"),
    "newsmlg2": ("application/xml", "xml"),
    "newsml12": ("application/xml", "xml"),
    "ninjs": ("application/json", "json"),
    "jsonfeed": ("application/feed+json", "json"),
    "iptc7901": ("text/plain", "txt"),
    "anpa1312": ("text/plain", "txt"),
    "plaintext": ("text/plain", "txt"),
}
_FEED_TYPES = {
    "rss": "application/rss+xml",
    "feed": "application/atom+xml",
    "RDF": "application/rdf+xml",
}


def raw_media_type(fmt: str, data: bytes) -> tuple[str, str]:
    """The content type and file extension a received file is served back with."""
    if fmt == "feed":
        return _FEED_TYPES.get(xml_root(data[:4096]) or "", "application/xml"), "xml"
    return RAW_TYPES.get(fmt, ("application/octet-stream", "bin"))


def rfc822(moment: datetime) -> str:
    """RSS 2.0's date form, always in GMT."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def story_json(
    story: Story,
    item: Item,
    now: datetime,
    sha256: str = "",
    pictures: Sequence[ShownPicture] = (),
) -> dict[str, Any]:
    """The story as JSON; with `sha256`, the raw file of the version on show and where it is."""
    data = item.to_json()
    # ninjs's `located` is one string; the format's place names are shown as `places`, resolved.
    del data["located"]
    data["body_html"] = safe_html(item.body_html)
    # The agency's abstract or deck under its ninjs name; never part of body_text.
    if item.summary:
        data["description_text"] = item.summary
    # The site's own renditions, never the agency's addresses (they may carry credentials).
    data["pictures"] = [
        {
            "url": share_url(p),
            "sha256": p.sha256,
            "width": p.width,
            "height": p.height,
            "caption": p.caption,
            "credit": p.credit,
            "renditions": renditions(p),
        }
        for p in pictures
    ]
    shown = dates(story)
    data.update(
        id=story.id,
        uri=story.uri,
        version=story.version,
        state=story.effective_state(now),
        reason=story.reason,
        tags=story.tags,
        correction=is_correction(item),
        duplicate_of=story.duplicate_of,
        revised_at=story.revised_at.isoformat() if story.revised_at else None,
        headline=story.headline,
        language=story.language or item.language,
        section=story.section,
        slug=story.slug,
        url=story_url(story),
        agency=story.agency,
        disclaimer=story.disclaimer,
        source=story.source,
        published_at=story.published_at.isoformat() if story.published_at else None,
        updated_at=story.updated_at.isoformat(),
        date_published=shown.published.isoformat(),
        date_modified=shown.modified.isoformat(),
    )
    if sha256:
        data.update(sha256=sha256, raw_url=f"{story_url(story)}/raw")
    return data


def feed_html(story: Story, item: Item) -> str:
    """The body as escaped HTML paragraphs, for feed readers; built from text, never agency markup."""
    paragraphs = item.paragraphs or [""]
    first = f"{item.dateline} {paragraphs[0]}" if item.dateline else paragraphs[0]
    html = "".join(f"<p>{escape(p, quote=False)}</p>" for p in [first, *paragraphs[1:]])
    if story.disclaimer:
        html += f"<p><em>Disclaimer: {escape(story.disclaimer, quote=False)}</em></p>"
    return html
