"""`wiredesk sources`: declare where copy comes from and see how each source is doing."""

from __future__ import annotations

import json
from typing import Any

import click

from wiredesk.commands.context import parse_options
from wiredesk.config import SourceConfig, http_location_problem
from wiredesk.store import sources as store_sources
from wiredesk.store.models import Source


def _context(ctx: click.Context) -> Any:
    return ctx.find_root().obj  # the Context the main group made


def source_json(row: Source) -> dict[str, Any]:
    """A source as the desk sees it; the secret's variable name at most, never the secret."""

    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "name": row.name,
        "agency": row.agency,
        "transport": row.transport,
        "location": row.location,
        "format": row.format,
        "interval": row.interval,
        "section": row.section,
        "disclaimer": row.disclaimer,
        "enabled": row.enabled,
        "secret_env": row.secret_env,
        "last_success_at": iso(row.last_success_at),
        "last_error_at": iso(row.last_error_at),
        "last_error": row.last_error,
        "consecutive_errors": row.consecutive_errors,
        "next_poll_at": iso(row.next_poll_at),
    }


@click.group("sources")
def sources() -> None:
    """Sources: agency feeds, FTP folders, spool folders and push endpoints."""


@sources.command("add")
@click.argument("name")
@click.option("--transport", type=click.Choice(store_sources.TRANSPORTS), required=True)
@click.option("--location", default="", help="Folder path, URL, or ftp://user@host:port/path.")
@click.option("--agency", default="")
@click.option("--format", "fmt", default="auto", show_default=True)
@click.option(
    "--interval",
    default=60,
    show_default=True,
    type=click.IntRange(1),
    help="Seconds between polls.",
)
@click.option("--section", default="")
@click.option("--disclaimer", default=None)
@click.option(
    "--secret-env", default="", help="Environment variable holding the password or push secret."
)
@click.option(
    "--option", "options", multiple=True, metavar="KEY=VALUE", help="Transport option, repeatable."
)
@click.option("--disabled", is_flag=True)
@click.pass_context
def add(
    ctx: click.Context,
    name: str,
    transport: str,
    location: str,
    agency: str,
    fmt: str,
    interval: int,
    section: str,
    disclaimer: str | None,
    secret_env: str,
    options: tuple[str, ...],
    disabled: bool,
) -> None:
    """Add a source, or change one with the same name."""
    parsed = parse_options(options)
    if transport != "push" and not location:
        raise click.BadParameter("a polled source needs a location", param_hint="--location")
    problem = transport == "http" and http_location_problem(location)
    if problem:
        raise click.BadParameter(problem, param_hint="--location")
    config = SourceConfig(
        name=name,
        agency=agency,
        format=fmt,
        section=section,
        disclaimer=disclaimer,
        transport=transport,
        location=location,
        interval=interval,
        enabled=not disabled,
        secret_env=secret_env,
        options=parsed,
    )
    with _context(ctx).desk() as desk, desk.store.session() as session, session.begin():
        store_sources.upsert(session, config, desk.clock())
    click.echo(f"source {name}: {transport} {location}".rstrip())


@sources.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Every source with its health."""
    with _context(ctx).desk() as desk, desk.store.session() as session:
        rows = [source_json(row) for row in store_sources.all_sources(session)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "enabled" if row["enabled"] else "disabled"
        health = (
            f"error: {row['last_error']}"
            if row["consecutive_errors"]
            else f"ok {row['last_success_at'] or 'never polled'}"
        )
        click.echo(
            f"{row['name']:<16} {row['transport']:<7} {state:<9} {row['location']}  [{health}]"
        )
    if not rows:
        click.echo("no sources yet: wiredesk sources add NAME --transport folder --location PATH")


def _set_enabled(ctx: click.Context, name: str, enabled: bool) -> None:
    with _context(ctx).desk() as desk, desk.store.session() as session, session.begin():
        store_sources.get(session, name).enabled = enabled
    click.echo(f"source {name}: {'enabled' if enabled else 'disabled'}")


@sources.command("enable")
@click.argument("name")
@click.pass_context
def enable(ctx: click.Context, name: str) -> None:
    """Start polling a source again."""
    _set_enabled(ctx, name, True)


@sources.command("disable")
@click.argument("name")
@click.pass_context
def disable(ctx: click.Context, name: str) -> None:
    """Stop polling a source; nothing already received is touched."""
    _set_enabled(ctx, name, False)
