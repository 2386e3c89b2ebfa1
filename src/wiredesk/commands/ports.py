"""Saying which port is taken before a server fails to bind it, and which one is free."""

from __future__ import annotations

import socket

import click

# How far past a taken port to look for a free one to suggest.
SEARCH = 20


def is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # uvicorn binds with SO_REUSEADDR too, so a port in TIME_WAIT is not reported as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def check_port(host: str, port: int) -> None:
    """Exit with a message naming the taken port and the next free one (port 0 is any port)."""
    if port == 0 or is_free(host, port):
        return
    free = next((p for p in range(port + 1, port + 1 + SEARCH) if is_free(host, p)), None)
    hint = f"try --port {free}" if free else "choose another with --port"
    raise click.ClickException(f"port {port} on {host} is in use (another wiredesk?); {hint}")
