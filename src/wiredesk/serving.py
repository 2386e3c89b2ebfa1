"""The HTTP server every desk process runs (uvicorn), with limits on what a client may hold.

uvicorn bounds neither how long a client may take to send its request headers nor (with
httptools) how large they may be: a socket with half a request line stays open, and an 8 MiB
header is read. So each connection's protocol is guarded here, before the app sees anything:
the headers of each request must be complete within HEADER_SECONDS and MAX_HEADER_BYTES, or
the connection gets 431 (too large) or is closed (too slow). Bodies have their own rules where
they are read (push: transports/push.py). Idle keep-alive connections close after
KEEP_ALIVE_SECONDS. Change these constants to change the limits.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0
MAX_HEADER_BYTES = 64 * 1024
KEEP_ALIVE_SECONDS = 5
_END = b"\r\n\r\n"
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\n"
    b"connection: close\r\ncontent-length: 31\r\n\r\nrequest headers are too large.\n"
)


class _HeaderGuard:
    """Mixed into a uvicorn protocol: counts each request's header bytes and times them."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop

    def _arm(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        self._tail = b""
        self._disarm()
        self._head_timer: asyncio.TimerHandle | None = self.loop.call_later(
            HEADER_SECONDS, self._too_slow
        )

    def _disarm(self) -> None:
        timer = getattr(self, "_head_timer", None)
        if timer is not None:
            timer.cancel()
        self._head_timer = None

    def _too_slow(self) -> None:
        if self._in_head and not self.transport.is_closing():
            self.transport.close()

    def _guard(self, data: bytes) -> bool:
        """False when the connection was refused for its headers' size."""
        if not self._in_head:
            return True
        end = (self._tail + data).find(_END)
        counted = len(data) if end < 0 else max(0, end + len(_END) - len(self._tail))
        self._head_bytes += counted
        if self._head_bytes > MAX_HEADER_BYTES:
            self._in_head = False
            self._disarm()
            if not self.transport.is_closing():
                self.transport.write(_TOO_LARGE)
                self.transport.close()
            return False
        if end >= 0:
            self._in_head = False
            self._disarm()
        else:
            self._tail = (self._tail + data)[-3:]
        return True


def guarded(base: type[Any]) -> type[Any]:
    """`base`, a uvicorn HTTP protocol (h11 or httptools), with its request headers bounded."""

    class Guarded(_HeaderGuard, base):  # type: ignore[misc]
        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._guard(data):
                super().data_received(data)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{base.__name__}"
    return Guarded


def _httptools_protocol() -> type | None:
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return None
    return guarded(HttpToolsProtocol)


def server_config(app: ASGIApp, host: str, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn's settings for a desk server: guarded headers, bounded keep-alive."""
    protocol = _httptools_protocol() or guarded(H11Protocol)
    options.setdefault("timeout_keep_alive", KEEP_ALIVE_SECONDS)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        **options,
    )
