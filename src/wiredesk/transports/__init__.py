"""How files reach the desk: one polling transport per kind of source, by name.

Push sources have no poller; their route lives in `wiredesk.transports.push`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wiredesk.exceptions import ConfigError

if TYPE_CHECKING:
    from wiredesk.transports.base import Transport

__all__ = ["TRANSPORTS", "for_name"]

# Transport name -> "module:class". Each is imported when first asked for, so reading files
# from disk (`wiredesk ingest`) does not load the HTTP and FTP clients.
TRANSPORTS = {
    "folder": "wiredesk.transports.spool:FolderTransport",
    "http": "wiredesk.transports.http:HttpTransport",
    "ftp": "wiredesk.transports.ftp:FtpTransport",
}
_made: dict[str, Transport] = {}


def for_name(name: str) -> Transport:
    if name not in TRANSPORTS:
        raise ConfigError(f"no polling transport named {name!r}; one of {', '.join(TRANSPORTS)}")
    if name not in _made:
        from importlib import import_module

        module, _, cls = TRANSPORTS[name].partition(":")
        _made[name] = getattr(import_module(module), cls)()
    return _made[name]
