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
