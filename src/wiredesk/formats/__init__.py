"""Wire formats: detect a file's format by its content and parse it into Items.

Each format is a module with `NAME` and `parse(data) -> list[Item | Skipped]`. Detection
looks only at the bytes, never at the file name; a source may pin its format instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType

from wiredesk.exceptions import ParseError, UnknownFormat
from wiredesk.formats import (
    anpa1312,
    anpnews,
    apmedia,
    bcslug,
    digitalwires,
    feed,
    iptc7901,
    iptc7901_stripped,
    jimi,
    jsonfeed,
    mapped,
    newsml12,
    newsmlg2,
    ninjs,
    nitf,
    pictures,
    plaintext,
    zczc,
)
from wiredesk.formats.dateline import credit_to_agency, split_opening
from wiredesk.formats.encoding import bom_codec, wide_codec
from wiredesk.formats.text import join
from wiredesk.types import Item, Package, Picture, Skipped

# Detection order: the first module whose sniff() accepts the bytes parses them.
# A format module has NAME, sniff(head, root) and parse(data) -> list[Item | Skipped].
FORMATS: list[ModuleType] = [
    nitf,
    newsmlg2,
    newsml12,
    jimi,
    feed,
    jsonfeed,
    # An agency's own JSON, each known by keys only it has, before ninjs takes any JSON.
    apmedia,
    digitalwires,
    anpnews,
    ninjs,
    iptc7901,
    iptc7901_stripped,
    anpa1312,
    bcslug,
    zczc,
    plaintext,
]
# How a refusal names the format a file was read as: "a format we read with a field missing"
# starts with its label, "not a format we read" with NOT_READ.
LABELS = {
    "nitf": "NITF", "newsmlg2": "NewsML-G2", "newsml12": "NewsML 1.2", "feed": "RSS or Atom feed",
    "jsonfeed": "JSON Feed", "ninjs": "ninjs", "iptc7901": "IPTC 7901",
    "iptc7901-stripped": "IPTC 7901 without control characters", "anpa1312": "ANPA-1312",
    "bcslug": "BC- slug wire text", "zczc": "ZCZC teleprinter message", "plaintext": "plain text",
    "mapped": "mapped XML", "apmedia": "AP Media API JSON", "digitalwires": "dpa digitalwires JSON",
    "anpnews": "ANP News API JSON", "jimi": "Canadian Press Jimi XML",
}  # fmt: skip
NOT_READ = "not a format wiredesk reads"
MAX_BYTES = 50 * 1024 * 1024
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")
_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.DOTALL)
# Not text in any encoding, and refused by the database later (NUL by PostgreSQL, a lone
# surrogate by every UTF-8 codec): JSON can carry both as escapes ("\u0000", "\ud800").
# Characters no XML 1.0 document can carry (C0 controls but tab, newline and carriage return;
# U+FFFE, U+FFFF; lone surrogates; NUL): every output of a story is XML somewhere (feeds,
# sitemaps), so a file whose text holds one is refused here, for every format, naming the
# field and the character's offset in it. Quarantined, not cleaned: the text stays verbatim.
# The longest id (uri) a file may give an item, a picture or a package: the store's columns
# hold 500 characters, and a target sends the uri in headers (Idempotency-Key) that receivers
# cap at a few KiB. A longer one is quarantined with its length.
MAX_URI = 500
NOT_XML_TEXT = _NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class Parsed:
    format: str
    items: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Picture items of their own, and packages that tie stories to pictures.
    pictures: list[Picture] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    # The file is itself a picture (a JPEG beside the XML that names it): its content type.
    picture_file: str = ""

    @property
    def empty(self) -> bool:
        return not (self.items or self.skipped or self.pictures or self.packages)


def _head_bytes(data: bytes) -> bytes:
    head = data[:65536]
    marked = bom_codec(head)
    codec, skip = marked if marked else (wide_codec(head), 0)
    if codec:
        # The head may end inside a character; sniffing only needs what precedes it.
        return head[skip:].decode(codec, "ignore").encode("utf-8")
    return head


def xml_root(head: bytes) -> str | None:
    """The local name of the first element, past any prolog, comments and DOCTYPE."""
    position = 0
    while True:
        skipped = _SKIP.match(head, position)
        if not skipped or skipped.end() == position:
            break
        position = skipped.end()
    match = _ROOT.match(head, len(head) - len(head[position:].lstrip()))
    return match.group(1).decode("ascii", "replace") if match else None


def by_name(name: str) -> ModuleType:
    for module in [*FORMATS, mapped]:
        if name == module.NAME:
            return module
    known = ", ".join(m.NAME for m in [*FORMATS, mapped])
    raise UnknownFormat(f"unknown format {name!r}; known: {known}")


def detect(data: bytes, mapping: mapped.Mapping | None = None) -> str:
    """The format's name, from the file's content alone (and the source's mapping, if any)."""
    head = _head_bytes(data)
    root = xml_root(head)
    if mapping is not None and mapped.matches(mapping, root):
        return mapped.NAME
    if mapped.builtin(root) is not None:
        return mapped.NAME
    for module in FORMATS:
        if module.sniff(head, root):
            return str(module.NAME)
    if b"\x00" in head:
        raise UnknownFormat(f"{NOT_READ}: the file holds NUL bytes: binary data, not a wire story")
    if root:
        raise UnknownFormat(
            f"{NOT_READ}: no wire format has an XML root <{root}> (an agency's own XML can be "
            "read through a [mappings] table in wiredesk.toml; see docs/formats.md)"
        )
    raise UnknownFormat(
        f"{NOT_READ}: the content matches no wire format: no XML, no JSON, no wire heading "
        "(IPTC 7901, ANPA-1312, BC- slug, ZCZC), and no dateline-and-credit opening such as "
        "'New Delhi, July 26 (IANS) ...' in its first lines (the nearest, plain text, needs one)"
    )


def parse(data: bytes, fmt: str = "auto", mapping: mapped.Mapping | None = None) -> Parsed:
    """Parse one received file. Raises ParseError (with a readable reason) or returns items.

    `mapping` is the source's mapping for proprietary XML ([mappings] in wiredesk.toml).
    """
    if len(data) > MAX_BYTES:
        raise ParseError(f"file is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit")
    if not data.strip():
        raise ParseError("the file is empty")
    # Whatever a source's format, the pictures its stories name may arrive beside them.
    picture_file = pictures.image_type(data)
    if picture_file:
        return Parsed(format="picture", picture_file=picture_file)
    name = detect(data, mapping) if fmt == "auto" else fmt
    module = by_name(name)
    try:
        if module is mapped:
            if mapping is None or not mapped.matches(mapping, xml_root(_head_bytes(data))):
                mapping = mapped.builtin(xml_root(_head_bytes(data))) or mapping
            if mapping is None:
                raise ParseError("format 'mapped' needs the source to name a mapping")
            results: list[Item | Skipped | Picture | Package] = list(mapped.parse(data, mapping))
        else:
            results = module.parse(data)
    except UnknownFormat:
        raise
    except ParseError as exc:
        raise named(exc, name) from exc
    except (
        ValueError,
        TypeError,
        LookupError,
        AttributeError,
        ArithmeticError,
        RecursionError,
    ) as exc:
        label = LABELS.get(name, name)
        raise ParseError(f"{label}: could not read the file: {type(exc).__name__}: {exc}") from exc
    parsed = Parsed(format=name)
    for result in results:
        _refuse_long_uris(name, result)
        if isinstance(result, Skipped):
            if _NOT_TEXT.search(result.uri + result.reason):
                raise ParseError(f"{name}: a skipped item's id holds a character XML cannot carry")
            parsed.skipped.append(result)
        elif isinstance(result, Picture):
            refuse_non_text_pictures(name, [result])
            parsed.pictures.append(result)
        elif isinstance(result, Package):
            refuse_non_text_pictures(name, [p for ps in result.pictures.values() for p in ps])
            if _NOT_TEXT.search(result.uri + "".join(result.pictures)):
                raise ParseError(f"{name}: a package's ids hold a character XML cannot carry")
            parsed.packages.append(result)
        else:
            refuse_non_text(result)
            # Nothing a reader could be shown (a kill needs no text): the story is missing.
            empty = not result.headline.strip() and not result.body_text.strip()
            if empty and result.pubstatus != "canceled":
                raise ParseError(
                    f"{LABELS.get(name, name)}: the item {result.uri[:80]!r} has neither a "
                    "headline nor body text"
                )
            parsed.items.append(normalise(result))
    if parsed.empty:
        raise ParseError(f"{name}: the file holds no items")
    return parsed


def named(exc: ParseError, name: str) -> ParseError:
    """The refusal, led by the format it was read as, unless its reason names it already."""
    label = LABELS.get(name, name)
    reason = str(exc)
    if label.lower() in reason[: len(label) + 40].lower():
        return exc
    return type(exc)(f"{label}: {reason}")


def _refuse_long_uris(name: str, result: Item | Skipped | Picture | Package) -> None:
    uris = [result.uri]
    if isinstance(result, Item):
        uris += [p.uri for p in result.pictures]
    elif isinstance(result, Package):
        uris += list(result.pictures) + [p.uri for ps in result.pictures.values() for p in ps]
    for uri in uris:
        if len(uri) > MAX_URI:
            raise ParseError(
                f"{LABELS.get(name, name)}: an id (uri) of {len(uri):,} characters, over the "
                f"{MAX_URI}-character limit: {uri[:80]!r}..."
            )


def refuse_non_text(item: Item) -> None:
    fields = [(key, value) for key, value in item.to_json().items() if isinstance(value, str)]
    fields += [("subject", s.code + s.name) for s in item.subject]
    fields += [("signals", s) for s in item.signals] + [("located", s) for s in item.located]
    _refuse_strings(item.format or "the file", fields)
    refuse_non_text_pictures(item.format or "the file", item.pictures)


def refuse_non_text_pictures(name: str, found: list[Picture]) -> None:
    _refuse_strings(
        name,
        [(f"picture {k}", v) for p in found for k, v in p.to_json().items() if isinstance(v, str)],
    )


def _refuse_strings(name: str, fields: list[tuple[str, str]]) -> None:
    for field_name, value in fields:
        bad = _NOT_TEXT.search(value)
        if bad:
            raise ParseError(
                f"{name}: the {field_name} holds U+{ord(bad.group()):04X} at character "
                f"{bad.start()}, which XML cannot carry (a control character, U+FFFE/U+FFFF, "
                "NUL or a lone surrogate)"
            )


def normalise(item: Item) -> Item:
    """Split a dateline and credit off the first paragraph when the agency put them there."""
    paragraphs = item.paragraphs
    if not paragraphs:
        return item
    opening = split_opening(paragraphs[0])
    if opening is not None:
        # The words in the body are the agency's text; a metadata dateline may be shorter.
        item.dateline = opening.dateline
        item.credit = opening.credit
        item.agency = item.agency or credit_to_agency(opening.credit)
        paragraphs = [opening.rest, *paragraphs[1:]]
    if item.headline.strip() and _squeezed(paragraphs[0]) == _squeezed(item.headline):
        # The text repeats the headline (an alert's text, ANP's body): shown once, as the
        # headline, not also as the first paragraph.
        paragraphs = paragraphs[1:]
    if paragraphs != item.paragraphs:
        item.body_text = join(paragraphs)
    return item


def _squeezed(text: str) -> str:
    return " ".join(text.split())
