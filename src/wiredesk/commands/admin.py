"""`wiredesk admin`: people and API tokens for the /admin pages."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from wiredesk import open_desk
from wiredesk.commands.context import Context, pass_ctx


@click.group()
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

    with ctx.desk() as desk, desk.store.session() as session, session.begin():
        token = auth.new_token(session, name, datetime.now(UTC))
    click.echo(token)
    click.echo(f"API token {name!r} made; it will not be shown again.", err=True)


@admin.command("remove-user")
@click.argument("username")
@pass_ctx
def admin_remove_user(ctx: Context, username: str) -> None:
    """Remove an admin user; their sessions end at once."""
    from wiredesk.admin import auth

    with ctx.desk() as desk, desk.store.session() as session, session.begin():
        ended = auth.remove_user(session, username)
    click.echo(f"removed admin user {username} ({ended} session{'s' * (ended != 1)} ended)")


@admin.group("sessions")
def admin_sessions() -> None:
    """Signed-in admin sessions: see them, end them."""


@admin_sessions.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def sessions_list(ctx: Context, as_json: bool) -> None:
    """Every live session: who, from where, since when, and when it ends if left alone."""
    import json

    from wiredesk.admin import sessions

    with ctx.desk() as desk, desk.store.session() as session:
        limits = sessions.Limits.of(desk.config.security)
        rows = sessions.active(session, datetime.now(UTC), limits)
    if as_json:
        shown = [
            {
                "id": r.id,
                "who": r.who,
                "client": r.client,
                "user_agent": r.user_agent,
                "created_at": r.created_at.isoformat(),
                "last_seen_at": r.last_seen_at.isoformat(),
                "ends_at": r.ends_at.isoformat(),
            }
            for r in rows
        ]
        click.echo(json.dumps(shown, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r.id:>5}  {r.who:<20} {r.client:<16} since {r.created_at:%Y-%m-%d %H:%M} UTC, "
            f"last seen {r.last_seen_at:%H:%M:%S}, ends {r.ends_at:%Y-%m-%d %H:%M} UTC"
        )
    if not rows:
        click.echo("no live admin sessions")


@admin_sessions.command("revoke")
@click.argument("ids", nargs=-1, type=int)
@click.option("--user", "username", default=None, help="End every session of this user.")
@click.option("--all", "everyone", is_flag=True, help="End every session.")
@pass_ctx
def sessions_revoke(
    ctx: Context, ids: tuple[int, ...], username: str | None, everyone: bool
) -> None:
    """End sessions by id (from `sessions list`), by user, or all of them."""
    from wiredesk.admin import auth, sessions

    if not (ids or username or everyone):
        raise click.UsageError("name session ids, --user NAME or --all")
    with ctx.desk() as desk, desk.store.session() as session, session.begin():
        ended = sessions.revoke(session, ids) if ids else 0
        if username:
            ended += sessions.end_for_user(session, auth.user_named(session, username).id)
        if everyone:
            ended += sessions.end_all(session)
    click.echo(f"{ended} session{'s' * (ended != 1)} ended")
