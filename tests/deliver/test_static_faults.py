"""Issue 24, finding 1: one picture that cannot be rendered never stops a static round, and a
kill reaches the export while it is in the store."""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from deliverkit import add_target, backlog, delivering, wait_until
from PIL import Image

from livesite import serving
from picturekit import ninjs_with_picture
from wire import ninjs
from wiredesk import Desk, images, open_desk
from wiredesk.config import Config, SourceConfig
from wiredesk.deliver.export import Manifest
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.site.app import create_app
from wiredesk.store import sources

HEADLINE = "Bridge collapses in the night"
TEXT = "The bridge fell into the river at dawn."


@pytest.fixture
def live(config: Config) -> Iterator[Desk]:
    desk = open_desk(config)
    with desk.store.session() as session, session.begin():
        sources.upsert(session, SourceConfig(name="india", section="india"), desk.clock())
    yield desk
    desk.store.close()


def wide_png() -> bytes:
    """17000×3000: under the pixel limit, wider than WebP can encode."""
    out = io.BytesIO()
    Image.new("L", (17_000, 3_000), 90).save(out, "PNG")
    return out.getvalue()


def with_picture(desk: Desk, data: bytes, name: str) -> None:
    desk.receive(data, source="india", filename=name)
    desk.receive(
        ninjs_with_picture("urn:s:bridge", name, headline=HEADLINE, body=TEXT), source="india"
    )
    assert PictureWorker(desk).drain() == 1


def kill(desk: Desk) -> None:
    desk.receive(ninjs("urn:s:bridge", "Kill.", version=2, pubstatus="canceled"), source="india")


def page_of(root: Path) -> str:
    manifest = Manifest(root)
    try:
        return next(
            p
            for p in manifest.paths()
            if "bridge-collapses" in p and "." not in p and p.count("/") == 2
        )
    finally:
        manifest.close()


def exported_text(root: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace")
        for p in root.rglob("*")
        if p.is_file() and ".wiredesk" not in p.parts
    )


def test_a_kill_reaches_the_export_with_the_wide_picture_in_the_store(
    live: Desk, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with_picture(live, wide_png(), "wide.png")
    add_target(live, "cdn", "static", str(out))
    with delivering(live):
        assert wait_until(lambda: backlog(live) == 0, timeout=120)
    page = page_of(out)
    media = sorted(p.name for p in (out / "media").rglob("*.*"))
    assert "4096.webp" in media and "17000.webp" not in media
    kill(live)
    with delivering(live):
        assert wait_until(lambda: backlog(live) == 0, timeout=120)
    assert b"withdrawn" in (out / (page.lstrip("/") + ".html")).read_bytes()
    assert HEADLINE not in exported_text(out)


def test_a_rendition_that_fails_is_recorded_and_the_round_goes_on(
    live: Desk, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with_picture(live, Image_jpeg(), "lost.jpg")
    # The archived original is gone: every rendition answers 500, every round.
    live.store.archive.path_for(hashlib.sha256(Image_jpeg()).hexdigest()).unlink()
    add_target(live, "cdn", "static", str(out))
    with delivering(live):
        assert wait_until(lambda: backlog(live) == 0, timeout=60)
    page = page_of(out)
    manifest = Manifest(out)
    failed = manifest.get("failed")
    manifest.close()
    assert failed and all(p.startswith("/media/") for p in failed)
    kill(live)
    with delivering(live):
        assert wait_until(lambda: backlog(live) == 0, timeout=60)
    assert b"withdrawn" in (out / (page.lstrip("/") + ".html")).read_bytes()
    assert HEADLINE not in exported_text(out)


def Image_jpeg() -> bytes:  # noqa: N802 - the same bytes each call
    out = io.BytesIO()
    Image.new("RGB", (700, 400), (10, 20, 30)).save(out, "JPEG", quality=80)
    return out.getvalue()


def test_a_rendition_that_cannot_be_made_is_tried_once(
    live: Desk, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six concurrent requests, and more after: one decode, then a remembered 404."""
    with_picture(live, Image_jpeg(), "damaged.jpg")
    calls: list[int] = []
    real = images._render

    def failing(data: bytes, width: int, extension: str) -> bytes:
        calls.append(width)
        real(data, width, extension)
        raise OSError("broken data stream")

    monkeypatch.setattr(images, "_render", failing)
    story = next(s for s in live.store.stories() if s.uri == "urn:s:bridge")
    with serving(create_app(config, live.store)) as base:
        page = httpx.get(f"{base}/{story.section}/{story.slug}").text
        url = base + page.split('srcset="', 1)[1].split(" ", 1)[0].replace(".jpg", ".webp")
        answers: list[int] = []
        threads = [
            threading.Thread(target=lambda: answers.append(httpx.get(url).status_code))
            for _ in range(6)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        answers.append(httpx.get(url + "?again").status_code)
    assert answers == [404] * 7
    assert len(calls) == 1


def test_exported_files_are_readable_by_the_web_server(live: Desk, tmp_path: Path) -> None:
    """Issue 24 #8: 0644 files and 0755 folders under the usual umask, not mkstemp's 0600."""
    import os
    import stat

    from wiredesk.deliver.export import Exporter

    live.receive(ninjs("urn:s:one", "A story.", headline="One"), source="india")
    previous = os.umask(0o022)
    try:
        exporter = Exporter(live, tmp_path / "out")
        try:
            exporter.full()
        finally:
            exporter.close()
    finally:
        os.umask(previous)
    public = [p for p in (tmp_path / "out").rglob("*") if ".wiredesk" not in p.parts]
    files = {stat.S_IMODE(p.stat().st_mode) for p in public if p.is_file()}
    folders = {stat.S_IMODE(p.stat().st_mode) for p in public if p.is_dir()}
    assert files == {0o644} and folders == {0o755}
