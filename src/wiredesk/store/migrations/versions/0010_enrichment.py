"""Derived facts: each story's places and quotations, and developing stories.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("geonameid", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("admin1", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("story_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_places_story_id"), ["story_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_story_places_geonameid"), ["geonameid"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_story_places_country_code"), ["country_code"], unique=False
        )
    op.create_table(
        "story_quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("first_paragraph", sa.Integer(), nullable=False),
        sa.Column("last_paragraph", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=False),
        sa.Column("speaker_slug", sa.String(length=200), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("story_quotes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_quotes_story_id"), ["story_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_story_quotes_speaker_slug"), ["speaker_slug"], unique=False
        )
    op.create_table(
        "developments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "story_developments",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("development_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["development_id"], ["developments.id"]),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"]),
        sa.PrimaryKeyConstraint("story_id"),
    )
    with op.batch_alter_table("story_developments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_story_developments_development_id"), ["development_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("story_developments")
    op.drop_table("developments")
    op.drop_table("story_quotes")
    op.drop_table("story_places")
