"""What every command shares: the settings file and database chosen on the command line."""

from __future__ import annotations

from pathlib import Path

import click

from wiredesk.config import Config, load
from wiredesk.exceptions import WiredeskError


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
