"""The `wiredesk` command."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import click

from wiredesk import formats, open_desk
from wiredesk.config import CONFIG_NAME, TEMPLATE, Config, load
from wiredesk.exceptions import WiredeskError
from wiredesk.site.render import item_of, safe_html, story_json, text_rendition
from wiredesk.transports.folder import iter_files


class Context:
    def __init__(self, config_path: Path | None, db: str | None) -> None:
        self.config_path = config_path
        self.db = db

    def config(self) -> Config:
        try:
            return load(self.config_path, self.db)
        except WiredeskError as exc:
            raise click.ClickException(str(exc)) from exc


pass_ctx = click.make_pass_decorator(Context)


@click.group()
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
    ctx.obj = Context(config_path, db)


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing wiredesk.toml.")
@pass_ctx
def init(ctx: Context, force: bool) -> None:
    """Write wiredesk.toml here and create the database."""
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
    missing = [str(p) for p in paths if not p.exists()]
    files = list(iter_files(paths))
    if not files:
        raise click.ClickException(
            f"no files to ingest{': missing ' + ', '.join(missing) if missing else ''}"
        )
    desk = open_desk(ctx.config())
    counts: Counter[str] = Counter()
    try:
        for path in files:
            outcome = desk.receive(path.read_bytes(), source=source, filename=str(path))
            counts[outcome.outcome] += 1
            if outcome.outcome == "quarantined":
                click.echo(f"quarantined {path}: {outcome.detail}", err=True)
    finally:
        desk.store.close()
    summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
    click.echo(
        f"{len(files)} files: {summary}" + (f"; missing: {', '.join(missing)}" if missing else "")
    )


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    default="auto",
    show_default=True,
    help="Pin the format instead of detecting it.",
)
def parse(path: Path, fmt: str) -> None:
    """Parse a file without storing it; print its items as JSON."""
    try:
        parsed = formats.parse(path.read_bytes(), fmt)
    except WiredeskError as exc:
        click.echo(f"error: {path}: {exc}", err=True)
        sys.exit(1)
    out = [item.to_json() for item in parsed.items]
    out += [{"uri": s.uri, "skipped": s.reason} for s in parsed.skipped]
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_ctx
def stories(ctx: Context, as_json: bool) -> None:
    """List every story the desk holds, whatever its state."""
    desk = open_desk(ctx.config())
    try:
        now = desk.clock()
        rows = [
            story_json(s, item_of(desk.store.current_version(s)), now) for s in desk.store.stories()
        ]
    finally:
        desk.store.close()
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
    config = ctx.config()
    desk = open_desk(config)
    try:
        story = desk.store.story(story_id)
        if story is None:
            raise click.ClickException(f"no story with id {story_id}")
        item = item_of(desk.store.current_version(story))
    finally:
        desk.store.close()
    if rendition == "txt":
        click.echo(text_rendition(story, item, config.tz), nl=False)
    elif rendition == "json":
        click.echo(json.dumps(story_json(story, item, desk.clock()), indent=2, ensure_ascii=False))
    else:
        click.echo(safe_html(item.body_html) or "\n".join(f"<p>{p}</p>" for p in item.paragraphs))


@main.group()
def hold() -> None:
    """The hold queue: stories a rule or a free-text embargo kept back for a person."""


@hold.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def hold_list(ctx: Context, as_json: bool) -> None:
    """Held stories, oldest first, with why each is held."""
    desk = open_desk(ctx.config())
    try:
        rows = [
            {"id": s.id, "headline": s.headline, "agency": s.agency, "reason": s.reason}
            for s in desk.store.held()
        ]
    finally:
        desk.store.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['id']:>6}  {row['headline']}  [{row['reason']}]")
    if not rows:
        click.echo("nothing is held")


def _hold_decision(ctx: Context, story_ids: tuple[int, ...], release: bool) -> None:
    desk = open_desk(ctx.config())
    try:
        for story_id in story_ids:
            story = desk.release(story_id) if release else desk.drop(story_id)
            click.echo(f"{story.id}: {story.state}")
    except WiredeskError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        desk.store.close()


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


@main.command()
@click.argument("story_id", type=int, required=False)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def audit(ctx: Context, story_id: int | None, as_json: bool) -> None:
    """The audit log: every decision and state change, for one story or all."""
    desk = open_desk(ctx.config())
    try:
        entries = desk.store.audit(story_id)
    finally:
        desk.store.close()
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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Ingest the sample wire and exit.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Ingest a bundled sample wire into a throwaway database and serve the site."""
    workdir = Path(tempfile.mkdtemp(prefix="wiredesk-demo-"))
    config = Config(data_dir=workdir, base_url=f"http://{host}:{port}")
    desk = open_desk(config)
    counts: Counter[str] = Counter()
    wire = resources.files("wiredesk") / "samples" / "wire"
    with resources.as_file(wire) as folder:
        for path in iter_files([folder]):
            counts[desk.receive(path.read_bytes(), source="demo", filename=path.name).outcome] += 1
    desk.store.close()
    click.echo(
        f"demo wire ingested at {datetime.now(UTC):%H:%M:%S}: "
        + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    )
    click.echo(f"database: {config.database_url}")
    try:
        if not no_serve:
            click.echo(f"wiredesk demo site: http://{host}:{port}/")
            from wiredesk.commands.processes import serve_site

            serve_site(config, open_desk(config), host, port)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _register() -> None:
    from wiredesk.commands import processes, sources

    for command in (
        sources.sources,
        processes.serve,
        processes.run,
        processes.worker,
        processes.backfill,
    ):
        main.add_command(command)


_register()


@main.group()
def admin() -> None:
    """People and API tokens for the /admin pages."""


@admin.command("add-user")
@click.argument("username")
@click.option(
    "--password-env",
    metavar="VAR",
    help="Read the password from this environment variable instead of prompting.",
)
@pass_ctx
def admin_add_user(ctx: Context, username: str, password_env: str | None) -> None:
    """Create an admin user, or set a new password for an existing one."""
    import os

    from wiredesk.admin import auth

    if password_env:
        password = os.environ.get(password_env, "")
        if not password:
            raise click.ClickException(f"the environment variable {password_env} is empty or unset")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    desk = open_desk(ctx.config())
    try:
        with desk.store.session() as session, session.begin():
            created = auth.set_user(session, username, password, datetime.now(UTC))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        desk.store.close()
    click.echo(f"{'added' if created else 'new password for'} admin user {username}")


@admin.command("token")
@click.argument("name")
@pass_ctx
def admin_token(ctx: Context, name: str) -> None:
    """Make an API token for /admin; it is printed once and only its hash is kept."""
    from wiredesk.admin import auth

    desk = open_desk(ctx.config())
    try:
        with desk.store.session() as session, session.begin():
            token = auth.new_token(session, name, datetime.now(UTC))
    finally:
        desk.store.close()
    click.echo(token)
    click.echo(f"API token {name!r} made; it will not be shown again.", err=True)
