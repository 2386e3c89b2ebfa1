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

from wiredesk.deliver.export import Exporter, Interrupted
from wiredesk.deliver.outbox import REMOVALS, removal_waiting
from wiredesk.deliver.payload import Delivery
from wiredesk.deliver.targets import USER_AGENT, Deferred, TargetSpec, check, http_errors

if TYPE_CHECKING:
    from wiredesk.desk.pipeline import Desk


class Static:
    batched = True

    def __init__(self, spec: TargetSpec, desk: Desk) -> None:
        self.spec = spec
        self.desk = desk
        self.exporter = Exporter(desk, Path(spec.location), interrupt=self._removal_waiting)
        self._sending: set[int] = set()
        self.base_url = desk.config.base_url.rstrip("/")
        self.client = httpx.Client(
            timeout=spec.number("timeout", 10), headers={"User-Agent": USER_AGENT}
        )

    def send(self, delivery: Delivery) -> None:
        self.send_batch([delivery])

    def _removal_waiting(self) -> bool:
        """A kill (takedown, expiry) for this folder waits that this batch does not hold: a
        long render (a full export) stops for it, and the loop sends it first."""
        with self.desk.store.session() as session:
            return removal_waiting(session, self.spec.id, self._sending, self.desk.clock())

    def send_batch(self, deliveries: Sequence[Delivery]) -> None:
        urgent = all(d.action in REMOVALS for d in deliveries)
        self._sending = {d.row_id for d in deliveries}
        try:
            result = self.exporter.update(
                {d.story_id for d in deliveries},
                urgent=urgent,
                changes={d.row_id: d.story_id for d in deliveries},
            )
        except Interrupted as exc:
            raise Deferred("a removal is waiting") from exc
        finally:
            self._sending = set()
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
        if self.exporter.full_due:
            try:
                self.exporter.full()
            except Interrupted as exc:
                raise Deferred("a removal is waiting") from exc

    def close(self) -> None:
        self.client.close()
        self.exporter.close()
