"""The demo, started fresh on an ephemeral loopback port with a fixed start instant."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.demo.runner import Demo
from tests.support.constants import DEMO_START as START


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """A freshly seeded demo; stopped (and its server closed) after the test."""
    running = Demo(tmp_path / "rolesplit-demo.db", port=0, fresh=True, start=START).start()
    try:
        yield running
    finally:
        running.stop()
