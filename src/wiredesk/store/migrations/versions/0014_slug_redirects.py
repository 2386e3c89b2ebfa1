"""Addresses a story had before: each answers with a 301 to where the story is now.

Stories whose headline gave no Latin letters were published as `story-<digest>`; slugs now
keep every script (docs/urls.md), so those stories get their readable slug here and their old
address is kept as a redirect.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

from wiredesk.desk.publish import slugify

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_OPAQUE = re.compile(r"^story-[0-9a-f]{8}$")


def upgrade() -> None:
    op.create_table(
        "slug_redirects",
        sa.Column("old_slug", sa.String(length=200), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("old_slug"),
    )
    connection = op.get_bind()
    taken = {row[0] for row in connection.execute(sa.text("SELECT slug FROM stories"))}
    moves = []
    for story_id, slug, headline in connection.execute(
        sa.text("SELECT id, slug, headline FROM stories")
    ):
        if not _OPAQUE.match(slug):
            continue
        base = slugify(headline or "")
        new = f"{base}-{slug.rsplit('-', 1)[1]}" if base else ""
        if new and new not in taken:
            taken.add(new)
            moves.append({"id": story_id, "old": slug, "new": new})
    if moves:
        connection.execute(
            sa.text("INSERT INTO slug_redirects (old_slug, story_id) VALUES (:old, :id)"), moves
        )
        connection.execute(sa.text("UPDATE stories SET slug = :new WHERE id = :id"), moves)


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE stories SET slug = (SELECT old_slug FROM slug_redirects r "
            "WHERE r.story_id = stories.id) WHERE id IN (SELECT story_id FROM slug_redirects "
            "WHERE old_slug LIKE 'story-%')"
        )
    )
    op.drop_table("slug_redirects")
