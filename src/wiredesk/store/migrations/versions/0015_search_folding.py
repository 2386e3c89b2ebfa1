"""Search that matches a word however its Unicode is written (docs/search in README).

Both engines index the folded text (wiredesk.scripts.fold: NFC, nukta, ZWJ/ZWNJ, harakat,
Devanagari यी/ये, Arabic yeh/kaf), and the query is folded the same way:

- SQLite: the FTS5 table is rebuilt with the scripts' combining marks as token characters
  (unicode61 would otherwise split "कहा" into "कह" at its vowel sign) and triggers that index
  `wiredesk_fold(...)`, a deterministic function every connection registers (store.db).
- PostgreSQL: the generated tsvector folds in SQL with normalize(NFC), translate and
  regexp_replace, all immutable.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from alembic import op

from wiredesk.scripts import SQL_FOLD_DROP, SQL_FOLD_FROM, SQL_FOLD_TO, word_marks

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

BODY = 100_000  # models.SEARCH_BODY_CHARS, fixed here as this revision wrote it


def _sqlite(fold: str) -> list[str]:
    tokenize = (
        f"unicode61 remove_diacritics 2 tokenchars '{word_marks()}'"
        if fold
        else ("unicode61 remove_diacritics 2")
    )

    def f(expr: str) -> str:
        return f"{fold}({expr})" if fold else expr

    return [
        f"CREATE VIRTUAL TABLE stories_fts USING fts5(headline, body, content='stories', "
        f"content_rowid='id', tokenize=\"{tokenize}\")",
        f"INSERT INTO stories_fts(rowid, headline, body) "
        f"SELECT id, {f('headline')}, {f(f'substr(body_text, 1, {BODY})')} FROM stories",
        f"""CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
            INSERT INTO stories_fts(rowid, headline, body)
            VALUES (new.id, {f("new.headline")}, {f(f"substr(new.body_text, 1, {BODY})")});
        END""",
        f"""CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
            INSERT INTO stories_fts(stories_fts, rowid, headline, body)
            VALUES ('delete', old.id, {f("old.headline")}, {f(f"substr(old.body_text, 1, {BODY})")});
        END""",
        f"""CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, body_text ON stories BEGIN
            INSERT INTO stories_fts(stories_fts, rowid, headline, body)
            VALUES ('delete', old.id, {f("old.headline")}, {f(f"substr(old.body_text, 1, {BODY})")});
            INSERT INTO stories_fts(rowid, headline, body)
            VALUES (new.id, {f("new.headline")}, {f(f"substr(new.body_text, 1, {BODY})")});
        END""",
    ]


def _pg_fold(expr: str) -> str:
    translated = (
        f"translate(normalize({expr}, NFC), '{SQL_FOLD_FROM}{SQL_FOLD_DROP}', '{SQL_FOLD_TO}')"
    )
    ya = f"regexp_replace({translated}, '([\u0900-\u0963])\u092f\u0940', '\\1\u0908', 'g')"
    return f"regexp_replace({ya}, '([\u0900-\u0963])\u092f\u0947', '\\1\u090f', 'g')"


def _postgresql(folded: bool) -> list[str]:
    def f(expr: str) -> str:
        return _pg_fold(expr) if folded else expr

    return [
        "ALTER TABLE stories DROP COLUMN search_vector",
        "ALTER TABLE stories ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('simple', {f('headline')}), 'A') || "
        f"setweight(to_tsvector('simple', {f(f'left(body_text, {BODY})')}), 'B')) STORED",
        "CREATE INDEX ix_stories_search ON stories USING gin (search_vector)",
    ]


def _run(folded: bool) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER stories_fts_{trigger}")
        op.execute("DROP TABLE stories_fts")
        for statement in _sqlite("wiredesk_fold" if folded else ""):
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in _postgresql(folded):
            op.execute(statement)


def upgrade() -> None:
    _run(folded=True)


def downgrade() -> None:
    _run(folded=False)
