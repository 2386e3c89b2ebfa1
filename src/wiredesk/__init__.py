"""wiredesk: agency wire copy in, published verbatim, a news site out.

The public facade: load a Config, open a Desk, hand it bytes. The names below are imported
on first use (PEP 562), so `import wiredesk` or `wiredesk --help` does not load the desk,
the store and every parser.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Public name -> (module, attribute): what `from wiredesk import X` loads on first use.
_LAZY = {
    "Config": ("wiredesk.config", "Config"),
    "load_config": ("wiredesk.config", "load"),
    "Desk": ("wiredesk.desk.pipeline", "Desk"),
    "Outcome": ("wiredesk.desk.pipeline", "Outcome"),
    "ParseError": ("wiredesk.exceptions", "ParseError"),
    "WiredeskError": ("wiredesk.exceptions", "WiredeskError"),
    "Store": ("wiredesk.store", "Store"),
    "Item": ("wiredesk.types", "Item"),
    "Skipped": ("wiredesk.types", "Skipped"),
    "Subject": ("wiredesk.types", "Subject"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        # A submodule (wiredesk.formats, wiredesk.metrics...) imported as an attribute.
        try:
            return import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def open_desk(config: Config) -> Desk:
    """The store (database upgraded to the current schema) and the desk over it.

    Sources and targets declared in wiredesk.toml are written to the database, where workers
    lease them; every change readers can see is written to the delivery outbox.
    """
    from datetime import timedelta

    from wiredesk.deliver.outbox import Outbox
    from wiredesk.desk.pipeline import Desk
    from wiredesk.enrich.enricher import Enricher
    from wiredesk.store import Store, sources, targets

    desk = Desk(config, Store(config.database_url, config.archive_dir))
    desk.listeners.append(Outbox())
    desk.listeners.append(Enricher(timedelta(hours=config.development_hours)))
    if config.sources or config.targets:
        with desk.store.session() as session, session.begin():
            sources.sync(session, config, desk.clock())
            targets.sync(session, config, desk.clock())
    return desk
