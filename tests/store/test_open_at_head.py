"""Opening a database already at head skips Alembic; one behind it is still upgraded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from wiredesk.store import Store
from wiredesk.store.db import alembic_config, at_head, head_revisions, make_engine, upgrade


def test_head_read_from_the_scripts_is_alembics_head(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'h.db'}")
    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def test_a_database_one_migration_behind_is_upgraded(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'behind.db'}")
    assert not at_head(engine)  # a new database has no alembic_version yet
    upgrade(engine)
    assert at_head(engine)
    command.downgrade(alembic_config(engine), "-1")
    assert not at_head(engine)
    upgrade(engine)
    with engine.connect() as conn:
        stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert {stamped} == head_revisions()


def test_opening_a_database_at_head_does_not_load_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'open.db'}"
    Store(url, tmp_path / "archive").close()
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from wiredesk.store import Store\n"
        f"Store({url!r}, Path({str(tmp_path / 'archive')!r})).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
