"""A publisher's takedown: gone from every output at once (with its own notice), updates kept
but not shown, and a restore that brings back the latest version everywhere."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from conftest import FakeClock, Heard
from sitekit import publish, site_client, url
from wire import ninjs
from wiredesk import Desk
from wiredesk.cli import main
from wiredesk.desk import takedown
from wiredesk.exceptions import NotFound

LISTINGS = (
    "/",
    "/news/",
    "/feed.rss",
    "/feed.atom",
    "/news/feed.rss",
    "/news/feed.atom",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/api/latest.json",
    "/search?q=zqbridge",
)


def story_file(version: int, words: str, **extra: object) -> bytes:
    return ninjs(
        "urn:td:1",
        f"Delhi (PTI) {words} zqbridge collapse.",
        headline=f"Bridge {words}",
        version=version,
        **extra,
    )


def shown_everywhere(client: httpx.Client, path: str, words: str) -> dict[str, bool]:
    pages = {where: client.get(where).text for where in LISTINGS}
    # Sitemaps carry the address only; the story page must show these words.
    pages[path] = client.get(path).text if words in client.get(path).text else ""
    return {where: path in text for where, text in pages.items()}


def test_takedown_removes_from_every_output_and_restore_brings_the_latest_back(
    desk: Desk, clock: FakeClock
) -> None:
    heard = Heard()
    desk.listeners.append(heard)
    story = publish(desk, story_file(1, "first"))
    path = url(story)
    with site_client(desk) as client:
        assert all(shown_everywhere(client, path, "first").values())

        clock.now += timedelta(minutes=1)
        takedown.takedown(desk, story.id, "legal notice 42", who="editor")
        page = client.get(path)
        assert page.status_code == 410
        assert "removed by the publisher" in page.text and "agency withdrew" not in page.text
        assert "collapse" not in page.text
        for suffix in (".txt", ".json", "/history", "/raw"):
            assert client.get(path + suffix).status_code == 410, suffix
        for where in LISTINGS:
            text = client.get(where).text
            assert "collapse" not in text and path not in text, where

        # The agency updates the story meanwhile: kept, made current, not shown.
        clock.now += timedelta(minutes=1)
        desk.receive(story_file(2, "second"), source="pti")
        taken = desk.store.story(story.id)
        assert taken is not None and taken.state == "takendown"
        assert [v.version for v in desk.store.versions(taken)] == ["1", "2"]
        assert client.get(path).status_code == 410
        assert all("collapse" not in client.get(w).text for w in LISTINGS)

        clock.now += timedelta(minutes=1)
        restored = takedown.restore(desk, story.id, who="editor")
        assert restored.state == "published" and restored.slug == story.slug
        page = client.get(path)
        assert page.status_code == 200 and "Bridge second" in page.text
        assert all(shown_everywhere(client, path, "second").values())

    actions = [c.action for c in heard.changes if c.story_id == story.id]
    assert actions == ["publish", "takedown", "restore"]
    audit = [(e.action, e.detail) for e in desk.store.audit(story.id)]
    assert ("taken down", "by editor: legal notice 42") in audit
    assert ("restored", "by editor: published") in audit


def test_an_agency_kill_still_applies_and_cannot_be_restored(desk: Desk) -> None:
    story = publish(desk, story_file(1, "first"))
    takedown.takedown(desk, story.id, "court order")
    desk.receive(story_file(2, "killed", pubstatus="canceled"), source="pti")
    killed = desk.store.story(story.id)
    assert killed is not None and killed.state == "killed"
    with pytest.raises(NotFound):
        takedown.restore(desk, story.id)
    with site_client(desk) as client:
        assert "agency withdrew" in client.get(url(story)).text


def test_only_live_stories_with_a_reason(desk: Desk) -> None:
    story = publish(desk, story_file(1, "first"))
    with pytest.raises(takedown.NotAllowed):
        takedown.takedown(desk, story.id, "   ")
    with pytest.raises(NotFound):
        takedown.takedown(desk, 999, "reason")
    with pytest.raises(NotFound):
        takedown.restore(desk, story.id)
    takedown.takedown(desk, story.id, "reason")
    with pytest.raises(takedown.NotAllowed):
        takedown.takedown(desk, story.id, "again")


def test_cli_takedown_and_restore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    runner = CliRunner()
    wire = tmp_path / "story.json"
    wire.write_bytes(story_file(1, "first"))
    assert runner.invoke(main, ["ingest", str(wire)]).exit_code == 0
    out = runner.invoke(main, ["takedown", "1", "--reason", "defamation claim"])
    assert out.exit_code == 0, out.output
    assert "1: takendown (removed by the publisher: defamation claim)" in out.output
    again = runner.invoke(main, ["takedown", "1", "--reason", "x"])
    assert again.exit_code == 1 and "not live" in again.output
    out = runner.invoke(main, ["restore", "1"])
    assert out.exit_code == 0 and "1: published" in out.output
    assert runner.invoke(main, ["restore", "1"]).exit_code == 1
