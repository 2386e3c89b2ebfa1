"""Running a quarantined file through the desk again, once its cause has been fixed.

The archived bytes are parsed with the source's current settings (a format pin corrected, say)
and each item goes through the same lifecycle as on arrival, so versions, holds, embargoes and
duplicates behave exactly as if the file had arrived now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wiredesk import formats, metrics
from wiredesk.desk.pipeline import Desk
from wiredesk.exceptions import NotFound, ParseError
from wiredesk.store.models import AuditEntry, Quarantine


@dataclass
class Retried:
    ok: bool
    message: str
    stories: list[int] = field(default_factory=list)


def retry_quarantined(desk: Desk, quarantine_id: int, who: str = "admin") -> Retried:
    now = desk.clock()
    published = 0
    with desk.transaction() as session:
        entry = session.get(Quarantine, quarantine_id)
        if entry is None:
            raise NotFound(f"no quarantined file with id {quarantine_id}")
        if entry.resolved_at is not None:
            return Retried(False, f"already resolved at {entry.resolved_at.isoformat()}")
        data = desk.store.archive.get(entry.sha256)
        source_config = desk.source_config(session, entry.source)
        try:
            parsed = formats.parse(data, source_config.format, source_config.mapping)
        except ParseError as exc:
            # Still unreadable: the entry stays open, and the attempt is on record.
            session.add(
                AuditEntry(
                    at=now,
                    sha256=entry.sha256,
                    action="retry failed",
                    detail=f"{entry.filename}: {exc} (retried by {who})",
                )
            )
            return Retried(False, f"still cannot read it: {exc}")
        outcome = desk.apply_parsed(
            session, parsed, entry.sha256, source_config, now, filename=entry.filename
        )
        result = Retried(True, "", outcome.stories)
        published = outcome.published
        entry.resolved_at = now
        summary = outcome.detail if parsed.items else "nothing to publish"
        session.add(
            AuditEntry(
                at=now,
                sha256=entry.sha256,
                action="retried",
                detail=f"{entry.filename}: {summary} (retried by {who})",
            )
        )
        result.message = f"read as {parsed.format}: {len(parsed.items)} item(s), {summary}"
        source = entry.source
    if published:
        metrics.STORIES_PUBLISHED.labels(source).inc(published)
    return result
