"""`wiredesk hold` and `wiredesk audit`: the desk's decisions, and the ones left to a person."""

from __future__ import annotations

import json

import click

from wiredesk.commands.context import Context, pass_ctx


@click.group()
def hold() -> None:
    """The hold queue: stories a rule or a free-text embargo kept back for a person."""


@hold.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def hold_list(ctx: Context, as_json: bool) -> None:
    """Held stories, oldest first, with why each is held."""
    with ctx.desk() as desk:
        rows = [
            {"id": s.id, "headline": s.headline, "agency": s.agency, "reason": s.reason}
            for s in desk.store.held()
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['id']:>6}  {row['headline']}  [{row['reason']}]")
    if not rows:
        click.echo("nothing is held")


def _hold_decision(ctx: Context, story_ids: tuple[int, ...], release: bool) -> None:
    with ctx.desk() as desk:
        for story_id in story_ids:
            story = desk.release(story_id) if release else desk.drop(story_id)
            click.echo(f"{story.id}: {story.state}")


@hold.command("release")
@click.argument("story_ids", nargs=-1, type=int, required=True)
@pass_ctx
def hold_release(ctx: Context, story_ids: tuple[int, ...]) -> None:
    """Publish held stories now (or at their embargo time)."""
    _hold_decision(ctx, story_ids, release=True)


@hold.command("drop")
@click.argument("story_ids", nargs=-1, type=int, required=True)
@pass_ctx
def hold_drop(ctx: Context, story_ids: tuple[int, ...]) -> None:
    """Never publish these held stories."""
    _hold_decision(ctx, story_ids, release=False)


@click.command()
@click.argument("story_id", type=int, required=False)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def audit(ctx: Context, story_id: int | None, as_json: bool) -> None:
    """The audit log: every decision and state change, for one story or all."""
    with ctx.desk() as desk:
        entries = desk.store.audit(story_id)
    rows = [
        {
            "at": e.at.isoformat(),
            "story_id": e.story_id,
            "action": e.action,
            "detail": e.detail,
            "sha256": e.sha256,
        }
        for e in entries
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for e in entries:
        click.echo(
            f"{e.at.isoformat()}  {e.story_id or '-':>6}  {e.action:<14} {e.detail}  {(e.sha256 or '')[:12]}"
        )


@click.command()
@click.argument("story_id", type=int)
@click.option("--reason", required=True, help="Why (a legal notice, say); kept in the audit trail.")
@pass_ctx
def takedown(ctx: Context, story_id: int, reason: str) -> None:
    """Remove a live story from every output and every target (the publisher's decision)."""
    from wiredesk.desk.takedown import takedown as take_down

    with ctx.desk() as desk:
        story = take_down(desk, story_id, reason)
    click.echo(f"{story.id}: {story.state} ({story.reason})")


@click.command()
@click.argument("story_id", type=int)
@pass_ctx
def restore(ctx: Context, story_id: int) -> None:
    """Undo a takedown: the story (its latest version) shows again everywhere."""
    from wiredesk.desk.takedown import restore as bring_back

    with ctx.desk() as desk:
        story = bring_back(desk, story_id)
    click.echo(f"{story.id}: {story.state}")


@click.command()
@click.option("--dry-run", is_flag=True, help="Only list the stories that would expire now.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def expire(ctx: Context, dry_run: bool, as_json: bool) -> None:
    """Expire stories older than their licence allows (expire_days); `run` does it on its own."""
    from wiredesk.desk.expiry import expire_due

    with ctx.desk() as desk:
        found = expire_due(desk, dry_run=dry_run)
    rows = [
        {
            "id": d.story_id,
            "headline": d.headline,
            "source": d.source,
            "agency": d.agency,
            "firstcreated": d.firstcreated.isoformat(),
            "expire_days": d.days,
        }
        for d in found
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    verb = "would expire" if dry_run else "expired"
    for row in rows:
        click.echo(
            f"{row['id']:>6}  {verb}  {row['firstcreated']}  {row['expire_days']:g} days  "
            f"{row['source'] or row['agency']}  {row['headline']}"
        )
    click.echo(f"{len(rows)} {'would expire' if dry_run else 'expired'}")
