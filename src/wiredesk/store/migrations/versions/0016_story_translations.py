"""The same story in other languages, as files link them (hreflang on the site).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_story_translations_story_id"), "story_translations", ["story_id"], unique=False
    )
    op.create_index(op.f("ix_story_translations_uri"), "story_translations", ["uri"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_story_translations_uri"), table_name="story_translations")
    op.drop_index(op.f("ix_story_translations_story_id"), table_name="story_translations")
    op.drop_table("story_translations")
