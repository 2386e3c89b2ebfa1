from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from wiredesk import Desk, open_desk
from wiredesk.config import Config
from wiredesk.desk.changes import Change

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WIREDESK_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "examples" / "seed-story.txt"
SAMPLES = SHARED / "samples"
FIXTURES = Path(__file__).parent / "fixtures"
# The PostgreSQL half of the suite runs when this is set (.ci/run sets it) and skips otherwise.
PG_URL = os.environ.get("WIREDESK_TEST_PG", "")
# `make fuzz` runs the parser fuzz tests for minutes; CI keeps Hypothesis's short default.
settings.register_profile("fuzz", max_examples=20_000, deadline=None)
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
    settings.load_profile("fuzz")


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh schema per test, so tests (and xdist workers) never see each other's rows."""
    schema = "wd_" + uuid.uuid4().hex[:16]
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'wiredesk.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL: set WIREDESK_TEST_PG to run this half of the suite")
    with pg_schema() as url:
        yield url


class FakeClock:
    """A clock tests move by hand, so embargoes and ordering are exact."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class Heard:
    """A Desk listener that keeps every change it hears after commit, in order."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def in_transaction(self, session: Session, changes: Sequence[Change]) -> None:
        pass

    def after_commit(self, changes: Sequence[Change]) -> None:
        self.changes.extend(changes)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> Config:
    # Tests move the clock by hand, so pages must answer from the database at once.
    return Config(data_dir=tmp_path / "var", db_url=db_url, page_cache_seconds=0)


@pytest.fixture
def desk(config: Config, clock: FakeClock) -> Iterator[Desk]:
    desk = open_desk(config)
    desk.clock = clock
    yield desk
    desk.store.close()


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed story not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


def samples(folder: str) -> Path:
    path = SAMPLES / folder
    if not path.is_dir():
        pytest.skip(f"agency samples not found at {path}")
    return path


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, for the browser tests (browserkit.py)."""
    from browserkit import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()
