from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wiredesk import Desk, open_desk
from wiredesk.config import Config

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WIREDESK_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "examples" / "seed-story.txt"
SAMPLES = SHARED / "samples"
FIXTURES = Path(__file__).parent / "fixtures"


class FakeClock:
    """A clock tests move by hand, so embargoes and ordering are exact."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(data_dir=tmp_path / "var", db_url=os.environ.get("WIREDESK_TEST_DB", ""))


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
