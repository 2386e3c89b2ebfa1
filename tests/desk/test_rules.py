from __future__ import annotations

import pytest

from wiredesk.desk.rules import decide, load_rules
from wiredesk.exceptions import ConfigError
from wiredesk.types import Item, Subject

ITEM = Item(
    uri="u",
    headline="Sensex rises",
    slugline="MARKETS-OPEN",
    body_text="The index rose 200 points.",
    agency="PTI",
    language="en",
    urgency=3,
    category="Business",
    subject=[Subject("medtop:04000000", "economy")],
)


@pytest.mark.parametrize(
    ("rule", "matches"),
    [
        ({"agency": "pti"}, True),
        ({"agency": ["IANS", "ANI"]}, False),
        ({"source": "ftp-pti"}, True),
        ({"source": "other"}, False),
        ({"subject": "medtop:04000000"}, True),
        ({"subject": "Economy"}, True),
        ({"subject": "medtop:15000000"}, False),
        ({"category": "business"}, True),
        ({"urgency": [1, 2]}, False),
        ({"urgency": 3}, True),
        ({"language": "de"}, False),
        ({"keyword": "200 POINTS"}, True),
        ({"keyword": ["cricket", "rain"]}, False),
        ({"regex": r"^MARKETS-"}, True),
        ({"regex": r"\bfell\b"}, False),
        ({"agency": "PTI", "keyword": "cricket"}, False),
    ],
)
def test_each_condition(rule: dict[str, object], matches: bool) -> None:
    [loaded] = load_rules([{"name": "r", **rule}])
    assert loaded.matches(ITEM, "ftp-pti") is matches


def test_first_match_wins_and_carries_its_actions() -> None:
    rules = load_rules(
        [
            {"name": "a", "keyword": "nothing"},
            {
                "name": "b",
                "agency": "PTI",
                "action": "hold",
                "section": "money",
                "tags": ["mkt"],
                "disclaimer": "",
            },
            {"name": "c", "action": "drop"},
        ]
    )
    decision = decide(rules, ITEM, "pti")
    assert (
        decision.rule,
        decision.action,
        decision.section,
        decision.tags,
        decision.disclaimer,
    ) == ("b", "hold", "money", ("mkt",), "")
    assert decide([], ITEM, "pti").action == "publish"


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ConfigError, match="unknown keys"):
        load_rules([{"name": "r", "agenci": "PTI"}])
