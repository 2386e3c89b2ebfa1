"""A kill reaches the static folder without waiting for a full export to finish."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from deliverkit import add_target, backlog
from sqlalchemy import select

from wire import ninjs
from wiredesk import Desk
from wiredesk.deliver import export
from wiredesk.deliver.export import STATE, Exporter, Interrupted, Rendered
from wiredesk.deliver.loop import Deliverer
from wiredesk.deliver.targets import TargetSpec
from wiredesk.deliver.targets.static import Static
from wiredesk.site.render import story_url
from wiredesk.store.models import OutboxRow, Story, Target

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def stories(desk: Desk, count: int) -> None:
    for n in range(count):
        desk.receive(
            ninjs(
                f"urn:f:{n}",
                f"Delhi, June 1 (PTI) Story {n}.\n\nSecond paragraph {n}.",
                headline=f"Full export story {n}",
                versioncreated=T0 + timedelta(minutes=n),
            )
        )


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith("pages.sqlite")
    }


def test_a_full_export_stopped_for_a_kill_resumes_and_equals_an_unstopped_one(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stories(desk, 8)
    monkeypatch.setattr(export, "INTERRUPT_SECONDS", 0, raising=False)
    asked: list[int] = []

    def interrupt() -> bool:
        asked.append(1)
        return len(asked) in (5, 9)  # stopped twice, a few pages in each time

    stopped = Exporter(desk, tmp_path / "stopped", interrupt=interrupt)
    for _ in range(2):
        with pytest.raises(Interrupted):
            stopped.full()
        assert not stopped.exported
    resumed = stopped.full()
    assert stopped.exported
    fresh = Exporter(desk, tmp_path / "fresh")
    everything = fresh.full()
    # Resumed, not started again: no page rendered twice.
    assert len(resumed.written) == len(everything.written)
    assert files(tmp_path / "stopped") == files(tmp_path / "fresh")
    stopped.close()
    fresh.close()


def test_a_kill_during_the_first_full_export_goes_out_before_it_ends(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    add_target(desk, "files", "static", str(root))
    stories(desk, 12)
    monkeypatch.setattr(export, "INTERRUPT_SECONDS", 0, raising=False)
    deliverer = Deliverer(desk, owner="test")
    with desk.store.session() as session:
        spec = TargetSpec.of(session.scalars(select(Target)).one())
        killed = session.scalars(select(Story).where(Story.uri == "urn:f:4")).one()
        url = story_url(killed)
    sender = deliverer.sender(spec)
    assert isinstance(sender, Static)
    render = sender.exporter._render
    rendered: list[str] = []

    async def kill_while_rendering(client: httpx.AsyncClient, path: str) -> Rendered:
        rendered.append(path)
        if len(rendered) == 3:  # the full export of the empty folder is under way
            desk.receive(
                ninjs("urn:f:4", "Kill.", version=2, pubstatus="canceled", versioncreated=T0)
            )
        return await render(client, path)

    monkeypatch.setattr(sender.exporter, "_render", kill_while_rendering)
    done_by_round: list[set[tuple[str, str]]] = []
    for _ in range(8):
        deliverer.round(spec)
        with desk.store.session() as session:
            done = session.execute(
                select(OutboxRow.story_uri, OutboxRow.action).where(OutboxRow.state == "done")
            ).all()
        done_by_round.append({(uri, action) for uri, action in done})
        if backlog(desk) == 0:
            break
    assert backlog(desk) == 0
    first = next(d for d in done_by_round if d)
    # The kill was acknowledged no later than the first story of the backlog.
    assert ("urn:f:4", "kill") in first, done_by_round
    assert (root / STATE / "gone" / (url.lstrip("/") + ".410")).exists()
    assert sender.exporter.exported
    live = (root / "index.html").read_text()
    assert "Full export story 11" in live and "Full export story 4" not in live
    sender.close()


def test_an_update_stopped_for_a_kill_resumes_with_the_changes_since(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stories(desk, 10)
    monkeypatch.setattr(export, "INTERRUPT_SECONDS", 0, raising=False)
    asked = [0]
    stop_at = [0]

    def interrupt() -> bool:
        asked[0] += 1
        return asked[0] == stop_at[0]

    exporter = Exporter(desk, tmp_path / "site", interrupt=interrupt)
    exporter.full()
    render = exporter._render
    rendered: list[str] = []

    async def recording(client: httpx.AsyncClient, path: str) -> Rendered:
        rendered.append(path)
        return await render(client, path)

    monkeypatch.setattr(exporter, "_render", recording)

    def update(n: int, version: int) -> int:
        desk.receive(
            ninjs(
                f"urn:f:{n}",
                f"Delhi, June 1 (PTI) Story {n}, take {version}.",
                headline=f"Full export story {n} take {version}",
                version=version,
                versioncreated=T0 + timedelta(hours=version, minutes=n),
            )
        )
        with desk.store.session() as session:
            return session.scalars(select(Story.id).where(Story.uri == f"urn:f:{n}")).one()

    changes = {100 + n: update(n, 2) for n in range(6)}
    asked[0], stop_at[0] = 0, 4  # a few pages in
    with pytest.raises(Interrupted):
        exporter.update(set(changes.values()), changes=changes)
    with desk.store.session() as session:
        done = [
            n
            for n in range(6)
            if story_url(session.scalars(select(Story).where(Story.uri == f"urn:f:{n}")).one())
            in rendered
        ]
    assert done, rendered
    # Meanwhile a story the stopped run already rendered changes again.
    changes[200] = update(done[0], 3)
    exporter.update(set(changes.values()), changes=changes)
    fresh = Exporter(desk, tmp_path / "fresh")
    fresh.full()
    assert files(tmp_path / "site") == files(tmp_path / "fresh")
    exporter.close()
    fresh.close()
