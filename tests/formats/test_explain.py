"""`wiredesk parse --explain`: the format and dialect, the rule that split the opening, and the
element, key or line each field came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from wiredesk.cli import main
from wiredesk.formats import explain as explain_module
from wiredesk.formats import parse
from wiredesk.formats.explain import explain

DIALECTS = FIXTURES / "dialects"
NITF = b"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><docdata><doc-id id-string="urn:x:nitf:1"/></docdata></head>
<body><body.head><hedline><hl1>Rain returns</hl1></hedline></body.head>
<body.content><p>STOCKHOLM, Aug 29, 2014 (AFP) - Rain returned on Friday.</p><p>More.</p>
</body.content></body></nitf>"""


def explained(path: Path) -> str:
    result = CliRunner().invoke(main, ["parse", "--explain", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def test_g2_fields_name_their_elements_and_the_dateline_element() -> None:
    out = explained(DIALECTS / "kathpress-like-g2-dateline.xml")
    assert "format: newsmlg2 (NewsML-G2)" in out
    assert "dialect: root <newsMessage>; 1 content component(s): inlineXML" in out
    assert "opening: the dateline is the file's own field " in out
    assert (
        "headline: 'Pilgerzahlen in Mariazell steigen wieder' <- "
        "/newsMessage/itemSet/newsItem/contentMeta/headline[1]"
    ) in out
    assert (
        "dateline: 'Mariazell' <- part of /newsMessage/itemSet/newsItem/contentMeta/dateline" in out
    )
    assert "first paragraph: 'Die Basilika" in out and "/body/p[1]" in out


def test_json_fields_name_their_keys() -> None:
    out = explained(DIALECTS / "ninjs-lines-body.json")
    assert "dialect: ninjs 2.x" in out
    assert "headline: 'Ny bru over Glomma åpner i mai' <- $.headlines[0].value" in out
    assert "byline: 'Kari Nordmann' <- $.by" in out
    assert "part of $.body_text" in out


def test_text_fields_name_their_lines() -> None:
    out = explained(DIALECTS / "dpa-7901-heading-notes.iptc")
    assert "format: iptc7901 (IPTC 7901)" in out
    assert "dialect: heading 'bdt0412 2 pl 212  dpa 0000'" in out
    assert "headline: 'Carolabrücke bleibt bis Jahresende gesperrt' <- line 7" in out
    assert "picture_note: 'Foto Illustration' <- part of line 9" in out
    assert "slugline: 'Verkehr/Brücken/Sachsen' <- part of line 3" in out


def test_an_opening_the_normaliser_cut_is_shown_with_its_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed = parse(NITF)
    text = "\n".join(explain(NITF, parsed))
    assert "opening: split by " in text
    assert "'STOCKHOLM, Aug 29, 2014 (AFP) - '" in text

    @dataclass
    class Named:
        dateline: str
        credit: str
        rest: str
        rule: str

    # The openings grammar names the form that matched; explain shows that name.
    monkeypatch.setattr(
        explain_module,
        "split_opening",
        lambda p: Named("STOCKHOLM, Aug 29, 2014", "AFP", p[32:], "place, date (CREDIT) -"),
    )
    assert "opening: split by place, date (CREDIT) -: " in "\n".join(explain(NITF, parsed))


def test_a_refused_file_still_says_why(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(b"\x00\x01 not a story")
    result = CliRunner().invoke(main, ["parse", "--explain", str(path)])
    assert result.exit_code == 1
    assert "not a format wiredesk reads" in result.output
