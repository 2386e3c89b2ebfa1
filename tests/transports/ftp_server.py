"""A real pyftpdlib server on a loopback port, in a thread, for FTP and FTPS transport tests."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

USER = "agency"
PASSWORD = "Corr3ct-Horse-ftp"

logging.getLogger("pyftpdlib").setLevel(logging.WARNING)


@contextmanager
def ftp_server(
    root: Path, handler: type[FTPHandler] = FTPHandler, **attributes: Any
) -> Iterator[int]:
    """Serve `root` to USER/PASSWORD on 127.0.0.1; yields the port."""
    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, str(root), perm="elradfmwMT")
    # pyftpdlib waits 3 s before answering a failed login; a test need not.
    settings = {"authorizer": authorizer, "auth_failed_timeout": 0.1, **attributes}
    configured = type("TestHandler", (handler,), settings)
    server = FTPServer(("127.0.0.1", 0), configured)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            server.ioloop.loop(0.05, blocking=False)  # one round, then look at `stop` again
        server.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield int(server.address[1])
    finally:
        stop.set()
        thread.join(timeout=5)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 (IP SAN, so hostname checks pass) and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
