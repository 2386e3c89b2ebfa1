"""What received files do to pictures, decided in memory with the rest of their batch.

Stories, packages, picture items and picture files may arrive in any order, so links are kept
by uri and a picture row by its uri: whichever comes first waits for the others. `load` reads
what a batch's files can touch (picture rows, links, picture files, one query each); `attach`
is the one call per file, in arrival order, beside the lifecycle; `Pictures.finish` hands the
rows to `store.writes` for one bulk statement a table. Nothing here fetches or decodes
anything: rows that need bytes are left `pending` (a URL to fetch) or `received` (a file to
check) for the picture worker, which works them after the commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wiredesk import types
from wiredesk.desk import changes
from wiredesk.desk.changes import Change
from wiredesk.desk.publish import KILLED, is_newer
from wiredesk.formats import Parsed
from wiredesk.formats.pictures import local_name
from wiredesk.store import writes
from wiredesk.store.models import Picture, PictureFile, Story, StoryPicture

if TYPE_CHECKING:
    from wiredesk.desk.batch import Batch

WAITING, PENDING, RECEIVED, READY, QUARANTINED = (
    "waiting",
    "pending",
    "received",
    "ready",
    "quarantined",
)


@dataclass(frozen=True)
class Arriving:
    """A file of the batch as far as pictures care: what it holds, from whom, under what name."""

    parsed: Parsed
    source: str
    filename: str


@dataclass
class Pictures:
    """A batch's pictures: rows read from the store and made by its files, and what to write."""

    by_uri: dict[str, Picture] = field(default_factory=dict)
    # Links by the document that makes them (the story's own uri, or a package's).
    links: dict[str, list[StoryPicture]] = field(default_factory=dict)
    # Picture files received, oldest first: the last of a name is the one a picture gets.
    files: list[PictureFile] = field(default_factory=list)
    # Stories the batch's pictures and packages can name: loaded with the batch's stories.
    story_uris: set[str] = field(default_factory=set)
    _loaded: dict[int, Picture] = field(default_factory=dict)
    _before: dict[int, dict[str, Any]] = field(default_factory=dict)
    _new: list[Picture] = field(default_factory=list)
    _new_links: list[StoryPicture] = field(default_factory=list)
    _gone_links: list[int] = field(default_factory=list)
    _new_files: list[PictureFile] = field(default_factory=list)

    def finish(self, rows: writes.Rows) -> None:
        rows.pictures_new = [writes.new_row(p) for p in self._new]
        for row_id, before in self._before.items():
            changed = writes.changed_columns(before, self._loaded[row_id], writes.PICTURE_COLUMNS)
            if changed is not None:
                rows.pictures_changed.append(changed)
        rows.picture_links_gone = list(self._gone_links)
        rows.picture_links_new = [writes.new_row(link) for link in self._new_links]
        rows.picture_files = [writes.new_row(f) for f in self._new_files]

    def lifts(self, now: datetime) -> list[tuple[int | None, datetime]]:
        """Pictures' own embargoes the batch set: each may change pages at its instant."""
        return [
            (None, p.embargoed)
            for p in self.by_uri.values()
            if p.embargoed is not None
            and p.embargoed > now
            and (p.id is None or self._before[p.id].get("embargoed") != p.embargoed)
        ]

    # ---- what the batch knows ------------------------------------------------------------

    def know(self, found: Iterable[Picture]) -> None:
        for row in found:
            if row.uri not in self.by_uri:
                self.by_uri[row.uri] = row
                self._loaded[row.id] = row
                self._before[row.id] = writes.row_of(row, writes.PICTURE_COLUMNS)

    def know_links(self, found: Iterable[StoryPicture]) -> None:
        seen = {link.id for links in self.links.values() for link in links}
        for link in found:
            if link.id not in seen:
                seen.add(link.id)
                self.links.setdefault(link.origin, []).append(link)

    def file_for(self, source: str, name: str) -> PictureFile | None:
        """The last file of this source received under the name (or its stem)."""
        return next(
            (f for f in reversed(self.files) if f.source == source and name in (f.name, f.stem)),
            None,
        )

    # ---- what files do -------------------------------------------------------------------

    def add_picture(self, row: Picture) -> Picture:
        self.by_uri[row.uri] = row
        self._new.append(row)
        return row

    def add_link(self, link: StoryPicture) -> None:
        self.links.setdefault(link.origin, []).append(link)
        self._new_links.append(link)

    def drop_links(self, origin: str, story_uri: str | None = None) -> list[StoryPicture]:
        """The origin's links (to one story, or all of them), removed; returned."""
        kept: list[StoryPicture] = []
        dropped: list[StoryPicture] = []
        for link in self.links.get(origin, []):
            (dropped if story_uri in (None, link.story_uri) else kept).append(link)
        self.links[origin] = kept
        for link in dropped:
            if link.id is not None:
                self._gone_links.append(link.id)
            else:
                self._new_links.remove(link)
        return dropped

    def add_file(self, row: PictureFile) -> None:
        self.files.append(row)
        self._new_files.append(row)


def load(session: Session, arriving: Sequence[Arriving]) -> Pictures:
    """Every picture row, link and picture file the batch's files can touch, one query each."""
    uris: set[str] = set()
    names: set[str] = set()  # file names pictures wait for, and picture files' names
    origins: set[str] = set()
    picture_items: set[str] = set()
    file_names: set[str] = set()
    found = Pictures()
    for entry in arriving:
        parsed = entry.parsed
        refs = [p for item in parsed.items for p in item.pictures]
        refs += [p for package in parsed.packages for ps in package.pictures.values() for p in ps]
        refs += parsed.pictures
        uris.update(p.uri for p in refs)
        names.update(n for n in (local_name(p.href) for p in refs) if n)
        origins.update(item.uri for item in parsed.items)
        origins.update(package.uri for package in parsed.packages)
        picture_items.update(p.uri for p in parsed.pictures)
        for package in parsed.packages:
            found.story_uris.update(package.pictures)
        if parsed.picture_file:
            name, stem = _file_name(entry.filename)
            file_names.update((name, stem))
    names |= file_names
    found.know(writes.rows_where(session, Picture, Picture.uri, uris, lock=True))
    found.know(writes.rows_where(session, Picture, Picture.local_name, file_names, lock=True))
    found.know_links(writes.rows_where(session, StoryPicture, StoryPicture.origin, origins))
    named = writes.rows_where(session, StoryPicture, StoryPicture.picture_uri, picture_items)
    found.know_links(named)
    found.story_uris.update(link.story_uri for link in named)
    found.story_uris.update(
        link.story_uri
        for origin in origins
        for link in found.links.get(origin, [])
        if link.origin != link.story_uri
    )
    files = writes.rows_where(session, PictureFile, PictureFile.name, names)
    files += writes.rows_where(session, PictureFile, PictureFile.stem, names)
    found.files = sorted({f.id: f for f in files}.values(), key=lambda f: f.id)
    return found


def attach(
    batch: Batch,
    parsed: Parsed,
    current: Sequence[tuple[Story, types.Item]],
    *,
    sha256: str,
    source: str,
    filename: str,
) -> None:
    """Record the file's pictures: `current` are the stories whose version it made current."""
    state = batch.pictures
    since = len(batch.changes)
    for story, item in current:
        # A kill keeps the links, so the story's picture addresses can answer 410; a version
        # after the kill is kept in history but names no picture to a story nobody sees again.
        if item.pubstatus != "canceled" and story.state != KILLED:
            _story_links(state, batch, story, item, source)
    for picture in parsed.pictures:
        _picture_item(state, batch, picture, source, since)
    for package in parsed.packages:
        _package(state, batch, package, source, since)
    if parsed.picture_file:
        _picture_file(state, batch.now, sha256, filename, source)


def _story_links(
    state: Pictures, batch: Batch, story: Story, item: types.Item, source: str
) -> None:
    if story.revised_at is not None:  # a later version replaces the story's own links
        state.drop_links(story.uri, story.uri)
    _link(state, batch.now, story.uri, story.uri, item.version, item.pictures, source)


def _link(
    state: Pictures,
    now: datetime,
    story_uri: str,
    origin: str,
    origin_version: str,
    pictures: Iterable[types.Picture],
    source: str,
) -> None:
    for position, picture in enumerate(pictures):
        _reference(state, now, picture, source)
        state.add_link(
            StoryPicture(
                id=None,
                story_uri=story_uri,
                picture_uri=picture.uri,
                origin=origin,
                origin_version=origin_version,
                position=position,
                caption=picture.caption,
                credit=picture.credit,
            )
        )


def _reference(state: Pictures, now: datetime, ref: types.Picture, source: str) -> Picture:
    """The picture a story or package names: created if new; told where its bytes are."""
    row = state.by_uri.get(ref.uri)
    if row is None:
        row = state.add_picture(
            Picture(
                id=None,
                uri=ref.uri,
                source=source,
                version="",
                pubstatus="usable",
                embargoed=None,
                href="",
                local_name="",
                caption="",
                credit="",
                status=WAITING,
                reason="",
                sha256=None,
                width=ref.width,
                height=ref.height,
                contenttype=ref.contenttype,
                attempts=0,
                next_attempt_at=None,
                lease_owner=None,
                lease_expires=None,
                created_at=now,
                updated_at=now,
            )
        )
    if ref.href and ref.href != row.href and row.version == "":
        # Only a reference names the bytes; a picture item of its own has the last word.
        _point_at(state, row, ref.href, source, now)
    return row


def _point_at(state: Pictures, row: Picture, href: str, source: str, now: datetime) -> None:
    row.href = href
    row.local_name = local_name(href)
    row.attempts, row.reason, row.next_attempt_at = 0, "", None
    row.lease_owner, row.lease_expires = None, None
    row.updated_at = now
    if not row.local_name:
        row.status = PENDING
        return
    found = state.file_for(source, row.local_name)
    row.status, row.sha256 = (RECEIVED, found.sha256) if found else (WAITING, None)


def _picture_item(
    state: Pictures, batch: Batch, item: types.Picture, source: str, since: int
) -> None:
    """A picture's own item: its caption, credit, status and bytes outrank any reference."""
    now = batch.now
    row = state.by_uri.get(item.uri)
    if row is None:
        row = _reference(state, now, types.Picture(uri=item.uri), source)
    elif row.version and not _newer(item.version, row.version):
        return
    was_shown = shown(row, now)
    row.version = item.version or "1"
    row.pubstatus, row.embargoed = item.pubstatus, item.embargoed
    row.caption, row.credit = item.caption, item.credit
    row.width, row.height = row.width or item.width, row.height or item.height
    row.contenttype = row.contenttype or item.contenttype
    row.updated_at = now
    if item.href and item.href != row.href:
        _point_at(state, row, item.href, source, now)
    if item.pubstatus == "canceled":
        batch.audit(None, row.sha256, "picture killed", f"picture {row.uri}: killed by the agency")
    if was_shown or shown(row, now):
        uris = {
            link.story_uri
            for links in state.links.values()
            for link in links
            if link.picture_uri == row.uri
        }
        _note(batch, uris, since)


def _package(
    state: Pictures, batch: Batch, package: types.Package, source: str, since: int
) -> None:
    old = state.links.get(package.uri, [])
    if old and not _newer(package.version, old[0].origin_version):
        return
    touched = {link.story_uri for link in state.drop_links(package.uri)}
    if package.pubstatus != "canceled":
        for story_uri, pictures in package.pictures.items():
            _link(state, batch.now, story_uri, package.uri, package.version, pictures, source)
            touched.add(story_uri)
    _note(batch, touched, since)


def _picture_file(state: Pictures, now: datetime, sha256: str, filename: str, source: str) -> None:
    name, stem = _file_name(filename)
    if not any(f.source == source and f.name == name and f.sha256 == sha256 for f in state.files):
        state.add_file(
            PictureFile(
                id=None, source=source, name=name, stem=stem, sha256=sha256, received_at=now
            )
        )
    for row in state.by_uri.values():
        waiting = row.source == source and row.local_name in (name, stem) and row.local_name
        if waiting and (row.sha256 != sha256 or row.status != READY):
            row.sha256, row.status, row.reason = sha256, RECEIVED, ""
            row.attempts, row.next_attempt_at = 0, None
            row.lease_owner, row.lease_expires = None, None
            row.updated_at = now


def _file_name(filename: str) -> tuple[str, str]:
    name = PurePosixPath(filename.replace("\\", "/")).name
    return name, PurePosixPath(name).stem


def _newer(version: str, than: str) -> bool:
    """Pictures and packages carry versions but often no dates: a number orders them."""
    return is_newer(version, datetime.min, than, datetime.min) or (
        not (version.isdigit() and than.isdigit()) and version != than
    )


def shown(row: Picture, now: datetime) -> bool:
    """The Python twin of store.picture_shown(); both must say the same."""
    return (
        row.status == READY
        and row.pubstatus == "usable"
        and (row.embargoed is None or row.embargoed <= now)
    )


def _note(batch: Batch, story_uris: Collection[str], since: int) -> None:
    """A Change("update") for each visible story of these uris the file has not moved yet,
    so pages are rendered again and delivery targets hear of it."""
    heard = {change.story_id for change in batch.changes[since:]}
    stories = [batch.story(uri) for uri in story_uris]
    for story in sorted((s for s in stories if s is not None), key=lambda s: s.id):
        if story.is_visible(batch.now) and story.id not in heard:
            batch.note(Change(story.id, "update", story.version, batch.now))
            heard.add(story.id)


def note_stories(session: Session, picture_uris: Sequence[str], now: datetime) -> list[int]:
    """The picture worker's twin of `_note`, in its own transaction: a Change("update") for
    each visible story that shows one of these pictures. Returns the stories' ids."""
    uris = set(
        session.scalars(
            select(StoryPicture.story_uri).where(StoryPicture.picture_uri.in_(picture_uris))
        )
    )
    if not uris:
        return []
    stories = session.scalars(select(Story).where(Story.uri.in_(uris)).order_by(Story.id)).all()
    heard = {change.story_id for change in changes.pending(session)}
    noted = []
    for story in stories:
        if story.is_visible(now) and story.id not in heard:
            changes.note(session, Change(story.id, "update", story.version, now))
            noted.append(story.id)
    return noted
