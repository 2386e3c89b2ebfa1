"""What a received file does to pictures: one call in the write path, `attach`.

Stories, packages, picture items and picture files may arrive in any order, so links are kept
by uri and a picture row by its uri: whichever comes first waits for the others. Nothing here
fetches or decodes anything; rows that need bytes are left `pending` (a URL to fetch) or
`received` (a file to check) for the picture worker, which works them after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from wiredesk import types
from wiredesk.desk import changes
from wiredesk.desk.changes import Change
from wiredesk.desk.publish import is_newer
from wiredesk.formats import Parsed
from wiredesk.formats.pictures import local_name
from wiredesk.store.models import AuditEntry, Picture, PictureFile, Story, StoryPicture

WAITING, PENDING, RECEIVED, READY, QUARANTINED = (
    "waiting",
    "pending",
    "received",
    "ready",
    "quarantined",
)


def attach(
    session: Session,
    parsed: Parsed,
    current: Sequence[tuple[Story, types.Item]],
    *,
    sha256: str,
    source: str,
    filename: str,
    now: datetime,
) -> None:
    """Record the file's pictures: `current` are the stories whose version it made current."""
    for story, item in current:
        if item.pubstatus != "canceled":
            # A kill keeps the links, so the story's picture addresses can answer 410.
            _story_links(session, story, item, source, now)
    for picture in parsed.pictures:
        _picture_item(session, picture, source, now)
    for package in parsed.packages:
        _package(session, package, source, now)
    if parsed.picture_file:
        _picture_file(session, sha256, filename, source, now)


def _story_links(
    session: Session, story: Story, item: types.Item, source: str, now: datetime
) -> None:
    first_version = story.revised_at is None
    if first_version and not item.pictures:
        return  # the common case costs no statement at all
    if not first_version:
        session.execute(
            delete(StoryPicture).where(
                StoryPicture.story_uri == story.uri, StoryPicture.origin == story.uri
            )
        )
    _link(session, story.uri, story.uri, item.version, item.pictures, source, now)


def _link(
    session: Session,
    story_uri: str,
    origin: str,
    origin_version: str,
    pictures: Iterable[types.Picture],
    source: str,
    now: datetime,
) -> None:
    for position, picture in enumerate(pictures):
        _reference(session, picture, source, now)
        session.add(
            StoryPicture(
                story_uri=story_uri,
                picture_uri=picture.uri,
                origin=origin,
                origin_version=origin_version,
                position=position,
                caption=picture.caption,
                credit=picture.credit,
            )
        )


def _row(session: Session, uri: str) -> Picture | None:
    return session.scalars(select(Picture).where(Picture.uri == uri)).one_or_none()


def _reference(session: Session, ref: types.Picture, source: str, now: datetime) -> Picture:
    """The picture a story or package names: created if new; told where its bytes are."""
    row = _row(session, ref.uri)
    if row is None:
        row = Picture(
            uri=ref.uri,
            source=source,
            version="",
            status=WAITING,
            contenttype=ref.contenttype,
            width=ref.width,
            height=ref.height,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
    if ref.href and ref.href != row.href and row.version == "":
        # Only a reference names the bytes; a picture item of its own has the last word.
        _point_at(session, row, ref.href, source, now)
    session.flush()
    return row


def _point_at(session: Session, row: Picture, href: str, source: str, now: datetime) -> None:
    row.href = href
    row.local_name = local_name(href)
    row.attempts, row.reason, row.lease_until, row.next_attempt_at = 0, "", None, None
    row.updated_at = now
    if not row.local_name:
        row.status = PENDING
        return
    found = session.scalars(
        select(PictureFile)
        .where(
            PictureFile.source == source,
            or_(PictureFile.name == row.local_name, PictureFile.stem == row.local_name),
        )
        .order_by(PictureFile.id.desc())
    ).first()
    row.status, row.sha256 = (RECEIVED, found.sha256) if found else (WAITING, None)


def _picture_item(session: Session, item: types.Picture, source: str, now: datetime) -> None:
    """A picture's own item: its caption, credit, status and bytes outrank any reference."""
    row = _row(session, item.uri)
    if row is None:
        row = _reference(session, types.Picture(uri=item.uri), source, now)
    elif row.version and not _newer(item.version, row.version):
        return
    was_shown = _shown(row, now)
    row.version = item.version or "1"
    row.pubstatus, row.embargoed = item.pubstatus, item.embargoed
    row.caption, row.credit = item.caption, item.credit
    row.width, row.height = row.width or item.width, row.height or item.height
    row.contenttype = row.contenttype or item.contenttype
    row.updated_at = now
    if item.href and item.href != row.href:
        _point_at(session, row, item.href, source, now)
    if item.pubstatus == "canceled":
        _audit(session, row, now, "picture killed", "killed by the agency")
    if was_shown or _shown(row, now):
        note_stories(session, [row.uri], now)


def _package(session: Session, package: types.Package, source: str, now: datetime) -> None:
    old = session.scalars(select(StoryPicture).where(StoryPicture.origin == package.uri)).all()
    if old and not _newer(package.version, old[0].origin_version):
        return
    touched = {link.story_uri for link in old}
    session.execute(delete(StoryPicture).where(StoryPicture.origin == package.uri))
    if package.pubstatus != "canceled":
        for story_uri, pictures in package.pictures.items():
            _link(session, story_uri, package.uri, package.version, pictures, source, now)
            touched.add(story_uri)
    session.flush()
    note_stories(session, [], now, story_uris=touched)


def _picture_file(session: Session, sha256: str, filename: str, source: str, now: datetime) -> None:
    name = PurePosixPath(filename.replace("\\", "/")).name
    stem = PurePosixPath(name).stem
    known = select(PictureFile.id).where(
        PictureFile.source == source, PictureFile.name == name, PictureFile.sha256 == sha256
    )
    if session.scalars(known).first() is None:
        session.add(
            PictureFile(source=source, name=name, stem=stem, sha256=sha256, received_at=now)
        )
    waiting = session.scalars(
        select(Picture).where(
            Picture.source == source, Picture.local_name.in_({name, stem}), Picture.local_name != ""
        )
    ).all()
    for row in waiting:
        if row.sha256 != sha256 or row.status != READY:
            row.sha256, row.status, row.reason = sha256, RECEIVED, ""
            row.attempts, row.lease_until, row.next_attempt_at = 0, None, None
            row.updated_at = now


def _newer(version: str, than: str) -> bool:
    """Pictures and packages carry versions but often no dates: a number orders them."""
    return is_newer(version, datetime.min, than, datetime.min) or (
        not (version.isdigit() and than.isdigit()) and version != than
    )


def _shown(row: Picture, now: datetime) -> bool:
    return (
        row.status == READY
        and row.pubstatus == "usable"
        and (row.embargoed is None or row.embargoed <= now)
    )


def note_stories(
    session: Session,
    picture_uris: Sequence[str],
    now: datetime,
    story_uris: Iterable[str] = (),
) -> list[int]:
    """A Change("update") for each visible story that shows one of these pictures, so pages
    are rendered again and delivery targets hear of it. Returns the stories' ids."""
    uris = set(story_uris)
    if picture_uris:
        uris |= set(
            session.scalars(
                select(StoryPicture.story_uri).where(StoryPicture.picture_uri.in_(picture_uris))
            )
        )
    if not uris:
        return []
    stories = session.scalars(select(Story).where(Story.uri.in_(uris))).all()
    heard = {change.story_id for change in changes.pending(session)}
    noted = []
    for story in stories:
        if story.is_visible(now) and story.id not in heard:
            changes.note(session, Change(story.id, "update", story.version, now))
            noted.append(story.id)
    return noted


def _audit(session: Session, row: Picture, now: datetime, action: str, detail: str) -> None:
    session.add(
        AuditEntry(at=now, sha256=row.sha256, action=action, detail=f"picture {row.uri}: {detail}")
    )
