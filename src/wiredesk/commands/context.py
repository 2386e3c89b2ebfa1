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


def parse_options(options: tuple[str, ...]) -> dict[str, Any]:
    """Repeated `--option KEY=VALUE`; digits become numbers."""
    parsed: dict[str, Any] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep:
            raise click.BadParameter(f"{option!r} is not KEY=VALUE", param_hint="--option")
        parsed[key] = int(value) if value.isdigit() else value
    return parsed
