"""Signed webhooks: a POST of the story's ninjs JSON with its action, for any receiver.

Signature: `X-Wiredesk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
timestamp in `X-Wiredesk-Timestamp`; the key in `Idempotency-Key`. See docs/targets.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx

from wiredesk.deliver.outbox import header_value
from wiredesk.deliver.payload import Delivery
from wiredesk.deliver.targets import USER_AGENT, TargetSpec, check, http_errors


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class Webhook:
    batched = False

    def __init__(self, spec: TargetSpec) -> None:
        self.spec = spec
        self.client = httpx.Client(
            timeout=spec.number("timeout", 10), headers={"User-Agent": USER_AGENT}
        )

    def send(self, delivery: Delivery) -> None:
        secret = self.spec.secret()
        body = json.dumps(
            delivery.ninjs(datetime.now(UTC)), ensure_ascii=False, sort_keys=True
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": header_value(delivery.key),
            "X-Wiredesk-Action": delivery.action,
            "X-Wiredesk-Timestamp": timestamp,
            "X-Wiredesk-Signature": signature(secret, timestamp, body),
        }
        what = f"webhook {self.spec.name}"
        with http_errors(what):
            check(self.client.post(self.spec.location, content=body, headers=headers), what)

    def send_batch(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            self.send(delivery)

    def idle(self) -> None:
        pass

    def close(self) -> None:
        self.client.close()
