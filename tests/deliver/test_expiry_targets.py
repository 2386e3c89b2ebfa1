"""Licence expiry with a fake clock reaches every target: a real WordPress trashes the post,
a webhook receiver gets `expire`, and a static export served by nginx answers 410."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from deliverkit import add_target, backlog, delivering, nginx_serving, receiving, wait_until
from wpkit import Site, running_site

from conftest import FakeClock
from wire import ninjs
from wiredesk import Desk, open_desk
from wiredesk.config import Config, SourceConfig
from wiredesk.desk.runner import Runner
from wiredesk.store import sources

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
URI = "urn:exp:targets"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from running_site(tmp_path_factory)


@pytest.fixture
def live(config: Config, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    monkeypatch.setenv("HOOK_SECRET", "test-webhook-secret-6f1d")
    desk = open_desk(config)
    desk.clock = FakeClock(T0)
    with desk.store.session() as session, session.begin():
        pti = SourceConfig(name="pti", section="india", agency="PTI", options={"expire_days": 3})
        sources.upsert(session, pti, T0)
    yield desk
    desk.store.close()


def test_expiry_reaches_wordpress_webhook_and_static(
    live: Desk, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = live.clock
    assert isinstance(clock, FakeClock)
    monkeypatch.setenv("WP_APP_PASSWORD", site.app_password)
    out = tmp_path / "out"
    add_target(live, "cms", "wordpress", site.url, secret_env="WP_APP_PASSWORD", user=site.user)
    add_target(live, "cdn", "static", str(out))
    with receiving() as receiver, nginx_serving(out, tmp_path / "nginx") as cdn:
        add_target(live, "hook", "webhook", receiver.url, secret_env="HOOK_SECRET")
        with delivering(live, tick=0.05):
            live.receive(
                ninjs(
                    URI,
                    "Delhi, June 1 (PTI) Licensed words.",
                    headline="Licensed story",
                    firstcreated=T0.isoformat(),
                    versioncreated=T0,
                ),
                source="pti",
            )
            assert wait_until(lambda: backlog(live) == 0, timeout=60)
            [post] = site.posts_for(URI)
            story = live.store.stories()[0]
            page = f"{cdn}/india/{story.slug}"
            assert post["status"] == "publish" and httpx.get(page).status_code == 200

            clock.now = T0 + timedelta(days=2, hours=23)
            Runner(live).scheduled()
            assert live.store.story(story.id).state == "published"  # type: ignore[union-attr]
            clock.now = T0 + timedelta(days=3, minutes=1)
            Runner(live).scheduled()
            assert wait_until(lambda: backlog(live) == 0, timeout=60)

        assert site.posts_for(URI)[0]["status"] == "trash"
        assert [a for a, _ in receiver.actions(URI)] == ["publish", "expire"]
        [expired] = [d for d in receiver.received if d["action"] == "expire"]
        assert "body_text" not in expired and expired["state"] == "expired"
        gone = httpx.get(page)
        assert gone.status_code == 410 and "licence" in gone.text
        assert story.slug not in httpx.get(f"{cdn}/sitemap.xml").text
        assert "Licensed words" not in httpx.get(f"{cdn}/feed.rss").text
        assert "Licensed story" not in httpx.get(f"{cdn}/").text
