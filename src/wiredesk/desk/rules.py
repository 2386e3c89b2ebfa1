"""Routing rules from wiredesk.toml: ordered, the first match wins.

[[rules]]
name = "hold sport for review"
agency = ["PTI", "IANS"]        # any of; every condition given must hold
subject = ["medtop:15000000"]   # subject or category codes/names
urgency = [1, 2]
keyword = ["cricket"]           # case-insensitive, in slugline, headline or body
regex = "^CRICKET-"             # searched in slugline, headline and body
action = "hold"                 # publish | hold | drop
section = "sport"
disclaimer = "..."
tags = ["sport"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from wiredesk.exceptions import ConfigError
from wiredesk.types import Item

ACTIONS = ("publish", "hold", "drop")
_LIST_KEYS = ("source", "agency", "subject", "category", "language", "keyword")


@dataclass(frozen=True)
class Rule:
    name: str
    source: tuple[str, ...] = ()
    agency: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    keyword: tuple[str, ...] = ()
    urgency: tuple[int, ...] = ()
    regex: re.Pattern[str] | None = None
    action: str = "publish"
    section: str = ""
    disclaimer: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)

    def matches(self, item: Item, source: str) -> bool:
        folded = {
            "source": source.lower(),
            "agency": item.agency.lower(),
            "language": item.language.lower(),
        }
        for key in ("source", "agency", "language"):
            wanted = getattr(self, key)
            if wanted and folded[key] not in {w.lower() for w in wanted}:
                return False
        if self.subject:
            have = {s.code.lower() for s in item.subject} | {s.name.lower() for s in item.subject}
            if not have & {w.lower() for w in self.subject}:
                return False
        if self.category and item.category.lower() not in {c.lower() for c in self.category}:
            return False
        if self.urgency and item.urgency not in self.urgency:
            return False
        haystack = "\n".join((item.slugline, item.headline, item.body_text))
        if self.keyword and not any(k.lower() in haystack.lower() for k in self.keyword):
            return False
        return not (self.regex and not self.regex.search(haystack))


@dataclass(frozen=True)
class Decision:
    action: str = "publish"
    rule: str = ""
    section: str = ""
    disclaimer: str | None = None
    tags: tuple[str, ...] = ()


def decide(rules: list[Rule], item: Item, source: str) -> Decision:
    for rule in rules:
        if rule.matches(item, source):
            return Decision(rule.action, rule.name, rule.section, rule.disclaimer, rule.tags)
    return Decision()


def _tuple(value: Any, key: str, name: str) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int):
        return (value,)
    if isinstance(value, list):
        return tuple(value)
    raise ConfigError(f"rule {name!r}: {key} must be a value or a list")


def load_rules(entries: list[dict[str, Any]]) -> list[Rule]:
    rules = []
    for index, entry in enumerate(entries, 1):
        name = str(entry.get("name") or f"rule {index}")
        unknown = set(entry) - {
            *_LIST_KEYS,
            "name",
            "urgency",
            "regex",
            "action",
            "section",
            "disclaimer",
            "tags",
        }
        if unknown:
            raise ConfigError(f"rule {name!r}: unknown keys {sorted(unknown)}")
        action = entry.get("action", "publish")
        if action not in ACTIONS:
            raise ConfigError(
                f"rule {name!r}: action must be one of {', '.join(ACTIONS)}, not {action!r}"
            )
        try:
            regex = (
                re.compile(entry["regex"], re.IGNORECASE | re.MULTILINE)
                if entry.get("regex")
                else None
            )
        except re.error as exc:
            raise ConfigError(f"rule {name!r}: bad regex: {exc}") from exc
        rules.append(
            Rule(
                name=name,
                regex=regex,
                action=action,
                section=str(entry.get("section", "")),
                disclaimer=entry.get("disclaimer"),
                tags=_tuple(entry.get("tags"), "tags", name),
                urgency=tuple(int(u) for u in _tuple(entry.get("urgency"), "urgency", name)),
                **{
                    key: tuple(str(v) for v in _tuple(entry.get(key), key, name))
                    for key in _LIST_KEYS
                },
            )
        )
    return rules
