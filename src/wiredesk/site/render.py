"""Renditions of a story: the seed's plain-text form, JSON, and safe HTML.

The agency's words pass through untouched; only markup is ever sanitised.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from html import escape
from typing import Any

import nh3

from wiredesk.desk.lifecycle import is_correction
from wiredesk.formats import xml_root
from wiredesk.store.models import Story, Version
from wiredesk.types import Item


def story_url(story: Story) -> str:
    return f"/{story.section}/{story.slug}"


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


def story_json(story: Story, item: Item, now: datetime, sha256: str = "") -> dict[str, Any]:
    """The story as JSON; with `sha256`, the raw file of the version on show and where it is."""
    data = item.to_json()
    data["body_html"] = safe_html(item.body_html)
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
        section=story.section,
        slug=story.slug,
        url=story_url(story),
        agency=story.agency,
        disclaimer=story.disclaimer,
        source=story.source,
        published_at=story.published_at.isoformat() if story.published_at else None,
        updated_at=story.updated_at.isoformat(),
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
