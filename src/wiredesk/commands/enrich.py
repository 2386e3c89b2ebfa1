"""`wiredesk enrich`: re-derive places, quotations and developments for every stored story.

For desks that existed before the feature, and after a gazetteer upgrade. Stories go in order of
publication, in batches, each its own transaction; places and quotations are replaced, so a run
twice ends where one run ends, and a story already in a development keeps it.
"""

from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import select

from wiredesk.commands.context import Context, pass_ctx
from wiredesk.enrich.enricher import derive
from wiredesk.store import visible
from wiredesk.store.models import Story

BATCH = 500


@click.command()
@click.option("--batch", "size", default=BATCH, show_default=True, help="Stories a transaction.")
@pass_ctx
def enrich(ctx: Context, size: int) -> None:
    """Re-derive places, quotations and developing stories for all visible stories."""
    with ctx.desk() as desk:
        window = timedelta(hours=desk.config.development_hours)
        with desk.store.session() as session:
            ids = list(
                session.scalars(
                    select(Story.id)
                    .where(visible(desk.clock()))
                    .order_by(Story.published_at, Story.id)
                )
            )
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            with desk.store.session() as session, session.begin():
                # The window is measured from the batch's own time, not today's.
                latest = session.scalar(select(Story.published_at).where(Story.id == chunk[-1]))
                derive(session, chunk, latest or desk.clock(), window)
        click.echo(f"enriched {len(ids)} stories")
