"""`wiredesk targets` (where the desk delivers, and how that is going) and `wiredesk export`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from sqlalchemy import update

from wiredesk.commands.context import parse_options
from wiredesk.config import TargetConfig
from wiredesk.deliver.health import target_health
from wiredesk.store import targets as store_targets
from wiredesk.store.models import OutboxRow


def _context(ctx: click.Context) -> Any:
    return ctx.find_root().obj  # the Context the main group made


@click.group("targets")
def targets() -> None:
    """Delivery targets: WordPress sites, signed webhooks and static folders."""


@targets.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(store_targets.KINDS), required=True)
@click.option("--location", required=True, help="The site or webhook URL, or the folder.")
@click.option(
    "--secret-env", default="", help="Environment variable holding the password or secret."
)
@click.option(
    "--option", "options", multiple=True, metavar="KEY=VALUE", help="Target option, repeatable."
)
@click.option("--disabled", is_flag=True)
@click.pass_context
def add(
    ctx: click.Context,
    name: str,
    kind: str,
    location: str,
    secret_env: str,
    options: tuple[str, ...],
    disabled: bool,
) -> None:
    """Add a target, or change one with the same name."""
    config = TargetConfig(
        name=name,
        kind=kind,
        location=location,
        enabled=not disabled,
        secret_env=secret_env,
        options=parse_options(options),
    )
    with _context(ctx).desk() as desk, desk.store.session() as session, session.begin():
        store_targets.upsert(session, config, desk.clock())
    click.echo(f"target {name}: {kind} {location}")


@targets.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Every target with its health: backlog, lag, last error."""
    with _context(ctx).desk() as desk, desk.store.session() as session:
        rows = [row.as_json() for row in target_health(session, desk.clock())]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        lag = f"{row['lag_seconds']:.1f} s" if row["lag_seconds"] is not None else "none"
        error = f"  error: {row['last_error']}" if row["consecutive_errors"] else ""
        click.echo(
            f"{row['name']:<16} {row['kind']:<9} {row['status']:<8} backlog {row['backlog']} "
            f"(oldest {lag}), {row['delivered']} delivered  {row['location']}{error}"
        )
    if not rows:
        click.echo("no targets yet: wiredesk targets add NAME --kind static --location DIR")


def _set_enabled(ctx: click.Context, name: str, enabled: bool) -> None:
    with _context(ctx).desk() as desk, desk.store.session() as session, session.begin():
        store_targets.get(session, name).enabled = enabled
    click.echo(f"target {name}: {'enabled' if enabled else 'disabled'}")


@targets.command("enable")
@click.argument("name")
@click.pass_context
def enable(ctx: click.Context, name: str) -> None:
    """Deliver to a target again, starting with what waited while it was disabled."""
    _set_enabled(ctx, name, True)


@targets.command("disable")
@click.argument("name")
@click.pass_context
def disable(ctx: click.Context, name: str) -> None:
    """Stop delivering to a target; changes made meanwhile are not queued for it."""
    _set_enabled(ctx, name, False)


@targets.command("retry")
@click.argument("name")
@click.pass_context
def retry(ctx: click.Context, name: str) -> None:
    """Try a target's waiting deliveries now instead of after their backoff."""
    with _context(ctx).desk() as desk, desk.store.session() as session, session.begin():
        row = store_targets.get(session, name)
        row.next_attempt_at = None
        waiting = session.execute(
            update(OutboxRow)
            .where(OutboxRow.target_id == row.id, OutboxRow.state == "pending")
            .values(next_attempt_at=None)
        ).rowcount
    click.echo(f"target {name}: {waiting} waiting deliveries due now")


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def export(ctx: click.Context, folder: Path) -> None:
    """Write the whole public site into FOLDER as files nginx or a CDN can serve."""
    from wiredesk.deliver.export import Exporter

    with _context(ctx).desk() as desk:
        exporter = Exporter(desk, folder)
        try:
            result = exporter.full()
        finally:
            exporter.close()
    click.echo(
        f"exported to {folder}: {len(result.written)} written, {result.unchanged} unchanged, "
        f"{len(result.removed)} removed"
    )
