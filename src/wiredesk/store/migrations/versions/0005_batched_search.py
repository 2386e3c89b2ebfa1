"""Full-text search (SQLite FTS5; PostgreSQL tsvector with GIN) and the page-change log.

SQLite: an external-content FTS5 table over stories(headline, body), kept by triggers in the
same transaction as the story. PostgreSQL: a stored generated tsvector column ('simple'
configuration, headline weighted A, body B) with a GIN index. Both index the first 100,000
characters of the body. page_changes tells every `serve` which cached pages to drop.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0008"
branch_labels = None
depends_on = None

BODY = 100_000  # models.SEARCH_BODY_CHARS, fixed here as this revision wrote it

SQLITE = [
    "CREATE VIRTUAL TABLE stories_fts USING fts5(headline, body, content='stories', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO stories_fts(rowid, headline, body) "
    f"SELECT id, headline, substr(body_text, 1, {BODY}) FROM stories",
    f"""CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
        INSERT INTO stories_fts(rowid, headline, body)
        VALUES (new.id, new.headline, substr(new.body_text, 1, {BODY}));
    END""",
    f"""CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
        INSERT INTO stories_fts(stories_fts, rowid, headline, body)
        VALUES ('delete', old.id, old.headline, substr(old.body_text, 1, {BODY}));
    END""",
    f"""CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, body_text ON stories BEGIN
        INSERT INTO stories_fts(stories_fts, rowid, headline, body)
        VALUES ('delete', old.id, old.headline, substr(old.body_text, 1, {BODY}));
        INSERT INTO stories_fts(rowid, headline, body)
        VALUES (new.id, new.headline, substr(new.body_text, 1, {BODY}));
    END""",
]
POSTGRESQL = [
    "ALTER TABLE stories ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', headline), 'A') || "
    f"setweight(to_tsvector('simple', left(body_text, {BODY})), 'B')) STORED",
    "CREATE INDEX ix_stories_search ON stories USING gin (search_vector)",
]


def upgrade() -> None:
    op.create_table(
        "page_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("lifts_at", sa.DateTime(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    dialect = op.get_bind().dialect.name
    for statement in (
        SQLITE if dialect == "sqlite" else POSTGRESQL if dialect == "postgresql" else []
    ):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER stories_fts_{trigger}")
        op.execute("DROP TABLE stories_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX ix_stories_search")
        op.execute("ALTER TABLE stories DROP COLUMN search_vector")
    op.drop_table("page_changes")
