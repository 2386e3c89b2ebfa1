"""A real SMTP server (aiosmtpd) and a chat-webhook receiver on loopback, for the alert tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from livesite import free_port, taking_posts


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclass
class Chat:
    texts: list[str] = field(default_factory=list)
    url: str = ""


@contextmanager
def chat_webhook() -> Iterator[Chat]:
    chat = Chat()

    def handle(headers: Any, body: bytes, whole: bool) -> int:
        chat.texts.append(json.loads(body)["text"])
        return 200

    with taking_posts(handle) as base:
        chat.url = f"{base}/services/T000/B000/XXXX"
        yield chat
