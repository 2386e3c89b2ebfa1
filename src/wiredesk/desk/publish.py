"""The desk's publishing decisions: state, section, slug, credit and disclaimer."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime

from wiredesk.config import Config, SourceConfig
from wiredesk.desk.sections import section_from
from wiredesk.scripts import detect_language, primary_tag, word_marks
from wiredesk.types import Item

# A story's state as readers and the desk see it.
PUBLISHED, EMBARGOED, HELD, WITHHELD, KILLED, DROPPED = (
    "published",
    "embargoed",
    "held",
    "withheld",
    "killed",
    "dropped",
)
# An editor's decisions, not the agency's: removed by the publisher (undone by a restore),
# and past the licence's display period (expire_days).
TAKEN_DOWN, EXPIRED = "takendown", "expired"
STATES = (PUBLISHED, EMBARGOED, HELD, WITHHELD, KILLED, DROPPED, TAKEN_DOWN, EXPIRED)
_OPAQUE_VERSION = 10**6
# Hebrew to Myanmar: the scripts whose own punctuation (। ، ۔) ends a word in a slug.
_SCRIPT_PUNCTUATION = (0x0590, 0x109F)
_LATIN_END = 0x0250


def slugify(text: str, limit: int = 80) -> str:
    """Lower-case words joined by "-", in the headline's own script (docs/urls.md).

    Latin letters lose their accents as before ("Ünïcödé" is "unicode"); letters of other
    scripts stay, with their vowel signs ("पंजशीर-में-लड़ाई"), NFC, and go on the wire
    percent-encoded as WordPress's are. A long slug ends at a word boundary.
    """
    marks = word_marks()
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        latin = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        if latin:
            out.append(re.sub(r"[^a-z0-9]+", "-", latin.lower()))
        elif ord(ch) < _LATIN_END:
            continue  # ß, ø, ł have no ASCII form and were dropped before: Latin slugs stay
        elif ch.isalnum() or ch in marks:
            out.append(ch.lower())
        elif _SCRIPT_PUNCTUATION[0] <= ord(ch) <= _SCRIPT_PUNCTUATION[1]:
            # Danda, the Arabic comma and their kin separate words. Other punctuation
            # ("’", "–") vanished before and still does, so Latin slugs are unchanged.
            out.append("-")
    slug = re.sub(r"-{2,}", "-", "".join(out)).strip("-")
    if slug.isascii() or len(slug) <= limit:
        return slug[:limit].rstrip("-")
    cut = slug[: limit + 1].rfind("-")
    return slug[: cut if cut > 0 else limit].rstrip("-")


def story_slug(item: Item) -> str:
    """Stable for the story's life: its first headline plus a digest of its uri."""
    digest = hashlib.sha256(item.uri.encode()).hexdigest()[:8]
    base = slugify(item.headline) or "story"
    return f"{base}-{digest}"


def story_language(item: Item) -> str:
    """What the file says (xml:lang, NITF baselang, G2 language, ninjs/RSS language), as a
    BCP 47 tag; else what the script and words say (wiredesk.scripts.detect_language)."""
    return primary_tag(item.language) or detect_language(f"{item.headline}\n{item.body_text}")


# Addresses the site owns ahead of `/<section>/`: a section of one of these names would be
# hidden by them (or hide them), so it is published under "<name>-news" instead.
RESERVED_SECTIONS = frozenset(
    {"places", "countries", "people", "developing", "static", "media", "admin", "api"}
)


def section_name(name: str) -> str:
    return f"{name}-news" if name in RESERVED_SECTIONS else name


def section_for(item: Item, source: SourceConfig, config: Config) -> str:
    """The source's own section; else what [sections] makes of the agency's category and
    subjects; else the category itself; else the default."""
    if source.section:
        return section_name(source.section)
    table = config.sections
    mapped = section_from(item, table.subjects, table.categories, defaults=table.defaults)
    return section_name(slugify(mapped, 60) or slugify(item.category, 60) or config.default_section)


def state_for(item: Item, now: datetime) -> str:
    if item.pubstatus == "canceled":
        return KILLED
    if item.pubstatus == "withheld":
        return WITHHELD
    if item.embargoed is not None and item.embargoed > now:
        return EMBARGOED
    return PUBLISHED


def is_newer(version: str, created: datetime, than_version: str, than_created: datetime) -> bool:
    """Small integers order by number; opaque ones (Reuters' huge ids) by versioncreated."""
    if version.isdigit() and than_version.isdigit():
        a, b = int(version), int(than_version)
        if a < _OPAQUE_VERSION and b < _OPAQUE_VERSION and a != b:
            return a > b
    return created > than_created
