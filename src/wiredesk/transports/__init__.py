"""How files reach the desk: one polling transport per kind of source, by name.

Push sources have no poller; their route lives in `wiredesk.transports.push`.
"""

from __future__ import annotations

from wiredesk.exceptions import ConfigError
from wiredesk.transports.base import Delivery, Sink, SourceSpec, Transport
from wiredesk.transports.ftp import FtpTransport
from wiredesk.transports.http import HttpTransport
from wiredesk.transports.spool import FolderTransport

__all__ = ["TRANSPORTS", "Delivery", "Sink", "SourceSpec", "Transport", "for_name"]

TRANSPORTS: dict[str, Transport] = {
    "folder": FolderTransport(),
    "http": HttpTransport(),
    "ftp": FtpTransport(),
}


def for_name(name: str) -> Transport:
    try:
        return TRANSPORTS[name]
    except KeyError:
        raise ConfigError(
            f"no polling transport named {name!r}; one of {', '.join(TRANSPORTS)}"
        ) from None
