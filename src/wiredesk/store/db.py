"""Opening the database: SQLite in WAL mode by default, any SQLAlchemy URL otherwise.

The schema is always brought to head with Alembic, never with create_all, so a database made
by one release is upgraded in place by the next.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from wiredesk.scripts import fold

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.*)$", re.MULTILINE)


def _fold_or_null(value: str | None) -> str | None:
    return fold(value) if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The search index's triggers fold the text they index (migration 0015_search_folding).
    dbapi_connection.create_function("wiredesk_fold", 1, _fold_or_null, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1] if "///" in url else ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # configparser reads % as interpolation; a URL may carry %-escapes (search_path options).
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def head_revisions() -> set[str] | None:
    """The heads of the migration scripts, read from their `revision =` lines without
    importing Alembic or the scripts; None when a script does not say plainly."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(
            (key, re.findall(r"[\"']([^\"']+)[\"']", value))
            for key, value in _REVISION.findall(script.read_text(encoding="utf-8"))
        )
        if len(found.get("revision", [])) != 1 or "down_revision" not in found:
            return None
        revisions.update(found["revision"])
        parents.update(found["down_revision"])
    return revisions - parents or None


def at_head(engine: Engine) -> bool:
    """Whether the database already carries every migration: then opening it needs no
    Alembic at all (a one-file `wiredesk ingest` would otherwise pay for loading it)."""
    heads = head_revisions()
    if heads is None:
        return False
    try:
        with engine.connect() as connection:
            stamped = {
                row[0]
                for row in connection.execute(text("SELECT version_num FROM alembic_version"))
            }
    except DBAPIError:
        return False  # no alembic_version table yet: a new database
    return stamped == heads


def upgrade(engine: Engine) -> None:
    if at_head(engine):
        return
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(url)
    upgrade(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
