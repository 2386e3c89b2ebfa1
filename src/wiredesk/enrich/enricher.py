"""The write side: a `Desk` listener that derives places, quotations and developments.

On every "publish" and "update" it re-derives the story's places and quotations from its current
version and replaces the story's rows, in bulk for the whole batch: one SELECT of the stories and
their current versions, one DELETE ... IN and one INSERT per table. Kills and unpublishes leave
the rows: every reader query goes through `store.visible(now)`, and a killed story must stay in
its development, shown withdrawn. An embargoed story is only heard of when it becomes visible
(`Desk.release_due`), so nothing is derived for it before then.

Developments: a story not yet in one joins the development of a near-duplicate (the lifecycle's
`cluster_id`), or of a story within the window that shares a resolved place AND a speaker (a
place alone is not enough: two unrelated New Delhi stories on one day must stay apart). When a
story matches several developments they merge into the oldest (lowest id). Updates keep their
development.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from wiredesk.desk.changes import Change
from wiredesk.enrich import places, quotes
from wiredesk.enrich.types import Place, Quote
from wiredesk.store import writes
from wiredesk.store.models import (
    Development,
    Story,
    StoryDevelopment,
    StoryPlace,
    StoryQuote,
    StoryTranslation,
    Version,
)
from wiredesk.types import Item

DERIVE = ("publish", "update", "restore")


def places_of(item: Item) -> list[Place]:
    """The one call into the places resolver: the dateline's places, then the format's own
    location fields', with the agency's home country deciding ambiguous names."""
    return places.resolve(item.dateline, item.located, item.agency)


def quotes_of(item: Item) -> list[Quote]:
    """The one call into the quotations extractor."""
    found: list[Quote] = quotes.find_quotes(item.body_text, item.language)
    return found


def place_row(story_id: int, position: int, place: Place) -> dict[str, Any]:
    return {
        "story_id": story_id,
        "position": position,
        "text": place.text,
        "origin": place.source,
        "geonameid": place.geonameid,
        "name": place.name,
        "country_code": place.country_code,
        "admin1": place.admin1,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def quote_row(story_id: int, position: int, quote: Quote) -> dict[str, Any]:
    return {
        "story_id": story_id,
        "position": position,
        "start_offset": quote.start,
        "end_offset": quote.end,
        "first_paragraph": quote.first_paragraph,
        "last_paragraph": quote.last_paragraph,
        "speaker": quote.speaker,
        "speaker_slug": quote.speaker_slug,
        "role": quote.role,
    }


class Enricher:
    def __init__(self, window: timedelta = timedelta(hours=48)) -> None:
        self.window = window

    def in_transaction(self, session: Session, changes: Sequence[Change]) -> None:
        ids = sorted({c.story_id for c in changes if c.action in DERIVE})
        if ids:
            derive(session, ids, changes[-1].at, self.window)

    def after_commit(self, changes: Sequence[Change]) -> None:
        return None


def derive(session: Session, ids: Sequence[int], now: datetime, window: timedelta) -> None:
    """Replace the stories' places and quotations and place them in developments."""
    rows: list[Any] = []
    for chunk in writes._chunks(ids):
        rows += session.execute(
            select(Story.id, Story.cluster_id, Story.published_at, Version.item)
            .join(Version, Version.id == Story.current_version_id)
            .where(Story.id.in_(chunk))
            .order_by(Story.id)
        ).all()
    places: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    translations: list[dict[str, Any]] = []
    facts: dict[int, tuple[set[int], set[str]]] = {}
    for story_id, _cluster, _published, data in rows:
        item = Item.from_json(data)
        found = places_of(item)
        said = quotes_of(item)
        places += [place_row(story_id, k, p) for k, p in enumerate(found)]
        quotes += [quote_row(story_id, k, q) for k, q in enumerate(said)]
        translations += [{"story_id": story_id, "uri": uri} for uri in item.translations]
        facts[story_id] = (
            {p.geonameid for p in found if p.geonameid is not None},
            {q.speaker_slug for q in said if q.speaker_slug},
        )
    for chunk in writes._chunks(ids):
        session.execute(delete(StoryPlace).where(StoryPlace.story_id.in_(chunk)))
        session.execute(delete(StoryQuote).where(StoryQuote.story_id.in_(chunk)))
        session.execute(delete(StoryTranslation).where(StoryTranslation.story_id.in_(chunk)))
    if places:
        session.execute(insert(writes.table_of(StoryPlace)), places)
    if quotes:
        session.execute(insert(writes.table_of(StoryQuote)), quotes)
    if translations:
        session.execute(insert(writes.table_of(StoryTranslation)), translations)
    assign(session, [(r[0], r[1], r[2]) for r in rows], facts, now, window)


def assign(
    session: Session,
    stories: Sequence[tuple[int, int | None, datetime | None]],
    facts: dict[int, tuple[set[int], set[str]]],
    now: datetime,
    window: timedelta,
) -> None:
    """Each story not yet in a development joins (or merges) the ones it matches, or starts one."""
    ids = [s[0] for s in stories]
    member: dict[int, int] = dict(
        session.execute(
            select(StoryDevelopment.story_id, StoryDevelopment.development_id).where(
                StoryDevelopment.story_id.in_(ids)
            )
        ).all()
    )
    todo = [s for s in stories if s[0] not in member]
    if not todo:
        return
    since = now - window
    clusters = {c for _, c, _ in todo if c is not None}
    geo = set().union(*(facts.get(s[0], (set(), set()))[0] for s in todo))
    # Candidates: near-duplicate cluster members, and recent stories sharing a place.
    cond = []
    if clusters:
        cond += [Story.cluster_id.in_(clusters), Story.id.in_(clusters)]
    if geo:
        cond.append(StoryPlace.geonameid.in_(geo))
    others: dict[int, tuple[int, int | None]] = {}
    o_geo: dict[int, set[int]] = {}
    o_said: dict[int, set[str]] = {}
    if cond:
        query = (
            select(StoryDevelopment.story_id, StoryDevelopment.development_id, Story.cluster_id)
            .join(Story, Story.id == StoryDevelopment.story_id)
            .outerjoin(StoryPlace, StoryPlace.story_id == Story.id)
            .where(or_(*cond), Story.published_at >= since)
        )
        for sid, dev, cluster in session.execute(query).all():
            others[sid] = (dev, cluster)
        known = list(others)
        for chunk in writes._chunks(known):
            for sid, g in session.execute(
                select(StoryPlace.story_id, StoryPlace.geonameid).where(
                    StoryPlace.story_id.in_(chunk), StoryPlace.geonameid.is_not(None)
                )
            ):
                if g is not None:
                    o_geo.setdefault(sid, set()).add(g)
            for sid, slug in session.execute(
                select(StoryQuote.story_id, StoryQuote.speaker_slug).where(
                    StoryQuote.story_id.in_(chunk)
                )
            ):
                o_said.setdefault(sid, set()).add(slug)
    # Indexes over the candidates, so a batch is not compared with every recent story that
    # shares a capital: by near-duplicate cluster (its own id counts) and by speaker.
    by_cluster: dict[int, set[int]] = {}
    by_speaker: dict[str, set[int]] = {}

    def index(sid: int, cluster: int | None) -> None:
        by_cluster.setdefault(sid, set()).add(sid)
        if cluster is not None:
            by_cluster.setdefault(cluster, set()).add(sid)
        for slug in o_said.get(sid, ()):
            by_speaker.setdefault(slug, set()).add(sid)

    for sid, (_dev, ocluster) in others.items():
        index(sid, ocluster)
    new_rows: list[dict[str, Any]] = []
    touched: set[int] = set()
    fresh = 0  # developments this batch starts: -1, -2, ... until they are inserted at the end
    for story_id, cluster, _published in todo:
        mine_geo, mine_said = facts.get(story_id, (set(), set()))
        near = by_cluster.get(cluster, set()) if cluster is not None else set()
        speakers = set().union(*(by_speaker.get(slug, set()) for slug in mine_said))
        shared = {sid for sid in speakers if mine_geo & o_geo.get(sid, set())}
        matched = {others[sid][0] for sid in near | shared}
        if matched:
            stored = [d for d in matched if d > 0]
            # The oldest wins: the lowest stored id, else the first started in this batch.
            target = min(stored) if stored else max(matched)
            gone = sorted(matched - {target})
            if gone:
                # A bridging story: the developments merge into the oldest.
                stored_gone = [d for d in gone if d > 0]
                if stored_gone:
                    session.execute(
                        update(StoryDevelopment)
                        .where(StoryDevelopment.development_id.in_(stored_gone))
                        .values(development_id=target)
                    )
                    session.execute(delete(Development).where(Development.id.in_(stored_gone)))
                    touched -= set(stored_gone)
                for sid, (dev, oc) in others.items():
                    if dev in gone:
                        others[sid] = (target, oc)
                for row in new_rows:
                    if row["development_id"] in gone:
                        row["development_id"] = target
            if target > 0:
                touched.add(target)
        else:
            fresh += 1
            target = -fresh
        new_rows.append({"story_id": story_id, "development_id": target, "joined_at": now})
        # Later stories in the same batch can match this one.
        others[story_id] = (target, cluster)
        o_geo[story_id], o_said[story_id] = mine_geo, mine_said
        index(story_id, cluster)
    if touched:
        session.execute(
            update(Development).where(Development.id.in_(sorted(touched))).values(updated_at=now)
        )
    placeholders = sorted({r["development_id"] for r in new_rows if r["development_id"] < 0})[::-1]
    if placeholders:
        made = session.scalars(
            insert(Development).returning(Development.id, sort_by_parameter_order=True),
            [{"started_at": now, "updated_at": now} for _ in placeholders],
        ).all()
        ids_for = dict(zip(placeholders, made, strict=True))
        for row in new_rows:
            row["development_id"] = ids_for.get(row["development_id"], row["development_id"])
    session.execute(insert(writes.table_of(StoryDevelopment)), new_rows)
