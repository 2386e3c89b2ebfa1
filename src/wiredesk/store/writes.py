"""The batched write path: a batch's lookups, one query each, and its rows, one statement a table.

The desk decides a whole batch in memory and hands the rows here. Ids are drawn before deciding
(a block from PostgreSQL's sequences; SQLite's next rowids, safe because the batch already holds
the write lock), so versions, audit entries and changes can name their stories without a flush.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wiredesk.store.models import (
    AuditEntry,
    Base,
    Picture,
    PictureFile,
    Quarantine,
    RawFile,
    Receipt,
    Story,
    StoryPicture,
    Version,
)

STORY_COLUMNS = tuple(c.key for c in Story.__table__.columns)
PICTURE_COLUMNS = tuple(c.key for c in Picture.__table__.columns)
M = TypeVar("M", bound=Base)
# SQLite allows 32,766 bound parameters per statement; keep IN lists well below.
_CHUNK = 500


@dataclass
class Rows:
    """Every row one batch writes, by table, in arrival order.

    `write()` sends each list as one bulk statement, in an order the foreign keys accept. A
    table that hangs off a version gets a list here and one line in `write()`.
    """

    stories_new: list[dict[str, Any]] = field(default_factory=list)
    stories_changed: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    # Pictures (desk/media.py): rows new and changed, links made and ids of links dropped,
    # and picture files received.
    pictures_new: list[dict[str, Any]] = field(default_factory=list)
    pictures_changed: list[dict[str, Any]] = field(default_factory=list)
    picture_links_new: list[dict[str, Any]] = field(default_factory=list)
    picture_links_gone: list[int] = field(default_factory=list)
    picture_files: list[dict[str, Any]] = field(default_factory=list)


def write(session: Session, rows: Rows) -> None:
    for chunk in _chunks(rows.picture_links_gone):
        session.execute(delete(StoryPicture).where(StoryPicture.id.in_(chunk)))
    for model, batch in (
        (Story, rows.stories_new),
        (Version, rows.versions),
        (Picture, rows.pictures_new),
        (StoryPicture, rows.picture_links_new),
        (PictureFile, rows.picture_files),
        (Quarantine, rows.quarantine),
        (AuditEntry, rows.audit),
        (Receipt, rows.receipts),
    ):
        if batch:
            # Core executemany on the table: no ORM unit of work, no objects.
            session.execute(insert(table_of(model)), batch)
    # ORM bulk UPDATE by primary key: rows with the same changed columns share a statement.
    if rows.stories_changed:
        session.execute(update(Story), rows.stories_changed)
    if rows.pictures_changed:
        session.execute(update(Picture), rows.pictures_changed)


def table_of(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def claim_files(session: Session, files: Sequence[tuple[str, int, datetime]]) -> set[str]:
    """Record new raw files; return the sha256s that were new (the rest were received before).

    The first statement of a batch is this write, so SQLite takes its write lock at once and
    the snapshot the batch reads is never older than the lock; on PostgreSQL a file another
    worker is storing at this moment waits for that transaction and then counts as received.
    """
    if not files:
        return set()
    values = [{"sha256": sha, "size": size, "first_received_at": at} for sha, size, at in files]
    dialect = session.get_bind().dialect.name
    stmt = postgresql.insert(RawFile) if dialect == "postgresql" else sqlite.insert(RawFile)
    new: set[str] = set()
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        query = stmt.values(chunk).on_conflict_do_nothing().returning(RawFile.sha256)
        new.update(session.scalars(query))
    return new


def known_files(session: Session, shas: Collection[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(shas):
        found.update(session.scalars(select(RawFile.sha256).where(RawFile.sha256.in_(chunk))))
    return found


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = list(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def rows_where(
    session: Session, model: type[M], column: Any, values: Collection[Any], lock: bool = False
) -> list[M]:
    """The rows whose `column` is one of `values`, as plain objects never attached to the
    session: the batch changes them in memory and writes them back in bulk."""
    found: list[M] = []
    table = table_of(model)
    for chunk in _chunks(values):
        query = select(table).where(column.in_(chunk)).order_by(table.c.id)
        if lock and session.get_bind().dialect.name == "postgresql":
            # Two workers deciding about one row at once would overwrite each other.
            query = query.with_for_update()
        found += [model(**row._mapping) for row in session.execute(query)]
    return found


def stories_by_uri(session: Session, uris: Collection[str]) -> list[Story]:
    return rows_where(session, Story, Story.uri, uris, lock=True)


def stories_by_id(session: Session, ids: Collection[int]) -> list[Story]:
    return rows_where(session, Story, Story.id, ids, lock=True)


def known_versions(session: Session, story_ids: Collection[int]) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for chunk in _chunks(story_ids):
        query = select(Version.story_id, Version.version).where(Version.story_id.in_(chunk))
        found.update((sid, version) for sid, version in session.execute(query))
    return found


def same_text(session: Session, hashes: Collection[str]) -> list[tuple[int, str, str]]:
    """(id, text_hash, agency) of every story whose current text has one of these hashes."""
    found: list[tuple[int, str, str]] = []
    for chunk in _chunks(hashes):
        query = select(Story.id, Story.text_hash, Story.agency).where(Story.text_hash.in_(chunk))
        found += [(sid, h, agency) for sid, h, agency in session.execute(query)]
    return found


def recent_signatures(session: Session, since: datetime) -> list[tuple[int, list[int], datetime]]:
    query = (
        select(Story.id, Story.minhash, Story.updated_at)
        .where(Story.minhash.is_not(None), Story.updated_at >= since)
        .order_by(Story.updated_at, Story.id)
    )
    return [(sid, sig, at) for sid, sig, at in session.execute(query) if sig]


def allocate_ids(session: Session, model: type[Story] | type[Version], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, ascending."""
    if count <= 0:
        return []
    table = model.__tablename__
    if session.get_bind().dialect.name == "postgresql":
        query = text(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
            "FROM generate_series(1, :n) ORDER BY 1"
        )
        return [int(i) for i in session.scalars(query, {"n": count})]
    # SQLite: the batch holds the write lock (see claim_files), so no one else takes these.
    top = int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0)
    return list(range(top + 1, top + 1 + count))


def row_of(obj: Base, columns: Sequence[str]) -> dict[str, Any]:
    return {key: getattr(obj, key) for key in columns}


def story_row(story: Story) -> dict[str, Any]:
    return row_of(story, STORY_COLUMNS)


def new_row(obj: Base) -> dict[str, Any]:
    """A new row for a bulk INSERT: every column but an id the database is to assign."""
    row = {c.key: getattr(obj, c.key) for c in table_of(type(obj)).columns}
    if row.get("id") is None:
        row.pop("id", None)
    return row


def changed_columns(
    before: dict[str, Any], obj: Story | Picture, columns: Sequence[str] = STORY_COLUMNS
) -> dict[str, Any] | None:
    """The row's columns that differ from `before`, with its id; None when nothing did."""
    row = {key: value for key, value in row_of(obj, columns).items() if before.get(key) != value}
    if not row:
        return None
    row["id"] = obj.id
    return row
