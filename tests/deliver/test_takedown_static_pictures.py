"""A static export takes a taken-down story's pictures away (410) and brings them back (200)
on restore, as the live site does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from deliverkit import add_target, backlog, delivering, nginx_serving, wait_until

from picturekit import jpeg, ninjs_with_picture
from wiredesk import Desk, open_desk
from wiredesk.config import Config, SourceConfig
from wiredesk.desk import takedown
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.store import sources


@pytest.fixture
def live(config: Config) -> Iterator[Desk]:
    desk = open_desk(config)
    with desk.store.session() as session, session.begin():
        sources.upsert(session, SourceConfig(name="pti", section="india"), desk.clock())
    yield desk
    desk.store.close()


def test_pictures_follow_takedown_and_restore(live: Desk, tmp_path: Path) -> None:
    out = tmp_path / "out"
    live.receive(jpeg(900, 600), source="pti", filename="rain.jpg")
    story_id = live.receive(ninjs_with_picture("urn:tdp:1", "rain.jpg"), source="pti").stories[0]
    assert PictureWorker(live).drain() == 1
    add_target(live, "cdn", "static", str(out))
    with nginx_serving(out, tmp_path / "nginx") as cdn:
        with delivering(live):
            assert wait_until(lambda: backlog(live) == 0)
        media = sorted(
            "/" + str(p.relative_to(out)) for p in (out / "media").rglob("*") if p.is_file()
        )
        assert media
        assert {httpx.get(cdn + m).status_code for m in media} == {200}

        takedown.takedown(live, story_id, "court order")
        with delivering(live):
            assert wait_until(lambda: backlog(live) == 0)
        assert {httpx.get(cdn + m).status_code for m in media} == {410}

        takedown.restore(live, story_id)
        with delivering(live):
            assert wait_until(lambda: backlog(live) == 0)
        assert {httpx.get(cdn + m).status_code for m in media} == {200}
