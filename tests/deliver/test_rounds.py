"""A batched target's round: kills go out as a batch of their own before the backlog."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from deliverkit import add_target, backlog
from sqlalchemy import select

from wire import ninjs
from wiredesk import Desk
from wiredesk.deliver.loop import Deliverer
from wiredesk.deliver.payload import Delivery
from wiredesk.deliver.targets import TargetSpec
from wiredesk.store.models import Target

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


class Recorder:
    """A batched sender that only records what each batch held."""

    batched = True

    def __init__(self) -> None:
        self.batches: list[list[tuple[str, str]]] = []

    def send(self, delivery: Delivery) -> None:
        self.send_batch([delivery])

    def send_batch(self, deliveries: Sequence[Delivery]) -> None:
        self.batches.append([(d.uri, d.action) for d in deliveries])

    def idle(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_kill_goes_before_the_backlog_in_a_batch_of_its_own(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_target(desk, "files", "static", str(tmp_path / "site"))
    for n in range(20):
        desk.receive(ninjs(f"urn:b:{n}", f"Delhi, June 1 (PTI) Story {n}.", versioncreated=T0))
    desk.receive(ninjs("urn:b:3", "Kill.", version=2, pubstatus="canceled", versioncreated=T0))
    recorder = Recorder()
    deliverer = Deliverer(desk, owner="test")
    monkeypatch.setattr(deliverer, "sender", lambda spec: recorder)
    with desk.store.session() as session:
        spec = TargetSpec.of(session.scalars(select(Target)).one())
    result = deliverer.round(spec)
    assert recorder.batches[0] == [("urn:b:3", "kill")]
    assert len(recorder.batches) == 2
    # The killed story's earlier publish was superseded, never sent; the others all went.
    assert sorted(uri for uri, _ in recorder.batches[1]) == sorted(
        f"urn:b:{n}" for n in range(20) if n != 3
    )
    assert result.delivered == 20 and backlog(desk) == 0


def test_a_round_without_kills_is_one_batch(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_target(desk, "files", "static", str(tmp_path / "site"))
    for n in range(5):
        desk.receive(ninjs(f"urn:c:{n}", f"Delhi, June 1 (PTI) Story {n}.", versioncreated=T0))
    recorder = Recorder()
    deliverer = Deliverer(desk, owner="test")
    monkeypatch.setattr(deliverer, "sender", lambda spec: recorder)
    with desk.store.session() as session:
        spec = TargetSpec.of(session.scalars(select(Target)).one())
    deliverer.round(spec)
    assert [len(b) for b in recorder.batches] == [5]
    assert backlog(desk) == 0


class KillsMidRound(Recorder):
    """Records, and while the first batch is being sent, a kill arrives at the desk."""

    def __init__(self, desk: Desk, uri: str) -> None:
        super().__init__()
        self.desk, self.uri = desk, uri

    def send_batch(self, deliveries: Sequence[Delivery]) -> None:
        super().send_batch(deliveries)
        if len(self.batches) == 1:
            self.desk.receive(
                ninjs(self.uri, "Kill.", version=2, pubstatus="canceled", versioncreated=T0)
            )


def test_a_kill_queued_during_a_backlog_jumps_ahead_of_the_rest_of_it(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_target(desk, "files", "static", str(tmp_path / "site"), chunk=10)
    for n in range(35):
        desk.receive(ninjs(f"urn:k:{n}", f"Delhi, June 1 (PTI) Story {n}.", versioncreated=T0))
    recorder = KillsMidRound(desk, "urn:k:2")  # already sent in the first batch
    deliverer = Deliverer(desk, owner="test")
    monkeypatch.setattr(deliverer, "sender", lambda spec: recorder)
    with desk.store.session() as session:
        spec = TargetSpec.of(session.scalars(select(Target)).one())
    first = deliverer.round(spec)
    # A big round is cut into batches of `chunk` stories; the kill ends it after the first.
    assert [len(b) for b in recorder.batches] == [10] and first.more
    deliverer.round(spec)
    assert recorder.batches[1] == [("urn:k:2", "kill")]
    assert [len(b) for b in recorder.batches[2:]] == [10, 10, 5]
    assert backlog(desk) == 0
