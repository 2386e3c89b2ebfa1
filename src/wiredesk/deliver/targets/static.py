"""The static target: keeps a folder of the public site current, for nginx or a CDN.

A round's changes are rendered together (the union of the pages they touch, each once), then
the purge hook, if any, is told which paths changed. Paths waiting to be purged are kept in
the folder's manifest, so a failed purge is retried even when the re-render changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from wiredesk.deliver.export import Exporter
from wiredesk.deliver.payload import Delivery
from wiredesk.deliver.targets import USER_AGENT, TargetSpec, check, http_errors

if TYPE_CHECKING:
    from wiredesk.desk.pipeline import Desk


class Static:
    batched = True

    def __init__(self, spec: TargetSpec, desk: Desk) -> None:
        self.spec = spec
        self.exporter = Exporter(desk, Path(spec.location))
        self.base_url = desk.config.base_url.rstrip("/")
        self.client = httpx.Client(
            timeout=spec.number("timeout", 10), headers={"User-Agent": USER_AGENT}
        )

    def send(self, delivery: Delivery) -> None:
        self.send_batch([delivery])

    def send_batch(self, deliveries: Sequence[Delivery]) -> None:
        result = self.exporter.update({d.story_id for d in deliveries})
        manifest = self.exporter.manifest
        waiting = sorted({*(manifest.get("purge") or []), *result.changed})
        purge_url = self.spec.text("purge_url")
        if not purge_url or not waiting:
            return
        manifest.put("purge", waiting)
        manifest.commit()
        headers = {}
        if self.spec.secret_env:
            headers["Authorization"] = f"Bearer {self.spec.secret()}"
        body = {"paths": waiting, "urls": [self.base_url + p for p in waiting]}
        what = f"purge for {self.spec.name}"
        with http_errors(what):
            check(self.client.post(purge_url, json=body, headers=headers), what)
        manifest.put("purge", [])
        manifest.commit()

    def idle(self) -> None:
        if not self.exporter.exported:
            self.exporter.full()

    def close(self) -> None:
        self.client.close()
        self.exporter.close()
