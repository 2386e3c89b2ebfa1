"""The `wiredesk` command: the everyday commands here, the rest in wiredesk.commands."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wiredesk.commands.context import Context, GlobalOptionsGroup, pass_ctx
from wiredesk.commands.lazy import LazyGroup
from wiredesk.config import CONFIG_NAME
from wiredesk.logs import configure_logging, one_line

if TYPE_CHECKING:
    from wiredesk.desk.pipeline import Desk

# Commands defined elsewhere, imported only when run (or asked for their own --help), so
# `wiredesk --help` and each command load only what they use. The one-line help is kept
# here for the command list; tests/test_cli.py checks it against each command's own.
LAZY_COMMANDS = {
    "sources": (
        "wiredesk.commands.sources:sources",
        "Sources: agency feeds, FTP folders, spool folders and push endpoints.",
    ),
    "targets": (
        "wiredesk.commands.targets:targets",
        "Delivery targets: WordPress sites, signed webhooks and static folders.",
    ),
    "export": (
        "wiredesk.commands.targets:export",
        "Write the whole public site into FOLDER as files nginx or a CDN can serve.",
    ),
    "serve": (
        "wiredesk.commands.processes:serve",
        "Serve the site (with push, admin and /metrics) without polling.",
    ),
    "run": (
        "wiredesk.commands.processes:run",
        "Everything with one command: polling, the embargo scheduler, delivery and the site.",
    ),
    "deliver": (
        "wiredesk.commands.processes:deliver",
        "Deliver to targets only (no polling, no site), sharing the targets with other workers.",
    ),
    "worker": (
        "wiredesk.commands.processes:worker",
        "Poll sources, run the embargo scheduler and deliver to targets, sharing the sources and targets with other workers.",
    ),
    "backfill": (
        "wiredesk.commands.processes:backfill",
        "Import an archive of wire files, with a progress bar.",
    ),
    "hold": (
        "wiredesk.commands.desk:hold",
        "The hold queue: stories a rule or a free-text embargo kept back for a person.",
    ),
    "audit": (
        "wiredesk.commands.desk:audit",
        "The audit log: every decision and state change, for one story or all.",
    ),
    "admin": (
        "wiredesk.commands.admin:admin",
        "People and API tokens for the /admin pages.",
    ),
    "demo": (
        "wiredesk.commands.demo:demo",
        "Ingest a bundled sample wire into a throwaway database and run the desk and the site.",
    ),
    "verify": (
        "wiredesk.commands.verify:verify",
        "Check stories (default: all) against their raw files: sha256, then the text parsed again.",
    ),
    "enrich": (
        "wiredesk.commands.enrich:enrich",
        "Re-derive places, quotations and developing stories for all visible stories.",
    ),
    "takedown": (
        "wiredesk.commands.desk:takedown",
        "Remove a live story from every output and every target (the publisher's decision).",
    ),
    "restore": (
        "wiredesk.commands.desk:restore",
        "Undo a takedown: the story (its latest version) shows again everywhere.",
    ),
    "expire": (
        "wiredesk.commands.desk:expire",
        "Expire stories older than their licence allows (expire_days); `run` does it on its own.",
    ),
}


class MainGroup(GlobalOptionsGroup, LazyGroup):
    """Commands loaded when used; `--db` and `--config` accepted after the command too."""


@click.group(cls=MainGroup, lazy_commands=LAZY_COMMANDS)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help=f"Settings file (default ./{CONFIG_NAME}).",
)
@click.option(
    "--db", help="SQLAlchemy database URL (default: SQLite under ./var/; or WIREDESK_DB)."
)
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, db: str | None) -> None:
    """wiredesk: agency wire copy in, published verbatim, a news site out."""
    # Every command logs through the redacting, one-record-a-line handler: escaped text for a
    # person at a terminal, JSON lines for a service's log collector (WIREDESK_LOG_FORMAT=text
    # or json decides); WIREDESK_LOG_LEVEL (WARNING) sets the level.
    shown = os.environ.get("WIREDESK_LOG_FORMAT") or ("text" if sys.stderr.isatty() else "json")
    configure_logging(
        os.environ.get("WIREDESK_LOG_LEVEL", "WARNING").upper(), json=shown.lower() != "text"
    )
    ctx.obj = Context(config_path, db)


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing wiredesk.toml.")
@pass_ctx
def init(ctx: Context, force: bool) -> None:
    """Write wiredesk.toml here and create the database."""
    from wiredesk import open_desk
    from wiredesk.config import TEMPLATE

    path = ctx.config_path or Path(CONFIG_NAME)
    if path.exists() and not force:
        click.echo(f"{path} exists; kept it (use --force to overwrite)")
    else:
        path.write_text(TEMPLATE, encoding="utf-8")
        click.echo(f"wrote {path}")
    config = ctx.config()
    desk = open_desk(config)
    desk.store.close()
    click.echo(f"database ready: {config.database_url}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--source", default="local", show_default=True, help="Source name the files came from."
)
@pass_ctx
def ingest(ctx: Context, paths: tuple[Path, ...], source: str) -> None:
    """Archive, parse and publish files or folders now."""
    from wiredesk.transports.folder import BATCH, chunked, iter_files

    missing = [str(p) for p in paths if not p.exists()]
    files = list(iter_files(paths))
    if not files:
        raise click.ClickException(
            f"no files to ingest{': missing ' + ', '.join(missing) if missing else ''}"
        )
    counts: Counter[str] = Counter()
    with ctx.desk() as desk:
        for chunk in chunked(files, BATCH):
            batch = [(path.read_bytes(), str(path)) for path in chunk]
            for path, outcome in zip(chunk, desk.receive_many(batch, source=source), strict=True):
                counts[outcome.outcome] += 1
                if outcome.outcome == "quarantined":
                    click.echo(one_line(f"quarantined {path}: {outcome.detail}"), err=True)
        # `run` and `worker` fetch pictures beside their polling; a one-off ingest does it now
        # (loading the HTTP client only when some picture waits).
        pictures = waiting = 0
        if _pictures_waiting(desk):
            from wiredesk.desk.picture_worker import PictureWorker

            worker = PictureWorker(desk)
            pictures = worker.drain()
            waiting = worker.waiting()
    summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
    click.echo(
        f"{len(files)} files: {summary}"
        + (f"; {pictures} pictures fetched or checked" if pictures else "")
        + (
            f"; {_count(waiting, 'picture waits', 'pictures wait')} for a retry by `wiredesk run`"
            if waiting
            else ""
        )
        + (f"; missing: {', '.join(missing)}" if missing else "")
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _pictures_waiting(desk: Desk) -> bool:
    from sqlalchemy import select

    from wiredesk.desk.media import PENDING, RECEIVED
    from wiredesk.store.models import Picture

    with desk.store.session() as session:
        waiting = select(Picture.id).where(Picture.status.in_((PENDING, RECEIVED))).limit(1)
        return session.scalar(waiting) is not None


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    default="auto",
    show_default=True,
    help="Pin the format instead of detecting it.",
)
@click.option(
    "--source",
    default=None,
    help="Read the file as this wiredesk.toml source would: its format pin and XML mapping.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Say which format and dialect the file was read as, which rule split the opening, "
    "and which element, key or line gave each field.",
)
@pass_ctx
def parse(ctx: Context, path: Path, fmt: str, source: str | None, explain: bool) -> None:
    """Parse a file without storing it; print its items as JSON."""
    from wiredesk import formats
    from wiredesk.exceptions import WiredeskError

    source_config = ctx.config().source(source) if source else None
    mapping = source_config.mapping if source_config else None
    if source_config and fmt == "auto":
        fmt = source_config.format
    data = path.read_bytes()
    try:
        parsed = formats.parse(data, fmt, mapping)
    except WiredeskError as exc:
        click.echo(one_line(f"error: {path}: {exc}"), err=True)
        sys.exit(1)
    if explain:
        # Only --explain pays for the source walk.
        from wiredesk.formats.explain import explain as explained

        click.echo("\n".join(explained(data, parsed, mapping)))
        return
    out = [item.to_json() for item in parsed.items]
    out += [{"uri": s.uri, "skipped": s.reason} for s in parsed.skipped]
    out += [{"picture": True, **p.to_json()} for p in parsed.pictures]
    out += [
        {
            "uri": p.uri,
            "package": {s: [pic.to_json() for pic in pics] for s, pics in p.pictures.items()},
            "version": p.version,
            "pubstatus": p.pubstatus,
        }
        for p in parsed.packages
    ]
    if parsed.picture_file:
        out.append({"uri": path.name, "picture_file": parsed.picture_file})
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_ctx
def stories(ctx: Context, as_json: bool) -> None:
    """List every story the desk holds, whatever its state."""
    from wiredesk.site.render import item_of, story_json

    with ctx.desk() as desk:
        now = desk.clock()
        rows = [
            story_json(s, item_of(desk.store.current_version(s)), now) for s in desk.store.stories()
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['id']:>6}  {row['state']:<10} {row['url']}  {row['headline']}")


@main.command()
@click.argument("story_id", type=int)
@click.option(
    "--as",
    "rendition",
    type=click.Choice(["txt", "json", "html"]),
    default="txt",
    show_default=True,
)
@pass_ctx
def show(ctx: Context, story_id: int, rendition: str) -> None:
    """Print one story as text, JSON or sanitised HTML."""
    from wiredesk.site.render import item_of, safe_html, story_json, text_rendition

    config = ctx.config()
    with ctx.desk() as desk:
        story = desk.store.story(story_id)
        if story is None:
            raise click.ClickException(f"no story with id {story_id}")
        version = desk.store.current_version(story)
        item = item_of(version)
    if rendition == "txt":
        click.echo(text_rendition(story, item, config.tz), nl=False)
    elif rendition == "json":
        sha256 = version.sha256 if version is not None else ""
        data = story_json(story, item, desk.clock(), sha256)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(safe_html(item.body_html) or "\n".join(f"<p>{p}</p>" for p in item.paragraphs))
