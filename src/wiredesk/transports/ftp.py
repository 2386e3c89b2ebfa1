"""FTP and FTPS polling: fetch each file of one remote folder once per (mtime, size).

The cursor's high-water mark is every delivered file's [mtime, size], so a file the agency
uploads again under the same name is fetched again. Deleting or moving a file upstream
("after") happens only once the sink has returned.
"""

from __future__ import annotations

import contextlib
import ftplib
import logging
import ssl
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from wiredesk.exceptions import TransportError
from wiredesk.transports.base import Delivery, Sink, SourceSpec
from wiredesk.transports.spool import is_candidate

log = logging.getLogger(__name__)
MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MiB
AFTER = (None, "delete", "move")
# ftplib raises ValueError for a command it will not send (a line break in a name).
FAILURES: tuple[type[Exception], ...] = (*ftplib.all_errors, ValueError)
# quit() on a client that never connected has no socket to write to.
QUIT_FAILURES: tuple[type[Exception], ...] = (*ftplib.all_errors, AttributeError)


class TooBig(Exception):
    pass


class SinkFailed(Exception):
    """Carries the sink's own error past the handler that turns FTP errors into TransportError."""

    def __init__(self, original: Exception) -> None:
        super().__init__(str(original))
        self.original = original


def redacted(url: str) -> str:
    """The location fit for a log or an error: user and host, never a password."""
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{parts.hostname or ''}{port}{parts.path}"


def fetchable(name: str) -> bool:
    # ftplib refuses a command with a line break in it; such a name cannot be fetched.
    return is_candidate(name) and "\r" not in name and "\n" not in name


def parse_mtime(value: str) -> datetime | None:
    """An MLSD `modify` fact or MDTM answer (YYYYMMDDHHMMSS[.sss], UTC) as a datetime."""
    try:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


class FtpTransport:
    def poll(self, spec: SourceSpec, cursor: dict[str, Any], sink: Sink) -> dict[str, Any]:
        options = spec.options
        after = options.get("after")
        if after not in AFTER:
            raise TransportError(f"source {spec.name!r}: after must be delete or move")
        if after == "move" and not options.get("move_to"):
            raise TransportError(f"source {spec.name!r}: after = move needs move_to")
        shown = redacted(spec.location)
        secret = spec.secret
        parts = urlsplit(spec.location)
        if parts.scheme not in ("ftp", "ftps") or not parts.hostname:
            raise TransportError(f"source {spec.name!r}: location must be ftp://user@host/path")
        timeout = float(options.get("timeout", 30))
        ftp: ftplib.FTP
        if parts.scheme == "ftps":
            context = ssl.create_default_context(cafile=options.get("cafile"))
            ftp = ftplib.FTP_TLS(context=context, timeout=timeout)
        else:
            ftp = ftplib.FTP(timeout=timeout)
        try:
            self._login(ftp, parts.hostname, parts.port, parts.username, parts.path, secret)
            return self._fetch_new(ftp, spec, cursor, sink)
        except SinkFailed as exc:
            raise exc.original from None  # the desk's own error, not the FTP server's
        except FAILURES as exc:
            raise TransportError(self._message(shown, exc, secret)) from exc
        finally:
            try:
                ftp.quit()
            except QUIT_FAILURES:
                ftp.close()

    @staticmethod
    def _message(shown: str, exc: BaseException, secret: str | None) -> str:
        text = f"{shown}: {type(exc).__name__}: {exc}".strip()
        return text.replace(secret, "***") if secret else text

    @staticmethod
    def _login(
        ftp: ftplib.FTP,
        host: str,
        port: int | None,
        user: str | None,
        path: str,
        secret: str | None,
    ) -> None:
        ftp.connect(host, port or 21)
        # Passive mode at the control connection's address (ftplib's default), not the one the
        # server names: a server behind NAT often names a private address.
        ftp.set_pasv(True)
        ftp.login(unquote(user or "anonymous"), secret or "")
        if isinstance(ftp, ftplib.FTP_TLS):
            ftp.prot_p()  # encrypt the data connections too, not only the login
        if path not in ("", "/"):
            ftp.cwd(unquote(path))

    def _fetch_new(
        self, ftp: ftplib.FTP, spec: SourceSpec, cursor: dict[str, Any], sink: Sink
    ) -> dict[str, Any]:
        seen: dict[str, list[Any]] = dict(cursor.get("seen", {}))
        listing = self._list(ftp)
        # Files no longer listed are forgotten: the cursor stays as small as the folder.
        seen = {name: mark for name, mark in seen.items() if name in listing}
        max_bytes = int(spec.options.get("max_bytes", DEFAULT_MAX_BYTES))
        after, move_to = spec.options.get("after"), spec.options.get("move_to")
        oversized: list[str] = []
        for name, mark in sorted(listing.items()):
            if seen.get(name) == mark:
                continue
            try:
                data = self._retrieve(ftp, name, max_bytes, int(mark[1]))
            except TooBig as exc:
                # Left upstream, untouched and not marked seen: one huge file must not stop
                # the files after it, and it is named in the cursor and the log every poll.
                log.error("%s: %s; left on the server", spec.name, exc)
                oversized.append(name)
                continue
            landed = parse_mtime(str(mark[0])) or datetime.now(UTC)
            try:
                sink(Delivery(data, name, landed))
            except Exception as exc:
                raise SinkFailed(exc) from exc
            # The sink returned: the file is durable here, so it may go upstream.
            if after == "delete":
                ftp.delete(name)
            elif after == "move":
                ftp.rename(name, f"{str(move_to).rstrip('/')}/{name}")
            seen[name] = mark
        return {"seen": seen, "oversized": oversized} if oversized else {"seen": seen}

    @staticmethod
    def _list(ftp: ftplib.FTP) -> dict[str, list[Any]]:
        """name -> [mtime, size] of every complete-looking file in the current folder."""
        files: dict[str, list[Any]] = {}
        try:
            for name, facts in ftp.mlsd(facts=["type", "size", "modify"]):
                if facts.get("type", "file") == "file" and fetchable(name):
                    files[name] = [facts.get("modify", ""), int(facts.get("size", -1))]
            return files
        except ftplib.error_perm as exc:
            if not str(exc).startswith(("500", "501", "502", "504")):
                raise  # MLSD is known but refused: a real error, not a missing command
        names = ftp.nlst()
        ftp.voidcmd("TYPE I")  # SIZE answers in binary mode only, and NLST left ASCII on
        for path in names:
            name = path.rstrip("/").rpartition("/")[2]
            if not fetchable(name):
                continue
            try:
                size = ftp.size(name)
            except ftplib.error_perm:
                continue  # a folder, or a file that just went away
            try:
                modify = ftp.voidcmd(f"MDTM {name}").split()[-1]
            except ftplib.error_perm:
                modify = ""
            files[name] = [modify, size if size is not None else -1]
        return files

    @staticmethod
    def _retrieve(ftp: ftplib.FTP, name: str, max_bytes: int, listed_size: int) -> bytes:
        if listed_size > max_bytes:
            raise TooBig(f"{name} is larger than {max_bytes} bytes ({listed_size})")
        chunks: list[bytes] = []
        total = 0

        def take(chunk: bytes) -> None:
            nonlocal total
            total += len(chunk)
            if total > max_bytes:
                raise TooBig(f"{name} is larger than {max_bytes} bytes")
            chunks.append(chunk)

        try:
            ftp.retrbinary(f"RETR {name}", take)
        except TooBig:
            # The transfer was cut short; read the server's answer to it (426 or 226) so the
            # next command does not get it instead of its own.
            with contextlib.suppress(*ftplib.all_errors):
                ftp.voidresp()
            raise
        return b"".join(chunks)
