"""What every command shares: the settings file and database chosen on the command line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wiredesk.config import Config, load
from wiredesk.exceptions import WiredeskError

if TYPE_CHECKING:
    from wiredesk.desk.pipeline import Desk


class Context:
    def __init__(self, config_path: Path | None, db: str | None) -> None:
        self.config_path = config_path
        self.db = db

    def config(self) -> Config:
        try:
            return load(self.config_path, self.db)
        except WiredeskError as exc:
            raise click.ClickException(str(exc)) from exc

    @contextmanager
    def desk(self) -> Iterator[Desk]:
        """The desk over this command's database, closed however the command ends; the desk's
        own errors become a one-line message and exit status 1."""
        from wiredesk import open_desk

        desk = open_desk(self.config())
        try:
            yield desk
        except WiredeskError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            desk.store.close()


pass_ctx = click.make_pass_decorator(Context)

# Options of the `wiredesk` group that users also type after the command (`wiredesk stories
# --db X`); no command has options of these names, so moving them in front is unambiguous.
GROUP_OPTIONS = ("--db", "--config")


class GlobalOptionsGroup(click.Group):
    """A group that accepts its own options after the subcommand as well as before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_group_options(args))


def hoist_group_options(args: list[str]) -> list[str]:
    """`cmd --db X rest` becomes `--db X cmd rest`; `--` ends the options, as everywhere."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.partition("=")[0]
        if name in GROUP_OPTIONS and rest:
            takes_next = "=" not in arg and i + 1 < len(args)
            front.extend(args[i : i + 2] if takes_next else [arg])
            i += 2 if takes_next else 1
            continue
        rest.append(arg)
        i += 1
    return front + rest


def parse_options(options: tuple[str, ...]) -> dict[str, Any]:
    """Repeated `--option KEY=VALUE`; digits become numbers."""
    parsed: dict[str, Any] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep:
            raise click.BadParameter(f"{option!r} is not KEY=VALUE", param_hint="--option")
        parsed[key] = int(value) if value.isdigit() else value
    return parsed
