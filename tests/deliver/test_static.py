"""The static export: the files equal the served site, and a static target keeps them so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from deliverkit import (
    add_target,
    backlog,
    delivering,
    nginx_serving,
    wait_until,
    wiredesk_serve,
)

from picturekit import jpeg, ninjs_with_picture
from wire import ninjs
from wiredesk import Desk, open_desk
from wiredesk.config import Config, SourceConfig
from wiredesk.deliver.export import NOT_FOUND_PROBE, STATE, Exporter, Manifest
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.store import sources

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
KILLED_HEADLINE = "Minister resigns over bridge collapse"
KILLED_TEXT = "The minister handed in a letter late on Tuesday."


@pytest.fixture
def live(config: Config) -> Iterator[Desk]:
    desk = open_desk(config)
    with desk.store.session() as session, session.begin():
        for name in ("india", "sport"):
            sources.upsert(session, SourceConfig(name=name, section=name), desk.clock())
    yield desk
    desk.store.close()


def seed(desk: Desk) -> None:
    for n in range(4):
        desk.receive(
            ninjs(
                f"urn:s:india:{n}",
                f'Delhi, June 1 (PTI) Story {n} says "quoted" -- and more...\n\nSecond paragraph {n}.',
                headline=f"India story {n}",
                versioncreated=T0 + timedelta(minutes=n),
            ),
            source="india",
        )
    # The story to be killed has a picture, so its renditions must answer 410 too.
    desk.receive(jpeg(900, 600), source="india", filename="bridge.jpg")
    desk.receive(
        ninjs_with_picture(
            "urn:s:killed", "bridge.jpg", headline=KILLED_HEADLINE, body=KILLED_TEXT
        ),
        source="india",
    )
    assert PictureWorker(desk).drain() == 1
    desk.receive(
        ninjs("urn:s:sport:0", "Mumbai (PTI) A match.", headline="Match", versioncreated=T0),
        source="sport",
    )
    desk.receive(
        ninjs(
            "urn:s:sport:0",
            "Mumbai (PTI) A match, corrected.",
            headline="Match",
            version=2,
            versioncreated=T0 + timedelta(minutes=5),
            ednote="Corrects the score.",
        ),
        source="sport",
    )


def kill(desk: Desk) -> None:
    desk.receive(
        ninjs(
            "urn:s:killed",
            "Kill.",
            version=2,
            pubstatus="canceled",
            versioncreated=T0 + timedelta(minutes=9),
        ),
        source="india",
    )


def paths_of(root: Path) -> set[str]:
    manifest = Manifest(root)
    try:
        return manifest.paths()
    finally:
        manifest.close()


def public_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and STATE not in p.relative_to(root).parts
    }


def fresh_export(desk: Desk, root: Path) -> dict[str, bytes]:
    """A full export into a new folder: what an incremental one must equal."""
    exporter = Exporter(desk, root)
    try:
        exporter.full()
    finally:
        exporter.close()
    return public_files(root)


def compare(live: str, cdn: str, paths: set[str]) -> int:
    with httpx.Client(timeout=10) as client:
        for path in sorted(paths):
            served = client.get(live + path)
            exported = client.get(cdn + path)
            assert (exported.status_code, exported.content) == (
                served.status_code,
                served.content,
            ), path
    return len(paths)


def test_the_export_is_the_served_site_before_and_after_a_kill(
    live: Desk, config: Config, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    seed(live)
    add_target(live, "cdn", "static", str(out))
    with delivering(live):
        assert wait_until(lambda: backlog(live) == 0)
    before = paths_of(out)
    slug = next(p for p in before if "minister-resigns" in p and p.count("/") == 2 and "." not in p)
    assert {"/", "/india/", "/sport/", "/feed.atom", "/sitemap.xml", "/robots.txt"} <= before
    assert {slug + ".txt", slug + ".json", slug + "/history", "/static/style.css"} <= before
    feeds = {"/feed.rss", "/india/feed.rss", "/india/feed.atom", "/sport/feed.rss"}
    assert feeds <= before
    # Every rendition of the picture, as the page's srcset names them (4 widths, 2 types).
    media = {p for p in before if p.startswith("/media/")}
    assert len(media) == 6 and {p.rsplit("/", 1)[1] for p in media} >= {"320.jpg", "900.webp"}
    missing = {NOT_FOUND_PROBE, "/india/no-such-story", "/india/no-such-story.json"}
    with (
        wiredesk_serve(config, tmp_path / "serve") as served,
        nginx_serving(out, tmp_path / "nginx") as cdn,
    ):
        assert compare(served, cdn, before | missing) >= 30
        sitemap = httpx.get(cdn + "/sitemap.xml").text
        assert sitemap.count("<loc>") == 6

        kill(live)
        with delivering(live):
            assert wait_until(lambda: backlog(live) == 0)
        after = paths_of(out)
        assert compare(served, cdn, before | after | missing) >= 30
        assert httpx.get(cdn + slug).status_code == 410
        assert httpx.get(cdn + slug + ".json").status_code == 410
        assert {httpx.get(cdn + path).status_code for path in media} == {410}

    notice = (out / (slug.lstrip("/") + ".html")).read_bytes()
    assert b"withdrawn" in notice
    words = [KILLED_HEADLINE, KILLED_TEXT, "urn:s:killed", slug.rsplit("/", 1)[1]]
    for name, body in public_files(out).items():
        text = body.decode("utf-8", "replace")
        assert not [w for w in words if w in text], f"{name} still names the killed story"
        if slug.rsplit("/", 1)[1] in name:
            assert body == notice, f"{name} is not the withdrawal notice"


def test_incremental_updates_equal_a_fresh_full_export(live: Desk, tmp_path: Path) -> None:
    out = tmp_path / "incremental"
    add_target(live, "cdn", "static", str(out))
    with delivering(live):
        seed(live)
        assert wait_until(lambda: backlog(live) == 0)
        kill(live)
        live.receive(ninjs("urn:s:new", "A new section.", headline="Late"), source="sport")
        live.receive(
            ninjs("urn:s:india:1", "Updated.", headline="India story 1", version=2), source="india"
        )
        assert wait_until(lambda: backlog(live) == 0)
    assert public_files(out) == fresh_export(live, tmp_path / "full")
    assert paths_of(out) == paths_of(tmp_path / "full")


def test_a_file_whose_record_a_crash_lost_is_not_left_behind(live: Desk, tmp_path: Path) -> None:
    """A run killed after writing a new page's file and before its manifest committed: the
    file is on disk and on record nowhere. When that page is withdrawn, it goes too."""
    out = tmp_path / "out"
    seed(live)
    exporter = Exporter(live, out)
    try:
        exporter.full()
        slug = next(p for p in paths_of(out) if "minister-resigns" in p and p.endswith(".json"))
        assert (out / slug.lstrip("/")).is_file()
        exporter.manifest.drop(slug)  # as if the run that wrote it never committed
        exporter.manifest.commit()
        kill(live)
        story = next(s for s in live.store.stories() if s.uri == "urn:s:killed")
        exporter.update([story.id])
    finally:
        exporter.close()
    assert not (out / slug.lstrip("/")).exists()
    assert (out / (slug.lstrip("/") + ".html")).is_file()
    assert public_files(out) == fresh_export(live, tmp_path / "fresh")
