"""Sections from the agency's subjects and categories, by the [sections] table and its defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from wire import ninjs
from wiredesk import Desk
from wiredesk.config import Config, SectionTable, SourceConfig, load
from wiredesk.desk import publish
from wiredesk.exceptions import ConfigError
from wiredesk.types import Item, Subject


def section(item: Item, config: Config | None = None, source: str = "") -> str:
    return publish.section_for(item, SourceConfig(name="s", section=source), config or Config())


def test_defaults_for_iptc_and_the_agencies_categories() -> None:
    assert section(Item(uri="u", subject=[Subject("medtop:15000000", "sport")])) == "sports"
    assert section(Item(uri="u", subject=[Subject("subj:04006000", "")])) == "business"
    assert section(Item(uri="u", subject=[Subject("11006006", "")])) == "politics"
    cv = "http://cv.iptc.org/newscodes/mediatopic/17000000"
    assert section(Item(uri="u", subject=[Subject(cv, "")])) == "weather"
    # A Media Topic below the top level has no structure: not guessed at.
    assert section(Item(uri="u", subject=[Subject("medtop:20000822", "")])) == "news"
    assert section(Item(uri="u", agency="AP", category="s")) == "sports"
    assert section(Item(uri="u", agency="The Associated Press", category="f")) == "business"
    assert section(Item(uri="u", agency="Press Trust of India", category="FOREIGN")) == "world"
    assert section(Item(uri="u", agency="IANS", category="Science/Tech")) == "technology"
    assert section(Item(uri="u", agency="Reuters", category="SPO")) == "sports"
    # The agency's category comes before its subjects; a source's own section before both.
    both = Item(uri="u", agency="AP", category="s", subject=[Subject("medtop:11000000", "")])
    assert section(both) == "sports"
    assert section(both, source="india") == "india"
    # Neither known: the category itself, as before.
    assert section(Item(uri="u", category="World News")) == "world-news"


def test_the_table_in_wiredesk_toml(tmp_path: Path) -> None:
    toml = tmp_path / "wiredesk.toml"
    toml.write_text(
        '[sections.subjects]\n"medtop:20000822" = "cricket"\n"15000000" = "games"\n'
        '[sections.categories]\n"PTI:SPORTS" = "khel"\n"Kunst & Kultur" = "culture"\n'
        '[sections.wordpress]\ncricket = "Cricket"\n'
    )
    config = load(toml)
    assert config.sections.wordpress == {"cricket": "Cricket"}
    cricket = Item(uri="u", subject=[Subject("medtop:20000822", "cricket")])
    assert section(cricket, config) == "cricket"
    assert section(Item(uri="u", subject=[Subject("medtop:15000000", "")]), config) == "games"
    assert section(Item(uri="u", agency="PTI", category="Sports"), config) == "khel"
    assert section(Item(uri="u", agency="APA", category="Kunst & Kultur"), config) == "culture"
    config.sections = SectionTable(defaults=False)
    assert section(Item(uri="u", agency="AP", category="s"), config) == "s"
    toml.write_text('[sections.subjects]\n"x" = 3\n')
    with pytest.raises(ConfigError, match="non-empty strings"):
        load(toml)


def test_stories_are_filed_by_their_subjects(desk: Desk) -> None:
    sport = ninjs(
        "urn:sec:1",
        "Mumbai (PTI) A match.",
        subject=[{"code": "medtop:15000000", "name": "sport"}],
    )
    story = desk.store.story(desk.receive(sport, source="wire").stories[0])
    assert story is not None and story.section == "sports"
