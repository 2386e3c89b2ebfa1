"""Licence expiry with a fake clock: past expire_days a story answers 410 with an expiry
notice, leaves every listing, feed and sitemap, keeps its raw file, and the targets hear it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FakeClock, Heard
from sitekit import site_client, url
from wire import ninjs
from wiredesk import Desk, open_desk
from wiredesk.cli import main
from wiredesk.config import AgencySettings, Config, SourceConfig, load
from wiredesk.desk.expiry import expire_due
from wiredesk.desk.runner import Runner
from wiredesk.exceptions import ConfigError
from wiredesk.store import sources

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
OUTPUTS = (
    "/",
    "/india/",
    "/feed.rss",
    "/feed.atom",
    "/india/feed.rss",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/api/latest.json",
)


@pytest.fixture
def licensed(config: Config, clock: FakeClock) -> Desk:
    config.agencies = {"IANS": AgencySettings(expire_days=7)}
    desk = open_desk(config)
    desk.clock = clock
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session,
            SourceConfig(name="pti", agency="PTI", section="india", options={"expire_days": 2}),
            T0,
        )
        sources.upsert(session, SourceConfig(name="ians", agency="IANS", section="india"), T0)
        # An IANS feed with its own, longer licence: the source's setting wins.
        sources.upsert(
            session,
            SourceConfig(
                name="ians-long", agency="IANS", section="india", options={"expire_days": 30}
            ),
            T0,
        )
        sources.upsert(session, SourceConfig(name="ap", agency="AP", section="india"), T0)
    return desk


def send(desk: Desk, source: str, n: int, first: datetime) -> int:
    outcome = desk.receive(
        ninjs(
            f"urn:{source}:{n}",
            f"Delhi (PTI) Story zq{source}{n} text.",
            headline=f"{source} story {n}",
            firstcreated=first.isoformat(),
            versioncreated=first,
        ),
        source=source,
    )
    return outcome.stories[0]


def test_stories_past_their_licence_leave_every_output(licensed: Desk, clock: FakeClock) -> None:
    heard = Heard()
    licensed.listeners.append(heard)
    pti = send(licensed, "pti", 1, T0)
    ians = send(licensed, "ians", 1, T0)
    long = send(licensed, "ians-long", 1, T0)
    ap = send(licensed, "ap", 1, T0)
    assert expire_due(licensed, dry_run=True) == []

    clock.now = T0 + timedelta(days=2, seconds=1)
    assert [d.story_id for d in expire_due(licensed, dry_run=True)] == [pti]
    assert licensed.store.story(pti).state == "published"  # type: ignore[union-attr]
    # The runner's scheduler tick expires it.
    Runner(licensed).scheduled()
    story = licensed.store.story(pti)
    assert story is not None and story.state == "expired"
    still = licensed.store.story(ians)
    assert still is not None
    with site_client(licensed) as client:
        page = client.get(url(story))
        assert page.status_code == 410 and "licence" in page.text
        assert "removed by the publisher" not in page.text and "zqpti1" not in page.text
        for suffix in (".txt", ".json", "/history", "/raw"):
            assert client.get(url(story) + suffix).status_code == 410
        for where in OUTPUTS:
            text = client.get(where).text
            assert url(story) not in text and "zqpti1" not in text, where
            # (The news sitemap lists only the last two days anyway.)
            assert url(still) in text or where == "/news-sitemap.xml", where
    # The raw file stays in the archive, the versions in the database.
    [version] = licensed.store.versions(story)
    assert version.sha256 in licensed.store.archive

    clock.now = T0 + timedelta(days=7, seconds=1)
    assert [d.story_id for d in expire_due(licensed)] == [ians]
    clock.now = T0 + timedelta(days=400)
    assert [d.story_id for d in expire_due(licensed)] == [long]
    assert licensed.store.story(ap).state == "published"  # type: ignore[union-attr]
    expired = [c.story_id for c in heard.changes if c.action == "expire"]
    assert expired == [pti, ians, long]
    # An update to an expired story is kept, never shown: age is not reset by an update.
    licensed.receive(
        ninjs("urn:pti:1", "Delhi (PTI) Later.", version=2, firstcreated=T0.isoformat()),
        source="pti",
    )
    assert licensed.store.story(pti).state == "expired"  # type: ignore[union-attr]


def test_config_and_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "wiredesk.toml"
    toml.write_text(
        '[agencies.PTI]\nexpire_days = 30\n[[sources]]\nname = "pti"\nagency = "PTI"\n'
        "expire_days = 2\n"
    )
    config = load(toml)
    assert config.agencies["PTI"].expire_days == 30
    assert config.sources["pti"].expire_days == 2
    toml.write_text('[[sources]]\nname = "pti"\nexpire_days = 0\n')
    with pytest.raises(ConfigError, match="expire_days must be a positive number"):
        load(toml)
    toml.write_text("[agencies.PTI]\nexpire_dayz = 3\n")
    with pytest.raises(ConfigError, match="unknown keys"):
        load(toml)

    toml.write_text('[[sources]]\nname = "pti"\nagency = "PTI"\nexpire_days = 2\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    old = tmp_path / "old.json"
    old.write_bytes(
        ninjs(
            "urn:old", "Delhi (PTI) Old.", headline="Old one", firstcreated="2020-01-01T00:00:00Z"
        )
    )
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--source", "pti", str(old)]).exit_code == 0
    out = runner.invoke(main, ["expire", "--dry-run"])
    assert out.exit_code == 0 and "would expire" in out.output and "Old one" in out.output
    assert "1 would expire" in out.output
    out = runner.invoke(main, ["expire"])
    assert "1 expired" in out.output
    assert "0 would expire" in runner.invoke(main, ["expire", "--dry-run"]).output
