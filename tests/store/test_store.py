from __future__ import annotations

import hashlib
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from wiredesk.store import Store
from wiredesk.store.archive import Archive
from wiredesk.store.db import alembic_config, make_engine, upgrade
from wiredesk.store.models import Base, outside_the_models


def test_archive_is_content_addressed_and_exact(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    data = b"\x00\x01 raw \xff bytes"
    sha = archive.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert archive.path_for(sha) == tmp_path / sha[:2] / sha[2:4] / sha
    assert archive.get(sha) == data and sha in archive
    assert archive.put(data) == sha
    assert not list(tmp_path.rglob(".incoming-*"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4096))
def test_archive_round_trips_any_bytes(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        archive = Archive(Path(folder))
        assert archive.get(archive.put(data)) == data


def test_sqlite_runs_in_wal_mode_under_var(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'var' / 'wd.db'}", tmp_path / "archive")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert (tmp_path / "var" / "wd.db").exists()
    store.close()


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": lambda name, *_: not outside_the_models(name)}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_opening_twice_is_an_idempotent_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    Store(url, tmp_path / "a").close()
    store = Store(url, tmp_path / "a")
    head = ScriptDirectory.from_config(alembic_config(store.engine)).get_current_head()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    store.close()
