"""The fault tests' rig: a fake Slack that fails on demand, the app's processes, the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Db, FaultySlack
from tests.faults.procs import Procs, app_env
from tests.faults.rig import Rig


@pytest.fixture
def rig(db_url: str, tmp_path: Path) -> Iterator[Rig]:
    """The fake Slack in this process, the app's processes against it; all stopped after."""
    fake = FaultySlack()
    fake.start()
    procs = Procs(app_env(db_url, fake, tmp_path), tmp_path)
    db = Db(db_url)
    try:
        yield Rig(db_url, fake, procs, db)
    finally:
        procs.close()
        db.close()
        fake.stop()
