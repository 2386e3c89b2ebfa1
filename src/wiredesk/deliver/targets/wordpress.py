"""WordPress through its REST API (/wp-json/wp/v2/), with an Application Password.

One post per story, ever: the post is found by the post id stored in `target_refs` or, when
that is missing (a crash between WordPress answering and the desk recording it), by the post
meta `wiredesk_uri` through the `wiredesk-delivery` must-use plugin (deliver/wordpress/).
A delivery whose key the post already holds in `wiredesk_key` changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from wiredesk.deliver.outbox import REMOVALS
from wiredesk.deliver.payload import Delivery
from wiredesk.deliver.pictures import Picture
from wiredesk.deliver.targets import USER_AGENT, DeliveryError, TargetSpec, check, http_errors
from wiredesk.desk.publish import slugify
from wiredesk.scripts import direction
from wiredesk.site.render import feed_html
from wiredesk.store.models import TargetRef

if TYPE_CHECKING:
    from wiredesk.store import Store

ANY_STATUS = "publish,future,draft,pending,private,trash"


WP_SLUG_BYTES = 200


def post_content(delivery: Delivery) -> str:
    """The agency's paragraphs, escaped, never reworded; then the credit and the disclaimer."""
    assert delivery.item is not None
    story = delivery.story
    body = feed_html(story, delivery.item)
    if story.agency:
        body += f'<p class="wiredesk-credit">Credit: {escape(story.agency, quote=False)}</p>'
    if story.language and not story.language.casefold().startswith("en"):
        # A Hindi or Urdu post on a site in another language says so, and Urdu runs rtl.
        body = (
            f'<div lang="{escape(story.language)}" dir="{direction(story.language)}">{body}</div>'
        )
    return body


def wp_slug(slug: str) -> str:
    """The story's slug within WordPress's 200 percent-encoded bytes (post_name), shortened by
    whole words before its digest: WordPress itself would cut a Hindi slug mid-letter."""
    if len(quote(slug, safe="")) <= WP_SLUG_BYTES:
        return slug
    words, digest = slug.split("-")[:-1], slug.rsplit("-", 1)[-1]
    while words and len(quote("-".join([*words, digest]), safe="")) > WP_SLUG_BYTES:
        words.pop()
    return "-".join([*words, digest])


def wp_date(moment: datetime) -> str:
    # Never in the future: WordPress would hold a future-dated post as scheduled.
    return min(moment, datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class WordPress:
    batched = False

    def __init__(
        self, spec: TargetSpec, store: Store, categories: Mapping[str, str] | None = None
    ) -> None:
        self.spec = spec
        self.store = store
        # Section -> WordPress category name ([sections.wordpress] in wiredesk.toml).
        self.categories = dict(categories or {})
        self.api = spec.location.rstrip("/") + "/wp-json/wp/v2"
        self.user = spec.text("user")
        self.kill_to = spec.text("kill", "trash")
        if self.kill_to not in ("trash", "draft"):
            raise DeliveryError(f"target {spec.name}: option kill must be trash or draft")
        self.client = httpx.Client(
            timeout=spec.number("timeout", 20), headers={"User-Agent": USER_AGENT}
        )
        self.terms: dict[tuple[str, str], int] = {}
        # Comments on agency copy are closed unless the target says `comments = "open"`.
        self.comments = spec.text("comments", "closed") == "open"
        # Agency (as stories name it) -> WordPress user id to publish its stories as.
        authors = spec.options.get("authors") or {}
        if not isinstance(authors, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in authors.values()
        ):
            raise DeliveryError(
                f"target {spec.name}: option authors maps agencies to WordPress user ids"
            )
        self.authors: dict[str, int] = dict(authors)

    def close(self) -> None:
        self.client.close()

    def idle(self) -> None:
        pass

    def send_batch(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            self.send(delivery)

    # HTTP ---------------------------------------------------------------------------------

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        if not self.user:
            raise DeliveryError(f"target {self.spec.name}: option user names no WordPress user")
        what = f"wordpress {self.spec.name}: {method} {path}"
        with http_errors(what):
            response = self.client.request(
                method, self.api + path, auth=(self.user, self.spec.secret()), **kwargs
            )
        if response.status_code == 404 and method == "GET" and path.startswith("/posts/"):
            return None
        return check(response, what).json()

    # Delivery -----------------------------------------------------------------------------

    def send(self, delivery: Delivery) -> None:
        ref = self.ref(delivery.story_id)
        post = self.find(delivery, ref)
        key = delivery.key
        if (
            post is not None
            and (post.get("meta") or {}).get("wiredesk_key") == key
            and self.shows_lead(post, delivery, ref)
        ):
            return  # this exact change is already there
        meta = {"wiredesk_uri": delivery.uri, "wiredesk_version": delivery.version}
        meta["wiredesk_key"] = key
        if delivery.action in REMOVALS:
            # A kill, a takedown or an expiry: the post goes to the trash (or back to draft).
            if post is None:
                return  # never reached this site: nothing to withdraw
            if self.kill_to == "draft":
                self.call("POST", f"/posts/{post['id']}", json={"status": "draft", "meta": meta})
            elif post.get("status") != "trash":
                self.call("POST", f"/posts/{post['id']}", json={"meta": meta})
                self.call("DELETE", f"/posts/{post['id']}")
            return
        if delivery.action == "unpublish":
            if post is not None:
                self.call("POST", f"/posts/{post['id']}", json={"status": "draft", "meta": meta})
            return
        fields = self.fields(delivery, ref, creating=post is None)
        fields["meta"] = {**meta, **fields.pop("meta", {})}
        if post is None:
            created = self.call("POST", "/posts", json=fields)
            post_id = int(created["id"])
            self.save_ref(delivery.story_id, str(post_id), ref)
        else:
            post_id = int(post["id"])
            self.call("POST", f"/posts/{post_id}", json=fields)
            if ref.remote_id != str(post_id):
                self.save_ref(delivery.story_id, str(post_id), ref)
        if fields.get("featured_media"):
            self.attach(int(fields["featured_media"]), post_id, delivery.story_id, ref)

    def find(self, delivery: Delivery, ref: TargetRef) -> dict[str, Any] | None:
        if ref.remote_id:
            found = self.call("GET", f"/posts/{ref.remote_id}", params={"context": "edit"})
            if found is not None:
                return dict(found)
        params = {"wiredesk_uri": delivery.uri, "status": ANY_STATUS, "context": "edit"}
        for post in self.call("GET", "/posts", params=params):
            # Without the plugin WordPress ignores the filter: trust only the meta itself.
            if (post.get("meta") or {}).get("wiredesk_uri") == delivery.uri:
                return dict(post)
        return None

    def fields(self, delivery: Delivery, ref: TargetRef, *, creating: bool) -> dict[str, Any]:
        item, story = delivery.item, delivery.story
        assert item is not None
        open_to = "open" if self.comments else "closed"
        fields: dict[str, Any] = {
            "status": "publish",
            "title": item.headline,
            "content": post_content(delivery),
            "slug": wp_slug(story.slug),
            "categories": [self.category(story.section)],
            "tags": [self.term("tags", tag) for tag in story.tags],
            "comment_status": open_to,
            "ping_status": open_to,
        }
        if creating:
            # The agency's first publication time, set once: an update changes only the
            # modified date, so it does not jump to the top of the front page.
            fields["date_gmt"] = wp_date(story.firstcreated)
        author = self.authors.get(story.agency)
        if author is not None:
            fields["author"] = author
        else:
            # Shown as the author's name by the mu-plugin (the_author filter).
            fields["meta"] = {"wiredesk_byline": item.byline or story.agency}
        if delivery.pictures:
            fields["featured_media"] = self.media(delivery.pictures[0], delivery.story_id, ref)
        return fields

    def shows_lead(self, post: dict[str, Any], delivery: Delivery, ref: TargetRef) -> bool:
        """Whether the post's featured image is the delivery's lead picture (or it has none).

        A picture is checked after its story goes live, and says so with an update of the
        same version: the key is one the post already holds, but the picture is new. (The
        attachment is found, or uploaded, once: the update about to follow uses it.)"""
        if not delivery.upsert or not delivery.pictures:
            return True
        lead = self.media(delivery.pictures[0], delivery.story_id, ref)
        return bool(post.get("featured_media") == lead)

    def category(self, section: str) -> int:
        """The section's WordPress category: the one [sections.wordpress] names, else one
        named after the section."""
        name = self.categories.get(section)
        if name is None:
            return self.term("categories", section)
        return self.term("categories", slugify(name) or section, label=name)

    def term(self, taxonomy: str, name: str, label: str = "") -> int:
        """A category or tag id, made the first time it is needed."""
        key = (taxonomy, name)
        if key not in self.terms:
            what = f"wordpress {self.spec.name}: {taxonomy} {name!r}"
            if not label:
                label = name.replace("-", " ").title() if taxonomy == "categories" else name
            with http_errors(what):
                response = self.client.post(
                    f"{self.api}/{taxonomy}",
                    json={"name": label, **({"slug": name} if taxonomy == "categories" else {})},
                    auth=(self.user, self.spec.secret()),
                )
            data = response.json() if response.content else {}
            if response.status_code == 400 and data.get("code") == "term_exists":
                self.terms[key] = int(data["data"]["term_id"])
            else:
                self.terms[key] = int(check(response, what).json()["id"])
        return self.terms[key]

    def media(self, picture: Picture, story_id: int, ref: TargetRef) -> int:
        """The picture's attachment id, uploaded once however often it is sent."""
        uploaded: dict[str, int] = dict((ref.data or {}).get("media", {}))
        if picture.sha256 in uploaded:
            return uploaded[picture.sha256]
        title = f"wiredesk-{picture.sha256[:16]}"
        found = [
            m
            for m in self.call("GET", "/media", params={"search": title, "context": "edit"})
            if (m.get("title") or {}).get("raw") == title
        ]
        if found:
            media_id = int(found[0]["id"])
        else:
            created = self.call(
                "POST",
                "/media",
                content=picture.data,
                headers={
                    "Content-Type": picture.content_type,
                    "Content-Disposition": f'attachment; filename="{title}-{_ascii(picture.filename)}"',
                },
            )
            media_id = int(created["id"])
            self.call(
                "POST",
                f"/media/{media_id}",
                json={"title": title, "caption": picture.caption, "alt_text": picture.caption},
            )
        uploaded[picture.sha256] = media_id
        ref.data = {**(ref.data or {}), "media": uploaded}
        self.save_ref(story_id, ref.remote_id, ref)
        return media_id

    def attach(self, media_id: int, post_id: int, story_id: int, ref: TargetRef) -> None:
        """The featured image belongs to its post (its `post`, WordPress's parent), once."""
        attached: dict[str, int] = dict((ref.data or {}).get("attached", {}))
        if attached.get(str(media_id)) == post_id:
            return
        self.call("POST", f"/media/{media_id}", json={"post": post_id})
        attached[str(media_id)] = post_id
        ref.data = {**(ref.data or {}), "attached": attached}
        self.save_ref(story_id, str(post_id), ref)

    # The desk's record of the post ---------------------------------------------------------

    def ref(self, story_id: int) -> TargetRef:
        with self.store.session() as session:
            found = session.get(TargetRef, (self.spec.id, story_id))
        return found or TargetRef(target_id=self.spec.id, story_id=story_id, remote_id="", data={})

    def save_ref(self, story_id: int, remote_id: str, ref: TargetRef) -> None:
        ref.remote_id = remote_id
        with self.store.session() as session, session.begin():
            row = session.get(TargetRef, (self.spec.id, story_id))
            if row is None:
                row = TargetRef(target_id=self.spec.id, story_id=story_id)
                session.add(row)
            row.remote_id, row.data = remote_id, dict(ref.data or {})


def _ascii(name: str) -> str:
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return safe[-80:] or "picture"
