"""Pictures: agency pictures by uri, their links to stories, and picture files received.

Revision ID: 0009
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pictures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("pubstatus", sa.String(length=16), nullable=False),
        sa.Column("embargoed", sa.DateTime(), nullable=True),
        sa.Column("href", sa.Text(), nullable=False),
        sa.Column("local_name", sa.String(length=255), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("credit", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("contenttype", sa.String(length=100), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_expires", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["raw_files.sha256"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uri"),
    )
    with op.batch_alter_table("pictures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pictures_local_name"), ["local_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_pictures_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            "ix_pictures_status_next", ["status", "next_attempt_at"], unique=False
        )
    op.create_table(
        "story_pictures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_uri", sa.String(length=500), nullable=False),
        sa.Column("picture_uri", sa.String(length=500), nullable=False),
        sa.Column("origin", sa.String(length=500), nullable=False),
        sa.Column("origin_version", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("credit", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("story_pictures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_story_pictures_story_uri"), ["story_uri"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_story_pictures_picture_uri"), ["picture_uri"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_story_pictures_origin"), ["origin"], unique=False)
    op.create_table(
        "picture_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("stem", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["raw_files.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("picture_files", schema=None) as batch_op:
        batch_op.create_index("ix_picture_files_source_name", ["source", "name"], unique=False)
        batch_op.create_index("ix_picture_files_source_stem", ["source", "stem"], unique=False)


def downgrade() -> None:
    op.drop_table("picture_files")
    op.drop_table("story_pictures")
    op.drop_table("pictures")
