"""Alerts against a real SMTP server and a chat webhook on loopback: a failing source, a quiet
source (by its own cadence for that hour), a failing target each send exactly one alert and
one recovery on each channel; a flapping source sends no storm."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alertkit import Chat, Inbox, chat_webhook, smtp_server
from sqlalchemy import insert, update

from conftest import FakeClock
from wire import ninjs
from wiredesk import Desk
from wiredesk.alerts.cadence import quiet_threshold
from wiredesk.alerts.incidents import evaluate, recent
from wiredesk.config import AlertSettings, SourceConfig, TargetConfig
from wiredesk.store import sources, targets
from wiredesk.store.models import RawFile, Receipt, Source, Target

NOON = datetime(2026, 6, 29, 12, 0, tzinfo=UTC)


@pytest.fixture
def channels(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Inbox, Chat, AlertSettings]]:
    with smtp_server() as (inbox, port), chat_webhook() as chat:
        monkeypatch.setenv("ALERT_HOOK", chat.url)
        settings = AlertSettings(
            email_to=["desk@example.invalid"],
            email_from="wiredesk@example.invalid",
            smtp_host="127.0.0.1",
            smtp_port=port,
            webhook_url_env="ALERT_HOOK",
        )
        yield inbox, chat, settings


def run(desk: Desk, settings: AlertSettings) -> None:
    evaluate(desk.store, settings, desk.clock(), desk.config.tz)


def set_errors(desk: Desk, model: type[Source] | type[Target], name: str, errors: int) -> None:
    with desk.store.session() as session, session.begin():
        session.execute(update(model).where(model.name == name).values(consecutive_errors=errors))


def add_source(desk: Desk, name: str) -> None:
    with desk.store.session() as session, session.begin():
        sources.upsert(session, SourceConfig(name=name, transport="push"), desk.clock())


def history(desk: Desk, source: str, days: int = 28, end: datetime = NOON) -> None:
    """A wire that files every 2 minutes from 06:00 to 22:00 and every 50 minutes at night."""
    rows = []
    start = NOON - timedelta(days=days)
    moment = start.replace(hour=0)
    while moment < end - timedelta(minutes=5):
        rows.append(
            {
                "sha256": "0" * 64,
                "source": source,
                "filename": "",
                "received_at": moment,
                "outcome": "accepted",
                "detail": "",
                "landed_at": None,
            }
        )
        moment += timedelta(minutes=2 if 6 <= moment.hour < 22 else 50)
    with desk.store.session() as session, session.begin():
        if session.get(RawFile, "0" * 64) is None:
            session.add(RawFile(sha256="0" * 64, size=1, first_received_at=start))
            session.flush()
        session.execute(insert(Receipt), rows)


def test_a_failing_source_alerts_once_and_recovers_once(
    desk: Desk, clock: FakeClock, channels: tuple[Inbox, Chat, AlertSettings]
) -> None:
    inbox, chat, settings = channels
    clock.now = NOON
    add_source(desk, "pti")
    run(desk, settings)
    assert inbox.subjects() == [] and chat.texts == []
    set_errors(desk, Source, "pti", 3)
    for _ in range(5):
        run(desk, settings)
        clock.now += timedelta(minutes=1)
    assert inbox.subjects() == ["[wiredesk] ALERT: source failing: pti"]
    assert len(chat.texts) == 1 and "source failing" in chat.texts[0]
    set_errors(desk, Source, "pti", 0)
    run(desk, settings)
    assert len(inbox.subjects()) == 1, "no recovery until it has stayed clear"
    clock.now += timedelta(minutes=6)
    run(desk, settings)
    run(desk, settings)
    assert inbox.subjects()[1:] == ["[wiredesk] RECOVERED: source failing: pti"]
    assert len(chat.texts) == 2 and "RECOVERED" in chat.texts[1]
    [incident] = recent(desk.store)
    assert incident.closed_at is not None and incident.alert_error == ""


def test_a_flapping_source_sends_no_storm(
    desk: Desk, clock: FakeClock, channels: tuple[Inbox, Chat, AlertSettings]
) -> None:
    inbox, chat, settings = channels
    clock.now = NOON
    add_source(desk, "ians")
    for step in range(30):  # failing, fine, failing, fine ... for half an hour
        set_errors(desk, Source, "ians", 3 if step % 2 == 0 else 0)
        run(desk, settings)
        clock.now += timedelta(minutes=1)
    assert inbox.subjects() == ["[wiredesk] ALERT: source failing: ians"]
    clock.now += timedelta(minutes=10)
    run(desk, settings)
    assert inbox.subjects()[1:] == ["[wiredesk] RECOVERED: source failing: ians"]
    assert len(chat.texts) == 2


def test_a_quiet_source_by_its_own_cadence_for_the_hour(
    desk: Desk, clock: FakeClock, channels: tuple[Inbox, Chat, AlertSettings]
) -> None:
    inbox, chat, settings = channels
    add_source(desk, "pti")
    history(desk, "pti")
    # The history ends at 11:55: at 12:15 PTI has been silent 20 minutes at noon.
    clock.now = NOON + timedelta(minutes=15)
    run(desk, settings)
    assert inbox.subjects() == ["[wiredesk] ALERT: source quiet: pti"]
    body = inbox.messages[0].get_payload()
    assert re.search(r"no file for 2\d min; at this hour it usually files within 10 min", str(body))
    assert len(chat.texts) == 1
    # A file arrives: once clear for the recovery period, one recovery notice.
    with desk.store.session() as session, session.begin():
        session.execute(
            insert(Receipt),
            [
                {
                    "sha256": "0" * 64,
                    "source": "pti",
                    "filename": "",
                    "received_at": clock.now,
                    "outcome": "accepted",
                    "detail": "",
                    "landed_at": None,
                }
            ],
        )
    clock.now += timedelta(minutes=1)
    run(desk, settings)
    clock.now += timedelta(minutes=5)
    run(desk, settings)
    assert inbox.subjects()[1:] == ["[wiredesk] RECOVERED: source quiet: pti"]
    assert len(chat.texts) == 2


def test_twenty_silent_minutes_at_3am_send_nothing(
    desk: Desk, clock: FakeClock, channels: tuple[Inbox, Chat, AlertSettings]
) -> None:
    inbox, chat, settings = channels
    add_source(desk, "pti")
    three = NOON.replace(hour=3)
    history(desk, "pti", end=three)
    clock.now = three + timedelta(minutes=20)
    run(desk, settings)
    assert inbox.subjects() == [] and chat.texts == []


def test_silence_at_3am_is_not_quiet_for_a_wire_that_sleeps(desk: Desk) -> None:
    add_source(desk, "pti")
    history(desk, "pti")
    with desk.store.session() as session:
        from wiredesk.alerts.cadence import arrivals

        times = arrivals(session, "pti", NOON - timedelta(days=28))
    settings = AlertSettings()
    noon = quiet_threshold(times, 12, settings, desk.config.tz)
    night = quiet_threshold(times, 3, settings, desk.config.tz)
    assert noon is not None and night is not None
    assert noon == 10 * 60, "four times a two-minute gap is under the ten-minute floor"
    assert night == 4 * 50 * 60
    assert noon < 20 * 60 and night > 20 * 60


def test_a_failing_target_alerts_once_and_recovers_once(
    desk: Desk, clock: FakeClock, channels: tuple[Inbox, Chat, AlertSettings]
) -> None:
    inbox, chat, settings = channels
    with desk.store.session() as session, session.begin():
        targets.upsert(
            session,
            TargetConfig(name="cms", kind="webhook", location="http://127.0.0.1:9/hook"),
            clock(),
        )
    set_errors(desk, Target, "cms", 4)
    run(desk, settings)
    run(desk, settings)
    assert inbox.subjects() == ["[wiredesk] ALERT: target failing: cms"]
    set_errors(desk, Target, "cms", 0)
    clock.now += timedelta(minutes=6)
    run(desk, settings)
    assert inbox.subjects()[1:] == ["[wiredesk] RECOVERED: target failing: cms"]
    assert len(chat.texts) == 2


def test_a_quarantine_surge_a_target_behind_and_a_flash(
    desk: Desk, clock: FakeClock, channels: tuple[Inbox, Chat, AlertSettings]
) -> None:
    inbox, chat, settings = channels
    settings.flash = True
    for n in range(10):
        desk.receive(f"not a wire file {n}".encode(), source="pti", filename=f"bad{n}.txt")
    with desk.store.session() as session, session.begin():
        targets.upsert(
            session,
            TargetConfig(name="hook", kind="webhook", location="http://127.0.0.1:9/hook"),
            clock(),
        )
    flash = ninjs("urn:flash:1", "Delhi (PTI) Quake.", headline="Quake", urgency=1, agency="PTI")
    desk.receive(flash)
    run(desk, settings)
    assert sorted(inbox.subjects()) == [
        "[wiredesk] ALERT: quarantine surge: quarantine",
        "[wiredesk] FLASH from PTI: Quake",
    ]
    # Ten minutes on, the flash's outbox row for the target is still waiting: behind.
    clock.now += timedelta(minutes=10)
    run(desk, settings)
    subjects = inbox.subjects()
    assert subjects.count("[wiredesk] ALERT: target behind: hook") == 1
    assert sum("FLASH" in s for s in subjects) == 1, "a flash is announced once"
    # The surge is over (the window passed) and recovers once.
    clock.now += timedelta(minutes=20)
    run(desk, settings)
    run(desk, settings)
    assert inbox.subjects().count("[wiredesk] RECOVERED: quarantine surge: quarantine") == 1
    assert len(chat.texts) == len(inbox.subjects())
