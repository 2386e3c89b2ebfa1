"""Each story's language (BCP 47), for lang and dir on pages and feeds and the news sitemap.

Existing stories get their current version's language field, else the one detected from their
script (wiredesk.scripts, as the desk does for new ones).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from wiredesk.scripts import detect_language, primary_tag

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (copy) would lose the search triggers on SQLite.
    op.add_column(
        "stories", sa.Column("language", sa.String(length=35), nullable=False, server_default="")
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT s.id, s.headline, s.body_text, v.item FROM stories s "
            "LEFT JOIN versions v ON v.id = s.current_version_id"
        )
    )
    updates = []
    for story_id, headline, body, item in rows:
        data = json.loads(item) if isinstance(item, str) else item or {}
        tag = primary_tag(str(data.get("language") or "")) or detect_language(
            f"{headline or ''}\n{body or ''}"
        )
        if tag:
            updates.append({"id": story_id, "language": tag})
    if updates:
        connection.execute(
            sa.text("UPDATE stories SET language = :language WHERE id = :id"), updates
        )


def downgrade() -> None:
    op.drop_column("stories", "language")
