"""Every picture reference in the real samples, read into a picture with its caption.

The table names each one; a second test counts the references in every sample file
independently (lxml and json, not the parsers) so a reference the table misses fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from conftest import SAMPLES, samples
from wiredesk.formats import parse
from wiredesk.types import Picture

G2 = "http://iptc.org/std/nar/2006-10-01/"


@dataclass
class Expected:
    path: str
    # "story" (named by the story itself) or the story uri a package ties the picture to.
    story: str
    uri: str
    href: str
    caption: str
    credit: str = ""
    size: tuple[int | None, int | None] = (None, None)


TABLE = [
    Expected(
        "iptc-newsml-g2/LISTING_6_Simple_NewsML-G2_Package.xml",
        "urn:newsml:iptc.org:20081007:tutorial-item-A",
        "urn:newsml:iptc.org:20081007:tutorial—item-B",
        "",
        "Si nous avons aujourd'hui un \n                   afro-américain et une femme dans la "
        "course à la présidence.",
    ),
    *(
        Expected(
            "superdesk/tag_reuters.com_2014_newsml_KBN0FL0NM_version_10",
            "tag_reuters.com_2014_newsml_KBN0FL0NN",
            f"tag_reuters.com_2014_newsml_{uri}",
            "",
            caption,
        )
        for uri, caption in [
            (
                "LYNXMPEA6F13M",
                "Syria's President Bashar al-Assad places his right hand on a Koran as he is sworn "
                "in for a new seven-year term, at al-Shaab presidential palace in Damascus",
            ),
            (
                "LYNXMPEA6F0MS",
                "Still image from video shows Syria's President Bashar al-Assad arriving to be "
                "sworn in for a new seven-year term at the presidential palace in Damascus",
            ),
            (
                "LYNXMPEA6F0MT",
                "Still image from video shows Syria's President Bashar al-Assad arriving to be "
                "sworn in for a new seven-year term at the presidential palace in Damascus",
            ),
        ]
    ),
    Expected(
        "superdesk/ansa-newsmlg2-text.xml",
        "story",
        "tag:ansa.it,2017-10-11:200400bfd17a98e68ea9597546e5ec93.jpg",
        "tag:ansa.it,2017-10-11:200400bfd17a98e68ea9597546e5ec93.jpg",
        "",
    ),
    Expected(
        "superdesk/nitf-ntb.xml",
        "story",
        "iJIJyyF0tiE",
        "iJIJyyF0tiE",
        "Foto: NTB / Scanpix, montasje av Faktisk.no",
    ),
    *(
        Expected(
            "ninjs/1.4-businesswire-newsml-20130515006361.json",
            "story",
            f"http://mms.businesswire.com/media/newsItemId/en/{path}/3/{name}",
            f"http://mms.businesswire.com/media/newsItemId/en/{path}/5/{name}",
            # Business Wire sends no caption, only renditions: none is made up.
            "",
            size=size,
        )
        for path, name, size in [
            ("221373", "dell_blue_rgb.jpg", (432, 432)),
            ("369394", "0025lf.jpg", (2055, 2064)),
            ("369395", "00095.jpg", (2962, 1000)),
        ]
    ),
    Expected(
        "ninjs/1.4-ninjsExComplex1.json",
        "story",
        "http://ninjs.example.com/newsitems/20130709simpPh123",
        "http://hosted.ap.org/photos/2/2643c588-dc8d-4923-bebd-e3b904edbb3a-big.jpg",
        "The Costa Concordia cruise ship lies on its side in the waters of the Tuscan island of "
        "Giglio, Italy, Monday, July 8, 2013. The luxury cruise ship ran aground off the coast of "
        "Tuscany on Jan 13, 2012, sending water pouring in through a 160-foot (50-meter) gash in "
        "the hull and forcing the evacuation of some 4,200 people from the listing vessel early.",
        credit="Paulo Santalucia",
        size=(429, 281),
    ),
    Expected(
        "superdesk/ninjs_embargoed.json",
        "story",
        "ae041266-2700-4c52-94fe-a46ebca0d3a9",
        "https://superdesk-tga.s3.amazonaws.com/sd-tga/20220621170640/"
        "9eba8c38a3a82d35c2271e7b570fa7432342f0d7e59dfacc5fde588209e7649b.jpg",
        "There’s nothing quite like a cold beer to finish a long workweek. Unless, of course, "
        "that beer reminds you of the threats of climate change",
        credit="Photograph by Pea, available at https://bit.ly/3Najj58 / CC-BY 4.0",
        size=(1920, 1440),
    ),
]


def read(relative: str) -> bytes:
    folder, name = relative.split("/", 1)
    return (samples(folder) / name).read_bytes()


def pictures_of(relative: str) -> list[tuple[str, Picture]]:
    parsed = parse(read(relative))
    found = [("story", p) for item in parsed.items for p in item.pictures]
    found += [(s, p) for pkg in parsed.packages for s, ps in pkg.pictures.items() for p in ps]
    return found + [("", p) for p in parsed.pictures]


@pytest.mark.parametrize("expected", TABLE, ids=lambda e: e.uri.rsplit("/", 1)[-1][-24:])
def test_sample_picture(expected: Expected) -> None:
    found = {p.uri: (story, p) for story, p in pictures_of(expected.path)}
    story, picture = found[expected.uri]
    assert story == expected.story
    assert picture.href == expected.href
    assert picture.caption == expected.caption
    assert picture.credit == expected.credit
    assert (picture.width, picture.height) == expected.size


def _references(path: Path) -> int:
    """Picture references counted straight from the file, without the parsers."""
    data = path.read_bytes()
    if path.suffix == ".json":
        doc = json.loads(data)
        associations = doc.get("associations") or {}
        values = associations.values() if isinstance(associations, dict) else associations
        return sum(1 for a in values if a.get("type") in ("picture", "graphic"))
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return 0
    count = 0
    for el in root.iter():
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if name == "remoteContent" and (el.get("contenttype") or "").startswith("image/"):
            count += 1
        elif name == "itemRef":
            qcode = el.find(f"{{{G2}}}itemClass")
            if qcode is not None and qcode.get("qcode", "").endswith((":picture", ":graphic")):
                count += 1
        elif name == "media" and el.get("media-type") in ("image", "photo", "graphic"):
            count += 1
    return count


def _sample_files() -> list[Path]:
    if not SAMPLES.is_dir():
        return []
    skip = {".xsd", ".md"}
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix not in skip)


def test_every_picture_reference_in_the_samples_is_in_the_table() -> None:
    files = _sample_files()
    if not files:
        samples("ninjs")
    counted = {
        str(p.relative_to(SAMPLES)): n for p in files if (n := _references(p)) and p.is_file()
    }
    tabled: dict[str, int] = {}
    for expected in TABLE:
        tabled[expected.path] = tabled.get(expected.path, 0) + 1
    assert counted == tabled
    for path, count in counted.items():
        assert len(pictures_of(path)) == count, path


def test_dpa_picture_notes_are_not_pictures() -> None:
    """dpa's "Foto - aktuell" notes say its picture service has photos; they name none."""
    folder = samples("dpa-newsml-g2")
    noted = [p for p in sorted(folder.glob("*.xml")) if b"dpaednoterole:picture" in p.read_bytes()]
    assert noted
    for path in noted:
        parsed = parse(path.read_bytes())
        assert [p for item in parsed.items for p in item.pictures] == []
        assert parsed.pictures == [] and parsed.packages == []
