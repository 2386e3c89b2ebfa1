"""Story lifecycle: revisions, kills, hold reasons, tags, duplicates and clusters.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revised_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("killed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("tags", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("text_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("duplicate_of", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("minhash", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("body_text", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_stories_text_hash"), ["text_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_stories_cluster_id"), ["cluster_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stories_cluster_id"))
        batch_op.drop_index(batch_op.f("ix_stories_text_hash"))
        for column in (
            "minhash",
            "cluster_id",
            "duplicate_of",
            "text_hash",
            "tags",
            "reason",
            "killed_at",
            "revised_at",
        ):
            batch_op.drop_column(column)
