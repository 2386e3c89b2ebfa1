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
    """The store (database upgraded to the current schema) and the desk over it.

    Sources and targets declared in wiredesk.toml are written to the database, where workers
    lease them; every change readers can see is written to the delivery outbox.
    """
    from datetime import timedelta

    from wiredesk.deliver.outbox import Outbox
    from wiredesk.enrich.enricher import Enricher
    from wiredesk.store import sources, targets

    desk = Desk(config, Store(config.database_url, config.archive_dir))
    desk.listeners.append(Outbox())
    desk.listeners.append(Enricher(timedelta(hours=config.development_hours)))
    if config.sources or config.targets:
        with desk.store.session() as session, session.begin():
            sources.sync(session, config, desk.clock())
            targets.sync(session, config, desk.clock())
    return desk
