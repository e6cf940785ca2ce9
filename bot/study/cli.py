"""`rolesplit report --study` in the terminal: the latest time study's result and split plan."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.config import ConfigError
from bot.reports import pick_workspace
from bot.services import Services
from bot.study.numbers import load_result
from bot.study.result_views import result_text
from storage.study_repo import latest_study


def print_study(services: Services, team: str | None, out: TextIO | None = None) -> int:
    """Print the latest time study's result and split plan (preliminary while it runs)."""
    out = out or sys.stdout
    with services.Session() as s:
        ws = pick_workspace(s, team)
        study = latest_study(s, ws.id)
        if study is None:
            raise ConfigError(
                "--study: no time study has run in this workspace yet "
                "(start one in Slack with `/rolesplit study start`)"
            )
        result = load_result(s, ws.id, services.config(ws), study, services.now())
    out.write(result_text(result))
    return 0
