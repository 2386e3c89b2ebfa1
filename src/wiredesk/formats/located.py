"""The place names an XML format gives in its own location fields, beside the dateline.

Each entry is one place: its name as the file writes it, then, after ", ", names that say which
place is meant (a NewsML-G2 `broader` country, a NITF state), the way a dateline's trailing
", Country" reads. Codes (qcodes, NITF's `iso-cc`) are left out: the resolver reads names, and a
code such as "DE" would be read as Delaware. Resolving is the enricher's step; parsers only read.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from wiredesk.formats.xml import children, descendants, localname, text_of

# A body may mark up every place it mentions; a hostile one could mark up a million.
MAX_LOCATED = 32
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODE_ROLES = ("mnemonic", "short")
_COUNTRY_SCHEMES = {"cntry", "country", "iso3166", "iso3166-1a2", "iso3166-1a3"}


def kept(names: Iterable[str]) -> list[str]:
    """Non-empty names, each once, in file order, at most MAX_LOCATED."""
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
            if len(out) == MAX_LOCATED:
                break
    return out


def g2_located(meta: etree._Element | None, language: str) -> list[str]:
    """contentMeta/located: its name, then its broader country's name.

    A located that names no place of its own but a broader country (IPTC's listing 28 gives
    only qcodes) is that country: true, if coarse. Its state or region is left out, because a
    state that shares a country's name (Georgia) would send the place abroad.
    """
    if meta is None:
        return []
    out = []
    for located in children(meta, "located"):
        own = _g2_name(located, language) or (located.get("literal") or "").strip()
        countries = [_g2_name(b, language) for b in children(located, "broader") if _is_country(b)]
        countries = [c for c in countries if c]
        if own:
            out.append(", ".join([own, *countries[:1]]))
        elif countries:
            out.append(countries[0])
    return kept(out)


def _g2_name(el: etree._Element, language: str) -> str:
    """The name in the item's language, else the first readable one (not a mnemonic)."""
    names = [n for n in children(el, "name") if text_of(n)]
    roles = [(n.get("role") or "").strip().lower() for n in names]
    readable = [n for n, r in zip(names, roles, strict=True) if not r.endswith(_CODE_ROLES)]
    readable = readable or names
    want = language.strip().casefold().split("-")[0]
    in_language = [
        n for n in readable if (n.get(_XML_LANG) or "").strip().casefold().split("-")[0] == want
    ]
    chosen = (in_language or readable)[:1]
    return text_of(chosen[0]) if chosen else ""


def _is_country(el: etree._Element) -> bool:
    kind = (el.get("type") or "").strip().lower()
    scheme = (el.get("qcode") or "").strip().lower().partition(":")[0]
    return kind.endswith("country") or scheme in _COUNTRY_SCHEMES


def nitf_located(root: etree._Element) -> list[str]:
    """docdata/evloc (city, then state-prov), then each <location> in head and body order."""
    out = []
    for evloc in descendants(root, "evloc"):
        city = (evloc.get("city") or "").strip()
        state = (evloc.get("state-prov") or "").strip()
        out.append(", ".join(p for p in (city, state) if p) if city else state)
    out += [_nitf_location(el) for el in descendants(root, "location")]
    return kept(out)


def _nitf_location(el: etree._Element) -> str:
    """A marked-up location is its city, state and country, most particular first (a region
    only when it is all there is: "Kabul, Asia" would say nothing); one with no parts marked
    (`<location>Kabul</location>`) is its text, all of it."""
    parts = {localname(c): text_of(c) for c in reversed(el) if isinstance(c.tag, str)}
    shown = [parts[name] for name in ("city", "state", "country") if parts.get(name)]
    if shown or parts.get("region"):
        return ", ".join(shown or [parts["region"]])
    return text_of(el)
