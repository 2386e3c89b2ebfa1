"""Proprietary XML through a mapping in wiredesk.toml: the worked example in docs/formats.md,
run against Ritzau-shaped fixtures written for these tests, and the checks made at start."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import dialects
from conftest import FIXTURES, ROOT
from wiredesk import formats
from wiredesk.cli import main
from wiredesk.config import load
from wiredesk.exceptions import ConfigError, ParseError, UnknownFormat
from wiredesk.formats import mapped

DIALECTS = FIXTURES / "dialects"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def worked_example() -> str:
    """The ```toml block of the worked example in docs/formats.md, exactly as documented."""
    docs = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = docs[docs.index("### Proprietary XML") :]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return block.group(1)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "wiredesk.toml"
    path.write_text(worked_example(), encoding="utf-8")
    return path


@pytest.fixture
def ritzau(config_file: Path) -> mapped.Mapping:
    mapping = load(config_file).source("ritzau").mapping
    assert mapping is not None
    return mapping


def test_the_worked_example_reads_a_ritzau_story_field_by_field(ritzau: mapped.Mapping) -> None:
    parsed = formats.parse((DIALECTS / "ritzau-rbnews.xml").read_bytes(), mapping=ritzau)
    assert parsed.format == "mapped"
    [item] = parsed.items
    assert item.uri == "5c0f6a52-8d1e-4d7e-9a51-2f6b0c1d9e44"
    assert item.version == "2"
    assert item.versioncreated == datetime(2026, 12, 9, 14, 5, 31, 250000, tzinfo=COPENHAGEN)
    assert item.headline == "Regeringen vil sænke afgiften på el"
    assert item.byline == "Mette Hansen"
    assert item.dateline == "København"
    assert item.category == "Indland"
    assert item.pubstatus == "usable"
    # Escaped HTML in <content>: its paragraphs, the words as sent (two spaces and all).
    assert item.paragraphs == [
        "Regeringen vil sænke elafgiften fra nytår, siger skatteministeren.",
        'Forslaget skal forhandles med  partierne i næste uge, og det koster "omkring to '
        'milliarder kroner".',
        "/ritzau/",
    ]
    assert "<b>forhandles</b>" in item.body_html


def test_a_queued_response_holds_several_stories_and_a_cancellation(
    ritzau: mapped.Mapping,
) -> None:
    parsed = formats.parse((DIALECTS / "ritzau-feed.xml").read_bytes(), mapping=ritzau)
    flash, kill = parsed.items
    # An empty (nil) headline falls back to the strapline, the next path the mapping lists.
    assert (flash.headline, flash.body_text) == (
        "SPORT/FODBOLD",
        "AGF vandt søndag 2-1 over Brøndby.",
    )
    assert flash.versioncreated == datetime(2026, 12, 9, 9, 12, tzinfo=COPENHAGEN)
    assert (kill.pubstatus, kill.signals, kill.body_text) == ("canceled", ["kill"], "")
    assert kill.uri == "9e2c4b1a-77d0-4a55-b0de-0c1f3e5a6b72"


def test_without_configuration_the_shipped_ritzau_mapping_reads_the_file(
    ritzau: mapped.Mapping,
) -> None:
    data = (DIALECTS / "ritzau-rbnews.xml").read_bytes()
    shipped, configured = formats.parse(data), formats.parse(data, mapping=ritzau)
    assert shipped.format == "mapped"
    assert [i.to_json() for i in shipped.items] == [i.to_json() for i in configured.items]
    # A queued response of several stories too; its flash (a nil headline) is headed by its
    # strapline, as in the worked example; its one paragraph stays text.
    flash, kill = formats.parse((DIALECTS / "ritzau-feed.xml").read_bytes()).items
    assert (flash.headline, flash.body_text) == (
        "SPORT/FODBOLD",
        "AGF vandt søndag 2-1 over Brøndby.",
    )
    assert kill.pubstatus == "canceled"


def test_a_root_no_mapping_names_is_not_a_format_we_read() -> None:
    data = (DIALECTS / "ritzau-rbnews.xml").read_bytes().replace(b"RBNews", b"RBNyheder")
    with pytest.raises(
        UnknownFormat, match=r"not a format wiredesk reads: .*<RBNyheder>.*mappings"
    ):
        formats.parse(data)


def test_other_files_from_a_mapped_source_are_detected_as_usual(ritzau: mapped.Mapping) -> None:
    data = (DIALECTS / "tass-newsml12.xml").read_bytes()
    assert formats.parse(data, mapping=ritzau).format == "newsml12"


@pytest.mark.parametrize(
    ("pattern", "replacement", "reason"),
    [
        (r"<NewsID>.*?</NewsID>", "", "no uri: 'NewsID' is missing or empty"),
        (
            r"<(headline|strapline)>.*?</\1>",
            "",
            "no headline: 'headline' or 'strapline' is missing",
        ),
        (r"<content>.*?</content>", "<content/>", "no body: 'content' holds no text"),
        (r"<Annuleret>false", "<Annuleret>maybe", "pubstatus 'maybe' (from 'Annuleret')"),
        (r"2026-12-09T14:05:31.250", "yesterday", "versioncreated 'yesterday'"),
    ],
)
def test_a_story_missing_a_field_names_the_mapping_and_the_element(
    ritzau: mapped.Mapping, pattern: str, replacement: str, reason: str
) -> None:
    text = (DIALECTS / "ritzau-rbnews.xml").read_text(encoding="utf-8")
    data = re.sub(pattern, replacement, text, flags=re.DOTALL).encode()
    with pytest.raises(ParseError) as caught:
        formats.parse(data, mapping=ritzau)
    assert str(caught.value).startswith(f"mapped XML (ritzau, <RBNews>): {reason}")


def test_the_source_mapping_reaches_the_parse_command(config_file: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--config",
            str(config_file),
            "parse",
            "--source",
            "ritzau",
            str(DIALECTS / "ritzau-rbnews.xml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"headline": "Regeringen vil sænke afgiften på el"' in result.output


def table(**changes: Any) -> dict[str, Any]:
    base = tomllib.loads(worked_example())["mappings"]["ritzau"]
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"headlin": "x"}, "unknown keys ['headlin']"),
        ({"uri": None}, "uri must be given"),
        ({"root": None}, "root must be given"),
        ({"root": "RB News"}, "root must be element names"),
        ({"body": "content[["}, "body = 'content[[' is not an XPath"),
        ({"byline": "r:byLine"}, "byline = 'r:byLine' is not an XPath"),
        ({"headline": ["headline", 3]}, "expected a string or a list of strings"),
        ({"pubstatus_values": {"true": "killed"}}, "maps 'true' to 'killed'"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"body_markup": "rtf"}, "body_markup must be one of"),
    ],
)
def test_a_bad_mapping_stops_the_desk_at_start_with_its_reason(
    tmp_path: Path, changes: dict[str, Any], reason: str
) -> None:
    path = tmp_path / "wiredesk.toml"
    lines = [f"{key} = {toml_value(value)}" for key, value in table(**changes).items()]
    path.write_text("[mappings.ritzau]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(reason)):
        load(path)


def toml_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
        )
    return str(value)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            'name = "r"\nmapping = "ritsau"',
            "names mapping 'ritsau', but there is no [mappings.ritsau]",
        ),
        ('name = "r"\nformat = "mapped"', "has format 'mapped' but no mapping"),
    ],
)
def test_a_source_naming_a_missing_mapping_is_refused_at_start(
    tmp_path: Path, source: str, reason: str
) -> None:
    path = tmp_path / "wiredesk.toml"
    path.write_text(f"[[sources]]\n{source}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(reason)):
        load(path)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), min_size=1)
_PARAGRAPH = _TEXT.map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(headline=_PARAGRAPH, paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=4))
def test_any_plain_text_body_comes_out_as_it_went_in(headline: str, paragraphs: list[str]) -> None:
    mapping = mapped.from_table(
        "t",
        {"root": "Story", "uri": "@id", "headline": "Title", "body": "Text", "body_markup": "text"},
    )
    body = "\n\n".join(paragraphs)
    data = f'<Story id="s1"><Title>{dialects.xml_escaped(headline)}</Title><Text>{dialects.xml_escaped(body)}</Text></Story>'
    [item] = formats.parse(data.encode(), mapping=mapping).items
    assert item.headline == headline and item.uri == "s1"
    # A first paragraph that repeats the headline is the headline, not text (issue 19).
    repeated = " ".join(paragraphs[0].split()) == " ".join(headline.split())
    if formats.split_opening(paragraphs[0]) is None and not repeated:
        assert item.body_text == body


@settings(max_examples=60, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=4))
def test_any_html_body_comes_out_as_it_went_in(paragraphs: list[str]) -> None:
    mapping = mapped.from_table(
        "t", {"root": "Story", "uri": "@id", "headline": "Title", "body": "Text"}
    )
    html = "".join(
        f"&lt;p&gt;{dialects.xml_escaped(dialects.xml_escaped(p))}&lt;/p&gt;" for p in paragraphs
    )
    data = f'<Story id="s1"><Title>T</Title><Text>{html}</Text></Story>'
    [item] = formats.parse(data.encode(), mapping=mapping).items
    if formats.split_opening(paragraphs[0]) is None:
        assert item.paragraphs == paragraphs


def test_a_desk_publishes_and_kills_through_the_mapping_its_source_names(
    config_file: Path, tmp_path: Path, db_url: str
) -> None:
    from wiredesk import open_desk
    from wiredesk.store.models import Story

    config = load(config_file)
    config.data_dir, config.db_url, config.page_cache_seconds = tmp_path / "var", db_url, 0
    desk = open_desk(config)  # the source, its mapping in its options, goes into the database
    try:
        with desk.store.session() as session:
            assert desk.source_config(session, "ritzau").mapping is not None
        story = (DIALECTS / "ritzau-rbnews.xml").read_bytes()
        assert desk.receive(story, source="ritzau").outcome == "accepted"
        # XML whose root no mapping names, from a source without a mapping: quarantined.
        other = story.replace(b"RBNews", b"RBNyheder")
        assert desk.receive(other, source="elsewhere").outcome == "quarantined"
        kill = (DIALECTS / "ritzau-feed.xml").read_text(encoding="utf-8")
        kill = kill.replace(
            "9e2c4b1a-77d0-4a55-b0de-0c1f3e5a6b72", "5c0f6a52-8d1e-4d7e-9a51-2f6b0c1d9e44"
        )
        assert desk.receive(kill.encode(), source="ritzau").outcome == "accepted"
        with desk.store.session() as session:
            stories = {s.uri: s for s in session.query(Story)}
        assert stories["5c0f6a52-8d1e-4d7e-9a51-2f6b0c1d9e44"].state == "killed"
        assert stories["0b7d1d1e-3c55-4f0e-8f63-a7f2d9c4e101"].state == "published"
    finally:
        desk.store.close()


def test_xpaths_with_namespaces_and_a_body_of_mixed_content() -> None:
    mapping = mapped.from_table(
        "agx",
        {
            "root": "wire",
            "item": "a:story",
            "namespaces": {"a": "urn:agx"},
            "uri": "@a:id",
            "headline": "a:head/text()",
            "dateline": "a:head/@place",
            "pubstatus": "@status",
            "body": "a:text",
            "body_markup": "text",  # child elements still make it XML paragraphs
        },
    )
    data = b"""<wire xmlns="urn:agx" xmlns:a="urn:agx"><story a:id="s-1" status="usable">
    <head place="LAGOS">Fuel queues ease</head>
    <text><p>Queues <b>eased</b> on Monday, officials said.</p>Loose text after a paragraph.
    <p>Prices held at  617 naira.</p></text></story></wire>"""
    item = dialects.only_item(data, "mapped", mapping)
    assert (item.uri, item.headline, item.dateline) == ("s-1", "Fuel queues ease", "LAGOS")
    assert item.paragraphs == [
        "Queues eased on Monday, officials said.",
        "Loose text after a paragraph.",
        "Prices held at  617 naira.",
    ]


def test_a_source_may_name_the_shipped_mapping_without_a_table(tmp_path: Path) -> None:
    path = tmp_path / "wiredesk.toml"
    path.write_text(
        '[[sources]]\nname = "ritzau"\ntransport = "folder"\nlocation = "in"\nmapping = "ritzau"\n',
        encoding="utf-8",
    )
    mapping = load(path).source("ritzau").mapping
    assert mapping is not None and mapping.roots == ("RBNews", "XMLNewsQueuedResponse")
    assert mapping.headline_from_body
