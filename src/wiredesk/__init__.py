"""wiredesk: agency wire copy in, published verbatim, a news site out.

The public facade: load a Config, open a Desk, hand it bytes.
"""

from __future__ import annotations

from wiredesk.config import Config
from wiredesk.config import load as load_config
from wiredesk.desk.pipeline import Desk, Outcome
from wiredesk.exceptions import ParseError, WiredeskError
from wiredesk.store import Store
from wiredesk.types import Item, Skipped, Subject

__all__ = [
    "Config",
    "Desk",
    "Item",
    "Outcome",
    "ParseError",
    "Skipped",
    "Store",
    "Subject",
    "WiredeskError",
    "load_config",
    "open_desk",
]


def open_desk(config: Config) -> Desk:
    """The store (database upgraded to the current schema) and the desk over it."""
    return Desk(config, Store(config.database_url, config.archive_dir))
