"""`wiredesk verify`: every story checked against its raw file, on both databases.

The agency samples are ingested whole and must verify with 0 differ; a body changed by hand in
the database, a story's own copy changed, and a raw file that went missing must each be caught.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from conftest import SAMPLES
from wire import g2, ninjs
from wiredesk import Desk
from wiredesk.cli import main
from wiredesk.store.models import Story


def run_verify(desk: Desk, tmp_path: Path, *ids: int) -> Result:
    settings = tmp_path / "wiredesk.toml"
    settings.write_text('[desk]\ndata_dir = "var"\n', encoding="utf-8")
    assert desk.config.data_dir == tmp_path / "var"
    args = ["--config", str(settings), "--db", desk.config.database_url, "verify", *map(str, ids)]
    return CliRunner().invoke(main, args)


def sample_files() -> list[Path]:
    if not SAMPLES.is_dir():
        pytest.skip(f"agency samples not found at {SAMPLES}")
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file())


def test_every_shared_sample_verifies_after_ingesting_it(desk: Desk, tmp_path: Path) -> None:
    files = sample_files()
    outcomes = desk.receive_many([(p.read_bytes(), str(p)) for p in files], source="samples")
    accepted = sum(o.outcome == "accepted" for o in outcomes)
    assert accepted > 100
    result = run_verify(desk, tmp_path)
    stories = desk.store.count(Story)
    assert result.output.splitlines()[-1] == f"{stories} verified, 0 differ, 0 missing raw"
    assert result.exit_code == 0, result.output


def two_stories(desk: Desk) -> tuple[Story, Story]:
    first = desk.receive(
        g2("urn:v:1", ["Delhi, June 1 (PTI) The first.", "The second, ‘quoted’."]), source="pti"
    )
    second = desk.receive(ninjs("urn:v:2", "Chennai, May 30 (PTI) Rain.\n\nMore rain."))
    stories = [desk.store.story(o.stories[0]) for o in (first, second)]
    assert stories[0] is not None and stories[1] is not None
    return stories[0], stories[1]


def test_a_body_changed_by_hand_in_the_database_is_reported(desk: Desk, tmp_path: Path) -> None:
    story, other = two_stories(desk)
    assert run_verify(desk, tmp_path).exit_code == 0
    version = desk.store.current_version(story)
    assert version is not None
    item = dict(version.item)
    item["body_text"] = item["body_text"].replace("‘quoted’", "'quoted'")  # smart quotes undone
    with desk.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE versions SET item = :item WHERE id = :id"),
            {"item": json.dumps(item), "id": version.id},
        )
    result = run_verify(desk, tmp_path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "1 verified, 1 differ, 0 missing raw"
    assert lines[0].startswith(f"story {story.id} /{story.section}/{story.slug}: version 1: ")
    assert "paragraph 2 \"The second, 'quoted'.\" is 'The second, ‘quoted’.' in the raw" in lines[0]
    # Naming the other story checks only it.
    assert run_verify(desk, tmp_path, other.id).output.splitlines() == [
        "1 verified, 0 differ, 0 missing raw"
    ]


def test_the_story_copy_beside_the_versions_is_checked_too(desk: Desk, tmp_path: Path) -> None:
    story, _ = two_stories(desk)
    with desk.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE stories SET headline = :h WHERE id = :id"),
            {"h": "An edited headline", "id": story.id},
        )
    result = run_verify(desk, tmp_path, story.id)
    assert result.exit_code == 1
    assert "the story's own copy: headline 'An edited headline' is 'A headline'" in result.output


def test_a_missing_or_altered_raw_file_is_reported(desk: Desk, tmp_path: Path) -> None:
    story, other = two_stories(desk)
    gone = desk.store.current_version(story)
    altered = desk.store.current_version(other)
    assert gone is not None and altered is not None
    desk.store.archive.path_for(gone.sha256).unlink()
    desk.store.archive.path_for(altered.sha256).write_bytes(b"{}")
    result = run_verify(desk, tmp_path)
    assert result.exit_code == 1
    assert f"raw file {gone.sha256} is missing" in result.output
    assert "the raw file's bytes no longer match its sha256" in result.output
    assert result.output.splitlines()[-1] == "0 verified, 1 differ, 1 missing raw"


def test_an_unknown_id_fails(desk: Desk, tmp_path: Path) -> None:
    two_stories(desk)
    result = run_verify(desk, tmp_path, 999)
    assert result.exit_code == 1
    assert "no story with id 999" in result.output
