"""`wiredesk --help` lists every command without importing them, and the list says what each
command's own help says (the one-line help is kept beside the lazy command table)."""

from __future__ import annotations

import inspect
import subprocess
import sys

from click.testing import CliRunner

from wiredesk.cli import LAZY_COMMANDS, main


def test_lazy_command_help_matches_each_command() -> None:
    for name, (_target, stored) in LAZY_COMMANDS.items():
        command = main.load(name)
        own = command.short_help or inspect.cleandoc(command.help or "").split("\n\n")[0]
        assert stored == own.replace("\n", " "), name


def test_every_lazy_command_runs_its_own_help() -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["--help"]).output
    for name in LAZY_COMMANDS:
        assert f"  {name} " in listing
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert f"Usage: main {name}" in result.output or "Usage:" in result.output


def test_help_imports_neither_the_desk_nor_the_store_nor_the_parsers() -> None:
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from wiredesk.cli import main\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "heavy = ['sqlalchemy', 'alembic', 'lxml', 'starlette', 'httpx', 'numpy',\n"
        "         'wiredesk.desk.pipeline', 'wiredesk.store', 'wiredesk.formats']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""
