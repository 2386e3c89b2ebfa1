"""An incremental static round renders the pages a change touches, not the whole site."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from wire import ninjs
from wiredesk import Desk
from wiredesk.deliver.export import Exporter
from wiredesk.store.models import Story

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def test_one_story_changed_does_not_re_render_every_page(desk: Desk, tmp_path: Path) -> None:
    for n in range(12):
        desk.receive(
            ninjs(
                f"urn:r:{n}",
                f"Delhi, June 1 (PTI) Story {n}.\n\nSecond paragraph {n}.",
                headline=f"Story number {n}",
                versioncreated=T0 + timedelta(minutes=n),
            )
        )
    exporter = Exporter(desk, tmp_path / "site")
    everything = exporter.full()
    desk.receive(
        ninjs("urn:r:5", "Updated text.", headline="Story number 5", version=2,
              versioncreated=T0 + timedelta(hours=1))
    )  # fmt: skip
    with desk.store.session() as session:
        changed = session.scalar(select(Story.id).where(Story.uri == "urn:r:5"))
    assert changed is not None
    result = exporter.update([changed])
    rendered = len(result.written) + result.unchanged
    pages = len(everything.written)
    # Every page links to the home page and the style sheet; following those links back made
    # each round render all of them. The other eleven stories' pages are not touched.
    assert rendered < pages // 2, (rendered, pages)
    assert any(path.startswith("/") and "story-number-5" in path for path in result.written)
    exporter.close()
