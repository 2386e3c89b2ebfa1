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
AFP_ARABIC = "agencies/JosiahBeynon_XML-extract--AFP-NewsML-1.2-__newsmlmmd.urn.newsml.afp.com."


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
    # NewsML 1.x photos (AFP): one NewsComponent per photo, its Caption component's text, its
    # ByLine and CreditLine, and the largest of its HighDef/Quicklook/Thumbnail renditions.
    *(
        Expected(f"{AFP_ARABIC}{path}", "story", href, href, caption, credit, size)
        for path, href, caption, credit, size in [
            (
                "20200615.doc.1th1q4.xml",
                "534e08116272fe4305dd91ae2bf7293a7c74f7da.jpg",
                "صورة من الأرشيف ملتقطة في 21 أيار/مايو 2019 تظهر عاملا يتحقق من دراجة كهربائية "
                'في مصنع لشركة "جانيت" في تاي شانغ في تايوان',
                "سام ييه / ا ف ب/ارشيف",
                (768, 507),
            ),
            (
                "20200615.doc.1th1q4.xml",
                "409d32107c6fed079f3dff068333e44da99d2fac.jpg",
                'بوني تو رئيسة شركة "جاينت" لصناعة الدراجات الهوائية في مصانع تاي شونغ في تايوان '
                "في الخامس من حزيران/يونيو 2020",
                "سام ييه / ا ف ب",
                (768, 512),
            ),
            (
                "20231126.doc.34629lc.xml",
                "6dd969783571a8b8f1e914f6f20b6e7f733b4097.jpg",
                "البرازيلي رودريغو يحتفل بالتسجيل لريال مدريد في مرمى مضيفه قادش في الدوري "
                "الإسباني لكرة القدم. قادش، في 26 تشرين الثاني/نوفمبر 2023",
                "كريستينا كيكلر / ا ف ب",
                (768, 512),
            ),
            (
                "20231126.doc.34629lc.xml",
                "f31cc0d48a174b068f8c9e6d61689f6b9f5d72c5.jpg",
                "النيجري عمر صادق يحتفل بالتسجيل لريال سوسييداد في مرمى إشبيلية خلال لقاء "
                "الفريقين في الدوري الإسباني لكرة القدم. سان سيباستيان في 26 تشرين الثاني/نوفمبر "
                "2023",
                "اندر غيينيا / ا ف ب",
                (591, 768),
            ),
        ]
    ),
    # A NewsML 1.x item of one photo is a picture item of its own.
    Expected(
        "agencies/gitpan_Syndication-NewsML__afp-test.xml",
        "",
        "urn:newsml:afp.com:20020211:GAZ08-pih",
        "GAZ08-pih.jpg",
        "A Palestinian policeman\nstands 11 February 2002 next to a crater in front of the damaged "
        "Ansar base\nof Palestinian leader Yasser Arafat's elite Force 17 in Gaza City, which was"
        "\nbombed by Israeli F-16 fighters last night in retaliation to a deadly attack\nat a "
        "restaurant outside the Israeli army's southern headquarters in\nBeersheva in which two "
        "women soldiers, and the two Palestinian assailants,\nwere killed. Some 40 people were "
        "wounded in the Israeli raids on Palestinian\ntargets in the Gaza Strip overnight.",
        "FAYEZ NURELDINE / AFP",
        (2048, 1543),
    ),
    Expected(
        "agencies/gextech_iptc-newsml__DV2209430.xml",
        "",
        "urn:newsml:afp.com:20160116:PH:DV:DV2209430",
        "DV2209430.jpg",
        "Tottenham Hotspur's Belgian defender Jan Vertonghen (R) tackles Sunderland's Dutch "
        "midfielder Jeremain Lens (L) during the English Premier League football match between "
        "Tottenham Hotspur and Sunderland at White Hart Lane in north London on January 16, 2016. "
        "AFP PHOTO / IAN KINGTON\n\nRESTRICTED TO EDITORIAL USE. No use with unauthorized audio, "
        "video, data, fixture lists, club/league logos or 'live' services. Online in-match use "
        "limited to 75 images, no video emulation. No use in betting, games or single "
        "club/league/player publications.",
        "IAN KINGTON / AFP",
        (5184, 3456),
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
    photos = set()
    for el in root.iter():
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if name == "remoteContent" and (el.get("contenttype") or "").startswith("image/"):
            count += 1
        elif name == "itemRef":
            qcode = el.find(f"{{{G2}}}itemClass")
            if qcode is not None and qcode.get("qcode", "").endswith((":picture", ":graphic")):
                count += 1
        elif name == "media" and el.get("media-type") in ("image", "photo", "graphic"):
            # One that points into the file ("#photo0", AFP) is that NewsML photo, counted below.
            pointers = [r.get("data-location", "") for r in el if isinstance(r.tag, str)]
            count += not any(p.startswith("#") for p in pointers)
        elif name == "MediaType" and el.get("FormalName") == "Photo":
            # NewsML 1.x: a ContentItem of a rendition, in a component of the photo's own.
            component = el.getparent().getparent()  # type: ignore[union-attr]
            photos.add(component.getparent())  # type: ignore[union-attr]
    return count + len(photos)


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
