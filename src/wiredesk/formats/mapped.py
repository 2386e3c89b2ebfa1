"""Proprietary XML read through a mapping: one named in wiredesk.toml, or one the project ships.

A mapping says which element is the document's root, which elements are its stories, and
where each field is: an element name (found anywhere in the story, any namespace) or an XPath
relative to the story. It is checked when the settings are loaded, so a typo stops the desk at
start with a reason rather than quarantining every file. docs/formats.md has a worked example.

BUILTIN holds the mappings wiredesk ships (Ritzau's <RBNews>): a file whose root one of them
names is read by it with no configuration, unless the source names a mapping of its own.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from wiredesk.exceptions import ConfigError, ParseError
from wiredesk.formats import signals
from wiredesk.formats.dateline import split_opening
from wiredesk.formats.dates import parse_datetime
from wiredesk.formats.ninjs import html_paragraphs
from wiredesk.formats.text import inner_markup, join, paragraphs_from_element, paragraphs_from_plain
from wiredesk.formats.xml import element_text, localname, parse_xml
from wiredesk.types import PUBSTATUSES, Item, PubStatus

NAME = "mapped"
FIELDS = (
    "uri", "version", "versioncreated", "headline", "byline", "dateline", "body", "section",
    "pubstatus",
)  # fmt: skip
REQUIRED = ("uri", "headline", "body")
SETTINGS = (
    "root", "item", "namespaces", "pubstatus_values", "body_markup", "timezone",
    "headline_from_body",
)  # fmt: skip
MARKUPS = ("auto", "html", "text")
_ELEMENT_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")
_HTML_TAG = re.compile(
    r"<(?:p|br|div|span|b|i|em|strong|a|h[1-6]|ul|ol|li|table|tr|td|blockquote)\b[^>]*>",
    re.IGNORECASE,
)
_PUBSTATUS_WORDS: dict[str, PubStatus] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}


@dataclass(frozen=True)
class Path:
    """Where a field is: an element name, or a compiled XPath."""

    source: str
    xpath: etree.XPath | None = None

    def find(self, item: etree._Element) -> list[Any]:
        if self.xpath is None:
            return [d for d in item.iterdescendants() if localname(d) == self.source][:1]
        try:
            found = self.xpath(item)
        except etree.XPathError as exc:
            raise ParseError(
                f"the mapping's XPath {self.source!r} failed on this file: {exc}"
            ) from exc
        return found if isinstance(found, list) else [found]


@dataclass(frozen=True)
class Mapping:
    name: str
    roots: tuple[str, ...]
    item: Path | None
    fields: dict[str, tuple[Path, ...]]
    pubstatus_values: dict[str, PubStatus] = field(default_factory=dict)
    body_markup: str = "auto"
    timezone: ZoneInfo | None = None
    # A flash has no headline (Ritzau sends <headline i:nil="true"/>): its first paragraph,
    # which stays in the body, heads it.
    headline_from_body: bool = False

    @property
    def label(self) -> str:
        return f"mapped XML ({self.name}, <{self.roots[0]}>)"


def compiled(table: dict[str, Any]) -> Mapping:
    """The mapping a source carries in its options (its [mappings.NAME] table and name)."""
    return _compiled(json.dumps(table, sort_keys=True))


@lru_cache(maxsize=64)
def _compiled(table_json: str) -> Mapping:
    table = json.loads(table_json)
    return from_table(str(table.pop("name", "mapping")), table)


def from_table(name: str, table: dict[str, Any]) -> Mapping:
    """A [mappings.NAME] table checked and compiled; ConfigError says what is wrong."""
    where = f"[mappings.{name}]"
    unknown = sorted(set(table) - set(FIELDS) - set(SETTINGS))
    if unknown:
        known = ", ".join((*FIELDS, *SETTINGS))
        raise ConfigError(f"{where}: unknown keys {unknown}; a mapping knows {known}")
    missing = [key for key in ("root", *REQUIRED) if not table.get(key)]
    if missing:
        raise ConfigError(f"{where}: {', '.join(missing)} must be given")
    namespaces = table.get("namespaces", {})
    if not isinstance(namespaces, dict) or not all(isinstance(v, str) for v in namespaces.values()):
        raise ConfigError(f'{where}: namespaces must be a table of prefix = "URI"')
    roots = _strings(table["root"], f"{where} root")
    if not all(_ELEMENT_NAME.match(root) for root in roots):
        raise ConfigError(f'{where}: root must be element names, such as "RBNews"')
    item = _path(table["item"], f"{where} item", namespaces) if table.get("item") else None
    fields = {
        key: tuple(_path(p, f"{where} {key}", namespaces) for p in _strings(table[key], key))
        for key in FIELDS
        if table.get(key)
    }
    markup = table.get("body_markup", "auto")
    if markup not in MARKUPS:
        raise ConfigError(f"{where}: body_markup must be one of {', '.join(MARKUPS)}")
    values = {}
    for value, status in dict(table.get("pubstatus_values", {})).items():
        if status not in PUBSTATUSES:
            raise ConfigError(
                f"{where}: pubstatus_values maps {value!r} to {status!r}; use one of "
                f"{', '.join(PUBSTATUSES)}"
            )
        values[str(value).strip().lower()] = status
    zone = None
    if table.get("timezone"):
        try:
            zone = ZoneInfo(str(table["timezone"]))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"{where}: unknown time zone {table['timezone']!r}") from exc
    from_body = table.get("headline_from_body", False)
    if not isinstance(from_body, bool):
        raise ConfigError(f"{where}: headline_from_body must be true or false")
    return Mapping(name, tuple(roots), item, fields, values, markup, zone, from_body)


def _strings(value: Any, what: str) -> list[str]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ConfigError(f"{what}: expected a string or a list of strings, found {value!r}")
    return [v.strip() for v in values]


def _path(source: str, what: str, namespaces: dict[str, str]) -> Path:
    if not isinstance(source, str):
        raise ConfigError(f"{what}: expected an element name or an XPath, found {source!r}")
    if _ELEMENT_NAME.match(source):
        return Path(source)
    try:
        xpath = etree.XPath(source, namespaces=namespaces or None)
        # An unknown prefix or function only shows when the XPath runs: run it once now.
        xpath(etree.Element("probe"))
    except etree.XPathError as exc:
        raise ConfigError(f"{what} = {source!r} is not an XPath wiredesk can run: {exc}") from exc
    return Path(source, xpath)


def matches(mapping: Mapping, root: str | None) -> bool:
    return root is not None and root in mapping.roots


# The mappings wiredesk ships, as [mappings.NAME] tables would write them.
BUILTIN_TABLES: dict[str, dict[str, Any]] = {
    # Ritzau's RBNews (Danish): escaped HTML in <content>, Copenhagen local times, a flash with
    # a nil headline, and "Annuleret" (cancelled) true when the story is withdrawn.
    "ritzau": {
        "root": ["RBNews", "XMLNewsQueuedResponse"],
        "item": "descendant-or-self::*[local-name() = 'RBNews']",
        "uri": "NewsID",
        "version": "version",
        "versioncreated": "PublishDate",
        # A flash has no headline: its strapline stands in, as in docs/formats.md's example.
        "headline": ["headline", "strapline"],
        "byline": "byLine",
        "dateline": "town",
        "body": "content",
        "section": "section",
        "pubstatus": "Annuleret",
        "pubstatus_values": {"true": "canceled", "false": "usable"},
        "timezone": "Europe/Copenhagen",
        "headline_from_body": True,
    },
}
BUILTIN: tuple[Mapping, ...] = tuple(from_table(n, dict(t)) for n, t in BUILTIN_TABLES.items())


def builtin(root: str | None) -> Mapping | None:
    """The shipped mapping for a file with this root element, if there is one."""
    return next((m for m in BUILTIN if matches(m, root)), None)


def parse(data: bytes, mapping: Mapping) -> list[Item]:
    root = parse_xml(data)
    if localname(root) not in mapping.roots:
        raise ParseError(
            f"{mapping.label}: the root element is <{localname(root)}>, not "
            f"{' or '.join(f'<{r}>' for r in mapping.roots)}"
        )
    if mapping.item is None:
        return [_story(root, mapping)]
    stories = [s for s in mapping.item.find(root) if isinstance(s, etree._Element)]
    if not stories:
        raise ParseError(f"{mapping.label}: no story at item = {mapping.item.source!r}")
    return [_story(story, mapping) for story in stories]


def _story(story: etree._Element, mapping: Mapping) -> Item:
    def text(key: str) -> str:
        """The first non-empty text the field's paths find, in the order the mapping lists."""
        for path in mapping.fields.get(key, ()):
            for found in path.find(story):
                value = _text_of(found).strip()
                if value:
                    return value
        return ""

    status = _pubstatus(text("pubstatus"), mapping)
    paragraphs, body_html = _body(story, mapping)
    headline = text("headline")
    if not headline and mapping.headline_from_body and paragraphs:
        opening = split_opening(paragraphs[0])
        headline = opening.rest if opening else paragraphs[0]
    for key, value in (("uri", text("uri")), ("headline", headline)):
        if not value:
            raise ParseError(
                f"{mapping.label}: no {key}: {_sources(mapping, key)} is missing or empty"
            )
    if not paragraphs and status != "canceled":
        raise ParseError(f"{mapping.label}: no body: {_sources(mapping, 'body')} holds no text")
    body_text = join(paragraphs)
    digest = hashlib.sha256(f"{headline}\n{body_text}".encode()).hexdigest()[:10]
    created = _time(text("versioncreated"), mapping)
    return Item(
        uri=text("uri"),
        headline=headline,
        # No version in the file: a changed re-send is newer (by time), an identical one a no-op.
        version=text("version") or f"1-{digest}",
        versioncreated=created,
        firstcreated=created,
        pubstatus=status,
        byline=text("byline"),
        dateline=text("dateline"),
        body_text=body_text,
        body_html=body_html,
        category=text("section"),
        signals=[signals.KILL] if status == "canceled" else [],
        format=NAME,
    )


def _sources(mapping: Mapping, key: str) -> str:
    return " or ".join(repr(p.source) for p in mapping.fields.get(key, ())) or f"({key} unmapped)"


def _text_of(found: Any) -> str:
    """An XPath result as text: an element's text with its children's, or the string itself."""
    if isinstance(found, etree._Element):
        return element_text(found)
    if isinstance(found, bool):
        return ""
    return str(found)


def _body(story: etree._Element, mapping: Mapping) -> tuple[list[str], str]:
    paragraphs: list[str] = []
    html: list[str] = []
    for path in mapping.fields["body"]:
        for found in path.find(story):
            if isinstance(found, etree._Element) and len(found):
                paragraphs += paragraphs_from_element(found)
                html.append(inner_markup(found))
                continue
            value = _text_of(found)
            as_html = mapping.body_markup == "html" or (
                mapping.body_markup == "auto" and bool(_HTML_TAG.search(value))
            )
            if as_html:
                paragraphs += html_paragraphs(value)
                html.append(value.strip())
            else:
                paragraphs += paragraphs_from_plain(value)
        if paragraphs:
            break
    return paragraphs, "\n".join(h for h in html if h)


def _pubstatus(value: str, mapping: Mapping) -> PubStatus:
    if not value:
        return "usable"
    word = value.lower()
    status = mapping.pubstatus_values.get(word) or _PUBSTATUS_WORDS.get(word)
    if status is None:
        raise ParseError(
            f"{mapping.label}: pubstatus {value[:40]!r} (from {_sources(mapping, 'pubstatus')}) "
            "is not usable, withheld or canceled; name it in the mapping's pubstatus_values"
        )
    return status


def _time(value: str, mapping: Mapping) -> datetime | None:
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        naive = None
    if naive is not None and naive.tzinfo is None and mapping.timezone is not None:
        return naive.replace(tzinfo=mapping.timezone)
    moment = parse_datetime(value)
    if moment is None:
        raise ParseError(
            f"{mapping.label}: versioncreated {value[:40]!r} (from "
            f"{_sources(mapping, 'versioncreated')}) is not a date and time wiredesk reads"
        )
    return moment
