"""Acceptance: the seed story, sent in four formats, comes out as the seed's own text.

The NITF and NewsML-G2 forms carry the dateline as the NITF standard writes it, mixed content
("<location><city>Kabul</city></location>/New Delhi, <story.date>Sep 1</story.date>"), and the
G2 file opens with standalone="no"; the ninjs and RSS forms carry it in the text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from livesite import serving
from seedwire import FORMATS, nitf, read_seed
from wiredesk import Desk
from wiredesk.site.app import create_app
from wiredesk.site.render import item_of, text_rendition


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_seed_round_trip_through_desk_and_site(fmt: str, desk: Desk, seed_text: str) -> None:
    seed = read_seed(seed_text)
    outcome = desk.receive(FORMATS[fmt](seed), source="pti", filename=f"seed.{fmt}")
    assert outcome.outcome == "accepted", outcome.detail
    story = desk.store.story(outcome.stories[0])
    assert story is not None and story.state == "published"
    assert story.agency == "PTI"

    rendition = text_rendition(story, item_of(desk.store.current_version(story)), desk.config.tz)
    assert rendition.strip() == seed_text.strip()

    with serving(create_app(desk.config, desk.store, clock=desk.clock)) as base:
        page = httpx.get(f"{base}/{story.section}/{story.slug}.txt")
        assert page.status_code == 200
        assert page.text.strip() == seed_text.strip()
        html = httpx.get(f"{base}/{story.section}/{story.slug}").text
    assert "lead by Ahmad Massoud" in html


def test_seed_with_dateline_in_body_and_in_field(desk: Desk, seed_text: str) -> None:
    seed = read_seed(seed_text)
    outcome = desk.receive(nitf(seed, dateline_in_body=True), source="pti")
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    item = item_of(desk.store.current_version(story))
    assert item.dateline == "Kabul/New Delhi, Sep 1"
    assert text_rendition(story, item, desk.config.tz).strip() == seed_text.strip()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_seed_round_trip_through_the_cli(fmt: str, tmp_path: Path, seed_text: str) -> None:
    seed = read_seed(seed_text)
    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / f"seed.{fmt}").write_bytes(FORMATS[fmt](seed))
    run = [sys.executable, "-m", "wiredesk", "--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    ingest = subprocess.run(
        [*run, "ingest", str(wire)], capture_output=True, text=True, cwd=tmp_path
    )
    assert ingest.returncode == 0, ingest.stderr
    assert "1 accepted" in ingest.stdout
    shown = subprocess.run(
        [*run, "show", "1", "--as", "txt"], capture_output=True, text=True, cwd=tmp_path
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == seed_text.strip()
