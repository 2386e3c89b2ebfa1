"""Logging for every command: one record a line (JSON, or escaped text), secrets redacted.

Kept apart from ops.py (the /healthz, /readyz and /metrics routes) so that a command can set
up its logging without loading the web stack.
"""

from __future__ import annotations

import json as jsonlib
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

REDACTED = "[redacted]"
SECRET_KEY = re.compile(r"password|passwd|token|secret|authorization|api[_-]?key", re.I)
# `password=hunter2`, `"token": "abc"`, `Authorization: Bearer abc` inside a message's text.
SECRET_IN_TEXT = re.compile(
    r"""(?P<key>["']?\b[\w-]*(?:password|passwd|token|secret|authorization|api[_-]?key)[\w-]*["']?\s*[:=]\s*)"""
    r"""(?P<value>(?:bearer|basic)\s+[^\s,;"'&]+|"[^"]*"|'[^']*'|[^\s,;&]+)""",
    re.I,
)
# Attributes every LogRecord has; anything else came in through `extra=` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def redact_text(message: str) -> str:
    return SECRET_IN_TEXT.sub(lambda m: m.group("key") + REDACTED, message)


def redact(value: Any, key: str = "") -> Any:
    if key and SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactSecrets(logging.Filter):
    """Blanks secrets in the message and in extra fields before any handler formats the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_text(record.getMessage())
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD:
                setattr(record, key, redact(value, key))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return jsonlib.dumps(entry, default=str, ensure_ascii=False)


def one_line(text: str) -> str:
    """Control characters escaped (a newline becomes \\x0a) and secrets redacted: for a message
    that names something an agency or a sender chose."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", redact_text(text))


class OneLineFormatter(logging.Formatter):
    """Plain text, one line a record: a newline or other control character in a message (a
    file's name, an agency's headline) is escaped, so it cannot forge a log line."""

    def format(self, record: logging.LogRecord) -> str:
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", super().format(record))


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class _Ours(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler configure_logging installs (and replaces when called again)."""


def configure_logging(level: str | int = "INFO", json: bool = True, stream: Any = None) -> None:
    """Every record from every logger: one JSON object per line on stderr (or one escaped text
    line with json=False), secrets redacted. Every command calls it (cli.main)."""
    handler = _Ours(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if json
        else OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    for old in list(root.handlers):
        if type(old) in (_Ours, logging.StreamHandler):  # not a test's capturing handler
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Uvicorn's loggers bring their own handlers; send them through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
