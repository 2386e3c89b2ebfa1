from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.config import DEFAULT_DISCLAIMER, TEMPLATE, load
from wiredesk.exceptions import ConfigError


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    config = load(tmp_path / "none.toml")
    assert config.database_url == "sqlite:///var/wiredesk.db"
    assert config.disclaimer == DEFAULT_DISCLAIMER and not DEFAULT_DISCLAIMER.endswith(".")
    assert config.timezone == "UTC"


def test_the_template_loads_and_names_sources_and_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    path = tmp_path / "wiredesk.toml"
    path.write_text(
        TEMPLATE
        + '\n[[sources]]\nname = "pti"\nagency = "PTI"\nsection = "india"\n'
        + '\n[[rules]]\nname = "r"\nurgency = [1, 2]\naction = "hold"\n'
    )
    config = load(path)
    assert config.data_dir == tmp_path / "var"
    assert config.source("pti").agency == "PTI" and config.source("other").name == "other"
    assert config.rules[0].urgency == (1, 2) and config.rules[0].action == "hold"


def test_precedence_db_option_then_environment_then_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "wiredesk.toml"
    path.write_text('[desk]\ndb = "sqlite:///file.db"\n')
    monkeypatch.setenv("WIREDESK_DB", "sqlite:///env.db")
    assert load(path, "sqlite:///opt.db").database_url == "sqlite:///opt.db"
    assert load(path).database_url == "sqlite:///env.db"
    monkeypatch.delenv("WIREDESK_DB")
    assert load(path).database_url == "sqlite:///file.db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[site]\ntimezone = 'Mars/Olympus'\n", "unknown time zone"),
        ("[[sources]]\nagency = 'PTI'\n", "needs a name"),
        ("[[sources]]\nname = 'x'\ncolour = 'red'\n", "unknown keys"),
        ("[[rules]]\naction = 'shout'\n", "action must be one of"),
        ("[[rules]]\nregex = '('\n", "bad regex"),
        ("[desk]\nnear_duplicates = 'all'\n", "near_duplicates"),
        ("not toml at all [", "wiredesk.toml"),
        # An http source is an http(s) URL, refused when declared rather than when polled.
        (
            "[[sources]]\nname = 'w'\ntransport = 'http'\nlocation = 'file:///etc/passwd'\n",
            "source 'w': file: an http source's location must be an http\\(s\\) URL",
        ),
        ("[[sources]]\nname = 'w'\ntransport = 'http'\nlocation = 'gopher://x/'\n", "gopher"),
        (
            "[[sources]]\nname = 'w'\ntransport = 'http'\nlocation = 'https:///feed'\n",
            "name a host",
        ),
        ("[[sources]]\nname = 'w'\ntransport = 'http'\n", "no scheme"),
    ],
)
def test_bad_settings_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "wiredesk.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load(path)
