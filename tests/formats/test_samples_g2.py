"""Every NewsML-G2, NITF and NewsML 1.2 agency sample parses with the right headline and text.

The samples are read from the shared folder and never copied here; each test skips when the
folder is absent. Expectations for the dpa day are read from each file independently with lxml.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import ROOT, SAMPLES, samples
from wiredesk.cli import main
from wiredesk.exceptions import ParseError
from wiredesk.formats import parse

G2 = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass
class Expected:
    path: str
    format: str
    headline: str
    body_start: str
    uri: str = ""
    version: str = "1"
    dateline: str = ""
    agency: str = ""
    signals: list[str] = field(default_factory=list)
    embargoed: datetime | None = None
    paragraphs: int | None = None


STORIES = [
    Expected(
        "superdesk/ansa-newsmlg2-text.xml",
        "newsmlg2",
        "Catalan independence declaration unacceptable - Alfano",
        "Italian Foreign Minister Angelino\nAlfano has said that the"
        ' Catalan independence declaration is\nunacceptable.\n\n"Unacceptable Catalan unilateral',
        uri="tag:ansa.it,2017-10-11:40e5fb1034e7e2b21942ea09718fc85a",
        dateline="Rome, October 11",
        agency="ANSA",
        signals=["db:superdesk", "sig:routing"],
        paragraphs=4,
    ),
    Expected(
        "superdesk/dpa.xml",
        "newsmlg2",
        "Eintracht in London: Hintereggers Tränen und Attacke auf Reporter",
        # The contentMeta <dateline> "London (dpa) - " is the dateline; the text repeats it.
        "2019 gab es bittere Tränen in der Kurve, 2022 erst mächtig Wut",
        uri="urn:newsml:dpa.com:20090101:221011-930-4303",
        dateline="London",
        agency="dpa",
        paragraphs=3,
    ),
    Expected(
        "superdesk/stt_newsml_endash.xml",
        "newsmlg2",
        "Reilu kolmannes Korkeasaaren eläinpotilaista saadaan palautettua luontoon",
        "Sadat eläimet saadaan joka vuosi hoidettua Korkeasaaren villieläinsairaalassa sellaiseen"
        " kuntoon,\n                    että ne voidaan palauttaa luontoon.\n\n"
        "Villieläinsairaalaan tuodaan vuosittain 800<endash>-</endash>1\u2009 000",
        uri="urn:newsml:stt.fi:20180401:101976596",
        agency="STT–Sourcefabric",
        paragraphs=4,
    ),
    Expected(
        "superdesk/tag_reuters.com_2018_newsml_MTZXEE13ZXCZES_2",
        "newsmlg2",
        "UPDATE\n                    2-Primeira Liga Results",
        "Results and fixtures for the Primeira Liga on Wednesday\n"
        "                         Desportivo Aves (0) 1 Moreirense (2) 2",
        uri="tag:reuters.com,2018:newsml_MTZXEE13ZXCZES",
        version="2",
        dateline="Jan 3",
        agency="Opta Sports Data",
        signals=["prodId:TXT", "var:binMod", "edStat:U", "pmt:text", "sic:TABLE", "update"],
    ),
    Expected(
        "iptc-newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml",
        "newsmlg2",
        'Fed to halt QE to avert "bubble"',
        "",
        uri="urn:newsml:acmenews.com:20161018:US-FINANCE-FED",
        version="11",
        dateline="Berlin",
        agency="REUTERS",
        signals=["sig:update", "update"],
        embargoed=datetime(2018, 10, 23, 12, tzinfo=UTC),
        paragraphs=0,
    ),
    Expected(
        "iptc-newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml",
        "newsmlg2",
        'Fed to halt QE to avert "bubble"',
        "(New York, NY - October 21) Et, sent luptat luptat, commy\n",
        uri="urn:newsml:acmenews.com:20161121:US-FINANCE-FED",
        version="11",
        agency="Acme News and Media LLC",
        paragraphs=2,
    ),
    Expected(
        "iptc-newsml-g2/LISTING_22_Sports_story_in_NewsML-G2NITF.xml",
        "newsmlg2",
        "Preview: Arizona Diamondbacks (29-23) at Philadelphia Phillies\n             (26-24), 7:05 p.m.",
        "(Sports Network) - A pair of teams coming off big weekend sweeps \n",
        uri="tag:xmlteam.com,2016:xt.5932656-preview",
        version="11",
        agency="web:www.xmlteam.com",
        paragraphs=6,
    ),
    Expected(
        "superdesk/afp20.xml",
        "newsml12",
        "Décès de Naomi Musenga: l'opératrice du Samu définitivement condamnée",
        "L'opératrice du Samu condamnée pour non-assistance à personne en danger",
        uri="urn:newsml:afp.com:20240710:240710125902.qpsp2jzk",
        dateline="Strasbourg, 10 juil 2024",
        agency="AFP",
        paragraphs=2,
    ),
    Expected(
        "superdesk/efe_nitf.xml",
        "nitf",
        "Honduran president announces Cabinet changes",
        "Test body.",
        uri="22751909",
        dateline="Tegucigalpa, Jan 2",
        agency="Agencia EFE",
        paragraphs=1,
    ),
    Expected(
        "superdesk/nitf-ntb.xml",
        "nitf",
        "Faktisk.no: Nei, dette dokumentet beskriver ikke FNs Agenda 21 eller Agenda 2030",
        "Nei, dette dokumentet beskriver ikke FNs Agenda 21 eller Agenda 2030\n\nPåstand\n\n"
        "«[Dette dokumentet beskriver] FNs Agenda 21 og Agenda 2030»",
        uri="faktisk-d9cde75b-256e-4989-b6a3-b8ad27f43a5c_47",
        version="48",
        dateline="Oslo",
        agency="NTB",
    ),
    Expected(
        "superdesk/pa3.xml",
        "nitf",
        "UK BREAK-UP 'NOT INCONCEIVABLE', FIRST MINISTER WARNS AHEAD OF BREXIT TALKS",
        "The UK risks breaking up unless all home nations play a hands-on role in the Brexit"
        " negotiations",
        uri="4a82e12e-6b39-47eb-8e59-2c616a7e32a4HHH-13-1",
        agency="Press Association",
        embargoed=datetime(2016, 9, 9, 0, 1, tzinfo=timezone(timedelta(hours=1))),
        paragraphs=1,
    ),
    Expected(
        "superdesk/pa4.xml",
        "nitf",
        "GREAT BRITISH BAKE OFF COOKS UP TOP FIVE MOST-WATCHED SHOWS OF 2016",
        "The Great British Bake Off has made a clean sweep of the top five most-watched programmes"
        " of the year so far.\n\nAn average of almost 13-and-a-half million people",
        uri="255dd17c-cecd-4e56-a555-24fcaf1ef394HHH-8-1",
        agency="Press Association",
    ),
    Expected(
        "superdesk/aap-sports.xml",
        "nitf",
        "RL:Ferguson returns at centre for Roosters",
        # AAP breaks its lines with <br />: each is the line break it stands for.
        "Blake Ferguson has been named to make his top grade return at \ncentre in the Sydney"
        " Roosters NRL trial against Manly on Saturday.\n\nFerguson had his first hit out",
        uri="AAP.123253116.6697929",
        agency="Australian Associated Press",
        embargoed=datetime(2015, 2, 18, 16, 1, 41, tzinfo=UTC),
        paragraphs=5,
    ),
    Expected(
        "superdesk/handle_invalid_fields.xml",
        "nitf",
        "Man accused of ramming gate at Rideau Hall with truck faces multiple charges",
        "OTTAWA - A Manitoba man is facing 22 criminal charges after allegedly ramming his truck",
        uri="eed713d46d74499d86b3250fa47b341b",
        agency="THE CANADIAN PRESS",
    ),
]

SKIPPED = [
    ("superdesk/snep.xml", ["tag:reuters.com,0000:newsml_TRE7AA2CP"], "package"),
    (
        "iptc-newsml-g2/LISTING_24_News_Message_conveying_a_complete_News_Package.xml",
        ["", "N1", "N2", "N3", "N4"],
        "",
    ),
    (
        "iptc-newsml-g2/LISTING_29_Hop_History.xml",
        ["urn:newsml:acmenews.com:20161019T1205:HOP-HISTORY-EXAMPLE"],
        "neither a headline nor any text",
    ),
]

FRAGMENTS = [
    "iptc-newsml-g2/LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml",
    "iptc-newsml-g2/LISTING_28_Illustrating_Located_Subject_and_Dateline.xml",
]


def read(relative: str) -> bytes:
    folder, name = relative.split("/", 1)
    return (samples(folder) / name).read_bytes()


@pytest.mark.parametrize("expected", STORIES, ids=lambda e: e.path.rsplit("/", 1)[-1])
def test_story_samples(expected: Expected) -> None:
    parsed = parse(read(expected.path))
    assert parsed.format == expected.format
    assert parsed.skipped == []
    (item,) = parsed.items
    assert item.headline == expected.headline
    assert item.body_text.startswith(expected.body_start)
    assert item.uri == expected.uri
    assert item.version == expected.version
    assert item.dateline == expected.dateline
    assert item.agency == expected.agency
    assert item.signals == expected.signals
    assert item.embargoed == expected.embargoed
    assert item.pubstatus == "usable"
    if expected.paragraphs is not None:
        assert len(item.paragraphs) == expected.paragraphs
    assert "\n\n\n" not in item.body_text


@pytest.mark.parametrize(("path", "uris", "reason"), SKIPPED, ids=lambda v: str(v)[-30:])
def test_non_story_samples_are_skipped_with_a_reason(
    path: str, uris: list[str], reason: str
) -> None:
    parsed = parse(read(path))
    assert parsed.items == []
    assert [s.uri for s in parsed.skipped] == uris
    assert all(s.reason for s in parsed.skipped)
    assert reason in parsed.skipped[0].reason


@pytest.mark.parametrize("path", FRAGMENTS)
def test_guideline_fragments_are_refused_with_a_reason(path: str) -> None:
    with pytest.raises(ParseError, match="fragment"):
        parse(read(path))


def _dpa_files() -> list[Path]:
    folder = SAMPLES / "dpa-newsml-g2"
    return sorted(folder.glob("*.xml")) if folder.is_dir() else []


def _first_paragraph(tree: etree._ElementTree) -> str:
    """The first paragraph's text, without the dateline dpa marks up in it (and sends as the
    contentMeta <dateline> too: the item's dateline, shown once)."""
    ns = {"h": XHTML}
    # dpa's p.teaser is the item's summary, not its first paragraph.
    paragraphs = tree.xpath(
        "//h:section[contains(@class, 'main')]//h:p[not(contains(@class, 'teaser'))]",
        namespaces=ns,
    )
    for br in tree.xpath("//h:br", namespaces=ns):
        br.tail = "\n" + (br.tail or "")  # dpa breaks lines inside a paragraph with <br/>
    for span in tree.xpath("//h:span[@class='dateline']", namespaces=ns):
        if tree.find(f".//{{{G2}}}contentMeta/{{{G2}}}dateline") is not None:
            span.getparent().text = (span.getparent().text or "") + (span.tail or "")
            span.getparent().remove(span)
    texts = ["".join(p.itertext()).strip() for p in paragraphs]
    return next(t for t in texts if t)


@pytest.mark.parametrize("path", _dpa_files() or [None], ids=lambda p: p.stem[-12:] if p else "")
def test_every_dpa_item(path: Path | None) -> None:
    if path is None:
        samples("dpa-newsml-g2")
        pytest.fail("the dpa sample folder is empty")
    tree = etree.parse(str(path))
    headline_el = tree.find(
        f"{{{G2}}}itemSet/{{{G2}}}newsItem/{{{G2}}}contentMeta/{{{G2}}}headline"
    )
    assert headline_el is not None
    guid = tree.find(f"{{{G2}}}itemSet/{{{G2}}}newsItem").get("guid")  # type: ignore[union-attr]

    parsed = parse(path.read_bytes())
    (item,) = parsed.items
    assert item.headline
    assert item.headline == "".join(headline_el.itertext()).strip()
    # A blank line inside a <p> (two <br/>s, dpa's audio programme) parts paragraphs.
    first = re.split(r"\n[ \t]*\n", _first_paragraph(tree))[0].strip()
    # dpa opens with "Place (dpa) - ": the place is the dateline, the rest the first paragraph.
    opening = re.match(r"(?P<place>[^()]+?) \(dpa\)\s*[-–]\s*", first)
    if opening:
        assert item.dateline == opening.group("place")
        first = first[opening.end() :]
    assert first in item.body_text
    dateline_el = tree.find(f".//{{{G2}}}contentMeta/{{{G2}}}dateline")
    if dateline_el is not None:
        # "Berlin (dpa) - ": the place as written is the dateline, the credit is not.
        assert item.dateline == (dateline_el.text or "").split("(")[0].strip()
    assert item.uri == guid
    assert item.agency == "dpa"
    teaser = tree.xpath(
        "//h:section[contains(@class, 'main')]//h:p[@class='teaser']", namespaces={"h": XHTML}
    )
    if teaser:
        assert item.summary == "".join(teaser[0].itertext()).strip()
        assert item.summary not in item.body_text
    # The XHTML <header> repeats the headline; it must not be in the body.
    assert not item.body_text.startswith(item.headline)


def test_dpa_sample_count() -> None:
    samples("dpa-newsml-g2")
    assert len(_dpa_files()) == 100


def test_dpa_correction_and_update_signals() -> None:
    folder = samples("dpa-newsml-g2")
    corrected = parse((folder / "urn_newsml_dpa.com_20090101_170629-99-43688.xml").read_bytes())
    item = corrected.items[0]
    assert item.signals == ["sig:correction", "dpasig:isplanned", "correction"]
    assert item.ednote.splitlines()[-2:] == [
        "Nach dpa-Informationen sind mehrere der in Medien erwähnten Hotels falsch oder"
        " unvollständig zugeordnet. Sie wurden entsprechend berichtigt.",
        "zu Hotels und Gästen",
    ]
    # Contacts dpa marks as not for publication stay out of anything a reader can see.
    assert "kipp.almut@dpa.com" not in item.ednote


# Packages that tie texts to pictures are read as packages (tests/formats/test_samples_pictures.py).
PACKAGES = [
    "superdesk/tag_reuters.com_2014_newsml_KBN0FL0NM_version_10",
    "iptc-newsml-g2/LISTING_6_Simple_NewsML-G2_Package.xml",
]
ALL_SAMPLES = [e.path for e in STORIES] + [s[0] for s in SKIPPED] + PACKAGES


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.rsplit("/", 1)[-1][-30:])
def test_cli_parse_prints_a_json_array(path: str) -> None:
    folder, name = path.split("/", 1)
    file = samples(folder) / name
    result = CliRunner().invoke(main, ["parse", str(file)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert isinstance(out, list) and out
    assert all("uri" in entry for entry in out)


def test_cli_parse_in_a_subprocess() -> None:
    file = samples("superdesk") / "ansa-newsmlg2-text.xml"
    result = subprocess.run(
        [sys.executable, "-m", "wiredesk", "parse", str(file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["headline"] == "Catalan independence declaration unacceptable - Alfano"
    assert entry["format"] == "newsmlg2"
