"""The change record: every reader-visible move of a story is heard once, and only once committed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from conftest import FakeClock
from wire import ninjs
from wiredesk import Desk
from wiredesk.desk.changes import Change
from wiredesk.desk.rules import load_rules
from wiredesk.store.models import AuditEntry, Story

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


class Recorder:
    def __init__(self) -> None:
        self.inside: list[tuple[str, str]] = []
        self.committed: list[tuple[str, str]] = []
        self.audit_rows_seen: list[int] = []

    def in_transaction(self, session: Session, changes: Sequence[Change]) -> None:
        self.inside += [(c.action, c.version) for c in changes]
        # The listener works inside the desk's own transaction: its rows are visible here.
        self.audit_rows_seen.append(session.query(AuditEntry).count())

    def after_commit(self, changes: Sequence[Change]) -> None:
        self.committed += [(c.action, c.version) for c in changes]


@pytest.fixture
def heard(desk: Desk) -> Recorder:
    recorder = Recorder()
    desk.listeners.append(recorder)
    return recorder


def test_publish_update_correction_and_kill_are_heard_in_order(
    desk: Desk, heard: Recorder, clock: FakeClock
) -> None:
    desk.receive(ninjs("urn:c", "First.", versioncreated=T0))
    desk.receive(ninjs("urn:c", "Second.", version=2, versioncreated=T0 + timedelta(minutes=1)))
    desk.receive(
        ninjs(
            "urn:c",
            "Third.",
            version=3,
            versioncreated=T0 + timedelta(minutes=2),
            ednote="This corrects the spelling of a name.",
        )
    )
    desk.receive(
        ninjs(
            "urn:c",
            "Kill.",
            version=4,
            pubstatus="canceled",
            versioncreated=T0 + timedelta(minutes=3),
        )
    )
    assert heard.committed == [("publish", "1"), ("update", "2"), ("update", "3"), ("kill", "4")]
    assert heard.inside == heard.committed
    assert all(n > 0 for n in heard.audit_rows_seen)


def test_a_correction_is_flagged(desk: Desk) -> None:
    seen: list[Change] = []

    class Keep(Recorder):
        def after_commit(self, changes: Sequence[Change]) -> None:
            seen.extend(changes)

    desk.listeners.append(Keep())
    desk.receive(ninjs("urn:f", "One.", versioncreated=T0))
    desk.receive(
        ninjs(
            "urn:f",
            "Two.",
            version=2,
            versioncreated=T0 + timedelta(minutes=1),
            ednote="Corrects a figure.",
        )
    )
    assert [c.correction for c in seen] == [False, True]


def test_nothing_is_heard_for_what_readers_never_see(desk: Desk, heard: Recorder) -> None:
    data = ninjs("urn:n", "Text.", versioncreated=T0)
    desk.receive(data)
    desk.receive(data)  # the same file
    desk.receive(ninjs("urn:n", "Text.", versioncreated=T0, headline="other bytes"))  # same version
    desk.receive(ninjs("urn:n", "Old.", version=0, versioncreated=T0 - timedelta(hours=1)))  # stale
    desk.receive(b"<nitf><broken")  # quarantined
    assert heard.committed == [("publish", "1")]


def test_an_embargo_is_heard_when_it_lifts_not_when_it_arrives(
    desk: Desk, heard: Recorder, clock: FakeClock
) -> None:
    desk.receive(
        ninjs("urn:e", "Later.", versioncreated=T0, embargoed=clock.now + timedelta(hours=1))
    )
    assert desk.release_due() == 0
    assert heard.committed == []
    clock.now += timedelta(hours=1)
    assert desk.release_due() == 1
    assert heard.committed == [("publish", "1")]


def test_withheld_unpublishes_and_a_released_hold_publishes(desk: Desk, heard: Recorder) -> None:
    desk.receive(ninjs("urn:w", "Live.", versioncreated=T0))
    desk.receive(
        ninjs(
            "urn:w",
            "Held back.",
            version=2,
            pubstatus="withheld",
            versioncreated=T0 + timedelta(minutes=1),
        )
    )
    assert heard.committed == [("publish", "1"), ("unpublish", "2")]

    desk.lifecycle.config.rules = load_rules(
        [{"name": "hold all", "keyword": ["hold-me"], "action": "hold"}]
    )
    outcome = desk.receive(ninjs("urn:h", "Please hold-me now.", versioncreated=T0))
    assert heard.committed[-1] == ("unpublish", "2")
    desk.release(outcome.stories[0])
    assert heard.committed[-1] == ("publish", "1")


def test_a_rolled_back_transaction_is_never_heard_after_commit(desk: Desk, heard: Recorder) -> None:
    class Boom(Exception):
        pass

    class Failing(Recorder):
        def in_transaction(self, session: Session, changes: Sequence[Change]) -> None:
            raise Boom

    desk.listeners.insert(0, Failing())
    with pytest.raises(Boom):
        desk.receive(ninjs("urn:r", "Text.", versioncreated=T0))
    assert heard.committed == []
    assert desk.store.count(Story) == 0
