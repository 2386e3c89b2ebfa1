"""Listings in the agency's order, and each story's urgency for the breaking strip.

`listed_at` is the agency's time a story is shown with (its first publication, or its embargo
if later), never later than the moment it went live here; lists sort by it, so a story the
agency sent at 05:25 sits above one it sent at 05:10 whichever reached the desk first.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("urgency", sa.Integer(), nullable=True))
        batch_op.create_index("ix_stories_state_listed", ["state", "listed_at"], unique=False)
        batch_op.create_index("ix_stories_section_listed", ["section", "listed_at"], unique=False)
    agency_time = (
        "CASE WHEN embargoed IS NOT NULL AND embargoed > firstcreated"
        " THEN embargoed ELSE firstcreated END"
    )
    op.execute(
        "UPDATE stories SET listed_at = CASE"
        f" WHEN published_at IS NOT NULL AND published_at < {agency_time} THEN published_at"
        f" ELSE {agency_time} END"
    )


def downgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index("ix_stories_section_listed")
        batch_op.drop_index("ix_stories_state_listed")
        batch_op.drop_column("urgency")
        batch_op.drop_column("listed_at")
