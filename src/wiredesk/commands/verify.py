"""`wiredesk verify`: prove the stored text is the agency's, against the raw files themselves.

For each story, every version's raw file is read back from the archive by its sha256, the
bytes are hashed again, parsed again with today's parsers, and the item the version came from
is compared with what was stored: headline, dateline and every body paragraph. The story's own
copy of its current headline and text (what listings and search read) is compared too.
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import click
from sqlalchemy import select

from wiredesk import formats
from wiredesk.commands.context import Context, pass_ctx
from wiredesk.exceptions import ParseError
from wiredesk.store import Store
from wiredesk.store.models import Story, Version
from wiredesk.types import Item

FIELDS = ("headline", "dateline")
BATCH = 500


@dataclass
class Checked:
    """What verifying one story found: differences, and versions whose raw file is gone."""

    story: Story
    differences: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def line(self) -> str:
        problems = "; ".join([*self.differences, *self.missing])
        return f"story {self.story.id} /{self.story.section}/{self.story.slug}: {problems}"


@dataclass
class Summary:
    verified: int = 0
    differ: int = 0
    missing: int = 0

    def __str__(self) -> str:
        return f"{self.verified} verified, {self.differ} differ, {self.missing} missing raw"


def _shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def compare(stored: Item, fresh: Item) -> list[str]:
    """How a stored item differs from the one its raw file gives now, field by field."""
    out = [
        f"{name} {_shown(getattr(stored, name))} is {_shown(getattr(fresh, name))} in the raw file"
        for name in FIELDS
        if getattr(stored, name) != getattr(fresh, name)
    ]
    kept, now = stored.paragraphs, fresh.paragraphs
    for number, (a, b) in enumerate(zip(kept, now, strict=False), start=1):
        if a != b:
            out.append(f"paragraph {number} {_shown(a)} is {_shown(b)} in the raw file")
            break
    if len(kept) != len(now):
        out.append(f"{len(kept)} paragraphs stored, {len(now)} in the raw file")
    return out


class Verifier:
    def __init__(self, store: Store) -> None:
        self.store = store
        # A newsMessage backs several stories: parse each raw file once in a row.
        self._last: tuple[str, str, list[Item] | str] | None = None

    def _items(self, sha256: str, fmt: str, data: bytes) -> list[Item] | str:
        if self._last is not None and self._last[:2] == (sha256, fmt):
            return self._last[2]
        try:
            found: list[Item] | str = formats.parse(data, fmt or "auto").items
        except ParseError as exc:
            found = f"the raw file no longer parses: {exc}"
        self._last = (sha256, fmt, found)
        return found

    def version(self, version: Version, checked: Checked) -> None:
        stored = Item.from_json(version.item)
        label = f"version {version.version}"
        if version.sha256 not in self.store.archive:
            checked.missing.append(f"{label}: raw file {version.sha256} is missing")
            return
        data = self.store.archive.get(version.sha256)
        if hashlib.sha256(data).hexdigest() != version.sha256:
            checked.differences.append(f"{label}: the raw file's bytes no longer match its sha256")
            return
        items = self._items(version.sha256, stored.format, data)
        if isinstance(items, str):
            checked.differences.append(f"{label}: {items}")
            return
        same = [i for i in items if i.uri == stored.uri]
        fresh = next((i for i in same if i.version == stored.version), same[0] if same else None)
        if fresh is None:
            checked.differences.append(f"{label}: the raw file no longer holds {stored.uri}")
            return
        checked.differences += [f"{label}: {d}" for d in compare(stored, fresh)]
        if version.id == checked.story.current_version_id:
            story = checked.story
            copy = Item(uri=story.uri, headline=story.headline, body_text=story.body_text)
            copy.dateline = stored.dateline
            checked.differences += [f"the story's own copy: {d}" for d in compare(copy, stored)]

    def stories(self, ids: Sequence[int] = ()) -> Iterator[Checked]:
        with self.store.session() as session:
            query = select(Story.id).order_by(Story.id)
            if ids:
                query = query.where(Story.id.in_(ids))
            story_ids = list(session.scalars(query))
            for start in range(0, len(story_ids), BATCH):
                chunk = story_ids[start : start + BATCH]
                versions: dict[int, list[Version]] = defaultdict(list)
                for version in session.scalars(
                    select(Version).where(Version.story_id.in_(chunk)).order_by(Version.id)
                ):
                    versions[version.story_id].append(version)
                for story in session.scalars(
                    select(Story).where(Story.id.in_(chunk)).order_by(Story.id)
                ):
                    checked = Checked(story)
                    for version in versions[story.id]:
                        self.version(version, checked)
                    yield checked
                session.expunge_all()  # memory stays flat over a whole archive


def summarise(results: Iterable[Checked]) -> tuple[Summary, set[int]]:
    """Count the results, printing one line per story that is not verified."""
    summary, seen = Summary(), set()
    for checked in results:
        seen.add(checked.story.id)
        if checked.differences:
            summary.differ += 1
        elif checked.missing:
            summary.missing += 1
        else:
            summary.verified += 1
            continue
        click.echo(checked.line)
    return summary, seen


@click.command()
@click.argument("story_ids", nargs=-1, type=int)
@pass_ctx
def verify(ctx: Context, story_ids: tuple[int, ...]) -> None:
    """Check stories (default: all) against their raw files: sha256, then the text parsed again.

    Prints one line per story that differs or lost a raw file, then a summary; exits 1 when any
    story differs, a raw file is missing, or an ID names no story.
    """
    with ctx.desk() as desk:
        summary, seen = summarise(Verifier(desk.store).stories(story_ids))
    unknown = sorted(set(story_ids) - seen)
    if unknown:
        click.echo(f"no story with id {', '.join(map(str, unknown))}", err=True)
    click.echo(str(summary))
    if summary.differ or summary.missing or unknown:
        sys.exit(1)
