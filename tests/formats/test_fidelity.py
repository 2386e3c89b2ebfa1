"""The fidelity table (issue 19): every file in ../shared/samples/ reads as a person reading it says.

tests/formats/fidelity.tsv holds one row per file (or per item of a file with several) with the
expected outcome, headline, dateline, credit, the start of the first paragraph and the paragraph
count, written from the files and never from wiredesk's output (docs/fidelity.md has the rules).
Each file is one test, and a failure lists every cell that differs, so one run is the map of the
work. tests/formats/fidelity_known_misses.tsv names the files that do not read right yet, each
with its reason: they are expected failures, and strictly so, since a listed file that starts
to read right fails until it is taken off the list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SAMPLES
from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import Parsed
from wiredesk.types import Item

HERE = Path(__file__).parent
TABLE = HERE / "fidelity.tsv"
KNOWN_MISSES = HERE / "fidelity_known_misses.tsv"
COLUMNS = [
    "file",
    "item",
    "items",
    "outcome",
    "headline",
    "dateline",
    "credit",
    "first_paragraph",
    "paragraphs",
    "note",
]
# A refusal's category and the words its reason must hold (case-insensitive).
REFUSAL_WORDS = {
    "no items": r"no items|no entries|holds no",
    "encoding": r"encod|byte|utf|charset|decode",
    "malformed": r"xml|well-formed|syntax|parse|cdata|tag|token|unbound|not a readable|malformed",
    "not a wire format": r"not a format wiredesk reads|fragment|no story",
}
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}


@dataclass(frozen=True)
class Row:
    file: str
    item: int
    items: int
    outcome: str
    headline: str
    dateline: str
    credit: str
    first_paragraph: str
    paragraphs: int
    note: str


def unescape(cell: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), cell)


def read_table(path: Path) -> list[Row]:
    lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln and ln[0] != "#"]
    header, *body = lines
    assert header.split("\t") == COLUMNS, f"{path.name}: the header is not {COLUMNS}"
    rows = []
    for number, line in enumerate(body, start=2):
        cells = [unescape(c) for c in line.split("\t")]
        assert len(cells) == len(COLUMNS), f"{path.name} row {number}: {len(cells)} cells"
        values = dict(zip(COLUMNS, cells, strict=True))
        rows.append(
            Row(
                **{k: v for k, v in values.items() if k not in ("item", "items", "paragraphs")},
                item=int(values["item"]),
                items=int(values["items"]),
                paragraphs=int(values["paragraphs"]),
            )
        )
    return rows


def read_known_misses(path: Path) -> dict[str, str]:
    misses = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip() and not line.startswith("#"):
            file, reason = line.split("\t", 1)
            misses[file] = reason
    return misses


ROWS = read_table(TABLE)
BY_FILE: dict[str, list[Row]] = defaultdict(list)
for _row in ROWS:
    BY_FILE[_row.file].append(_row)
MISSES = read_known_misses(KNOWN_MISSES)


def _cell(column: str, expected: object, got: object) -> str:
    return f"  {column}: expected {expected!r}\n  {' ' * len(column)}       got {got!r}"


def story_mismatches(row: Row, item: Item) -> list[str]:
    out = []
    if item.headline != row.headline:
        out.append(_cell("headline", row.headline, item.headline))
    if item.dateline != row.dateline:
        out.append(_cell("dateline", row.dateline, item.dateline))
    # The credit exactly as the opening or the dateline field writes it (Item.credit).
    if item.credit != row.credit:
        out.append(_cell("credit", row.credit, item.credit))
    paragraphs = item.paragraphs
    first = paragraphs[0] if paragraphs else ""
    if not first.startswith(row.first_paragraph) or (not row.first_paragraph and first):
        out.append(_cell("first_paragraph", row.first_paragraph, first[:80]))
    if len(paragraphs) != row.paragraphs:
        out.append(_cell("paragraphs", row.paragraphs, len(paragraphs)))
    return out


def mismatches(rows: list[Row], data: bytes) -> list[str]:
    outcome = rows[0].outcome
    try:
        parsed: Parsed = formats.parse(data)
    except ParseError as exc:
        if outcome.startswith("refused"):
            categories = outcome.partition(":")[2].strip().split(" or ")
            words = "|".join(REFUSAL_WORDS[c] for c in categories)
            if not re.search(words, str(exc), re.IGNORECASE):
                return [_cell("refusal reason", f"{' or '.join(categories)} ({words})", str(exc))]
            return []
        return [_cell("outcome", outcome, f"refused: {exc}")]
    got_outcome = (
        "story"
        if parsed.items
        else "picture"
        if parsed.pictures
        else "package"
        if parsed.packages
        else "skip"
    )
    if got_outcome != outcome:
        return [_cell("outcome", outcome, f"{got_outcome} ({len(parsed.items)} items)")]
    if outcome != "story":
        return []
    out = []
    if len(parsed.items) != rows[0].items:
        out.append(_cell("items", rows[0].items, len(parsed.items)))
    for row in rows:
        if row.item >= len(parsed.items):
            out.append(f"  item {row.item}: missing")
            continue
        found = story_mismatches(row, parsed.items[row.item])
        if found and len(rows) > 1:
            out.append(f" item {row.item}:")
        out.extend(found)
    return out


def test_the_table_names_every_sample_once_and_only_known_outcomes() -> None:
    for file, rows in BY_FILE.items():
        assert len({r.item for r in rows}) == len(rows), f"{file}: an item is listed twice"
        assert len({(r.outcome, r.items) for r in rows}) == 1, f"{file}: rows disagree"
    for row in ROWS:
        kind = row.outcome.partition(":")[0]
        assert kind in ("story", "picture", "package", "skip", "refused"), row
        if kind == "refused":
            categories = row.outcome.partition(":")[2].strip().split(" or ")
            assert set(categories) <= set(REFUSAL_WORDS), row
    assert set(MISSES) <= set(BY_FILE), set(MISSES) - set(BY_FILE)
    if not SAMPLES.is_dir():
        pytest.skip(f"agency samples not found at {SAMPLES}")
    on_disk = {
        str(p.relative_to(SAMPLES))
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert on_disk - set(BY_FILE) == set(), "samples without a row in fidelity.tsv"
    assert set(BY_FILE) - on_disk == set(), "rows for files that are not in the samples"


@pytest.mark.parametrize("file", sorted(BY_FILE))
def test_the_sample_reads_as_the_table_says(file: str) -> None:
    path = SAMPLES / file
    if not SAMPLES.is_dir():
        pytest.skip(f"agency samples not found at {SAMPLES}")
    found = mismatches(BY_FILE[file], path.read_bytes())
    if file in MISSES:
        if not found:
            pytest.fail(f"{file} now reads right: take it off {KNOWN_MISSES.name}")
        pytest.xfail(MISSES[file] + "\n" + "\n".join(found))
    assert not found, f"{file} does not read as fidelity.tsv says:\n" + "\n".join(found)


def test_every_differing_cell_is_reported_in_one_failure() -> None:
    nitf = (
        b'<?xml version="1.0" encoding="UTF-8"?><nitf><head><docdata><doc-id id-string="fid-1"/>'
        b"</docdata></head><body><body.head><hedline><hl1>A headline</hl1></hedline></body.head>"
        b"<body.content><p>KABUL, Sep 1 (PTI) Fighting goes on.</p><p>Second.</p></body.content>"
        b"</body></nitf>"
    )
    right = Row("x.xml", 0, 1, "story", "A headline", "KABUL, Sep 1", "PTI", "Fighting", 2, "")
    assert mismatches([right], nitf) == []
    wrong = Row("x.xml", 0, 1, "story", "A headlin", "KABUL", "AFP", "Kabul", 3, "")
    found = "\n".join(mismatches([wrong], nitf))
    for column in ("headline", "dateline", "credit", "first_paragraph", "paragraphs"):
        assert f"  {column}" in found, column
    assert mismatches([Row("x.xml", 0, 1, "picture", "", "", "", "", 0, "")], nitf)
    refused = Row("x.xml", 0, 0, "refused: malformed", "", "", "", "", 0, "")
    assert mismatches([refused], b"<nitf><body>") == []
    assert mismatches([refused], nitf)
